import { describe, expect, it } from 'vitest';
import { barcodeProblem, embeddedItems } from './item-profiles';
import type { MarcField } from './marc-fields';

const field = (tag: string, pairs: [string, string][]): MarcField => ({ tag, ind1: ' ', ind2: ' ', subfields: pairs.map(([code, value]) => ({ code, value })) });

describe('embeddedItems', () => {
  it.each([
    [
      'koha 952 (a Koha sample item)',
      'koha' as const,
      field('952', [['0', '0'], ['1', '0'], ['4', '0'], ['7', '0'], ['a', 'CPL'], ['b', 'MPL'], ['c', 'GEN'], ['d', '2014-05-07'], ['o', 'F SMI'], ['p', '3999900000001'], ['y', 'BK']]),
      { barcode: '3999900000001', libraryCode: 'CPL', callNumber: 'F SMI', location: 'GEN', itemType: 'BK', catalogedAt: '2014-05-07', status: 'available', circulates: true, holdable: true, withdrawn: false },
    ],
    ['koha lost', 'koha' as const, field('952', [['1', '1'], ['p', 'x1']]), { status: 'lost' }],
    ['koha missing (lost value 4)', 'koha' as const, field('952', [['1', '4'], ['p', 'x6']]), { status: 'missing' }],
    ['koha damaged', 'koha' as const, field('952', [['4', '1'], ['p', 'x2']]), { status: 'damaged' }],
    ['koha not for loan', 'koha' as const, field('952', [['7', '1'], ['p', 'x3']]), { status: 'available', circulates: false, holdable: false }],
    ['koha on order', 'koha' as const, field('952', [['7', '-1'], ['p', 'x4']]), { status: 'in-process' }],
    ['koha withdrawn', 'koha' as const, field('952', [['0', '1'], ['p', 'x5']]), { withdrawn: true }],
    [
      'evergreen 949 (a jazz_1k item)',
      'evergreen' as const,
      field('949', [['a', '5490'], ['w', 'LC'], ['i', '30007007467409'], ['t', 'SOUND'], ['l', 'HUNT-AUDIO'], ['m', 'HUNTINGTON']]),
      { barcode: '30007007467409', libraryCode: 'HUNTINGTON', callNumber: '5490', location: 'HUNT-AUDIO', itemType: 'SOUND', catalogedAt: null },
    ],
    [
      '852 with its call number in $j (map_data)',
      '852' as const,
      field('852', [['a', 'gaaagpl'], ['b', 'BR1'], ['c', 'Stacks'], ['j', 'G4362.C6C5 s250.C37'], ['p', '11223344']]),
      { barcode: '11223344', libraryCode: 'BR1', callNumber: 'G4362.C6C5 s250.C37', location: 'Stacks' },
    ],
    ['852 with $h $i', '852' as const, field('852', [['a', 'NNU'], ['h', 'PJ7828'], ['i', '.A9 1958'], ['p', 'b1']]), { libraryCode: 'NNU', callNumber: 'PJ7828 .A9 1958' }],
  ])('%s', (_name, profile, f, expected) => {
    expect(embeddedItems([f], profile)).toEqual([expect.objectContaining(expected)]);
  });

  it('reads only the profile’s tag, and a bad date as none', () => {
    const fields = [field('949', [['i', 'a']]), field('952', [['p', 'b'], ['d', '07/05/2014']])];
    expect(embeddedItems(fields, 'koha')).toEqual([expect.objectContaining({ barcode: 'b', catalogedAt: null })]);
  });
});

describe('barcodeProblem', () => {
  it.each([
    ['3999900000001', null],
    [null, /no barcode/u],
    ['with space', /spaces/u],
    ['x'.repeat(65), /longer than 64/u],
  ])('%j', (barcode, expected) => {
    const problem = barcodeProblem(barcode);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});
