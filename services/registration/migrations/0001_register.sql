-- The registration service's tables. Protobuf bodies (`body`) hold the resource as the API
-- returns it; the columns beside them are what queries, constraints and locks need.

-- Gap-free sequences (case numbers, certificate numbers per registry/year/kind, natural-resource
-- unit numbers): the row is locked by the transaction that draws a number, so a rolled-back
-- transaction leaves no gap and concurrent ones queue.
CREATE TABLE counters (
  name        text PRIMARY KEY,
  last_value  bigint NOT NULL CHECK (last_value >= 0)
);

-- Real-estate units (不动产单元).
CREATE TABLE real_estate_units (
  unit_code     text PRIMARY KEY CHECK (length(unit_code) = 28),
  region_code   text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
  parcel_code   text NOT NULL,
  status        smallint NOT NULL,
  geometry      geometry(Geometry, 4490) NOT NULL,
  land_area_m2  double precision NOT NULL CHECK (land_area_m2 >= 0),
  body          bytea NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);
CREATE INDEX real_estate_units_region ON real_estate_units (region_code, unit_code);
CREATE INDEX real_estate_units_geometry ON real_estate_units USING gist (geometry);
CREATE INDEX real_estate_units_parcel ON real_estate_units (parcel_code);

-- Registration cases (登记业务).
CREATE TABLE cases (
  case_id            text PRIMARY KEY,
  case_number        text NOT NULL UNIQUE,
  region_code        text NOT NULL,
  kind               smallint NOT NULL,
  right_kind         smallint NOT NULL,
  unit_code          text NOT NULL REFERENCES real_estate_units (unit_code),
  state              smallint NOT NULL,
  due_date           date,
  overdue            boolean NOT NULL DEFAULT false,
  overdue_raised_at  timestamptz,
  channel            smallint NOT NULL,
  source_reference   text NOT NULL DEFAULT '',
  submitted_at       timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  body               bytea NOT NULL
);
CREATE INDEX cases_region_submitted ON cases (region_code, submitted_at DESC, case_id);
CREATE INDEX cases_unit ON cases (unit_code);
-- What the overdue scheduler scans: open accepted cases not yet flagged.
CREATE INDEX cases_overdue_candidates ON cases (due_date)
  WHERE overdue_raised_at IS NULL AND state IN (2, 4, 6);
-- One case per originating record of another agency (e.g. a land-supply contract).
CREATE UNIQUE INDEX cases_inter_agency_source ON cases (kind, source_reference)
  WHERE channel = 3 AND source_reference <> '';

-- The register (登记簿): append-only entries, numbered per unit.
CREATE TABLE register_entries (
  entry_id           text PRIMARY KEY,
  unit_code          text NOT NULL REFERENCES real_estate_units (unit_code),
  sequence           bigint NOT NULL CHECK (sequence >= 1),
  registration_kind  smallint NOT NULL,
  right_kind         smallint NOT NULL,
  case_id            text NOT NULL,
  recorded_at        timestamptz NOT NULL,
  right_id           text,
  seizure_id         text,
  corrects_entry_id  text REFERENCES register_entries (entry_id),
  ends_entry_id      text REFERENCES register_entries (entry_id),
  body               bytea NOT NULL,
  UNIQUE (unit_code, sequence)
);
CREATE INDEX register_entries_unit_time ON register_entries (unit_code, recorded_at);

CREATE FUNCTION nrp_registration_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER register_entries_append_only BEFORE UPDATE OR DELETE ON register_entries
  FOR EACH ROW EXECUTE FUNCTION nrp_registration_append_only();
CREATE TRIGGER register_entries_no_truncate BEFORE TRUNCATE ON register_entries
  FOR EACH STATEMENT EXECUTE FUNCTION nrp_registration_append_only();

-- Rights (权利), including mortgages. The body is the right as recorded; state, ended_at and
-- the right a mortgage burdens are the columns (they change when the right ends or the
-- burdened right is transferred).
CREATE TABLE rights (
  right_id            text PRIMARY KEY,
  unit_code           text NOT NULL REFERENCES real_estate_units (unit_code),
  region_code         text NOT NULL,
  right_kind          smallint NOT NULL,
  state               smallint NOT NULL,
  registered_at       timestamptz NOT NULL,
  ended_at            timestamptz,
  entry_id            text NOT NULL REFERENCES register_entries (entry_id),
  mortgaged_right_id  text REFERENCES rights (right_id),
  certificate_number  text,
  body                bytea NOT NULL
);
-- At most one current ownership/use right of a kind per unit (mortgages 13, easements 14 excepted).
CREATE UNIQUE INDEX rights_one_current_per_kind ON rights (unit_code, right_kind)
  WHERE state = 1 AND right_kind NOT IN (13, 14);
CREATE INDEX rights_unit_time ON rights (unit_code, registered_at);

-- Holders by identity document, for queries of the rights a party holds.
CREATE TABLE right_holders (
  right_id   text NOT NULL REFERENCES rights (right_id),
  position   integer NOT NULL,
  id_type    smallint NOT NULL,
  id_number  text NOT NULL,
  name       text NOT NULL,
  PRIMARY KEY (right_id, position)
);
CREATE INDEX right_holders_party ON right_holders (id_number, id_type);

-- Seizures (查封), advance notices (预告) and objections (异议) with their lifecycle.
CREATE TABLE seizures (
  seizure_id        text PRIMARY KEY,
  unit_code         text NOT NULL REFERENCES real_estate_units (unit_code),
  entry_id          text NOT NULL REFERENCES register_entries (entry_id),
  sequence          bigint NOT NULL,
  end_date          date,
  recorded_at       timestamptz NOT NULL,
  released_at       timestamptz,
  release_entry_id  text REFERENCES register_entries (entry_id),
  body              bytea NOT NULL
);
CREATE INDEX seizures_unit ON seizures (unit_code);

