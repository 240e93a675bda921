#include "store/zone_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "nrp/common/v1/zone.pb.h"
#include "nrp/db/pool.h"
#include "nrp/planning/v1/resources.pb.h"
#include "store/sql.h"

namespace nrp::planning::store {

namespace v1 = ::nrp::planning::v1;
namespace common = ::nrp::common::v1;
namespace {

#define TS(col) "(extract(epoch from " col ") * 1000000)::bigint"

constexpr const char* kLayerColumns =
    "layer_id, kind, region_code, name, description, current_version, " TS("create_time") ", " TS(
        "update_time");

LayerRow ReadLayer(const pqxx::row& r) {
  LayerRow l;
  l.layer_id = r[0].as<std::string>();
  l.kind = static_cast<LayerKind>(r[1].as<int>());
  l.region_code = r[2].as<std::string>();
  l.name = r[3].as<std::string>();
  l.description = r[4].as<std::string>();
  l.current_version = r[5].as<int64_t>();
  l.create_time = FromMicros(r[6].as<int64_t>());
  l.update_time = FromMicros(r[7].as<int64_t>());
  return l;
}

#define VERSION_COLUMNS                                                                       \
  "layer_id, version, state, zone_count, total_area_m2, checksum, encode(approval, 'hex'), "  \
  "to_char(effective_from, 'YYYY-MM-DD'), note, discard_reason, " TS("published_at") ", " TS( \
      "superseded_at") ", " TS("create_time")

VersionRow ReadVersion(const pqxx::row& r) {
  VersionRow v;
  v.layer_id = r[0].as<std::string>();
  v.version = r[1].as<int64_t>();
  v.state = static_cast<VersionState>(r[2].as<int>());
  v.zone_count = r[3].as<int64_t>();
  v.total_area_m2 = r[4].as<double>();
  v.checksum = r[5].as<std::string>();
  if (!r[6].is_null()) v.approval = HexDecode(r[6].as<std::string>());
  v.effective_from = OptionalDate(r[7]);
  v.note = r[8].as<std::string>();
  v.discard_reason = r[9].as<std::string>();
  v.published_at = OptionalTime(r[10]);
  v.superseded_at = OptionalTime(r[11]);
  v.create_time = FromMicros(r[12].as<int64_t>());
  return v;
}

std::map<std::string, std::string> ReadAttributes(const pqxx::field& f) {
  std::map<std::string, std::string> out;
  auto j = nlohmann::json::parse(f.c_str(), nullptr, false);
  if (j.is_object()) {
    for (auto& [k, v] : j.items()) {
      if (v.is_string()) out[k] = v.get<std::string>();
    }
  }
  return out;
}

std::string AttributesJson(const std::map<std::string, std::string>& attrs) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : attrs) j[k] = v;
  return j.dump();
}

// zone_id, name, control_level, region_code, attributes, wkt, digest, area_m2
ZoneRow ReadZone(const pqxx::row& r, const LayerRow& layer, int64_t version) {
  ZoneRow z;
  z.layer_id = layer.layer_id;
  z.kind = layer.kind;
  z.version = version;
  z.zone_id = r[0].as<std::string>();
  z.name = r[1].as<std::string>();
  z.level = static_cast<ControlLevel>(r[2].as<int>());
  z.region_code = r[3].as<std::string>();
  z.attributes = ReadAttributes(r[4]);
  z.wkt = r[5].as<std::string>();
  z.digest = r[6].as<std::string>();
  z.area_m2 = r[7].as<double>();
  return z;
}

template <class Fn>
auto Guard(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return db::MapException(e);
  }
}

}  // namespace

const char* const kCheckZonesSql =
    "WITH q AS (SELECT (planning_parse_geometry($1, $2)).geom AS g), "
    "lv AS (SELECT * FROM unnest($3::text[], $4::bigint[]) AS t(layer_id, version)) "
    "SELECT z.layer_id, z.zone_id, z.name, z.control_level, lv.version, "
    "ST_Area(ST_Intersection(z.geom, q.g)::geography) "
    "FROM q, zones z JOIN lv ON lv.layer_id = z.layer_id "
    "WHERE ST_Intersects(z.geom, q.g) AND ST_Relate(z.geom, q.g, 'T********') "
    "AND z.from_version <= lv.version AND (z.to_version IS NULL OR z.to_version > lv.version)";

