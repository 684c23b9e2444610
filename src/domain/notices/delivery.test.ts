import { describe, expect, it } from 'vitest';
import { afterFailure, maxAttempts, noticeMessageId } from './delivery';

const now = new Date('2025-03-03T15:00:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

describe('delivery', () => {
  it.each([
    ['CONS', '<notice-123@cons.tamarack>'],
    ['Balsam_Libraries', '<notice-123@balsam-libraries.tamarack>'],
    ['__', '<notice-123@consortium.tamarack>'],
  ])('gives notice 123 of consortium %s one Message-ID: %s', (code, id) => {
    expect(noticeMessageId('123', code)).toBe(id);
    expect(noticeMessageId(123, code)).toBe(id);
  });

  it.each([
    [1, minutes(1)],
    [2, minutes(2)],
    [3, minutes(4)],
    [7, minutes(64)],
  ])('after failed try %i waits until %s', (attempts, at) => {
    expect(afterFailure(attempts, now)).toEqual({ state: 'pending', sendAfter: at });
  });

  it('gives up after the last try, and never waits more than six hours', () => {
    expect(afterFailure(maxAttempts, now)).toEqual({ state: 'failed' });
    expect(afterFailure(30, now)).toEqual({ state: 'failed' });
    for (let a = 1; a < maxAttempts; a++) {
      const next = afterFailure(a, now);
      expect(next.state === 'pending' && next.sendAfter.getTime() - now.getTime()).toBeLessThanOrEqual(6 * 3_600_000);
    }
  });
});
