import { describe, expect, it } from 'vitest';
import { toExplanation } from './explanation';

const row = (candidates: unknown[]) => ({ at: new Date('2025-03-12T16:00:00Z'), trigger: 'sweep', policy: 'nearest', summary: 's', candidates, chosen_item_id: null, draw: null });
const north = { code: 'N', name: 'North Branch' };

describe('a stored candidate read back for the hold screen', () => {
  it.each([
    ['short form, chosen', ['300', 'N', 'North Branch', 1], { barcode: '300', library: north, nearness: 1 }],
    [
      'short form, excluded: the reason gets its sentence',
      ['301', 'N', 'North Branch', 2, 'lending-not-allowed'],
      { barcode: '301', library: north, nearness: 2, excludedBecause: 'lending-not-allowed', why: expect.any(String) },
    ],
    ['object form stored before', { barcode: '302', library: north, nearness: 3 }, { barcode: '302', library: north, nearness: 3 }],
    [
      'object form with its sentence stored',
      { barcode: '303', library: north, nearness: 0, excludedBecause: 'refused', why: 'as it was written' },
      { barcode: '303', library: north, nearness: 0, excludedBecause: 'refused', why: 'as it was written' },
    ],
  ])('%s', (_case, stored, expected) => {
    expect(toExplanation(row([stored]), null)?.candidates).toEqual([expected]);
  });

  it('names the chosen copy from the list', () => {
    expect(toExplanation(row([['300', 'N', 'North Branch', 1]]), '300')?.chosen).toEqual({ barcode: '300', library: north });
  });
});
