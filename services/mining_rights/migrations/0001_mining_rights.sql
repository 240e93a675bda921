-- Mining rights' own tables. Each resource is kept whole as its contract message (body, a
-- serialized nrp.mining_rights.v1 message, read back whole), beside the columns the service
-- locks, filters, orders, indexes or joins on, which the store writes from the same message
-- in the same statement. Enumerations are the contract's numbers; areas in square metres,
-- money in fen, legal dates as date (China Standard Time), instants as timestamptz.

CREATE FUNCTION mr_ts(us bigint) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT 'epoch'::timestamptz + us * interval '1 microsecond' $$;

CREATE TABLE grant_offers (
  offer_id              uuid PRIMARY KEY,
  region_code           char(6) NOT NULL,
  kind                  integer NOT NULL,
  method                integer NOT NULL,
  state                 integer NOT NULL,
  mineral_code          text NOT NULL,
  geom                  geometry(Geometry, 4490) NOT NULL,
  bidding_start         timestamptz,
  bidding_end           timestamptz,
  -- The record's board (libs/auction): accepted bids so far and the highest.
  bid_seq               bigint NOT NULL DEFAULT 0,
  highest_fen           bigint NOT NULL DEFAULT 0,
  highest_bid_id        text NOT NULL DEFAULT '',
  highest_bidder_number text NOT NULL DEFAULT '',
  bidder_count          integer NOT NULL DEFAULT 0,
  body                  bytea NOT NULL,
  create_time           timestamptz NOT NULL,
  update_time           timestamptz NOT NULL
);
CREATE INDEX grant_offers_region_state ON grant_offers (region_code, state);
CREATE INDEX grant_offers_create_time ON grant_offers (create_time DESC, offer_id DESC);
CREATE INDEX grant_offers_geom ON grant_offers USING gist (geom);

CREATE TABLE grant_bidders (
  registration_id uuid PRIMARY KEY,
  offer_id        uuid NOT NULL REFERENCES grant_offers (offer_id),
  bidder_number   text NOT NULL,
  -- sha256 of the bidder's id type and number: one registration per party and offer.
  identity_key    text NOT NULL,
  body            bytea NOT NULL,
  UNIQUE (offer_id, bidder_number),
  UNIQUE (offer_id, identity_key)
);

CREATE TABLE grant_bids (
  bid_id        uuid PRIMARY KEY,
  offer_id      uuid NOT NULL REFERENCES grant_offers (offer_id),
  seq           bigint NOT NULL,
  bidder_number text NOT NULL,
  amount_fen    bigint NOT NULL CHECK (amount_fen > 0),
  placed_at     timestamptz NOT NULL,
  UNIQUE (offer_id, seq)
);

CREATE TABLE grant_contracts (
  contract_id     uuid PRIMARY KEY,
  contract_number text NOT NULL UNIQUE,
  offer_id        uuid NOT NULL UNIQUE REFERENCES grant_offers (offer_id),
  region_code     char(6) NOT NULL,
  state           integer NOT NULL,
  body            bytea NOT NULL,
  signed_at       timestamptz NOT NULL
);
CREATE INDEX grant_contracts_signed ON grant_contracts (signed_at DESC, contract_id DESC);

CREATE TABLE mining_rights (
  right_id       uuid PRIMARY KEY,
  licence_number text NOT NULL,
  -- The 18-character exploration number a right carried before its 23-character one.
  legacy_number  text,
  region_code    char(6) NOT NULL,
  kind           integer NOT NULL,
  state          integer NOT NULL,
  mineral_code   text NOT NULL,
  holder_key     text NOT NULL,
  geom           geometry(Geometry, 4490) NOT NULL,
  valid_from     date NOT NULL,
  valid_to       date NOT NULL,
  contract_id    uuid UNIQUE REFERENCES grant_contracts (contract_id),
  body           bytea NOT NULL,
  granted_at     timestamptz NOT NULL,
  update_time    timestamptz NOT NULL
);
-- A number is held by one right: a split's part or a merged right carries it on, and the
-- right it came from (SUPERSEDED, state 5) keeps it only as history.
CREATE UNIQUE INDEX mining_rights_licence_number ON mining_rights (licence_number)
  WHERE state <> 5;
-- Numbers are permanent: an existing right is not entered with a number any right carries or
-- carried, as its number or as its older 18-character one.
CREATE INDEX mining_rights_legacy_number ON mining_rights (legacy_number)
  WHERE legacy_number IS NOT NULL;
CREATE INDEX mining_rights_region_state ON mining_rights (region_code, state);
-- The overlap check reads valid rights only (state 1).
CREATE INDEX mining_rights_valid_geom ON mining_rights USING gist (geom) WHERE state = 1;
CREATE INDEX mining_rights_lapse ON mining_rights (valid_to) WHERE state = 1;
-- The rights that owe annual reports (VALID or CLOSED).
CREATE INDEX mining_rights_reporting ON mining_rights (right_id) WHERE state IN (1, 2);

-- Annual reports (年度信息公示): one per right and year.
CREATE TABLE annual_reports (
  report_id    uuid PRIMARY KEY,
  right_id     uuid NOT NULL REFERENCES mining_rights (right_id),
  region_code  char(6) NOT NULL,
  year         integer NOT NULL,
  late         boolean NOT NULL,
  body         bytea NOT NULL,
  submitted_at timestamptz NOT NULL,
  UNIQUE (right_id, year)
);
CREATE INDEX annual_reports_year ON annual_reports (year DESC, report_id DESC);

-- The abnormal list (异常名录): an entry per (right, year, reason), listed once; removal
-- keeps the row (removed_at, the reason in body), so a removed entry is never listed again.
CREATE TABLE abnormal_entries (
  entry_id     uuid PRIMARY KEY,
  right_id     uuid NOT NULL REFERENCES mining_rights (right_id),
  region_code  char(6) NOT NULL,
  reason       integer NOT NULL,
  year         integer NOT NULL,
  body         bytea NOT NULL,
  listed_at    timestamptz NOT NULL,
  removed_at   timestamptz,
  UNIQUE (right_id, year, reason)
);
CREATE INDEX abnormal_entries_listed ON abnormal_entries (listed_at DESC, entry_id DESC);

-- Counters of numbers drawn inside a transaction (licence and contract numbers): the row
-- stays locked until the transaction ends, so numbers are unique and without gaps.
CREATE TABLE number_counters (
  counter text PRIMARY KEY,
  value   bigint NOT NULL
);
