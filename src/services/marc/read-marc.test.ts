import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../domain/refusal';
import { parseMarcXml, readMarcFile, type MarcFileKind, type ParsedMarcRecord } from './read-marc';
import { haveSharedData, sharedData } from '../../../tests/support/shared-data';

const slim = 'http://www.loc.gov/MARC21/slim';

const e4 = `
  <leader>01344cam a22003014i 4500</leader>
  <controlfield tag="001">17446121</controlfield>
  <controlfield tag="003">DLC</controlfield>
  <controlfield tag="008">120829t20132012nyu      bk   001 0ceng  </controlfield>
  <datafield tag="020" ind1=" " ind2=" "><subfield code="a">9780670026623 (alk. paper)</subfield></datafield>
  <datafield tag="100" ind1="1" ind2=" "><subfield code="a">Heylin, Clinton.</subfield></datafield>
  <datafield tag="245" ind1="1" ind2="0">
    <subfield code="a">E Street shuffle :</subfield>
    <subfield code="b">the glory days of Bruce Springsteen &amp; the E Street Band /</subfield>
    <subfield code="c">Clinton Heylin.</subfield>
  </datafield>
  <datafield tag="264" ind1=" " ind2="1"><subfield code="b">Viking,</subfield><subfield code="c">[2013]</subfield></datafield>
  <datafield tag="650" ind1=" " ind2="0"><subfield code="a">Rock musicians</subfield><subfield code="v">Biography.</subfield></datafield>
  <datafield tag="952" ind1=" " ind2=" "><subfield code="a">CPL</subfield><subfield code="p">39999000001</subfield><subfield code="e"/></datafield>`;

const prefixed = `<?xml version="1.0"?>
<marc:collection xmlns:marc="${slim}">
  <marc:record>
    <marc:leader>00000njm a2200000 a 4500</marc:leader>
    <marc:controlfield tag="001">m1</marc:controlfield>
    <marc:datafield tag="245" ind1="0" ind2="0"><marc:subfield code="a">Kind of blue</marc:subfield></marc:datafield>
  </marc:record>
  <marc:record>
    <marc:leader>00000ngm a2200000 a 4500</marc:leader>
    <marc:datafield tag="245" ind1="0" ind2="0"><marc:subfield code="a">Casablanca</marc:subfield></marc:datafield>
  </marc:record>
</marc:collection>`;

async function all(bytes: Uint8Array, kind: MarcFileKind, limit = Infinity): Promise<Result<ParsedMarcRecord>[]> {
  const out: Result<ParsedMarcRecord>[] = [];
  for await (const r of readMarcFile(bytes, kind)) {
    out.push(r);
    if (out.length >= limit) break;
  }
  return out;
}

describe('parseMarcXml', () => {
  it('reads a single record in the default namespace and serialises it back', async () => {
    const r = await parseMarcXml(`<record xmlns="${slim}">${e4}</record>`);
    if (!r.ok) throw new Error(r.refusal.message);
    expect(r.value).toMatchObject({
      title: 'E Street shuffle : the glory days of Bruce Springsteen & the E Street Band',
      author: 'Heylin, Clinton',
      isbn: ['9780670026623'],
      publisher: 'Viking',
      year: 2013,
      subjects: ['Rock musicians -- Biography'],
      format: 'book',
      controlNumber: '17446121',
      controlSource: 'DLC',
    });
    expect(r.value.marcxml).toMatch(/^<record xmlns="http:\/\/www.loc.gov\/MARC21\/slim"><leader>01344cam/u);
    expect(r.value.marcxml).toContain('Springsteen &amp; the E Street Band');
    const again = await parseMarcXml(r.value.marcxml);
    expect(again.ok && again.value.title).toBe(r.value.title);
  });

  it('accepts the marc: prefix and a collection of one record', async () => {
    const one = prefixed.replace(/<marc:record>\s*<marc:leader>00000ngm[\s\S]*?<\/marc:record>/u, '');
    const r = await parseMarcXml(one);
    expect(r.ok && r.value).toMatchObject({ title: 'Kind of blue', format: 'music', controlNumber: 'm1' });
  });

  it('refuses what is not one titled record, on the marcxml field', async () => {
    const cases = [
      ['not xml at all', /No MARC record found/u],
      [prefixed, /found 2/u],
      [`<record><leader>00000nam a2200000 a 4500</leader><datafield tag="246" ind1=" " ind2=" "><subfield code="a">x</subfield></datafield></record>`, /no title \(245/u],
      [`<record><leader>x</leader><datafield tag="245"><subfield code="a">x</record>`, /not a readable MARCXML record/u],
    ] as const;
    for (const [xml, message] of cases) {
      const r = await parseMarcXml(xml);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.refusal).toMatchObject({ code: 'INVALID_INPUT', field: 'marcxml' });
        expect(r.refusal.message).toMatch(message);
      }
    }
  });
});

