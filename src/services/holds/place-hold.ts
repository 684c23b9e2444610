import { sql } from 'kysely';
import { requireSignedIn } from '../../domain/actor';
import type { HoldType } from '../../domain/holds/hold-status';
import { checkPlacement } from '../../domain/holds/placement';
import { invalid, notFound, ok, refuse, type Result } from '../../domain/refusal';
import { recordEvent } from '../../db/events';
import type { PatronRow } from '../../db/schema';
import { actorEventFields, type ServiceContext, type Tx } from '../context';
import { findPatronByBarcode } from '../patrons';
import { holdEventFacts } from '../reports/hold-event-facts';
import { inTransaction } from '../transaction';
import { loadHoldViews, type HoldView } from './hold-view';
import { loadItemsForHold, targetHold } from './target-hold';
import { startTargetingRun } from './targeting-run';

export interface NewHold {
  patronBarcode?: string;
  type: HoldType;
  recordId?: number;
  volumeId?: number;
  itemBarcode?: string;
  pickupLibraryCode?: string;
  notifyBy?: ('email' | 'phone')[];
}

interface HoldScope {
  recordId: number;
  volumeId: number | null;
  itemId: number | null;
  title: string;
}

async function resolveScope(trx: Tx, input: NewHold): Promise<Result<HoldScope>> {
  switch (input.type) {
    case 'title': {
      if (input.recordId === undefined) return invalid('recordId', 'A title hold needs the record id.');
      const record = await trx.selectFrom('records').select(['id', 'title']).where('id', '=', input.recordId).executeTakeFirst();
      return record ? ok({ recordId: record.id, volumeId: null, itemId: null, title: record.title }) : notFound(`Record ${input.recordId}`);
    }
    case 'volume': {
      if (input.volumeId === undefined) return invalid('volumeId', 'A volume hold needs the volume id.');
      const volume = await trx
        .selectFrom('volumes')
        .innerJoin('records', 'records.id', 'volumes.record_id')
        .select(['volumes.id', 'volumes.record_id', 'records.title'])
        .where('volumes.id', '=', input.volumeId)
        .executeTakeFirst();
      return volume ? ok({ recordId: volume.record_id, volumeId: volume.id, itemId: null, title: volume.title }) : notFound(`Volume ${input.volumeId}`);
    }
    case 'copy': {
      if (input.itemBarcode === undefined) return invalid('itemBarcode', 'A copy hold needs the item barcode.');
      const item = await trx
        .selectFrom('items')
        .innerJoin('records', 'records.id', 'items.record_id')
        .select(['items.id', 'items.record_id', 'items.volume_id', 'records.title'])
        .where('items.barcode', '=', input.itemBarcode)
        .executeTakeFirst();
      return item ? ok({ recordId: item.record_id, volumeId: item.volume_id, itemId: item.id, title: item.title }) : notFound(`Item ${input.itemBarcode}`);
    }
  }
}

async function resolvePatron(ctx: ServiceContext, trx: Tx, input: NewHold): Promise<Result<PatronRow>> {
  const actor = ctx.actor;
  if (actor.kind === 'patron') {
    if (input.patronBarcode !== undefined && input.patronBarcode !== actor.barcode) {
      return refuse('FORBIDDEN', 'A patron places holds only for themselves.');
    }
    const self = await trx.selectFrom('patrons').selectAll().where('id', '=', actor.patronId).executeTakeFirstOrThrow();
    return ok(self);
  }
  if (input.patronBarcode === undefined) return invalid('patronBarcode', 'Say which patron the hold is for (patronBarcode).');
  const patron = await findPatronByBarcode(trx, input.patronBarcode);
  return patron ? ok(patron) : notFound(`Patron ${input.patronBarcode}`);
}

function notifyChoice(patron: PatronRow, requested: NewHold['notifyBy']): Result<string[]> {
  const notifyBy = requested ?? patron.notify_by;
  if (notifyBy.includes('email') && !patron.email) return invalid('notifyBy', 'This patron has no email address to be notified at.');
  if (notifyBy.includes('phone') && !patron.phone) return invalid('notifyBy', 'This patron has no phone number to be called at.');
  return ok([...new Set(notifyBy)]);
}

