// An item's status (API.md). The database CHECK on items.status holds the same list.
export const itemStatuses = [
  'available',
  'checked-out',
  'in-transit',
  'on-holds-shelf',
  'missing',
  'damaged',
  'lost',
  'in-process',
  'transit-cancelled',
] as const;
export type ItemStatus = (typeof itemStatuses)[number];
