// Indicator progress through gRPC and the broker: values move when the other
// services' events arrive (produced as their relays would), reported values,
// and a warning raised once per worsening of a binding indicator.
#include <gtest/gtest.h>

#include "fixture.h"
#include "nrp/core/uuid.h"
#include "nrp/events/topics.h"
#include "nrp/land_supply/v1/events.pb.h"
#include "nrp/mining_rights/v1/events.pb.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/restoration/v1/events.pb.h"
#include "nrp/service/publish.h"

namespace nrp::planning::testing {
namespace {

namespace mr = nrp::mining_rights::v1;
namespace ls = nrp::land_supply::v1;
namespace rs = nrp::restoration::v1;

constexpr char kMines[] = "410300-2021-2025-07";        // 固体矿山总数 346 → <300
constexpr char kLargeMedium[] = "410300-2021-2025-08";  // 大中型矿山比例 20 → ≥40
constexpr char kRestored[] = "410300-2021-2025-09";  // 历史遗留矿山综合治理面积 → 6.28 km², binding
constexpr char kRedLine[] = "410300-2021-2025-15";  // 生态保护红线面积 ≥1771.35 km², binding
constexpr char kForest[] = "410300-2021-2025-12";  // 森林覆盖率 45.5 → 46.5, binding, reported
constexpr char kJilinRevitalised[] = "220000-2021-2025-13";  // 盘活存量建设用地面积 → 2000 ha
constexpr char kLuoyangRate[] = "410300-2021-2025-04";  // 存量建设用地盘活率 ≥15%/yr

class ProgressTest : public PlanningFixture {
 protected:
  mr::RightGranted Grant(const std::string& id, const std::string& mineral, mr::MineralClass cls,
                         mr::ScaleClass scale) {
    mr::RightGranted g;
    g.set_right_id(id);
    g.set_region_code("410381");
    auto* r = g.mutable_right();
    r->set_right_id(id);
    r->set_kind(mr::MINING_RIGHT_KIND_MINING);
    r->set_region_code("410381");
    r->mutable_main_mineral()->set_name(mineral);
    r->mutable_main_mineral()->set_mineral_class(cls);
    r->set_scale_class(scale);
    r->set_state(mr::MINING_RIGHT_STATE_VALID);
    return g;
  }

  rs::ProjectAccepted Accepted(const std::string& id, double m2, int day) {
    rs::ProjectAccepted a;
    a.set_project_id(id);
    a.set_region_code("410323");
    a.set_kind(rs::PROJECT_KIND_HISTORICAL_MINE_SITE);
    a.set_responsibility(rs::RESPONSIBILITY_GOVERNMENT);
    a.mutable_accepted_on()->set_year(2023);
    a.mutable_accepted_on()->set_month(6);
    a.mutable_accepted_on()->set_day(day);
    a.mutable_total_restored_area()->set_square_metres(m2);
    return a;
  }

