import { marc8Combining, marc8Sets } from './marc8-tables';

// MARC-8 (leader/09 blank) to Unicode, as the Library of Congress specifies it: ASCII in G0 and
// ANSEL in G1 until an escape sequence designates another set; combining marks written before
// their letter; "&#xHHHH;" for a character MARC-8 cannot hold. Many exports in the wild are
// still MARC-8 (Unicorn, III, older Koha and Evergreen), so converting beats refusing.

const ESC = 0x1b;
const basicLatin = 0x42;
const ansel = 0x45;
const eacc = 0x31;

export interface Marc8Text {
  /** The text in Unicode, NFC. */
  text: string;
  /** Bytes that no designated set defines, written as U+FFFD. */
  unmapped: number;
  /** A character set this reader cannot convert (EACC), when the field designates one. */
  unsupported: string | null;
}

interface State {
  g0: number;
  g1: number;
  /** The designated set is EACC: three bytes a character. */
  g0Wide: boolean;
  g1Wide: boolean;
}

/** Applies the escape sequence at `at` (the ESC byte); returns the index after it. */
function escape(bytes: Uint8Array, at: number, state: State, problems: { unsupported: string | null; unmapped: number }): number {
  const kind = bytes[at + 1];
  // Technique 1: one byte after ESC switches G0 to Greek symbols, subscripts, superscripts or back.
  if (kind === 0x67 || kind === 0x62 || kind === 0x70 || kind === 0x73) {
    state.g0 = kind === 0x73 ? basicLatin : kind;
    state.g0Wide = false;
    return at + 2;
  }
  let i = at + 1;
  const wide = bytes[i] === 0x24;
  if (wide) i++;
  let target: 'g0' | 'g1' = 'g0';
  if (bytes[i] === 0x28 || bytes[i] === 0x2c) i++;
  else if (bytes[i] === 0x29 || bytes[i] === 0x2d) {
    target = 'g1';
    i++;
  } else if (!wide) {
    // not an escape sequence MARC-8 knows: drop the ESC alone and read on
    problems.unmapped++;
    return at + 1;
  }
  let final = bytes[i];
  // Extended Latin's final is two characters, "!E".
  if (final === 0x21 && bytes[i + 1] === 0x45) {
    final = ansel;
    i++;
  }
  if (final === undefined) return bytes.length;
  if (final === eacc) {
    problems.unsupported = 'EACC (Chinese, Japanese, Korean)';
  } else if (marc8Sets[final] === undefined) {
    problems.unmapped++;
    return i + 1;
  }
  if (target === 'g0') {
    state.g0 = final;
    state.g0Wide = final === eacc;
  } else {
    state.g1 = final;
    state.g1Wide = final === eacc;
  }
  return i + 1;
}

/** C1 controls MARC-8 uses: joiners are kept, the non-sort markers dropped (they break search). */
function control(byte: number): string | null {
  switch (byte) {
    case 0x88:
    case 0x89:
      return '';
    case 0x8d:
      return '\u200d';
    case 0x8e:
      return '\u200c';
    default:
      return null;
  }
}

const characterReference = /&#x([0-9A-Fa-f]{1,6});/gu;

function fromReference(match: string, hex: string): string {
  const code = Number.parseInt(hex, 16);
  return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : match;
}

/**
 * One field of MARC-8 bytes, subfield delimiters included: a designation lasts to the end of
 * its field, across subfields, and each field starts again from ASCII and ANSEL.
 */
export function decodeMarc8(bytes: Uint8Array): Marc8Text {
  const state: State = { g0: basicLatin, g1: ansel, g0Wide: false, g1Wide: false };
  const problems = { unsupported: null as string | null, unmapped: 0 };
  let out = '';
  let pending = '';
  const emit = (char: string): void => {
    if (marc8Combining.has(char)) {
      pending += char;
      return;
    }
    out += char + pending;
    pending = '';
  };
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i];
    if (byte === ESC) {
      i = escape(bytes, i, state, problems);
      continue;
    }
    if (byte === 0x20) {
      emit(' ');
    } else if (byte === 0x7f) {
      // DEL: nothing to write (the yaz converter drops it too)
    } else if (byte < 0x20) {
      // A subfield delimiter (or another control) ends what a mark written before it could
      // belong to. A NUL cannot be stored in PostgreSQL text.
      out += pending;
      pending = '';
      if (byte !== 0) out += String.fromCharCode(byte);
    } else if (byte < 0x7f || (byte >= 0xa1 && byte < 0xff)) {
      const g1 = byte >= 0x80;
      if (g1 ? state.g1Wide : state.g0Wide) {
        emit('\ufffd');
        i += 3;
        continue;
      }
      const char = marc8Sets[g1 ? state.g1 : state.g0].charAt((byte & 0x7f) - 0x21);
      if (char === '\ufffd') problems.unmapped++;
      emit(char);
    } else {
      const c1 = control(byte);
      if (c1 === null) {
        problems.unmapped++;
        emit('\ufffd');
      } else if (c1 !== '') emit(c1);
    }
    i++;
  }
  out += pending;
  const text = out.includes('&#x') ? out.replace(characterReference, fromReference) : out;
  return { text: text.normalize('NFC'), unmapped: problems.unmapped, unsupported: problems.unsupported };
}
