#include "domain/zone_gate.h"

#include <algorithm>
#include <tuple>

namespace nrp::land_supply {

namespace {

constexpr const char* kRuleFarmland =
    "建设不得占用永久基本农田 (三区三线; 土地管理法 art. 35): no construction supply on permanent "
    "basic farmland";
constexpr const char* kRuleRedLine =
    "生态保护红线内禁止开发性、生产性建设活动: no construction supply inside the ecological red "
    "line";
constexpr const char* kRuleUrbanBoundary =
    "城镇建设须在城镇开发边界内: urban construction lies inside the urban development boundary";

std::string LayerRef(const std::string& layer_id, int64_t version) {
  return "layer " + layer_id + " version " + std::to_string(version);
}

}  // namespace

GateResult EvaluateZoneGate(const ZoneMeasurement& m, LandUse use, GateStage stage,
                            const Rules& rules) {
  GateResult out;
  bool check_boundary = stage == GateStage::kOffer && rules.urban_construction_uses.count(use) > 0;
  std::vector<ZoneLayerKind> needed = {ZoneLayerKind::kPermanentBasicFarmland,
                                       ZoneLayerKind::kEcologicalRedLine};
  if (check_boundary) needed.push_back(ZoneLayerKind::kUrbanDevelopmentBoundary);
  auto consulted = [&](ZoneLayerKind k) {
    return std::find(needed.begin(), needed.end(), k) != needed.end();
  };

  // Only the layers this check consults, and the zones of those layers.
  for (const auto& l : m.layers) {
    if (consulted(l.kind)) out.layers_used.push_back(l);
  }
  std::sort(out.layers_used.begin(), out.layers_used.end(), [](const auto& a, const auto& b) {
    return std::tie(a.kind, a.layer_id) < std::tie(b.kind, b.layer_id);
  });

  std::vector<ZoneOverlap> overlaps;
  for (const auto& z : m.overlaps) {
    if (consulted(z.kind)) overlaps.push_back(z);
  }
  std::sort(overlaps.begin(), overlaps.end(), [](const auto& a, const auto& b) {
    return std::tie(a.kind, a.zone_id) < std::tie(b.kind, b.zone_id);
  });

  for (const auto& z : overlaps) {
    if (z.overlap_m2 <= rules.overlap_tolerance_m2) continue;
    GateConflict c;
    c.zone = z;
    switch (z.kind) {
      case ZoneLayerKind::kPermanentBasicFarmland:
        c.verdict = ZoneVerdict::kForbidden;
        c.rule = kRuleFarmland;
        break;
      case ZoneLayerKind::kEcologicalRedLine:
        c.verdict = ZoneVerdict::kForbidden;
        c.rule = kRuleRedLine;
        break;
      case ZoneLayerKind::kUrbanDevelopmentBoundary:
        c.verdict = ZoneVerdict::kAllowed;
        c.rule = kRuleUrbanBoundary;
        break;
      default:
        c.verdict = ZoneVerdict::kAllowed;
        c.rule = "not a layer the supply gate restricts";
        break;
    }
    out.conflicts.push_back(std::move(c));
  }

  // Refusals in a fixed order: missing layers, forbidden zones, then the boundary.
  for (ZoneLayerKind kind : needed) {
    bool have = std::any_of(m.layers.begin(), m.layers.end(),
                            [&](const LayerUsed& l) { return l.kind == kind; });
    if (!have) {
      std::string msg = "the zone replica holds no published version of the " +
                        std::string(ZoneLayerKindName(kind)) +
                        " layer, so the spatial check cannot be made";
      out.failed_rules.push_back(msg);
      out.verdict = ZoneVerdict::kForbidden;
      if (!out.refusal) {
        out.refusal = Error::FailedPrecondition("ZONE_LAYER_MISSING",
                                                std::string(ZoneLayerKindName(kind)), msg);
      }
    }
  }

  for (const auto& c : out.conflicts) {
    if (c.verdict != ZoneVerdict::kForbidden) continue;
    out.verdict = ZoneVerdict::kForbidden;
    if (out.refusal) continue;
    std::string what = c.zone.kind == ZoneLayerKind::kPermanentBasicFarmland
                           ? "permanent basic farmland"
                           : "the ecological red line";
    std::string type = c.zone.kind == ZoneLayerKind::kPermanentBasicFarmland
                           ? "OVERLAPS_PERMANENT_BASIC_FARMLAND"
                           : "OVERLAPS_ECOLOGICAL_RED_LINE";
    Error e = Error::FailedPrecondition(type, c.zone.zone_id,
                                        "the parcel overlaps " + what + " zone '" +
                                            c.zone.zone_name + "' (zone " + c.zone.zone_id + ", " +
                                            LayerRef(c.zone.layer_id, c.zone.version) + ") by " +
                                            FormatArea(c.zone.overlap_m2));
    e.WithMetadata("zone_id", c.zone.zone_id)
        .WithMetadata("layer_id", c.zone.layer_id)
        .WithMetadata("layer_version", std::to_string(c.zone.version))
        .WithMetadata("overlap_square_metres", std::to_string(c.zone.overlap_m2));
    out.refusal = std::move(e);
  }

  if (check_boundary && m.outside_urban_boundary_m2 > rules.overlap_tolerance_m2) {
    std::string layers;
    std::string first_layer;
    int64_t first_version = 0;
    for (const auto& l : out.layers_used) {
      if (l.kind != ZoneLayerKind::kUrbanDevelopmentBoundary) continue;
      if (first_layer.empty()) {
        first_layer = l.layer_id;
        first_version = l.version;
      }
      layers += (layers.empty() ? "" : ", ") + LayerRef(l.layer_id, l.version);
    }
    if (!layers.empty()) {
      std::string inside;
      for (const auto& c : out.conflicts) {
        if (c.zone.kind != ZoneLayerKind::kUrbanDevelopmentBoundary) continue;
        inside += (inside.empty() ? "" : ", ") + std::string("'") + c.zone.zone_name + "' (zone " +
                  c.zone.zone_id + ", " + FormatArea(c.zone.overlap_m2) + ")";
      }
      std::string msg = "urban construction (" + std::string(LandUseName(use)) +
                        ") must lie inside the urban development boundary: " +
                        FormatArea(m.outside_urban_boundary_m2) + " of the parcel's " +
                        FormatArea(m.geometry_area_m2) + " lie outside it (" + layers + ")";
      if (!inside.empty()) msg += "; inside boundary zones " + inside;
      out.failed_rules.push_back(msg);
      out.verdict = ZoneVerdict::kForbidden;
      if (!out.refusal) {
        Error e = Error::FailedPrecondition("OUTSIDE_URBAN_DEVELOPMENT_BOUNDARY", first_layer, msg);
        e.WithMetadata("layer_id", first_layer)
            .WithMetadata("layer_version", std::to_string(first_version))
            .WithMetadata("outside_square_metres", std::to_string(m.outside_urban_boundary_m2));
        out.refusal = std::move(e);
      }
    }
  }
  return out;
}

Status CheckApprovalAuthority(const ZoneMeasurement& m, ApprovalAuthority authority,
                              const std::string& batch_id, const Rules& rules) {
  if (authority == ApprovalAuthority::kStateCouncil) return Ok();
  for (const auto& z : m.overlaps) {
    if (z.kind != ZoneLayerKind::kPermanentBasicFarmland ||
        z.overlap_m2 <= rules.overlap_tolerance_m2) {
      continue;
    }
    return Error::FailedPrecondition(
        "STATE_COUNCIL_APPROVAL_REQUIRED", z.zone_id,
        "batch " + batch_id + " converts permanent basic farmland zone '" + z.zone_name +
            "' (zone " + z.zone_id + ", " + LayerRef(z.layer_id, z.version) + ", " +
            FormatArea(z.overlap_m2) +
            "); only the State Council approves that (土地管理法 art. 46)");
  }
  return Ok();
}

}  // namespace nrp::land_supply
