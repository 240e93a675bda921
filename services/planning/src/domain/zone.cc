#include "domain/zone.h"

#include <cctype>

namespace nrp::planning {

std::string_view Name(LayerKind kind) {
  switch (kind) {
    case LayerKind::kPermanentBasicFarmland:
      return "permanent_basic_farmland";
    case LayerKind::kEcologicalRedLine:
      return "ecological_red_line";
    case LayerKind::kUrbanDevelopmentBoundary:
      return "urban_development_boundary";
    case LayerKind::kProtectedArea:
      return "protected_area";
    case LayerKind::kMineralPlanning:
      return "mineral_planning";
    case LayerKind::kCultivatedLand:
      return "cultivated_land";
  }
  return "unknown";
}

std::string_view Name(ControlLevel level) {
  switch (level) {
    case ControlLevel::kUniform:
      return "uniform";
    case ControlLevel::kCoreProtection:
      return "core_protection";
    case ControlLevel::kGeneralControl:
      return "general_control";
    case ControlLevel::kKeyMining:
      return "key_mining";
    case ControlLevel::kRestrictedMining:
      return "restricted_mining";
    case ControlLevel::kProhibitedMining:
      return "prohibited_mining";
    case ControlLevel::kKeyExploration:
      return "key_exploration";
  }
  return "unknown";
}

std::string_view Name(SpatialUse use) {
  switch (use) {
    case SpatialUse::kUrbanConstruction:
      return "urban_construction";
    case SpatialUse::kRuralConstruction:
      return "rural_construction";
    case SpatialUse::kInfrastructure:
      return "infrastructure";
    case SpatialUse::kMajorNationalProject:
      return "major_national_project";
    case SpatialUse::kMineralExploration:
      return "mineral_exploration";
    case SpatialUse::kUndergroundMining:
      return "underground_mining";
    case SpatialUse::kOpenPitMining:
      return "open_pit_mining";
    case SpatialUse::kEcologicalRestoration:
      return "ecological_restoration";
    case SpatialUse::kAfforestation:
      return "afforestation";
    case SpatialUse::kAgriculture:
      return "agriculture";
  }
  return "unknown";
}

std::string_view Name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAllowed:
      return "allowed";
    case Verdict::kNeedsApproval:
      return "needs_approval";
    case Verdict::kForbidden:
      return "forbidden";
  }
  return "unknown";
}

std::string_view ChineseName(LayerKind kind) {
  switch (kind) {
    case LayerKind::kPermanentBasicFarmland:
      return "永久基本农田";
    case LayerKind::kEcologicalRedLine:
      return "生态保护红线";
    case LayerKind::kUrbanDevelopmentBoundary:
      return "城镇开发边界";
    case LayerKind::kProtectedArea:
      return "自然保护地";
    case LayerKind::kMineralPlanning:
      return "矿产资源规划分区";
    case LayerKind::kCultivatedLand:
      return "耕地";
  }
  return "";
}

std::string_view ChineseName(ControlLevel level) {
  switch (level) {
    case ControlLevel::kUniform:
      return "统一管控";
    case ControlLevel::kCoreProtection:
      return "核心保护区";
    case ControlLevel::kGeneralControl:
      return "一般控制区";
    case ControlLevel::kKeyMining:
      return "重点开采区";
    case ControlLevel::kRestrictedMining:
      return "限制开采区";
    case ControlLevel::kProhibitedMining:
      return "禁止开采区";
    case ControlLevel::kKeyExploration:
      return "重点勘查区";
  }
  return "";
}

std::string_view ChineseName(SpatialUse use) {
  switch (use) {
    case SpatialUse::kUrbanConstruction:
      return "城镇建设";
    case SpatialUse::kRuralConstruction:
      return "乡村建设";
    case SpatialUse::kInfrastructure:
      return "基础设施";
    case SpatialUse::kMajorNationalProject:
      return "国家重大战略项目";
    case SpatialUse::kMineralExploration:
      return "矿产勘查";
    case SpatialUse::kUndergroundMining:
      return "地下开采";
    case SpatialUse::kOpenPitMining:
      return "露天开采";
    case SpatialUse::kEcologicalRestoration:
      return "生态修复";
    case SpatialUse::kAfforestation:
      return "造林绿化";
    case SpatialUse::kAgriculture:
      return "农业生产";
  }
  return "";
}

Result<LayerKind> LayerKindFromNumber(int value, std::string_view field) {
  if (value == 0) return Error::InvalidArgument(std::string(field), "layer kind must be set");
  for (LayerKind k : kAllLayerKinds) {
    if (static_cast<int>(k) == value) return k;
  }
  return Error::InvalidArgument(std::string(field), "unknown layer kind " + std::to_string(value));
}

