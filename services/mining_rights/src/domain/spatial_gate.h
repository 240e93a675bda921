// The spatial gate of a new or enlarged right (domain.md, Mining rights): no overlap with the
// three control lines — the ecological red line, permanent basic farmland and the urban
// development boundary (Luoyang: "三条控制线内的所有矿产资源" banned; Wuzhong) — nor with a
// prohibited mining zone; a new open-pit mine only inside a key mining zone (Luoyang Ch4);
// and no overlap with another valid right. The store measures on the service's replica of
// planning's zones (libs/zones) and on its own index of rights; this decides and words the
// refusal, naming the zone or the right, the layer version and the overlap area.
#pragma once

#include <string>
#include <vector>

#include "domain/types.h"
#include "nrp/core/status.h"

namespace nrp::mining_rights {

// nrp.common.v1.ZoneLayerKind and ZoneControlLevel numbers the gate reads.
inline constexpr int kLayerPermanentBasicFarmland = 1;
inline constexpr int kLayerEcologicalRedLine = 2;
inline constexpr int kLayerUrbanDevelopmentBoundary = 3;
inline constexpr int kLayerMineralPlanning = 5;
inline constexpr int kLevelKeyMining = 4;
inline constexpr int kLevelProhibitedMining = 6;

struct GateLayer {
  std::string layer_id;
  int kind = 0;
  int64_t version = 0;
};

struct GateZone {
  std::string layer_id;
  int64_t version = 0;
  std::string zone_id;
  std::string name;
  int kind = 0;
  int control_level = 0;
  double overlap_m2 = 0;
};

struct GateRight {
  std::string right_id;
  std::string licence_number;
  double overlap_m2 = 0;
};

// What the store measured for one block.
struct GateMeasurement {
  double area_m2 = 0;
  std::vector<GateLayer> layers;  // the layers in force covering the block's region
  std::vector<GateZone> zones;    // zones in force whose interior meets the block
  std::vector<GateRight> rights;  // valid rights whose interior meets the block
};

struct GateInput {
  std::string subject;  // "offer 0190…", named in refusals
  MiningMethod method = MiningMethod::kUnspecified;
  // Overlaps smaller than this are taken as survey noise along a shared edge (m²).
  double tolerance_m2 = 1.0;
};

// Ok, or FAILED_PRECONDITION with the first rule broken:
//   ZONE_LAYER_MISSING            a control line or the mineral planning zones have no version
//                                 in force for the region: the check cannot be made;
//   OVERLAPS_ECOLOGICAL_RED_LINE, OVERLAPS_PERMANENT_BASIC_FARMLAND,
//   OVERLAPS_URBAN_DEVELOPMENT_BOUNDARY, OVERLAPS_PROHIBITED_MINING_ZONE
//                                 the zone, its layer version and the overlap area;
//   OPEN_PIT_OUTSIDE_KEY_MINING_ZONE the area outside every key mining zone;
//   OVERLAPS_VALID_RIGHT          the right's licence number and the overlap area.
Status CheckSpatialGate(const GateMeasurement& m, const GateInput& input);

// A split (分立) divides a block whole (domain.md: "On a split one part keeps the number"; the
// contract: "the parts, covering the block without overlap"). The store measures what of the
// block the parts leave out; up to the larger of kSplitCoverageToleranceM2 and
// kSplitCoverageToleranceShare of the block's area it is survey noise along the parts' edges.
inline constexpr double kSplitCoverageToleranceM2 = 1.0;
inline constexpr double kSplitCoverageToleranceShare = 1e-4;  // 0.01 %

struct SplitCoverage {
  std::string subject;  // "right C4103…", named in the refusal
  double block_area_m2 = 0;
  double uncovered_m2 = 0;  // the block's area outside every part
};

// Ok, or INVALID_ARGUMENT "parts" naming the uncovered area, its share of the block and the
// tolerance.
Status CheckSplitCoverage(const SplitCoverage& c);

// The last rule alone: OVERLAPS_VALID_RIGHT, or Ok. An existing right entered as the register
// holds it (RegisterExistingRight) is checked only on this: it was granted under earlier plans,
// so the zones in force today do not bind it.
Status CheckNoValidRightOverlap(const GateMeasurement& m, const GateInput& input);

}  // namespace nrp::mining_rights
