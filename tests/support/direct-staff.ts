import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema';
import type { StaffRole } from '../../src/domain/roles';
import { hashPassword } from '../../src/services/passwords';

let cachedHash: Promise<string> | undefined;
export const directStaffPassword = 'staff-password';

/** Staff written straight into the database (one argon2 hash per run), for tests of other endpoints. */
export async function insertStaff(db: Kysely<Database>, username: string, libraryCode: string, role: StaffRole): Promise<void> {
  cachedHash ??= hashPassword(directStaffPassword);
  const library = await db.selectFrom('libraries').select('id').where('code', '=', libraryCode).executeTakeFirstOrThrow();
  await db.insertInto('staff').values({ username, password_hash: await cachedHash, library_id: library.id, role }).execute();
}
