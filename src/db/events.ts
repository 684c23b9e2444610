import type { Kysely } from 'kysely';
import type { Database, NewEvent } from './schema';

export type EventInput = Omit<NewEvent, 'data'> & { data?: Record<string, unknown> };

/** The audit trail: call inside the transaction that makes the change. */
export async function recordEvent(trx: Kysely<Database>, event: EventInput): Promise<void> {
  await trx
    .insertInto('events')
    .values({ ...event, data: JSON.stringify(event.data ?? {}) })
    .execute();
}
