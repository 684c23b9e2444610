import { requireSignedIn } from '../../domain/actor';
import { notFound, ok, refuse, type Result } from '../../domain/refusal';
import { loadLoanView, type LoanView } from '../circulation/loan-view';
import type { ServiceContext } from '../context';
import { libraryLabel, shortTitle, type SlipContent } from './slip-content';

// The due-date slip the patron takes home with a checkout: what, and when it is due back where.

/** A plain date 'YYYY-MM-DD' in words, e.g. "Tuesday, March 25, 2025"; a date has no zone. */
function dueDateInWords(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function dueDateSlipContent(loan: LoanView): SlipContent {
  return {
    title: `Due date slip: ${loan.item.barcode}`,
    fileName: `due-date-slip-${loan.id}`,
    lines: [
      { kind: 'kicker', text: loan.library.name },
      { kind: 'headline', label: 'Due', text: dueDateInWords(loan.dueDate) },
      { kind: 'field', label: 'Title', text: shortTitle(loan.item.title) },
      { kind: 'barcode', text: loan.item.barcode },
      { kind: 'field', label: 'Borrower', text: loan.patron.name },
      { kind: 'field', label: 'Return to', text: `${libraryLabel(loan.library)} or any library of the consortium` },
    ],
    copies: 1,
  };
}

/** Staff print it at the desk; the borrower may read their own. */
export async function loadDueDateSlip(ctx: ServiceContext, loanId: number): Promise<Result<LoanView>> {
  const signedIn = requireSignedIn(ctx.actor);
  if (!signedIn.ok) return signedIn;
  const loan = await loadLoanView(ctx.db, loanId);
  if (!loan) return notFound(`Loan ${loanId}`);
  if (ctx.actor.kind === 'patron' && ctx.actor.barcode !== loan.patron.barcode) return refuse('FORBIDDEN', 'A patron sees only their own loans.');
  return ok(loan);
}
