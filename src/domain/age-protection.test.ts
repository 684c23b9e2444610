import { describe, expect, it } from 'vitest';
import { addCalendarMonths, isAgeProtected, protectedUntil, type AgeProtection } from './age-protection';

describe('protectedUntil', () => {
  it.each<[string, AgeProtection, string | null]>([
    ['2025-02-01', 'none', null],
    ['2025-02-01', '1m', '2025-03-01'],
    ['2025-02-01', '3m', '2025-05-01'],
    ['2025-02-01', '6m', '2025-08-01'],
    ['2025-01-31', '1m', '2025-02-28'],
    ['2024-01-31', '1m', '2024-02-29'],
    ['2024-11-30', '3m', '2025-02-28'],
    ['2025-08-31', '6m', '2026-02-28'],
    ['2025-03-31', '6m', '2025-09-30'],
    ['2025-10-15', '3m', '2026-01-15'],
    ['2025-12-31', '1m', '2026-01-31'],
    ['2025-07-31', '6m', '2026-01-31'],
  ])('%s with %s protection is protected until %s', (catalogedAt, protection, until) => {
    expect(protectedUntil(catalogedAt, protection)).toBe(until);
  });
});

describe('isAgeProtected', () => {
  it.each<[string, AgeProtection, string, boolean]>([
    // SCENARIOS 6: cataloged 2025-02-01 with 3 months, free again on 2025-05-01
    ['2025-02-01', '3m', '2025-03-03', true],
    ['2025-02-01', '3m', '2025-04-30', true],
    ['2025-02-01', '3m', '2025-05-01', false],
    ['2025-02-01', '3m', '2025-05-02', false],
    ['2025-02-01', '3m', '2025-02-01', true],
    ['2025-02-01', 'none', '2025-02-01', false],
    ['2024-01-01', '6m', '2025-03-03', false],
    ['2025-01-31', '1m', '2025-02-27', true],
    ['2025-01-31', '1m', '2025-02-28', false],
    // cataloged with a future date (entered ahead of time): protected until then too
    ['2025-06-01', '1m', '2025-03-03', true],
  ])('cataloged %s with %s, on %s: %s', (catalogedAt, protection, today, expected) => {
    expect(isAgeProtected(catalogedAt, protection, today)).toBe(expected);
  });
});

describe('addCalendarMonths', () => {
  it('refuses what is not a plain date (a bug in the caller)', () => {
    expect(() => addCalendarMonths('03/03/2025', 1)).toThrow();
  });
});
