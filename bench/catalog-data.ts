import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { seededRandom } from '../src/domain/seeded-random';
import type { MarcField } from '../src/domain/catalog/marc-fields';
import { decodeIso2709, encodeIso2709, splitIso2709, type RawRecord } from '../src/services/marc/iso2709';
import { sharedData } from '../tests/support/shared-data';

// The benchmark's catalog: the real records of ../shared/data (ACO, the Koha sample, the
// Evergreen jazz set) repeated until there are as many as asked, each copy with its own 001/003
// and its own items (Koha 952) at the benchmark's libraries — as ISO 2709 files, one chunk at a
// time so that 200,000 records never sit in memory at once. Without ../shared/data (a clone of
// the repository alone), the 1,500 real records of the demo catalog stand in.

export const benchLibraries = Array.from({ length: 20 }, (_, i) => `L${String(i + 1).padStart(3, '0')}`);

const sharedFiles = [
  { path: sharedData('nyu-aco-marc', 'aco-bibs.utf8.mrc.gz'), gzipped: true },
  { path: sharedData('koha-sample-marc21', 'derived', 'koha-bibs-with-952-items.mrc'), gzipped: false },
  { path: sharedData('evergreen-marc-testsets', 'utf8', 'jazz_1k.utf8.mrc'), gzipped: false },
];
const demoFile = { path: new URL('../demo/records.mrc.gz', import.meta.url).pathname, gzipped: true };

function readBase(files: readonly { path: string; gzipped: boolean }[]): RawRecord[] {
  const records: RawRecord[] = [];
  for (const file of files) {
    const bytes = readFileSync(file.path);
    for (const piece of splitIso2709(file.gzipped ? gunzipSync(bytes) : bytes)) {
      const r = decodeIso2709(piece);
      if (r.ok && r.value.fields.some((f) => f.tag === '245')) records.push({ leader: r.value.leader, fields: r.value.fields });
    }
  }
  return records;
}

export interface BenchCatalog {
  /** How many distinct real records the copies come from. */
  base: number;
  /** Where they were read from, for the report. */
  source: string;
  /** The records `from`..`to`-1 of the catalog as one ISO 2709 file. */
  chunk(from: number, to: number): Buffer;
}

export interface CatalogOptions {
  seed: number;
  /** Shelving location ($c) of every item, so that items land where the consortium's do. */
  location?: string;
}

export function benchCatalog(options: CatalogOptions): BenchCatalog {
  const missing = sharedFiles.filter((f) => !existsSync(f.path));
  const files = missing.length === 0 ? sharedFiles : [demoFile];
  const source = missing.length === 0 ? '../shared/data (ACO, Koha sample, Evergreen jazz)' : `demo/records.mrc.gz: ../shared/data is absent (${missing[0].path})`;
  const base = readBase(files);
  // shuffled once, so that the first chunk alone (all that small runs import) samples every source
  const shuffle = seededRandom(options.seed ^ 0x5eed);
  for (let i = base.length - 1; i > 0; i--) {
    const j = shuffle.int(0, i);
    [base[i], base[j]] = [base[j], base[i]];
  }
  // the copies' items, fixed per position whatever the chunks asked for: 1 to 3 copies at
  // libraries drawn for each
  const copiesOf = (n: number): number => 1 + ((n * 2654435761) >>> 0) % 3;
  const location = options.location ? [{ code: 'c', value: options.location }] : [];
  return {
    base: base.length,
    source,
    chunk(from, to) {
      const out: Buffer[] = [];
      for (let n = from; n < to; n++) {
        const original = base[n % base.length];
        const round = Math.floor(n / base.length);
        const fields: MarcField[] = original.fields.filter((f) => !['001', '003', '952', '949', '852'].includes(f.tag));
        const items: MarcField[] = [];
        const draw = seededRandom(options.seed * 1_000_003 + n);
        for (let c = 0; c < copiesOf(n); c++) {
          const library = benchLibraries[Math.floor(draw.next() * benchLibraries.length)];
          items.push({ tag: '952', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: library }, ...location, { code: 'p', value: `B${n}-${c}` }] });
        }
        out.push(encodeIso2709({ leader: original.leader, fields: [{ tag: '001', value: `bench-${n}` }, { tag: '003', value: `R${round}` }, ...fields, ...items] }));
      }
      return Buffer.concat(out);
    },
  };
}
