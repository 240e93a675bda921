// The replica of planning's zone layers.
#include "nrp/db/migrations.h"
#include "store/sql.h"
#include "store/store.h"

namespace nrp::land_supply::store {

Result<int64_t> CurrentLayerVersion(pqxx::work& txn, const std::string& layer_id) {
  auto r = txn.exec_params("SELECT current_version FROM zone_layers WHERE layer_id = $1", layer_id);
  if (r.empty()) return int64_t{0};
  return r[0][0].as<int64_t>();
}

Status StageZone(pqxx::work& txn, const ReplicaZone& z) {
  // The geometry is made valid on the way in: the replica's spatial checks
  // must not fail on a self-touching ring planning accepted.
  const std::string geom =
      "ST_MakeValid(CASE WHEN $9::integer = 2 THEN ST_SetSRID(ST_GeomFromGeoJSON($10), 4490) "
      "WHEN $10 LIKE 'SRID=%' THEN ST_SetSRID(ST_GeomFromEWKT($10), 4490) "
      "ELSE ST_GeomFromText($10, 4490) END)";
  try {
    pqxx::subtransaction sub(txn, "stage_zone");
    sub.exec_params(
        "INSERT INTO replica_zones (layer_id, version, zone_id, kind, region_code, name, "
        "control_level, geom, digest, sequence) VALUES ($1, $2, $3, $4, $5, $6, $7, " +
            geom +
            ", $8, $11) ON CONFLICT (layer_id, version, zone_id) DO UPDATE SET kind = "
            "EXCLUDED.kind, region_code = EXCLUDED.region_code, name = EXCLUDED.name, "
            "control_level = EXCLUDED.control_level, geom = EXCLUDED.geom, digest = "
            "EXCLUDED.digest, sequence = EXCLUDED.sequence",
        z.layer_id, z.version, z.zone_id, static_cast<int>(z.kind), z.region_code, z.name,
        z.control_level, z.digest, z.geometry_encoding, z.geometry_text, z.sequence);
    sub.commit();
  } catch (const pqxx::sql_error& e) {
    std::string state = e.sqlstate();
    // Geometry the database cannot read: the event can never be applied.
    if (state == "XX000" || state.rfind("22", 0) == 0) {
      std::string what = e.what();
      if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
      return Error::InvalidArgument("geometry", "zone " + z.zone_id + ": " + what.substr(0, 200));
    }
    throw;
  }
  return Ok();
}

Status StageWithdrawal(pqxx::work& txn, const std::string& layer_id, int64_t version,
                       const std::string& zone_id) {
  txn.exec_params(
      "INSERT INTO replica_withdrawals (layer_id, version, zone_id) VALUES ($1, $2, $3) "
      "ON CONFLICT DO NOTHING",
      layer_id, version, zone_id);
  return Ok();
}

Result<StagedVersion> StagedVersionOf(pqxx::work& txn, const std::string& layer_id,
                                      int64_t version) {
  StagedVersion v;
  std::string text;
  // zone_id byte order: COLLATE "C".
  for (const auto& r : txn.exec_params(
           "SELECT zone_id, digest FROM replica_zones WHERE layer_id = $1 AND version = $2 "
           "ORDER BY zone_id COLLATE \"C\"",
           layer_id, version)) {
    text += std::string(r[0].c_str()) + ":" + r[1].c_str() + "\n";
    ++v.zone_count;
  }
  v.checksum = db::Sha256Hex(text);
  v.withdrawn_count = txn.exec_params1(
                             "SELECT count(*) FROM replica_withdrawals WHERE layer_id = $1 AND "
                             "version = $2",
                             layer_id, version)[0]
                          .as<int64_t>();
  return v;
}

Status SwitchLayerVersion(pqxx::work& txn, const std::string& layer_id,
                          const std::string& region_code, ZoneLayerKind kind, int64_t version,
                          const std::string& checksum, int64_t zone_count,
                          const std::optional<Date>& effective_from, TimePoint now) {
  txn.exec_params(
      "INSERT INTO zone_layers (layer_id, region_code, kind, current_version, checksum, "
      "zone_count, effective_from, switched_at) VALUES ($1, $2, $3, $4, $5, $6, "
      "NULLIF($7, '')::date, ls_ts($8)) ON CONFLICT (layer_id) DO UPDATE SET region_code = "
      "EXCLUDED.region_code, kind = EXCLUDED.kind, current_version = EXCLUDED.current_version, "
      "checksum = EXCLUDED.checksum, zone_count = EXCLUDED.zone_count, effective_from = "
      "EXCLUDED.effective_from, switched_at = EXCLUDED.switched_at",
      layer_id, region_code, static_cast<int>(kind), version, checksum, zone_count,
      DateParam(effective_from), EpochMicros(now));
  txn.exec_params("DELETE FROM replica_zones WHERE layer_id = $1 AND version < $2", layer_id,
                  version);
  txn.exec_params("DELETE FROM replica_withdrawals WHERE layer_id = $1 AND version <= $2", layer_id,
                  version);
  return Ok();
}

}  // namespace nrp::land_supply::store
