import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { decodeIso2709, splitIso2709 } from '../../src/services/marc/iso2709';
import { toMarcXml } from '../../src/services/marc/marcxml';
import { sharedData } from './shared-data';

// Damaged MARC files of every kind an importer meets: random bytes, real records cut short or
// with bits flipped, leaders and directories that lie about lengths, MARCXML garbage and MARC-8
// escape sequences that lead nowhere.

export interface DamagedFile {
  kind: string;
  bytes: Buffer;
}

const recordEnd = Buffer.from([0x1d]);

/** Real records to damage: the sample catalogs of ../shared/data when present, else the demo catalog. */
export function realRecords(perFile = 40): { source: string; records: Buffer[] } {
  const shared = [sharedData('koha-sample-marc21', 'derived', 'koha-bibs-with-952-items.mrc'), sharedData('evergreen-marc-testsets', 'original', 'jazz_1k.mrc')].filter(existsSync);
  if (shared.length > 0) {
    const records = shared.flatMap((file) => splitIso2709(readFileSync(file)).slice(0, perFile).map((r) => Buffer.concat([r, recordEnd])));
    return { source: shared.join(', '), records };
  }
  const demo = resolve(import.meta.dirname, '..', '..', 'demo', 'records.mrc.gz');
  return { source: demo, records: splitIso2709(gunzipSync(readFileSync(demo))).slice(0, perFile * 2).map((r) => Buffer.concat([r, recordEnd])) };
}