  int CountEvents(const std::vector<events::CloudEvent>& events, const std::string& type,
                  const std::string& subject) {
    int n = 0;
    for (const auto& e : events) n += e.type == type && e.subject == subject;
    return n;
  }
};

TEST_F(ProgressTest, IndicatorsMoveWhenTheMatchingEventsArrive) {
  // Nothing received yet: no data rather than a zero.
  EXPECT_EQ(Indicator(kMines).status(), v1::PROGRESS_STATUS_NO_DATA);
  EXPECT_EQ(Indicator(kJilinRevitalised).status(), v1::PROGRESS_STATUS_NO_DATA);

  // Mining rights: coal (large), gold (medium), building stone (small), coalbed methane (not
  // solid).
  ProduceEvent("mining_rights", events::kMiningRightsTopic,
               Grant("MR-1", "煤", mr::MINERAL_CLASS_ENERGY, mr::SCALE_CLASS_LARGE), "410381");
  ProduceEvent("mining_rights", events::kMiningRightsTopic,
               Grant("MR-2", "金", mr::MINERAL_CLASS_METAL, mr::SCALE_CLASS_MEDIUM), "410381");
  ProduceEvent("mining_rights", events::kMiningRightsTopic,
               Grant("MR-3", "建筑用石料", mr::MINERAL_CLASS_NON_METAL, mr::SCALE_CLASS_SMALL),
               "410381");
  ProduceEvent("mining_rights", events::kMiningRightsTopic,
               Grant("MR-4", "煤层气", mr::MINERAL_CLASS_ENERGY, mr::SCALE_CLASS_LARGE), "410381");
  auto mines =
      WaitForIndicator(kMines, [](const v1::Indicator& i) { return i.latest_value() == 3; });
  EXPECT_EQ(mines.latest_value(), 3);
  EXPECT_EQ(mines.metric(), v1::COMPUTED_METRIC_SOLID_MINERAL_MINE_COUNT);
  EXPECT_EQ(mines.status(), v1::PROGRESS_STATUS_ACHIEVED);  // <300
  EXPECT_EQ(mines.latest_as_of().year(), 2023);
  auto share =
      WaitForIndicator(kLargeMedium, [](const v1::Indicator& i) { return i.has_latest_value(); });
  EXPECT_NEAR(share.latest_value(), 200.0 / 3, 1e-9);

  mr::RightCancelled cancelled;
  cancelled.set_right_id("MR-2");
  cancelled.set_region_code("410381");
  cancelled.set_kind(mr::MINING_RIGHT_KIND_MINING);
  cancelled.set_scale_class(mr::SCALE_CLASS_MEDIUM);
  ProduceEvent("mining_rights", events::kMiningRightsTopic, cancelled, "410381");
  mines = WaitForIndicator(kMines, [](const v1::Indicator& i) { return i.latest_value() == 2; });
  EXPECT_EQ(mines.latest_value(), 2);
  share =
      WaitForIndicator(kLargeMedium, [](const v1::Indicator& i) { return i.latest_value() == 50; });
  EXPECT_EQ(share.latest_value(), 50);

  // Land supply: 100 ha of stock land revitalised in Changchun counts for Jilin.
  ls::StockLandRevitalised rev;
  rev.set_parcel_id("P-220102-1");
  rev.set_region_code("220102");
  rev.set_stage(ls::STOCK_LAND_STAGE_EXPROPRIATED_NOT_SUPPLIED);
  rev.mutable_area()->set_square_metres(1000000);
  rev.set_cause_id("C-1");
  rev.mutable_revitalised_on()->set_year(2023);
  rev.mutable_revitalised_on()->set_month(5);
  rev.mutable_revitalised_on()->set_day(4);
  ProduceEvent("land_supply", events::kLandSupplyTopic, rev, "220102");
  auto jilin = WaitForIndicator(kJilinRevitalised,
                                [](const v1::Indicator& i) { return i.has_latest_value(); });
  EXPECT_DOUBLE_EQ(jilin.latest_value(), 100);
  EXPECT_EQ(jilin.metric(), v1::COMPUTED_METRIC_STOCK_LAND_REVITALISED_AREA);
  // 100 of 2000 ha half way through the period lags the trajectory (1000 ha).
  EXPECT_EQ(jilin.status(), v1::PROGRESS_STATUS_AT_RISK);

  // The same event delivered again changes nothing.
  const int64_t before = Count("SELECT count(*) FROM stock_land_facts");
  auto built = service::BuildEvent(rev, "land_supply", prefix_, "220102", "", *clock_);
  ASSERT_TRUE(built.ok());
  for (int i = 0; i < 2; ++i) {
    auto st = producer_.Produce(built->topic, built->event);
    ASSERT_TRUE(st.ok()) << st.error().ToString();
  }
  jilin = WaitForIndicator(
      kJilinRevitalised, [](const v1::Indicator& i) { return i.latest_value() == 200; },
      std::chrono::seconds(20));
  EXPECT_DOUBLE_EQ(jilin.latest_value(), 200);  // once more, not twice
  EXPECT_EQ(Count("SELECT count(*) FROM stock_land_facts"), before + 1);

  // Events of types planning does not use are acknowledged, not dead-lettered.
  ls::OfferPublished offer;
  offer.set_offer_id("O-1");
  offer.set_region_code("220102");
  offer.set_parcel_id("P-220102-2");
  ProduceEvent("land_supply", events::kLandSupplyTopic, offer, "220102");
  rev.set_parcel_id("P-220102-3");
  ProduceEvent("land_supply", events::kLandSupplyTopic, rev, "220102");
  jilin = WaitForIndicator(kJilinRevitalised,
                           [](const v1::Indicator& i) { return i.latest_value() == 300; });
  EXPECT_DOUBLE_EQ(jilin.latest_value(), 300);
  EXPECT_EQ(rt_->consumer()->stats().dead_lettered, 0);

  // Planning's own layers: the red line area of Luoyang in km².
  auto layer = CreateLayer(common::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE, "410300");
  PublishLayer(layer.layer_id(), {{"RL-1", SquareWkt(112.5, 34.6, 0.1),
                                   common::ZONE_CONTROL_LEVEL_GENERAL_CONTROL, ""}});
  auto red =
      WaitForIndicator(kRedLine, [](const v1::Indicator& i) { return i.has_latest_value(); });
  EXPECT_NEAR(red.latest_value(), 101.6, 1.0);
  EXPECT_EQ(red.metric(), v1::COMPUTED_METRIC_ECOLOGICAL_RED_LINE_AREA);
  EXPECT_EQ(red.status(), v1::PROGRESS_STATUS_BREACHED);  // below the binding floor 1771.35
}

TEST_F(ProgressTest, AWarningIsRaisedOncePerWorsening) {
  // 1 km² of 6.28 restored half way through the period: behind the linear
  // trajectory (3.14) by more than the tolerance (0.628).
  ProduceEvent("restoration", events::kRestorationTopic, Accepted("RP-1", 1e6, 1), "410323");
  auto ind =
      WaitForIndicator(kRestored, [](const v1::Indicator& i) { return i.has_latest_value(); });
  EXPECT_DOUBLE_EQ(ind.latest_value(), 1.0);
  EXPECT_EQ(ind.status(), v1::PROGRESS_STATUS_AT_RISK);
  // Still behind after more restoration, and after the periodic recomputation.
  ProduceEvent("restoration", events::kRestorationTopic, Accepted("RP-2", 1e5, 2), "410323");
  ind = WaitForIndicator(kRestored, [](const v1::Indicator& i) { return i.latest_value() > 1.05; });
  EXPECT_NEAR(ind.latest_value(), 1.1, 1e-9);
  EXPECT_EQ(ind.status(), v1::PROGRESS_STATUS_AT_RISK);
  clock_->Advance(std::chrono::hours(24));
  ASSERT_TRUE(service_->progress().RecomputeAll().ok());
  ASSERT_TRUE(service_->progress().RecomputeAll().ok());
  // Caught up: the warning is cleared.
  ProduceEvent("restoration", events::kRestorationTopic, Accepted("RP-3", 2.5e6, 3), "410323");
  ind = WaitForIndicator(kRestored, [](const v1::Indicator& i) { return i.latest_value() > 3.5; });
  EXPECT_EQ(ind.status(), v1::PROGRESS_STATUS_ON_TRACK);

  const std::string warning = "nrp.planning.indicator_warning_raised.v1";
  const std::string cleared = "nrp.planning.indicator_warning_cleared.v1";
  auto events = ReadPlanningEvents([&](const std::vector<events::CloudEvent>& got) {
    return CountEvents(got, cleared, kRestored) >= 1;
  });
  EXPECT_EQ(CountEvents(events, warning, kRestored), 1);
  EXPECT_EQ(CountEvents(events, cleared, kRestored), 1);
  for (const auto& e : events) {
    if (e.type != warning || e.subject != kRestored) continue;
    v1::IndicatorWarningRaised w;
    ASSERT_TRUE(events::ParsePayload(e, &w).ok());
    EXPECT_EQ(w.status(), v1::PROGRESS_STATUS_AT_RISK);
    EXPECT_EQ(w.region_code(), "410300");
    EXPECT_DOUBLE_EQ(w.value(), 1.0);
    EXPECT_EQ(w.target().text(), "6.28");
    EXPECT_NEAR(w.projected_value(), 2.0, 0.01);  // 1 km² in half the period → 2 km² by 2025
    EXPECT_EQ(w.message().rfind(
                  "历史遗留矿山综合治理面积偏离规划进度：2023-07-02 为 1 平方公里，目标 6.28", 0),
              0u)
        << w.message();
    EXPECT_EQ(e.source, "/nrp/planning/410300");
  }
  // Every change of value or status was published.
  EXPECT_GE(CountEvents(events, "nrp.planning.indicator_progress_updated.v1", kRestored), 3);
}

TEST_F(ProgressTest, ReportedValuesAndYearlyRates) {
  // 森林覆盖率 45.5 → 46.5 (binding): reported by the forestry agency.
  grpc::ClientContext c1;
  v1::ReportIndicatorValueRequest req;
  req.set_request_id(NewUuidV4());
  auto* v = req.mutable_value();
  v->set_indicator_id(kForest);
  v->set_value(45.9);
  v->mutable_as_of()->set_year(2022);
  v->mutable_as_of()->set_month(12);
  v->mutable_as_of()->set_day(31);
  v->set_source_note("2022 年度国土变更调查");
  v1::IndicatorValue out;
  auto st = stub_->ReportIndicatorValue(&c1, req, &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.origin(), v1::VALUE_ORIGIN_REPORTED);
  EXPECT_EQ(out.reported_by(), "henan-nrd");
  auto forest = Indicator(kForest);
  EXPECT_DOUBLE_EQ(forest.latest_value(), 45.9);
  EXPECT_EQ(forest.status(), v1::PROGRESS_STATUS_ON_TRACK);  // trajectory at end-2022: 45.9
  // A value without its source, a computed indicator, a date in the future.
  grpc::ClientContext c2;
  req.set_request_id(NewUuidV4());
  v->clear_source_note();
  st = stub_->ReportIndicatorValue(&c2, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(),
            "value.source_note: a reported value needs its source (source or source_note)");
  grpc::ClientContext c3;
  req.set_request_id(NewUuidV4());
  v->set_source_note("统计公报");
  v->set_indicator_id(kMines);
  st = stub_->ReportIndicatorValue(&c3, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(st.error_message(),
            "indicator 410300-2021-2025-07 (固体矿山总数) is computed by planning from "
            "solid_mine_count; it takes no reported values");
  grpc::ClientContext c4;
  req.set_request_id(NewUuidV4());
  v->set_indicator_id(kForest);
  v->mutable_as_of()->set_year(2024);
  st = stub_->ReportIndicatorValue(&c4, req, &out);
  EXPECT_EQ(st.error_message(), "value.as_of: lies in the future");

  // 存量建设用地盘活率: the stock at the start of 2023 is reported, the
  // revitalised area comes from land supply's events.
  grpc::ClientContext c5;
  v1::ReportIndicatorValueRequest stock;
  stock.set_request_id(NewUuidV4());
  stock.mutable_value()->set_indicator_id(kLuoyangRate);
  stock.mutable_value()->mutable_as_of()->set_year(2023);
  stock.mutable_value()->mutable_as_of()->set_month(1);
  stock.mutable_value()->mutable_as_of()->set_day(1);
  stock.mutable_value()->mutable_stock_area()->set_square_metres(2e7);  // 2000 ha
  stock.mutable_value()->set_source_note("2022 年度存量建设用地台账");
  st = stub_->ReportIndicatorValue(&c5, stock, &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ls::StockLandRevitalised rev;
  rev.set_parcel_id("P-410302-9");
  rev.set_region_code("410302");
  rev.set_stage(ls::STOCK_LAND_STAGE_SUPPLIED_NOT_USED);
  rev.mutable_area()->set_square_metres(2e6);  // 200 ha = 10% of the stock
  rev.mutable_revitalised_on()->set_year(2023);
  rev.mutable_revitalised_on()->set_month(3);
  rev.mutable_revitalised_on()->set_day(1);
  ProduceEvent("land_supply", events::kLandSupplyTopic, rev, "410302");
  auto rate =
      WaitForIndicator(kLuoyangRate, [](const v1::Indicator& i) { return i.has_latest_value(); });
  EXPECT_DOUBLE_EQ(rate.latest_value(), 10);
  EXPECT_EQ(rate.metric(), v1::COMPUTED_METRIC_STOCK_LAND_REVITALISATION_RATE);
  // 10% by 2 July against ≥15% for the year (7.5% due by then): on track.
  EXPECT_EQ(rate.status(), v1::PROGRESS_STATUS_ON_TRACK);

  grpc::ClientContext c6;
  v1::GetIndicatorProgressRequest pr;
  pr.set_indicator_id(kForest);
  v1::IndicatorProgress progress;
  ASSERT_TRUE(stub_->GetIndicatorProgress(&c6, pr, &progress).ok());
  EXPECT_DOUBLE_EQ(progress.base_value(), 45.5);
  EXPECT_DOUBLE_EQ(progress.current_value(), 45.9);
  EXPECT_NEAR(progress.progress_ratio(), 0.4, 1e-9);
  EXPECT_EQ(progress.target().comparator(), v1::TARGET_COMPARATOR_AT_LEAST);
  EXPECT_EQ(progress.target().text(), "46.5");
  ASSERT_EQ(progress.points_size(), 1);
  EXPECT_EQ(progress.status(), v1::PROGRESS_STATUS_ON_TRACK);
}

TEST_F(ProgressTest, ReferenceDataIsServed) {
  grpc::ClientContext ctx;
  v1::ListIndicatorsRequest req;
  req.set_filter("plan_id = \"140000-2021-2025\"");
  req.set_page_size(100);
  v1::ListIndicatorsResponse resp;
  ASSERT_TRUE(stub_->ListIndicators(&ctx, req, &resp).ok());
  ASSERT_EQ(resp.indicators_size(), 14);
  const auto& farmland = resp.indicators(0);
  EXPECT_EQ(farmland.name(), "耕地保有量");
  EXPECT_DOUBLE_EQ(farmland.base_value(), 5792.51);
  EXPECT_EQ(farmland.target().text(), "≥5649");
  EXPECT_DOUBLE_EQ(farmland.target().value(), 5649);
  EXPECT_EQ(farmland.nature(), v1::INDICATOR_NATURE_BINDING);
  EXPECT_EQ(farmland.metric(), v1::COMPUTED_METRIC_CULTIVATED_LAND_AREA);
  EXPECT_NE(farmland.source_note().find("L104"), std::string::npos);
  grpc::ClientContext c2;
  v1::ListPlansRequest plans;
  v1::ListPlansResponse plans_resp;
  ASSERT_TRUE(stub_->ListPlans(&c2, plans, &plans_resp).ok());
  EXPECT_EQ(plans_resp.plans_size(), 5);
}

}  // namespace
}  // namespace nrp::planning::testing
