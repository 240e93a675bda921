-- Zone layers (管控图层) and their versions. A draft version collects zones
-- through ImportZones; publishing it makes it current in one transaction.
-- Published zones live in `zones` with the range of versions they belong to
-- (from_version ≤ v < to_version; to_version NULL = still current), so an
-- unchanged zone is one row across versions and every old version stays
-- queryable.

CREATE TABLE zone_layers (
  layer_id        text PRIMARY KEY,
  kind            smallint NOT NULL CHECK (kind BETWEEN 1 AND 6),
  region_code     text NOT NULL,
  name            text NOT NULL,
  description     text NOT NULL DEFAULT '',
  current_version bigint NOT NULL DEFAULT 0,
  create_time     timestamptz NOT NULL,
  update_time     timestamptz NOT NULL,
  UNIQUE (kind, region_code)
);

-- state: 1 draft, 2 published, 3 superseded, 4 discarded (LayerVersionState).
CREATE TABLE layer_versions (
  layer_id        text NOT NULL REFERENCES zone_layers (layer_id),
  version         bigint NOT NULL CHECK (version > 0),
  state           smallint NOT NULL CHECK (state BETWEEN 1 AND 4),
  zone_count      bigint NOT NULL DEFAULT 0,
  total_area_m2   double precision NOT NULL DEFAULT 0,
  checksum        text NOT NULL DEFAULT '',
  approval        bytea,          -- nrp.common.v1.DocumentReference
  effective_from  date,
  note            text NOT NULL DEFAULT '',
  discard_reason  text NOT NULL DEFAULT '',
  published_at    timestamptz,
  superseded_at   timestamptz,
  create_time     timestamptz NOT NULL,
  PRIMARY KEY (layer_id, version)
);
-- At most one draft per layer at a time.
CREATE UNIQUE INDEX layer_versions_one_draft ON layer_versions (layer_id) WHERE state = 1;

-- Zones of draft versions, as imported (canonical geometry and its WKT).
CREATE TABLE draft_zones (
  layer_id        text NOT NULL,
  version         bigint NOT NULL,
  zone_id         text NOT NULL,
  name            text NOT NULL,
  control_level   smallint NOT NULL,
  region_code     text NOT NULL,
  attributes      jsonb NOT NULL DEFAULT '{}',
  geom            geometry(Geometry, 4490) NOT NULL,
  wkt             text NOT NULL,
  digest          text NOT NULL,
  area_m2         double precision NOT NULL,
  PRIMARY KEY (layer_id, version, zone_id),
  FOREIGN KEY (layer_id, version) REFERENCES layer_versions (layer_id, version) ON DELETE CASCADE
);

-- Zones an import refused; a draft with rejections cannot be published until
-- each refused zone is sent again and accepted (or the draft is discarded).
CREATE TABLE draft_rejections (
  layer_id        text NOT NULL,
  version         bigint NOT NULL,
  zone_id         text NOT NULL,
  reason          text NOT NULL,
  PRIMARY KEY (layer_id, version, zone_id),
  FOREIGN KEY (layer_id, version) REFERENCES layer_versions (layer_id, version) ON DELETE CASCADE
);

CREATE TABLE zones (
  layer_id        text NOT NULL REFERENCES zone_layers (layer_id),
  zone_id         text NOT NULL,
  from_version    bigint NOT NULL,
  to_version      bigint,
  layer_kind      smallint NOT NULL,
  name            text NOT NULL,
  control_level   smallint NOT NULL,
  region_code     text NOT NULL,
  attributes      jsonb NOT NULL DEFAULT '{}',
  geom            geometry(Geometry, 4490) NOT NULL,
  wkt             text NOT NULL,
  digest          text NOT NULL,
  area_m2         double precision NOT NULL,
  PRIMARY KEY (layer_id, zone_id, from_version),
  CHECK (to_version IS NULL OR to_version > from_version)
);
-- Conflict checks against the versions in force use the partial index; checks
-- as of an earlier time use the full one.
CREATE INDEX zones_current_geom ON zones USING gist (geom) WHERE to_version IS NULL;
CREATE INDEX zones_geom ON zones USING gist (geom);
CREATE INDEX zones_current ON zones (layer_id, zone_id) WHERE to_version IS NULL;

-- Parses caller geometry without aborting the transaction: NULL and the
-- PostGIS error text when it cannot be parsed. encoding: 1 WKT, 2 GeoJSON.
CREATE FUNCTION planning_parse_geometry(encoding int, txt text, OUT geom geometry, OUT error text)
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF encoding = 1 THEN
    geom := ST_GeomFromText(regexp_replace(txt, '^\s*SRID=\d+;', ''), 4490);
  ELSE
    geom := ST_SetSRID(ST_GeomFromGeoJSON(txt), 4490);
  END IF;
  error := NULL;
EXCEPTION WHEN OTHERS THEN
  geom := NULL;
  error := SQLERRM;
END;
$$;
