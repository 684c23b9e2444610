import { describe, expect, it } from 'vitest';
import { isBouncing, isTransitOverdue, itemFlags, recentTransits, type ItemTravels } from './bouncing';

const now = new Date('2025-03-13T15:00:00Z');
const settings = { bounceTransits: 4, bounceDays: 10 };
/** A time `days` days before now (fractions allowed). */
const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
const travels = (transits: number[], loans: number[] = [], open: number | null = null): ItemTravels => ({
  transitsSentAt: transits.map(ago),
  loansCheckedOutAt: loans.map(ago),
  openTransitSentAt: open === null ? null : ago(open),
});

describe('isBouncing', () => {
  it.each([
    ['37. four transits in 10 days, no loan', travels([9, 7, 4, 1]), true],
    ['three transits are not enough', travels([9, 7, 4]), false],
    ['a transit older than 10 days does not count', travels([10.5, 7, 4, 1]), false],
    ['a transit exactly 10 days ago counts', travels([10, 7, 4, 1]), true],
    ['a loan after the first of them means the trips served a reader', travels([9, 7, 4, 1], [5]), false],
    ['a loan on the very moment of the first transit counts as a loan since', travels([9, 7, 4, 1], [9]), false],
    ['a loan before the first of them does not excuse the trips after it', travels([8, 7, 4, 1], [9]), true],
    ['order of the transits does not matter', travels([1, 9, 4, 7]), true],
    ['a transit sent after now (clock moved back) does not count', travels([9, 7, 4, -1]), false],
  ] as const)('%s', (_name, t, expected) => {
    expect(isBouncing(t, settings, now)).toBe(expected);
  });

  it.each([
    ['two transits with bounceTransits 2', { bounceTransits: 2, bounceDays: 10 }, travels([3, 1]), true],
    ['four transits in 3 days with bounceDays 2 counts only the last two', { bounceTransits: 4, bounceDays: 2 }, travels([3, 2.5, 1.5, 1]), false],
  ] as const)('follows the consortium settings: %s', (_name, s, t, expected) => {
    expect(isBouncing(t, s, now)).toBe(expected);
  });

  it('counts only the transits in the window', () => {
    expect(recentTransits(travels([12, 9, 1]), settings, now)).toEqual([ago(9), ago(1)]);
  });
});

describe('isTransitOverdue', () => {
  it.each([
    ['no open transit', null, false],
    ['sent 1 day ago', 1, false],
    ['sent exactly 5 days ago', 5, false],
    ['sent 5 days and a minute ago', 5 + 1 / 1440, true],
    ['sent 30 days ago', 30, true],
  ] as const)('%s', (_name, open, expected) => {
    expect(isTransitOverdue(travels([], [], open), now)).toBe(expected);
  });
});

describe('itemFlags', () => {
  it.each([
    ['nothing wrong', travels([2]), []],
    ['bouncing only', travels([9, 7, 4, 1], [], 1), ['bouncing']],
    ['overdue only', travels([6], [], 6), ['transit-overdue']],
    ['both, bouncing first', travels([9, 8, 7, 6], [], 6), ['bouncing', 'transit-overdue']],
  ] as const)('%s', (_name, t, expected) => {
    expect(itemFlags(t, settings, now)).toEqual(expected);
  });
});