Status InsertLayer(pqxx::work& txn, const LayerRow& l) {
  return Guard([&]() -> Status {
    // A savepoint keeps the transaction usable when the key is taken.
    pqxx::subtransaction sub(txn, "insert_layer");
    try {
      Exec(sub, "planning_insert_layer",
           "INSERT INTO zone_layers (layer_id, kind, region_code, name, description, "
           "current_version, create_time, update_time) VALUES ($1, $2, $3, $4, $5, 0, $6, $6)",
           l.layer_id, static_cast<int>(l.kind), l.region_code, l.name, l.description,
           TimeParam(l.create_time));
      sub.commit();
    } catch (const pqxx::unique_violation&) {
      sub.abort();
      return Error::AlreadyExists("a " + std::string(Name(l.kind)) + " layer for region " +
                                  l.region_code + " already exists");
    }
    return Ok();
  });
}

Result<std::optional<LayerRow>> GetLayer(pqxx::work& txn, const std::string& layer_id,
                                         bool for_update) {
  return Guard([&]() -> Result<std::optional<LayerRow>> {
    pqxx::result r =
        for_update ? Exec(txn, "planning_get_layer_for_update",
                          "SELECT layer_id, kind, region_code, name, description, "
                          "current_version, " TS("create_time") ", " TS(
                              "update_time") " FROM zone_layers WHERE layer_id = $1 FOR UPDATE",
                          layer_id)
                   : Exec(txn, "planning_get_layer",
                          "SELECT layer_id, kind, region_code, name, description, "
                          "current_version, " TS("create_time") ", " TS(
                              "update_time") " FROM zone_layers WHERE layer_id = $1",
                          layer_id);
    if (r.empty()) return std::optional<LayerRow>();
    return std::optional<LayerRow>(ReadLayer(r[0]));
  });
}

const list::Spec& LayerList() {
  using list::Type;
  static const list::Spec spec = [] {
    list::EnumType kinds = list::EnumOf(common::ZoneLayerKind_descriptor(), false);
    std::erase_if(kinds.values,
                  [](const auto& v) { return !LayerKindFromNumber(v.second, "kind").ok(); });
    return list::Spec{
        .name = "planning.ListZoneLayers",
        .fields = {{.name = "kind", .sql = "kind", .type = Type::kEnum, .enum_type = kinds},
                   {.name = "region_code", .sql = "region_code", .prefix = true}},
        .orders = {{"kind", {{"kind", Type::kInt}}},
                   {"region_code", {{"region_code", Type::kText}}}},
        .default_order = "kind, region_code",
        .id = {"layer_id", Type::kText},
    };
  }();
  return spec;
}

Result<list::Page<LayerRow>> ListLayers(pqxx::work& txn, const list::Query& q) {
  return Guard([&]() -> Result<list::Page<LayerRow>> {
    list::Params params;
    std::string sql = "SELECT layer_id, kind, region_code, name, description, current_version, " TS(
                          "create_time") ", " TS("update_time") +
                      q.CursorColumns() + " FROM zone_layers WHERE true" + q.Where(params) +
                      q.OrderLimit(params);
    return q.Collect(params.Exec(txn, sql), [](const pqxx::row& row) { return ReadLayer(row); });
  });
}

Result<VersionRow> InsertDraftVersion(pqxx::work& txn, const std::string& layer_id,
                                      const std::string& approval,
                                      const std::optional<Date>& effective_from,
                                      const std::string& note, TimePoint now) {
  return Guard([&]() -> Result<VersionRow> {
    pqxx::result draft =
        Exec(txn, "planning_find_draft",
             "SELECT version FROM layer_versions WHERE layer_id = $1 AND state = 1", layer_id);
    if (!draft.empty()) {
      return Error::FailedPrecondition("DRAFT_EXISTS", layer_id,
                                       "layer " + layer_id + " already has draft version " +
                                           draft[0][0].as<std::string>() +
                                           "; publish or discard it first");
    }
    auto dates = DateOrNull(effective_from);
    pqxx::result r = Exec(
        txn, "planning_insert_version",
        "INSERT INTO layer_versions (layer_id, version, state, approval, effective_from, note, "
        "create_time) SELECT $1, coalesce(max(version), 0) + 1, 1, CASE WHEN $2 = '' THEN NULL "
        "ELSE decode($2, 'hex') END, $3::date, $4, $5 "
        "FROM layer_versions WHERE layer_id = $1 RETURNING " VERSION_COLUMNS,
        layer_id, HexEncode(approval), Nullable(dates), note, TimeParam(now));
    return ReadVersion(r[0]);
  });
}

