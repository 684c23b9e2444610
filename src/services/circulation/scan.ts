import { requireStaff, type StaffActor } from '../../domain/actor';
import { isBouncing } from '../../domain/circulation/bouncing';
import { shelfExpiresAt } from '../../domain/circulation/shelf-expiry';
import { notFound, ok, type Result } from '../../domain/refusal';
import { decideScan, type ScanDecision } from '../../domain/scan/decide-scan';
import { actorEventFields, type Db, type ServiceContext } from '../context';
import { libraryFactsAt, type LibraryFacts } from '../holds/library-facts';
import type { NewLibraryMessage } from '../library-messages';
import { holdReadyNotice, type NoticeRow } from '../notices/hold-ready-notice';
import { inTransaction, LostRace } from '../transaction';
import { deskAmong } from './desk-library';
import { applyScan, loadAnswerHold, stale, type Stale } from './scan-apply';
import { scanAnswer, type ScanAnswer } from './scan-answer';
import { scanEvents } from './scan-events';
import { loadScanItem, type LoadedItem } from './scan-snapshot';

// The one scan: check in and capture in one call (DESIGN §4). One statement reads the item's
// snapshot, the domain decides, one statement applies the outcome with its events, notice and
// messages — each statement its own transaction, so the hot path is those two round trips (library
// facts come from memory while their version is unchanged). A scan that changes nothing writes
// nothing and answers the same.
//
// The writes go in only if the item, and the hold the scan captures or shelves, are still the
// rows the decision was made on (migration 011): when another desk changed one in between, the
// scan is decided again on what is there now. A scan that keeps losing such races takes the
// item's lock for its last try, so that the others wait for it instead.

const unlockedTries = 3;

export async function scanItem(ctx: ServiceContext, barcode: string, libraryCode?: string): Promise<Result<ScanAnswer>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  for (let attempt = 1; attempt <= unlockedTries; attempt++) {
    const result = await scanOnce(ctx, ctx.db, staff.value, barcode, libraryCode);
    if (result !== stale) return result;
  }
  return inTransaction(ctx, async (trx) => {
    await trx.selectFrom('items').select('id').where('barcode', '=', barcode).forUpdate().execute();
    const result = await scanOnce(ctx, trx, staff.value, barcode, libraryCode);
    // only the hold can still have changed: the whole transaction runs again
    if (result === stale) throw new LostRace(`a hold the scan of item ${barcode} was about to change has changed meanwhile`);
    return result;
  });
}

async function scanOnce(ctx: ServiceContext, db: Db, staff: StaffActor, barcode: string, libraryCode: string | undefined): Promise<Result<ScanAnswer> | Stale> {
  const now = ctx.clock.now();
  const { factsVersion, loaded } = await loadScanItem(db, barcode, now);
  const libraries = await libraryFactsAt(ctx.db, db, factsVersion);
  const desk = deskAmong(staff, libraryCode, libraries.byCode);
  if (!desk.ok) return desk;
  if (!loaded) return notFound(`Item ${barcode}`);
  const here = desk.value;
  const decision = decideScan({
    libraryId: here,
    item: loaded.item,
    transit: loaded.transit,
    loanId: loaded.loan?.id ?? null,
    holds: loaded.holds,
    tree: libraries.tree,
    todayAt: (id) => libraries.todayAt(id, now),
  });
  if (!decision.changed) {
    const hold = decision.holdId === null ? null : await loadAnswerHold(db, decision.holdId);
    return ok(scanAnswer(loaded, decision, libraries, hold, loaded.transit?.id ?? null));
  }
  const shelvedHold = decision.effects.shelveHoldId === null ? null : loaded.holds.find((h) => h.id === decision.effects.shelveHoldId)!;
  const expires = shelvedHold
    ? shelfExpiresAt(now, { calendar: libraries.calendar(shelvedHold.pickupLibraryId), timezone: libraries.timezone(shelvedHold.pickupLibraryId), holdShelfDays: libraries.library(shelvedHold.pickupLibraryId).holdShelfDays })
    : null;
  const changedHoldId = decision.effects.shelveHoldId ?? decision.effects.captureHoldId;
  const written = await applyScan(db, {
    now,
    here,
    itemId: loaded.item.id,
    itemVersion: loaded.itemVersion,
    holdVersion: changedHoldId === null ? null : loaded.versionOfHold.get(changedHoldId)!,
    targetedBy: loaded.holds.find((h) => h.status === 'targeted' && h.targetItemId === loaded.item.id)?.id ?? null,
    recordId: loaded.recordId,
    actor: actorEventFields(ctx.actor),
    decision,
    shelfExpiresAt: expires,
    events: scanEvents(loaded, decision, libraries, expires),
    notice: shelvedHold && expires ? readyNotice(loaded, decision, libraries, shelvedHold.id, expires, now) : null,
    message: bouncingMessage(loaded, decision, libraries, now),
    answerHoldId: decision.holdId,
  });
  if (written === stale) return stale;
  // the transit the item carries now: sent by this scan, or still travelling past this desk
  const transitId = written.newTransitId ?? (decision.effects.receiveTransitId === null ? (loaded.transit?.id ?? null) : null);
  return ok(scanAnswer(loaded, decision, libraries, written.hold, transitId));
}

function readyNotice(loaded: LoadedItem, d: ScanDecision, libraries: LibraryFacts, holdId: number, expires: Date, now: Date): NoticeRow {
  const hold = loaded.holds.find((h) => h.id === holdId)!;
  const patron = loaded.patronOfHold.get(holdId)!;
  const pickup = libraries.library(hold.pickupLibraryId);
  return holdReadyNotice(
    {
      holdId,
      patronId: patron.id,
      patronName: patron.name,
      email: patron.email,
      channel: d.notice ?? 'phone-call',
      pickupLibraryId: pickup.id,
      pickupLibraryName: pickup.name,
      title: loaded.title,
      shelfExpiresAt: expires,
      timezone: pickup.timezone,
      templates: pickup.noticeTemplates,
      openingHours: libraries.calendar(pickup.id).openingHours,
    },
    now,
  );
}

/** The owning library hears of its item the moment this scan's transit makes it bouncing. */
function bouncingMessage(loaded: LoadedItem, d: ScanDecision, libraries: LibraryFacts, now: Date): (NewLibraryMessage & { createdAt: Date }) | null {
  if (d.effects.newTransit === null) return null;
  const before = loaded.travels;
  const after = { ...before, transitsSentAt: [...before.transitsSentAt, now] };
  if (isBouncing(before, libraries.bounce, now) || !isBouncing(after, libraries.bounce, now)) return null;
  const { item } = loaded;
  const { bounceDays } = libraries.bounce;
  return {
    fromLibraryId: null,
    toLibraryId: item.owningLibraryId,
    kind: 'item-bouncing',
    holdId: d.effects.newTransit.holdId,
    itemId: item.id,
    patronId: null,
    subject: `Item ${item.barcode} keeps travelling`,
    body:
      `"${loaded.title}" (${item.barcode}, ${loaded.callNumber}) has been sent between libraries ${after.transitsSentAt.length} times in ${bounceDays} days ` +
      `without being checked out; it is now on its way to ${libraries.ref(d.effects.newTransit.toLibraryId).name}. ` +
      'Please look at its holds and its holdability: it may be filling holds no library can complete.',
    createdAt: now,
  };
}
