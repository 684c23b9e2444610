import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { MarcField } from '../src/domain/catalog/marc-fields';
import { decodeIso2709, encodeIso2709, splitIso2709, type RawRecord } from '../src/services/marc/iso2709';
import { sharedData } from '../tests/support/shared-data';

// The benchmark's catalog: the real records of ../shared/data (ACO, the Koha sample, the
// Evergreen jazz set) repeated until there are as many as asked, each copy with its own 001/003
// and its own items (Koha 952) at the benchmark's libraries — as ISO 2709 files, one chunk at a
// time so that 200,000 records never sit in memory at once.

export const benchLibraries = Array.from({ length: 20 }, (_, i) => `L${String(i + 1).padStart(3, '0')}`);

function readBase(): RawRecord[] {
  const files = [
    gunzipSync(readFileSync(sharedData('nyu-aco-marc', 'aco-bibs.utf8.mrc.gz'))),
    readFileSync(sharedData('koha-sample-marc21', 'derived', 'koha-bibs-with-952-items.mrc')),
    readFileSync(sharedData('evergreen-marc-testsets', 'utf8', 'jazz_1k.utf8.mrc')),
  ];
  const records: RawRecord[] = [];
  for (const file of files) {
    for (const piece of splitIso2709(file)) {
      const r = decodeIso2709(piece);
      if (r.ok && r.value.fields.some((f) => f.tag === '245')) records.push({ leader: r.value.leader, fields: r.value.fields });
    }
  }
  return records;
}

/** A small deterministic generator (mulberry32), so two runs import the same catalog. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ (t + Math.imul(t ^ (t >>> 14), 71 | t));
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BenchCatalog {
  /** How many distinct real records the copies come from. */
  base: number;
  /** The records `from`..`to`-1 of the catalog as one ISO 2709 file. */
  chunk(from: number, to: number): Buffer;
}

export function benchCatalog(): BenchCatalog {
  const base = readBase();
  const draw = random(20250303);
  // the copies' items, fixed per position: 1 to 3 copies at libraries drawn for each
  const copiesOf = (n: number): number => 1 + ((n * 2654435761) >>> 0) % 3;
  return {
    base: base.length,
    chunk(from, to) {
      const out: Buffer[] = [];
      for (let n = from; n < to; n++) {
        const original = base[n % base.length];
        const round = Math.floor(n / base.length);
        const fields: MarcField[] = original.fields.filter((f) => !['001', '003', '952', '949', '852'].includes(f.tag));
        const items: MarcField[] = [];
        for (let c = 0; c < copiesOf(n); c++) {
          const library = benchLibraries[Math.floor(draw() * benchLibraries.length)];
          items.push({ tag: '952', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: library }, { code: 'p', value: `B${n}-${c}` }] });
        }
        out.push(encodeIso2709({ leader: original.leader, fields: [{ tag: '001', value: `bench-${n}` }, { tag: '003', value: `R${round}` }, ...fields, ...items] }));
      }
      return Buffer.concat(out);
    },
  };
}