Result<std::optional<VersionRow>> GetVersion(pqxx::work& txn, const std::string& layer_id,
                                             int64_t version, bool for_update) {
  return Guard([&]() -> Result<std::optional<VersionRow>> {
    pqxx::result r =
        for_update ? Exec(txn, "planning_get_version_for_update",
                          "SELECT " VERSION_COLUMNS
                          " FROM layer_versions WHERE layer_id = $1 AND version = $2 FOR UPDATE",
                          layer_id, version)
                   : Exec(txn, "planning_get_version",
                          "SELECT " VERSION_COLUMNS
                          " FROM layer_versions WHERE layer_id = $1 AND version = $2",
                          layer_id, version);
    if (r.empty()) return std::optional<VersionRow>();
    return std::optional<VersionRow>(ReadVersion(r[0]));
  });
}

const list::Spec& VersionList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "planning.ListLayerVersions",
      .fields = {{.name = "state",
                  .sql = "state",
                  .type = Type::kEnum,
                  .enum_type = list::EnumOf(v1::LayerVersionState_descriptor(), false)}},
      .orders = {{"version", {{"version", Type::kInt}}}},
      .default_order = "version desc",
      .id = {"version", Type::kInt},
  };
  return spec;
}

Result<list::Page<VersionRow>> ListVersions(pqxx::work& txn, const std::string& layer_id,
                                            const list::Query& q) {
  return Guard([&]() -> Result<list::Page<VersionRow>> {
    list::Params params({layer_id});
    std::string sql = "SELECT " VERSION_COLUMNS + q.CursorColumns() +
                      " FROM layer_versions WHERE layer_id = $1" + q.Where(params) +
                      q.OrderLimit(params);
    return q.Collect(params.Exec(txn, sql), [](const pqxx::row& row) { return ReadVersion(row); });
  });
}

Status DiscardVersion(pqxx::work& txn, const std::string& layer_id, int64_t version,
                      const std::string& reason) {
  return Guard([&]() -> Status {
    Exec(txn, "planning_discard_version",
         "UPDATE layer_versions SET state = 4, discard_reason = $3 "
         "WHERE layer_id = $1 AND version = $2",
         layer_id, version, reason);
    Exec(txn, "planning_discard_zones",
         "DELETE FROM draft_zones WHERE layer_id = $1 AND version = $2", layer_id, version);
    Exec(txn, "planning_discard_rejections",
         "DELETE FROM draft_rejections WHERE layer_id = $1 AND version = $2", layer_id, version);
    return Ok();
  });
}

