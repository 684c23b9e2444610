import type { Kysely } from 'kysely';
import { noticeKinds, templateFor, type NoticeKind, type NoticeTemplate } from '../domain/notices/notice-templates';
import type { Database, LibraryRow, OpeningHours } from '../db/schema';

export interface LibraryRef {
  code: string;
  name: string;
}

export interface ClosedDates {
  from: string;
  to: string;
  reason?: string;
}

export interface LibraryView extends LibraryRef {
  kind: 'library' | 'system';
  parentCode: string | null;
  parent: LibraryRef | null;
  participatesInLending: boolean;
  email: string | null;
  phone: string | null;
  timezone: string;
  openingHours: OpeningHours;
  closedDates: ClosedDates[];
  holdShelfDays: number;
  loanDays: number;
  /** The text of each notice kind as this library sends it: its own, or the default. */
  noticeTemplates: Record<NoticeKind, NoticeTemplate>;
  /** The kinds worded by the library itself rather than by default. */
  customNoticeKinds: NoticeKind[];
}

/** Every library with its parent and closed dates, in two queries. */
export async function loadLibraryViews(db: Kysely<Database>, onlyIds?: number[]): Promise<LibraryView[]> {
  if (onlyIds && onlyIds.length === 0) return [];
  let query = db.selectFrom('libraries').selectAll().orderBy('code');
  if (onlyIds) query = query.where('id', 'in', onlyIds);
  const rows = await query.execute();
  const parents = new Map<number, LibraryRef>();
  const parentIds = [...new Set(rows.map((r) => r.parent_id).filter((id): id is number => id !== null))];
  if (parentIds.length > 0) {
    for (const p of await db.selectFrom('libraries').select(['id', 'code', 'name']).where('id', 'in', parentIds).execute()) {
      parents.set(p.id, { code: p.code, name: p.name });
    }
  }
  const closed = rows.length
    ? await db
        .selectFrom('library_closed_dates')
        .selectAll()
        .where('library_id', 'in', rows.map((r) => r.id))
        .orderBy('from_date')
        .execute()
    : [];
  return rows.map((row) => toView(row, row.parent_id === null ? null : (parents.get(row.parent_id) ?? null), closed.filter((c) => c.library_id === row.id)));
}

function toView(row: LibraryRow, parent: LibraryRef | null, closed: { from_date: string; to_date: string; reason: string | null }[]): LibraryView {
  return {
    code: row.code,
    name: row.name,
    kind: row.kind,
    parentCode: parent?.code ?? null,
    parent,
    participatesInLending: row.participates_in_lending,
    email: row.email,
    phone: row.phone,
    timezone: row.timezone,
    openingHours: row.opening_hours,
    closedDates: closed.map((c) => ({ from: c.from_date, to: c.to_date, ...(c.reason ? { reason: c.reason } : {}) })),
    holdShelfDays: row.hold_shelf_days,
    loanDays: row.loan_days,
    noticeTemplates: Object.fromEntries(noticeKinds.map((kind) => [kind, templateFor(kind, row.notice_templates)])) as Record<NoticeKind, NoticeTemplate>,
    customNoticeKinds: noticeKinds.filter((kind) => row.notice_templates[kind] !== undefined),
  };
}

export async function findLibraryByCode(db: Kysely<Database>, code: string): Promise<LibraryRow | undefined> {
  return db.selectFrom('libraries').selectAll().where('code', '=', code).executeTakeFirst();
}
