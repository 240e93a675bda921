// Conflict checks through gRPC against known overlaps: inside, touching,
// partial, none; the verdicts of the rule table; versions used; the cache.
#include <gtest/gtest.h>

#include "fixture.h"
#include "nrp/core/uuid.h"

namespace nrp::planning::testing {
namespace {

class CheckTest : public PlanningFixture {
 protected:
  void SetUp() override {
    PlanningFixture::SetUp();
    if (HasFatalFailure()) return;
    pbf_ = CreateLayer(common::ZONE_LAYER_KIND_PERMANENT_BASIC_FARMLAND, "410300").layer_id();
    PublishLayer(pbf_, {{"PBF-A", SquareWkt(112.40, 34.60, 0.01), {}, "偃师永久基本农田A"}});
    red_ = CreateLayer(common::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE, "410300").layer_id();
    PublishLayer(red_, {{"RL-CORE", SquareWkt(112.50, 34.60, 0.01),
                         common::ZONE_CONTROL_LEVEL_CORE_PROTECTION, ""}});
    udb_ = CreateLayer(common::ZONE_LAYER_KIND_URBAN_DEVELOPMENT_BOUNDARY, "410300").layer_id();
    PublishLayer(udb_, {{"UDB-1", RectWkt(112.30, 34.50, 112.35, 34.55), {}, "洛阳中心城区"}});
    mineral_ = CreateLayer(common::ZONE_LAYER_KIND_MINERAL_PLANNING, "410000").layer_id();
    PublishLayer(mineral_, {{"KM-1", RectWkt(112.70, 34.60, 112.75, 34.65),
                             common::ZONE_CONTROL_LEVEL_KEY_MINING, ""},
                            {"PM-1", RectWkt(112.80, 34.60, 112.85, 34.65),
                             common::ZONE_CONTROL_LEVEL_PROHIBITED_MINING, ""}});
  }

  grpc::Status Check(const std::string& wkt, common::SpatialUse use, common::ZoneCheckResult* out,
                     const std::string& region = "410300") {
    grpc::ClientContext ctx;
    v1::CheckConflictsRequest req;
    req.mutable_geometry()->set_encoding(common::GEOMETRY_ENCODING_WKT);
    req.mutable_geometry()->set_text(wkt);
    req.set_intended_use(use);
    req.set_region_code(region);
    v1::CheckConflictsResponse resp;
    auto st = stub_->CheckConflicts(&ctx, req, &resp);
    *out = resp.result();
    return st;
  }

  double AreaOf(const std::string& wkt) {
    pqxx::connection c(db_->conninfo());
    pqxx::nontransaction tx(c);
    return tx.exec_params("SELECT ST_Area(ST_GeomFromText($1, 4490)::geography)", wkt)[0][0]
        .as<double>();
  }