/** The same records as one MARCXML collection. */
export function asMarcXml(records: Buffer[]): string {
  const inner = records.flatMap((r) => {
    const decoded = decodeIso2709(r.subarray(0, -1));
    return decoded.ok ? [toMarcXml(decoded.value)] : [];
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">${inner.join('\n')}</collection>`;
}

/** ISO 2709 from raw field bytes, with the leader left as given (leader/09 blank: MARC-8). */
export function iso2709(leader: string, fields: { tag: string; data: Buffer }[]): Buffer {
  const bodies = fields.map((f) => Buffer.concat([f.data, Buffer.from([0x1e])]));
  let offset = 0;
  const directory = fields
    .map((f, i) => {
      const entry = `${f.tag}${String(bodies[i].length).padStart(4, '0').slice(-4)}${String(offset).padStart(5, '0').slice(-5)}`;
      offset += bodies[i].length;
      return entry;
    })
    .join('');
  const base = 24 + directory.length + 1;
  const head = `${String(base + offset + 1).padStart(5, '0').slice(-5)}${leader.slice(5, 12)}${String(base).padStart(5, '0').slice(-5)}${leader.slice(17, 24)}`;
  return Buffer.concat([Buffer.from(`${head}${directory}\u001e`, 'latin1'), ...bodies, recordEnd]);
}

const datafield = (subfields: [string, Buffer][]): Buffer => Buffer.concat([Buffer.from('10'), ...subfields.map(([code, value]) => Buffer.concat([Buffer.from([0x1f]), Buffer.from(code), value]))]);

// MARC-8 pieces: escapes to each graphic set (and to EACC, which is refused), ANSEL combining
// marks with nothing after them, numeric character references broken or out of range.
const marc8Pieces = [
  [0x1b, 0x28, 0x42], [0x1b, 0x28, 0x33], [0x1b, 0x28, 0x4e], [0x1b, 0x28, 0x53], [0x1b, 0x24, 0x31], [0x1b, 0x29, 0x51], [0x1b, 0x67], [0x1b, 0x62], [0x1b, 0x70], [0x1b, 0x73],
  [0x1b], [0x1b, 0x28], [0x1b, 0x24], [0x1b, 0x24, 0x2c], [0xe1], [0xe2, 0xe3, 0xe4], [0xf0], [0xfe], [0x80], [0xff], [0xa1], [0x88], [0x89],
  [...Buffer.from('&#x')], [...Buffer.from('&#xFFFFFFFF;')], [...Buffer.from('&#xD800;')], [...Buffer.from('&#x0;')], [...Buffer.from('&#x110000;')], [0x41], [0x61, 0xe1], [0x20],
].map((b) => Buffer.from(b));

const marc8Text = fc.array(fc.oneof(fc.constantFrom(...marc8Pieces), fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(b))), { minLength: 1, maxLength: 40 }).map((parts) => Buffer.concat(parts));

function flipBits(bytes: Buffer, positions: number[]): Buffer {
  const copy = Buffer.from(bytes);
  for (const p of positions) copy[Math.floor(p / 8) % copy.length] ^= 1 << p % 8;
  return copy;
}

function replaceAt(bytes: Buffer, at: number, text: string): Buffer {
  const copy = Buffer.from(bytes);
  copy.write(text.slice(0, Math.max(0, copy.length - at)), at, 'latin1');
  return copy;
}

const xmlDamage: [string, (xml: string, cut: number) => string][] = [
  ['cut short', (xml, cut) => xml.slice(0, cut % xml.length)],
  ['angle brackets', (xml, cut) => xml.slice(0, cut % xml.length) + '<<>&;</' + xml.slice(cut % xml.length)],
  ['entity expansion', (xml) => `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "${'a'.repeat(1000)}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>` + xml.replace(/<\?xml[^>]*>/, '').replace('<subfield code="a">', '<subfield code="a">&d;&d;&d;')],
  ['external entity', (xml) => `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + xml.replace(/<\?xml[^>]*>/, '').replace('<subfield code="a">', '<subfield code="a">&x;')],
  ['deep nesting', (xml) => `<collection>${'<record>'.repeat(20_000)}${xml}`],
  ['wrong leader', (xml) => xml.replace(/<leader>[^<]*<\/leader>/g, '<leader>99999zzz</leader>')],
  ['no subfield code', (xml) => xml.replace(/ code="."/g, '')],
  ['huge attribute', (xml) => xml.replace('<datafield ', `<datafield x="${'y'.repeat(1_000_000)}" `)],
  ['tags not MARC', (xml) => xml.replace(/tag="(\d+)"/g, 'tag="$1$1<"').replace(/ind1=".?"/g, 'ind1="&amp;&lt;"')],
  ['control characters', (xml, cut) => xml.slice(0, cut % xml.length) + '\u0000\u0001\u001d\u001e\u001f\uFFFE' + xml.slice(cut % xml.length)],
  ['CDATA', (xml) => xml.replace('<subfield code="a">', '<subfield code="a"><![CDATA[<script>alert(1)</script>]]>')],
];

/** One damaged file built from the real records `pool` (ISO 2709) and their MARCXML `xml`. */
export function damagedFile(pool: Buffer[], xml: string): fc.Arbitrary<DamagedFile> {
  const records = fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 }).map((rs) => Buffer.concat(rs));
  const prefix = fc.constantFrom('', '<', '\u001f\u008b', '00714cam a2200205 a 4500', '{', '=LDR', '\uFEFF', ' \n');
  const kinds: fc.Arbitrary<DamagedFile>[] = [
    fc.tuple(prefix, fc.uint8Array({ maxLength: 4096 })).map(([p, b]) => ({ kind: 'random bytes', bytes: Buffer.concat([Buffer.from(p, 'latin1'), Buffer.from(b)]) })),
    fc.tuple(records, fc.nat()).map(([r, cut]) => ({ kind: 'truncated', bytes: r.subarray(0, cut % r.length) })),
    fc.tuple(records, fc.array(fc.nat(), { minLength: 1, maxLength: 16 })).map(([r, bits]) => ({ kind: 'bit-flipped', bytes: flipBits(r, bits) })),
    fc.tuple(records, fc.constantFrom(0, 12), fc.stringMatching(/^[0-9a-z -]{5}$/)).map(([r, at, text]) => ({ kind: at === 0 ? 'wrong record length' : 'wrong base address', bytes: replaceAt(r, at, text) })),
    fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('9999999999', '0000000000', '99999', 'abcdefghi', '0001000000'), fc.boolean()).map(([n, entry, terminated]) => ({
      kind: 'huge directory',
      bytes: Buffer.concat([Buffer.from(`99999nam a22${terminated ? '99999' : '00024'} a 4500`, 'latin1'), Buffer.from(`245${entry}`.slice(0, 12).padEnd(12, '9').repeat(n), 'latin1'), Buffer.from(terminated ? [0x1e, 0x1d] : [0x1d])]),
    })),
    fc.tuple(fc.constantFrom(...xmlDamage), fc.nat()).map(([[name, damage], cut]) => ({ kind: `MARCXML ${name}`, bytes: Buffer.from(damage(xml, cut), 'utf8') })),
    fc.tuple(fc.uint8Array({ maxLength: 2048 }), fc.nat()).map(([b, at]) => ({ kind: 'MARCXML random bytes', bytes: Buffer.concat([Buffer.from(xml.slice(0, at % xml.length)), Buffer.from(b)]) })),
    fc.tuple(marc8Text, marc8Text, fc.constantFrom(' ', 'a', 'z')).map(([title, author, coding]) => ({
      kind: 'MARC-8 escapes',
      bytes: iso2709(`00000nam ${coding}2200000 a 4500`, [
        { tag: '001', data: Buffer.from('fuzz-marc8') },
        { tag: '100', data: datafield([['a', author]]) },
        { tag: '245', data: datafield([['a', title], ['c', Buffer.from([0x1b, 0x28])]]) },
        { tag: '952', data: datafield([['p', title.subarray(0, 20)], ['a', Buffer.from('A')]]) },
      ]),
    })),
    fc.tuple(records, fc.nat(), fc.boolean()).map(([r, cut, whole]) => {
      const gz = gzipSync(r);
      return { kind: whole ? 'gzipped' : 'gzip cut short', bytes: whole ? gz : gz.subarray(0, 10 + (cut % Math.max(1, gz.length - 10))) };
    }),
  ];
  return fc.oneof(...kinds);
}
