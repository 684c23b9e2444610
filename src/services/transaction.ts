import type { Refusal, Result } from '../domain/refusal';
import type { ServiceContext, Tx } from './context';

class RolledBack extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

// PostgreSQL gives up a transaction that lost a race (SQLSTATE 40001 serialization failure, 40P01
// deadlock) and rolls it back whole: run it again from the start, so two desks working on one
// item or record take turns instead of one of them seeing an error. The embedded database has one
// connection and never answers these.
const retriedStates = new Set(['40001', '40P01']);
const mostAttempts = 5;
const firstBackoffMs = 10;

/**
 * What a service throws when it finds, under a row lock, that a row its decision rests on changed
 * since it read it: the same as PostgreSQL's own serialization failure, so the whole transaction
 * runs again on what is there now.
 */
export class LostRace extends Error {
  readonly code = '40001';
}

/** The SQLSTATE of a database error as pg and PGlite raise it (possibly wrapped as a cause). */
export function sqlStateOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export function isRetriable(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== undefined && retriedStates.has(state);
}

export interface RetryOptions {
  attempts?: number;
  /** Waits between attempts; random and growing so that the losers of one race do not meet again. */
  sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One transaction that commits only on success: a refusal found after a write undoes the write,
 * so bad input never changes anything. `work` may run more than once (see retriedStates): it
 * must do nothing outside `trx` that a second run would repeat.
 */
export async function inTransaction<T>(
  ctx: Pick<ServiceContext, 'db'>,
  work: (trx: Tx) => Promise<Result<T>>,
  options: RetryOptions = {},
): Promise<Result<T>> {
  const attempts = options.attempts ?? mostAttempts;
  const sleep = options.sleep ?? sleepFor;
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.transaction().execute(async (trx) => {
        const result = await work(trx);
        if (!result.ok) throw new RolledBack(result.refusal);
        return result;
      });
    } catch (error) {
      if (error instanceof RolledBack) return { ok: false, refusal: error.refusal };
      if (attempt >= attempts || !isRetriable(error)) throw error;
      await sleep(firstBackoffMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
    }
  }
}
