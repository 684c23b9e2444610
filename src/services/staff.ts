import { sql, type Kysely } from 'kysely';
import { requireOwnLibrary, requireStaff, type StaffActor } from '../domain/actor';
import { invalid, notFound, ok, refuse, type Result } from '../domain/refusal';
import { mayGrantRole, roleLabel, type StaffRole } from '../domain/roles';
import { recordEvent } from '../db/events';
import type { Database } from '../db/schema';
import { consortiumRef } from './consortium';
import { actorEventFields, type Db, type ServiceContext } from './context';
import { inTransaction } from './transaction';
import { findLibraryByCode, type LibraryRef } from './library-view';
import { checkNewPassword, hashPassword } from './passwords';
import { endOtherSessions } from './sessions';
import { lockSignInNames, signInNameOwner } from './sign-in-names';

export interface StaffView {
  username: string;
  role: StaffRole;
  /** The working library; the consortium itself for an administrator of the consortium office. */
  library: LibraryRef;
  active: boolean;
  createdAt: string;
}

export interface NewStaff {
  username: string;
  password: string;
  libraryCode: string;
  role: StaffRole;
}

export interface StaffPatch {
  role?: StaffRole;
  password?: string;
  active?: boolean;
  libraryCode?: string;
}

export interface StaffListQuery {
  library?: string;
  limit: number;
  offset: number;
}

/** A working library: `id` null is the consortium office, where only consortium administrators work. */
interface Workplace {
  id: number | null;
  code: string;
}

async function workplace(db: Db, code: string, role: StaffRole, field = 'libraryCode'): Promise<Result<Workplace>> {
  const library = await findLibraryByCode(db, code);
  if (library) {
    if (library.kind === 'system') return invalid(field, `${code} is a system of libraries; staff work at one of its libraries.`);
    return ok({ id: library.id, code: library.code });
  }
  if (code === (await consortiumRef(db)).code) {
    if (role !== 'consortium-admin') return invalid(field, 'Only consortium administrators work for the consortium office; choose a library.');
    return ok({ id: null, code });
  }
  return invalid(field, `There is no library with code ${code}.`);
}

/** Library administrators manage their own library's accounts, up to their own role. */
function mayManage(admin: StaffActor, place: Workplace, role: StaffRole): Result<StaffActor> {
  if (place.id === null && admin.role !== 'consortium-admin') {
    return refuse('NOT_OWN_LIBRARY', `You work at ${admin.libraryCode}; the consortium office's accounts are not yours to manage.`);
  }
  const own = place.id === null ? ok(admin) : requireOwnLibrary(admin, place.id, place.code);
  if (!own.ok) return own;
  if (!mayGrantRole(admin.role, role)) return refuse('FORBIDDEN', `Only a consortium administrator may manage accounts of ${roleLabel(role)}.`);
  return ok(admin);
}

function staffViewQuery(db: Kysely<Database>) {
  return db
    .selectFrom('staff')
    .leftJoin('libraries', 'libraries.id', 'staff.library_id')
    .select(['staff.id', 'staff.username', 'staff.role', 'staff.active', 'staff.created_at', 'libraries.code', 'libraries.name']);
}

type StaffViewRow = Awaited<ReturnType<ReturnType<typeof staffViewQuery>['executeTakeFirstOrThrow']>>;

async function toStaffViews(db: Kysely<Database>, rows: StaffViewRow[]): Promise<StaffView[]> {
  const office = rows.some((r) => r.code === null) ? await consortiumRef(db) : undefined;
  return rows.map((r) => ({
    username: r.username,
    role: r.role,
    library: r.code !== null && r.name !== null ? { code: r.code, name: r.name } : (office as LibraryRef),
    active: r.active,
    createdAt: r.created_at.toISOString(),
  }));
}

async function loadStaffView(db: Kysely<Database>, staffId: number): Promise<StaffView> {
  return (await toStaffViews(db, [await staffViewQuery(db).where('staff.id', '=', staffId).executeTakeFirstOrThrow()]))[0];
}

export async function createStaff(ctx: ServiceContext, input: NewStaff): Promise<Result<StaffView>> {
  const admin = requireStaff(ctx.actor, 'library-admin');
  if (!admin.ok) return admin;
  const place = await workplace(ctx.db, input.libraryCode, input.role);
  if (!place.ok) return place;
  const allowed = mayManage(admin.value, place.value, input.role);
  if (!allowed.ok) return allowed;
  const password = checkNewPassword(input.password, [input.username]);
  if (!password.ok) return password;
  // Hashed before the transaction: it is slow, and the embedded database has one connection.
  const passwordHash = await hashPassword(input.password);
  const result = await inTransaction(ctx, async (trx): Promise<Result<number>> => {
    await lockSignInNames(trx, [input.username]);
    if (await signInNameOwner(trx, input.username)) return refuse('DUPLICATE', `The user name ${input.username} is already taken.`, { field: 'username' });
    const row = await trx
      .insertInto('staff')
      .values({ username: input.username, password_hash: passwordHash, library_id: place.value.id, role: input.role, created_at: ctx.clock.now() })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return refuse('DUPLICATE', `The user name ${input.username} is already taken.`, { field: 'username' });
    await recordEvent(trx, {
      at: ctx.clock.now(),
      kind: 'staff-created',
      library_id: place.value.id,
      ...actorEventFields(ctx.actor),
      data: { staffId: row.id, username: input.username, role: input.role, libraryCode: place.value.code },
    });
    return ok(row.id);
  });
  if (!result.ok) return result;
  return ok(await loadStaffView(ctx.db, result.value));
}

