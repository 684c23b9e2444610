// The shapes of the API answers the app reads (API.md). Answers may carry more fields.

export type StaffRole = 'circulation' | 'cataloger' | 'library-admin' | 'consortium-admin';

export interface LibraryRef {
  code: string;
  name: string;
}

export interface PatronRef {
  barcode: string;
  name: string;
}

export type NotifyChannel = 'email' | 'phone';

export interface User {
  kind: 'staff' | 'patron';
  username: string | null;
  role?: StaffRole;
  barcode?: string;
  name?: string;
  library: LibraryRef;
}

export type OpeningHours = Partial<Record<Weekday, [string, string] | null>>;
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface ClosedDates {
  from: string;
  to: string;
  reason?: string | null;
}

export interface Library extends LibraryRef {
  kind: 'library' | 'system';
  parentCode: string | null;
  participatesInLending: boolean;
  email: string | null;
  phone: string | null;
  timezone: string;
  openingHours: OpeningHours;
  closedDates: ClosedDates[];
  holdShelfDays: number;
  loanDays: number;
}

export interface Consortium {
  code: string;
  name: string;
  targetingPolicy: 'random' | 'balanced';
  retargetAfterHours: number;
  maxOpenHoldsPerPatron: number;
  bounceTransits: number;
  bounceDays: number;
  courtesyNoticeDays?: number;
}

export interface StaffAccount {
  username: string;
  role: StaffRole;
  library: LibraryRef;
  active: boolean;
  createdAt: string;
}

export interface Patron extends PatronRef {
  firstName: string;
  lastName: string;
  homeLibrary: LibraryRef;
  email: string | null;
  phone: string | null;
  notifyBy: NotifyChannel[];
  defaultPickupLibrary: LibraryRef | null;
  username: string | null;
  blocked: boolean;
  blockReason: string | null;
  createdAt: string;
}

export interface PatronLoan {
  id: number;
  item: ItemRef & { title?: string };
  record?: { id: number; title: string };
  dueDate: string;
  checkedOutAt: string;
  renewals: number;
}

export interface PatronDetail extends Patron {
  holds: Hold[];
  loans: PatronLoan[];
}

export type ItemStatus =
  | 'available'
  | 'checked-out'
  | 'in-transit'
  | 'on-holds-shelf'
  | 'missing'
  | 'damaged'
  | 'lost'
  | 'in-process'
  | 'transit-cancelled';

export interface ItemRef {
  barcode: string;
  status: ItemStatus;
  library: LibraryRef;
  title?: string;
  callNumber?: string;
}

export type HoldStatus = 'waiting' | 'targeted' | 'in-transit' | 'on-holds-shelf' | 'fulfilled' | 'cancelled' | 'suspended';
export type CancelReason = 'patron-request' | 'staff' | 'lender-unable' | 'not-picked-up' | 'other';

export interface Candidate {
  barcode: string;
  library: LibraryRef;
  nearness?: number;
  excludedBecause?: string;
}

export interface Hold {
  id: number;
  type: 'title' | 'volume' | 'copy';
  status: HoldStatus;
  patron: PatronRef;
  record: { id: number; title: string };
  pickupLibrary: LibraryRef;
  requestedAt: string;
  notifyBy?: NotifyChannel[];
  volumeId?: number | null;
  itemBarcode?: string | null;
  target?: { barcode: string; library: LibraryRef } | null;
  capturedItem?: { barcode: string; library: LibraryRef } | null;
  capturedAt?: string | null;
  shelvedAt?: string | null;
  shelfExpiresAt?: string | null;
  fulfilledAt?: string | null;
  cancelledAt?: string | null;
  cancelReason?: string | null;
  suspendedUntil?: string | null;
  queuePosition: number | null;
  explanation?: { summary: string; candidates: Candidate[]; chosen?: { barcode: string; library: LibraryRef } | null } | null;
}

export interface Slip {
  kind: 'transit' | 'hold-shelf' | 'due-date';
  copies: number;
  url: string;
}

export interface ScanAnswer {
  action: 'shelve' | 'holds-shelf' | 'transit';
  item: ItemRef;
  destination?: LibraryRef;
  hold?: Hold;
  patron?: PatronRef & { phone?: string | null; email?: string | null };
  notice?: 'email' | 'phone-call';
  messages: string[];
  slips: Slip[];
}

export interface Loan {
  id: number;
  dueDate: string;
  checkedOutAt: string;
  renewals: number;
  item: ItemRef;
  patron: PatronRef;
  library: LibraryRef;
  overrideReason: string | null;
  returnedAt: string | null;
}

export interface CheckoutAnswer {
  loan: Loan;
  fulfilledHoldId?: number | null;
  slips: Slip[];
  messages?: string[];
}

export interface RecordSummary {
  id: number;
  title: string;
  author: string | null;
  /** Copies on the shelf and in all (at the searched library when one is named). */
  available: number;
  total: number;
  year?: number | null;
  format?: string;
  publication?: string | null;
  /** Copies in the whole consortium. */
  overall?: { available: number; total: number };
}

