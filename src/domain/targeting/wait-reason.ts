import type { ExclusionReason } from './eligibility';

// Why a hold waits, in plain words for staff and patrons.

export const waitReasons = ['no-items', 'all-protected', 'lending-not-allowed', 'all-refused', 'all-targeted', 'not-holdable', 'none-available'] as const;
export type WaitReason = (typeof waitReasons)[number];

/** The reason nearest to "could fill it" wins: a protected copy on the shelf says more than one on loan. */
export function waitReasonOf(itemsInScope: number, exclusions: readonly ExclusionReason[]): WaitReason {
  if (itemsInScope === 0) return 'no-items';
  const has = (r: ExclusionReason): boolean => exclusions.includes(r);
  if (has('age-protected')) return 'all-protected';
  if (has('lending-not-allowed')) return 'lending-not-allowed';
  if (has('targeted-by-another-hold')) return 'all-targeted';
  if (has('refused')) return 'all-refused';
  if (exclusions.every((r) => r === 'item-not-holdable' || r === 'location-not-holdable' || r === 'does-not-circulate')) return 'not-holdable';
  return 'none-available';
}

export function describeWait(reason: WaitReason, candidates: readonly { excludedBecause?: ExclusionReason }[]): string {
  const count = (r: ExclusionReason): number => candidates.filter((c) => c.excludedBecause === r).length;
  switch (reason) {
    case 'no-items':
      return 'Waiting: this title has no copies yet. The hold will be filled as soon as one is added.';
    case 'all-protected':
      return `Waiting: ${plural(count('age-protected'), 'copy is', 'copies are')} new and, for now, only for patrons of the owning library (age protection).`;
    case 'lending-not-allowed':
      return `Waiting: ${plural(count('lending-not-allowed'), 'copy belongs', 'copies belong')} to a library outside the lending program, which neither lends nor borrows.`;
    case 'all-targeted':
      return `Waiting: ${plural(count('targeted-by-another-hold'), 'free copy is', 'free copies are')} already set aside for patrons ahead in the queue.`;
    case 'all-refused':
      return 'Waiting: the libraries with free copies could not fill this hold.';
    case 'not-holdable':
      return 'Waiting: no copy of this title may be held (reference or non-circulating copies).';
    case 'none-available':
      return `Waiting: all ${plural(candidates.length, 'copy is', 'copies are')} on loan or otherwise not on the shelf.`;
  }
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? `1 ${one}` : `${n} ${many}`;
}
