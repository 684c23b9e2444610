import type { MarcField, MarcSubfield } from '../../domain/catalog/marc-fields';
import { invalid, ok, type Result } from '../../domain/refusal';
import type { RawRecord } from './iso2709';

// MARCXML (MARC21 slim) in and out. A small reader of its own rather than
// @natlibfi/marc-record-serializers: that one builds a DOM per record and took 11 ms a record
// (5 s for the 436 Koha records), which an import of thousands of records cannot afford. This
// reads only what MARCXML holds — leader, control fields, data fields, subfields — with any
// namespace prefix or none, and refuses a record that is not well-formed.

// Any namespace prefix (marc:, slim:) or none; the closing tag has the same prefix.
const recordElement = /<(?:([A-Za-z_][\w.-]*):)?record(?=[\s>])[^>]*>[\s\S]*?<\/(?:\1:)?record\s*>/gu;

/** The <record> elements of a MARCXML document, as text, in order. */
export function splitMarcXml(xml: string): string[] {
  return xml.match(recordElement) ?? [];
}

// A start or end tag (with its attributes), a CDATA section, a comment or a processing instruction.
const markup = /<(\/?)(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/gu;
const attribute = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/gu;
const entity = /&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/gu;
const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(entity, (match, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name) return named[name];
    const code = hex ? Number.parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : match;
  });
}

function attributesOf(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of text.matchAll(attribute)) found.set(m[1].replace(/^[\w.-]+:/u, ''), unescapeXml(m[2] ?? m[3] ?? ''));
  return found;
}

const nonAscii = /[^\u0000-\u007f]/u;
function clean(value: string): string {
  return nonAscii.test(value) ? value.normalize('NFC') : value;
}

function notReadable(reason: string): Result<never> {
  return invalid('marcxml', `This is not a readable MARCXML record (${reason}).`);
}

/** One <record> element as leader and fields. */
export function fromMarcXml(recordXml: string): Result<RawRecord> {
  const open: string[] = [];
  let leader = '';
  const fields: MarcField[] = [];
  let field: MarcField | null = null;
  let subfield: MarcSubfield | null = null;
  /** Where the text of the element being read goes. */
  let sink: ((text: string) => void) | null = null;
  let at = 0;
  markup.lastIndex = 0;
  for (let m = markup.exec(recordXml); ; m = markup.exec(recordXml)) {
    const textEnd = m ? m.index : recordXml.length;
    const between = recordXml.slice(at, textEnd);
    if (between.includes('<')) return notReadable('a "<" that starts no element');
    if (sink && between !== '') sink(unescapeXml(between));
    if (!m) break;
    at = markup.lastIndex;
    if (m[5] !== undefined) {
      sink?.(m[5]);
      continue;
    }
    const name = m[2];
    if (name === undefined) continue; // a comment or a processing instruction
    if (m[1] === '/') {
      if (open.pop() !== name) return notReadable(`</${name}> closes an element it did not open`);
      if (name === 'subfield' && field && subfield) field.subfields?.push(subfield);
      if (name === 'subfield') subfield = null;
      if ((name === 'datafield' || name === 'controlfield') && field) {
        fields.push(field);
        field = null;
      }
      sink = null;
      continue;
    }
    const attrs = attributesOf(m[3]);
    const selfClosing = m[4] === '/';
    switch (name) {
      case 'leader':
        leader = '';
        sink = (t) => (leader += t);
        break;
      case 'controlfield': {
        const tag = attrs.get('tag')?.trim();
        if (!tag) return notReadable('a field or subfield lacks its tag or code');
        const control: MarcField = { tag, value: '' };
        field = control;
        sink = (t) => (control.value += t);
        break;
      }
      case 'datafield': {
        const tag = attrs.get('tag')?.trim();
        if (!tag) return notReadable('a field or subfield lacks its tag or code');
        field = { tag, ind1: attrs.get('ind1')?.charAt(0) || ' ', ind2: attrs.get('ind2')?.charAt(0) || ' ', subfields: [] };
        sink = null;
        break;
      }
      case 'subfield': {
        const code = attrs.get('code');
        if (!code) return notReadable('a field or subfield lacks its tag or code');
        if (!field?.subfields) return notReadable('a subfield outside a data field');
        const sub: MarcSubfield = { code: code.charAt(0), value: '' };
        subfield = sub;
        sink = (t) => (sub.value += t);
        break;
      }
      default:
        sink = null;
    }
    if (selfClosing) {
      if (name === 'subfield' && field && subfield) field.subfields?.push(subfield);
      if ((name === 'datafield' || name === 'controlfield') && field) fields.push(field);
      if (name === 'subfield') subfield = null;
      else if (name === 'datafield' || name === 'controlfield') field = null;
      sink = null;
    } else open.push(name);
  }
  if (open.length > 0) return notReadable(`<${open[open.length - 1]}> is never closed`);
  for (const f of fields) {
    if (f.value !== undefined) f.value = clean(f.value);
    for (const s of f.subfields ?? []) s.value = clean(s.value);
  }
  return ok({ leader, fields });
}

// Characters XML 1.0 cannot carry (raw 0x1F in Koha's biblionumber 369, for one). Lone
// surrogates cannot occur: every reader here yields well-formed strings.
const notXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/gu;
const needsWork = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF&<>"]/u;
const special = /[&<>"]/gu;
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escapeXml(value: string): string {
  if (!needsWork.test(value)) return value;
  return value.replace(notXml, '\uFFFD').replace(special, (c) => escapes[c]);
}

/** One record as a MARCXML <record> element (MARC21 slim namespace, no XML declaration). */
export function toMarcXml(raw: RawRecord): string {
  const parts = [`<record xmlns="http://www.loc.gov/MARC21/slim"><leader>${escapeXml(raw.leader)}</leader>`];
  for (const f of raw.fields) {
    if (f.subfields === undefined) {
      parts.push(`<controlfield tag="${escapeXml(f.tag)}">${escapeXml(f.value ?? '')}</controlfield>`);
      continue;
    }
    parts.push(`<datafield tag="${escapeXml(f.tag)}" ind1="${escapeXml(f.ind1 ?? ' ')}" ind2="${escapeXml(f.ind2 ?? ' ')}">`);
    for (const s of f.subfields) parts.push(`<subfield code="${escapeXml(s.code)}">${escapeXml(s.value)}</subfield>`);
    parts.push('</datafield>');
  }
  parts.push('</record>');
  return parts.join('');
}
