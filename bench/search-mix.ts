import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema';
import type { RecordSearchQuery } from '../src/services/record-search';
import { benchLibraries } from './catalog-data';
import { latencyOf, type Latency } from './latency';

// The catalog searches readers type, drawn from the catalog itself, and their timing by kind:
// title words, a name, a subject, typos, ISBN, barcode, Arabic script, one word with a library's
// availability, and very common words (the slow tail). `npm run bench:catalog` times them
// through the service, `npm run bench` over HTTP as the catalog's users see them.

export type SearchQuery = Omit<RecordSearchQuery, 'limit' | 'offset'>;

export interface Sample {
  kind: string;
  query: SearchQuery;
}

export interface KindTiming extends Latency {
  kind: string;
  count: number;
  /** Share of the searches that found at least one record. */
  foundShare: number;
}

export interface SearchTimings {
  all: Latency & { count: number };
  byKind: KindTiming[];
}

/** `count` searches, interleaved by kind, from every n-th of `records` records (so runs compare). */
export async function searchMix(db: Kysely<Database>, records: number, count: number): Promise<Sample[]> {
  const step = Math.max(1, Math.floor(records / 400));
  const { rows } = await sql<{ title: string; author: string | null; subject: string | null; isbn: string | null; alt: string | null }>`
    SELECT title, author, subjects[1] AS subject, isbn[1] AS isbn, alt_titles[1] AS alt FROM records WHERE id % ${step} = 0 ORDER BY id LIMIT 400`.execute(db);
  const barcodes = (await sql<{ barcode: string }>`SELECT barcode FROM items WHERE id % ${step} = 0 ORDER BY id LIMIT 100`.execute(db)).rows.map((r) => r.barcode);
  const words = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4);
  const samples: Sample[] = [];
  for (const [i, r] of rows.entries()) {
    const titleWords = words(r.title);
    if (titleWords.length > 0) samples.push({ kind: 'title words', query: { q: titleWords.slice(0, 2).join(' ') } });
    if (titleWords.length > 0 && titleWords[0].length >= 5) {
      const w = titleWords[0];
      const cut = 1 + (i % (w.length - 2));
      samples.push({ kind: 'typo', query: { q: `${w.slice(0, cut)}${w.slice(cut + 1)} ${titleWords[1] ?? ''}`.trim() } });
    }
    if (r.author) samples.push({ kind: 'author', query: { q: r.author.split(',')[0], by: 'author' } });
    if (r.subject) samples.push({ kind: 'subject', query: { q: words(r.subject).slice(0, 2).join(' '), by: 'subject' } });
    if (r.isbn) samples.push({ kind: 'isbn', query: { q: r.isbn } });
    if (r.alt && /[\u0600-\u06FF]/u.test(r.alt)) samples.push({ kind: 'arabic', query: { q: words(r.alt).slice(0, 2).join(' ') } });
    if (titleWords.length > 0) samples.push({ kind: 'at a library', query: { q: titleWords[0], library: benchLibraries[i % benchLibraries.length], available: true } });
  }
  for (const barcode of barcodes) samples.push({ kind: 'barcode', query: { q: barcode } });
  for (const q of ['history', 'jazz', 'al', 'music', 'islam']) samples.push({ kind: 'broad word', query: { q } });
  // interleaved by kind, so a short run still tries every kind
  const byKind = new Map<string, Sample[]>();
  for (const s of samples.filter((s) => s.query.q)) byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s]);
  const mixed: Sample[] = [];
  for (let i = 0; mixed.length < count; i++) for (const list of byKind.values()) if (mixed.length < count) mixed.push(list[i % list.length]);
  return mixed;
}

/**
 * Runs the samples one after the other through `search` (which tells whether anything was
 * found), after the first `warmUp` of them untimed: the first searches of a fresh process pay
 * for plans and cold caches that a running catalog has long paid.
 */
export async function timeSearches(samples: readonly Sample[], search: (query: SearchQuery) => Promise<boolean>, warmUp = 20): Promise<SearchTimings> {
  for (const s of samples.slice(0, warmUp)) await search(s.query);
  const times = new Map<string, number[]>();
  const found = new Map<string, number>();
  for (const s of samples) {
    const started = performance.now();
    const hit = await search(s.query);
    times.set(s.kind, [...(times.get(s.kind) ?? []), performance.now() - started]);
    if (hit) found.set(s.kind, (found.get(s.kind) ?? 0) + 1);
  }
  const byKind = [...times].map(([kind, list]) => ({ kind, count: list.length, foundShare: (found.get(kind) ?? 0) / list.length, ...latencyOf(list) }));
  const all = [...times.values()].flat();
  return { all: { count: all.length, ...latencyOf(all) }, byKind };
}
