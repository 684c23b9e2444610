import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema';
import { noticeMessageId } from '../../src/domain/notices/delivery';
import type { LoadRecord } from './desk-load';
import type { SmtpPeer } from './smtp-peer';

// What must be true in the database after a desk load, whatever happened to the servers: every
// action a server answered 2xx is there, the outbox drains, and each notice reached the SMTP peer.

/** Answered actions missing from the database, in words; [] when none was lost. */
export async function lostActions(db: Kysely<Database>, record: LoadRecord): Promise<string[]> {
  const lost: string[] = [];
  const holdIds = new Set((await db.selectFrom('holds').select('id').execute()).map((h) => Number(h.id)));
  for (const id of record.holdIds) if (!holdIds.has(Number(id))) lost.push(`hold ${id} (answered 201)`);
  const loans = new Map(
    (
      await db
        .selectFrom('loans')
        .innerJoin('items', 'items.id', 'loans.item_id')
        .innerJoin('patrons', 'patrons.id', 'loans.patron_id')
        .select(['loans.id', 'items.barcode as item', 'patrons.barcode as patron'])
        .execute()
    ).map((l) => [Number(l.id), `${l.item} to ${l.patron}`]),
  );
  for (const loan of record.loans) {
    const found = loans.get(Number(loan.id));
    if (found !== `${loan.item} to ${loan.patron}`) lost.push(`loan ${loan.id} of ${loan.item} to ${loan.patron} (answered 201; found ${found ?? 'nothing'})`);
  }
  const returned = new Map(
    (
      await db
        .selectFrom('loans')
        .innerJoin('items', 'items.id', 'loans.item_id')
        .select(['items.barcode', sql<number>`count(*)::int`.as('n')])
        .where('loans.returned_at', 'is not', null)
        .groupBy('items.barcode')
        .execute()
    ).map((r) => [r.barcode, r.n]),
  );
  for (const [item, answered] of record.returns) {
    if ((returned.get(item) ?? 0) < answered) lost.push(`${answered} returns of ${item} answered, ${returned.get(item) ?? 0} in the database`);
  }
  return lost;
}

/** Email notices due now and not yet sent (or cancelled, or given up). */
export async function pendingEmails(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('notices')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('channel', '=', 'email')
    .where('state', '=', 'pending')
    .where('send_after', '<=', new Date())
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Waits until the outbox has no email due; throws with what is left after `timeoutMs`. */
export async function outboxDrained(db: Kysely<Database>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await pendingEmails(db)) > 0) {
    if (Date.now() > until) {
      const left = await db.selectFrom('notices').select(['id', 'claimed_until', 'claimed_backend', 'attempts', 'last_error']).where('state', '=', 'pending').where('channel', '=', 'email').execute();
      throw new Error(`the outbox did not drain: ${JSON.stringify(left)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface Deliveries {
  /** Email notices marked sent. */
  sent: number;
  /** Sent notices the SMTP peer never accepted. */
  neverArrived: string[];
  /** Message-IDs the peer accepted more than once, with how many times. */
  duplicates: [string, number][];
  /** Messages accepted that are no notice of this database. */
  strangers: string[];
  /** Notices withdrawn (their hold picked up or cancelled) after they were claimed, whose message still went out. */
  withdrawnAfterSending: number;
}

/** Each notice's deliveries at the SMTP peer, counted by its Message-ID (the same on every try). */
export async function deliveries(db: Kysely<Database>, peer: SmtpPeer): Promise<Deliveries> {
  const { code } = await db.selectFrom('consortium').select('code').executeTakeFirstOrThrow();
  const notices = await db.selectFrom('notices').select(['id', 'state']).where('channel', '=', 'email').execute();
  const messageIds = new Map(notices.map((n) => [noticeMessageId(n.id, code), n.state]));
  const accepted = new Map<string, number>();
  for (const mail of peer.accepted) accepted.set(mail.messageId, (accepted.get(mail.messageId) ?? 0) + 1);
  return {
    sent: notices.filter((n) => n.state === 'sent').length,
    neverArrived: [...messageIds].filter(([id, state]) => state === 'sent' && !accepted.has(id)).map(([id]) => id),
    duplicates: [...accepted].filter(([, n]) => n > 1),
    strangers: [...accepted.keys()].filter((id) => !messageIds.has(id)),
    withdrawnAfterSending: [...accepted.keys()].filter((id) => messageIds.get(id) === 'cancelled').length,
  };
}

/** Job rows the scheduler left 'running' whose process is not among `livePids`. */
export async function stuckJobs(db: Kysely<Database>, livePids: number[]): Promise<{ id: string; name: string; claimed_by: string | null }[]> {
  const running = await db.selectFrom('jobs').select(['id', 'name', 'claimed_by']).where('state', '=', 'running').execute();
  return running.filter((j) => !livePids.some((pid) => new RegExp(`:${pid}( |$)`).test(j.claimed_by ?? '')));
}
