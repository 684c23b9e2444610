import { invalid, ok, type Result } from '../../domain/refusal';

// A report's period: two plain dates, both days included, read on the library's own calendar
// (a hold placed at 21:00 on March 31st in Maine is a March hold, though it is April in UTC).

export interface ReportPeriod {
  from: string;
  to: string;
}

const plainDate = /^\d{4}-\d{2}-\d{2}$/;

function isPlainDate(value: string): boolean {
  if (!plainDate.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

export function checkPeriod(from: string, to: string): Result<ReportPeriod> {
  if (!isPlainDate(from)) return invalid('from', 'from is a date written YYYY-MM-DD.');
  if (!isPlainDate(to)) return invalid('to', 'to is a date written YYYY-MM-DD.');
  if (to < from) return invalid('to', `The period ends (${to}) before it starts (${from}).`);
  return ok({ from, to });
}

/** The day after a plain date: a period ends where its next day starts. */
export function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
