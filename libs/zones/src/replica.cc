#include "nrp/zones/replica.h"

#include <algorithm>
#include <map>

#include "nrp/common/v1/zone.pb.h"
#include "nrp/core/log.h"
#include "nrp/db/pool.h"
#include "nrp/events/handler.h"
#include "nrp/events/topics.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/service/runtime.h"
#include "nrp_migrations_zones.h"

namespace nrp::zones {

namespace ppb = nrp::planning::v1;

namespace {

constexpr int kGeoJson = 2;  // nrp.common.v1.GEOMETRY_ENCODING_GEOJSON

// Runs `f`, turning a database exception into its error with `what` in front.
template <class F>
auto Guard(const char* what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return db::MapException(e).Prefix(what);
  }
}

std::string VersionName(const std::string& layer_id, int64_t version) {
  return "layer " + layer_id + " version " + std::to_string(version);
}

bool SixDigits(const std::string& code) {
  return code.size() == 6 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The WHERE fragment selecting layers by `filter`, its parameters numbered from `first`.
std::string LayerWhere(const LayerFilter& filter, int first, std::vector<std::string>* params) {
  std::string where = "true";
  int n = first;
  if (!filter.region_code.empty()) {
    where += " AND nrp_zone_region_covers(l.region_code::text, $" + std::to_string(n++) + ")";
    params->push_back(filter.region_code);
  }
  if (!filter.kinds.empty()) {
    std::string kinds = "{";
    for (size_t i = 0; i < filter.kinds.size(); ++i) {
      if (i) kinds += ",";
      kinds += std::to_string(filter.kinds[i]);
    }
    kinds += "}";
    where += " AND l.kind = ANY($" + std::to_string(n++) + "::integer[])";
    params->push_back(kinds);
  }
  return where;
}

// Geometry PostGIS cannot read: the caller's argument, never a database failure.
Error GeometryError(const pqxx::sql_error& e, const std::string& whose) {
  std::string what = e.what();
  if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
  return Error::InvalidArgument("geometry",
                                whose + ": PostGIS cannot read it: " + what.substr(0, 200));
}

bool IsGeometryError(const pqxx::sql_error& e) {
  std::string state = e.sqlstate();
  return state == "XX000" || state.rfind("22", 0) == 0;
}

}  // namespace

db::MigrationSet Migrations() { return nrp_migrations_zones(); }

std::string ZoneDigest(const ppb::ZonePublished& z) {
  int srid = z.geometry().srid() == 0 ? 4490 : z.geometry().srid();
  std::string text = z.zone_id() + "\n" + std::to_string(static_cast<int>(z.control_level())) +
                     "\n" + std::to_string(srid) + "\n" +
                     std::to_string(static_cast<int>(z.geometry().encoding())) + "\n" +
                     z.geometry().text() + "\n";
  std::map<std::string, std::string> attrs(z.attributes().begin(), z.attributes().end());
  for (const auto& [k, v] : attrs) text += k + "=" + v + "\n";  // std::map: key byte order
  return db::Sha256Hex(text);
}

bool Covers(const std::string& layer_region, const std::string& region) {
  if (layer_region.size() != 6 || region.size() != 6) return false;
  if (layer_region == region) return true;
  if (layer_region.compare(2, 4, "0000") == 0) return layer_region.compare(0, 2, region, 0, 2) == 0;
  if (layer_region.compare(4, 2, "00") == 0) return layer_region.compare(0, 4, region, 0, 4) == 0;
  return false;
}

Result<int64_t> CurrentVersion(pqxx::work& tx, const std::string& layer_id) {
  return Guard("zone replica", [&]() -> Result<int64_t> {
    auto r = tx.exec_params("SELECT current_version FROM zone_replica_layers WHERE layer_id = $1",
                            layer_id);
    if (r.empty()) return int64_t{0};
    return r[0][0].as<int64_t>();
  });
}

void Replica::Subscribe(service::Runtime& rt, SwitchListener on_switch) {
  rt.Subscribe(events::kPlanningTopic, "nrp.planning.zone_published.v1",
               events::Typed<ppb::ZonePublished>(
                   [replica = *this](pqxx::work& tx, const ppb::ZonePublished& z,
                                     const events::CloudEvent&) { return replica.Apply(tx, z); }));
  rt.Subscribe(events::kPlanningTopic, "nrp.planning.zone_withdrawn.v1",
               events::Typed<ppb::ZoneWithdrawn>(
                   [replica = *this](pqxx::work& tx, const ppb::ZoneWithdrawn& w,
                                     const events::CloudEvent&) { return replica.Apply(tx, w); }));
  rt.Subscribe(events::kPlanningTopic, "nrp.planning.layer_version_published.v1",
               events::Typed<ppb::LayerVersionPublished>(
                   [replica = *this, on_switch = std::move(on_switch)](
                       pqxx::work& tx, const ppb::LayerVersionPublished& m,
                       const events::CloudEvent&) { return replica.Apply(tx, m, on_switch); }));
}

Status Replica::Apply(pqxx::work& tx, const ppb::ZonePublished& z) const {
  if (z.layer_id().empty() || z.zone_id().empty() || z.layer_version() < 1) {
    return Error::InvalidArgument("zone", "a zone event needs layer_id, zone_id and a version");
  }
  const std::string where =
      "zone " + z.zone_id() + " of " + VersionName(z.layer_id(), z.layer_version());
  NRP_ASSIGN_OR_RETURN(int64_t current, CurrentVersion(tx, z.layer_id()));
  if (z.layer_version() <= current) return Ok();  // a version already in force or replaced
  int srid = z.geometry().srid();
  if (srid != 0 && srid != 4490) {
    return Error::InvalidArgument("geometry.srid", where + " has SRID " + std::to_string(srid) +
                                                       "; the replica holds EPSG:4490 only");
  }
  const std::string region = z.zone_region_code().empty() ? z.region_code() : z.zone_region_code();
  if (!SixDigits(region)) {
    return Error::InvalidArgument("region_code", where + " has no 6-digit region code");
  }
  if (z.zone_digest().empty() || ZoneDigest(z) != z.zone_digest()) {
    return Error::InvalidArgument("zone_digest",
                                  where + ": zone_digest does not match its content");
  }
  // Planning accepted the boundary; a self-touching ring it allowed must not make the replica's
  // spatial checks fail, so the geometry is made valid on the way in.
  static const std::string sql =
      "INSERT INTO zone_replica_zones (layer_id, version, zone_id, kind, region_code, name, "
      "control_level, geom, digest, sequence) VALUES ($1, $2, $3, $4, $5, $6, $7, "
      "ST_MakeValid(CASE WHEN $8::integer = 2 THEN ST_SetSRID(ST_GeomFromGeoJSON($9), 4490) "
      "WHEN $9 ILIKE 'SRID=%' THEN ST_SetSRID(ST_GeomFromEWKT($9), 4490) "
      "ELSE ST_GeomFromText($9, 4490) END), $10, $11) "
      "ON CONFLICT (layer_id, version, zone_id) DO UPDATE SET kind = EXCLUDED.kind, "
      "region_code = EXCLUDED.region_code, name = EXCLUDED.name, control_level = "
      "EXCLUDED.control_level, geom = EXCLUDED.geom, digest = EXCLUDED.digest, sequence = "
      "EXCLUDED.sequence";
  return Guard("zone replica", [&]() -> Status {
    try {
      pqxx::subtransaction sub(tx, "zone_replica_stage");
      sub.exec_params(sql, z.layer_id(), z.layer_version(), z.zone_id(),
                      static_cast<int>(z.layer_kind()), region, z.name(),
                      static_cast<int>(z.control_level()),
                      static_cast<int>(z.geometry().encoding()), z.geometry().text(),
                      z.zone_digest(), z.sequence());
      sub.commit();
    } catch (const pqxx::sql_error& e) {
      if (IsGeometryError(e)) return GeometryError(e, where);
      throw;
    }
    return Ok();
  });
}

Status Replica::Apply(pqxx::work& tx, const ppb::ZoneWithdrawn& w) const {
  if (w.layer_id().empty() || w.zone_id().empty() || w.layer_version() < 1) {
    return Error::InvalidArgument("zone", "a withdrawal needs layer_id, zone_id and a version");
  }
  NRP_ASSIGN_OR_RETURN(int64_t current, CurrentVersion(tx, w.layer_id()));
  if (w.layer_version() <= current) return Ok();
  return Guard("zone replica", [&]() -> Status {
    tx.exec_params(
        "INSERT INTO zone_replica_withdrawals (layer_id, version, zone_id) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING",
        w.layer_id(), w.layer_version(), w.zone_id());
    return Ok();
  });
}

Status Replica::Apply(pqxx::work& tx, const ppb::LayerVersionPublished& m,
                      const SwitchListener& on_switch) const {
  if (m.layer_id().empty() || m.version() < 1) {
    return Error::InvalidArgument("layer", "a layer marker needs layer_id and a version");
  }
  const std::string name = VersionName(m.layer_id(), m.version());
  if (m.layer_kind() == nrp::common::v1::ZONE_LAYER_KIND_UNSPECIFIED ||
      !nrp::common::v1::ZoneLayerKind_IsValid(m.layer_kind())) {
    return Error::InvalidArgument("layer_kind", name + ": layer kind not set or unknown");
  }
  if (!SixDigits(m.region_code())) {
    return Error::InvalidArgument("region_code", name + " has no 6-digit region code");
  }
  return Guard("zone replica", [&]() -> Status {
    auto cur = tx.exec_params(
        "SELECT current_version FROM zone_replica_layers WHERE layer_id = $1 FOR UPDATE",
        m.layer_id());
    int64_t previous = cur.empty() ? 0 : cur[0][0].as<int64_t>();
    if (m.version() <= previous) return Ok();  // redelivered, or older than the one in force
    std::string text;
    int64_t zones = 0;
    for (const auto& row : tx.exec_params(
             "SELECT zone_id, digest FROM zone_replica_zones WHERE layer_id = $1 AND version = $2 "
             "ORDER BY zone_id COLLATE \"C\"",
             m.layer_id(), m.version())) {
      text += std::string(row[0].c_str()) + ":" + row[1].c_str() + "\n";
      ++zones;
    }
    std::string checksum = db::Sha256Hex(text);
    int64_t withdrawn =
        tx.exec_params1(
              "SELECT count(*) FROM zone_replica_withdrawals WHERE layer_id = $1 AND version = $2",
              m.layer_id(), m.version())[0]
            .as<int64_t>();
    if (zones != m.zone_count() || withdrawn != m.withdrawn_count() || checksum != m.checksum()) {
      return Error::FailedPrecondition(
          "ZONE_VERSION_INCOMPLETE",
          "layers/" + m.layer_id() + "/versions/" + std::to_string(m.version()),
          name + ": received " + std::to_string(zones) + " zones and " + std::to_string(withdrawn) +
              " withdrawals (checksum " + checksum + "), the marker says " +
              std::to_string(m.zone_count()) + " and " + std::to_string(m.withdrawn_count()) +
              " (checksum " + m.checksum() +
              "); zone events were lost, the version stays out of use");
    }
    std::string approval;
    if (m.has_approval()) m.approval().SerializeToString(&approval);
    std::string effective;
    if (m.has_effective_from()) {
      const auto& d = m.effective_from();
      Date date(d.year(), static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
      if (!date.ok()) {
        return Error::InvalidArgument("effective_from", name + ": effective_from is not a date");
      }
      effective = date.ToString();
    }
    tx.exec_params(
        "INSERT INTO zone_replica_layers (layer_id, region_code, kind, current_version, "
        "zone_count, withdrawn_count, checksum, effective_from, approval, switched_at) VALUES "
        "($1, $2, $3, $4, $5, $6, $7, NULLIF($8, '')::date, NULLIF($9, ''::bytea), "
        "to_timestamp($10::double precision / 1e6)) ON CONFLICT (layer_id) DO UPDATE SET "
        "region_code = EXCLUDED.region_code, kind = EXCLUDED.kind, current_version = "
        "EXCLUDED.current_version, zone_count = EXCLUDED.zone_count, withdrawn_count = "
        "EXCLUDED.withdrawn_count, checksum = EXCLUDED.checksum, effective_from = "
        "EXCLUDED.effective_from, approval = EXCLUDED.approval, switched_at = EXCLUDED.switched_at",
        m.layer_id(), m.region_code(), static_cast<int>(m.layer_kind()), m.version(),
        m.zone_count(), m.withdrawn_count(), checksum, effective, pqxx::binarystring(approval),
        std::chrono::duration_cast<std::chrono::microseconds>(clock_.Now().time_since_epoch())
            .count());
    tx.exec_params("DELETE FROM zone_replica_zones WHERE layer_id = $1 AND version < $2",
                   m.layer_id(), m.version());
    tx.exec_params("DELETE FROM zone_replica_withdrawals WHERE layer_id = $1 AND version <= $2",
                   m.layer_id(), m.version());
    log::Info("zone layer version in force", {{"layer_id", m.layer_id()},
                                              {"version", static_cast<int64_t>(m.version())},
                                              {"previous_version", previous},
                                              {"zones", static_cast<int64_t>(zones)}});
    if (!on_switch) return Ok();
    return on_switch(tx,
                     SwitchedLayer{m.layer_id(), m.region_code(), static_cast<int>(m.layer_kind()),
                                   m.version(), previous, zones});
  });
}

Result<std::vector<Layer>> LayersInForce(pqxx::work& tx, const LayerFilter& filter) {
  return Guard("zone replica", [&]() -> Result<std::vector<Layer>> {
    std::vector<std::string> params;
    std::string sql =
        "SELECT layer_id, region_code, kind, current_version, zone_count, checksum, "
        "effective_from::text, approval FROM zone_replica_layers l WHERE " +
        LayerWhere(filter, 1, &params) + " ORDER BY kind, layer_id COLLATE \"C\"";
    std::vector<Layer> out;
    for (const auto& row : tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params))) {
      Layer l;
      l.layer_id = row[0].c_str();
      l.region_code = row[1].c_str();
      l.kind = row[2].as<int>();
      l.version = row[3].as<int64_t>();
      l.zone_count = row[4].as<int64_t>();
      l.checksum = row[5].c_str();
      if (!row[6].is_null()) {
        auto d = Date::Parse(row[6].c_str());
        if (d.ok()) l.effective_from = *d;
      }
      if (!row[7].is_null()) l.approval = pqxx::binarystring(row[7]).str();
      out.push_back(std::move(l));
    }
    return out;
  });
}

