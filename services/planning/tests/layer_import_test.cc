#include "domain/layer_import.h"

#include <gtest/gtest.h>

#include "domain/mining.h"

namespace nrp::planning {
namespace {

std::string Feature(const std::string& id, const std::string& coords,
                    const std::string& props = R"("name":"zone")") {
  return R"({"type":"Feature","id":")" + id + R"(","properties":{)" + props +
         R"(},"geometry":{"type":"Polygon","coordinates":[)" + coords + "]}}";
}
const std::string kSquare =
    "[[112.40,34.60],[112.41,34.60],[112.41,34.61],[112.40,34.61],[112.40,34.60]]";

TEST(ParseFeatures, ReadsAFeatureCollection) {
  std::string fc = R"({"type":"FeatureCollection","features":[)" + Feature("PBF-1", kSquare) + "," +
                   Feature("PBF-2", kSquare, R"("name":"伊川永久基本农田")") + "]}";
  auto fs = ParseFeatures(fc, 0, LayerKind::kPermanentBasicFarmland);
  ASSERT_TRUE(fs.ok()) << fs.error().message();
  ASSERT_EQ(fs->size(), 2u);
  EXPECT_EQ((*fs)[0].code, "PBF-1");
  EXPECT_EQ((*fs)[1].name, "伊川永久基本农田");
  EXPECT_EQ((*fs)[1].level, ControlLevel::kUniform);
  EXPECT_EQ((*fs)[1].index, 1u);
  EXPECT_EQ((*fs)[0].summary.type, "POLYGON");
  auto attrs = ParseFeatures(
      Feature("PBF-3", kSquare, R"("name":"n","bsm":"410381001","dlbm":102,"zone_code":"x")"), 0,
      LayerKind::kPermanentBasicFarmland);
  ASSERT_TRUE(attrs.ok());
  EXPECT_EQ((*attrs)[0].code, "PBF-3");
  EXPECT_EQ((*attrs)[0].attributes,
            (std::map<std::string, std::string>{{"bsm", "410381001"}, {"dlbm", "102"}}));
}

TEST(ParseFeatures, ControlLevelsOfMultiLevelLayers) {
  auto core = ParseFeatures(Feature("R-1", kSquare, R"("control_level":"核心保护区")"), 5,
                            LayerKind::kEcologicalRedLine);
  ASSERT_TRUE(core.ok()) << core.error().message();
  EXPECT_EQ((*core)[0].level, ControlLevel::kCoreProtection);
  EXPECT_EQ((*core)[0].index, 5u);
  auto missing = ParseFeatures(Feature("R-2", kSquare), 7, LayerKind::kEcologicalRedLine);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(),
            "features[7] (id R-2).properties.control_level: is required in a "
            "ecological_red_line layer");
  auto wrong = ParseFeatures(Feature("M-1", kSquare, R"("control_level":"core_protection")"), 0,
                             LayerKind::kMineralPlanning);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message(),
            "features[0] (id M-1).properties.control_level: control level core_protection does "
            "not occur in a mineral_planning layer (allowed: key_mining, restricted_mining, "
            "prohibited_mining, key_exploration)");
}