Result<std::vector<StagedZone>> StageZones(pqxx::work& txn, const std::vector<ImportZone>& zones) {
  return Guard([&]() -> Result<std::vector<StagedZone>> {
    txn.exec(
        "CREATE TEMP TABLE IF NOT EXISTS import_stage ("
        " idx bigint, zone_id text, name text, control_level smallint, region_code text,"
        " attributes jsonb, encoding int, txt text, g geometry, error text, wkt text,"
        " digest text, area_m2 double precision) ON COMMIT DROP");
    txn.exec("TRUNCATE import_stage");
    constexpr size_t kBatch = 2000;
    for (size_t from = 0; from < zones.size(); from += kBatch) {
      std::vector<std::string> idx, ids, names, levels, regions, attrs, encs, texts;
      for (size_t i = from; i < std::min(zones.size(), from + kBatch); ++i) {
        const ImportZone& z = zones[i];
        idx.push_back(std::to_string(z.index));
        ids.push_back(z.zone_id);
        names.push_back(z.name);
        levels.push_back(std::to_string(static_cast<int>(z.level)));
        regions.push_back(z.region_code);
        attrs.push_back(AttributesJson(z.attributes));
        encs.push_back(std::to_string(z.encoding));
        texts.push_back(z.text);
      }
      // Not prepared: the temporary table lives only in this transaction.
      txn.exec_params(
          "INSERT INTO import_stage (idx, zone_id, name, control_level, region_code, attributes, "
          "encoding, txt) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], "
          "$4::smallint[], $5::text[], $6::jsonb[], $7::int[], $8::text[])",
          TextArray(idx), TextArray(ids), TextArray(names), TextArray(levels), TextArray(regions),
          TextArray(attrs), TextArray(encs), TextArray(texts));
    }
    // Parse; canonicalise through WKT so the published text re-parses to the
    // stored geometry exactly; validate.
    txn.exec(
        "UPDATE import_stage s SET g = p.geom, error = p.error "
        "FROM (SELECT idx, (planning_parse_geometry(encoding, txt)).* FROM import_stage) p "
        "WHERE p.idx = s.idx");
    txn.exec("UPDATE import_stage SET g = ST_GeomFromText(ST_AsText(g), 4490) WHERE g IS NOT NULL");
    txn.exec(
        "UPDATE import_stage SET error = 'not a valid geometry: ' || ST_IsValidReason(g) "
        "WHERE g IS NOT NULL AND NOT ST_IsValid(g)");
    txn.exec(
        "UPDATE import_stage SET error = 'geometry is empty' WHERE g IS NOT NULL AND "
        "error IS NULL AND ST_IsEmpty(g)");
    // The digest defined by the contract (ZonePublished.zone_digest): zone_id,
    // control level, srid 4490, encoding 1 (WKT), the text, then the
    // attributes in byte order of keys.
    txn.exec(
        "UPDATE import_stage SET wkt = ST_AsText(g), area_m2 = ST_Area(g::geography) "
        "WHERE g IS NOT NULL AND error IS NULL");
    txn.exec(
        "UPDATE import_stage SET digest = encode(sha256(convert_to(zone_id || E'\\n' || "
        "control_level::text || E'\\n4490\\n1\\n' || wkt || E'\\n' || coalesce((SELECT "
        "string_agg(key || '=' || value || E'\\n', '' ORDER BY key COLLATE \"C\") FROM "
        "jsonb_each_text(attributes)), ''), 'UTF8')), 'hex') WHERE wkt IS NOT NULL");
    pqxx::result r = txn.exec(
        "SELECT idx, zone_id, coalesce(error, ''), coalesce(GeometryType(g), ''), "
        "coalesce(wkt, ''), coalesce(digest, ''), coalesce(area_m2, 0) FROM import_stage ORDER BY "
        "idx");
    std::vector<StagedZone> out;
    out.reserve(r.size());
    for (const auto& row : r) {
      StagedZone s;
      s.index = row[0].as<size_t>();
      s.zone_id = row[1].as<std::string>();
      s.refusal = row[2].as<std::string>();
      s.geometry_type = row[3].as<std::string>();
      s.wkt = row[4].as<std::string>();
      s.digest = row[5].as<std::string>();
      s.area_m2 = row[6].as<double>();
      out.push_back(std::move(s));
    }
    return out;
  });
}

Status CommitStaged(pqxx::work& txn, const std::string& layer_id, int64_t version,
                    const std::map<std::string, std::string>& refused) {
  return Guard([&]() -> Status {
    std::vector<std::string> ids, reasons;
    for (const auto& [id, reason] : refused) {
      ids.push_back(id);
      reasons.push_back(reason);
    }
    const std::string id_array = TextArray(ids);
    // A zone sent again replaces the earlier one: a later copy in the same
    // chunk wins (highest idx).
    txn.exec_params(
        "INSERT INTO draft_zones (layer_id, version, zone_id, name, control_level, region_code, "
        "attributes, geom, wkt, digest, area_m2) "
        "SELECT DISTINCT ON (zone_id) $1, $2, zone_id, name, control_level, region_code, "
        "attributes, g, wkt, digest, area_m2 FROM import_stage "
        "WHERE NOT (zone_id = ANY($3::text[])) ORDER BY zone_id, idx DESC "
        "ON CONFLICT (layer_id, version, zone_id) DO UPDATE SET name = EXCLUDED.name, "
        "control_level = EXCLUDED.control_level, region_code = EXCLUDED.region_code, "
        "attributes = EXCLUDED.attributes, geom = EXCLUDED.geom, wkt = EXCLUDED.wkt, "
        "digest = EXCLUDED.digest, area_m2 = EXCLUDED.area_m2",
        layer_id, version, id_array);
    txn.exec_params(
        "DELETE FROM draft_rejections WHERE layer_id = $1 AND version = $2 AND zone_id IN "
        "(SELECT zone_id FROM import_stage WHERE NOT (zone_id = ANY($3::text[])))",
        layer_id, version, id_array);
    if (!ids.empty()) {
      Exec(txn, "planning_reject_zones",
           "INSERT INTO draft_rejections (layer_id, version, zone_id, reason) "
           "SELECT $1, $2, z, r FROM unnest($3::text[], $4::text[]) AS t(z, r) "
           "ON CONFLICT (layer_id, version, zone_id) DO UPDATE SET reason = EXCLUDED.reason",
           layer_id, version, id_array, TextArray(reasons));
      Exec(txn, "planning_drop_rejected_zones",
           "DELETE FROM draft_zones WHERE layer_id = $1 AND version = $2 AND zone_id = "
           "ANY($3::text[])",
           layer_id, version, id_array);
    }
    return Ok();
  });
}

