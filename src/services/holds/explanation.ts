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

/**
 * A candidate as stored: [barcode, library code, library name, nearness, reason excluded?]. The
 * sweep stores a list for every hold it decides, so the stored form is the shortest that keeps
 * what staff read; the sentence for a reason is added when read. Explanations stored before
 * were objects (StoredCandidate), and are read as they are.
 */
type CompactCandidate = [string, string, string, number] | [string, string, string, number, ExclusionReason];

export function explanationRow(holdId: number, decision: TargetingDecision, trigger: TargetingTrigger, run: TargetingRun, now: Date) {
  const candidates = decision.candidates.map((c): CompactCandidate => {
    const library = run.libraries.ref(c.libraryId);
    return c.excludedBecause ? [c.barcode, library.code, library.name, c.nearness, c.excludedBecause] : [c.barcode, library.code, library.name, c.nearness];
  });
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
  const candidates = (row.candidates as (StoredCandidate | CompactCandidate)[]).map(readCandidate);
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

function readCandidate(stored: StoredCandidate | CompactCandidate): StoredCandidate {
  const c: StoredCandidate = Array.isArray(stored)
    ? { barcode: stored[0], library: { code: stored[1], name: stored[2] }, nearness: stored[3], ...(stored[4] ? { excludedBecause: stored[4] } : {}) }
    : stored;
  return c.excludedBecause && !c.why ? { ...c, why: describeExclusion(c.excludedBecause) } : c;
}