TEST(ParseFeatures, RefusalsNameTheFeatureAndTheReason) {
  // Swapped axes: latitude first.
  std::string swapped =
      "[[34.60,112.40],[34.60,112.41],[34.61,112.41],[34.61,112.40],[34.60,112.40]]";
  auto r = ParseFeatures(Feature("PBF-9", swapped), 3, LayerKind::kPermanentBasicFarmland);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.error().message().rfind("features[3] (id PBF-9).geometry: ", 0), 0u)
      << r.error().message();
  ASSERT_EQ(r.error().field_violations().size(), 1u);
  EXPECT_EQ(r.error().field_violations()[0].field, "features[3] (id PBF-9).geometry");

  std::string open_ring = "[[112.40,34.60],[112.41,34.60],[112.41,34.61],[112.40,34.61]]";
  auto o = ParseFeatures(Feature("PBF-8", open_ring), 0, LayerKind::kPermanentBasicFarmland);
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.error().message().find("features[0] (id PBF-8).geometry"), std::string::npos);

  auto point = ParseFeatures(
      R"({"type":"Feature","id":"P","properties":{},"geometry":{"type":"Point","coordinates":[112.4,34.6]}})",
      0, LayerKind::kPermanentBasicFarmland);
  ASSERT_FALSE(point.ok());
  EXPECT_EQ(point.error().message(),
            "features[0] (id P).geometry: a zone must be a Polygon or MultiPolygon, got POINT");

  auto no_id = ParseFeatures(
      R"({"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[)" +
          kSquare + "]}}",
      0, LayerKind::kPermanentBasicFarmland);
  ASSERT_FALSE(no_id.ok());
  EXPECT_EQ(no_id.error().message(),
            "features[0]: has no id (Feature \"id\" or properties.zone_code)");
}

TEST(ParseFeatures, AllRefusalsOfAChunkAreListed) {
  std::string fc = "[" + Feature("A", kSquare) + "," + Feature("A", kSquare) + "," +
                   Feature("B", "[[200,34.6],[112.41,34.60],[112.41,34.61],[200,34.6]]") + "]";
  auto r = ParseFeatures(fc, 10, LayerKind::kCultivatedLand);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.error().message(),
      "2 features refused; first: features[11] (id A): repeats an id used by an earlier feature");
  ASSERT_EQ(r.error().field_violations().size(), 2u);
  EXPECT_EQ(r.error().field_violations()[1].field, "features[12] (id B).geometry");
}

TEST(ParseFeatures, RefusesWhatIsNotGeoJson) {
  EXPECT_EQ(ParseFeatures("{", 0, LayerKind::kCultivatedLand).error().message(),
            "geojson: is not valid JSON");
  EXPECT_EQ(ParseFeatures(R"({"type":"Polygon"})", 0, LayerKind::kCultivatedLand).error().message(),
            "geojson: must be a FeatureCollection, a Feature or an array of Features");
}

TEST(DiffVersions, AddedChangedRemovedUnchanged) {
  std::map<std::string, std::string> v1{{"a", "1"}, {"b", "2"}, {"c", "3"}};
  std::map<std::string, std::string> v2{{"a", "1"}, {"b", "9"}, {"d", "4"}};
  LayerDiff d = DiffVersions(v1, v2);
  EXPECT_EQ(d.added, std::vector<std::string>{"d"});
  EXPECT_EQ(d.changed, std::vector<std::string>{"b"});
  EXPECT_EQ(d.removed, std::vector<std::string>{"c"});
  EXPECT_EQ(d.unchanged, 1u);
  EXPECT_TRUE(DiffVersions(v1, v1).empty());
}

TEST(SolidMineral, ClassesAndSolidEnergyMinerals) {
  EXPECT_TRUE(IsSolidMineral(kMineralClassMetal, "金"));
  EXPECT_TRUE(IsSolidMineral(kMineralClassNonMetal, "建筑用石料"));
  EXPECT_TRUE(IsSolidMineral(kMineralClassEnergy, "煤"));
  EXPECT_TRUE(IsSolidMineral(kMineralClassEnergy, "油页岩"));
  EXPECT_FALSE(IsSolidMineral(kMineralClassEnergy, "煤层气"));
  EXPECT_FALSE(IsSolidMineral(kMineralClassEnergy, "天然气"));
  EXPECT_FALSE(IsSolidMineral(kMineralClassEnergy, "地热"));
  EXPECT_FALSE(IsSolidMineral(kMineralClassWaterGas, "矿泉水"));
  EXPECT_FALSE(IsSolidMineral(0, "金"));
}

}  // namespace
}  // namespace nrp::planning