Result<int64_t> DraftZoneCount(pqxx::work& txn, const std::string& layer_id, int64_t version) {
  return Guard([&]() -> Result<int64_t> {
    return Exec(txn, "planning_draft_count",
                "SELECT count(*) FROM draft_zones WHERE layer_id = $1 AND version = $2", layer_id,
                version)[0][0]
        .as<int64_t>();
  });
}

Result<int64_t> DraftRejectionCount(pqxx::work& txn, const std::string& layer_id, int64_t version) {
  return Guard([&]() -> Result<int64_t> {
    return Exec(txn, "planning_rejection_count",
                "SELECT count(*) FROM draft_rejections WHERE layer_id = $1 AND version = $2",
                layer_id, version)[0][0]
        .as<int64_t>();
  });
}

Result<Publication> PublishVersion(pqxx::work& txn, const LayerRow& layer, int64_t version,
                                   TimePoint now) {
  return Guard([&]() -> Result<Publication> {
    pqxx::result vr = Exec(txn, "planning_get_version_for_update",
                           "SELECT " VERSION_COLUMNS
                           " FROM layer_versions WHERE layer_id = $1 AND version = $2 FOR UPDATE",
                           layer.layer_id, version);
    if (vr.empty()) {
      return Error::NotFound("layer " + layer.layer_id + " has no version " +
                             std::to_string(version));
    }
    VersionRow v = ReadVersion(vr[0]);
    const std::string subject = layer.layer_id + "@" + std::to_string(version);
    if (v.state != VersionState::kDraft) {
      return Error::FailedPrecondition(
          "VERSION_NOT_DRAFT", subject,
          "version " + std::to_string(version) + " of layer " + layer.layer_id + " is not a draft");
    }
    NRP_ASSIGN_OR_RETURN(int64_t rejections, DraftRejectionCount(txn, layer.layer_id, version));
    if (rejections > 0) {
      pqxx::result first = Exec(txn, "planning_first_rejection",
                                "SELECT zone_id, reason FROM draft_rejections WHERE layer_id = $1 "
                                "AND version = $2 ORDER BY zone_id COLLATE \"C\" LIMIT 1",
                                layer.layer_id, version);
      return Error::FailedPrecondition(
          "REJECTED_ZONES_PENDING", subject,
          "version " + std::to_string(version) + " has " + std::to_string(rejections) +
              " rejected zone(s); first: " + first[0][0].as<std::string>() + ": " +
              first[0][1].as<std::string>() + "; send them again or discard the version");
    }
    NRP_ASSIGN_OR_RETURN(int64_t count, DraftZoneCount(txn, layer.layer_id, version));
    if (count == 0) {
      return Error::FailedPrecondition("VERSION_EMPTY", subject,
                                       "version " + std::to_string(version) + " holds no zones");
    }
    Publication pub;
    pub.previous_version = layer.current_version;

    // Zones of the draft with their change against the current version.
    pqxx::result zr =
        Exec(txn, "planning_publish_diff",
             "SELECT d.zone_id, d.name, d.control_level, d.region_code, d.attributes::text, d.wkt, "
             "d.digest, d.area_m2, CASE WHEN c.zone_id IS NULL THEN 1 WHEN c.digest = d.digest AND "
             "c.name = d.name AND c.region_code = d.region_code THEN 3 ELSE 2 END "
             "FROM draft_zones d LEFT JOIN zones c ON c.layer_id = d.layer_id AND c.zone_id = "
             "d.zone_id AND c.to_version IS NULL WHERE d.layer_id = $1 AND d.version = $2 "
             "ORDER BY d.zone_id COLLATE \"C\"",
             layer.layer_id, version);
    int64_t seq = 0;
    pub.zones.reserve(zr.size());
    for (const auto& row : zr) {
      PublishedZone p;
      p.zone = ReadZone(row, layer, version);
      p.change = static_cast<ZoneChangeKind>(row[8].as<int>());
      p.sequence = ++seq;
      pub.zones.push_back(std::move(p));
    }
    pqxx::result wr = Exec(txn, "planning_publish_withdrawn",
                           "SELECT c.zone_id FROM zones c WHERE c.layer_id = $1 AND c.to_version "
                           "IS NULL AND NOT EXISTS (SELECT 1 FROM draft_zones d WHERE d.layer_id "
                           "= $1 AND d.version = $2 AND d.zone_id = c.zone_id) "
                           "ORDER BY c.zone_id COLLATE \"C\"",
                           layer.layer_id, version);
    for (const auto& row : wr) pub.withdrawn.push_back(row[0].as<std::string>());

    // Close the rows of withdrawn and modified zones, then insert new rows.
    Exec(txn, "planning_publish_close",
         "UPDATE zones c SET to_version = $2 WHERE c.layer_id = $1 AND c.to_version IS NULL AND "
         "NOT EXISTS (SELECT 1 FROM draft_zones d WHERE d.layer_id = $1 AND d.version = $2 AND "
         "d.zone_id = c.zone_id AND d.digest = c.digest AND d.name = c.name AND d.region_code = "
         "c.region_code)",
         layer.layer_id, version);
    Exec(txn, "planning_publish_insert",
         "INSERT INTO zones (layer_id, zone_id, from_version, to_version, layer_kind, name, "
         "control_level, region_code, attributes, geom, wkt, digest, area_m2) "
         "SELECT d.layer_id, d.zone_id, d.version, NULL, $3, d.name, d.control_level, "
         "d.region_code, d.attributes, d.geom, d.wkt, d.digest, d.area_m2 FROM draft_zones d "
         "WHERE d.layer_id = $1 AND d.version = $2 AND NOT EXISTS (SELECT 1 FROM zones c WHERE "
         "c.layer_id = $1 AND c.zone_id = d.zone_id AND c.to_version IS NULL)",
         layer.layer_id, version, static_cast<int>(layer.kind));
    // Count, area and checksum of the version (LayerVersionPublished.checksum).
    pqxx::result sums = Exec(
        txn, "planning_publish_sums",
        "SELECT count(*), coalesce(sum(area_m2), 0), encode(sha256(convert_to(coalesce("
        "string_agg(zone_id || ':' || digest || E'\\n', '' ORDER BY zone_id COLLATE \"C\"), ''), "
        "'UTF8')), 'hex') FROM draft_zones WHERE layer_id = $1 AND version = $2",
        layer.layer_id, version);
    Exec(txn, "planning_publish_supersede",
         "UPDATE layer_versions SET state = 3, superseded_at = $3 WHERE layer_id = $1 AND "
         "version = $2 AND state = 2",
         layer.layer_id, layer.current_version, TimeParam(now));
    pqxx::result pr = Exec(
        txn, "planning_publish_version",
        "UPDATE layer_versions SET state = 2, zone_count = $3, total_area_m2 = $4, checksum = $5, "
        "published_at = $6 WHERE layer_id = $1 AND version = $2 RETURNING " VERSION_COLUMNS,
        layer.layer_id, version, sums[0][0].as<int64_t>(), sums[0][1].as<double>(),
        sums[0][2].as<std::string>(), TimeParam(now));
    pub.version = ReadVersion(pr[0]);
    Exec(txn, "planning_publish_pointer",
         "UPDATE zone_layers SET current_version = $2, update_time = $3 WHERE layer_id = $1",
         layer.layer_id, version, TimeParam(now));
    Exec(txn, "planning_publish_clear_draft",
         "DELETE FROM draft_zones WHERE layer_id = $1 AND version = $2", layer.layer_id, version);
    return pub;
  });
}

