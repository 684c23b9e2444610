import type { TargetingDecision } from '../../domain/targeting/choose-target';
import { describeExclusion, type ExclusionReason } from '../../domain/targeting/eligibility';
import type { LibraryRef } from '../library-view';
import type { TargetingRun, TargetingTrigger } from './target-hold';

// A targeting's explanation is stored as staff will read it — barcodes and library names as
// they were at that moment — so the hold screen shows history, not today's guess.

export interface StoredCandidate {
  barcode: string;
  library: LibraryRef;
  nearness: number;
  excludedBecause?: ExclusionReason;
  why?: string;
}

export interface Explanation {
  at: string;
  trigger: string;
  policy: string;
  summary: string;
  candidates: StoredCandidate[];
  chosen?: { barcode: string; library: LibraryRef };
  draws?: number[];
}

export function explanationRow(holdId: number, decision: TargetingDecision, trigger: TargetingTrigger, run: TargetingRun, now: Date) {
  const candidates: StoredCandidate[] = decision.candidates.map((c) => ({
    barcode: c.barcode,
    library: run.libraries.ref(c.libraryId),
    nearness: c.nearness,
    // the sentence for a reason is added when read (toExplanation): the sweep stores a list for
    // every hold it decides, and these sentences made up most of it
    ...(c.excludedBecause ? { excludedBecause: c.excludedBecause } : {}),
  }));
  const targeted = decision.outcome === 'targeted';
  return {
    hold_id: holdId,
    at: now,
    trigger,
    policy: run.policy,
    summary: decision.summary,
    outcome: targeted ? 'targeted' : decision.reason,
    candidates,
    chosen_item_id: targeted ? decision.itemId : null,
    draw: targeted && decision.draws.length > 0 ? decision.draws[0] : null,
  };
}

interface TargetingRow {
  at: Date;
  trigger: string;
  policy: string;
  summary: string;
  candidates: unknown[];
  chosen_item_id: number | null;
  draw: number | null;
}

export function toExplanation(row: TargetingRow | undefined, chosenBarcode: string | null): Explanation | null {
  if (!row) return null;
  const candidates = (row.candidates as StoredCandidate[]).map((c) => (c.excludedBecause && !c.why ? { ...c, why: describeExclusion(c.excludedBecause) } : c));
  const chosen = chosenBarcode ? candidates.find((c) => c.barcode === chosenBarcode) : undefined;
  return {
    at: row.at.toISOString(),
    trigger: row.trigger,
    policy: row.policy,
    summary: row.summary,
    candidates,
    ...(chosen ? { chosen: { barcode: chosen.barcode, library: chosen.library } } : {}),
    ...(row.draw !== null ? { draws: [row.draw] } : {}),
  };
}
