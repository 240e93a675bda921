-- Land supply's own tables. Enumerations are stored as the contract's numbers
-- (protos/nrp/land_supply/v1); documents, parties, planning conditions and
-- zone-check results as their serialized protobuf messages (bytea), because
-- they are only ever read back whole. Areas in square metres, money in fen,
-- legal dates as date (China Standard Time), instants as timestamptz.

-- Instants cross the wire as microseconds since the Unix epoch, exactly.
CREATE FUNCTION ls_ts(us bigint) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT 'epoch'::timestamptz + us * interval '1 microsecond' $$;
CREATE FUNCTION ls_us(t timestamptz) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT (extract(epoch FROM t) * 1000000)::bigint $$;

CREATE TABLE approval_batches (
  batch_id                 uuid PRIMARY KEY,
  region_code              char(6) NOT NULL,
  name                     text NOT NULL,
  year                     integer NOT NULL,
  parcel_ids               uuid[] NOT NULL,
  total_area_m2            double precision NOT NULL CHECK (total_area_m2 > 0),
  agricultural_area_m2     double precision NOT NULL CHECK (agricultural_area_m2 >= 0),
  cultivated_area_m2       double precision NOT NULL CHECK (cultivated_area_m2 >= 0),
  paddy_area_m2            double precision NOT NULL CHECK (paddy_area_m2 >= 0),
  cultivated_quality_grade integer NOT NULL,
  grain_capacity_kg        double precision NOT NULL CHECK (grain_capacity_kg >= 0),
  unused_area_m2           double precision NOT NULL CHECK (unused_area_m2 >= 0),
  plan_quota_area_m2       double precision NOT NULL CHECK (plan_quota_area_m2 >= 0),
  authority                integer NOT NULL DEFAULT 0,
  approval                 bytea,
  state                    integer NOT NULL,
  approved_at              timestamptz,
  approved_on              date,
  expropriated_at          timestamptz,
  expropriation_record     bytea,
  -- Area of the batch's parcels supplied so far (contracts signed): the
  -- approved-but-unsupplied land (批而未供) is total_area_m2 - supplied_area_m2.
  supplied_area_m2         double precision NOT NULL DEFAULT 0 CHECK (supplied_area_m2 >= 0),
  zone_check               bytea,
  create_time              timestamptz NOT NULL,
  update_time              timestamptz NOT NULL
);
CREATE INDEX approval_batches_region ON approval_batches (region_code, state);

CREATE TABLE parcels (
  parcel_id          uuid PRIMARY KEY,
  region_code        char(6) NOT NULL,
  parcel_code        text,
  name               text NOT NULL,
  location           text NOT NULL,
  geom               geometry(Geometry, 4490) NOT NULL,
  geometry_encoding  integer NOT NULL,
  geometry_text      text NOT NULL,
  area_m2            double precision NOT NULL CHECK (area_m2 > 0),
  planned_use        integer NOT NULL,
  land_use_code      text NOT NULL DEFAULT '',
  planning_conditions bytea,
  state              integer NOT NULL,
  stock_stage        integer NOT NULL,
  approval_batch_id  uuid REFERENCES approval_batches (batch_id),
  soil_status        integer NOT NULL,
  soil_survey        bytea,
  reserve_decision   bytea,
  clear_evidence     bytea,
  reserved_at        timestamptz,
  cleared_at         timestamptz,
  zone_check         bytea,
  create_time        timestamptz NOT NULL,
  update_time        timestamptz NOT NULL
);
CREATE UNIQUE INDEX parcels_parcel_code ON parcels (parcel_code) WHERE parcel_code IS NOT NULL;
CREATE INDEX parcels_region_state ON parcels (region_code, state);
CREATE INDEX parcels_create_time ON parcels (create_time DESC, parcel_id DESC);
CREATE INDEX parcels_geom ON parcels USING gist (geom);

CREATE TABLE offers (
  offer_id            uuid PRIMARY KEY,
  region_code         char(6) NOT NULL,
  parcel_id           uuid NOT NULL REFERENCES parcels (parcel_id),
  method              integer NOT NULL,
  land_use            integer NOT NULL,
  term_years          integer NOT NULL,
  planning_conditions bytea,
  starting_price_fen  bigint NOT NULL CHECK (starting_price_fen >= 0),
  reserve_price_fen   bigint NOT NULL CHECK (reserve_price_fen >= 0),
  bid_increment_fen   bigint NOT NULL CHECK (bid_increment_fen >= 0),
  deposit_fen         bigint NOT NULL CHECK (deposit_fen >= 0),
  intending_users     integer NOT NULL,
  catalogue_item      text NOT NULL DEFAULT '',
  special_conditions  text NOT NULL DEFAULT '',
  bidding_start       timestamptz,
  bidding_end         timestamptz,
  published_at        timestamptz,
  notice              bytea,
  state               integer NOT NULL,
  -- The bid board as recorded: the authority for bids. Bids lock this row.
  bid_seq             bigint NOT NULL DEFAULT 0,
  highest_fen         bigint NOT NULL DEFAULT 0,
  highest_bid_id      uuid,
  highest_bidder_number text,
  bidder_count        integer NOT NULL DEFAULT 0,
  -- The result (SupplyResult) once closed.
  result              bytea,
  grantee             bytea,
  grantee_bidder_number text,
  price_fen           bigint,
  result_on           date,
  contract_due        date,
  signing_overdue_at  timestamptz,
  cancel_reason       text,
  zone_check          bytea,
  create_time         timestamptz NOT NULL,
  update_time         timestamptz NOT NULL
);
-- One open offer per parcel.
CREATE UNIQUE INDEX offers_open_per_parcel ON offers (parcel_id) WHERE state IN (1, 2, 3, 4);
CREATE INDEX offers_due_to_open ON offers (bidding_start) WHERE state = 2;
CREATE INDEX offers_due_to_close ON offers (bidding_end) WHERE state IN (2, 3);
CREATE INDEX offers_awarded ON offers (contract_due) WHERE state = 4;
CREATE INDEX offers_listing ON offers (bidding_start DESC, offer_id DESC);

