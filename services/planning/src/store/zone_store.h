// SQL of zone layers, versions, drafts, published zones and conflict checks.
// The only code that knows these tables.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "domain/conflict_rules.h"
#include "domain/zone.h"
#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"
#include "nrp/list/list.h"

namespace nrp::planning::store {

enum class VersionState : int { kDraft = 1, kPublished = 2, kSuperseded = 3, kDiscarded = 4 };
enum class ZoneChangeKind : int { kAdded = 1, kModified = 2, kUnchanged = 3 };

struct LayerRow {
  std::string layer_id;
  LayerKind kind = LayerKind::kPermanentBasicFarmland;
  std::string region_code;
  std::string name;
  std::string description;
  int64_t current_version = 0;
  TimePoint create_time{};
  TimePoint update_time{};
};

struct VersionRow {
  std::string layer_id;
  int64_t version = 0;
  VersionState state = VersionState::kDraft;
  int64_t zone_count = 0;
  double total_area_m2 = 0;
  std::string checksum;
  std::string approval;  // serialized DocumentReference, empty when none
  std::optional<Date> effective_from;
  std::string note;
  std::string discard_reason;
  std::optional<TimePoint> published_at;
  std::optional<TimePoint> superseded_at;
  TimePoint create_time{};
};

struct ZoneRow {
  std::string layer_id;
  LayerKind kind = LayerKind::kPermanentBasicFarmland;
  int64_t version = 0;  // the version asked for (or the draft)
  std::string zone_id;
  std::string name;
  ControlLevel level = ControlLevel::kUniform;
  std::string region_code;
  std::map<std::string, std::string> attributes;
  std::string wkt;
  std::string digest;
  double area_m2 = 0;
};

// ---- layers ----------------------------------------------------------------
// ALREADY_EXISTS when the id or (kind, region) is taken.
Status InsertLayer(pqxx::work& txn, const LayerRow& layer);
Result<std::optional<LayerRow>> GetLayer(pqxx::work& txn, const std::string& layer_id,
                                         bool for_update = false);
// What the lists filter and order on (libs/list grammar).
const list::Spec& LayerList();
const list::Spec& VersionList();
const list::Spec& ZoneList();
Result<list::Page<LayerRow>> ListLayers(pqxx::work& txn, const list::Query& q);

// ---- versions --------------------------------------------------------------
// The next version number (max + 1) as a new draft; FAILED_PRECONDITION when
// the layer already has a draft.
Result<VersionRow> InsertDraftVersion(pqxx::work& txn, const std::string& layer_id,
                                      const std::string& approval,
                                      const std::optional<Date>& effective_from,
                                      const std::string& note, TimePoint now);
Result<std::optional<VersionRow>> GetVersion(pqxx::work& txn, const std::string& layer_id,
                                             int64_t version, bool for_update = false);
Result<list::Page<VersionRow>> ListVersions(pqxx::work& txn, const std::string& layer_id,
                                            const list::Query& q);
Status DiscardVersion(pqxx::work& txn, const std::string& layer_id, int64_t version,
                      const std::string& reason);

// ---- import ------------------------------------------------------------------
struct ImportZone {
  size_t index = 0;
  std::string zone_id;
  std::string name;
  ControlLevel level = ControlLevel::kUniform;
  std::string region_code;
  std::map<std::string, std::string> attributes;
  int encoding = 1;  // 1 WKT, 2 GeoJSON
  std::string text;
};

struct StagedZone {
  size_t index = 0;
  std::string zone_id;
  // Empty when PostGIS parsed a valid geometry; else why not
  // ("not a valid geometry: Self-intersection[113.41 34.62]").
  std::string refusal;
  std::string geometry_type;  // "POLYGON", "MULTIPOLYGON", …
  std::string wkt;            // canonical text, as published
  std::string digest;         // contract digest of the zone
  double area_m2 = 0;
};

// Loads the zones into a staging table of this transaction, parses them with
// PostGIS, checks ST_IsValid, canonicalises the geometry (the WKT published
// in events re-parses to exactly the stored geometry) and computes each
// zone's digest. Returns one row per zone in input order.
Result<std::vector<StagedZone>> StageZones(pqxx::work& txn, const std::vector<ImportZone>& zones);
// Writes the staged zones into the draft, except those in `refused`
// (zone id → reason), which are recorded as rejections (and replace an
// earlier accepted copy). Accepted zones clear an earlier rejection.
Status CommitStaged(pqxx::work& txn, const std::string& layer_id, int64_t version,
                    const std::map<std::string, std::string>& refused);
// Zones and rejections the draft holds.
Result<int64_t> DraftZoneCount(pqxx::work& txn, const std::string& layer_id, int64_t version);
Result<int64_t> DraftRejectionCount(pqxx::work& txn, const std::string& layer_id, int64_t version);

// ---- publish -------------------------------------------------------------------
struct PublishedZone {
  ZoneRow zone;
  ZoneChangeKind change = ZoneChangeKind::kAdded;
  int64_t sequence = 0;  // 1..n in zone_id byte order
};
struct Publication {
  VersionRow version;  // after publishing
  int64_t previous_version = 0;
  std::vector<PublishedZone> zones;
  std::vector<std::string> withdrawn;  // zone ids of the previous version not in this one
};
// Makes the draft the current version in this transaction: closes the rows of
// changed and withdrawn zones, inserts new and changed ones, supersedes the
// previous version, moves the layer's pointer, computes count, area and
// checksum. FAILED_PRECONDITION when the version is not a draft, is empty or
// still has rejections.
Result<Publication> PublishVersion(pqxx::work& txn, const LayerRow& layer, int64_t version,
                                   TimePoint now);

// ---- zones -------------------------------------------------------------------
Result<std::optional<ZoneRow>> GetZone(pqxx::work& txn, const LayerRow& layer, int64_t version,
                                       bool draft, const std::string& zone_id);
Result<list::Page<ZoneRow>> ListZones(pqxx::work& txn, const LayerRow& layer, int64_t version,
                                      bool draft, const list::Query& q);

// ---- conflict check ------------------------------------------------------------
struct LayerInForce {
  std::string layer_id;
  LayerKind kind = LayerKind::kPermanentBasicFarmland;
  std::string region_code;
  int64_t version = 0;
};
// The layer versions a check consults: per layer, the current version, or the
// one in force at `as_of`; only layers whose region contains or lies within
// `region_code` (all when empty) and of the given kinds (all when empty).
Result<std::vector<LayerInForce>> LayersInForce(pqxx::work& txn, const std::string& region_code,
                                                const std::vector<LayerKind>& kinds,
                                                const std::optional<TimePoint>& as_of);

struct CheckGeometry {
  int encoding = 1;  // 1 WKT, 2 GeoJSON
  std::string text;
};
// The query that finds the zones a geometry touches and the overlap areas:
// $1 encoding (1 WKT, 2 GeoJSON), $2 geometry text, $3 layer ids (text[]),
// $4 their versions (bigint[]). Public so the benchmark can issue exactly the
// same query directly as its baseline.
extern const char* const kCheckZonesSql;

// Parses the caller's geometry with PostGIS: INVALID_ARGUMENT naming `field`
// when it cannot be parsed or is not valid (with ST_IsValidReason).
Status ValidateCheckGeometry(pqxx::work& txn, const CheckGeometry& g, const std::string& field);
// The zones of the given layer versions whose interior meets the geometry's
// interior, with the overlap area on the ellipsoid, and the coverage facts
// the verdict rules need.
Result<CheckFacts> CollectCheckFacts(pqxx::work& txn, const CheckGeometry& g,
                                     const std::vector<LayerInForce>& layers);

// The random id of this database (migrations/0003_instance.sql).
Result<std::string> InstanceId(pqxx::work& txn);

// Area of the current zones of `kind` in layers whose region lies within
// `region_code` (m²).
Result<double> CurrentLayerArea(pqxx::work& txn, LayerKind kind, const std::string& region_code);

}  // namespace nrp::planning::store
