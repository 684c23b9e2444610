import type { Refusal, Result } from '../domain/refusal';
import type { ServiceContext, Tx } from './context';

class RolledBack extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

/**
 * One transaction that commits only on success: a refusal found after a write undoes the write,
 * so bad input never changes anything.
 */
export async function inTransaction<T>(ctx: Pick<ServiceContext, 'db'>, work: (trx: Tx) => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const result = await work(trx);
      if (!result.ok) throw new RolledBack(result.refusal);
      return result;
    });
  } catch (error) {
    if (error instanceof RolledBack) return { ok: false, refusal: error.refusal };
    throw error;
  }
}
