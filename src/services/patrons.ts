import { sql } from 'kysely';
import { requireSignedIn, requireStaff } from '../domain/actor';
import { invalid, notFound, ok, refuse, type Result } from '../domain/refusal';
import { recordEvent } from '../db/events';
import type { LibraryRow, PatronRow } from '../db/schema';
import { actorEventFields, type Db, type ServiceContext, type Tx } from './context';
import { inTransaction } from './transaction';
import { findLibraryByCode } from './library-view';
import { checkNewPassword, hashPassword, verifyPassword } from './passwords';
import { endOtherSessions } from './sessions';
import { loadPatronDetail, loadPatronView, patronViewQuery, toPatronView, type NotifyChannel, type PatronDetail, type PatronView } from './patron-view';
import { lockSignInNames, signInNameOwner } from './sign-in-names';

export interface NewPatron {
  barcode: string;
  firstName: string;
  lastName: string;
  homeLibraryCode: string;
  email?: string | null;
  phone?: string | null;
  username?: string | null;
  password?: string;
  notifyBy?: NotifyChannel[];
}

export interface PatronPatch {
  email?: string | null;
  phone?: string | null;
  notifyBy?: NotifyChannel[];
  defaultPickupLibraryCode?: string | null;
  username?: string | null;
  password?: string;
  currentPassword?: string;
  blocked?: boolean;
  blockReason?: string;
  firstName?: string;
  lastName?: string;
  homeLibraryCode?: string;
}

export interface PatronSearch {
  q: string;
  limit: number;
  offset: number;
}

// A patron may keep their own contact details, sign-in and notice choices; the rest is desk work.
const staffOnlyFields = ['blocked', 'blockReason', 'firstName', 'lastName', 'homeLibraryCode'] as const;

export async function findPatronByBarcode(db: Db, barcode: string): Promise<PatronRow | undefined> {
  return db.selectFrom('patrons').selectAll().where('barcode', '=', barcode).executeTakeFirst();
}

/** A member library a patron can belong to or collect from; a system is a group, not a place. */
async function memberLibrary(db: Db, code: string, field: string): Promise<Result<LibraryRow>> {
  const library = await findLibraryByCode(db, code);
  if (!library) return invalid(field, `There is no library with code ${code}.`);
  if (library.kind === 'system') return invalid(field, `${code} is a system of libraries; choose one of its libraries.`);
  return ok(library);
}

/** Notices go only where the patron can be reached. */
function checkNotifyBy(notifyBy: readonly string[], email: string | null, phone: string | null): Result<NotifyChannel[]> {
  const channels = (['email', 'phone'] as const).filter((c) => notifyBy.includes(c));
  if (channels.includes('email') && !email) return invalid('notifyBy', 'Notices by email need an email address.');
  if (channels.includes('phone') && !phone) return invalid('notifyBy', 'Notices by phone need a phone number.');
  return ok(channels);
}

function defaultNotifyBy(email: string | null, phone: string | null): NotifyChannel[] {
  if (email) return ['email'];
  if (phone) return ['phone'];
  return [];
}

async function checkSignInNameFree(trx: Tx, name: string, field: string, patronId?: number): Promise<Result<null>> {
  const owner = await signInNameOwner(trx, name, { patronId });
  if (!owner) return ok(null);
  return field === 'barcode'
    ? refuse('DUPLICATE', `The card barcode ${name} is already in use.`, { field })
    : refuse('DUPLICATE', `The user name ${name} is already taken.`, { field });
}

