import { sql } from 'kysely';
import { requireOwnLibrary, requireStaff } from '../domain/actor';
import { checkTemplates, type NoticeKind, type NoticeTemplate } from '../domain/notices/notice-templates';
import { invalid, notFound, ok, refuse, type Result } from '../domain/refusal';
import { recordEvent } from '../db/events';
import type { OpeningHours } from '../db/schema';
import { actorEventFields, type ServiceContext, type Tx } from './context';
import { inTransaction } from './transaction';
import { findLibraryByCode, loadLibraryViews, type ClosedDates, type LibraryView } from './library-view';

export interface NewLibrary {
  code: string;
  name: string;
  kind?: 'library' | 'system';
  parentCode?: string | null;
  participatesInLending?: boolean;
  email?: string | null;
  phone?: string | null;
  timezone?: string;
}

export interface LibraryPatch extends Partial<NewLibrary> {
  openingHours?: OpeningHours;
  closedDates?: ClosedDates[];
  holdShelfDays?: number;
  loanDays?: number;
  /** The library's wording per notice kind; null returns a kind to the default. */
  noticeTemplates?: Partial<Record<NoticeKind, NoticeTemplate | null>>;
}

// What only the consortium may change: the shape of the tree and the lending program.
const consortiumFields = ['code', 'kind', 'parentCode', 'participatesInLending'] as const;

export function isKnownTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

async function resolveParent(trx: Tx, kind: 'library' | 'system', parentCode: string | null | undefined): Promise<Result<number | null>> {
  if (parentCode === undefined || parentCode === null) return ok(null);
  if (kind === 'system') return invalid('parentCode', 'A system sits directly in the consortium and has no parent.');
  const parent = await findLibraryByCode(trx, parentCode);
  if (!parent) return invalid('parentCode', `There is no system with code ${parentCode}.`);
  if (parent.kind !== 'system') return invalid('parentCode', `${parentCode} is a library, not a system: branches sit inside a system.`);
  return ok(parent.id);
}

export async function listLibraries(ctx: ServiceContext): Promise<Result<LibraryView[]>> {
  return ok(await loadLibraryViews(ctx.db));
}

export async function getLibrary(ctx: ServiceContext, code: string): Promise<Result<LibraryView>> {
  const row = await findLibraryByCode(ctx.db, code);
  if (!row) return notFound(`Library ${code}`);
  return ok((await loadLibraryViews(ctx.db, [row.id]))[0]);
}