Result<std::optional<ZoneRow>> GetZone(pqxx::work& txn, const LayerRow& layer, int64_t version,
                                       bool draft, const std::string& zone_id) {
  return Guard([&]() -> Result<std::optional<ZoneRow>> {
    pqxx::result r =
        draft ? Exec(txn, "planning_get_draft_zone",
                     "SELECT zone_id, name, control_level, region_code, attributes::text, wkt, "
                     "digest, area_m2 FROM draft_zones WHERE layer_id = $1 AND version = $2 AND "
                     "zone_id = $3",
                     layer.layer_id, version, zone_id)
              : Exec(txn, "planning_get_zone",
                     "SELECT zone_id, name, control_level, region_code, attributes::text, wkt, "
                     "digest, area_m2 FROM zones WHERE layer_id = $1 AND zone_id = $3 AND "
                     "from_version <= $2 AND (to_version IS NULL OR to_version > $2)",
                     layer.layer_id, version, zone_id);
    if (r.empty()) return std::optional<ZoneRow>();
    return std::optional<ZoneRow>(ReadZone(r[0], layer, version));
  });
}

const list::Spec& ZoneList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "planning.ListZones",
      .fields = {{.name = "control_level",
                  .sql = "control_level",
                  .type = Type::kEnum,
                  .enum_type = list::EnumOf(common::ZoneControlLevel_descriptor(), false)},
                 {.name = "region_code", .sql = "region_code", .prefix = true}},
      .orders = {{"zone_id", {{"zone_id COLLATE \"C\"", Type::kText}}}},
      .default_order = "zone_id",
      .id = {"zone_id COLLATE \"C\"", Type::kText},
  };
  return spec;
}

