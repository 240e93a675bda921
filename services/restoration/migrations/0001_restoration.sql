-- Restoration's own tables. Each resource is kept whole as its contract message (body, a
-- serialized nrp.restoration.v1 message, read back whole), beside the columns the service
-- locks, filters, orders, indexes or joins on, which the store writes from the same message
-- in the same statement. Enumerations are the contract's numbers; areas in square metres,
-- money in fen, legal dates as date (China Standard Time), instants as timestamptz.

CREATE FUNCTION rs_ts(us bigint) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT 'epoch'::timestamptz + us * interval '1 microsecond' $$;

-- The mining rights restoration has heard of (nrp.mining_rights.events.v1): enough to check
-- a holder's project and to open an obligation on the right's block.
CREATE TABLE mining_rights (
  right_id       uuid PRIMARY KEY,
  region_code    char(6) NOT NULL,
  licence_number text NOT NULL,
  -- nrp.mining_rights.v1.MiningRightState as last heard.
  state          integer NOT NULL,
  -- The holder (nrp.common.v1.Party) as the events carry it: id number masked.
  holder         bytea NOT NULL,
  geom           geometry(Geometry, 4490),
  update_time    timestamptz NOT NULL
);

CREATE TABLE projects (
  project_id      uuid PRIMARY KEY,
  project_number  text UNIQUE,
  region_code     char(6) NOT NULL,
  kind            integer NOT NULL,
  state           integer NOT NULL,
  responsibility  integer NOT NULL,
  mining_right_id uuid,
  township_code   text NOT NULL DEFAULT '',
  programme       text NOT NULL DEFAULT '',
  geom            geometry(Geometry, 4490) NOT NULL,
  area_m2         double precision NOT NULL,
  body            bytea NOT NULL,
  create_time     timestamptz NOT NULL,
  update_time     timestamptz NOT NULL
);
CREATE INDEX projects_region_state ON projects (region_code, state);
CREATE INDEX projects_create_time ON projects (create_time DESC, project_id DESC);
CREATE INDEX projects_right ON projects (mining_right_id) WHERE mining_right_id IS NOT NULL;
CREATE INDEX projects_geom ON projects USING gist (geom);

CREATE TABLE progress_reports (
  report_id   uuid PRIMARY KEY,
  project_id  uuid NOT NULL REFERENCES projects (project_id),
  reported_on date NOT NULL,
  seq         bigint NOT NULL,
  body        bytea NOT NULL,
  recorded_at timestamptz NOT NULL,
  UNIQUE (project_id, seq)
);

CREATE TABLE obligations (
  obligation_id   uuid PRIMARY KEY,
  region_code     char(6) NOT NULL,
  mining_right_id uuid,
  origin          integer NOT NULL,
  state           integer NOT NULL,
  due_date        date,
  project_id      uuid REFERENCES projects (project_id),
  -- ce_id of the mining-rights event that opened it: an event opens at most one.
  source_event_id text UNIQUE,
  geom            geometry(Geometry, 4490),
  body            bytea NOT NULL,
  opened_at       timestamptz NOT NULL,
  update_time     timestamptz NOT NULL
);
-- A right has at most one obligation open (ONGOING, DUE or IN_PROGRESS): a closure and the
-- cancellation after it, or a redelivered event, open it once.
CREATE UNIQUE INDEX obligations_open_per_right ON obligations (mining_right_id)
  WHERE mining_right_id IS NOT NULL AND state IN (1, 2, 3);
CREATE INDEX obligations_due ON obligations (due_date, obligation_id);
CREATE INDEX obligations_project ON obligations (project_id) WHERE project_id IS NOT NULL;

-- One restoration fund account per mining right; the balance never negative.
CREATE TABLE fund_accounts (
  account_id      text PRIMARY KEY,
  mining_right_id uuid NOT NULL UNIQUE,
  region_code     char(6) NOT NULL,
  balance_fen     bigint NOT NULL CHECK (balance_fen >= 0),
  deposited_fen   bigint NOT NULL CHECK (deposited_fen >= 0),
  withdrawn_fen   bigint NOT NULL CHECK (withdrawn_fen >= 0),
  entry_count     bigint NOT NULL,
  body            bytea NOT NULL,
  opened_at       timestamptz NOT NULL,
  update_time     timestamptz NOT NULL,
  CHECK (balance_fen = deposited_fen - withdrawn_fen)
);
CREATE INDEX fund_accounts_region ON fund_accounts (region_code);

CREATE TABLE fund_entries (
  entry_id          uuid PRIMARY KEY,
  account_id        text NOT NULL REFERENCES fund_accounts (account_id),
  sequence          bigint NOT NULL,
  kind              integer NOT NULL,
  amount_fen        bigint NOT NULL CHECK (amount_fen > 0),
  balance_after_fen bigint NOT NULL CHECK (balance_after_fen >= 0),
  project_id        uuid REFERENCES projects (project_id),
  body              bytea NOT NULL,
  recorded_at       timestamptz NOT NULL,
  UNIQUE (account_id, sequence)
);
CREATE INDEX fund_entries_project ON fund_entries (project_id) WHERE project_id IS NOT NULL;

-- Counters of numbers drawn inside a transaction (project numbers): the row stays locked
-- until the transaction ends, so numbers are unique and without gaps.
CREATE TABLE number_counters (
  counter text PRIMARY KEY,
  value   bigint NOT NULL
);
