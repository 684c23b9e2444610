import { requireStaff } from '../domain/actor';
import type { BibliographicFields } from '../domain/catalog/marc-fields';
import { parseIsbns } from '../domain/isbn';
import { invalid, notFound, ok, refuse, type Result } from '../domain/refusal';
import { recordEvent } from '../db/events';
import { actorEventFields, type ServiceContext, type Tx } from './context';
import { inTransaction } from './transaction';
import { parseMarcXml } from './marc/read-marc';
import { loadRecordPage, toRecordView, type RecordPage, type RecordView } from './record-view';

/** A record typed in by a cataloger. */
export interface RecordFields {
  title: string;
  author?: string | null;
  isbn?: string | string[];
  publisher?: string | null;
  year?: number | null;
  subjects?: string[];
}

export type NewRecord = RecordFields | { marcxml: string };

/** What goes into the records table, whichever way the record came. */
interface RecordValues extends BibliographicFields {
  marc: string | null;
  control_number: string | null;
  control_source: string | null;
  alt_titles: string[];
  alt_authors: string[];
  notes: string | null;
  issn: string[];
  system_numbers: string[];
}

function fromFields(input: RecordFields): Result<RecordValues> {
  const title = input.title.trim();
  if (title === '') return invalid('title', 'A record needs a title.');
  const raw = input.isbn === undefined ? [] : typeof input.isbn === 'string' ? [input.isbn] : input.isbn;
  const isbn = parseIsbns(raw, 'isbn');
  if (!isbn.ok) return isbn;
  return ok({
    title,
    author: input.author?.trim() || null,
    isbn: isbn.value,
    publisher: input.publisher?.trim() || null,
    year: input.year ?? null,
    publication: [input.publisher?.trim(), input.year?.toString()].filter((p) => p).join(', ') || null,
    subjects: [...new Set((input.subjects ?? []).map((s) => s.trim()).filter((s) => s !== ''))],
    format: 'book',
    marc: null,
    control_number: null,
    control_source: null,
    alt_titles: [],
    alt_authors: [],
    notes: null,
    issn: [],
    system_numbers: [],
  });
}

function fromMarc(marcxml: string): Result<RecordValues> {
  const parsed = parseMarcXml(marcxml);
  if (!parsed.ok) return parsed;
  const m = parsed.value;
  // The MARC reader keeps ISBNs as catalogued; a wrong check digit in 020 is the source's
  // typo and no reason to refuse the whole record.
  return ok({
    title: m.title,
    author: m.author,
    isbn: m.isbn,
    publisher: m.publisher,
    year: m.year,
    publication: m.publication,
    subjects: m.subjects,
    format: m.format,
    marc: m.marcxml,
    control_number: m.controlNumber,
    control_source: m.controlSource,
    alt_titles: m.altTitles,
    alt_authors: m.altAuthors,
    notes: m.notes,
    issn: m.issn,
    system_numbers: m.systemNumbers,
  });
}

/** The existing record with the same MARC 003 + 001, refused as a duplicate. */
async function duplicateOf(trx: Tx, values: RecordValues): Promise<Result<never> | null> {
  if (values.control_number === null || values.control_source === null) return null;
  const existing = await trx
    .selectFrom('records')
    .select('id')
    .where('control_source', '=', values.control_source)
    .where('control_number', '=', values.control_number)
    .executeTakeFirst();
  if (!existing) return null;
  return refuse(
    'DUPLICATE',
    `This MARC record (${values.control_source} ${values.control_number}) is already in the catalog as record ${existing.id}.`,
    { details: { recordId: existing.id } },
  );
}

export async function createRecord(ctx: ServiceContext, input: NewRecord): Promise<Result<RecordView>> {
  const staff = requireStaff(ctx.actor, 'cataloger');
  if (!staff.ok) return staff;
  const values = 'marcxml' in input ? fromMarc(input.marcxml) : fromFields(input);
  if (!values.ok) return values;
  return inTransaction(ctx, async (trx): Promise<Result<RecordView>> => {
    const duplicate = await duplicateOf(trx, values.value);
    if (duplicate) return duplicate;
    const now = ctx.clock.now();
    const row = await trx
      .insertInto('records')
      .values({ ...values.value, created_at: now, updated_at: now })
      // a concurrent import of the same MARC record: the unique index decides, we answer 409
      .onConflict((oc) => oc.columns(['control_source', 'control_number']).where('control_number', 'is not', null).where('control_source', 'is not', null).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) return (await duplicateOf(trx, values.value)) ?? refuse('DUPLICATE', 'This MARC record is already in the catalog.');
    await recordEvent(trx, {
      at: now,
      kind: 'record-created',
      record_id: row.id,
      library_id: staff.value.libraryId,
      ...actorEventFields(ctx.actor),
      data: { title: row.title, source: 'marcxml' in input ? 'marcxml' : 'form', controlNumber: row.control_number, controlSource: row.control_source },
    });
    return ok(toRecordView(row));
  });
}

export async function getRecord(ctx: ServiceContext, id: number): Promise<Result<RecordPage>> {
  const page = await loadRecordPage(ctx.db, id);
  return page ? ok(page) : notFound(`Record ${id}`);
}
