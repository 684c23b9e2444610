import type { Db } from '../context';
import { toItemRef, type ItemRef } from '../item-view';
import type { LibraryRef } from '../library-view';
import { toPatronRef, type PatronRef } from '../patron-view';

// A loan as the desk and the patron see it: what, to whom, where it was lent and when it is due.
export interface LoanView {
  id: number;
  dueDate: string;
  checkedOutAt: string;
  renewals: number;
  item: ItemRef & { title: string };
  patron: PatronRef;
  /** The library whose desk lent it, where it is to be returned. */
  library: LibraryRef;
  overrideReason: string | null;
  returnedAt: string | null;
}

export async function loadLoanView(db: Db, loanId: number): Promise<LoanView | undefined> {
  const row = await db
    .selectFrom('loans')
    .innerJoin('items', 'items.id', 'loans.item_id')
    .innerJoin('records', 'records.id', 'items.record_id')
    .innerJoin('libraries as owner', 'owner.id', 'items.owning_library_id')
    .innerJoin('libraries as desk', 'desk.id', 'loans.library_id')
    .innerJoin('patrons', 'patrons.id', 'loans.patron_id')
    .select([
      'loans.id',
      'loans.due_date',
      'loans.checked_out_at',
      'loans.renewals',
      'loans.override_reason',
      'loans.returned_at',
      'items.barcode',
      'items.status',
      'records.title',
      'owner.code',
      'owner.name',
      'desk.code as desk_code',
      'desk.name as desk_name',
      'patrons.barcode as patron_barcode',
      'patrons.first_name',
      'patrons.last_name',
    ])
    .where('loans.id', '=', loanId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    dueDate: row.due_date,
    checkedOutAt: row.checked_out_at.toISOString(),
    renewals: row.renewals,
    item: { ...toItemRef(row), title: row.title },
    patron: toPatronRef({ barcode: row.patron_barcode, first_name: row.first_name, last_name: row.last_name }),
    library: { code: row.desk_code, name: row.desk_name },
    overrideReason: row.override_reason,
    returnedAt: row.returned_at ? row.returned_at.toISOString() : null,
  };
}

/** A due date as the desk says it aloud: "Tuesday, March 25, 2025". */
export function sayDueDate(date: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }).format(new Date(`${date}T12:00:00Z`));
}
