#include "domain/conflict_rules.h"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

namespace nrp::planning {
namespace {

TEST(VerdictTable, HasExactlyOneRowPerKindLevelAndUse) {
  std::set<std::tuple<int, int, int>> seen;
  for (const UseRule& r : VerdictTable()) {
    EXPECT_TRUE(CheckLevel(r.kind, r.level, "level").ok())
        << Name(r.kind) << " has no level " << Name(r.level);
    EXPECT_TRUE(seen.insert({int(r.kind), int(r.level), int(r.use)}).second)
        << "duplicate row " << Name(r.kind) << "/" << Name(r.level) << "/" << Name(r.use);
  }
  size_t expected = 0;
  for (LayerKind k : kAllLayerKinds) {
    for (ControlLevel l : LevelsOf(k)) {
      for (SpatialUse u : kAllSpatialUses) {
        ++expected;
        EXPECT_TRUE(seen.count({int(k), int(l), int(u)}))
            << "no row for " << Name(k) << "/" << Name(l) << "/" << Name(u);
      }
    }
  }
  EXPECT_EQ(seen.size(), expected);
  EXPECT_EQ(expected, 110u);  // 11 (kind, level) pairs × 10 uses
}

TEST(VerdictTable, EveryRowCitesItsSourceAndNamesTheApproval) {
  for (const UseRule& r : VerdictTable()) {
    const std::string rule(r.rule);
    const bool cites =
        rule.find("domain.md") != std::string::npos || rule.find("规划 L") != std::string::npos ||
        rule.find("〔") != std::string::npos || rule.find("条例") != std::string::npos ||
        rule.find("土地管理法") != std::string::npos;
    EXPECT_TRUE(cites) << Name(r.kind) << "/" << Name(r.level) << "/" << Name(r.use) << ": "
                       << rule;
    if (r.verdict == Verdict::kNeedsApproval) {
      EXPECT_FALSE(r.required_approval.empty()) << Name(r.kind) << "/" << Name(r.use);
    } else {
      EXPECT_TRUE(r.required_approval.empty()) << Name(r.kind) << "/" << Name(r.use);
    }
  }
}

TEST(VerdictTable, ThreeControlLinesForbidNewMiningRights) {
  // domain.md Mining rights: no overlap with the red line, permanent basic
  // farmland or the urban development boundary (Luoyang L287, Wuzhong L58).
  for (SpatialUse use : {SpatialUse::kMineralExploration, SpatialUse::kUndergroundMining,
                         SpatialUse::kOpenPitMining}) {
    for (auto [kind, level] :
         {std::pair{LayerKind::kPermanentBasicFarmland, ControlLevel::kUniform},
          std::pair{LayerKind::kEcologicalRedLine, ControlLevel::kCoreProtection},
          std::pair{LayerKind::kEcologicalRedLine, ControlLevel::kGeneralControl},
          std::pair{LayerKind::kUrbanDevelopmentBoundary, ControlLevel::kUniform}}) {
      const UseRule& r = RuleFor(kind, level, use);
      EXPECT_EQ(r.verdict, Verdict::kForbidden) << Name(kind) << "/" << Name(use);
      EXPECT_NE(std::string(r.rule).find("洛阳规划 L287"), std::string::npos);
    }
  }
}

TEST(VerdictTable, SpecificRows) {
  const UseRule& pbf = RuleFor(LayerKind::kPermanentBasicFarmland, ControlLevel::kUniform,
                               SpatialUse::kUrbanConstruction);
  EXPECT_EQ(pbf.verdict, Verdict::kForbidden);
  EXPECT_EQ(
      std::string(pbf.rule),
      "永久基本农田不得用于建设：一般建设项目不得占用永久基本农田 (domain.md Land supply: the "
      "parcel must not overlap permanent basic farmland; 洛阳规划 L543; 土地管理法第三十五条)");
  const UseRule& pbf_infra = RuleFor(LayerKind::kPermanentBasicFarmland, ControlLevel::kUniform,
                                     SpatialUse::kMajorNationalProject);
  EXPECT_EQ(pbf_infra.verdict, Verdict::kNeedsApproval);
  EXPECT_EQ(pbf_infra.required_approval, "国务院批准占用永久基本农田");
  const UseRule& red_infra = RuleFor(LayerKind::kEcologicalRedLine, ControlLevel::kGeneralControl,
                                     SpatialUse::kInfrastructure);
  EXPECT_EQ(red_infra.verdict, Verdict::kNeedsApproval);
  EXPECT_EQ(red_infra.required_approval, "省级人民政府同意占用生态保护红线");
  EXPECT_EQ(RuleFor(LayerKind::kEcologicalRedLine, ControlLevel::kCoreProtection,
                    SpatialUse::kInfrastructure)
                .verdict,
            Verdict::kForbidden);
  EXPECT_EQ(RuleFor(LayerKind::kEcologicalRedLine, ControlLevel::kCoreProtection,
                    SpatialUse::kEcologicalRestoration)
                .verdict,
            Verdict::kNeedsApproval);
  EXPECT_EQ(RuleFor(LayerKind::kUrbanDevelopmentBoundary, ControlLevel::kUniform,
                    SpatialUse::kUrbanConstruction)
                .verdict,
            Verdict::kAllowed);
  EXPECT_EQ(RuleFor(LayerKind::kMineralPlanning, ControlLevel::kProhibitedMining,
                    SpatialUse::kUndergroundMining)
                .verdict,
            Verdict::kForbidden);
  EXPECT_EQ(RuleFor(LayerKind::kMineralPlanning, ControlLevel::kRestrictedMining,
                    SpatialUse::kUndergroundMining)
                .verdict,
            Verdict::kNeedsApproval);
  EXPECT_EQ(
      RuleFor(LayerKind::kMineralPlanning, ControlLevel::kKeyMining, SpatialUse::kOpenPitMining)
          .verdict,
      Verdict::kAllowed);
  const UseRule& cult =
      RuleFor(LayerKind::kCultivatedLand, ControlLevel::kUniform, SpatialUse::kUrbanConstruction);
  EXPECT_EQ(cult.verdict, Verdict::kNeedsApproval);
  EXPECT_EQ(cult.required_approval, "农用地转用审批及耕地占补平衡（先补后占）");
  EXPECT_EQ(RuleFor(LayerKind::kCultivatedLand, ControlLevel::kUniform, SpatialUse::kAfforestation)
                .verdict,
            Verdict::kForbidden);
  // A level that does not belong to the layer never crashes: it is forbidden and says why.
  const UseRule& bad = RuleFor(LayerKind::kPermanentBasicFarmland, ControlLevel::kKeyMining,
                               SpatialUse::kAgriculture);
  EXPECT_EQ(bad.verdict, Verdict::kForbidden);
}

TouchedZone Zone(LayerKind kind, ControlLevel level, std::string code, double m2) {
  TouchedZone z;
  z.layer_id = "410300-" + std::string(Name(kind));
  z.zone_code = code;
  z.zone_id = ZoneId(z.layer_id, code);
  z.zone_name = code;
  z.kind = kind;
  z.level = level;
  z.version = 1;
  z.overlap_m2 = m2;
  return z;
}

TEST(Assess, NoZoneTouchedIsAllowed) {
  CheckFacts f;
  f.use = SpatialUse::kAgriculture;
  Assessment a = Assess(f);
  EXPECT_EQ(a.verdict, Verdict::kAllowed);
  EXPECT_TRUE(a.conflicts.empty());
  EXPECT_TRUE(a.failed_rules.empty());
}

TEST(Assess, MostRestrictiveVerdictWinsAndConflictsAreOrdered) {
  CheckFacts f;
  f.use = SpatialUse::kInfrastructure;
  f.zones = {Zone(LayerKind::kCultivatedLand, ControlLevel::kUniform, "C-2", 10),
             Zone(LayerKind::kEcologicalRedLine, ControlLevel::kCoreProtection, "R-1", 5),
             Zone(LayerKind::kCultivatedLand, ControlLevel::kUniform, "C-1", 20)};
  Assessment a = Assess(f);
  EXPECT_EQ(a.verdict, Verdict::kForbidden);
  ASSERT_EQ(a.conflicts.size(), 3u);
  EXPECT_EQ(a.conflicts[0].zone.zone_code, "R-1");
  EXPECT_EQ(a.conflicts[0].verdict, Verdict::kForbidden);
  EXPECT_EQ(a.conflicts[1].zone.zone_code, "C-1");
  EXPECT_EQ(a.conflicts[1].verdict, Verdict::kNeedsApproval);
  EXPECT_EQ(a.conflicts[1].required_approval, "农用地转用审批及耕地占补平衡（先补后占）");
  EXPECT_EQ(a.conflicts[2].zone.zone_code, "C-2");
}

TEST(Assess, UrbanConstructionMustLieInsideTheBoundary) {
  CheckFacts f;
  f.use = SpatialUse::kUrbanConstruction;
  f.zones = {Zone(LayerKind::kUrbanDevelopmentBoundary, ControlLevel::kUniform, "U-1", 9000)};
  f.urban_boundary = {true, true, 0};
  EXPECT_EQ(Assess(f).verdict, Verdict::kAllowed);

  f.urban_boundary = {true, false, 1000};
  Assessment a = Assess(f);
  EXPECT_EQ(a.verdict, Verdict::kForbidden);
  ASSERT_EQ(a.failed_rules.size(), 1u);
  EXPECT_EQ(a.failed_rules[0].type, "URBAN_CONSTRUCTION_OUTSIDE_BOUNDARY");
  EXPECT_EQ(a.failed_rules[0].description,
            "城镇建设须位于城镇开发边界内：1000.00 m² (0.1000 公顷, 1.50 亩) 位于边界外 (domain.md "
            "Land supply: urban construction lies inside the urban development boundary; 洛阳规划 "
            "L543 城镇开发边界外不得进行城镇集中建设)");

  f.urban_boundary = {false, false, 0};
  a = Assess(f);
  EXPECT_EQ(a.verdict, Verdict::kForbidden);
  EXPECT_NE(a.failed_rules[0].description.find("没有已发布的城镇开发边界图层"), std::string::npos);

  ConflictOptions off;
  off.urban_construction_only_in_boundary = false;
  EXPECT_EQ(Assess(f, off).verdict, Verdict::kAllowed);
}

TEST(Assess, OpenPitMinesOnlyInKeyMiningZones) {
  CheckFacts f;
  f.use = SpatialUse::kOpenPitMining;
  f.zones = {Zone(LayerKind::kMineralPlanning, ControlLevel::kKeyMining, "K-1", 5000)};
  f.key_mining = {true, true, 0};
  EXPECT_EQ(Assess(f).verdict, Verdict::kAllowed);
  f.key_mining = {true, false, 2500};
  Assessment a = Assess(f);
  EXPECT_EQ(a.verdict, Verdict::kForbidden);
  ASSERT_EQ(a.failed_rules.size(), 1u);
  EXPECT_EQ(a.failed_rules[0].type, "OPEN_PIT_OUTSIDE_KEY_MINING_ZONE");
  EXPECT_EQ(
      a.failed_rules[0].description,
      "新建露天矿山须位于重点开采区内：2500.00 m² (0.2500 公顷, 3.75 亩) 位于重点开采区外 "
      "(domain.md Mining rights: new open-pit mines only in key mining zones; 洛阳规划 L299)");
  // Underground mining is not bound to key zones.
  f.use = SpatialUse::kUndergroundMining;
  EXPECT_EQ(Assess(f).verdict, Verdict::kAllowed);
}

TEST(ZoneValues, RefuseUnspecifiedAndUnknownEnumValues) {
  auto kind = LayerKindFromNumber(0, "layer.kind");
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(kind.error().message(), "layer.kind: layer kind must be set");
  auto use = SpatialUseFromNumber(42, "intended_use");
  ASSERT_FALSE(use.ok());
  EXPECT_EQ(use.error().message(), "intended_use: unknown intended use 42");
  auto level = ControlLevelFromNumber(0, "control_level");
  EXPECT_EQ(level.error().message(), "control_level: control level must be set");
  EXPECT_EQ(*SpatialUseFromNumber(7, "u"), SpatialUse::kOpenPitMining);
}

TEST(ZoneValues, LevelsBelongToTheirLayer) {
  EXPECT_TRUE(CheckLevel(LayerKind::kEcologicalRedLine, ControlLevel::kCoreProtection, "l").ok());
  auto bad = CheckLevel(LayerKind::kPermanentBasicFarmland, ControlLevel::kCoreProtection,
                        "features[3].properties.control_level");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(),
            "features[3].properties.control_level: control level core_protection does not occur "
            "in a permanent_basic_farmland layer (allowed: uniform)");
  EXPECT_EQ(*ParseControlLevel("核心保护区", "l"), ControlLevel::kCoreProtection);
  EXPECT_EQ(*ParseControlLevel("prohibited_mining", "l"), ControlLevel::kProhibitedMining);
}

TEST(ZoneValues, IdsAndRegions) {
  EXPECT_TRUE(CheckLayerId("410300-ecological-red-line", "layer_id").ok());
  EXPECT_EQ(CheckLayerId("Red Line", "layer_id").error().message(),
            "layer_id: may contain only a-z, 0-9, '-' and '_'");
  EXPECT_EQ(CheckLayerId("ab", "layer_id").error().message(),
            "layer_id: must be 3 to 64 characters");
  EXPECT_EQ(CheckZoneCode("a b", "id").error().message(),
            "id: may contain only printable ASCII without spaces or '/'");
  EXPECT_EQ(CheckRegionCode("41030", "region_code").error().message(),
            "region_code: must be a 6-digit GB/T 2260 code");
  EXPECT_TRUE(RegionContains("410000", "410381"));
  EXPECT_TRUE(RegionContains("410300", "410381"));
  EXPECT_TRUE(RegionContains("410300", "410300"));
  EXPECT_FALSE(RegionContains("410300", "410200"));
  EXPECT_FALSE(RegionContains("410381", "410300"));
  EXPECT_EQ(ZoneId("410300-pbf", "PBF-1"), "410300-pbf/PBF-1");
}

}  // namespace
}  // namespace nrp::planning