/** A library's staff; without `library`, a library administrator's own and a consortium administrator's all. */
export async function listStaff(ctx: ServiceContext, query: StaffListQuery): Promise<Result<StaffView[]>> {
  const admin = requireStaff(ctx.actor, 'library-admin');
  if (!admin.ok) return admin;
  let place: Workplace | undefined;
  if (query.library !== undefined) {
    const found = await workplace(ctx.db, query.library, 'consortium-admin', 'library');
    if (!found.ok) return found;
    place = found.value;
  } else if (admin.value.role !== 'consortium-admin') {
    place = { id: admin.value.libraryId, code: admin.value.libraryCode };
  }
  if (place && admin.value.role !== 'consortium-admin' && admin.value.libraryId !== place.id) {
    return refuse('NOT_OWN_LIBRARY', `You work at ${admin.value.libraryCode}; the staff of ${place.code} are not yours to manage.`);
  }
  let rows = staffViewQuery(ctx.db).orderBy(sql`lower(staff.username)`).limit(query.limit).offset(query.offset);
  if (place) rows = place.id === null ? rows.where('staff.library_id', 'is', null) : rows.where('staff.library_id', '=', place.id);
  return ok(await toStaffViews(ctx.db, await rows.execute()));
}

export async function updateStaff(ctx: ServiceContext, username: string, patch: StaffPatch): Promise<Result<StaffView>> {
  const admin = requireStaff(ctx.actor, 'library-admin');
  if (!admin.ok) return admin;
  const target = await staffViewQuery(ctx.db)
    .select('staff.library_id')
    .where(sql<boolean>`lower(staff.username) = ${username.toLowerCase()}`)
    .executeTakeFirst();
  if (!target) return notFound(`Staff member ${username}`);
  const office = await consortiumRef(ctx.db);
  const before: Workplace = { id: target.library_id, code: target.code ?? office.code };
  // The administrator must be allowed to manage the account both as it is and as it will be.
  const asIs = mayManage(admin.value, before, target.role);
  if (!asIs.ok) return asIs;
  const role = patch.role ?? target.role;
  let after = before;
  if (patch.libraryCode !== undefined) {
    const place = await workplace(ctx.db, patch.libraryCode, role);
    if (!place.ok) return place;
    after = place.value;
  } else if (after.id === null && role !== 'consortium-admin') {
    return invalid('libraryCode', 'Only consortium administrators work for the consortium office; give the library this person works at.');
  }
  const toBe = mayManage(admin.value, after, role);
  if (!toBe.ok) return toBe;
  if (Object.values(patch).every((v) => v === undefined)) return ok(await loadStaffView(ctx.db, target.id));
  let passwordHash: string | undefined;
  if (patch.password !== undefined) {
    const password = checkNewPassword(patch.password, [target.username]);
    if (!password.ok) return password;
    passwordHash = await hashPassword(patch.password);
  }
  const result = await inTransaction(ctx, async (trx): Promise<Result<null>> => {
    const losesAdmin = target.role === 'consortium-admin' && target.active && (role !== 'consortium-admin' || patch.active === false);
    if (losesAdmin) {
      // Locks every active administrator, so two demotions at once cannot both count the other.
      const admins = await trx.selectFrom('staff').select('id').where('role', '=', 'consortium-admin').where('active', '=', true).forUpdate().execute();
      if (!admins.some((a) => a.id !== target.id)) {
        return refuse('INVALID_STATE', 'This is the last active consortium administrator; make another one first.');
      }
    }
    await trx
      .updateTable('staff')
      .set({ role: patch.role, active: patch.active, library_id: patch.libraryCode === undefined ? undefined : after.id, password_hash: passwordHash })
      .where('id', '=', target.id)
      .execute();
    // A closed account ends every session; a new password every session but the one that set it.
    if (patch.active === false) await endOtherSessions(trx, { staffId: target.id }, undefined);
    else if (passwordHash !== undefined) await endOtherSessions(trx, { staffId: target.id }, ctx.sessionKey);
    const { password: _secret, ...facts } = patch;
    await recordEvent(trx, {
      at: ctx.clock.now(),
      kind: 'staff-updated',
      library_id: after.id,
      ...actorEventFields(ctx.actor),
      data: { staffId: target.id, username: target.username, ...facts, ...(passwordHash !== undefined ? { passwordChanged: true } : {}) },
    });
    return ok(null);
  });
  if (!result.ok) return result;
  return ok(await loadStaffView(ctx.db, target.id));
}