Result<list::Page<ZoneRow>> ListZones(pqxx::work& txn, const LayerRow& layer, int64_t version,
                                      bool draft, const list::Query& q) {
  return Guard([&]() -> Result<list::Page<ZoneRow>> {
    list::Params params({layer.layer_id, std::to_string(version)});
    std::string sql =
        "SELECT zone_id, name, control_level, region_code, attributes::text, wkt, digest, "
        "area_m2" +
        q.CursorColumns() +
        (draft ? " FROM draft_zones WHERE layer_id = $1 AND version = $2::bigint"
               : " FROM zones WHERE layer_id = $1 AND from_version <= $2::bigint AND "
                 "(to_version IS NULL OR to_version > $2::bigint)") +
        q.Where(params) + q.OrderLimit(params);
    return q.Collect(params.Exec(txn, sql),
                     [&](const pqxx::row& row) { return ReadZone(row, layer, version); });
  });
}

Result<std::vector<LayerInForce>> LayersInForce(pqxx::work& txn, const std::string& region_code,
                                                const std::vector<LayerKind>& kinds,
                                                const std::optional<TimePoint>& as_of) {
  return Guard([&]() -> Result<std::vector<LayerInForce>> {
    std::vector<std::string> kind_numbers;
    for (LayerKind k : kinds) kind_numbers.push_back(std::to_string(static_cast<int>(k)));
    pqxx::result r =
        as_of
            ? Exec(txn, "planning_layers_as_of",
                   "SELECT l.layer_id, l.kind, l.region_code, v.version FROM zone_layers l "
                   "JOIN layer_versions v ON v.layer_id = l.layer_id AND v.state IN (2, 3) AND "
                   "v.published_at <= $2::timestamptz AND (v.superseded_at IS NULL OR "
                   "v.superseded_at > $2::timestamptz) "
                   "WHERE (cardinality($1::int[]) = 0 OR l.kind = ANY($1::int[])) ORDER BY l.kind, "
                   "l.layer_id",
                   TextArray(kind_numbers), TimeParam(*as_of))
            : Exec(txn, "planning_layers_current",
                   "SELECT l.layer_id, l.kind, l.region_code, l.current_version FROM zone_layers l "
                   "WHERE l.current_version > 0 AND (cardinality($1::int[]) = 0 OR l.kind = "
                   "ANY($1::int[])) ORDER BY l.kind, l.layer_id",
                   TextArray(kind_numbers));
    std::vector<LayerInForce> out;
    for (const auto& row : r) {
      LayerInForce l;
      l.layer_id = row[0].as<std::string>();
      l.kind = static_cast<LayerKind>(row[1].as<int>());
      l.region_code = row[2].as<std::string>();
      l.version = row[3].as<int64_t>();
      if (!region_code.empty() && !RegionContains(l.region_code, region_code) &&
          !RegionContains(region_code, l.region_code)) {
        continue;
      }
      out.push_back(std::move(l));
    }
    return out;
  });
}

Status ValidateCheckGeometry(pqxx::work& txn, const CheckGeometry& g, const std::string& field) {
  return Guard([&]() -> Status {
    pqxx::result r = Exec(txn, "planning_validate_check_geometry",
                          "SELECT p.error, CASE WHEN p.geom IS NULL THEN NULL WHEN "
                          "ST_IsValid(p.geom) THEN '' ELSE ST_IsValidReason(p.geom) END FROM "
                          "planning_parse_geometry($1, $2) p",
                          g.encoding, g.text);
    if (!r[0][0].is_null()) {
      return Error::InvalidArgument(field, "cannot be read: " + r[0][0].as<std::string>());
    }
    std::string reason = r[0][1].as<std::string>();
    if (!reason.empty()) return Error::InvalidArgument(field, "not a valid geometry: " + reason);
    return Ok();
  });
}

