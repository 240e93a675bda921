-- Five-year plans, their indicators, values and the facts planning keeps from
-- other services' events to compute progress.

-- state: 1 draft, 2 in force, 3 closed (PlanState).
CREATE TABLE plans (
  plan_id           text PRIMARY KEY,
  name              text NOT NULL,
  region_code       text NOT NULL,
  period_start_year int NOT NULL,
  period_end_year   int NOT NULL,
  base_year         int NOT NULL,
  document          bytea,        -- nrp.common.v1.DocumentReference
  state             smallint NOT NULL,
  reference_data    text NOT NULL DEFAULT '',  -- data file it was loaded from, if any
  create_time       timestamptz NOT NULL,
  update_time       timestamptz NOT NULL,
  CHECK (period_end_year >= period_start_year),
  CHECK (base_year < period_start_year)
);

-- comparator: 1 ≥, 2 ≤, 3 =, 4 range, 5 text (TargetComparator); strict makes
-- ≥ into > and ≤ into <. nature: 1 binding, 2 expected, 0 not stated.
-- measure: how the value is obtained (domain MeasureKind name), with
-- measure_layer_kind for layer areas.
CREATE TABLE indicators (
  indicator_id      text PRIMARY KEY,
  plan_id           text NOT NULL REFERENCES plans (plan_id),
  code              text NOT NULL,
  position          int NOT NULL,
  name              text NOT NULL,
  category          text NOT NULL DEFAULT '',
  unit              text NOT NULL DEFAULT '',
  base_value        double precision,
  comparator        smallint NOT NULL,
  strict            boolean NOT NULL DEFAULT false,
  target_value      double precision NOT NULL DEFAULT 0,
  target_lower      double precision NOT NULL DEFAULT 0,
  target_upper      double precision NOT NULL DEFAULT 0,
  target_text       text NOT NULL,
  target_year       int NOT NULL,
  nature            smallint NOT NULL,
  measure           text NOT NULL,
  measure_layer_kind smallint,
  trajectory_base   double precision,
  annual            boolean NOT NULL DEFAULT false,
  source_note       text NOT NULL DEFAULT '',
  -- progress as last computed
  status            smallint NOT NULL DEFAULT 1,
  latest_value      double precision,
  latest_as_of      date,
  status_explanation text NOT NULL DEFAULT '',
  create_time       timestamptz NOT NULL,
  update_time       timestamptz NOT NULL,
  UNIQUE (plan_id, code)
);
CREATE INDEX indicators_measure ON indicators (measure);

-- origin: 1 computed, 2 reported. stock_area_m2: for yearly rates, the stock
-- of land at the start of the year the value's as_of falls in.
CREATE TABLE indicator_values (
  value_id          text PRIMARY KEY,
  indicator_id      text NOT NULL REFERENCES indicators (indicator_id),
  value             double precision NOT NULL,
  text_value        text NOT NULL DEFAULT '',
  as_of             date NOT NULL,
  origin            smallint NOT NULL,
  source            bytea,          -- nrp.common.v1.DocumentReference
  source_note       text NOT NULL DEFAULT '',
  reported_by       text NOT NULL,
  stock_area_m2     double precision,
  recorded_at       timestamptz NOT NULL
);
CREATE INDEX indicator_values_by_indicator ON indicator_values (indicator_id, as_of, recorded_at);

-- Mining rights as planning needs them (from mining_rights events).
CREATE TABLE mine_facts (
  right_id          text PRIMARY KEY,
  region_code       text NOT NULL,
  mining            boolean NOT NULL,  -- a mining right (not exploration)
  solid             boolean NOT NULL,  -- main mineral is a solid mineral
  scale_class       smallint NOT NULL, -- 1 large, 2 medium, 3 small, 0 unknown
  valid             boolean NOT NULL,  -- state VALID
  green             boolean NOT NULL DEFAULT false,
  updated_at        timestamptz NOT NULL
);
CREATE INDEX mine_facts_region ON mine_facts (region_code) WHERE valid;

-- Stock land put back to use or disposed (from land_supply events).
-- kind: 'revitalised' (stock_land_revitalised, with its stage),
-- 'idle_disposed' (idle_land_disposed).
CREATE TABLE stock_land_facts (
  fact_id           text PRIMARY KEY,  -- event id
  region_code       text NOT NULL,
  kind              text NOT NULL,
  stage             smallint NOT NULL DEFAULT 0,
  area_m2           double precision NOT NULL,
  occurred_on       date NOT NULL
);
CREATE INDEX stock_land_facts_by_date ON stock_land_facts (kind, occurred_on);

-- New construction land of approved batches (from land_supply events).
CREATE TABLE construction_land_facts (
  batch_id          text PRIMARY KEY,
  region_code       text NOT NULL,
  area_m2           double precision NOT NULL,
  approved_on       date NOT NULL
);

-- Accepted restoration projects (from restoration events).
CREATE TABLE restoration_facts (
  project_id        text PRIMARY KEY,
  region_code       text NOT NULL,
  project_kind      smallint NOT NULL,
  restored_area_m2  double precision NOT NULL,
  new_cultivated_m2 double precision NOT NULL DEFAULT 0,
  accepted_on       date NOT NULL
);
