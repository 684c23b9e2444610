import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Row types of the tables in migrations/. Kept by hand so that a column is named once here.
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
// `date` columns travel as 'YYYY-MM-DD' strings (see connection.ts type parsers).
type PlainDate = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, string, string>;

export type { OpeningHours, Weekday } from '../domain/calendar/library-calendar';
import type { OpeningHours } from '../domain/calendar/library-calendar';

export interface ConsortiumTable {
  id: Generated<number>;
  code: Generated<string>;
  name: string;
  targeting_policy: Generated<'random' | 'balanced'>;
  retarget_after_hours: Generated<number>;
  max_open_holds_per_patron: Generated<number>;
  bounce_transits: Generated<number>;
  bounce_days: Generated<number>;
  courtesy_notice_days: Generated<number>;
  updated_at: DefaultTimestamp;
}

export interface LibrariesTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: Generated<'library' | 'system'>;
  parent_id: number | null;
  participates_in_lending: Generated<boolean>;
  email: string | null;
  phone: string | null;
  timezone: Generated<string>;
  opening_hours: Json<OpeningHours>;
  hold_shelf_days: Generated<number>;
  loan_days: Generated<number>;
  /** The library's own notice texts by notice kind; a kind not here uses the default text. */
  notice_templates: ColumnType<Record<string, { subject: string; body: string }>, string | undefined, string>;
  created_at: DefaultTimestamp;
}

export interface LibraryFactsVersionTable {
  id: Generated<number>;
  version: ColumnType<string, string, string>;
}

export interface LibraryClosedDatesTable {
  id: Generated<number>;
  library_id: number;
  from_date: PlainDate;
  to_date: PlainDate;
  reason: string | null;
}

export interface ShelvingLocationsTable {
  id: Generated<number>;
  library_id: number;
  name: string;
  holdable: Generated<boolean>;
}

export interface StaffTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  library_id: number | null;
  role: 'circulation' | 'cataloger' | 'library-admin' | 'consortium-admin';
  active: Generated<boolean>;
  created_at: DefaultTimestamp;
}