Result<std::vector<Overlap>> Overlapping(pqxx::work& tx, const std::string& geometry,
                                         const LayerFilter& filter) {
  return Guard("zone overlap", [&]() -> Result<std::vector<Overlap>> {
    std::vector<std::string> params;
    params.push_back(geometry);
    std::string sql =
        "WITH g AS (SELECT ST_SetSRID($1::geometry, 4490) AS geom) "
        "SELECT z.layer_id, z.version, z.zone_id, z.name, z.kind, z.control_level, "
        "coalesce(ST_Area(geography(ST_CollectionExtract(ST_Intersection(z.geom, g.geom), 3))), "
        "0), l.approval FROM g, zone_replica_zones z JOIN zone_replica_layers l ON "
        "l.layer_id = z.layer_id AND l.current_version = z.version WHERE " +
        LayerWhere(filter, 2, &params) +
        " AND ST_Intersects(z.geom, g.geom) AND NOT ST_Touches(z.geom, g.geom) "
        "ORDER BY z.kind, z.zone_id COLLATE \"C\", z.layer_id COLLATE \"C\"";
    std::vector<Overlap> out;
    try {
      pqxx::subtransaction sub(tx, "zone_overlap");
      for (const auto& row : sub.exec_params(sql, pqxx::prepare::make_dynamic_params(params))) {
        Overlap o;
        o.layer_id = row[0].c_str();
        o.version = row[1].as<int64_t>();
        o.zone_id = row[2].c_str();
        o.name = row[3].c_str();
        o.kind = row[4].as<int>();
        o.control_level = row[5].as<int>();
        o.overlap_m2 = row[6].as<double>();
        if (!row[7].is_null()) o.approval = pqxx::binarystring(row[7]).str();
        out.push_back(std::move(o));
      }
      sub.commit();
    } catch (const pqxx::sql_error& e) {
      if (IsGeometryError(e)) return GeometryError(e, "the geometry checked");
      throw;
    }
    return out;
  });
}

