import { sql } from 'kysely';
import { connectPostgres } from '../src/db/connection';
import { targetDueHoldsInSql } from './targeting-sql';
import { profileQueries, shortSql } from './query-profile';
const c = await connectPostgres(process.argv[2], 2);
await c.db.connection().execute(async (conn) => {
  await sql`BEGIN`.execute(conn);
  const stop = profileQueries();
  await targetDueHoldsInSql(conn, new Date('2025-03-12T16:00:00Z'), 24);
  for (const s of stop().statements) console.log(s.ms.toFixed(0), shortSql(s.sql, 80));
  await sql`ROLLBACK`.execute(conn);
});
await c.close();