  std::string pbf_, red_, udb_, mineral_;
};

TEST_F(CheckTest, InsideAZone) {
  const std::string inside = SquareWkt(112.402, 34.602, 0.004);
  common::ZoneCheckResult r;
  ASSERT_TRUE(Check(inside, common::SPATIAL_USE_URBAN_CONSTRUCTION, &r).ok());
  EXPECT_EQ(r.verdict(), common::ZONE_VERDICT_FORBIDDEN);
  ASSERT_EQ(r.conflicts_size(), 1);
  const auto& c = r.conflicts(0);
  EXPECT_EQ(c.zone_id(), "PBF-A");
  EXPECT_EQ(c.zone_name(), "偃师永久基本农田A");
  EXPECT_EQ(c.layer().layer_id(), pbf_);
  EXPECT_EQ(c.layer().version(), 1);
  EXPECT_EQ(c.verdict(), common::ZONE_VERDICT_FORBIDDEN);
  EXPECT_NEAR(c.overlap_area().square_metres(), AreaOf(inside), 0.01);
  EXPECT_NE(c.rule().find("土地管理法第三十五条"), std::string::npos);
  // Urban construction outside the urban development boundary fails on its own.
  ASSERT_EQ(r.failed_rules_size(), 1);
  EXPECT_EQ(r.failed_rules(0).rfind(
                "URBAN_CONSTRUCTION_OUTSIDE_BOUNDARY: 城镇建设须位于城镇开发边界内", 0),
            0u);
  EXPECT_EQ(r.layers_used_size(), 4);
  EXPECT_EQ(r.intended_use(), common::SPATIAL_USE_URBAN_CONSTRUCTION);

  ASSERT_TRUE(Check(inside, common::SPATIAL_USE_INFRASTRUCTURE, &r).ok());
  EXPECT_EQ(r.verdict(), common::ZONE_VERDICT_NEEDS_APPROVAL);
  EXPECT_EQ(r.conflicts(0).required_approval(), "国务院批准占用永久基本农田");
  ASSERT_TRUE(Check(inside, common::SPATIAL_USE_AGRICULTURE, &r).ok());
  EXPECT_EQ(r.verdict(), common::ZONE_VERDICT_ALLOWED);
  EXPECT_EQ(r.conflicts_size(), 1);
}

TEST_F(CheckTest, TouchingIsNotAnOverlap) {
  // Shares the east edge of PBF-A and nothing else.
  common::ZoneCheckResult r;
  ASSERT_TRUE(
      Check(SquareWkt(112.41, 34.60, 0.01), common::SPATIAL_USE_RURAL_CONSTRUCTION, &r).ok());
  EXPECT_EQ(r.conflicts_size(), 0);
  EXPECT_EQ(r.verdict(), common::ZONE_VERDICT_ALLOWED);
}

TEST_F(CheckTest, PartialOverlap) {
  const std::string half = RectWkt(112.405, 34.60, 112.415, 34.61);
  common::ZoneCheckResult r;
  ASSERT_TRUE(Check(half, common::SPATIAL_USE_RURAL_CONSTRUCTION, &r).ok());
  EXPECT_EQ(r.verdict(), common::ZONE_VERDICT_FORBIDDEN);
  ASSERT_EQ(r.conflicts_size(), 1);
  EXPECT_NEAR(r.conflicts(0).overlap_area().square_metres(),
              AreaOf(RectWkt(112.405, 34.60, 112.41, 34.61)), 0.01);
  EXPECT_NEAR(r.conflicts(0).overlap_area().square_metres() / AreaOf(half), 0.5, 0.001);
}

TEST_F(CheckTest, NoZoneTouched) {
  common::ZoneCheckResult r;
  ASSERT_TRUE(Check(SquareWkt(112.95, 34.95, 0.01), common::SPATIAL_USE_AGRICULTURE, &r).ok());
  EXPECT_EQ(r.verdict(), common::ZONE_VERDICT_ALLOWED);
  EXPECT_EQ(r.conflicts_size(), 0);
  EXPECT_EQ(r.failed_rules_size(), 0);
  // Every layer version consulted is named, also without a conflict.
  ASSERT_EQ(r.layers_used_size(), 4);
  for (const auto& l : r.layers_used()) EXPECT_EQ(l.version(), 1);
}

TEST_F(CheckTest, UrbanBoundaryAndMiningZones) {
  common::ZoneCheckResult r;
  ASSERT_TRUE(
      Check(SquareWkt(112.31, 34.51, 0.01), common::SPATIAL_USE_URBAN_CONSTRUCTION, &r).ok());
  EXPECT_EQ(r.verdict(), common::ZONE_VERDICT_ALLOWED);
  ASSERT_EQ(r.conflicts_size(), 1);
  EXPECT_EQ(r.conflicts(0).zone_id(), "UDB-1");
  // Straddling the boundary: the part outside fails the rule.
  ASSERT_TRUE(
      Check(RectWkt(112.34, 34.51, 112.36, 34.52), common::SPATIAL_USE_URBAN_CONSTRUCTION, &r)
          .ok());
  EXPECT_EQ(r.verdict(), common::ZONE_VERDICT_FORBIDDEN);
  ASSERT_EQ(r.failed_rules_size(), 1);
  EXPECT_NE(r.failed_rules(0).find("位于边界外"), std::string::npos);

  ASSERT_TRUE(Check(SquareWkt(112.71, 34.61, 0.01), common::SPATIAL_USE_OPEN_PIT_MINING, &r).ok());
  EXPECT_EQ(r.verdict(), common::ZONE_VERDICT_ALLOWED);
  ASSERT_TRUE(
      Check(RectWkt(112.74, 34.61, 112.76, 34.62), common::SPATIAL_USE_OPEN_PIT_MINING, &r).ok());
  EXPECT_EQ(r.verdict(), common::ZONE_VERDICT_FORBIDDEN);
  EXPECT_EQ(r.failed_rules(0).rfind("OPEN_PIT_OUTSIDE_KEY_MINING_ZONE: ", 0), 0u);
  ASSERT_TRUE(
      Check(SquareWkt(112.81, 34.61, 0.01), common::SPATIAL_USE_UNDERGROUND_MINING, &r).ok());
  EXPECT_EQ(r.verdict(), common::ZONE_VERDICT_FORBIDDEN);
  ASSERT_EQ(r.conflicts_size(), 1);
  EXPECT_EQ(r.conflicts(0).zone_id(), "PM-1");
  EXPECT_EQ(r.conflicts(0).control_level(), common::ZONE_CONTROL_LEVEL_PROHIBITED_MINING);
  // The red line core zone refuses a linear project.
  ASSERT_TRUE(
      Check(RectWkt(112.49, 34.605, 112.52, 34.606), common::SPATIAL_USE_INFRASTRUCTURE, &r).ok());
  EXPECT_EQ(r.verdict(), common::ZONE_VERDICT_FORBIDDEN);
  EXPECT_EQ(r.conflicts(0).zone_id(), "RL-CORE");
}

TEST_F(CheckTest, ANewVersionIsUsedAtOnceAndEarlierOnesStayCheckable) {
  const std::string inside = SquareWkt(112.402, 34.602, 0.004);
  common::ZoneCheckResult first, cached;
  ASSERT_TRUE(Check(inside, common::SPATIAL_USE_RURAL_CONSTRUCTION, &first).ok());
  const auto hits = service_->api().check_cache_stats().hits;
  ASSERT_TRUE(Check(inside, common::SPATIAL_USE_RURAL_CONSTRUCTION, &cached).ok());
  EXPECT_EQ(service_->api().check_cache_stats().hits, hits + 1);
  EXPECT_EQ(first.SerializeAsString(), cached.SerializeAsString());

  const TimePoint before_v2 = clock_->Now();
  clock_->Advance(std::chrono::hours(1));
  // Version 2 moves the farmland away.
  PublishLayer(pbf_, {{"PBF-A", SquareWkt(112.60, 34.90, 0.01), {}, "偃师永久基本农田A"}});
  common::ZoneCheckResult now;
  ASSERT_TRUE(Check(inside, common::SPATIAL_USE_RURAL_CONSTRUCTION, &now).ok());
  EXPECT_EQ(now.verdict(), common::ZONE_VERDICT_ALLOWED);
  EXPECT_EQ(now.conflicts_size(), 0);
  bool saw_v2 = false;
  for (const auto& l : now.layers_used()) saw_v2 |= l.layer_id() == pbf_ && l.version() == 2;
  EXPECT_TRUE(saw_v2);

  // As of before the new version: version 1 and its conflict.
  grpc::ClientContext ctx;
  v1::CheckConflictsRequest req;
  req.mutable_geometry()->set_encoding(common::GEOMETRY_ENCODING_WKT);
  req.mutable_geometry()->set_text(inside);
  req.set_intended_use(common::SPATIAL_USE_RURAL_CONSTRUCTION);
  auto secs =
      std::chrono::duration_cast<std::chrono::seconds>(before_v2.time_since_epoch()).count();
  req.mutable_as_of()->set_seconds(secs + 1);
  v1::CheckConflictsResponse resp;
  ASSERT_TRUE(stub_->CheckConflicts(&ctx, req, &resp).ok());
  ASSERT_EQ(resp.result().conflicts_size(), 1);
  EXPECT_EQ(resp.result().conflicts(0).layer().version(), 1);
}

TEST_F(CheckTest, BadInputIsRefusedNamingTheField) {
  common::ZoneCheckResult r;
  auto st = Check(SquareWkt(112.4, 34.6, 0.01), common::SPATIAL_USE_UNSPECIFIED, &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(), "intended_use: intended use must be set");
  st = Check("POLYGON((112.40 34.60, 112.41 34.61, 112.41 34.60, 112.40 34.61, 112.40 34.60))",
             common::SPATIAL_USE_AGRICULTURE, &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(),
            "geometry: not a valid geometry: Self-intersection[112.405 34.605]");
  st = Check(SquareWkt(34.6, 112.4, 0.01), common::SPATIAL_USE_AGRICULTURE, &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  st = Check(SquareWkt(112.4, 34.6, 0.01), common::SPATIAL_USE_AGRICULTURE, &r, "2200");
  EXPECT_EQ(st.error_message(), "region_code: must be a 6-digit GB/T 2260 code");
  st = Check(SquareWkt(112.4, 34.6, 0.01), common::SPATIAL_USE_AGRICULTURE, &r, "220000");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  grpc::ClientContext ctx;
  v1::CheckConflictsRequest req;
  req.mutable_geometry()->set_text(SquareWkt(112.4, 34.6, 0.01));
  req.set_intended_use(common::SPATIAL_USE_AGRICULTURE);
  v1::CheckConflictsResponse resp;
  st = stub_->CheckConflicts(&ctx, req, &resp);
  EXPECT_EQ(st.error_message(), "geometry.encoding: must be set");
}

}  // namespace
}  // namespace nrp::planning::testing
