// A hold's life: waiting (no target) → targeted → in-transit / on-holds-shelf → fulfilled, or
// cancelled at any point; suspended holds sit out until their date.

export const holdStatuses = ['waiting', 'targeted', 'in-transit', 'on-holds-shelf', 'fulfilled', 'cancelled', 'suspended'] as const;
export type HoldStatus = (typeof holdStatuses)[number];

export const holdTypes = ['title', 'volume', 'copy'] as const;
export type HoldType = (typeof holdTypes)[number];

export const openHoldStatuses: readonly HoldStatus[] = ['waiting', 'targeted', 'in-transit', 'on-holds-shelf', 'suspended'];

export function isOpen(status: HoldStatus): boolean {
  switch (status) {
    case 'waiting':
    case 'targeted':
    case 'in-transit':
    case 'on-holds-shelf':
    case 'suspended':
      return true;
    case 'fulfilled':
    case 'cancelled':
      return false;
  }
}

/** Not yet bound to an item: targeting may still change its target. */
export function isUncaptured(status: HoldStatus): boolean {
  return status === 'waiting' || status === 'targeted';
}
