import pg from 'pg';
import { sql } from 'kysely';
import { connectPostgres } from '../src/db/connection';
import { targetDueHoldsInSql } from './targeting-sql';
const proto = pg.Client.prototype as any;
const orig = proto.query;
const plans: string[] = [];
proto.query = function (...args: any[]) {
  if (typeof args[0] === 'string' && args[0].trimStart().startsWith("WITH RECURSIVE")) {
    args[0] = 'EXPLAIN (ANALYZE, BUFFERS) ' + args[0];
    const p = orig.apply(this, args);
    return p.then((r: any) => { plans.push(r.rows.map((x: any) => x['QUERY PLAN']).join('\n')); return { ...r, rows: [{}] }; });
  }
  return orig.apply(this, args);
};
const c = await connectPostgres(process.argv[2], 2);
await c.db.connection().execute(async (conn) => {
  await sql`BEGIN`.execute(conn);
  const t = performance.now();
  await targetDueHoldsInSql(conn, new Date('2025-03-12T16:00:00Z'), 24);
  console.log('ms', performance.now() - t);
  await sql`ROLLBACK`.execute(conn);
});
console.log(plans.join('\n'));
await c.close();
