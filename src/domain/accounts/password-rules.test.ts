import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-rules';

describe('password rules', () => {
  it.each([
    ['a good passphrase', 'maple syrup in april', [], null],
    ['exactly eight characters', 'k7#mQ2vx', [], null],
    ['seven characters', 'k7#mQ2v', [], 'at least 8 characters'],
    ['too long', 'x1y'.repeat(70), [], 'at most 200'],
    ['one character repeated', 'aaaaaaaaaa', [], 'three different'],
    ['two characters alternating', 'abababab', [], 'three different'],
    ['a common password', 'Password1', [], 'first that anyone guessing tries'],
    ['the library word everyone tries', 'LIBRARY123', [], 'first that anyone guessing tries'],
    ['the user name inside', 'jsmith-2026!', ['jsmith', '21000000000001'], 'user name or the card number'],
    ['the card number inside', 'x21000000000001x', ['jsmith', '21000000000001'], 'user name or the card number'],
    ['a short name is not looked for', 'ab-orchard-7', ['ab'], null],
    ['no names known', 'river stones 9', [null, undefined], null],
  ] as const)('%s', (_, password, names, problem) => {
    const found = passwordProblem(password, names);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });
});
