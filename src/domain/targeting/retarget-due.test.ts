import { describe, expect, it } from 'vitest';
import type { LibraryCalendar } from '../calendar/library-calendar';
import { retargetDueAt } from './retarget-due';

const week: LibraryCalendar['openingHours'] = {
  mon: ['09:00', '17:00'],
  tue: ['09:00', '17:00'],
  wed: ['09:00', '17:00'],
  thu: ['09:00', '17:00'],
  fri: ['09:00', '17:00'],
  sat: ['09:00', '17:00'],
  sun: null,
};
// America/New_York in March 2025 before the 9th is UTC-5, after it UTC-4; this test only needs
// dates, so a fixed offset of 5 hours is enough.
const localDateOf = (at: Date): string => new Date(at.getTime() - 5 * 3_600_000).toISOString().slice(0, 10);

describe('retargetDueAt (scenario 9)', () => {
  it.each([
    ['Monday 10:00, open all week → Tuesday 10:00', '2025-03-03T15:00:00Z', [], '2025-03-04T15:00:00.000Z'],
    ['closed all of Tuesday → Wednesday 10:00', '2025-03-03T15:00:00Z', [{ from: '2025-03-04', to: '2025-03-04' }], '2025-03-05T15:00:00.000Z'],
    ['Saturday 10:00, closed Sunday → Monday 10:00', '2025-03-01T15:00:00Z', [], '2025-03-03T15:00:00.000Z'],
    ['Saturday, closed Sunday and Monday → Tuesday', '2025-03-01T15:00:00Z', [{ from: '2025-03-03', to: '2025-03-03' }], '2025-03-04T15:00:00.000Z'],
  ] as const)('%s', (_name, at, closed, due) => {
    const calendar: LibraryCalendar = { openingHours: week, closedDates: closed };
    expect(retargetDueAt(new Date(at), 24, calendar, localDateOf).toISOString()).toBe(due);
  });
});
