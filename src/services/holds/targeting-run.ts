import { sql } from 'kysely';
import type { ServiceContext, Tx } from '../context';
import { randomOf } from '../context';
import { loadLibraryFacts, type LibraryFacts } from './library-facts';
import type { TargetingRun } from './target-hold';

const dayMs = 86_400_000;

/** Items each library lent to other libraries' desks in the 30 days before `now` (policy `balanced`). */
export async function lentLast30Days(trx: Tx, now: Date): Promise<Map<number, number>> {
  const rows = await trx
    .selectFrom('loans')
    .innerJoin('items', 'items.id', 'loans.item_id')
    .select(['items.owning_library_id as library_id', sql<number>`count(*)::int`.as('lent')])
    .where('loans.checked_out_at', '>=', new Date(now.getTime() - 30 * dayMs))
    .where('loans.checked_out_at', '<=', now)
    .whereRef('loans.library_id', '!=', 'items.owning_library_id')
    .groupBy('items.owning_library_id')
    .execute();
  return new Map(rows.map((r) => [r.library_id, r.lent]));
}

/** What one request or sweep needs to target holds, loaded once. */
export async function startTargetingRun(trx: Tx, ctx: Pick<ServiceContext, 'clock' | 'random' | 'actor'>, libraries?: LibraryFacts): Promise<TargetingRun> {
  const now = ctx.clock.now();
  const consortium = await trx.selectFrom('consortium').select('targeting_policy').executeTakeFirstOrThrow();
  return {
    trx,
    now,
    random: randomOf(ctx),
    libraries: libraries ?? (await loadLibraryFacts(trx)),
    policy: consortium.targeting_policy,
    staffId: ctx.actor.kind === 'staff' ? ctx.actor.staffId : null,
    lentLast30Days: consortium.targeting_policy === 'balanced' ? await lentLast30Days(trx, now) : undefined,
  };
}

/** For a sweep: what every hold's run shares, loaded once; each hold then runs in its own transaction. */
export async function prepareTargetingRuns(trx: Tx, ctx: Pick<ServiceContext, 'clock' | 'random' | 'actor'>, libraries: LibraryFacts): Promise<(trx: Tx) => TargetingRun> {
  const shared = await startTargetingRun(trx, ctx, libraries);
  return (trx) => ({ ...shared, trx });
}