CREATE TABLE advance_notices (
  advance_notice_id  text PRIMARY KEY,
  unit_code          text NOT NULL REFERENCES real_estate_units (unit_code),
  entry_id           text NOT NULL REFERENCES register_entries (entry_id),
  recorded_at        timestamptz NOT NULL,
  ended_at           timestamptz,
  body               bytea NOT NULL
);
CREATE INDEX advance_notices_unit ON advance_notices (unit_code);

CREATE TABLE objections (
  objection_id  text PRIMARY KEY,
  unit_code     text NOT NULL REFERENCES real_estate_units (unit_code),
  entry_id      text NOT NULL REFERENCES register_entries (entry_id),
  recorded_at   timestamptz NOT NULL,
  lapses_on     date NOT NULL,
  body          bytea NOT NULL
);
CREATE INDEX objections_unit ON objections (unit_code);

-- Certificates and proofs with their signed electronic document.
CREATE TABLE certificates (
  certificate_number  text PRIMARY KEY,
  kind                smallint NOT NULL,
  unit_code           text NOT NULL REFERENCES real_estate_units (unit_code),
  right_id            text,
  region_code         text NOT NULL,
  case_id             text NOT NULL,
  state               smallint NOT NULL,
  generated_at        timestamptz NOT NULL,
  issued_at           timestamptz,
  voided_at           timestamptz,
  document            text NOT NULL,
  signature           bytea NOT NULL,
  algorithm           text NOT NULL,
  key_id              text NOT NULL,
  verification_code   text NOT NULL,
  body                bytea NOT NULL
);
CREATE INDEX certificates_right ON certificates (right_id);
CREATE INDEX certificates_case ON certificates (case_id);

-- The registry's signing keys. A key configured by file is recorded here with its public
-- half only; a development stack without one generates a key and keeps it here.
CREATE TABLE signing_keys (
  key_id           text PRIMARY KEY,
  algorithm        text NOT NULL,
  public_key_pem   text NOT NULL,
  private_key_pem  text,
  generated        boolean NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- Log of register queries (查询记录): who, why, on what legal basis; append-only.
CREATE TABLE query_log (
  query_id      text PRIMARY KEY,
  method        text NOT NULL,
  caller        text NOT NULL,
  agency        text NOT NULL,
  purpose       smallint NOT NULL,
  legal_basis   text NOT NULL,
  reference     text NOT NULL,
  target        text NOT NULL,
  result_count  integer NOT NULL,
  region_code   text NOT NULL,
  queried_at    timestamptz NOT NULL
);
CREATE INDEX query_log_time ON query_log (queried_at DESC, query_id);
CREATE TRIGGER query_log_append_only BEFORE UPDATE OR DELETE ON query_log
  FOR EACH ROW EXECUTE FUNCTION nrp_registration_append_only();

-- Natural-resource registration units (自然资源登记单元) and their registered versions.
CREATE TABLE natural_resource_units (
  unit_id      text PRIMARY KEY,
  unit_number  text NOT NULL UNIQUE,
  region_code  text NOT NULL,
  kind         smallint NOT NULL,
  state        smallint NOT NULL,
  key_area     boolean NOT NULL,
  version      bigint NOT NULL,
  boundary     geometry(Geometry, 4490) NOT NULL,
  body         bytea NOT NULL,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);
CREATE INDEX natural_resource_units_region ON natural_resource_units (region_code, key_area, unit_number);
CREATE INDEX natural_resource_units_boundary ON natural_resource_units USING gist (boundary);

CREATE TABLE natural_resource_unit_register (
  unit_id        text NOT NULL REFERENCES natural_resource_units (unit_id),
  version        bigint NOT NULL,
  registered_at  timestamptz NOT NULL,
  body           bytea NOT NULL,
  PRIMARY KEY (unit_id, version)
);
CREATE TRIGGER natural_resource_unit_register_append_only
  BEFORE UPDATE OR DELETE ON natural_resource_unit_register
  FOR EACH ROW EXECUTE FUNCTION nrp_registration_append_only();

-- Replica of planning's control zones (nrp.planning.events.v1): zones of a version are staged
-- as they arrive and switched in when the version's marker checks out.
CREATE TABLE zone_layers (
  layer_id         text PRIMARY KEY,
  region_code      text NOT NULL,
  layer_kind       smallint NOT NULL,
  current_version  bigint NOT NULL,
  zone_count       bigint NOT NULL,
  checksum         text NOT NULL,
  approval         bytea,
  switched_at      timestamptz NOT NULL
);

CREATE TABLE zones (
  layer_id       text NOT NULL REFERENCES zone_layers (layer_id),
  zone_id        text NOT NULL,
  layer_version  bigint NOT NULL,
  layer_kind     smallint NOT NULL,
  control_level  smallint NOT NULL,
  name           text NOT NULL,
  region_code    text NOT NULL,
  zone_digest    text NOT NULL,
  geometry       geometry(Geometry, 4490) NOT NULL,
  PRIMARY KEY (layer_id, zone_id)
);
CREATE INDEX zones_geometry ON zones USING gist (geometry);

CREATE TABLE zone_staging (
  layer_id       text NOT NULL,
  layer_version  bigint NOT NULL,
  zone_id        text NOT NULL,
  layer_kind     smallint NOT NULL,
  control_level  smallint NOT NULL,
  name           text NOT NULL,
  region_code    text NOT NULL,
  zone_digest    text NOT NULL,
  geometry       geometry(Geometry, 4490) NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (layer_id, layer_version, zone_id)
);
