-- The replica of planning's control zones (nrp.planning.events.v1), shared by every service
-- that checks geometry against them (libs/zones). A layer version's zones and withdrawals are
-- kept by version as they arrive; zone_replica_layers.current_version says which version is
-- in force, and moves only when the version's marker matches what arrived.

CREATE TABLE zone_replica_layers (
  layer_id         text PRIMARY KEY,
  region_code      char(6) NOT NULL,
  kind             integer NOT NULL,
  current_version  bigint NOT NULL CHECK (current_version > 0),
  zone_count       bigint NOT NULL,
  withdrawn_count  bigint NOT NULL,
  checksum         text NOT NULL,
  effective_from   date,
  approval         bytea,
  switched_at      timestamptz NOT NULL
);

CREATE TABLE zone_replica_zones (
  layer_id       text NOT NULL,
  version        bigint NOT NULL CHECK (version > 0),
  zone_id        text NOT NULL,
  kind           integer NOT NULL,
  region_code    char(6) NOT NULL,
  name           text NOT NULL,
  control_level  integer NOT NULL,
  geom           geometry(Geometry, 4490) NOT NULL,
  digest         text NOT NULL,
  sequence       bigint NOT NULL DEFAULT 0,
  received_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (layer_id, version, zone_id)
);
CREATE INDEX zone_replica_zones_geom ON zone_replica_zones USING gist (geom);

CREATE TABLE zone_replica_withdrawals (
  layer_id  text NOT NULL,
  version   bigint NOT NULL,
  zone_id   text NOT NULL,
  PRIMARY KEY (layer_id, version, zone_id)
);

-- A layer of `layer_region` covers `region` when it is the region's own, its city's
-- (xxxx00) or its province's (xx0000). GB/T 2260 codes: 2 digits province, 2 city, 2 county.
CREATE FUNCTION nrp_zone_region_covers(layer_region text, region text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT layer_region = region
      OR (substr(layer_region, 3) = '0000' AND substr(layer_region, 1, 2) = substr(region, 1, 2))
      OR (substr(layer_region, 5) = '00' AND substr(layer_region, 1, 4) = substr(region, 1, 4))
$$;
