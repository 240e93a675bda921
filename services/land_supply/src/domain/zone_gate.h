// The spatial gate before land enters the reserve and before an offer is
// announced: no overlap with permanent basic farmland or the ecological red
// line, and urban construction inside the urban development boundary (all
// five plans; 三区三线). The store measures the overlaps on the service's
// replica of planning's zone layers (current published versions only); this
// module decides and words the refusal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/rules.h"
#include "domain/types.h"

namespace nrp::land_supply {

struct LayerUsed {
  std::string layer_id;
  ZoneLayerKind kind = ZoneLayerKind::kUnspecified;
  int64_t version = 0;
};

// One zone of a current layer version that the geometry touches.
struct ZoneOverlap {
  std::string zone_id;
  std::string zone_name;
  std::string layer_id;
  ZoneLayerKind kind = ZoneLayerKind::kUnspecified;
  int64_t version = 0;
  ZoneControlLevel control_level = ZoneControlLevel::kUnspecified;
  double overlap_m2 = 0;
};

// What the store measured.
struct ZoneMeasurement {
  // Every current layer version of the kinds the gate consults.
  std::vector<LayerUsed> layers;
  // Zones touched, any kind.
  std::vector<ZoneOverlap> overlaps;
  // Area of the geometry outside the union of the current urban development
  // boundary zones (the whole area when there are none).
  double outside_urban_boundary_m2 = 0;
  double geometry_area_m2 = 0;
};

enum class GateStage {
  kReserve,  // farmland and red line only
  kOffer,    // also the urban development boundary for urban construction
};

struct GateConflict {
  ZoneOverlap zone;
  ZoneVerdict verdict = ZoneVerdict::kAllowed;
  std::string rule;
};

struct GateResult {
  ZoneVerdict verdict = ZoneVerdict::kAllowed;
  std::vector<GateConflict> conflicts;
  std::vector<LayerUsed> layers_used;
  std::vector<std::string> failed_rules;
  // Set when the gate refuses; FAILED_PRECONDITION naming the zone, the layer
  // version and the overlap area.
  std::optional<Error> refusal;
};

// Decides the gate for `use`. A layer kind the gate needs but the replica has
// no published version of refuses too (ZONE_LAYER_MISSING): without it the
// check cannot be made.
GateResult EvaluateZoneGate(const ZoneMeasurement& m, LandUse use, GateStage stage,
                            const Rules& rules);

// Converting permanent basic farmland needs the State Council's approval
// (土地管理法 arts. 35, 46): a batch whose parcels overlap it cannot be
// approved by the province. FAILED_PRECONDITION naming the zone.
Status CheckApprovalAuthority(const ZoneMeasurement& m, ApprovalAuthority authority,
                              const std::string& batch_id, const Rules& rules);

}  // namespace nrp::land_supply
