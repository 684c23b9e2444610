import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../domain/actor';
import type { Database } from '../db/schema';
import type { Clock } from './clock';

/** What every use case needs: the database, the clock, and who is asking. */
export interface ServiceContext {
  db: Kysely<Database>;
  clock: Clock;
  actor: Actor;
  /** Random draws for targeting, in [0, 1); seeded in tests so that choices are exact. */
  random?: () => number;
  /** The request's own session (its token's hash), which a password change leaves signed in. */
  sessionKey?: string;
}

export function randomOf(ctx: Pick<ServiceContext, 'random'>): () => number {
  return ctx.random ?? Math.random;
}

export type Tx = Transaction<Database>;
export type Db = Kysely<Database> | Tx;

/** The "who" columns of an event row. */
export function actorEventFields(actor: Actor): { staff_id: number | null; actor_patron_id: number | null } {
  return {
    staff_id: actor.kind === 'staff' ? actor.staffId : null,
    actor_patron_id: actor.kind === 'patron' ? actor.patronId : null,
  };
}
