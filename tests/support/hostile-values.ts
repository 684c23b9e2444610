import fc from 'fast-check';

// Values an attacker, a broken client or a pasted spreadsheet sends: wrong types, strings that
// are huge or full of awkward Unicode, SQL and HTML payloads, deep nesting.

export const sqlPayloads = ["'; DROP TABLE items; --", "' OR '1'='1", '1; SELECT pg_sleep(5)--', "$$; DELETE FROM holds; $$", '\\', '%', '_%', "E'\\x00'", '1 UNION SELECT password_hash FROM staff'];
export const htmlPayloads = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '&amp;', "'><svg onload=alert(1)>", '<!--', ']]>', 'javascript:alert(1)'];
export const unicodePayloads = [
  '\u{1D54B}\u{1D586}\u{1D592}', // astral letters
  '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}', // a joined emoji
  'ـمكتبة', // Arabic with tatweel (right to left)
  '\u202Egnp.exe', // right-to-left override
  'e\u0301\u0301\u0301\u0301', // a pile of combining marks
  '\u0000',
  'a\u0000b',
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  'x\uD83D', // half of an emoji
  '\uFEFF', // byte order mark
  '\u200B\u200C\u200D', // zero width
  '\u0085\u2028\u2029', // line separators JSON allows and JavaScript once did not
  '\uFFFF',
];
const oddStrings = ['', ' ', '\t\n', 'A', 'S', 'NOPE', '0', '-1', '-0', '1e309', 'NaN', 'Infinity', 'null', 'true', '[]', '{}', '2025-02-30', '2025-13-01', '25:99', '9999-12-31T23:59:59Z', '0000-00-00', 'x@', '__proto__', 'constructor'];

/** Strings up to a megabyte: a title or a note pasted with a whole file behind it. */
export const hugeString = fc.constantFrom(1_001, 10_000, 100_000, 1_000_000).chain((n) => fc.constantFrom('x', 'é', '\u{1F600}', '<').map((c) => c.repeat(n)));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string() },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 50 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.constantFrom(...sqlPayloads, ...htmlPayloads) },
  { weight: 3, arbitrary: fc.constantFrom(...unicodePayloads) },
  { weight: 2, arbitrary: fc.constantFrom(...oddStrings) },
  { weight: 1, arbitrary: hugeString },
);

export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, -1, 1.5, 2147483647, 2147483648, -2147483649, Number.MAX_SAFE_INTEGER, 1e308) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** JSON text nested deeper than JSON.stringify can write (the parser must still cope). */
export const deepJsonTexts = [`${'['.repeat(50_000)}${']'.repeat(50_000)}`, `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`];

/** An array or object nested `depth` levels deep, around a hostile leaf. */
export function nested(depth: number, leaf: unknown, asObject: boolean): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asObject ? { a: value } : [value];
  return value;
}

export const deepValue = fc.tuple(fc.constantFrom(10, 100, 1_000), hostileScalar, fc.boolean()).map(([depth, leaf, asObject]) => nested(depth, leaf, asObject));

/** Any JSON value a field might receive instead of what it expects. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: hostileScalar },
  { weight: 2, arbitrary: fc.array(hostileScalar, { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'prototype')), hostileScalar, { maxKeys: 4 }) },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: fc.anything() },
);