Result<ControlLevel> ControlLevelFromNumber(int value, std::string_view field) {
  if (value == 0) return Error::InvalidArgument(std::string(field), "control level must be set");
  for (ControlLevel l : kAllControlLevels) {
    if (static_cast<int>(l) == value) return l;
  }
  return Error::InvalidArgument(std::string(field),
                                "unknown control level " + std::to_string(value));
}

Result<SpatialUse> SpatialUseFromNumber(int value, std::string_view field) {
  if (value == 0) return Error::InvalidArgument(std::string(field), "intended use must be set");
  for (SpatialUse u : kAllSpatialUses) {
    if (static_cast<int>(u) == value) return u;
  }
  return Error::InvalidArgument(std::string(field),
                                "unknown intended use " + std::to_string(value));
}

Result<ControlLevel> ParseControlLevel(std::string_view text, std::string_view field) {
  for (ControlLevel l : kAllControlLevels) {
    if (text == Name(l) || text == ChineseName(l)) return l;
  }
  return Error::InvalidArgument(
      std::string(field), "unknown control level '" + std::string(text) +
                              "' (expected uniform, core_protection, general_control, key_mining, "
                              "restricted_mining, prohibited_mining or key_exploration)");
}

const std::vector<ControlLevel>& LevelsOf(LayerKind kind) {
  static const std::vector<ControlLevel> kUniform = {ControlLevel::kUniform};
  static const std::vector<ControlLevel> kCoreGeneral = {ControlLevel::kCoreProtection,
                                                         ControlLevel::kGeneralControl};
  static const std::vector<ControlLevel> kMineral = {
      ControlLevel::kKeyMining, ControlLevel::kRestrictedMining, ControlLevel::kProhibitedMining,
      ControlLevel::kKeyExploration};
  switch (kind) {
    case LayerKind::kEcologicalRedLine:
    case LayerKind::kProtectedArea:
      return kCoreGeneral;
    case LayerKind::kMineralPlanning:
      return kMineral;
    default:
      return kUniform;
  }
}

Status CheckLevel(LayerKind kind, ControlLevel level, std::string_view field) {
  for (ControlLevel l : LevelsOf(kind)) {
    if (l == level) return Ok();
  }
  std::string allowed;
  for (ControlLevel l : LevelsOf(kind)) {
    if (!allowed.empty()) allowed += ", ";
    allowed += Name(l);
  }
  return Error::InvalidArgument(
      std::string(field), "control level " + std::string(Name(level)) + " does not occur in a " +
                              std::string(Name(kind)) + " layer (allowed: " + allowed + ")");
}

Status CheckLayerId(std::string_view id, std::string_view field) {
  if (id.size() < 3 || id.size() > 64) {
    return Error::InvalidArgument(std::string(field), "must be 3 to 64 characters");
  }
  if (!std::isalnum(static_cast<unsigned char>(id[0]))) {
    return Error::InvalidArgument(std::string(field), "must start with a letter or digit");
  }
  for (char c : id) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!(std::islower(u) || std::isdigit(u) || c == '-' || c == '_')) {
      return Error::InvalidArgument(std::string(field), "may contain only a-z, 0-9, '-' and '_'");
    }
  }
  return Ok();
}

Status CheckZoneCode(std::string_view code, std::string_view field) {
  if (code.empty() || code.size() > 64) {
    return Error::InvalidArgument(std::string(field), "must be 1 to 64 characters");
  }
  for (char c : code) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '/') {
      return Error::InvalidArgument(std::string(field),
                                    "may contain only printable ASCII without spaces or '/'");
    }
  }
  return Ok();
}

Status CheckRegionCode(std::string_view code, std::string_view field) {
  if (code.size() != 6) {
    return Error::InvalidArgument(std::string(field), "must be a 6-digit GB/T 2260 code");
  }
  for (char c : code) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return Error::InvalidArgument(std::string(field), "must be a 6-digit GB/T 2260 code");
    }
  }
  if (code.substr(0, 2) == "00") {
    return Error::InvalidArgument(std::string(field), "province part 00 does not exist");
  }
  return Ok();
}

namespace {
std::string_view Significant(std::string_view code) {
  if (code.size() == 6 && code.substr(2) == "0000") return code.substr(0, 2);
  if (code.size() == 6 && code.substr(4) == "00") return code.substr(0, 4);
  return code;
}
}  // namespace

bool RegionContains(std::string_view prefix_region, std::string_view region_code) {
  std::string_view p = Significant(prefix_region);
  return region_code.size() >= p.size() && region_code.substr(0, p.size()) == p;
}

std::string ZoneId(std::string_view layer_id, std::string_view zone_code) {
  std::string out(layer_id);
  out += '/';
  out += zone_code;
  return out;
}

}  // namespace nrp::planning
