import { requireOwnLibrary, requireStaff } from '../domain/actor';
import { notFound, ok, type Result } from '../domain/refusal';
import type { Db, ServiceContext, Tx } from './context';
import { findLibraryByCode, type LibraryRef } from './library-view';
import { toPatronRef, type PatronRef } from './patron-view';

// Library-to-library messages (DESIGN §4 "Notices"): what one library must know about another's
// action, e.g. a hold it was filling was cancelled. Written in the transaction of that action,
// read on the receiving library's message list.

export interface NewLibraryMessage {
  /** null when the patron or the consortium office acted, not a library. */
  fromLibraryId: number | null;
  toLibraryId: number;
  kind: string;
  holdId: number | null;
  itemId: number | null;
  patronId: number | null;
  subject: string;
  body: string;
}

export interface LibraryMessageView {
  id: number;
  kind: string;
  from: LibraryRef | null;
  subject: string;
  body: string;
  hold: { id: number } | null;
  item: { barcode: string } | null;
  patron: PatronRef | null;
  createdAt: string;
  readAt: string | null;
}

export interface MessageSearch {
  unread?: boolean;
  limit: number;
  offset: number;
}

export async function sendLibraryMessage(trx: Tx, message: NewLibraryMessage, now: Date): Promise<void> {
  await trx
    .insertInto('library_messages')
    .values({
      from_library_id: message.fromLibraryId,
      to_library_id: message.toLibraryId,
      kind: message.kind,
      hold_id: message.holdId,
      item_id: message.itemId,
      patron_id: message.patronId,
      subject: message.subject,
      body: message.body,
      created_at: now,
    })
    .execute();
}

/** Only the receiving library's staff (and the consortium administrators) read its messages. */
async function ownLibrary(ctx: ServiceContext, code: string): Promise<Result<number>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const library = await findLibraryByCode(ctx.db, code);
  if (!library) return notFound(`Library ${code}`);
  const own = requireOwnLibrary(staff.value, library.id, library.code);
  if (!own.ok) return own;
  return ok(library.id);
}

function messageQuery(db: Db, libraryId: number) {
  return db
    .selectFrom('library_messages as m')
    .leftJoin('libraries as sender', 'sender.id', 'm.from_library_id')
    .leftJoin('items as i', 'i.id', 'm.item_id')
    .leftJoin('patrons as p', 'p.id', 'm.patron_id')
    .select([
      'm.id',
      'm.kind',
      'm.subject',
      'm.body',
      'm.hold_id',
      'm.created_at',
      'm.read_at',
      'sender.code as sender_code',
      'sender.name as sender_name',
      'i.barcode as item_barcode',
      'p.barcode as patron_barcode',
      'p.first_name',
      'p.last_name',
    ])
    .where('m.to_library_id', '=', libraryId);
}

type MessageRow = Awaited<ReturnType<ReturnType<typeof messageQuery>['executeTakeFirstOrThrow']>>;

function toView(row: MessageRow): LibraryMessageView {
  return {
    id: Number(row.id),
    kind: row.kind,
    from: row.sender_code !== null && row.sender_name !== null ? { code: row.sender_code, name: row.sender_name } : null,
    subject: row.subject,
    body: row.body,
    hold: row.hold_id === null ? null : { id: row.hold_id },
    item: row.item_barcode === null ? null : { barcode: row.item_barcode },
    patron: row.patron_barcode === null || row.first_name === null || row.last_name === null ? null : toPatronRef({ barcode: row.patron_barcode, first_name: row.first_name, last_name: row.last_name }),
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at ? row.read_at.toISOString() : null,
  };
}

/** A library's messages, newest first. */
export async function listLibraryMessages(ctx: ServiceContext, code: string, search: MessageSearch): Promise<Result<LibraryMessageView[]>> {
  const library = await ownLibrary(ctx, code);
  if (!library.ok) return library;
  let query = messageQuery(ctx.db, library.value).orderBy('m.created_at', 'desc').orderBy('m.id', 'desc').limit(search.limit).offset(search.offset);
  if (search.unread) query = query.where('m.read_at', 'is', null);
  return ok((await query.execute()).map(toView));
}

/** Marks a message read; reading it again keeps the first time it was read. */
export async function markLibraryMessageRead(ctx: ServiceContext, code: string, id: number): Promise<Result<LibraryMessageView>> {
  const library = await ownLibrary(ctx, code);
  if (!library.ok) return library;
  await ctx.db
    .updateTable('library_messages')
    .set({ read_at: ctx.clock.now() })
    .where('id', '=', String(id))
    .where('to_library_id', '=', library.value)
    .where('read_at', 'is', null)
    .execute();
  const row = await messageQuery(ctx.db, library.value).where('m.id', '=', String(id)).executeTakeFirst();
  // another library's message is as unknown here as one that does not exist
  return row ? ok(toView(row)) : notFound(`Message ${id} of library ${code}`);
}
