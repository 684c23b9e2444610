import pg from 'pg';

// Where a phase's time goes, without touching product code: every statement the `pg` driver
// sends (Kysely's SQL has $n placeholders, so one text is one kind of statement) is counted and
// timed from send to answer. Round trips, not query plans, dominate hot paths (DESIGN §3), so the
// count per hold is the first thing to read. The time of a statement queued behind another on
// the same connection (Promise.all inside one transaction) includes that wait.

export interface StatementStat {
  sql: string;
  count: number;
  ms: number;
}

export interface Profile {
  statements: StatementStat[];
  totalCount: number;
  totalMs: number;
}

let current: Map<string, StatementStat> | undefined;
let patched = false;

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;

function patch(): void {
  if (patched) return;
  patched = true;
  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  proto.query = function (this: pg.Client, ...args: unknown[]): unknown {
    const stats = current;
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === 'string' ? first : first?.text;
    const result = original.apply(this, args);
    if (!stats || text === undefined || !(result instanceof Promise)) return result;
    const started = performance.now();
    const done = (): void => {
      const key = text.replace(/\s+/g, ' ').trim();
      const stat = stats.get(key) ?? { sql: key, count: 0, ms: 0 };
      stat.count++;
      stat.ms += performance.now() - started;
      stats.set(key, stat);
    };
    result.then(done, done);
    return result;
  };
}

/** Starts counting statements; the returned function stops and gives the profile. */
export function profileQueries(): () => Profile {
  patch();
  const stats = new Map<string, StatementStat>();
  current = stats;
  return () => {
    if (current === stats) current = undefined;
    const statements = [...stats.values()].sort((a, b) => b.ms - a.ms);
    return {
      statements,
      totalCount: statements.reduce((n, s) => n + s.count, 0),
      totalMs: statements.reduce((n, s) => n + s.ms, 0),
    };
  };
}

/** A short, recognisable label for a statement: its verb and tables, cut to `width`. */
export function shortSql(text: string, width = 96): string {
  const t = text.replace(/"/g, '');
  return t.length <= width ? t : `${t.slice(0, width - 1)}…`;
}