describe('readMarcFile', () => {
  it('reads every record of a prefixed collection, with positions', async () => {
    const results = await all(Buffer.from(prefixed), 'marcxml');
    expect(results.map((r) => r.ok && [r.value.position, r.value.title, r.value.format])).toEqual([
      [1, 'Kind of blue', 'music'],
      [2, 'Casablanca', 'video'],
    ]);
  });

  it('exposes the item fields and refuses a bad record without stopping', async () => {
    const xml = `<collection xmlns="${slim}"><record>${e4}</record><record><leader>00000nam a2200000 a 4500</leader></record></collection>`;
    const [good, bad] = await all(Buffer.from(xml), 'marcxml');
    expect(good.ok && good.value.itemFields).toEqual([
      { tag: '952', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'CPL' }, { code: 'p', value: '39999000001' }, { code: 'e', value: '' }] },
    ]);
    expect(!bad.ok && bad.refusal.details).toEqual({ position: 2 });
  });

  it('reads ISO 2709 by bytes, with multi-byte UTF-8 and line breaks between records', async () => {
    const record = iso2709('00000cam a2200000 a 4500', [
      ['001', 'x1'],
      ['245', '10\u001faKitāb al-Aghānī /\u001fcal-Iṣfahānī.'],
      ['880', '10\u001f6245-01\u001faكتاب الأغاني'],
    ]);
    const results = await all(Buffer.concat([record, Buffer.from('\n'), record]), 'iso2709');
    expect(results).toHaveLength(2);
    for (const r of results) {
      if (!r.ok) throw new Error(r.refusal.message);
      expect(r.value.title).toBe('Kitāb al-Aghānī');
      expect(r.value.fields.find((f) => f.tag === '880')?.subfields?.[1].value).toBe('كتاب الأغاني');
    }
  });

  it('refuses a damaged record and converts a MARC-8 one', async () => {
    const [damaged] = await all(Buffer.from('00026nam a2200025 a 4500xyz\u001e\u001d'), 'iso2709');
    expect(!damaged.ok && damaged.refusal.message).toMatch(/directory is damaged/u);
    // MARC-8 writes an accented letter as a combining byte (0xE2 acute) before the letter.
    const marc8 = iso2709('00000nam  2200000   4500', [['245', '00\u001faCafZe']]);
    marc8[marc8.indexOf('Z')] = 0xe2;
    const [read] = await all(marc8, 'iso2709');
    expect(read.ok && read.value.title).toBe('Café');
    // the same bytes under leader/09 'a' (UTF-8) are read with the bad byte replaced, and said so
    const claimsUtf8 = iso2709('00000nam a2200000   4500', [['245', '00\u001faCafZe']]);
    claimsUtf8[claimsUtf8.indexOf('Z')] = 0xe2;
    const [lossy] = await all(claimsUtf8, 'iso2709');
    expect(lossy.ok && lossy.value.title).toBe('Caf\ufffde');
    expect(lossy.ok && lossy.value.warnings).toEqual([expect.stringMatching(/not valid UTF-8/u)]);
  });
});

/** A minimal ISO 2709 record with a correct directory (lengths in bytes). */
function iso2709(leader: string, fields: [string, string][]): Buffer {
  const bodies = fields.map(([tag, body]) => [tag, Buffer.from(`${body}\u001e`)] as const);
  let offset = 0;
  const directory = bodies.map(([tag, b]) => {
    const entry = `${tag}${String(b.length).padStart(4, '0')}${String(offset).padStart(5, '0')}`;
    offset += b.length;
    return entry;
  });
  const base = 24 + directory.join('').length + 1;
  const length = base + offset + 1;
  const head = `${String(length).padStart(5, '0')}${leader.slice(5, 12)}${String(base).padStart(5, '0')}${leader.slice(17)}`;
  return Buffer.concat([Buffer.from(head + directory.join('') + '\u001e'), ...bodies.map(([, b]) => b), Buffer.from('\u001d')]);
}

const koha = sharedData('koha-sample-marc21', 'derived');
const aco = sharedData('nyu-aco-marc');
haveSharedData('the real-data MARC reader tests', koha, aco);

describe.skipIf(!existsSync(koha))('real Koha sample records (koha-sample-marc21)', () => {
  it('reads all 436 records alike from MARCXML and from ISO 2709', async () => {
    const xml = await all(readFileSync(`${koha}/koha-bibs-with-952-items.marcxml`), 'marcxml');
    const mrc = await all(readFileSync(`${koha}/koha-bibs-with-952-items.mrc`), 'iso2709');
    expect(xml).toHaveLength(436);
    expect(mrc).toHaveLength(436);
    const titles = (rs: Result<ParsedMarcRecord>[]) => rs.map((r) => (r.ok ? r.value.title : r.refusal.message));
    expect(titles(mrc)).toEqual(titles(xml));
    const read = xml.filter((r) => r.ok).length;
    expect(read).toBeGreaterThan(430);
    const items = xml.reduce((n, r) => n + (r.ok ? r.value.itemFields.filter((f) => f.tag === '952').length : 0), 0);
    expect(items).toBe(961);
  }, 60_000);
});

describe.skipIf(!existsSync(aco))('real ACO records (nyu-aco-marc)', () => {
  it('reads the first 300 records, romanised titles in NFC, 880s kept', async () => {
    const results = await all(gunzipSync(readFileSync(`${aco}/aco-bibs.utf8.mrc.gz`)), 'iso2709', 300);
    const read = results.filter((r): r is { ok: true; value: ParsedMarcRecord } => r.ok);
    expect(read.length).toBeGreaterThan(290);
    for (const { value } of read) {
      expect(value.title).toBe(value.title.normalize('NFC'));
      expect(value.controlSource).not.toBeNull();
    }
    expect(read.some((r) => r.value.fields.some((f) => f.tag === '880'))).toBe(true);
  });
});
