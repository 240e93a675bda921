#include "domain/spatial_gate.h"

#include <algorithm>
#include <cstdio>

namespace nrp::mining_rights {

namespace {

std::string SquareMetres(double m2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f m²", m2);
  return buf;
}

const char* LayerName(int kind) {
  switch (kind) {
    case kLayerPermanentBasicFarmland:
      return "permanent basic farmland (永久基本农田)";
    case kLayerEcologicalRedLine:
      return "the ecological red line (生态保护红线)";
    case kLayerUrbanDevelopmentBoundary:
      return "the urban development boundary (城镇开发边界)";
    case kLayerMineralPlanning:
      return "the mineral planning zones (矿产资源规划分区)";
    default:
      return "a zone layer";
  }
}

Error ZoneRefusal(const std::string& reason, const GateInput& in, const GateZone& z,
                  const std::string& what) {
  return Error::FailedPrecondition(reason, z.zone_id,
                                   in.subject + " overlaps " + what + ": zone " + z.zone_id + " (" +
                                       z.name + ") of layer " + z.layer_id + " version " +
                                       std::to_string(z.version) + ", " +
                                       SquareMetres(z.overlap_m2) + " of overlap")
      .WithMetadata("layer_id", z.layer_id)
      .WithMetadata("layer_version", std::to_string(z.version))
      .WithMetadata("overlap_m2", SquareMetres(z.overlap_m2));
}

}  // namespace

Status CheckSpatialGate(const GateMeasurement& m, const GateInput& in) {
  for (int kind : {kLayerEcologicalRedLine, kLayerPermanentBasicFarmland,
                   kLayerUrbanDevelopmentBoundary, kLayerMineralPlanning}) {
    bool found = false;
    for (const auto& l : m.layers) found = found || l.kind == kind;
    if (!found) {
      return Error::FailedPrecondition(
          "ZONE_LAYER_MISSING", in.subject,
          in.subject + " cannot be checked: no version of " + LayerName(kind) +
              " is in force for its region; the check waits for planning to publish it");
    }
  }
  for (const auto& z : m.zones) {
    if (z.overlap_m2 < in.tolerance_m2) continue;
    switch (z.kind) {
      case kLayerEcologicalRedLine:
        return ZoneRefusal("OVERLAPS_ECOLOGICAL_RED_LINE", in, z, LayerName(z.kind));
      case kLayerPermanentBasicFarmland:
        return ZoneRefusal("OVERLAPS_PERMANENT_BASIC_FARMLAND", in, z, LayerName(z.kind));
      case kLayerUrbanDevelopmentBoundary:
        return ZoneRefusal("OVERLAPS_URBAN_DEVELOPMENT_BOUNDARY", in, z, LayerName(z.kind));
      case kLayerMineralPlanning:
        if (z.control_level == kLevelProhibitedMining) {
          return ZoneRefusal("OVERLAPS_PROHIBITED_MINING_ZONE", in, z,
                             "a prohibited mining zone (禁止开采区)");
        }
        break;
      default:
        break;
    }
  }
  if (in.method == MiningMethod::kOpenPit || in.method == MiningMethod::kCombined) {
    double inside = 0;
    for (const auto& z : m.zones) {
      if (z.kind == kLayerMineralPlanning && z.control_level == kLevelKeyMining) {
        inside += z.overlap_m2;
      }
    }
    const double outside = m.area_m2 - inside;
    if (outside >= in.tolerance_m2) {
      std::string layer;
      for (const auto& l : m.layers) {
        if (l.kind == kLayerMineralPlanning) {
          layer = "layer " + l.layer_id + " version " + std::to_string(l.version);
        }
      }
      return Error::FailedPrecondition("OPEN_PIT_OUTSIDE_KEY_MINING_ZONE", in.subject,
                                       in.subject + " is an open-pit mine and " +
                                           SquareMetres(outside) + " of its " +
                                           SquareMetres(m.area_m2) +
                                           " lie outside every key mining zone (重点开采区) of " +
                                           layer + "; new open-pit mines only inside one")
          .WithMetadata("outside_m2", SquareMetres(outside));
    }
  }
  return CheckNoValidRightOverlap(m, in);
}

Status CheckSplitCoverage(const SplitCoverage& c) {
  const double tolerance =
      std::max(kSplitCoverageToleranceM2, kSplitCoverageToleranceShare * c.block_area_m2);
  if (c.uncovered_m2 <= tolerance) return Ok();
  char share[32];
  std::snprintf(share, sizeof share, "%.2f %%",
                c.block_area_m2 > 0 ? 100.0 * c.uncovered_m2 / c.block_area_m2 : 100.0);
  return Error::InvalidArgument("parts", "the parts leave " + SquareMetres(c.uncovered_m2) + " (" +
                                             share + ") of the " + SquareMetres(c.block_area_m2) +
                                             " block of " + c.subject +
                                             " uncovered; a split's parts cover the whole block "
                                             "(tolerance " +
                                             SquareMetres(tolerance) + ")");
}

Status CheckNoValidRightOverlap(const GateMeasurement& m, const GateInput& in) {
  for (const auto& r : m.rights) {
    if (r.overlap_m2 < in.tolerance_m2) continue;
    return Error::FailedPrecondition("OVERLAPS_VALID_RIGHT", r.right_id,
                                     in.subject + " overlaps the valid right " + r.licence_number +
                                         " (" + r.right_id + "), " + SquareMetres(r.overlap_m2) +
                                         " of overlap; blocks of valid rights may "
                                         "not overlap")
        .WithMetadata("licence_number", r.licence_number)
        .WithMetadata("overlap_m2", SquareMetres(r.overlap_m2));
  }
  return Ok();
}

}  // namespace nrp::mining_rights
