import { sql } from 'kysely';
import type { Tx } from './context';

// Staff and patrons sign in through one form with one name (sessions.ts), and a patron may
// also sign in with a card barcode. So a staff user name, a patron user name and a patron
// barcode must never be the same sign-in name, ignoring case; the tables' own unique indexes
// cannot see across each other, hence these checks.

/**
 * Serialises transactions that claim the same sign-in names, so two of them cannot both see
 * a name as free. Locks in a fixed order so that two claims never wait on each other.
 */
export async function lockSignInNames(trx: Tx, names: string[]): Promise<void> {
  const keys = [...new Set(names.map((n) => n.toLowerCase()))].sort();
  for (const key of keys) await sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}

export interface Owner {
  staffId?: number;
  patronId?: number;
}

/** Who already signs in with `name`, other than `owner`; undefined when it is free. */
export async function signInNameOwner(trx: Tx, name: string, owner: Owner = {}): Promise<'staff' | 'patron' | undefined> {
  const lower = name.toLowerCase();
  let staff = trx.selectFrom('staff').select('id').where(sql<boolean>`lower(username) = ${lower}`);
  if (owner.staffId !== undefined) staff = staff.where('id', '<>', owner.staffId);
  if (await staff.executeTakeFirst()) return 'staff';
  let patron = trx.selectFrom('patrons').select('id').where(sql<boolean>`(lower(username) = ${lower} OR lower(barcode) = ${lower})`);
  if (owner.patronId !== undefined) patron = patron.where('id', '<>', owner.patronId);
  if (await patron.executeTakeFirst()) return 'patron';
  return undefined;
}