CREATE TABLE bidders (
  registration_id  uuid PRIMARY KEY,
  offer_id         uuid NOT NULL REFERENCES offers (offer_id),
  bidder_number    text NOT NULL,
  bidder           bytea NOT NULL,
  identity_key     text NOT NULL,
  deposit_paid_fen bigint NOT NULL,
  deposit_receipt  bytea,
  registered_at    timestamptz NOT NULL,
  UNIQUE (offer_id, bidder_number),
  UNIQUE (offer_id, identity_key)
);

CREATE TABLE bids (
  bid_id         uuid PRIMARY KEY,
  offer_id       uuid NOT NULL REFERENCES offers (offer_id),
  seq            bigint NOT NULL,
  bidder_number  text NOT NULL,
  amount_fen     bigint NOT NULL CHECK (amount_fen > 0),
  placed_at      timestamptz NOT NULL,
  UNIQUE (offer_id, seq)
);
CREATE INDEX bids_offer_bidder ON bids (offer_id, bidder_number);

CREATE TABLE contracts (
  contract_id          uuid PRIMARY KEY,
  contract_number      text NOT NULL UNIQUE,
  kind                 integer NOT NULL,
  region_code          char(6) NOT NULL,
  offer_id             uuid NOT NULL UNIQUE REFERENCES offers (offer_id),
  parcel_id            uuid NOT NULL REFERENCES parcels (parcel_id),
  method               integer NOT NULL,
  grantee              bytea NOT NULL,
  grantee_bidder_number text,
  grantor              text NOT NULL,
  land_use             integer NOT NULL,
  land_use_code        text NOT NULL DEFAULT '',
  term_years           integer NOT NULL,
  term_start           date,
  term_end             date,
  area_m2              double precision NOT NULL,
  price_fen            bigint NOT NULL CHECK (price_fen >= 0),
  paid_fen             bigint NOT NULL DEFAULT 0 CHECK (paid_fen >= 0 AND paid_fen <= price_fen),
  deposit_available_fen bigint NOT NULL DEFAULT 0,
  agreed_delivery      date NOT NULL,
  agreed_start         date NOT NULL,
  agreed_completion    date NOT NULL,
  agreed_investment_fen bigint NOT NULL DEFAULT 0,
  planning_conditions  bytea,
  document             bytea,
  state                integer NOT NULL,
  signed_at            timestamptz NOT NULL,
  signed_on            date NOT NULL,
  stock_stage_before   integer NOT NULL,
  delivered_on         date,
  handover_record      bytea,
  started_on           date,
  completed_on         date,
  developed_area_m2    double precision NOT NULL DEFAULT 0,
  invested_fen         bigint NOT NULL DEFAULT 0,
  work_stopped_since   date,
  progress_reported_on date,
  idle_fee_charged_fen bigint NOT NULL DEFAULT 0,
  idle_fee_paid_fen    bigint NOT NULL DEFAULT 0,
  update_time          timestamptz NOT NULL
);
CREATE INDEX contracts_open ON contracts (state) WHERE state IN (1, 2, 3, 4);
CREATE INDEX contracts_signed_at ON contracts (signed_at DESC, contract_id DESC);

CREATE TABLE installments (
  contract_id        uuid NOT NULL REFERENCES contracts (contract_id),
  idx                integer NOT NULL,
  due_date           date NOT NULL,
  amount_fen         bigint NOT NULL CHECK (amount_fen > 0),
  overdue_raised_at  timestamptz,
  PRIMARY KEY (contract_id, idx)
);
CREATE INDEX installments_due ON installments (due_date) WHERE overdue_raised_at IS NULL;

CREATE TABLE payments (
  payment_id   uuid PRIMARY KEY,
  contract_id  uuid NOT NULL REFERENCES contracts (contract_id),
  kind         integer NOT NULL,
  amount_fen   bigint NOT NULL CHECK (amount_fen > 0),
  paid_on      date NOT NULL,
  receipt      bytea,
  recorded_at  timestamptz NOT NULL
);
CREATE INDEX payments_contract ON payments (contract_id, paid_on, payment_id);

