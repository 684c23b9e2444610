import { sql, type Kysely } from 'kysely';

// The whole domain in one first migration, so that later work adds behaviour, not tables.
// Constraints carry the invariants of DESIGN §2: a barcode is unique; an item has at most one
// open loan and one open transit; an item is the target of at most one uncaptured hold and
// captured by at most one open hold.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE consortium (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  code text NOT NULL DEFAULT 'CONS',
  name text NOT NULL,
  targeting_policy text NOT NULL DEFAULT 'random' CHECK (targeting_policy IN ('random', 'balanced')),
  retarget_after_hours integer NOT NULL DEFAULT 24 CHECK (retarget_after_hours > 0),
  max_open_holds_per_patron integer NOT NULL DEFAULT 50 CHECK (max_open_holds_per_patron > 0),
  bounce_transits integer NOT NULL DEFAULT 4 CHECK (bounce_transits > 0),
  bounce_days integer NOT NULL DEFAULT 10 CHECK (bounce_days > 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE libraries (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,20}$'),
  name text NOT NULL,
  kind text NOT NULL DEFAULT 'library' CHECK (kind IN ('library', 'system')),
  parent_id integer REFERENCES libraries(id),
  participates_in_lending boolean NOT NULL DEFAULT true,
  email text,
  phone text,
  timezone text NOT NULL DEFAULT 'America/New_York',
  opening_hours jsonb NOT NULL DEFAULT '{}'::jsonb,
  hold_shelf_days integer NOT NULL DEFAULT 7 CHECK (hold_shelf_days > 0),
  loan_days integer NOT NULL DEFAULT 21 CHECK (loan_days > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_id IS NULL OR parent_id <> id),
  -- a system sits directly in the consortium; only libraries sit inside a system
  CHECK (kind = 'library' OR parent_id IS NULL)
);
CREATE INDEX libraries_parent ON libraries (parent_id);

CREATE TABLE library_closed_dates (
  id serial PRIMARY KEY,
  library_id integer NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
  from_date date NOT NULL,
  to_date date NOT NULL,
  reason text,
  CHECK (to_date >= from_date)
);
CREATE INDEX library_closed_dates_library ON library_closed_dates (library_id, from_date);

CREATE TABLE shelving_locations (
  id serial PRIMARY KEY,
  library_id integer NOT NULL REFERENCES libraries(id),
  name text NOT NULL,
  holdable boolean NOT NULL DEFAULT true,
  UNIQUE (library_id, name)
);

CREATE TABLE staff (
  id serial PRIMARY KEY,
  username text NOT NULL,
  password_hash text NOT NULL,
  -- consortium administrators may work for the consortium office rather than a library
  library_id integer REFERENCES libraries(id),
  role text NOT NULL CHECK (role IN ('circulation', 'cataloger', 'library-admin', 'consortium-admin')),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (library_id IS NOT NULL OR role = 'consortium-admin')
);
CREATE UNIQUE INDEX staff_username ON staff (lower(username));

CREATE TABLE patrons (
  id serial PRIMARY KEY,
  barcode text NOT NULL UNIQUE,
  first_name text NOT NULL,
  last_name text NOT NULL,
  home_library_id integer NOT NULL REFERENCES libraries(id),
  email text,
  phone text,
  notify_by text[] NOT NULL DEFAULT '{}' CHECK (notify_by <@ ARRAY['email', 'phone']::text[]),
  default_pickup_library_id integer REFERENCES libraries(id),
  username text,
  password_hash text,
  blocked boolean NOT NULL DEFAULT false,
  block_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX patrons_username ON patrons (lower(username)) WHERE username IS NOT NULL;
-- pattern_ops so that the desk's prefix searches (LIKE 'smi%') use the indexes in any collation
CREATE INDEX patrons_name ON patrons (lower(last_name) text_pattern_ops, lower(first_name) text_pattern_ops);
CREATE INDEX patrons_barcode_prefix ON patrons (barcode text_pattern_ops);
CREATE INDEX patrons_home ON patrons (home_library_id);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  staff_id integer REFERENCES staff(id) ON DELETE CASCADE,
  patron_id integer REFERENCES patrons(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((staff_id IS NULL) <> (patron_id IS NULL))
);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);