export async function createLibrary(ctx: ServiceContext, input: NewLibrary): Promise<Result<LibraryView>> {
  const admin = requireStaff(ctx.actor, 'consortium-admin');
  if (!admin.ok) return admin;
  if (input.timezone !== undefined && !isKnownTimezone(input.timezone)) return invalid('timezone', `${input.timezone} is not a known time zone.`);
  const kind = input.kind ?? 'library';
  const result = await inTransaction(ctx, async (trx): Promise<Result<number>> => {
    if (await findLibraryByCode(trx, input.code)) return refuse('DUPLICATE', `A library with code ${input.code} already exists.`);
    const parent = await resolveParent(trx, kind, input.parentCode);
    if (!parent.ok) return parent;
    const row = await trx
      .insertInto('libraries')
      .values({
        code: input.code,
        name: input.name,
        kind,
        parent_id: parent.value,
        participates_in_lending: input.participatesInLending ?? true,
        email: input.email ?? null,
        phone: input.phone ?? null,
        timezone: input.timezone,
        opening_hours: JSON.stringify(defaultOpeningHours),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordEvent(trx, { at: ctx.clock.now(), kind: 'library-created', library_id: row.id, ...actorEventFields(ctx.actor), data: { ...input } });
    return ok(row.id);
  });
  if (!result.ok) return result;
  return ok((await loadLibraryViews(ctx.db, [result.value]))[0]);
}

/** Open Monday to Saturday, 09:00–17:00, until the library says otherwise. */
export const defaultOpeningHours: OpeningHours = {
  mon: ['09:00', '17:00'],
  tue: ['09:00', '17:00'],
  wed: ['09:00', '17:00'],
  thu: ['09:00', '17:00'],
  fri: ['09:00', '17:00'],
  sat: ['09:00', '17:00'],
  sun: null,
};

export async function updateLibrary(ctx: ServiceContext, code: string, patch: LibraryPatch): Promise<Result<LibraryView>> {
  const staff = requireStaff(ctx.actor, 'library-admin');
  if (!staff.ok) return staff;
  const row = await findLibraryByCode(ctx.db, code);
  if (!row) return notFound(`Library ${code}`);
  const own = requireOwnLibrary(staff.value, row.id, row.code);
  if (!own.ok) return own;
  const touchesConsortium = consortiumFields.filter((f) => patch[f] !== undefined);
  if (touchesConsortium.length > 0 && staff.value.role !== 'consortium-admin') {
    return refuse('FORBIDDEN', `Only a consortium administrator may change ${touchesConsortium.join(', ')}.`);
  }
  if (patch.timezone !== undefined && !isKnownTimezone(patch.timezone)) return invalid('timezone', `${patch.timezone} is not a known time zone.`);
  if (patch.noticeTemplates !== undefined) {
    const texts = checkTemplates(patch.noticeTemplates);
    if (!texts.ok) return texts;
  }
  const result = await inTransaction(ctx, async (trx): Promise<Result<null>> => {
    const kind = patch.kind ?? row.kind;
    if (patch.code !== undefined && patch.code !== row.code && (await findLibraryByCode(trx, patch.code))) {
      return refuse('DUPLICATE', `A library with code ${patch.code} already exists.`);
    }
    if (patch.kind !== undefined && patch.kind !== row.kind) {
      const changed = await kindChangeAllowed(trx, row.id, patch.kind);
      if (!changed.ok) return changed;
    }
    let parentId: number | null | undefined;
    if (patch.parentCode !== undefined) {
      const parent = await resolveParent(trx, kind, patch.parentCode);
      if (!parent.ok) return parent;
      parentId = parent.value;
    } else if (kind === 'system' && row.parent_id !== null) {
      return invalid('kind', 'A branch inside a system cannot become a system itself.');
    }
    const columns = Object.fromEntries(
      Object.entries({
        code: patch.code,
        name: patch.name,
        kind: patch.kind,
        parent_id: parentId,
        participates_in_lending: patch.participatesInLending,
        email: patch.email,
        phone: patch.phone,
        timezone: patch.timezone,
        opening_hours: patch.openingHours === undefined ? undefined : JSON.stringify(patch.openingHours),
        hold_shelf_days: patch.holdShelfDays,
        loan_days: patch.loanDays,
      }).filter(([, value]) => value !== undefined),
    );
    // a patch of closed dates alone changes no column of the library row
    if (Object.keys(columns).length > 0) await trx.updateTable('libraries').set(columns).where('id', '=', row.id).execute();
    if (patch.noticeTemplates !== undefined) await saveNoticeTemplates(trx, row.id, patch.noticeTemplates);
    if (patch.closedDates !== undefined) {
      await trx.deleteFrom('library_closed_dates').where('library_id', '=', row.id).execute();
      if (patch.closedDates.length > 0) {
        await trx
          .insertInto('library_closed_dates')
          .values(patch.closedDates.map((c) => ({ library_id: row.id, from_date: c.from, to_date: c.to, reason: c.reason ?? null })))
          .execute();
      }
    }
    await recordEvent(trx, { at: ctx.clock.now(), kind: 'library-updated', library_id: row.id, ...actorEventFields(ctx.actor), data: { ...patch } });
    return ok(null);
  });
  if (!result.ok) return result;
  return ok((await loadLibraryViews(ctx.db, [row.id]))[0]);
}

/** Merges the kinds given into the library's texts; a kind given as null goes back to the default. */
async function saveNoticeTemplates(trx: Tx, libraryId: number, templates: Partial<Record<NoticeKind, NoticeTemplate | null>>): Promise<void> {
  const entries = Object.entries(templates);
  const set = Object.fromEntries(entries.filter(([, t]) => t !== null));
  const reset = entries.filter(([, t]) => t === null).map(([kind]) => kind);
  await trx
    .updateTable('libraries')
    .set({ notice_templates: sql<string>`(notice_templates || ${JSON.stringify(set)}::jsonb) - ${reset}::text[]` })
    .where('id', '=', libraryId)
    .execute();
}

async function kindChangeAllowed(trx: Tx, libraryId: number, kind: 'library' | 'system'): Promise<Result<null>> {
  if (kind === 'system') {
    const item = await trx.selectFrom('items').select('id').where('owning_library_id', '=', libraryId).executeTakeFirst();
    if (item) return refuse('INVALID_STATE', 'This library owns items, and a system holds no items; it cannot become a system.');
    const staff = await trx.selectFrom('staff').select('id').where('library_id', '=', libraryId).executeTakeFirst();
    const patron = await trx.selectFrom('patrons').select('id').where('home_library_id', '=', libraryId).executeTakeFirst();
    if (staff || patron) return refuse('INVALID_STATE', 'This library has staff or patrons; it cannot become a system.');
    return ok(null);
  }
  const branch = await trx.selectFrom('libraries').select('id').where('parent_id', '=', libraryId).executeTakeFirst();
  if (branch) return refuse('INVALID_STATE', 'This system still has branches; move them first.');
  return ok(null);
}
