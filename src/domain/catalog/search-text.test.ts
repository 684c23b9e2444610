import { describe, expect, it } from 'vitest';
import { prefixQuery, searchWords } from './search-text';

describe('searchWords', () => {
  it.each<[string, string[]]>([
    ['E Street shuffle', ['E', 'Street', 'shuffle']],
    ["Maʻārif O'Brien", ['Maārif', 'OBrien']],
    ['a & b | !c:*', ['a', 'b', 'c']],
    ['الأَيّام', ['الايام']],
    ['नेपाली साहित्य', ['नेपाली', 'साहित्य']],
    ['978-0-670-02662-3', ['978', '0', '670', '02662', '3']],
    ['(((', []],
  ])('%j', (q, words) => {
    expect(searchWords(q)).toEqual(words);
  });
});

describe('prefixQuery', () => {
  it('matches every word, the last also as the start of a longer one', () => {
    expect(prefixQuery(['street', 'shuff'])).toBe("'street' & 'shuff':*");
    expect(prefixQuery([])).toBeNull();
  });
});
