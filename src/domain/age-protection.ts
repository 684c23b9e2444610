// Age protection (DESIGN §4 "Holds"): for 1, 3 or 6 months after an item was cataloged, only
// patrons of its owning library may hold it, so that a library's own readers get its new
// books first. Dates are plain 'YYYY-MM-DD' strings in the owning library's time zone.

export const ageProtections = ['none', '1m', '3m', '6m'] as const;
export type AgeProtection = (typeof ageProtections)[number];

export function isAgeProtection(value: string): value is AgeProtection {
  return (ageProtections as readonly string[]).includes(value);
}

export function protectionMonths(protection: AgeProtection): number {
  switch (protection) {
    case 'none':
      return 0;
    case '1m':
      return 1;
    case '3m':
      return 3;
    case '6m':
      return 6;
  }
}

function daysInMonth(year: number, month: number): number {
  // month is 1-based; day 0 of the next month is the last day of this one
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * `date` plus `months` calendar months. A day the target month lacks becomes its last day
 * (31 January + 1 month = 28 or 29 February), so protection never runs into a third month.
 */
export function addCalendarMonths(date: string, months: number): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return `${pad(targetYear, 4)}-${pad(targetMonth)}-${pad(targetDay)}`;
}

/** The first day the item is no longer protected, or null when it never was. */
export function protectedUntil(catalogedAt: string, protection: AgeProtection): string | null {
  const months = protectionMonths(protection);
  return months === 0 ? null : addCalendarMonths(catalogedAt, months);
}

/** Whether on `today` (the owning library's date) only its own patrons may hold the item. */
export function isAgeProtected(catalogedAt: string, protection: AgeProtection, today: string): boolean {
  const until = protectedUntil(catalogedAt, protection);
  // plain ISO dates compare correctly as strings
  return until !== null && today < until;
}
