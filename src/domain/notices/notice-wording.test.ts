import { describe, expect, it } from 'vitest';
import { dateInWords, momentInWords, openingHoursInWords } from './notice-wording';

describe('notice wording', () => {
  it('says a moment on the library clock and a plain date in words', () => {
    expect(momentInWords(new Date('2025-03-10T21:00:00Z'), 'America/New_York')).toMatch(/^Monday, March 10(,| at) 5:00\sPM$/);
    expect(dateInWords('2025-03-05')).toBe('Wednesday, March 5, 2025');
  });

  it.each([
    ['a working week', { mon: ['09:00', '17:00'], tue: ['09:00', '17:00'], wed: ['09:00', '17:00'], thu: ['09:00', '17:00'], fri: ['09:00', '17:00'], sat: ['09:00', '17:00'], sun: null }, 'Monday–Saturday 09:00–17:00; Sunday closed'],
    ['a late day', { mon: ['09:00', '17:00'], tue: ['09:00', '20:00'], wed: ['09:00', '17:00'] }, 'Monday 09:00–17:00; Tuesday 09:00–20:00; Wednesday 09:00–17:00; Thursday–Sunday closed'],
    ['no hours known', {}, 'please ask the library'],
  ] as const)('runs days with the same hours together: %s', (_name, hours, words) => {
    expect(openingHoursInWords(hours as never)).toBe(words);
  });
});