CREATE TABLE idle_cases (
  case_id                uuid PRIMARY KEY,
  region_code            char(6) NOT NULL,
  contract_id            uuid NOT NULL REFERENCES contracts (contract_id),
  parcel_id              uuid NOT NULL REFERENCES parcels (parcel_id),
  land_user              bytea,
  ground                 integer NOT NULL,
  idle_since             date NOT NULL,
  idle_area_m2           double precision NOT NULL,
  detected_automatically boolean NOT NULL,
  state                  integer NOT NULL,
  cause                  integer NOT NULL DEFAULT 0,
  investigation_notice   bytea,
  determination          bytea,
  disposal               integer NOT NULL DEFAULT 0,
  fee_fen                bigint NOT NULL DEFAULT 0,
  new_construction_start date,
  decision               bytea,
  opened_at              timestamptz NOT NULL,
  closed_at              timestamptz,
  -- One case per contract, ground and idle-since day: the scheduler opens
  -- each threshold's case once.
  UNIQUE (contract_id, ground, idle_since)
);
CREATE INDEX idle_cases_opened ON idle_cases (opened_at DESC, case_id DESC);

-- 占补平衡: compensation credits from accepted restoration projects.
CREATE TABLE compensation_credits (
  credit_id            uuid PRIMARY KEY,
  region_code          char(6) NOT NULL,
  source_project_id    text NOT NULL,
  source_event_id      uuid NOT NULL UNIQUE,
  area_m2              double precision NOT NULL CHECK (area_m2 > 0),
  paddy_area_m2        double precision NOT NULL CHECK (paddy_area_m2 >= 0),
  grain_capacity_kg    double precision NOT NULL CHECK (grain_capacity_kg >= 0),
  quality_grade        integer NOT NULL CHECK (quality_grade BETWEEN 1 AND 10),
  remaining_area_m2    double precision NOT NULL CHECK (remaining_area_m2 >= 0),
  remaining_paddy_m2   double precision NOT NULL CHECK (remaining_paddy_m2 >= 0),
  remaining_grain_kg   double precision NOT NULL CHECK (remaining_grain_kg >= 0),
  state                integer NOT NULL,
  accepted_on          date,
  create_time          timestamptz NOT NULL
);
CREATE INDEX compensation_credits_region ON compensation_credits (region_code, create_time);

-- 增减挂钩: linkage quota from reclaimed rural construction land.
CREATE TABLE linkage_quotas (
  quota_id           uuid PRIMARY KEY,
  region_code        char(6) NOT NULL,
  source_project_id  text NOT NULL,
  source_event_id    uuid NOT NULL UNIQUE,
  area_m2            double precision NOT NULL CHECK (area_m2 > 0),
  remaining_area_m2  double precision NOT NULL CHECK (remaining_area_m2 >= 0),
  state              integer NOT NULL,
  accepted_on        date,
  create_time        timestamptz NOT NULL
);
CREATE INDEX linkage_quotas_region ON linkage_quotas (region_code, create_time);

CREATE TABLE ledger_entries (
  seq               bigserial PRIMARY KEY,
  entry_id          uuid NOT NULL UNIQUE,
  ledger            integer NOT NULL,
  account_id        uuid NOT NULL,
  kind              integer NOT NULL,
  area_m2           double precision NOT NULL,
  paddy_area_m2     double precision NOT NULL DEFAULT 0,
  grain_capacity_kg double precision NOT NULL DEFAULT 0,
  batch_id          uuid REFERENCES approval_batches (batch_id),
  region_code       char(6) NOT NULL,
  recorded_at       timestamptz NOT NULL,
  reverses_entry_id uuid
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, seq);
CREATE INDEX ledger_entries_batch ON ledger_entries (batch_id) WHERE batch_id IS NOT NULL;

-- The replica of planning's zone layers (event-carried state). Zones of a
-- version arrive as ZonePublished events and wait here; the
-- LayerVersionPublished marker, after its count and checksum agree, moves
-- the layer's current_version in one transaction. Checks read only zones of
-- current versions.
CREATE TABLE zone_layers (
  layer_id         text PRIMARY KEY,
  region_code      char(6) NOT NULL,
  kind             integer NOT NULL,
  current_version  bigint NOT NULL,
  checksum         text NOT NULL,
  zone_count       bigint NOT NULL,
  effective_from   date,
  switched_at      timestamptz NOT NULL
);

CREATE TABLE replica_zones (
  layer_id       text NOT NULL,
  version        bigint NOT NULL,
  zone_id        text NOT NULL,
  kind           integer NOT NULL,
  region_code    char(6) NOT NULL,
  name           text NOT NULL,
  control_level  integer NOT NULL,
  geom           geometry(Geometry, 4490) NOT NULL,
  digest         text NOT NULL,
  sequence       bigint NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (layer_id, version, zone_id)
);
CREATE INDEX replica_zones_geom ON replica_zones USING gist (geom);

CREATE TABLE replica_withdrawals (
  layer_id   text NOT NULL,
  version    bigint NOT NULL,
  zone_id    text NOT NULL,
  PRIMARY KEY (layer_id, version, zone_id)
);
