import { requireStaff } from '../../domain/actor';
import { isBouncing } from '../../domain/circulation/bouncing';
import { shelfExpiresAt } from '../../domain/circulation/shelf-expiry';
import { notFound, ok, type Result } from '../../domain/refusal';
import { decideScan, type ScanDecision } from '../../domain/scan/decide-scan';
import { actorEventFields, type ServiceContext } from '../context';
import { libraryFactsAt, type LibraryFacts } from '../holds/library-facts';
import type { NewLibraryMessage } from '../library-messages';
import { holdReadyNotice, type NoticeRow } from '../notices/hold-ready-notice';
import { inTransaction } from '../transaction';
import { deskAmong } from './desk-library';
import { applyScan, loadAnswerHold } from './scan-apply';
import { scanAnswer, type ScanAnswer } from './scan-answer';
import { scanEvents } from './scan-events';
import { loadScanItem, type LoadedItem } from './scan-snapshot';

// The one scan: check in and capture in one call (DESIGN §4). One statement loads the item's
// snapshot, the domain decides, one statement applies the outcome with its events, notice and
// messages. A scan that changes nothing writes nothing and answers the same. Library facts come
// from memory while their version is unchanged, so the hot path is those two round trips.

export async function scanItem(ctx: ServiceContext, barcode: string, libraryCode?: string): Promise<Result<ScanAnswer>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  return inTransaction(ctx, async (trx): Promise<Result<ScanAnswer>> => {
    const now = ctx.clock.now();
    const { factsVersion, loaded } = await loadScanItem(trx, barcode, now);
    const libraries = await libraryFactsAt(ctx.db, trx, factsVersion);
    const desk = deskAmong(staff.value, libraryCode, libraries.byCode);
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
      const hold = decision.holdId === null ? null : await loadAnswerHold(trx, decision.holdId);
      return ok(scanAnswer(loaded, decision, libraries, hold, loaded.transit?.id ?? null));
    }
    const shelvedHold = decision.effects.shelveHoldId === null ? null : loaded.holds.find((h) => h.id === decision.effects.shelveHoldId)!;
    const expires = shelvedHold
      ? shelfExpiresAt(now, { calendar: libraries.calendar(shelvedHold.pickupLibraryId), timezone: libraries.timezone(shelvedHold.pickupLibraryId), holdShelfDays: libraries.library(shelvedHold.pickupLibraryId).holdShelfDays })
      : null;
    const written = await applyScan(trx, {
      now,
      here,
      itemId: loaded.item.id,
      recordId: loaded.recordId,
      actor: actorEventFields(ctx.actor),
      decision,
      shelfExpiresAt: expires,
      events: scanEvents(loaded, decision, libraries, expires),
      notice: shelvedHold && expires ? readyNotice(loaded, decision, libraries, shelvedHold.id, expires, now) : null,
      message: bouncingMessage(loaded, decision, libraries, now),
      answerHoldId: decision.holdId,
    });
    // the transit the item carries now: sent by this scan, or still travelling past this desk
    const transitId = written.newTransitId ?? (decision.effects.receiveTransitId === null ? (loaded.transit?.id ?? null) : null);
    return ok(scanAnswer(loaded, decision, libraries, written.hold, transitId));
  });
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
