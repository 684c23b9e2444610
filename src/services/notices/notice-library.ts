import { renderNotice, type NoticeKind, type NoticeTemplate, type NoticeValues } from '../../domain/notices/notice-templates';
import { openingHoursInWords } from '../../domain/notices/notice-wording';
import type { OpeningHours } from '../../db/schema';
import type { Db } from '../context';

// What a notice needs of the library it speaks for: its name, hours, time zone and its own
// wording of each kind (libraries.notice_templates).

export interface NoticeLibrary {
  id: number;
  name: string;
  timezone: string;
  openingHours: OpeningHours;
  templates: Record<string, NoticeTemplate>;
}

export async function loadNoticeLibraries(db: Db, ids: readonly number[]): Promise<Map<number, NoticeLibrary>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('libraries')
    .select(['id', 'name', 'timezone', 'opening_hours', 'notice_templates'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, timezone: r.timezone, openingHours: r.opening_hours, templates: r.notice_templates }]));
}

/** The subject and body in the library's words; its name and hours are filled in here. */
export function composeNotice(kind: NoticeKind, library: Pick<NoticeLibrary, 'name' | 'openingHours' | 'templates'>, values: NoticeValues): NoticeTemplate {
  return renderNotice(kind, library.templates, { libraryName: library.name, hours: openingHoursInWords(library.openingHours), ...values });
}