export async function createPatron(ctx: ServiceContext, input: NewPatron): Promise<Result<PatronView>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const email = input.email ?? null;
  const phone = input.phone ?? null;
  const notifyBy = checkNotifyBy(input.notifyBy ?? defaultNotifyBy(email, phone), email, phone);
  if (!notifyBy.ok) return notifyBy;
  if (input.password !== undefined) {
    const password = checkNewPassword(input.password, [input.username, input.barcode]);
    if (!password.ok) return password;
  }
  // Hashed before the transaction: it is slow, and the embedded database has one connection.
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const username = input.username ?? null;
  const result = await inTransaction(ctx, async (trx): Promise<Result<number>> => {
    const home = await memberLibrary(trx, input.homeLibraryCode, 'homeLibraryCode');
    if (!home.ok) return home;
    await lockSignInNames(trx, username ? [input.barcode, username] : [input.barcode]);
    const barcodeFree = await checkSignInNameFree(trx, input.barcode, 'barcode');
    if (!barcodeFree.ok) return barcodeFree;
    if (username) {
      const usernameFree = await checkSignInNameFree(trx, username, 'username');
      if (!usernameFree.ok) return usernameFree;
    }
    const row = await trx
      .insertInto('patrons')
      .values({
        barcode: input.barcode,
        first_name: input.firstName,
        last_name: input.lastName,
        home_library_id: home.value.id,
        email,
        phone,
        notify_by: notifyBy.value,
        username,
        password_hash: passwordHash,
        created_at: ctx.clock.now(),
        updated_at: ctx.clock.now(),
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return refuse('DUPLICATE', `The card barcode ${input.barcode} or user name is already in use.`);
    const { password: _secret, ...facts } = input;
    await recordEvent(trx, {
      at: ctx.clock.now(),
      kind: 'patron-created',
      patron_id: row.id,
      library_id: home.value.id,
      ...actorEventFields(ctx.actor),
      data: { ...facts, notifyBy: notifyBy.value, hasPassword: passwordHash !== null },
    });
    return ok(row.id);
  });
  if (!result.ok) return result;
  return ok(await loadPatronView(ctx.db, result.value));
}

/** LIKE treats % and _ as wildcards; a desk search means them literally. */
function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Desk search: a card barcode (whole or its start) or a name, "first last" or "last, first". */
export async function searchPatrons(ctx: ServiceContext, search: PatronSearch): Promise<Result<PatronView[]>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const q = search.q.trim().replace(/\s+/g, ' ').replace(/\s*,\s*/g, ', ');
  if (q === '') return invalid('q', 'Type a card barcode or a name to search for.');
  const prefix = likePrefix(q.toLowerCase());
  const rows = await patronViewQuery(ctx.db)
    .where(
      sql<boolean>`(patrons.barcode = ${q}
        OR lower(patrons.barcode) LIKE ${prefix}
        OR lower(patrons.first_name) LIKE ${prefix}
        OR lower(patrons.last_name) LIKE ${prefix}
        OR lower(patrons.first_name || ' ' || patrons.last_name) LIKE ${prefix}
        OR lower(patrons.last_name || ', ' || patrons.first_name) LIKE ${prefix})`,
    )
    // the card in hand first, then the alphabetical list a librarian expects
    .orderBy(sql`patrons.barcode = ${q}`, 'desc')
    .orderBy(sql`lower(patrons.last_name)`)
    .orderBy(sql`lower(patrons.first_name)`)
    .orderBy('patrons.barcode')
    .limit(search.limit)
    .offset(search.offset)
    .execute();
  return ok(rows.map(toPatronView));
}

export async function getPatron(ctx: ServiceContext, barcode: string): Promise<Result<PatronDetail>> {
  const who = requireSignedIn(ctx.actor);
  if (!who.ok) return who;
  // A patron is refused another card before looking it up, so the answer does not tell whether it exists.
  if (who.value.kind === 'patron' && who.value.barcode !== barcode) return refuse('FORBIDDEN', 'You may see only your own account.');
  const patron = await findPatronByBarcode(ctx.db, barcode);
  if (!patron) return notFound(`Patron ${barcode}`);
  return ok(await loadPatronDetail(ctx.db, patron.id));
}

export async function updatePatron(ctx: ServiceContext, barcode: string, patch: PatronPatch): Promise<Result<PatronView>> {
  const who = requireSignedIn(ctx.actor);
  if (!who.ok) return who;
  const self = who.value.kind === 'patron';
  if (who.value.kind === 'patron') {
    if (who.value.barcode !== barcode) return refuse('FORBIDDEN', 'You may change only your own account.');
    const staffOnly = staffOnlyFields.filter((f) => patch[f] !== undefined);
    if (staffOnly.length > 0) return refuse('FORBIDDEN', `Only library staff may change ${staffOnly.join(', ')}.`);
  }
  const current = await findPatronByBarcode(ctx.db, barcode);
  if (!current) return notFound(`Patron ${barcode}`);
  const { currentPassword: _proof, ...changes } = patch;
  if (Object.values(changes).every((v) => v === undefined)) return ok(await loadPatronView(ctx.db, current.id));
  let passwordHash: string | undefined;
  if (patch.password !== undefined) {
    const password = checkNewPassword(patch.password, [patch.username ?? current.username, current.barcode]);
    if (!password.ok) return password;
    // Staff at the desk have seen the card; a signed-in patron proves it is them once more.
    if (self) {
      if (patch.currentPassword === undefined) return invalid('currentPassword', 'Give your current password to set a new one.');
      if (!current.password_hash || !(await verifyPassword(current.password_hash, patch.currentPassword))) {
        return invalid('currentPassword', 'The current password is not right.');
      }
    }
    passwordHash = await hashPassword(patch.password);
  }
  const result = await inTransaction(ctx, (trx) => applyPatronPatch(ctx, trx, current.id, patch, passwordHash));
  if (!result.ok) return result;
  return ok(await loadPatronView(ctx.db, current.id));
}

