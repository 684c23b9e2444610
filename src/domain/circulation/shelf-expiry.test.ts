import { describe, expect, it } from 'vitest';
import type { LibraryCalendar } from '../calendar/library-calendar';
import { dueDate, shelfExpiresAt } from './shelf-expiry';

const week: LibraryCalendar['openingHours'] = {
  mon: ['09:00', '17:00'],
  tue: ['09:00', '17:00'],
  wed: ['09:00', '17:00'],
  thu: ['09:00', '17:00'],
  fri: ['09:00', '17:00'],
  sat: ['09:00', '17:00'],
  sun: null,
};
const tz = 'America/New_York';
const at = (closed: { from: string; to: string }[] = []) => ({ calendar: { openingHours: week, closedDates: closed }, timezone: tz, holdShelfDays: 7 });

describe('shelfExpiresAt', () => {
  it.each([
    ['17. Monday 10:00 → next Monday 17:00 local, 21:00 UTC in daylight time', '2025-03-03T15:00:00Z', [], '2025-03-10T21:00:00.000Z'],
    ['20. B closed 03-10 to 03-11 → Wednesday 03-12 17:00', '2025-03-03T15:00:00Z', [{ from: '2025-03-10', to: '2025-03-11' }], '2025-03-12T21:00:00.000Z'],
    ['a Monday shelving late in the evening counts the local day', '2025-03-04T02:00:00Z', [], '2025-03-10T21:00:00.000Z'],
    ['a Sunday expiry moves to Monday', '2025-03-02T15:00:00Z', [], '2025-03-10T21:00:00.000Z'],
    ['standard time: 17:00 is 22:00 UTC', '2025-01-06T15:00:00Z', [], '2025-01-13T22:00:00.000Z'],
  ] as const)('%s', (_name, shelved, closed, expires) => {
    expect(shelfExpiresAt(new Date(shelved), at([...closed])).toISOString()).toBe(expires);
  });
});

describe('dueDate', () => {
  it.each([
    ['24. 21 days from Monday 03-03 land on B\'s closed 03-24 → 03-25', '2025-03-03T15:00:00Z', [{ from: '2025-03-24', to: '2025-03-24' }], '2025-03-25'],
    ['21 days from Monday 03-03 → Monday 03-24', '2025-03-03T15:00:00Z', [], '2025-03-24'],
    ['a due date on Sunday moves to Monday', '2025-03-09T15:00:00Z', [], '2025-03-31'],
  ] as const)('%s', (_name, out, closed, due) => {
    expect(dueDate(new Date(out), 21, at([...closed]))).toBe(due);
  });
});
