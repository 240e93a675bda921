-- The zone replica moves to the tables every service shares (libs/zones, component "zones",
-- applied before this file). The layers in force and their zones, and the zones staged for a
-- version whose marker has not arrived, are carried over; then registration's own tables go.
-- The earlier replica kept no withdrawals: a version half-received at the upgrade whose
-- marker counts withdrawals is refused by the marker check and stays out of use until planning
-- publishes it again. withdrawn_count of a layer already in force is recorded as 0.
INSERT INTO zone_replica_layers (layer_id, region_code, kind, current_version, zone_count,
                                 withdrawn_count, checksum, effective_from, approval, switched_at)
SELECT layer_id, region_code, layer_kind, current_version, zone_count, 0, checksum, NULL,
       approval, switched_at
FROM zone_layers
ON CONFLICT (layer_id) DO NOTHING;

INSERT INTO zone_replica_zones (layer_id, version, zone_id, kind, region_code, name,
                                control_level, geom, digest)
SELECT layer_id, layer_version, zone_id, layer_kind, region_code, name, control_level, geometry,
       zone_digest
FROM zones
ON CONFLICT (layer_id, version, zone_id) DO NOTHING;

INSERT INTO zone_replica_zones (layer_id, version, zone_id, kind, region_code, name,
                                control_level, geom, digest, received_at)
SELECT layer_id, layer_version, zone_id, layer_kind, region_code, name, control_level, geometry,
       zone_digest, received_at
FROM zone_staging
ON CONFLICT (layer_id, version, zone_id) DO NOTHING;

DROP TABLE zone_staging;
DROP TABLE zones;
DROP TABLE zone_layers;
