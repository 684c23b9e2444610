import { gunzipSync } from 'node:zlib';
import { invalid, ok, type Result } from '../../domain/refusal';
import { splitMarcFile, type MarcFileKind } from './read-marc';

// A file handed to the importer, whatever it is: ISO 2709 or MARCXML, gzipped or not, told
// apart by its first bytes rather than by its name or content type, which are often wrong.

export interface MarcFile {
  kind: MarcFileKind;
  /** One piece per record, read later one at a time (see readMarcRecord). */
  pieces: (Uint8Array | string)[];
}

// A gzipped file larger than this once unpacked is refused rather than filling the memory.
const maxUnpacked = 2 * 1024 * 1024 * 1024 - 1;

function firstText(bytes: Uint8Array): string {
  let at = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) at = 3;
  while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x0a || bytes[at] === 0x0d || bytes[at] === 0x09)) at++;
  return Buffer.from(bytes.subarray(at, at + 8)).toString('latin1');
}

export function kindOf(bytes: Uint8Array): Result<MarcFileKind> {
  const start = firstText(bytes);
  if (start === '') return invalid('file', 'The file is empty.');
  if (start.startsWith('<')) return ok('marcxml');
  if (start.startsWith('{') || start.startsWith('[')) {
    return invalid('file', 'This looks like MARC-in-JSON, which Tamarack does not import: send ISO 2709 (.mrc) or MARCXML.');
  }
  if (start.startsWith('=LDR')) return invalid('file', 'This is MARC text (MarcEdit .mrk), which Tamarack does not import: send ISO 2709 (.mrc) or MARCXML.');
  return ok('iso2709');
}

export function openMarcFile(input: Uint8Array): Result<MarcFile> {
  let bytes = input;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: maxUnpacked });
    } catch {
      return invalid('file', 'The file is gzipped but cannot be unpacked (damaged, or larger than 2 GB unpacked).');
    }
  }
  const kind = kindOf(bytes);
  if (!kind.ok) return kind;
  const pieces = splitMarcFile(bytes, kind.value);
  if (pieces.length === 0) {
    return invalid('file', kind.value === 'marcxml' ? 'No MARC record found: expected MARCXML <record> elements.' : 'The file holds no MARC records.');
  }
  return ok({ kind: kind.value, pieces });
}
