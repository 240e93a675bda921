// The local replica of planning's control zones (三区三线), written once for every service that
// checks a geometry against them. Planning publishes each layer version in full on
// nrp.planning.events.v1: one ZonePublished per zone of the version, one ZoneWithdrawn per zone
// the previous version had and this one has not, then a LayerVersionPublished marker with the
// counts and the checksum. The replica stages a version's events as they arrive and switches
// the layer to it, in one transaction, only when the staged zones and withdrawals match the
// marker; until then checks keep reading the version in force.
//
// Rules, the same for every subscriber:
//   - every zone carries the contract's zone_digest and it must match its content;
//   - geometry is EPSG:4490 (or unset), made valid on the way in;
//   - a version at or below the one in force is ignored (a redelivery or a replay);
//   - a marker whose counts or checksum differ from what was staged refuses the version
//     (permanent: the event goes to the dead-letter topic, the layer stays as it was).
//
//   zones::Replica(rt.clock()).Subscribe(rt, [&](pqxx::work& tx, const zones::SwitchedLayer& l) ->
//   Status {
//     return RefreshDraftsOf(tx, l);   // the service's own reaction, in the switch's transaction
//   });
//   auto overlaps = zones::Overlapping(tx, geometry_hex_ewkb, {.region_code = "410302"});
#pragma once

#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"
#include "nrp/db/migrations.h"

namespace nrp::planning::v1 {
class ZonePublished;
class ZoneWithdrawn;
class LayerVersionPublished;
}  // namespace nrp::planning::v1

namespace nrp::service {
class Runtime;
}  // namespace nrp::service

namespace nrp::zones {

// The replica's tables (component "zones"). A service lists it before its own migrations, so
// that its own may move an older replica's rows into these tables.
db::MigrationSet Migrations();

// The contract's ZonePublished.zone_digest: lowercase hex SHA-256 of zone_id, control level,
// SRID (0 read as 4490), encoding and geometry text, one per line, then the attributes as
// key=value lines in key byte order.
std::string ZoneDigest(const planning::v1::ZonePublished& zone);

// A layer version just put in force.
struct SwitchedLayer {
  std::string layer_id;
  std::string region_code;
  int kind = 0;  // nrp.common.v1.ZoneLayerKind
  int64_t version = 0;
  int64_t previous_version = 0;  // 0 when the layer is new to the replica
  int64_t zone_count = 0;
};
using SwitchListener = std::function<Status(pqxx::work&, const SwitchedLayer&)>;

class Replica {
 public:
  explicit Replica(const Clock& clock) : clock_(clock) {}

  // Subscribes the three planning events on `rt`'s consumer; `on_switch` (optional) runs in
  // the transaction that puts a version in force. The handlers keep a copy of the replica
  // (which is only its clock), so this object need not outlive the call.
  void Subscribe(service::Runtime& rt, SwitchListener on_switch = {});

  // The steps themselves, for a consumer of the caller's own. A refusal is INVALID_ARGUMENT or
  // FAILED_PRECONDITION naming the layer, version and zone (permanent); database trouble keeps
  // its transient code.
  Status Apply(pqxx::work& tx, const planning::v1::ZonePublished& zone) const;
  Status Apply(pqxx::work& tx, const planning::v1::ZoneWithdrawn& withdrawal) const;
  Status Apply(pqxx::work& tx, const planning::v1::LayerVersionPublished& marker,
               const SwitchListener& on_switch = {}) const;

 private:
  const Clock& clock_;
};

// A layer version in force.
struct Layer {
  std::string layer_id;
  std::string region_code;
  int kind = 0;
  int64_t version = 0;
  int64_t zone_count = 0;
  std::string checksum;
  std::optional<Date> effective_from;
  std::string approval;  // the version's approval, a serialized nrp.common.v1.DocumentReference;
                         // may be empty
};

// Which layers a query reads.
struct LayerFilter {
  // Only layers covering this 6-digit region: the region's own, its city's (xxxx00) and its
  // province's (xx0000). Empty: every layer.
  std::string region_code;
  // Only these kinds; empty: every kind.
  std::vector<int> kinds;
};

// True when a layer of `layer_region` covers `region`, by the rule above.
bool Covers(const std::string& layer_region, const std::string& region);

// The layer version in force of `layer_id`; 0 when none is.
Result<int64_t> CurrentVersion(pqxx::work& tx, const std::string& layer_id);

// The layers in force that `filter` selects, by kind then layer id.
Result<std::vector<Layer>> LayersInForce(pqxx::work& tx, const LayerFilter& filter);

// A zone in force whose interior meets the geometry (a zone that only touches it is not one).
struct Overlap {
  std::string layer_id;
  int64_t version = 0;
  std::string zone_id;
  std::string name;
  int kind = 0;           // nrp.common.v1.ZoneLayerKind
  int control_level = 0;  // nrp.common.v1.ZoneControlLevel
  double overlap_m2 = 0;  // area of the intersection on the ellipsoid
  std::string
      approval;  // the layer version's approval (DocumentReference), serialized; may be empty
};

// Zones in force overlapping `geometry` (hex EWKB in EPSG:4490, e.g. from ST_AsHexEWKB), by
// kind then zone id. INVALID_ARGUMENT (field "geometry") when PostGIS cannot read it.
Result<std::vector<Overlap>> Overlapping(pqxx::work& tx, const std::string& geometry,
                                         const LayerFilter& filter = {});

// Area of `geometry` outside the union of the zones in force of one kind that `filter`
// selects (the whole area when there are none), and the geometry's own area, in m².
struct Outside {
  double geometry_m2 = 0;
  double outside_m2 = 0;
};
Result<Outside> AreaOutside(pqxx::work& tx, const std::string& geometry, int kind,
                            const LayerFilter& filter = {});

}  // namespace nrp::zones