export interface SearchFacets {
  formats?: { format: string; records: number }[];
  libraries?: { code: string; name: string; records: number; available: number }[];
}

export interface SearchAnswer {
  total: number;
  /** False when more records match than the search counted: `total` is then how many at least. */
  totalExact?: boolean;
  records: RecordSummary[];
  facets?: SearchFacets;
}

export interface RecordItem extends ItemRef {
  location: { name: string; holdable: boolean } | null;
  holdable: boolean;
  circulates: boolean;
  dueDate: string | null;
}

export interface RecordDetail {
  id: number;
  title: string;
  author: string | null;
  isbn: string[];
  publisher: string | null;
  year: number | null;
  subjects: string[];
  format?: string;
  volumes: { id: number; library: LibraryRef; callNumber: string; items: RecordItem[] }[];
}

export interface HistoryEvent {
  at: string;
  kind: string;
  library: LibraryRef | null;
  staff: string | null;
  reason: string | null;
  data: Record<string, unknown> | null;
}

export interface ItemScreen extends ItemRef {
  owningLibrary: LibraryRef;
  currentLibrary: LibraryRef | null;
  record: { id: number; title: string; author: string | null };
  volume: { id: number; callNumber: string };
  callNumber: string;
  location: { name: string; holdable: boolean } | null;
  holdable: boolean;
  circulates: boolean;
  catalogedAt: string | null;
  ageProtection: 'none' | '1m' | '3m' | '6m';
  protectedUntil: string | null;
  hold: { id: number; status: HoldStatus; patron: PatronRef; pickupLibrary: LibraryRef } | null;
  transit: TransitInfo | null;
  loan: { id: number; patron: PatronRef; dueDate: string; checkedOutAt: string } | null;
  circulations: number;
  flags: string[];
  history: HistoryEvent[];
}

export interface TransitInfo {
  id: number;
  kind: 'hold' | 'return';
  source: LibraryRef;
  destination: LibraryRef;
  sentAt: string;
}

export interface PullLine {
  hold: { id: number; type: string; requestedAt: string };
  item: { barcode: string; callNumber: string; location: string | null; title: string; author?: string | null };
  patron: PatronRef;
  pickupLibrary: LibraryRef;
  requestedAt: string;
  targetedAt?: string;
}

export interface ShelfLine {
  hold: { id: number };
  item: { barcode: string; title: string; callNumber: string };
  patron: PatronRef;
  shelvedAt: string;
  shelfExpiresAt: string;
  expired: boolean;
}

export interface TransitLine {
  id: number;
  kind: 'hold' | 'return';
  direction: 'incoming' | 'outgoing';
  item: ItemRef;
  source: LibraryRef;
  destination: LibraryRef;
  sentAt: string;
  hold: { id: number; status: HoldStatus; patron: PatronRef; pickupLibrary: LibraryRef } | null;
  daysInTransit: number;
}

export interface AwayLine {
  item: ItemRef;
  where?: LibraryRef;
  owner?: LibraryRef;
  state: string;
  since: string;
  patron: PatronRef | null;
  dueDate?: string | null;
}

export interface ProblemLine {
  item: ItemRef;
  flags?: (string | { kind?: string; code?: string; message?: string })[];
  reason?: string;
  message?: string;
  [key: string]: unknown;
}

export interface PhoneCall {
  id: number;
  kind: string;
  state: string;
  patron: PatronRef;
  phone: string | null;
  title: string;
  hold: { id: number };
  pickupBy: string | null;
  subject: string;
  text: string;
  createdAt: string;
  outcome: string | null;
  note: string | null;
  doneAt: string | null;
}

export interface LibraryMessage {
  id: number;
  kind: string;
  from: LibraryRef;
  subject: string;
  body: string;
  hold: { id: number } | null;
  item: { barcode: string } | null;
  patron: PatronRef | null;
  createdAt: string;
  readAt: string | null;
}

export interface Notice {
  id: number;
  kind: string;
  channel: string;
  toAddress: string | null;
  subject: string;
  text: string;
  state: string;
  createdAt: string;
  sentAt: string | null;
  reason: string | null;
}

export interface ReportRow {
  holdId: number;
  patron: PatronRef;
  homeLibrary: LibraryRef;
  title: string;
  lendingLibrary: LibraryRef | null;
  pickupLibrary: LibraryRef;
  placedAt: string;
  filledAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
}

export interface HoldsReport {
  library: LibraryRef;
  from: string;
  to: string;
  placedByOurPatrons: ReportRow[];
  placedByOtherPatrons: ReportRow[];
  totals: { placed: number; borrowed: number; lent: number; cancelled: number };
}

export interface BalanceRow {
  library: LibraryRef;
  month?: string;
  lent: number;
  borrowed: number;
  ratio: number | null;
}

export interface Location {
  name: string;
  holdable: boolean;
  items?: number;
}