Result<CheckFacts> CollectCheckFacts(pqxx::work& txn, const CheckGeometry& g,
                                     const std::vector<LayerInForce>& layers) {
  return Guard([&]() -> Result<CheckFacts> {
    CheckFacts facts;
    if (layers.empty()) return facts;
    std::vector<std::string> ids, versions;
    std::map<std::string, const LayerInForce*> by_id;
    for (const auto& l : layers) {
      ids.push_back(l.layer_id);
      versions.push_back(std::to_string(l.version));
      by_id[l.layer_id] = &l;
    }
    // Zones of the consulted versions whose interior meets the geometry's
    // interior (ST_Relate 'T********'): a zone sharing only a boundary is not
    // touched. Overlap area on the ellipsoid.
    pqxx::result r = Exec(txn, "planning_check_zones", kCheckZonesSql, g.encoding, g.text,
                          TextArray(ids), TextArray(versions));
    for (const auto& row : r) {
      TouchedZone t;
      t.layer_id = row[0].as<std::string>();
      t.zone_code = row[1].as<std::string>();
      t.zone_id = t.zone_code;
      t.zone_name = row[2].as<std::string>();
      t.level = static_cast<ControlLevel>(row[3].as<int>());
      t.version = row[4].as<int64_t>();
      t.overlap_m2 = row[5].as<double>();
      t.kind = by_id.at(t.layer_id)->kind;
      facts.zones.push_back(std::move(t));
    }
    // Coverage by the urban development boundary and by key mining zones.
    auto coverage = [&](LayerKind kind, int level) -> Result<Coverage> {
      std::vector<std::string> kid, kver;
      for (const auto& l : layers) {
        if (l.kind != kind) continue;
        kid.push_back(l.layer_id);
        kver.push_back(std::to_string(l.version));
      }
      Coverage c;
      if (kid.empty()) return c;
      c.layer_present = true;
      pqxx::result cr = Exec(
          txn, "planning_check_coverage",
          "WITH q AS (SELECT (planning_parse_geometry($1, $2)).geom AS g), "
          "lv AS (SELECT * FROM unnest($3::text[], $4::bigint[]) AS t(layer_id, version)), "
          "u AS (SELECT ST_Union(z.geom) AS g FROM q, zones z JOIN lv ON lv.layer_id = z.layer_id "
          "WHERE ST_Intersects(z.geom, q.g) AND ($5 = 0 OR z.control_level = $5) AND "
          "z.from_version <= lv.version AND (z.to_version IS NULL OR z.to_version > lv.version)) "
          "SELECT coalesce(ST_CoveredBy(q.g, u.g), false), CASE WHEN u.g IS NULL THEN "
          "ST_Area(q.g::geography) ELSE ST_Area(ST_Difference(q.g, u.g)::geography) END FROM q, u",
          g.encoding, g.text, TextArray(kid), TextArray(kver), level);
      c.covered = cr[0][0].as<bool>();
      c.outside_m2 = cr[0][1].as<double>();
      return c;
    };
    NRP_ASSIGN_OR_RETURN(facts.urban_boundary, coverage(LayerKind::kUrbanDevelopmentBoundary, 0));
    NRP_ASSIGN_OR_RETURN(facts.key_mining, coverage(LayerKind::kMineralPlanning,
                                                    static_cast<int>(ControlLevel::kKeyMining)));
    return facts;
  });
}

Result<std::string> InstanceId(pqxx::work& txn) {
  return Guard([&]() -> Result<std::string> {
    pqxx::result r =
        Exec(txn, "planning_instance_id", "SELECT instance_id FROM planning_instance LIMIT 1");
    if (r.empty()) return Error::Internal("planning_instance holds no row");
    return r[0][0].as<std::string>();
  });
}

Result<double> CurrentLayerArea(pqxx::work& txn, LayerKind kind, const std::string& region_code) {
  return Guard([&]() -> Result<double> {
    std::string prefix = region_code;
    if (prefix.size() == 6 && prefix.substr(2) == "0000") {
      prefix = prefix.substr(0, 2);
    } else if (prefix.size() == 6 && prefix.substr(4) == "00") {
      prefix = prefix.substr(0, 4);
    }
    pqxx::result r = Exec(txn, "planning_layer_area",
                          "SELECT coalesce(sum(area_m2), 0) FROM zones WHERE layer_kind = $1 AND "
                          "to_version IS NULL AND region_code LIKE $2 || '%'",
                          static_cast<int>(kind), prefix);
    return r[0][0].as<double>();
  });
}

}  // namespace nrp::planning::store
