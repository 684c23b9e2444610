import { describe, expect, it } from 'vitest';
import { isbnForms, isValidIsbn, normaliseIsbn, parseIsbn, parseIsbns } from './isbn';

describe('normaliseIsbn', () => {
  it.each([
    ['978-0-306-40615-7', '9780306406157'],
    ['0 8044 2957 x', '080442957X'],
    ['  0306406152 ', '0306406152'],
    ['978 0 306\t40615-7', '9780306406157'],
  ])('%s → %s', (raw, normalised) => {
    expect(normaliseIsbn(raw)).toBe(normalised);
  });
});

describe('isValidIsbn', () => {
  it.each([
    ['0306406152', true],
    ['080442957X', true],
    ['9780306406157', true],
    ['9791032305690', true],
    ['0306406153', false],
    ['9780306406158', false],
    ['X306406152', false],
    ['030640615', false],
    ['97803064061570', false],
  ])('%s: %s', (isbn, valid) => {
    expect(isValidIsbn(isbn)).toBe(valid);
  });
});

describe('parseIsbn', () => {
  it('gives the normalised ISBN', () => {
    expect(parseIsbn('978-0-306-40615-7')).toEqual({ ok: true, value: '9780306406157' });
  });

  it.each([
    ['978-0-306-40615-8', 'check digit'],
    ['0-306-40615-3', 'check digit'],
    ['not an isbn', '10 or 13 digits'],
    ['12345', '10 or 13 digits'],
    ['', '10 or 13 digits'],
    ['97803064061X7', '10 or 13 digits'],
  ])('refuses %s (%s), naming the field', (raw, why) => {
    const result = parseIsbn(raw, 'isbn');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.refusal).toMatchObject({ code: 'INVALID_INPUT', field: 'isbn' });
      expect(result.refusal.message).toContain(why);
    }
  });

  it('drops repeated ISBNs of one record and stops at the first bad one', () => {
    expect(parseIsbns(['0306406152', '0-306-40615-2', '9780306406157'])).toEqual({ ok: true, value: ['0306406152', '9780306406157'] });
    expect(parseIsbns(['0306406152', '123']).ok).toBe(false);
  });
});

describe('isbnForms', () => {
  it.each([
    ['0306406152', ['0306406152', '9780306406157']],
    ['9780306406157', ['9780306406157', '0306406152']],
    ['080442957X', ['080442957X', '9780804429573']],
    ['9780804429573', ['9780804429573', '080442957X']],
    ['9791032305690', ['9791032305690']],
  ])('%s is also %s', (isbn, forms) => {
    expect(isbnForms(isbn)).toEqual(forms);
    for (const form of forms) expect(isValidIsbn(form)).toBe(true);
  });
});
