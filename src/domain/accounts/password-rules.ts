// What makes a new password acceptable. Staff passwords open patrons' reading histories and
// addresses, so the rules refuse what an attacker tries first: short words, the account's own
// names, and the passwords found at the top of every leaked list.

export const minPasswordLength = 8;
export const maxPasswordLength = 200;

/** Tried first by anyone guessing; compared without case. */
const commonPasswords = new Set([
  '12345678', '123456789', '1234567890', '11111111', '00000000', '87654321', '12341234', '1q2w3e4r',
  'password', 'password1', 'password123', 'passw0rd', 'p@ssw0rd', 'qwertyui', 'qwerty123', 'qwertyuiop',
  'iloveyou', 'abc12345', 'abcd1234', 'letmein1', 'welcome1', 'welcome123', 'admin123', 'administrator',
  'changeme', 'trustno1', 'sunshine', 'princess', 'football', 'baseball', 'superman', 'starwars',
  'whatever', 'library1', 'library123', 'librarian', 'bookworm', 'readbooks', 'tamarack', 'tamarack1',
]);

/**
 * Why `password` may not be set, as a sentence for the person choosing it, or null when it may.
 * `names`: the account's user name and card barcode, which a password must not simply repeat.
 */
export function passwordProblem(password: string, names: readonly (string | null | undefined)[] = []): string | null {
  const length = [...password].length;
  if (length < minPasswordLength) return `A password needs at least ${minPasswordLength} characters.`;
  if (length > maxPasswordLength) return `A password may have at most ${maxPasswordLength} characters.`;
  const lower = password.toLowerCase();
  if (new Set(lower).size < 3) return 'A password needs at least three different characters.';
  if (commonPasswords.has(lower)) return 'This password is one of the first that anyone guessing tries; choose another.';
  for (const name of names) {
    if (name && name.length >= 3 && lower.includes(name.toLowerCase())) return 'A password must not contain the user name or the card number.';
  }
  return null;
}
