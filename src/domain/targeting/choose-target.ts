import { nearness } from '../library-tree';
import { exclusionOf, inScope, type EligibilityFacts, type ExclusionReason, type HoldForTargeting, type ItemForHold } from './eligibility';
import { describeWait, waitReasonOf, type WaitReason } from './wait-reason';

// Targeting (DESIGN §4): the pickup library's own items first, then the nearest libraries;
// among equally near libraries the consortium's policy draws one, then one of its items.

export type TargetingPolicy = 'random' | 'balanced';

export interface TargetingFacts extends EligibilityFacts {
  policy: TargetingPolicy;
  /** Libraries whose earlier target for this hold timed out: tried only after untried ones. */
  timedOutLibraryIds: ReadonlySet<number>;
  /** The current target, kept by the sweep only when nothing else is left. */
  previousTargetItemId: number | null;
  /** Items each library lent in the last 30 days (policy `balanced`). */
  lentLast30Days: ReadonlyMap<number, number>;
  /** A random number in [0, 1); injected so that tests are exact. */
  random(): number;
}

export interface CandidateExplanation {
  itemId: number;
  barcode: string;
  libraryId: number;
  nearness: number;
  excludedBecause?: ExclusionReason;
}

export type TargetingDecision =
  | {
      outcome: 'targeted';
      itemId: number;
      libraryId: number;
      summary: string;
      candidates: CandidateExplanation[];
      /** The draws that chose the library and the item (empty when there was no choice). */
      draws: number[];
    }
  | { outcome: 'waiting'; reason: WaitReason; summary: string; candidates: CandidateExplanation[] };

interface Ranked {
  item: ItemForHold;
  tier: number;
  nearness: number;
}

/** 0: a library not yet tried; 1: one that let an earlier target time out; 2: the previous target. */
function tierOf(item: ItemForHold, facts: TargetingFacts): number {
  if (item.id === facts.previousTargetItemId) return 2;
  return facts.timedOutLibraryIds.has(item.owningLibraryId) ? 1 : 0;
}

function drawLibrary(libraries: number[], facts: TargetingFacts): { libraryId: number; draw: number } {
  const weights = libraries.map((id) => (facts.policy === 'balanced' ? 1 / (1 + (facts.lentLast30Days.get(id) ?? 0)) : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const draw = facts.random();
  let point = draw * total;
  for (let i = 0; i < libraries.length; i++) {
    point -= weights[i];
    if (point < 0) return { libraryId: libraries[i], draw };
  }
  return { libraryId: libraries[libraries.length - 1], draw };
}

export function chooseTarget(hold: HoldForTargeting, items: readonly ItemForHold[], facts: TargetingFacts): TargetingDecision {
  const scoped = items.filter((item) => inScope(hold, item));
  const candidates: CandidateExplanation[] = [];
  const eligible: Ranked[] = [];
  for (const item of scoped) {
    const steps = nearness(facts.tree, item.owningLibraryId, hold.pickupLibraryId);
    const excluded = item.id === facts.previousTargetItemId ? previousTargetExclusion(hold, item, facts) : exclusionOf(hold, item, facts);
    candidates.push({ itemId: item.id, barcode: item.barcode, libraryId: item.owningLibraryId, nearness: steps, ...(excluded ? { excludedBecause: excluded } : {}) });
    if (!excluded) eligible.push({ item, tier: tierOf(item, facts), nearness: steps });
  }
  candidates.sort((a, b) => a.nearness - b.nearness || a.barcode.localeCompare(b.barcode));
  if (eligible.length === 0) {
    const reason = waitReasonOf(scoped.length, candidates.map((c) => c.excludedBecause as ExclusionReason));
    return { outcome: 'waiting', reason, summary: describeWait(reason, candidates), candidates };
  }
  const best = eligible.reduce((a, b) => (b.tier < a.tier || (b.tier === a.tier && b.nearness < a.nearness) ? b : a));
  const group = eligible.filter((r) => r.tier === best.tier && r.nearness === best.nearness);
  const libraries = [...new Set(group.map((r) => r.item.owningLibraryId))].sort((a, b) => a - b);
  const draws: number[] = [];
  let libraryId = libraries[0];
  if (libraries.length > 1) {
    const drawn = drawLibrary(libraries, facts);
    libraryId = drawn.libraryId;
    draws.push(drawn.draw);
  }
  const ofLibrary = group.filter((r) => r.item.owningLibraryId === libraryId).map((r) => r.item).sort((a, b) => a.id - b.id);
  let chosen = ofLibrary[0];
  if (ofLibrary.length > 1) {
    const draw = facts.random();
    draws.push(draw);
    chosen = ofLibrary[Math.min(ofLibrary.length - 1, Math.floor(draw * ofLibrary.length))];
  }
  return {
    outcome: 'targeted',
    itemId: chosen.id,
    libraryId,
    summary: describeChoice(best, libraries.length, facts.policy),
    candidates,
    draws,
  };
}

// The previous target is "taken" by this very hold; judge it on everything else.
function previousTargetExclusion(hold: HoldForTargeting, item: ItemForHold, facts: TargetingFacts): ExclusionReason | null {
  return exclusionOf(hold, item, { ...facts, takenItemIds: new Set([...facts.takenItemIds].filter((id) => id !== item.id)) });
}

function describeChoice(best: Ranked, libraryCount: number, policy: TargetingPolicy): string {
  const where =
    best.nearness === 0 ? 'a copy at the pickup library' : `a copy ${best.nearness} steps from the pickup library (the nearest available)`;
  const among = libraryCount > 1 ? `, drawn among ${libraryCount} equally near libraries (${policy === 'balanced' ? 'weighted by recent lending' : 'at random'})` : '';
  const tier = best.tier === 1 ? ' All untried libraries were out; this library had let an earlier target pass.' : best.tier === 2 ? ' No other copy is free, so the previous target stays.' : '';
  return `Targeted ${where}${among}.${tier}`;
}