CREATE TABLE login_failures (
  key text PRIMARY KEY,
  failures integer NOT NULL,
  window_started_at timestamptz NOT NULL
);

CREATE TABLE records (
  id serial PRIMARY KEY,
  title text NOT NULL,
  author text,
  isbn text[] NOT NULL DEFAULT '{}',
  publisher text,
  year integer,
  subjects text[] NOT NULL DEFAULT '{}',
  format text NOT NULL DEFAULT 'book',
  marc text,
  control_number text,
  control_source text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  search tsvector NOT NULL DEFAULT ''::tsvector
);
CREATE INDEX records_search ON records USING gin (search);
-- Kept by a trigger: a generated column may not use array_to_string (not immutable).
CREATE FUNCTION records_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search :=
    setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('simple', array_to_string(NEW.isbn, ' ')), 'A') ||
    setweight(to_tsvector('simple', coalesce(NEW.author, '')), 'B') ||
    setweight(to_tsvector('simple', array_to_string(NEW.subjects, ' ')), 'C') ||
    setweight(to_tsvector('simple', coalesce(NEW.publisher, '')), 'D');
  RETURN NEW;
END $$;
CREATE TRIGGER records_search BEFORE INSERT OR UPDATE ON records
  FOR EACH ROW EXECUTE FUNCTION records_search_update();
CREATE UNIQUE INDEX records_control ON records (control_source, control_number)
  WHERE control_number IS NOT NULL AND control_source IS NOT NULL;

CREATE TABLE volumes (
  id serial PRIMARY KEY,
  record_id integer NOT NULL REFERENCES records(id),
  library_id integer NOT NULL REFERENCES libraries(id),
  call_number text NOT NULL,
  UNIQUE (record_id, library_id, call_number)
);