async function applyPatronPatch(ctx: ServiceContext, trx: Tx, patronId: number, patch: PatronPatch, passwordHash: string | undefined): Promise<Result<null>> {
  // Locked, so that the checks below see what the update will change (e.g. no email removed meanwhile).
  const row = await trx.selectFrom('patrons').selectAll().where('id', '=', patronId).forUpdate().executeTakeFirstOrThrow();
  let homeLibraryId: number | undefined;
  if (patch.homeLibraryCode !== undefined) {
    const home = await memberLibrary(trx, patch.homeLibraryCode, 'homeLibraryCode');
    if (!home.ok) return home;
    homeLibraryId = home.value.id;
  }
  let pickupLibraryId: number | null | undefined;
  if (patch.defaultPickupLibraryCode === null) pickupLibraryId = null;
  else if (patch.defaultPickupLibraryCode !== undefined) {
    const pickup = await memberLibrary(trx, patch.defaultPickupLibraryCode, 'defaultPickupLibraryCode');
    if (!pickup.ok) return pickup;
    pickupLibraryId = pickup.value.id;
  }
  const email = patch.email === undefined ? row.email : patch.email;
  const phone = patch.phone === undefined ? row.phone : patch.phone;
  const notifyBy = checkNotifyBy(patch.notifyBy ?? row.notify_by, email, phone);
  if (!notifyBy.ok) return notifyBy;
  const block = blockAfter(row, patch);
  if (!block.ok) return block;
  const newName = patch.username ?? null;
  if (newName !== null && newName.toLowerCase() !== row.username?.toLowerCase()) {
    await lockSignInNames(trx, [newName]);
    const free = await checkSignInNameFree(trx, newName, 'username', row.id);
    if (!free.ok) return free;
  }
  await trx
    .updateTable('patrons')
    .set({
      first_name: patch.firstName,
      last_name: patch.lastName,
      home_library_id: homeLibraryId,
      email,
      phone,
      notify_by: notifyBy.value,
      default_pickup_library_id: pickupLibraryId,
      username: patch.username,
      password_hash: passwordHash,
      blocked: block.value.blocked,
      block_reason: block.value.reason,
      updated_at: ctx.clock.now(),
    })
    .where('id', '=', row.id)
    .execute();
  // A new password ends the sessions of whoever knew the old one (not the patron's own, here).
  if (passwordHash !== undefined) await endOtherSessions(trx, { patronId: row.id }, ctx.sessionKey);
  const { password: _secret, currentPassword: _check, ...facts } = patch;
  const kind = block.value.blocked === row.blocked ? 'patron-updated' : block.value.blocked ? 'patron-blocked' : 'patron-unblocked';
  await recordEvent(trx, {
    at: ctx.clock.now(),
    kind,
    patron_id: row.id,
    library_id: homeLibraryId ?? row.home_library_id,
    reason: kind === 'patron-blocked' ? block.value.reason : null,
    ...actorEventFields(ctx.actor),
    data: { ...facts, ...(passwordHash !== undefined ? { passwordChanged: true } : {}) },
  });
  return ok(null);
}

/** Blocking needs a reason the next librarian can read; unblocking forgets it. */
function blockAfter(row: PatronRow, patch: PatronPatch): Result<{ blocked: boolean; reason: string | null }> {
  const blocked = patch.blocked ?? row.blocked;
  if (!blocked) {
    if (patch.blockReason !== undefined) return invalid('blockReason', 'Only a blocked patron has a block reason.');
    return ok({ blocked: false, reason: null });
  }
  const reason = patch.blockReason ?? row.block_reason;
  if (!reason) return invalid('blockReason', 'Say why the patron is blocked.');
  return ok({ blocked: true, reason });
}