/** Places a hold and targets it in the same transaction: the answer already shows its target. */
export async function placeHold(ctx: ServiceContext, input: NewHold): Promise<Result<HoldView>> {
  const signedIn = requireSignedIn(ctx.actor);
  if (!signedIn.ok) return signedIn;
  const actor = signedIn.value;
  const placed = await inTransaction(ctx, async (trx): Promise<Result<number>> => {
    const patron = await resolvePatron(ctx, trx, input);
    if (!patron.ok) return patron;
    const scope = await resolveScope(trx, input);
    if (!scope.ok) return scope;
    const pickupId =
      input.pickupLibraryCode === undefined
        ? actor.kind === 'staff' && actor.libraryId !== null
          ? actor.libraryId
          : (patron.value.default_pickup_library_id ?? patron.value.home_library_id)
        : (await trx.selectFrom('libraries').select('id').where('code', '=', input.pickupLibraryCode).executeTakeFirst())?.id;
    if (pickupId === undefined) return notFound(`Library ${input.pickupLibraryCode}`);
    const [pickup, home, counts, consortium] = await Promise.all([
      trx.selectFrom('libraries').select(['id', 'code', 'kind', 'participates_in_lending']).where('id', '=', pickupId).executeTakeFirstOrThrow(),
      trx.selectFrom('libraries').select(['code', 'participates_in_lending']).where('id', '=', patron.value.home_library_id).executeTakeFirstOrThrow(),
      trx
        .selectFrom('holds')
        .select((eb) => [eb.fn.countAll<number>().as('open'), eb.fn.sum<number>(eb.case().when('record_id', '=', scope.value.recordId).then(1).else(0).end()).as('on_record')])
        .where('patron_id', '=', patron.value.id)
        .where('status', 'not in', ['fulfilled', 'cancelled'])
        .executeTakeFirstOrThrow(),
      trx.selectFrom('consortium').select('max_open_holds_per_patron').executeTakeFirstOrThrow(),
    ]);
    if (pickup.kind !== 'library') return invalid('pickupLibraryCode', `${pickup.code} is a system; holds are picked up at one of its libraries.`);
    const notifyBy = notifyChoice(patron.value, input.notifyBy);
    if (!notifyBy.ok) return notifyBy;
    const items = input.type === 'title' ? [] : await loadItemsForHold(trx, scope.value.recordId);
    const allowed = checkPlacement({
      placedBy: actor.kind,
      staffLibraryId: actor.kind === 'staff' ? actor.libraryId : null,
      type: input.type,
      patron: { blocked: patron.value.blocked, blockReason: patron.value.block_reason, homeLibraryId: patron.value.home_library_id, homeParticipates: home.participates_in_lending },
      pickup: { id: pickup.id, code: pickup.code, participates: pickup.participates_in_lending },
      homeLibraryCode: home.code,
      scopeItems: items.filter((i) => (input.type === 'copy' ? i.id === scope.value.itemId : i.volumeId === scope.value.volumeId)),
      openHolds: Number(counts.open),
      maxOpenHolds: consortium.max_open_holds_per_patron,
      hasOpenHoldOnRecord: Number(counts.on_record ?? 0) > 0,
    });
    if (!allowed.ok) return allowed;
    const now = ctx.clock.now();
    const hold = await trx
      .insertInto('holds')
      .values({
        type: input.type,
        patron_id: patron.value.id,
        record_id: scope.value.recordId,
        volume_id: scope.value.volumeId,
        item_id: scope.value.itemId,
        pickup_library_id: pickup.id,
        status: 'waiting',
        notify_by: notifyBy.value,
        requested_at: now,
        placed_by_staff_id: actor.kind === 'staff' ? actor.staffId : null,
      })
      .onConflict((oc) => oc.columns(['patron_id', 'record_id']).where(sql<boolean>`status NOT IN ('fulfilled', 'cancelled')`).doNothing())
      .returning('id')
      .executeTakeFirst();
    // a second request for the same patron and title that committed first
    if (!hold) return refuse('HOLD_EXISTS', 'This patron already has an open hold on this title.');
    await recordEvent(trx, {
      at: now,
      kind: 'hold-placed',
      ...actorEventFields(ctx.actor),
      hold_id: hold.id,
      patron_id: patron.value.id,
      record_id: scope.value.recordId,
      item_id: scope.value.itemId,
      library_id: pickup.id,
      data: {
        type: input.type,
        notifyBy: notifyBy.value,
        ...holdEventFacts({ barcode: patron.value.barcode, firstName: patron.value.first_name, lastName: patron.value.last_name, homeLibraryCode: home.code, title: scope.value.title, pickupLibraryCode: pickup.code }),
      },
    });
    await targetHold(await startTargetingRun(trx, ctx), hold.id, 'placed');
    return ok(hold.id);
  });
  if (!placed.ok) return placed;
  const [view] = await loadHoldViews(ctx.db, [placed.value]);
  return ok(view);
}
