// Control zones (管控分区) and the layers they belong to: the three control
// lines of 三区三线 plus protected areas, mineral planning zones and cultivated
// land (domain.md "Planning"). Values mirror nrp.common.v1 (zone.proto) so the
// API maps them one to one; the domain never depends on generated code.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nrp/core/status.h"

namespace nrp::planning {

enum class LayerKind : int {
  kPermanentBasicFarmland = 1,    // 永久基本农田
  kEcologicalRedLine = 2,         // 生态保护红线
  kUrbanDevelopmentBoundary = 3,  // 城镇开发边界
  kProtectedArea = 4,             // 自然保护地
  kMineralPlanning = 5,           // 矿产资源规划分区
  kCultivatedLand = 6,            // 耕地
};
inline constexpr LayerKind kAllLayerKinds[] = {
    LayerKind::kPermanentBasicFarmland,   LayerKind::kEcologicalRedLine,
    LayerKind::kUrbanDevelopmentBoundary, LayerKind::kProtectedArea,
    LayerKind::kMineralPlanning,          LayerKind::kCultivatedLand};

enum class ControlLevel : int {
  kUniform = 1,           // the layer has one level
  kCoreProtection = 2,    // 核心保护区
  kGeneralControl = 3,    // 一般控制区
  kKeyMining = 4,         // 重点开采区
  kRestrictedMining = 5,  // 限制开采区
  kProhibitedMining = 6,  // 禁止开采区
  kKeyExploration = 7,    // 重点勘查区
};
inline constexpr ControlLevel kAllControlLevels[] = {
    ControlLevel::kUniform,       ControlLevel::kCoreProtection,   ControlLevel::kGeneralControl,
    ControlLevel::kKeyMining,     ControlLevel::kRestrictedMining, ControlLevel::kProhibitedMining,
    ControlLevel::kKeyExploration};

enum class SpatialUse : int {
  kUrbanConstruction = 1,      // 城镇建设
  kRuralConstruction = 2,      // 乡村建设
  kInfrastructure = 3,         // 交通、能源、水利基础设施
  kMajorNationalProject = 4,   // 国家重大战略项目
  kMineralExploration = 5,     // 矿产勘查
  kUndergroundMining = 6,      // 地下开采
  kOpenPitMining = 7,          // 露天开采
  kEcologicalRestoration = 8,  // 生态修复
  kAfforestation = 9,          // 造林绿化
  kAgriculture = 10,           // 农业生产
};
inline constexpr SpatialUse kAllSpatialUses[] = {
    SpatialUse::kUrbanConstruction,  SpatialUse::kRuralConstruction,
    SpatialUse::kInfrastructure,     SpatialUse::kMajorNationalProject,
    SpatialUse::kMineralExploration, SpatialUse::kUndergroundMining,
    SpatialUse::kOpenPitMining,      SpatialUse::kEcologicalRestoration,
    SpatialUse::kAfforestation,      SpatialUse::kAgriculture};

// Ordered from least to most restrictive, so max() gives the overall verdict.
enum class Verdict : int {
  kAllowed = 1,        // 允许
  kNeedsApproval = 2,  // 需经批准
  kForbidden = 3,      // 禁止
};

// Stable lower-case names used in data files, logs and error messages
// ("ecological_red_line", "core_protection", "open_pit_mining", "forbidden").
std::string_view Name(LayerKind kind);
std::string_view Name(ControlLevel level);
std::string_view Name(SpatialUse use);
std::string_view Name(Verdict verdict);
// Chinese names as the plans write them ("生态保护红线", "核心保护区").
std::string_view ChineseName(LayerKind kind);
std::string_view ChineseName(ControlLevel level);
std::string_view ChineseName(SpatialUse use);

// From the numeric value of the contract's enum; INVALID_ARGUMENT naming
// `field` for 0 (*_UNSPECIFIED) and unknown values.
Result<LayerKind> LayerKindFromNumber(int value, std::string_view field);
Result<ControlLevel> ControlLevelFromNumber(int value, std::string_view field);
Result<SpatialUse> SpatialUseFromNumber(int value, std::string_view field);
// From the lower-case name or the Chinese name (GeoJSON properties may use either).
Result<ControlLevel> ParseControlLevel(std::string_view text, std::string_view field);

// The control levels a layer of `kind` may contain: the red line and
// protected areas are core/general; mineral planning zones are key mining,
// restricted, prohibited or key exploration; the other layers are uniform.
const std::vector<ControlLevel>& LevelsOf(LayerKind kind);
// INVALID_ARGUMENT naming `field` when `level` does not belong to `kind`.
Status CheckLevel(LayerKind kind, ControlLevel level, std::string_view field);

// A layer id: 3–64 characters of [a-z0-9_-], starting with a letter or digit,
// e.g. "410300-ecological-red-line". Stable across versions.
Status CheckLayerId(std::string_view id, std::string_view field);
// A zone code (the feature's id): 1–64 printable ASCII characters without
// spaces, unique within a layer version, stable across versions.
Status CheckZoneCode(std::string_view code, std::string_view field);
// A 6-digit GB/T 2260 code whose province part is not 00.
Status CheckRegionCode(std::string_view code, std::string_view field);
// True when `region_code` lies within `prefix_region` ("410000" ⊇ "410300" ⊇ "410381").
bool RegionContains(std::string_view prefix_region, std::string_view region_code);

// The zone id used across the platform: "<layer_id>/<zone_code>".
std::string ZoneId(std::string_view layer_id, std::string_view zone_code);

}  // namespace nrp::planning
