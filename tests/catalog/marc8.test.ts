import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeIso2709, splitIso2709 } from '../../src/services/marc/iso2709';
import { decodeMarc8 } from '../../src/services/marc/marc8';
import { haveSharedData, sharedData } from '../support/shared-data';

// MARC-8 to Unicode against two references: the line-by-line table that pymarc keeps, and the
// Evergreen test sets as converted by yaz-marcdump (the utf8/ twins of the MARC-8 originals).

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('decodeMarc8', () => {
  it.each([
    ['ASCII', bytes(0x57, 0x61, 0x6c, 0x64, 0x65, 0x6e), 'Walden'],
    ['a combining acute before its letter', bytes(0x43, 0x61, 0x66, 0xe2, 0x65), 'Café'],
    ['two marks on one letter, in NFC', bytes(0x44, 0x76, 0x6f, 0xe9, 0x72, 0xe2, 0x61, 0x6b), 'Dvořák'],
    ['ANSEL letters and a dot below', bytes(0xa1, 0xb2, 0xf2, 0x61), 'Łøạ'],
    ['Hebrew in G0, then back to ASCII', bytes(0x1b, 0x28, 0x32, 0x60, 0x61, 0x1b, 0x28, 0x42, 0x21), 'אב!'],
    ['Arabic in G1', bytes(0x1b, 0x29, 0x33, 0xc7, 0xe4, 0xc7), 'الا'],
    ['Cyrillic', bytes(0x1b, 0x28, 0x4e, 0x6d, 0x4f, 0x53, 0x4b, 0x57, 0x41), 'Москва'],
    ['Greek', bytes(0x1b, 0x28, 0x53, 0x61, 0x62), 'αβ'],
    ['superscript, then back', bytes(0x1b, 0x70, 0x32, 0x1b, 0x73, 0x61), '²a'],
    ['a character reference for what MARC-8 lacks', Buffer.from('&#x2603;'), '☃'],
    ['the non-sort markers dropped', bytes(0x88, 0x54, 0x68, 0x65, 0x20, 0x89, 0x61), 'The a'],
  ])('%s', (_name, input, expected) => {
    expect(decodeMarc8(input)).toEqual({ text: expected, unmapped: 0, unsupported: null });
  });

  it('never stops on bad input: an unfinished escape, an unknown set, bytes of no set', () => {
    expect(decodeMarc8(bytes(0x41, 0x1b)).text).toBe('A');
    expect(decodeMarc8(bytes(0x41, 0x1b, 0x28)).text).toBe('A');
    expect(decodeMarc8(bytes(0x1b, 0x28, 0x7a, 0x41))).toMatchObject({ text: 'A', unmapped: 1 });
    expect(decodeMarc8(bytes(0x41, 0x90, 0x42))).toMatchObject({ text: 'A\ufffdB', unmapped: 1 });
    expect(decodeMarc8(bytes(0x1b, 0x24, 0x31, 0x21, 0x30, 0x21))).toMatchObject({ unsupported: expect.stringMatching(/EACC/u) });
  });
});

const pymarc = sharedData('marc-edge-cases', 'pymarc');
const evergreen = sharedData('evergreen-marc-testsets');
haveSharedData('the MARC-8 reference tests', pymarc, evergreen);

function lines(buffer: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= buffer.length; i++) {
    if (i === buffer.length || buffer[i] === 0x0a) {
      out.push(buffer.subarray(start, i));
      start = i + 1;
    }
  }
  return out;
}

describe.skipIf(!existsSync(pymarc))("pymarc's MARC-8 ↔ UTF-8 table", () => {
  it('converts every line that is not in EACC (CJK) exactly', () => {
    const marc8 = lines(readFileSync(`${pymarc}/test_marc8.txt`));
    const utf8 = readFileSync(`${pymarc}/test_utf8.txt`, 'utf8').split('\n');
    let compared = 0;
    for (const [i, line] of marc8.entries()) {
      const decoded = decodeMarc8(line);
      if (decoded.unsupported) continue;
      expect(decoded.text, `line ${i + 1}`).toBe(utf8[i].normalize('NFC'));
      compared++;
    }
    expect(compared).toBeGreaterThan(500);
  });
});

describe.skipIf(!existsSync(evergreen))('the Evergreen MARC-8 sets, as yaz-marcdump converted them', () => {
  it.each([
    ['jazz_1k.mrc', 'jazz_1k.utf8.mrc'],
    ['lul_fre_500.mrc', 'lul_fre_500.utf8.mrc'],
    ['hebrew.marc', 'hebrew.utf8.mrc'],
    ['oss.marc', 'oss.utf8.mrc'],
    ['FSL.marc', 'FSL.utf8.mrc'],
    ['map_data.mrc', 'map_data.utf8.mrc'],
  ])('%s reads field for field as %s', (original, converted) => {
    const ours = splitIso2709(readFileSync(`${evergreen}/original/${original}`)).map(decodeIso2709);
    const yaz = splitIso2709(readFileSync(`${evergreen}/utf8/${converted}`)).map(decodeIso2709);
    expect(ours).toHaveLength(yaz.length);
    for (const [i, r] of ours.entries()) {
      const y = yaz[i];
      if (!r.ok || !y.ok) throw new Error(`record ${i + 1} was not read`);
      expect(r.value.fields, `record ${i + 1}`).toEqual(y.value.fields);
    }
  });

  it('tells UTF-8 data under a blank leader/09 from MARC-8', () => {
    const fsl = decodeIso2709(splitIso2709(readFileSync(`${evergreen}/original/FSL.marc`))[0]);
    const jazz = decodeIso2709(splitIso2709(readFileSync(`${evergreen}/original/jazz_1k.mrc`))[0]);
    expect(fsl.ok && fsl.value.charset).toBe('utf-8');
    expect(jazz.ok && jazz.value.charset).toBe('marc-8');
  });
});