CREATE TABLE items (
  id serial PRIMARY KEY,
  barcode text NOT NULL UNIQUE,
  volume_id integer NOT NULL REFERENCES volumes(id),
  record_id integer NOT NULL REFERENCES records(id),
  owning_library_id integer NOT NULL REFERENCES libraries(id),
  current_library_id integer NOT NULL REFERENCES libraries(id),
  location_id integer REFERENCES shelving_locations(id),
  holdable boolean NOT NULL DEFAULT true,
  circulates boolean NOT NULL DEFAULT true,
  status text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'checked-out', 'in-transit',
    'on-holds-shelf', 'missing', 'damaged', 'lost', 'in-process', 'transit-cancelled')),
  cataloged_at date NOT NULL,
  age_protection text NOT NULL DEFAULT 'none' CHECK (age_protection IN ('none', '1m', '3m', '6m')),
  circulation_count integer NOT NULL DEFAULT 0 CHECK (circulation_count >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX items_record ON items (record_id);
CREATE INDEX items_volume ON items (volume_id);
CREATE INDEX items_owner_status ON items (owning_library_id, status);

CREATE TABLE holds (
  id serial PRIMARY KEY,
  type text NOT NULL CHECK (type IN ('title', 'volume', 'copy')),
  patron_id integer NOT NULL REFERENCES patrons(id),
  record_id integer NOT NULL REFERENCES records(id),
  volume_id integer REFERENCES volumes(id),
  item_id integer REFERENCES items(id),
  pickup_library_id integer NOT NULL REFERENCES libraries(id),
  status text NOT NULL CHECK (status IN ('waiting', 'targeted', 'in-transit', 'on-holds-shelf',
    'fulfilled', 'cancelled', 'suspended')),
  notify_by text[] NOT NULL DEFAULT '{}' CHECK (notify_by <@ ARRAY['email', 'phone']::text[]),
  requested_at timestamptz NOT NULL,
  placed_by_staff_id integer REFERENCES staff(id),
  target_item_id integer REFERENCES items(id),
  targeted_at timestamptz,
  captured_item_id integer REFERENCES items(id),
  captured_at timestamptz,
  shelved_at timestamptz,
  shelf_expires_at timestamptz,
  fulfilled_at timestamptz,
  cancelled_at timestamptz,
  cancel_reason text CHECK (cancel_reason IN ('patron-request', 'staff', 'lender-unable', 'not-picked-up', 'other')),
  cancel_note text,
  suspended_until date,
  CHECK (type <> 'volume' OR volume_id IS NOT NULL),
  CHECK (type <> 'copy' OR item_id IS NOT NULL),
  CHECK (status <> 'targeted' OR target_item_id IS NOT NULL),
  CHECK (status NOT IN ('in-transit', 'on-holds-shelf') OR captured_item_id IS NOT NULL),
  CHECK (status <> 'cancelled' OR cancel_reason IS NOT NULL)
);
CREATE UNIQUE INDEX holds_one_target_per_item ON holds (target_item_id) WHERE status = 'targeted';
CREATE UNIQUE INDEX holds_one_capture_per_item ON holds (captured_item_id)
  WHERE status IN ('in-transit', 'on-holds-shelf');
CREATE UNIQUE INDEX holds_one_open_per_patron_record ON holds (patron_id, record_id)
  WHERE status NOT IN ('fulfilled', 'cancelled');
CREATE INDEX holds_open_by_record ON holds (record_id, requested_at)
  WHERE status NOT IN ('fulfilled', 'cancelled');
CREATE INDEX holds_patron ON holds (patron_id, status);
CREATE INDEX holds_pickup ON holds (pickup_library_id, status);

-- A library that may not fill this hold again: 'refused' (redirect, not on shelf) is for good;
-- 'timeout' only lowers the library's preference in the sweep.
CREATE TABLE hold_exclusions (
  hold_id integer NOT NULL REFERENCES holds(id) ON DELETE CASCADE,
  library_id integer NOT NULL REFERENCES libraries(id),
  reason text NOT NULL CHECK (reason IN ('refused', 'timeout')),
  at timestamptz NOT NULL,
  PRIMARY KEY (hold_id, library_id, reason)
);

CREATE TABLE hold_targetings (
  id bigserial PRIMARY KEY,
  hold_id integer NOT NULL REFERENCES holds(id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  trigger text NOT NULL,
  policy text NOT NULL,
  summary text NOT NULL,
  outcome text NOT NULL,
  candidates jsonb NOT NULL DEFAULT '[]'::jsonb,
  chosen_item_id integer REFERENCES items(id),
  draw double precision
);
-- the latest explanation of a hold is read by id order (ids grow with time; times may repeat)
CREATE INDEX hold_targetings_hold ON hold_targetings (hold_id, id DESC);

CREATE TABLE transits (
  id serial PRIMARY KEY,
  item_id integer NOT NULL REFERENCES items(id),
  kind text NOT NULL CHECK (kind IN ('hold', 'return')),
  hold_id integer REFERENCES holds(id),
  source_library_id integer NOT NULL REFERENCES libraries(id),
  destination_library_id integer NOT NULL REFERENCES libraries(id),
  sent_at timestamptz NOT NULL,
  sent_by_staff_id integer REFERENCES staff(id),
  received_at timestamptz,
  cancelled_at timestamptz,
  cancel_note text,
  CHECK (kind <> 'hold' OR hold_id IS NOT NULL),
  CHECK (source_library_id <> destination_library_id),
  CHECK (received_at IS NULL OR cancelled_at IS NULL)
);
CREATE UNIQUE INDEX transits_one_open_per_item ON transits (item_id)
  WHERE received_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX transits_open_destination ON transits (destination_library_id)
  WHERE received_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX transits_open_source ON transits (source_library_id)
  WHERE received_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX transits_item_sent ON transits (item_id, sent_at);

CREATE TABLE loans (
  id serial PRIMARY KEY,
  item_id integer NOT NULL REFERENCES items(id),
  patron_id integer NOT NULL REFERENCES patrons(id),
  library_id integer NOT NULL REFERENCES libraries(id),
  hold_id integer REFERENCES holds(id),
  checked_out_at timestamptz NOT NULL,
  checked_out_by_staff_id integer REFERENCES staff(id),
  due_date date NOT NULL,
  renewals integer NOT NULL DEFAULT 0 CHECK (renewals >= 0),
  override_reason text,
  returned_at timestamptz,
  returned_library_id integer REFERENCES libraries(id)
);
CREATE UNIQUE INDEX loans_one_open_per_item ON loans (item_id) WHERE returned_at IS NULL;
CREATE INDEX loans_open_patron ON loans (patron_id) WHERE returned_at IS NULL;
CREATE INDEX loans_open_due ON loans (due_date) WHERE returned_at IS NULL;

-- The audit trail: one row per state change, written in the transaction that makes it.
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  kind text NOT NULL,
  staff_id integer REFERENCES staff(id),
  actor_patron_id integer REFERENCES patrons(id),
  library_id integer REFERENCES libraries(id),
  item_id integer REFERENCES items(id),
  hold_id integer REFERENCES holds(id),
  patron_id integer REFERENCES patrons(id),
  record_id integer REFERENCES records(id),
  transit_id integer REFERENCES transits(id),
  loan_id integer REFERENCES loans(id),
  reason text,
  data jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX events_item ON events (item_id, id) WHERE item_id IS NOT NULL;
CREATE INDEX events_hold ON events (hold_id, id) WHERE hold_id IS NOT NULL;
CREATE INDEX events_patron ON events (patron_id, id) WHERE patron_id IS NOT NULL;
CREATE INDEX events_at ON events (at);

-- The outbox: notices to patrons, sent after commit by the notices job, each exactly once.
-- Phone-call tasks are notices on the 'phone-call' channel, closed by staff with an outcome.
CREATE TABLE notices (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('hold-ready', 'courtesy', 'overdue', 'shelf-expiry-reminder', 'hold-cancelled')),
  channel text NOT NULL CHECK (channel IN ('email', 'phone-call')),
  patron_id integer NOT NULL REFERENCES patrons(id),
  library_id integer NOT NULL REFERENCES libraries(id),
  hold_id integer REFERENCES holds(id),
  loan_id integer REFERENCES loans(id),
  to_address text,
  subject text NOT NULL,
  body text NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'cancelled', 'done')),
  created_at timestamptz NOT NULL,
  send_after timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  sent_at timestamptz,
  outcome text CHECK (outcome IN ('reached', 'left-message', 'no-answer')),
  outcome_note text,
  done_by_staff_id integer REFERENCES staff(id),
  CHECK (channel <> 'email' OR to_address IS NOT NULL)
);
CREATE INDEX notices_pending ON notices (send_after) WHERE state = 'pending';
CREATE INDEX notices_patron ON notices (patron_id, created_at);
CREATE INDEX notices_phone_calls ON notices (library_id) WHERE channel = 'phone-call' AND state = 'pending';
CREATE UNIQUE INDEX notices_once_per_loan ON notices (loan_id, kind) WHERE loan_id IS NOT NULL;

CREATE TABLE library_messages (
  id bigserial PRIMARY KEY,
  from_library_id integer REFERENCES libraries(id),
  to_library_id integer NOT NULL REFERENCES libraries(id),
  kind text NOT NULL,
  hold_id integer REFERENCES holds(id),
  item_id integer REFERENCES items(id),
  patron_id integer REFERENCES patrons(id),
  subject text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL,
  read_at timestamptz
);
CREATE INDEX library_messages_to ON library_messages (to_library_id, created_at DESC);

-- Background work, claimed with FOR UPDATE SKIP LOCKED so that any number of processes share it.
CREATE TABLE jobs (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed')),
  run_after timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  claimed_by text,
  started_at timestamptz,
  finished_at timestamptz,
  summary jsonb,
  error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_due ON jobs (run_after) WHERE state = 'pending';
CREATE UNIQUE INDEX jobs_one_pending_per_name ON jobs (name) WHERE state = 'pending';
`.execute(db);
}
