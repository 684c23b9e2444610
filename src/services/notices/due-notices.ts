import { sql, type Kysely } from 'kysely';
import { addDays } from '../../domain/calendar/library-calendar';
import { loanNoticeDue, shelfReminderDue } from '../../domain/notices/due-notices';
import { dateInWords, momentInWords } from '../../domain/notices/notice-wording';
import type { Database } from '../../db/schema';
import { localDate } from '../local-date';
import { patronName } from '../patron-view';
import type { NoticeRow } from './hold-ready-notice';
import { composeNotice, loadNoticeLibraries } from './notice-library';

// Job `due-notices`: queues the notices the calendar brings — courtesy before a due date,
// overdue after it, the reminder the day before a held item leaves the shelf. Each is an outbox
// row the `notices` job sends; the database keeps each to once per loan (notices_once_per_loan)
// or per hold (notices_once_per_hold_reminder), so two runs, or two processes, never queue one
// twice. By email only, to patrons who chose email: a phone call is for an item to collect.

export interface DueNoticeSummary {
  courtesy: number;
  overdue: number;
  shelfReminders: number;
}

const wantsEmail = (notifyBy: readonly string[], email: string | null): email is string => notifyBy.includes('email') && email !== null;

export async function queueDueNotices(db: Kysely<Database>, now: Date): Promise<DueNoticeSummary> {
  const { courtesy_notice_days: courtesyDays } = await db.selectFrom('consortium').select('courtesy_notice_days').executeTakeFirstOrThrow();
  const loanRows = await loanNotices(db, now, courtesyDays);
  const reminderRows = await shelfReminders(db, now);
  const inserted = async (rows: NoticeRow[], conflict: 'loan' | 'hold'): Promise<{ kind: string }[]> => {
    if (rows.length === 0) return [];
    return db
      .insertInto('notices')
      .values(rows)
      .onConflict((oc) =>
        conflict === 'loan'
          ? oc.columns(['loan_id', 'kind']).where('loan_id', 'is not', null).doNothing()
          : oc.column('hold_id').where('kind', '=', 'shelf-expiry-reminder').doNothing(),
      )
      .returning('kind')
      .execute();
  };
  const loans = await inserted(loanRows, 'loan');
  const reminders = await inserted(reminderRows, 'hold');
  return {
    courtesy: loans.filter((r) => r.kind === 'courtesy').length,
    overdue: loans.filter((r) => r.kind === 'overdue').length,
    shelfReminders: reminders.length,
  };
}

/** Open loans due within the courtesy window anywhere (or overdue) that lack the notice due today. */
async function loanNotices(db: Kysely<Database>, now: Date, courtesyDays: number): Promise<NoticeRow[]> {
  // a day past the UTC date covers every zone west and east of it; each loan is then judged by
  // its own desk's date
  const latestDue = addDays(localDate(now, 'UTC'), 1 + courtesyDays);
  const loans = await db
    .selectFrom('loans as l')
    .innerJoin('patrons as p', 'p.id', 'l.patron_id')
    .innerJoin('items as i', 'i.id', 'l.item_id')
    .innerJoin('records as r', 'r.id', 'i.record_id')
    .innerJoin('libraries as desk', 'desk.id', 'l.library_id')
    .select([
      'l.id',
      'l.patron_id',
      'l.library_id',
      'l.due_date',
      'l.checked_out_at',
      'desk.timezone',
      'p.first_name',
      'p.last_name',
      'p.email',
      'p.notify_by',
      'r.title',
      sql<boolean>`EXISTS (SELECT 1 FROM notices n WHERE n.loan_id = l.id AND n.kind = 'courtesy')`.as('has_courtesy'),
    ])
    .where('l.returned_at', 'is', null)
    .where('l.due_date', '<=', latestDue)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('notices as n').select('n.id').whereRef('n.loan_id', '=', 'l.id').where('n.kind', '=', 'overdue'))))
    .execute();
  const due = loans.flatMap((loan) => {
    if (!wantsEmail(loan.notify_by, loan.email)) return [];
    const kind = loanNoticeDue({ dueDate: loan.due_date, lentOn: localDate(loan.checked_out_at, loan.timezone) }, localDate(now, loan.timezone), courtesyDays);
    if (kind === null || (kind === 'courtesy' && loan.has_courtesy)) return [];
    return [{ loan, kind, email: loan.email }];
  });
  const libraries = await loadNoticeLibraries(db, due.map((d) => d.loan.library_id));
  return due.map(({ loan, kind, email }): NoticeRow => {
    const text = composeNotice(kind, libraries.get(loan.library_id)!, { patronName: patronName(loan.first_name, loan.last_name), title: loan.title, dueDate: dateInWords(loan.due_date) });
    return {
      kind,
      channel: 'email',
      patron_id: loan.patron_id,
      library_id: loan.library_id,
      loan_id: loan.id,
      due_date: loan.due_date,
      to_address: email,
      ...text,
      created_at: now,
      send_after: now,
    };
  });
}

/** Holds on a shelf whose last day has come, not yet reminded. */
async function shelfReminders(db: Kysely<Database>, now: Date): Promise<NoticeRow[]> {
  const holds = await db
    .selectFrom('holds as h')
    .innerJoin('patrons as p', 'p.id', 'h.patron_id')
    .innerJoin('records as r', 'r.id', 'h.record_id')
    .select(['h.id', 'h.patron_id', 'h.pickup_library_id', 'h.notify_by', 'h.shelved_at', 'h.shelf_expires_at', 'p.first_name', 'p.last_name', 'p.email', 'r.title'])
    .where('h.status', '=', 'on-holds-shelf')
    .where('h.shelf_expires_at', '>', now)
    .where('h.shelf_expires_at', '<=', new Date(now.getTime() + 86_400_000))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('notices as n').select('n.id').whereRef('n.hold_id', '=', 'h.id').where('n.kind', '=', 'shelf-expiry-reminder'))))
    .execute();
  const due = holds.filter((h) => h.shelved_at !== null && h.shelf_expires_at !== null && shelfReminderDue(h.shelved_at, h.shelf_expires_at, now) && wantsEmail(h.notify_by, h.email));
  const libraries = await loadNoticeLibraries(db, due.map((h) => h.pickup_library_id));
  return due.map((h): NoticeRow => {
    const library = libraries.get(h.pickup_library_id)!;
    const text = composeNotice('shelf-expiry-reminder', library, {
      patronName: patronName(h.first_name, h.last_name),
      title: h.title,
      pickupBy: momentInWords(h.shelf_expires_at!, library.timezone),
    });
    return {
      kind: 'shelf-expiry-reminder',
      channel: 'email',
      patron_id: h.patron_id,
      library_id: h.pickup_library_id,
      hold_id: h.id,
      to_address: h.email,
      ...text,
      created_at: now,
      send_after: now,
    };
  });
}
