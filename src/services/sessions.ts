import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Actor, PatronActor, StaffActor } from '../domain/actor';
import { ok, refuse, type Result } from '../domain/refusal';
import type { StaffRole } from '../domain/roles';
import type { Database } from '../db/schema';
import { consortiumRef } from './consortium';
import type { Db } from './context';
import { decoyHash, verifyPassword } from './passwords';
import type { SessionCache } from './session-cache';

// Sessions live in the database, so any number of server processes can serve one user.
// Expiry and throttling follow the real clock, never the test clock.
export const sessionIdleMs = 12 * 60 * 60 * 1000;
/** A session's last_seen_at is written at most this often; a cached session lives no longer. */
export const touchEveryMs = 60 * 1000;
const throttleWindowMs = 15 * 60 * 1000;
export const maxFailuresPerAccount = 5;
export const maxFailuresPerAddress = 30;

export interface SignedInUser {
  kind: 'staff' | 'patron';
  username: string | null;
  role?: StaffRole;
  barcode?: string;
  name?: string;
  library: { code: string; name: string };
}

export interface LoginSuccess {
  token: string;
  user: SignedInUser;
}

/** How a session is stored: a stolen copy of the table signs no one in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

async function failuresOf(db: Kysely<Database>, key: string, now: Date): Promise<number> {
  const row = await db.selectFrom('login_failures').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row || now.getTime() - row.window_started_at.getTime() > throttleWindowMs) return 0;
  return row.failures;
}

async function countFailure(db: Kysely<Database>, key: string, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - throttleWindowMs);
  await db
    .insertInto('login_failures')
    .values({ key, failures: 1, window_started_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        failures: eb
          .case()
          .when('login_failures.window_started_at', '<', windowStart)
          .then(1)
          .else(eb('login_failures.failures', '+', 1))
          .end(),
        window_started_at: eb
          .case()
          .when('login_failures.window_started_at', '<', windowStart)
          .then(now)
          .else(eb.ref('login_failures.window_started_at'))
          .end(),
      })),
    )
    .execute();
}

interface Account {
  kind: 'staff' | 'patron';
  id: number;
  passwordHash: string | null;
}

async function findAccount(db: Kysely<Database>, username: string): Promise<Account | undefined> {
  const staff = await db
    .selectFrom('staff')
    .select(['id', 'password_hash'])
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .where('active', '=', true)
    .executeTakeFirst();
  if (staff) return { kind: 'staff', id: staff.id, passwordHash: staff.password_hash };
  const patron = await db
    .selectFrom('patrons')
    .select(['id', 'password_hash'])
    .where((eb) => eb.or([eb(eb.fn('lower', ['username']), '=', username.toLowerCase()), eb('barcode', '=', username)]))
    .orderBy('id')
    .executeTakeFirst();
  if (patron) return { kind: 'patron', id: patron.id, passwordHash: patron.password_hash };
  return undefined;
}

export async function login(
  db: Kysely<Database>,
  input: { username: string; password: string; address: string },
  now: Date = new Date(),
): Promise<Result<LoginSuccess>> {
  const accountKey = `account:${input.username.toLowerCase()}`;
  const addressKey = `address:${input.address}`;
  if (
    (await failuresOf(db, accountKey, now)) >= maxFailuresPerAccount ||
    (await failuresOf(db, addressKey, now)) >= maxFailuresPerAddress
  ) {
    return refuse('TOO_MANY_ATTEMPTS', 'Too many failed sign-ins. Please wait 15 minutes and try again.');
  }
  const account = await findAccount(db, input.username);
  const valid = account?.passwordHash
    ? await verifyPassword(account.passwordHash, input.password)
    : (await verifyPassword(await decoyHash(), input.password), false);
  if (!account || !valid) {
    await countFailure(db, accountKey, now);
    await countFailure(db, addressKey, now);
    return refuse('BAD_CREDENTIALS', 'The user name or password is not right.');
  }
  await db.deleteFrom('login_failures').where('key', '=', accountKey).execute();
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      staff_id: account.kind === 'staff' ? account.id : null,
      patron_id: account.kind === 'patron' ? account.id : null,
      created_at: now,
      last_seen_at: now,
    })
    .execute();
  const actor = await actorOfAccount(db, account.kind, account.id);
  return ok({ token, user: await describeUser(db, actor) });
}

export async function logout(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Signs the account out on every device: all its sessions end, this one too. */
export async function logoutEverywhere(db: Db, actor: StaffActor | PatronActor): Promise<number> {
  const sessions = db.deleteFrom('sessions');
  const result = await (actor.kind === 'staff' ? sessions.where('staff_id', '=', actor.staffId) : sessions.where('patron_id', '=', actor.patronId)).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Ends the sessions of an account whose password changed, all but `keep` (the session of the
 * person who changed it, when it is this account's): whoever knew the old password is out.
 */
export async function endOtherSessions(db: Db, account: { staffId: number } | { patronId: number }, keep: string | undefined): Promise<void> {
  let query = 'staffId' in account ? db.deleteFrom('sessions').where('staff_id', '=', account.staffId) : db.deleteFrom('sessions').where('patron_id', '=', account.patronId);
  if (keep !== undefined) query = query.where('token_hash', '<>', keep);
  await query.execute();
}

/**
 * The actor behind a session cookie; anonymous when the session is unknown or idle too long.
 * One statement with the account joined: it runs before every signed-in request.
 */
interface SessionRow {
  last_seen_at: Date;
  staff_id: number | null;
  username: string | null;
  role: StaffRole | null;
  library_id: number | null;
  active: boolean | null;
  library_code: string;
  patron_id: number | null;
  barcode: string | null;
  home_library_id: number | null;
}

export async function actorOfSession(db: Kysely<Database>, token: string, now: Date = new Date(), cache?: SessionCache): Promise<Actor> {
  const tokenHash = hashToken(token);
  const known = cache?.actorOf(tokenHash, now.getTime());
  if (known) return known;
  const mark = cache?.mark();
  // session_of (migration 008): the session, its staff member or patron, and the library code
  const { rows } = await sql<SessionRow>`SELECT * FROM session_of(${tokenHash})`.execute(db);
  const session = rows[0];
  if (!session) return { kind: 'anonymous' };
  if (now.getTime() - session.last_seen_at.getTime() > sessionIdleMs) {
    await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    return { kind: 'anonymous' };
  }
  let lastSeenAt = session.last_seen_at;
  if (now.getTime() - session.last_seen_at.getTime() > touchEveryMs) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
    lastSeenAt = now;
  }
  if (session.staff_id !== null) {
    if (!session.active) return { kind: 'anonymous' };
    const actor: StaffActor = { kind: 'staff', staffId: session.staff_id, username: session.username!, role: session.role!, libraryId: session.library_id, libraryCode: session.library_code };
    if (mark !== undefined) cache?.remember(mark, tokenHash, actor, lastSeenAt.getTime());
    return actor;
  }
  if (session.patron_id === null) return { kind: 'anonymous' };
  return { kind: 'patron', patronId: session.patron_id, barcode: session.barcode!, homeLibraryId: session.home_library_id! };
}

async function actorOfAccount(db: Kysely<Database>, kind: 'staff' | 'patron', id: number): Promise<Actor> {
  if (kind === 'staff') {
    const s = await db
      .selectFrom('staff')
      .leftJoin('libraries', 'libraries.id', 'staff.library_id')
      .select(['staff.id', 'staff.username', 'staff.role', 'staff.library_id', 'staff.active', 'libraries.code'])
      .where('staff.id', '=', id)
      .executeTakeFirst();
    if (!s || !s.active) return { kind: 'anonymous' };
    const libraryCode = s.code ?? (await consortiumRef(db)).code;
    return { kind: 'staff', staffId: s.id, username: s.username, role: s.role, libraryId: s.library_id, libraryCode };
  }
  const p = await db
    .selectFrom('patrons')
    .select(['id', 'barcode', 'home_library_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!p) return { kind: 'anonymous' };
  return { kind: 'patron', patronId: p.id, barcode: p.barcode, homeLibraryId: p.home_library_id };
}

/** The `user` of API.md's login answer and `GET /auth/me`. */
export async function describeUser(db: Kysely<Database>, actor: Actor): Promise<SignedInUser> {
  switch (actor.kind) {
    case 'anonymous':
      throw new Error('describeUser needs a signed-in actor');
    case 'staff': {
      const library =
        actor.libraryId === null
          ? await consortiumRef(db)
          : await db.selectFrom('libraries').select(['code', 'name']).where('id', '=', actor.libraryId).executeTakeFirstOrThrow();
      return { kind: 'staff', username: actor.username, role: actor.role, library };
    }
    case 'patron': {
      const p = await db
        .selectFrom('patrons')
        .innerJoin('libraries', 'libraries.id', 'patrons.home_library_id')
        .select(['patrons.username', 'patrons.barcode', 'patrons.first_name', 'patrons.last_name', 'libraries.code', 'libraries.name'])
        .where('patrons.id', '=', actor.patronId)
        .executeTakeFirstOrThrow();
      return {
        kind: 'patron',
        username: p.username,
        barcode: p.barcode,
        name: `${p.first_name} ${p.last_name}`,
        library: { code: p.code, name: p.name },
      };
    }
  }
}

/** Removes sessions idle past the limit (the `session-cleanup` job). */
export async function purgeIdleSessions(db: Kysely<Database>, now: Date = new Date()): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('last_seen_at', '<', new Date(now.getTime() - sessionIdleMs))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
