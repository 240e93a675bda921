// The spatial gate of a new right: each rule refusing with its reason and a message naming
// the zone or the right, the layer version and the overlap area.
#include "domain/spatial_gate.h"

#include <gtest/gtest.h>

namespace nrp::mining_rights {
namespace {

GateMeasurement AllLayers(double area_m2 = 250'000) {
  GateMeasurement m;
  m.area_m2 = area_m2;
  m.layers = {{"410300-red-line", kLayerEcologicalRedLine, 3},
              {"410300-farmland", kLayerPermanentBasicFarmland, 2},
              {"410300-urban", kLayerUrbanDevelopmentBoundary, 1},
              {"410300-mineral", kLayerMineralPlanning, 4}};
  return m;
}

GateZone Zone(int kind, int level, double overlap_m2, std::string id = "Z-1") {
  return {"L-" + std::to_string(kind), 7, std::move(id), "伊河段", kind, level, overlap_m2};
}

GateInput Underground() { return {"offer 0190-a", MiningMethod::kUnderground}; }
GateInput OpenPit() { return {"offer 0190-a", MiningMethod::kOpenPit}; }

TEST(SpatialGate, ABlockClearOfEveryZoneAndRightPasses) {
  auto m = AllLayers();
  m.zones.push_back(Zone(kLayerMineralPlanning, 5, 250'000));  // restricted mining: allowed
  EXPECT_TRUE(CheckSpatialGate(m, Underground()).ok());
}

TEST(SpatialGate, EachControlLineRefusesWithTheZoneTheVersionAndTheArea) {
  struct Case {
    int kind;
    const char* reason;
    const char* what;
  };
  for (const Case& c : {Case{kLayerEcologicalRedLine, "OVERLAPS_ECOLOGICAL_RED_LINE",
                             "the ecological red line (生态保护红线)"},
                        Case{kLayerPermanentBasicFarmland, "OVERLAPS_PERMANENT_BASIC_FARMLAND",
                             "permanent basic farmland (永久基本农田)"},
                        Case{kLayerUrbanDevelopmentBoundary, "OVERLAPS_URBAN_DEVELOPMENT_BOUNDARY",
                             "the urban development boundary (城镇开发边界)"}}) {
    auto m = AllLayers();
    m.zones.push_back(Zone(c.kind, 1, 1234.5));
    Status s = CheckSpatialGate(m, Underground());
    ASSERT_FALSE(s.ok()) << c.reason;
    EXPECT_EQ(s.error().code(), Code::kFailedPrecondition);
    EXPECT_EQ(s.error().reason(), c.reason);
    EXPECT_EQ(s.error().message(), std::string("offer 0190-a overlaps ") + c.what +
                                       ": zone Z-1 (伊河段) of layer L-" + std::to_string(c.kind) +
                                       " version 7, 1234.5 m² of overlap");
    EXPECT_EQ(s.error().metadata().at("layer_version"), "7");
  }
}

TEST(SpatialGate, AProhibitedMiningZoneRefusesAndSurveyNoiseAlongAnEdgeDoesNot) {
  auto m = AllLayers();
  m.zones.push_back(Zone(kLayerEcologicalRedLine, 2, 0.4));  // below the 1 m² tolerance
  m.zones.push_back(Zone(kLayerMineralPlanning, kLevelProhibitedMining, 80));
  Status s = CheckSpatialGate(m, Underground());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().reason(), "OVERLAPS_PROHIBITED_MINING_ZONE");
  EXPECT_NE(s.error().message().find("a prohibited mining zone (禁止开采区)"), std::string::npos);
}

TEST(SpatialGate, AnOpenPitMineMustLieInsideKeyMiningZones) {
  auto m = AllLayers(250'000);
  m.zones.push_back(Zone(kLayerMineralPlanning, kLevelKeyMining, 200'000, "K-1"));
  m.zones.push_back(Zone(kLayerMineralPlanning, kLevelKeyMining, 30'000, "K-2"));
  Status s = CheckSpatialGate(m, OpenPit());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().reason(), "OPEN_PIT_OUTSIDE_KEY_MINING_ZONE");
  EXPECT_EQ(s.error().message(),
            "offer 0190-a is an open-pit mine and 20000.0 m² of its 250000.0 m² lie outside "
            "every key mining zone (重点开采区) of layer 410300-mineral version 4; new open-pit "
            "mines only inside one");
  m.zones.push_back(Zone(kLayerMineralPlanning, kLevelKeyMining, 20'000, "K-3"));
  EXPECT_TRUE(CheckSpatialGate(m, OpenPit()).ok());
  // The same block mined underground needs no key zone.
  m.zones.pop_back();
  EXPECT_TRUE(CheckSpatialGate(m, Underground()).ok());
}

TEST(SpatialGate, AnotherValidRightRefusesWithItsLicenceNumberAndTheOverlap) {
  auto m = AllLayers();
  m.rights.push_back({"r-1", "C4103072026000000000001", 5000});
  Status s = CheckSpatialGate(m, Underground());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().reason(), "OVERLAPS_VALID_RIGHT");
  EXPECT_EQ(s.error().message(),
            "offer 0190-a overlaps the valid right C4103072026000000000001 (r-1), 5000.0 m² of "
            "overlap; blocks of valid rights may not overlap");
  EXPECT_EQ(s.error().metadata().at("licence_number"), "C4103072026000000000001");
}

TEST(SpatialGate, WithoutALayerInForceTheCheckCannotBeMade) {
  auto m = AllLayers();
  m.layers.erase(m.layers.begin());  // no red line
  Status s = CheckSpatialGate(m, Underground());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().reason(), "ZONE_LAYER_MISSING");
  EXPECT_EQ(s.error().message(),
            "offer 0190-a cannot be checked: no version of the ecological red line (生态保护红线) "
            "is in force for its region; the check waits for planning to publish it");
}

TEST(SplitCoverage, PartsCoveringTheBlockPassWithinTheTolerance) {
  // A 1 km² block: 0.01 % is 100 m², more than the 1 m² floor.
  EXPECT_TRUE(CheckSplitCoverage({"right C1", 1'000'000, 0}).ok());
  EXPECT_TRUE(CheckSplitCoverage({"right C1", 1'000'000, 100}).ok());
  // A 500 m² block: 0.01 % is 0.05 m², so the 1 m² floor holds.
  EXPECT_TRUE(CheckSplitCoverage({"right C1", 500, 1.0}).ok());
}

TEST(SplitCoverage, AGapBetweenThePartsIsRefusedNamingPartsAndTheUncoveredArea) {
  Status s = CheckSplitCoverage({"right C4103072026000000000001", 1'000'000, 250'000});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), Code::kInvalidArgument);
  ASSERT_EQ(s.error().field_violations().size(), 1u);
  EXPECT_EQ(s.error().field_violations()[0].field, "parts");
  EXPECT_EQ(s.error().message(),
            "parts: the parts leave 250000.0 m² (25.00 %) of the 1000000.0 m² block of right "
            "C4103072026000000000001 uncovered; a split's parts cover the whole block (tolerance "
            "100.0 m²)");
  // Just over each tolerance.
  EXPECT_FALSE(CheckSplitCoverage({"right C1", 1'000'000, 100.5}).ok());
  EXPECT_FALSE(CheckSplitCoverage({"right C1", 500, 1.2}).ok());
}

}  // namespace
}  // namespace nrp::mining_rights