export interface PatronsTable {
  id: Generated<number>;
  barcode: string;
  first_name: string;
  last_name: string;
  home_library_id: number;
  email: string | null;
  phone: string | null;
  notify_by: ColumnType<string[], string[] | undefined, string[]>;
  default_pickup_library_id: number | null;
  username: string | null;
  password_hash: string | null;
  blocked: Generated<boolean>;
  block_reason: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface SessionsTable {
  token_hash: string;
  staff_id: number | null;
  patron_id: number | null;
  created_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
}

export interface LoginFailuresTable {
  key: string;
  failures: number;
  window_started_at: Timestamp;
}

export interface RecordsTable {
  id: Generated<number>;
  title: string;
  author: string | null;
  isbn: ColumnType<string[], string[] | undefined, string[]>;
  publisher: string | null;
  year: number | null;
  subjects: ColumnType<string[], string[] | undefined, string[]>;
  format: Generated<string>;
  marc: string | null;
  control_number: string | null;
  control_source: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  search: ColumnType<string, never, never>;
  publication: ColumnType<string | null, string | null | undefined, string | null>;
  /** Other titles (uniform, varying, the 880 vernacular), searched with the title. */
  alt_titles: ColumnType<string[], string[] | undefined, string[]>;
  alt_authors: ColumnType<string[], string[] | undefined, string[]>;
  notes: ColumnType<string | null, string | null | undefined, string | null>;
  issn: ColumnType<string[], string[] | undefined, string[]>;
  /** 035 $a: how other catalogs number this record, for matching on re-import. */
  system_numbers: ColumnType<string[], string[] | undefined, string[]>;
  /** Kept by the search trigger (migration 005) for trigram similarity. */
  title_key: ColumnType<string, never, never>;
  author_key: ColumnType<string, never, never>;
}

export interface VolumesTable {
  id: Generated<number>;
  record_id: number;
  library_id: number;
  call_number: string;
}

export interface ItemsTable {
  id: Generated<number>;
  barcode: string;
  volume_id: number;
  record_id: number;
  owning_library_id: number;
  current_library_id: number;
  location_id: number | null;
  holdable: Generated<boolean>;
  circulates: Generated<boolean>;
  status: Generated<string>;
  cataloged_at: PlainDate;
  age_protection: Generated<string>;
  circulation_count: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface HoldsTable {
  id: Generated<number>;
  type: 'title' | 'volume' | 'copy';
  patron_id: number;
  record_id: number;
  volume_id: number | null;
  item_id: number | null;
  pickup_library_id: number;
  status: string;
  notify_by: ColumnType<string[], string[] | undefined, string[]>;
  requested_at: Timestamp;
  placed_by_staff_id: number | null;
  target_item_id: number | null;
  targeted_at: Timestamp | null;
  captured_item_id: number | null;
  captured_at: Timestamp | null;
  shelved_at: Timestamp | null;
  shelf_expires_at: Timestamp | null;
  fulfilled_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  cancel_reason: string | null;
  cancel_note: string | null;
  suspended_until: PlainDate | null;
  /** The line a targeted hold puts on its library's pull list, kept by the database (migration 015). */
  pull_library_id: ColumnType<number | null, never, never>;
  pull_location: ColumnType<string | null, never, never>;
  pull_call_number: ColumnType<string | null, never, never>;
  pull_barcode: ColumnType<string | null, never, never>;
}

export interface HoldExclusionsTable {
  hold_id: number;
  library_id: number;
  reason: 'refused' | 'timeout';
  at: Timestamp;
}

export interface HoldTargetingsTable {
  id: Generated<string>;
  hold_id: number;
  at: Timestamp;
  trigger: string;
  policy: string;
  summary: string;
  outcome: string;
  candidates: Json<unknown[]>;
  chosen_item_id: number | null;
  draw: number | null;
}

export interface TransitsTable {
  id: Generated<number>;
  item_id: number;
  kind: 'hold' | 'return';
  hold_id: number | null;
  source_library_id: number;
  destination_library_id: number;
  sent_at: Timestamp;
  sent_by_staff_id: number | null;
  received_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  cancel_note: string | null;
}

export interface LoansTable {
  id: Generated<number>;
  item_id: number;
  patron_id: number;
  library_id: number;
  hold_id: number | null;
  checked_out_at: Timestamp;
  checked_out_by_staff_id: number | null;
  due_date: PlainDate;
  renewals: Generated<number>;
  override_reason: string | null;
  returned_at: Timestamp | null;
  returned_library_id: number | null;
}

export interface EventsTable {
  id: Generated<string>;
  at: Timestamp;
  kind: string;
  staff_id: number | null;
  actor_patron_id: number | null;
  library_id: number | null;
  item_id: number | null;
  hold_id: number | null;
  patron_id: number | null;
  record_id: number | null;
  transit_id: number | null;
  loan_id: number | null;
  reason: string | null;
  data: Json<Record<string, unknown>>;
}

export interface NoticesTable {
  id: Generated<string>;
  kind: string;
  channel: 'email' | 'phone-call';
  patron_id: number;
  library_id: number;
  hold_id: number | null;
  loan_id: number | null;
  to_address: string | null;
  subject: string;
  body: string;
  state: Generated<string>;
  created_at: Timestamp;
  send_after: Timestamp;
  attempts: Generated<number>;
  last_error: string | null;
  sent_at: Timestamp | null;
  outcome: string | null;
  outcome_note: string | null;
  done_by_staff_id: number | null;
  /** The lease of the process sending it; another process takes over once it has run out. */
  claimed_until: Timestamp | null;
  /** The claiming process's PostgreSQL session: when it is gone, so is the claim. */
  claimed_backend: number | null;
  /** Why a notice was not sent (cancelled). */
  cancel_reason: string | null;
  /** The due date a courtesy or overdue notice was written for. */
  due_date: PlainDate | null;
  /** When staff made the phone call. */
  done_at: Timestamp | null;
}

export interface LibraryMessagesTable {
  id: Generated<string>;
  from_library_id: number | null;
  to_library_id: number;
  kind: string;
  hold_id: number | null;
  item_id: number | null;
  patron_id: number | null;
  subject: string;
  body: string;
  created_at: Timestamp;
  read_at: Timestamp | null;
}

export interface JobsTable {
  id: Generated<string>;
  name: string;
  state: Generated<'pending' | 'running' | 'done' | 'failed'>;
  run_after: Timestamp;
  attempts: Generated<number>;
  claimed_by: string | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  summary: Json<Record<string, unknown>> | null;
  error: string | null;
  created_at: DefaultTimestamp;
}

export interface Database {
  consortium: ConsortiumTable;
  libraries: LibrariesTable;
  library_closed_dates: LibraryClosedDatesTable;
  library_facts_version: LibraryFactsVersionTable;
  shelving_locations: ShelvingLocationsTable;
  staff: StaffTable;
  patrons: PatronsTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  records: RecordsTable;
  volumes: VolumesTable;
  items: ItemsTable;
  holds: HoldsTable;
  hold_exclusions: HoldExclusionsTable;
  hold_targetings: HoldTargetingsTable;
  transits: TransitsTable;
  loans: LoansTable;
  events: EventsTable;
  notices: NoticesTable;
  library_messages: LibraryMessagesTable;
  jobs: JobsTable;
}

export type LibraryRow = Selectable<LibrariesTable>;
export type PatronRow = Selectable<PatronsTable>;
export type StaffRow = Selectable<StaffTable>;
export type RecordRow = Selectable<RecordsTable>;
export type ItemRow = Selectable<ItemsTable>;
export type NewEvent = Insertable<EventsTable>;
export type LibraryUpdate = Updateable<LibrariesTable>;