Result<Outside> AreaOutside(pqxx::work& tx, const std::string& geometry, int kind,
                            const LayerFilter& filter) {
  return Guard("zone overlap", [&]() -> Result<Outside> {
    LayerFilter of_kind = filter;
    of_kind.kinds = {kind};
    std::vector<std::string> params;
    params.push_back(geometry);
    std::string sql =
        "WITH g AS (SELECT ST_SetSRID($1::geometry, 4490) AS geom), "
        "u AS (SELECT ST_Union(z.geom) AS geom FROM g, zone_replica_zones z JOIN "
        "zone_replica_layers l ON l.layer_id = z.layer_id AND l.current_version = z.version "
        "WHERE " +
        LayerWhere(of_kind, 2, &params) +
        " AND ST_Intersects(z.geom, g.geom)) "
        "SELECT ST_Area(geography(g.geom)), coalesce(ST_Area(geography(ST_CollectionExtract("
        "ST_Difference(g.geom, u.geom), 3))), ST_Area(geography(g.geom))) FROM g, u";
    Outside out;
    try {
      pqxx::subtransaction sub(tx, "zone_outside");
      auto r = sub.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
      sub.commit();
      auto row = r.at(0);
      out.geometry_m2 = row[0].is_null() ? 0 : row[0].as<double>();
      out.outside_m2 = row[1].is_null() ? 0 : row[1].as<double>();
    } catch (const pqxx::sql_error& e) {
      if (IsGeometryError(e)) return GeometryError(e, "the geometry checked");
      throw;
    }
    return out;
  });
}

}  // namespace nrp::zones
