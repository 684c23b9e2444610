import type { Actor } from '../../domain/actor';
import type { Tx } from '../context';
import { sendLibraryMessage } from '../library-messages';
import { patronName } from '../patron-view';

// The message to a library whose item was reported not on the shelf from its pull list
// (DESIGN §4 "Notices": library-to-library messages). The desk that looked for it is often not the
// person who keeps the catalog straight: the message stays on the library's list, naming the item
// and where to look, until someone deals with it.

export interface MissingFromPullList {
  holdId: number;
  itemId: number;
  /** The item's owning library, whose pull list it was on. */
  libraryId: number;
}

export async function sendItemMissingMessage(trx: Tx, missing: MissingFromPullList, actor: Actor, now: Date): Promise<void> {
  const facts = await trx
    .selectFrom('items as i')
    .innerJoin('records as r', 'r.id', 'i.record_id')
    .innerJoin('volumes as v', 'v.id', 'i.volume_id')
    .innerJoin('holds as h', (join) => join.on('h.id', '=', missing.holdId))
    .innerJoin('patrons as p', 'p.id', 'h.patron_id')
    .innerJoin('libraries as pickup', 'pickup.id', 'h.pickup_library_id')
    .select(['i.barcode', 'r.title', 'v.call_number', 'p.id as patron_id', 'p.barcode as patron_barcode', 'p.first_name', 'p.last_name', 'pickup.name as pickup_name'])
    .where('i.id', '=', missing.itemId)
    .executeTakeFirstOrThrow();
  const reporter = actor.kind === 'staff' ? actor : null;
  const who = reporter ? `${reporter.username} (${reporter.libraryCode})` : 'someone';
  const patron = `${patronName(facts.first_name, facts.last_name)} (${facts.patron_barcode})`;
  await sendLibraryMessage(
    trx,
    {
      fromLibraryId: reporter?.libraryId ?? null,
      toLibraryId: missing.libraryId,
      kind: 'item-missing',
      holdId: missing.holdId,
      itemId: missing.itemId,
      patronId: facts.patron_id,
      subject: `Not on shelf: ${facts.barcode} "${facts.title}"`,
      body: [
        `${who} could not find ${facts.barcode} ("${facts.title}", ${facts.call_number}) on the shelf for hold ${missing.holdId} of ${patron}, to pick up at ${facts.pickup_name}.`,
        `The item is now marked missing, and the hold looks for another copy.`,
        `If it turns up, scan it: the scan marks it found and sends it where it is needed.`,
      ].join('\n'),
    },
    now,
  );
}
