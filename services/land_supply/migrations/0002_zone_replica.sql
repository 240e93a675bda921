-- The zone replica moves to the tables every service shares (libs/zones, component "zones",
-- applied before this file): the layers in force, the zones of every version still kept and
-- the withdrawals staged for versions not yet in force are carried over as they are, then
-- land supply's own tables go. withdrawn_count of a layer already in force is not known here
-- and is recorded as 0; it is only checked when a version is switched in.
INSERT INTO zone_replica_layers (layer_id, region_code, kind, current_version, zone_count,
                                 withdrawn_count, checksum, effective_from, approval, switched_at)
SELECT layer_id, region_code, kind, current_version, zone_count, 0, checksum, effective_from,
       NULL, switched_at
FROM zone_layers
ON CONFLICT (layer_id) DO NOTHING;

INSERT INTO zone_replica_zones (layer_id, version, zone_id, kind, region_code, name,
                                control_level, geom, digest, sequence, received_at)
SELECT layer_id, version, zone_id, kind, region_code, name, control_level, geom, digest,
       sequence, received_at
FROM replica_zones
ON CONFLICT (layer_id, version, zone_id) DO NOTHING;

INSERT INTO zone_replica_withdrawals (layer_id, version, zone_id)
SELECT layer_id, version, zone_id FROM replica_withdrawals
ON CONFLICT DO NOTHING;

DROP TABLE replica_withdrawals;
DROP TABLE replica_zones;
DROP TABLE zone_layers;
