import { describe, expect, it } from 'vitest';
import { decodeIso2709, encodeIso2709, splitIso2709 } from './iso2709';

describe('encodeIso2709', () => {
  it('writes what decodeIso2709 reads back, with byte lengths for multi-byte text', () => {
    const record = {
      leader: '00000cam  2200000 a 4500',
      fields: [
        { tag: '001', value: 'x1' },
        { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Kitāb al-Aghānī /' }, { code: 'c', value: 'al-Iṣfahānī.' }] },
        { tag: '880', ind1: '1', ind2: '0', subfields: [{ code: '6', value: '245-01' }, { code: 'a', value: 'كتاب الأغاني' }] },
      ],
    };
    const bytes = encodeIso2709(record);
    expect(bytes.subarray(0, 5).toString()).toBe(String(bytes.length).padStart(5, '0'));
    const [one] = splitIso2709(bytes);
    const back = decodeIso2709(one);
    expect(back.ok && back.value).toEqual({ ...record, leader: `${bytes.subarray(0, 24).toString()}`, charset: 'utf-8', warnings: [] });
    expect(back.ok && back.value.leader.charAt(9)).toBe('a');
  });
});
