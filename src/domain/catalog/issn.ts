// ISSNs (022 $a) arrive as "0028-0836", "0028 0836" or with a qualifier; search and matching
// compare the eight characters alone.

/** The ISSN in a text, as eight characters (the last may be X), or null when there is none. */
export function issnInText(text: string): string | null {
  const match = /(?<![0-9])([0-9]{4})[\s-]?([0-9]{3}[0-9Xx])(?![0-9])/u.exec(text);
  return match ? `${match[1]}${match[2].toUpperCase()}` : null;
}

/** Whether an eight-character ISSN has a correct check character. */
export function isValidIssn(issn: string): boolean {
  if (!/^[0-9]{7}[0-9X]$/u.test(issn)) return false;
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(issn[i]) * (8 - i);
  const check = (11 - (sum % 11)) % 11;
  return issn[7] === (check === 10 ? 'X' : String(check));
}
