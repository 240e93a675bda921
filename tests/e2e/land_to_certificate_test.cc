// The platform end to end, as another agency uses it: the real planning, land
// supply and registration binaries, reached only through their gRPC contracts
// and the Kafka topics (the test links none of their code).
//
//   planning      three control lines for Luoyang (410300) imported and published
//   land supply   its replica receives them (the reserve's spatial gate passes)
//   planning      the red line re-evaluated: version 2 reaches into parcel A
//   land supply   the listing of A is refused at its notice: FAILED_PRECONDITION naming the
//                 zone, the layer version and the overlap (the same overlap planning reports);
//                 parcel B (approved, expropriated, inside the urban boundary) is listed,
//                 bid on (a bid under the increment refused), won by the highest bid,
//                 contracted, paid and delivered
//   registration  the delivery opens the first registration; accepted, reviewed, recorded;
//                 the certificate has the national number format and a signature that
//                 verifies with the registry's public key alone (OpenSSL)
//   planning      the stock-land indicators move from land supply's stock_land_revitalised
//   subscriber    a plain librdkafka consumer saw every event of the flow with its
//                 CloudEvents headers, each payload decoding as ce_dataschema, per-aggregate
//                 order kept, nothing dead-lettered
//
// Time: bidding windows are real seconds. The notice and listing periods come
// from the service's documented configuration (NRP_LAND_SUPPLY_MIN_NOTICE_DAYS,
// NRP_LAND_SUPPLY_MIN_LISTING_DAYS = 0); nothing else about time is changed.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "certificate_check.h"
#include "event_contract.h"
#include "flows.h"
#include "external_subscriber.h"
#include "nrp/core/uuid.h"
#include "nrp/land_supply/v1/events.pb.h"
#include "nrp/land_supply/v1/land_supply.grpc.pb.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/planning/v1/planning.grpc.pb.h"
#include "nrp/registration/v1/events.pb.h"
#include "nrp/registration/v1/registration.grpc.pb.h"
#include "nrp/rpc/errors.h"
#include "platform.h"

namespace nrp::e2e {
namespace {

namespace rv1 = ::nrp::registration::v1;

// ------------------------------------------------------------------ the zones
//
// Urban development boundary of the central city (洛龙区 and west of it),
// permanent basic farmland east of it, and the red line: version 1 has the
// Yi-Luo wetland north of parcel A and a small mountain zone; version 2 (the
// red line's re-evaluation) reaches the wetland south over part of parcel A and
// takes the mountain zone out.
const char* kRegion = "410300";
const char* kCounty = "410311";  // 洛龙区

const std::vector<ZoneSpec> kBoundary = {{"udb-luoyang-central", "洛阳中心城区城镇开发边界",
                                          cv1::ZONE_CONTROL_LEVEL_UNIFORM,
                                          Box(112.38, 34.58, 112.50, 34.66)}};
const std::vector<ZoneSpec> kFarmland = {{"pbf-luolong-east", "洛龙区东部永久基本农田保护区",
                                          cv1::ZONE_CONTROL_LEVEL_UNIFORM,
                                          Box(112.50, 34.58, 112.56, 34.64)}};
const std::vector<ZoneSpec> kRedLineV1 = {
    {"erl-yiluo-wetland", "伊洛河湿地生态保护红线", cv1::ZONE_CONTROL_LEVEL_GENERAL_CONTROL,
     Box(112.44, 34.640, 112.46, 34.655)},
    {"erl-wanan-hill", "万安山生态保护红线（评估前）", cv1::ZONE_CONTROL_LEVEL_GENERAL_CONTROL,
     Box(112.470, 34.600, 112.480, 34.610)}};
const std::vector<ZoneSpec> kRedLineV2 = {{"erl-yiluo-wetland", "伊洛河湿地生态保护红线",
                                           cv1::ZONE_CONTROL_LEVEL_GENERAL_CONTROL,
                                           Box(112.44, 34.632, 112.46, 34.655)}};

// Parcel A lies inside the boundary and south of the wetland of version 1;
// version 2 covers its northern half. Q lies in the mountain zone of version 1
// only. B lies inside the boundary, clear of every zone.
const std::string kParcelA = Box(112.4450, 34.6300, 112.4470, 34.6340);
const std::string kParcelQ = Box(112.4720, 34.6020, 112.4740, 34.6040);
const std::string kParcelB = Box(112.4200, 34.6000, 112.4230, 34.6030);

// ------------------------------------------------------------------ the test

class LandToCertificate : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterEventMessages();
    started_at_ = PlatformNow();
    platform_ = std::make_unique<Platform>();
    std::vector<ServiceBinary> services = {
        {"planning", NRP_E2E_PLANNING_BIN, "nrp.planning.v1.PlanningService", {}},
        {"land_supply",
         NRP_E2E_LAND_SUPPLY_BIN,
         "nrp.land_supply.v1.LandSupplyService",
         {// Order 39's 20-day notice and 10-day listing, shortened by the documented
          // configuration so that bidding opens and closes within the test.
          {"NRP_LAND_SUPPLY_MIN_NOTICE_DAYS", "0"},
          {"NRP_LAND_SUPPLY_MIN_LISTING_DAYS", "0"},
          {"NRP_LAND_SUPPLY_SCHEDULER_INTERVAL", "250ms"}}},
        {"registration",
         NRP_E2E_REGISTRATION_BIN,
         "nrp.registration.v1.RegistrationService",
         {{"NRP_REGISTRATION_SIGNING_KEY_FILE", platform_->dir() + "/registry-signing-key.pem"},
          {"NRP_REGISTRATION_PUBLIC_KEY_OUT", platform_->registry_public_key_out()},
          {"NRP_REGISTRATION_CACHE_PREFIX", "nrp:" + platform_->topic_prefix() + "registration:"}}},
    };
    std::string error;
    bool ok = platform_->Start(std::move(services), 240s, &error);
    ASSERT_TRUE(ok) << error;
    phases_.Mark("start 3 service binaries, health SERVING");

    std::string prefix = platform_->topic_prefix();
    std::string pattern = "^";
    for (char c : prefix) {
      if (c == '.') pattern += "\\";
      pattern += c;
    }
    pattern += ".*";
    subscriber_ = std::make_unique<ExternalSubscriber>(nrp::testing::GetInfra().kafka_bootstrap,
                                                       pattern, prefix + "other-agency");
    ASSERT_EQ(subscriber_->setup_error(), "");

    planning_ = pv1::PlanningService::NewStub(platform_->Channel("planning"));
    land_ = lv1::LandSupplyService::NewStub(platform_->Channel("land_supply"));
    registration_ = rv1::RegistrationService::NewStub(platform_->Channel("registration"));
    flows_ = std::make_unique<LandFlows>(planning_.get(), land_.get(), kRegion, kCounty);
  }

  void TearDown() override {
    if (HasFailure() && platform_) {
      std::printf("service logs (last lines):\n%s", platform_->LogTails(40).c_str());
    }
    subscriber_.reset();
    planning_.reset();
    land_.reset();
    registration_.reset();
    if (platform_) {
      for (const auto& [name, how] : platform_->Stop()) {
        // SIGTERM drains calls, commits the consumer and flushes the relay, then exits 0.
        EXPECT_EQ(how, "exit 0") << name << " did not stop cleanly on SIGTERM";
      }
    }
    phases_.Mark("stop the services (SIGTERM, drain)");
    phases_.Print();
    platform_.reset();
  }


  Clock::time_point started_at_;
  Phases phases_;
  std::unique_ptr<Platform> platform_;
  std::unique_ptr<ExternalSubscriber> subscriber_;
  std::unique_ptr<pv1::PlanningService::Stub> planning_;
  std::unique_ptr<lv1::LandSupplyService::Stub> land_;
  std::unique_ptr<rv1::RegistrationService::Stub> registration_;
  std::unique_ptr<LandFlows> flows_;
};

TEST_F(LandToCertificate,
       ZonesGateTheListingsTheSaleEndsInASignedCertificateAndEveryEventIsPublic) {
  using PStub = pv1::PlanningService::Stub;
  using LStub = lv1::LandSupplyService::Stub;
  using RStub = rv1::RegistrationService::Stub;
  const auto today = TodayInChina();
  const int year = static_cast<int>(std::chrono::year_month_day(today).year());

  // An agency without a token is turned away.
  {
    auto anonymous = lv1::LandSupplyService::NewStub(platform_->AnonymousChannel("land_supply"));
    lv1::ListParcelsRequest req;
    lv1::ListParcelsResponse resp;
    Status st = Call(anonymous.get(), &LStub::ListParcels, req, &resp);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code(), Code::kUnauthenticated) << Describe(st);
  }

  // ---- planning: the reference plan's indicators, and a monitoring plan of this period
  const std::string kPlan = "410300-2021-2025";
  std::string rate_indicator, red_line_indicator;
  {
    pv1::GetPlanRequest get;
    get.set_plan_id(kPlan);
    pv1::Plan plan;
    Status st = Call(planning_.get(), &PStub::GetPlan, get, &plan);
    ASSERT_TRUE(st.ok()) << "planning has not loaded Luoyang's plan: " << Describe(st);
    EXPECT_EQ(plan.state(), pv1::PLAN_STATE_IN_FORCE);
    pv1::ListIndicatorsRequest list;
    list.set_filter("plan_id = \"" + kPlan + "\"");
    list.set_page_size(100);
    pv1::ListIndicatorsResponse inds;
    st = Call(planning_.get(), &PStub::ListIndicators, list, &inds);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(inds.indicators_size(), 21);
    for (const auto& i : inds.indicators()) {
      if (i.metric() == pv1::COMPUTED_METRIC_STOCK_LAND_REVITALISATION_RATE) {
        rate_indicator = i.indicator_id();
      }
      if (i.metric() == pv1::COMPUTED_METRIC_ECOLOGICAL_RED_LINE_AREA) {
        red_line_indicator = i.indicator_id();
      }
    }
    ASSERT_FALSE(rate_indicator.empty()) << "no stock-land revitalisation rate in " << kPlan;
    ASSERT_FALSE(red_line_indicator.empty()) << "no red-line area indicator in " << kPlan;
    EXPECT_EQ(flows_->GetIndicator(rate_indicator).status(), pv1::PROGRESS_STATUS_NO_DATA);
    EXPECT_EQ(flows_->GetIndicator(red_line_indicator).status(), pv1::PROGRESS_STATUS_NO_DATA);
  }
  // The rate divides by the stock at the start of the plan's last year, which an agency reports.
  const double kStock2025 = 1'500'000;  // m²
  {
    pv1::ReportIndicatorValueRequest req;
    req.set_request_id(Rid());
    pv1::IndicatorValue* v = req.mutable_value();
    v->set_indicator_id(rate_indicator);
    *v->mutable_as_of() = ProtoDate(std::chrono::sys_days(std::chrono::year(2025) / 1 / 1));
    v->mutable_stock_area()->set_square_metres(kStock2025);
    v->set_source_note("2025 年初存量建设用地（端到端测试数值）");
    pv1::IndicatorValue out;
    Status st = Call(planning_.get(), &PStub::ReportIndicatorValue, req, &out);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  // The 2021-2025 plan's period is over by the time this runs in later years; the
  // monitoring plan of the current five-year period counts the supply made today.
  std::string monitor_indicator;
  {
    const int start = year - (year - 2021) % 5;
    pv1::CreatePlanRequest creq;
    creq.set_request_id(Rid());
    pv1::Plan* p = creq.mutable_plan();
    p->set_name("洛阳市存量建设用地盘活监测（端到端测试）");
    p->set_region_code(kRegion);
    p->set_period_start_year(start);
    p->set_period_end_year(start + 4);
    p->set_base_year(start - 1);
    pv1::Plan plan;
    Status st = Call(planning_.get(), &PStub::CreatePlan, creq, &plan);
    ASSERT_TRUE(st.ok()) << Describe(st);
    pv1::CreateIndicatorRequest ireq;
    ireq.set_request_id(Rid());
    pv1::Indicator* i = ireq.mutable_indicator();
    i->set_plan_id(plan.plan_id());
    i->set_code("e2e-stock-revitalised");
    i->set_name("盘活存量建设用地面积");
    i->set_category("资源利用效率");
    i->set_unit("公顷");
    i->set_base_value(0);
    i->mutable_target()->set_comparator(pv1::TARGET_COMPARATOR_AT_LEAST);
    i->mutable_target()->set_value(20);
    i->mutable_target()->set_text("≥20");
    i->set_nature(pv1::INDICATOR_NATURE_EXPECTED);
    i->set_metric(pv1::COMPUTED_METRIC_STOCK_LAND_REVITALISED_AREA);
    pv1::Indicator created;
    st = Call(planning_.get(), &PStub::CreateIndicator, ireq, &created);
    ASSERT_TRUE(st.ok()) << Describe(st);
    monitor_indicator = created.indicator_id();
    pv1::ApprovePlanRequest areq;
    areq.set_request_id(Rid());
    areq.set_plan_id(plan.plan_id());
    *areq.mutable_document() = Doc("洛阳市存量建设用地盘活监测方案");
    st = Call(planning_.get(), &PStub::ApprovePlan, areq, &plan);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(plan.state(), pv1::PLAN_STATE_IN_FORCE);
    EXPECT_EQ(flows_->GetIndicator(monitor_indicator).status(), pv1::PROGRESS_STATUS_NO_DATA);
  }
  phases_.Mark("planning: plans and indicators before the flow");

  // ---- planning: the three control lines, version 1
  std::string udb_layer, pbf_layer, erl_layer;
  pv1::LayerVersion udb_v1 =
      flows_->PublishLayer(cv1::ZONE_LAYER_KIND_URBAN_DEVELOPMENT_BOUNDARY, "洛阳市城镇开发边界", kBoundary,
                   "城镇开发边界划定成果", &udb_layer);
  pv1::LayerVersion pbf_v1 =
      flows_->PublishLayer(cv1::ZONE_LAYER_KIND_PERMANENT_BASIC_FARMLAND, "洛阳市永久基本农田", kFarmland,
                   "永久基本农田划定成果", &pbf_layer);
  pv1::LayerVersion erl_v1 =
      flows_->PublishLayer(cv1::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE, "洛阳市生态保护红线", kRedLineV1,
                   "生态保护红线划定成果", &erl_layer);
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(udb_layer, "410300-urban-development-boundary");
  EXPECT_EQ(erl_v1.version(), 1);
  phases_.Mark("planning: import and publish three layers (v1)");

  // ---- land supply: parcels; the reserve waits for the replica of farmland and red line
  lv1::Parcel a =
      flows_->CreateParcel("410311003001GB00101", "洛龙区 LLQ-2026-101 号地块（伊洛河南岸）", kParcelA);
  lv1::Parcel q =
      flows_->CreateParcel("410311003001GB00102", "洛龙区 LLQ-2026-102 号地块（万安山北麓）", kParcelQ);
  lv1::Parcel b =
      flows_->CreateParcel("410311003001GB00103", "洛龙区 LLQ-2026-103 号地块（开元大道南）", kParcelB);
  ASSERT_FALSE(HasFatalFailure());
  Status reserved_a = Error::Unavailable("not tried");
  bool replica = Eventually(
      [&] {
        reserved_a = flows_->Reserve(a.parcel_id(), &a);
        return reserved_a.ok() || reserved_a.error().reason() != "ZONE_LAYER_MISSING";
      },
      90s);
  ASSERT_TRUE(replica) << "land supply's replica never received the layers: "
                       << Describe(reserved_a);
  ASSERT_TRUE(reserved_a.ok()) << Describe(reserved_a);
  EXPECT_EQ(a.state(), lv1::PARCEL_STATE_RESERVED);
  EXPECT_EQ(a.zone_check().verdict(), cv1::ZONE_VERDICT_ALLOWED);
  {
    std::map<std::string, int64_t> used;
    for (const auto& l : a.zone_check().layers_used()) used[l.layer_id()] = l.version();
    EXPECT_EQ(used, (std::map<std::string, int64_t>{{pbf_layer, 1}, {erl_layer, 1}}));
  }
  phases_.Mark("land supply: replica of v1 received (reserve passes)");
  // Version 1 of the red line is enforced: Q, in the mountain zone, stays out of the reserve.
  {
    lv1::Parcel ignored;
    Status st = flows_->Reserve(q.parcel_id(), &ignored);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code(), Code::kFailedPrecondition);
    EXPECT_EQ(st.error().reason(), "OVERLAPS_ECOLOGICAL_RED_LINE") << Describe(st);
    EXPECT_NE(st.error().message().find("erl-wanan-hill"), std::string::npos) << Describe(st);
  }
  flows_->Clear(a.parcel_id());
  // A listing of A drafted while the red line still leaves it alone.
  lv1::SupplyOffer offer_a = flows_->DraftListing(a, PlatformNow() + 1h, PlatformNow() + 2h);

  // B is stock land: its batch approved by the province and expropriated (征而未供).
  std::string batch_id;
  {
    lv1::CreateApprovalBatchRequest req;
    req.set_request_id(Rid());
    lv1::ApprovalBatch* bt = req.mutable_batch();
    bt->set_region_code(kRegion);
    bt->set_name("洛阳市" + std::to_string(year) + "年度第3批次城镇建设用地");
    bt->set_year(year);
    bt->add_parcel_ids(b.parcel_id());
    bt->mutable_total_area()->set_square_metres(b.area().square_metres());
    bt->mutable_agricultural_land_area()->set_square_metres(b.area().square_metres() * 0.4);
    bt->mutable_plan_quota_area()->set_square_metres(b.area().square_metres() * 0.4);
    lv1::ApprovalBatch out;
    Status st = Call(land_.get(), &LStub::CreateApprovalBatch, req, &out);
    ASSERT_TRUE(st.ok()) << Describe(st);
    batch_id = out.batch_id();
    lv1::ApproveBatchRequest approve;
    approve.set_request_id(Rid());
    approve.set_batch_id(batch_id);
    approve.set_authority(lv1::APPROVAL_AUTHORITY_PROVINCE);
    *approve.mutable_approval() =
        Doc("关于洛阳市城镇建设用地的批复", "豫政土〔2026〕113号", "河南省人民政府");
    st = Call(land_.get(), &LStub::ApproveBatch, approve, &out);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(out.state(), lv1::BATCH_STATE_APPROVED);
    lv1::RecordBatchExpropriationRequest expropriate;
    expropriate.set_request_id(Rid());
    expropriate.set_batch_id(batch_id);
    *expropriate.add_documents() = Doc("征收土地公告", "洛政征〔2026〕9号", "洛阳市人民政府");
    st = Call(land_.get(), &LStub::RecordBatchExpropriation, expropriate, &out);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(out.state(), lv1::BATCH_STATE_EXPROPRIATED);
  }
  {
    Status st = flows_->Reserve(b.parcel_id(), &b);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(b.stock_stage(), lv1::STOCK_LAND_STAGE_EXPROPRIATED_NOT_SUPPLIED);
    flows_->Clear(b.parcel_id());
  }
  phases_.Mark("land supply: batch approved and expropriated, parcels ready");

  // ---- planning: the red line re-evaluated (version 2)
  pv1::LayerVersion erl_v2 =
      flows_->PublishLayer(cv1::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE, "洛阳市生态保护红线", kRedLineV2,
                   "生态保护红线评估调整：伊洛河湿地向南扩展，万安山片区调出", &erl_layer);
  ASSERT_FALSE(HasFatalFailure());
  ASSERT_EQ(erl_v2.version(), 2);
  // Land supply switches to version 2 on its marker: Q, which version 2 releases, enters the
  // reserve from then on.
  Status reserved_q = Error::Unavailable("not tried");
  bool switched = Eventually(
      [&] {
        lv1::Parcel out;
        reserved_q = flows_->Reserve(q.parcel_id(), &out);
        return reserved_q.ok() || reserved_q.error().reason() != "OVERLAPS_ECOLOGICAL_RED_LINE";
      },
      90s);
  ASSERT_TRUE(switched) << "the replica never switched to red line version 2: "
                        << Describe(reserved_q);
  ASSERT_TRUE(reserved_q.ok()) << Describe(reserved_q);
  phases_.Mark("planning → land supply: red line v2 in the replica");

  // What planning itself says about parcel A now.
  double planning_overlap = 0;
  {
    pv1::CheckConflictsRequest req;
    *req.mutable_geometry() = Wkt(kParcelA);
    req.set_intended_use(cv1::SPATIAL_USE_URBAN_CONSTRUCTION);
    req.set_region_code(kRegion);
    pv1::CheckConflictsResponse resp;
    Status st = Call(planning_.get(), &PStub::CheckConflicts, req, &resp);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(resp.result().verdict(), cv1::ZONE_VERDICT_FORBIDDEN);
    for (const auto& c : resp.result().conflicts()) {
      if (c.zone_id() == "erl-yiluo-wetland") {
        EXPECT_EQ(c.layer().version(), 2);
        EXPECT_EQ(c.verdict(), cv1::ZONE_VERDICT_FORBIDDEN);
        planning_overlap = c.overlap_area().square_metres();
      }
    }
    ASSERT_GT(planning_overlap, 0) << resp.DebugString();
  }

  // ---- the listing over the red line is refused at its notice
  {
    lv1::SupplyOffer out;
    Status st = Error::Unavailable("not tried");
    ASSERT_TRUE(Eventually(
        [&] {
          st = flows_->PublishOffer(offer_a.offer_id(), &out);
          return st.ok() || st.error().reason() != "ZONE_LAYER_MISSING";
        },
        60s));
    ASSERT_FALSE(st.ok()) << "a listing over the red line was published";
    EXPECT_EQ(st.error().code(), Code::kFailedPrecondition);
    EXPECT_EQ(st.error().reason(), "OVERLAPS_ECOLOGICAL_RED_LINE") << Describe(st);
    const std::string& msg = st.error().message();
    EXPECT_NE(msg.find("伊洛河湿地生态保护红线"), std::string::npos) << msg;
    EXPECT_NE(msg.find("zone erl-yiluo-wetland"), std::string::npos) << msg;
    EXPECT_NE(msg.find("layer " + erl_layer + " version 2"), std::string::npos) << msg;
    const auto& md = st.error().metadata();
    ASSERT_TRUE(md.count("overlap_square_metres")) << Describe(st);
    EXPECT_EQ(md.at("zone_id"), "erl-yiluo-wetland");
    EXPECT_EQ(md.at("layer_id"), erl_layer);
    EXPECT_EQ(md.at("layer_version"), "2");
    double overlap = std::stod(md.at("overlap_square_metres"));
    // Land supply's replica measures the same overlap planning does.
    EXPECT_NEAR(overlap, planning_overlap, planning_overlap * 1e-6) << msg;
    EXPECT_GT(overlap, 0.2 * a.area().square_metres());
    EXPECT_EQ(flows_->GetOffer(offer_a.offer_id()).state(), lv1::OFFER_STATE_DRAFT);
    std::printf("refusal of the listing over the red line: %s\n", msg.c_str());
  }
  phases_.Mark("land supply: listing over the red line refused at notice");

  // ---- B: listed inside the urban development boundary, bid on, won
  const Clock::time_point bidding_start = PlatformNow() + 15s;
  const Clock::time_point bidding_end = bidding_start + 30s;
  lv1::SupplyOffer offer_b = flows_->DraftListing(b, bidding_start, bidding_end);
  {
    Status st = flows_->PublishOffer(offer_b.offer_id(), &offer_b);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(offer_b.state(), lv1::OFFER_STATE_PUBLISHED);
    EXPECT_EQ(offer_b.zone_check().verdict(), cv1::ZONE_VERDICT_ALLOWED);
    std::map<std::string, int64_t> used;
    for (const auto& l : offer_b.zone_check().layers_used()) used[l.layer_id()] = l.version();
    EXPECT_EQ(used,
              (std::map<std::string, int64_t>{{udb_layer, 1}, {pbf_layer, 1}, {erl_layer, 2}}));
  }
  const cv1::Party jia = Company("洛阳甲置业有限公司", 1101, "王建国");
  const cv1::Party yi = Company("洛阳乙商业运营有限公司", 1102, "李红");
  std::map<std::string, std::string> number_of;
  for (const cv1::Party* p : {&jia, &yi}) {
    lv1::RegisterBidderRequest req;
    req.set_request_id(Rid());
    req.set_offer_id(offer_b.offer_id());
    *req.mutable_bidder() = *p;
    req.mutable_deposit_paid()->set_fen(LandFlows::kDepositFen);
    *req.mutable_deposit_receipt() = Doc("竞买保证金缴款凭证");
    lv1::BidderRegistration out;
    Status st = Call(land_.get(), &LStub::RegisterBidder, req, &out);
    ASSERT_TRUE(st.ok()) << Describe(st);
    number_of[p->name()] = out.bidder_number();
  }
  const std::string n_jia = number_of[jia.name()], n_yi = number_of[yi.name()];
  std::this_thread::sleep_for(bidding_start + 500ms - PlatformNow());
  ASSERT_LT(PlatformNow(), bidding_end - 10s) << "too late to bid; the machine is too slow";
  phases_.Mark("land supply: listing published, bidders registered, notice over");
  // 甲 1.20, 乙 1.21, 甲 1.23 亿元; 乙 under the increment refused; 乙 1.24, 甲 1.26.
  const std::vector<std::pair<std::string, int64_t>> bids = {{n_jia, 12'000'000'000},
                                                             {n_yi, 12'100'000'000},
                                                             {n_jia, 12'300'000'000},
                                                             {n_yi, 12'400'000'000},
                                                             {n_jia, 12'600'000'000}};
  for (size_t i = 0; i < bids.size(); ++i) {
    if (i == 3) {
      Status low = flows_->Bid(offer_b.offer_id(), n_yi, 12'350'000'000);
      ASSERT_FALSE(low.ok());
      EXPECT_EQ(low.error().reason(), "BID_TOO_LOW") << Describe(low);
      EXPECT_NE(low.error().message().find("124000000.00"), std::string::npos)
          << "the refusal names the minimum acceptable amount: " << low.error().message();
    }
    Status st = flows_->Bid(offer_b.offer_id(), bids[i].first, bids[i].second);
    ASSERT_TRUE(st.ok()) << "bid " << i << ": " << Describe(st);
  }
  {
    lv1::GetBidBoardRequest req;
    req.set_offer_id(offer_b.offer_id());
    lv1::BidBoard board;
    Status st = Call(land_.get(), &LStub::GetBidBoard, req, &board);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(board.bid_count(), 5);
    EXPECT_EQ(board.highest_bid().fen(), 12'600'000'000);
    EXPECT_EQ(board.highest_bidder_number(), n_jia);
    EXPECT_EQ(board.minimum_next_bid().fen(), 12'700'000'000);
  }
  phases_.Mark("land supply: five bids (one refused as too low)");
  // Closed by the service's scheduler at the end of bidding.
  lv1::SupplyOffer closed;
  ASSERT_TRUE(Eventually(
      [&] {
        closed = flows_->GetOffer(offer_b.offer_id());
        return closed.state() != lv1::OFFER_STATE_PUBLISHED &&
               closed.state() != lv1::OFFER_STATE_BIDDING;
      },
      std::chrono::duration_cast<std::chrono::milliseconds>(bidding_end - PlatformNow()) + 60s))
      << "the listing was not closed after its bidding period";
  ASSERT_EQ(closed.state(), lv1::OFFER_STATE_AWARDED) << closed.DebugString();
  EXPECT_GE(PlatformNow(), bidding_end);
  EXPECT_EQ(closed.result().outcome(), lv1::RESULT_OUTCOME_AWARDED);
  EXPECT_EQ(closed.result().price().fen(), 12'600'000'000);  // the highest bid wins
  EXPECT_EQ(closed.result().grantee().name(), jia.name());
  EXPECT_EQ(closed.result().grantee_bidder_number(), n_jia);
  EXPECT_EQ(closed.result().valid_bid_count(), 5);
  phases_.Mark("land supply: bidding closed, result awarded");

  // ---- contract, payments, delivery
  const int64_t price = closed.result().price().fen();
  lv1::GrantContract contract;
  {
    lv1::SignContractRequest req;
    req.set_request_id(Rid());
    lv1::GrantContract* c = req.mutable_contract();
    c->set_offer_id(offer_b.offer_id());
    c->set_contract_number("410300-" + std::to_string(year) + "-E2E-" + b.parcel_code().substr(14));
    c->set_grantor("洛阳市自然资源和规划局");
    *c->mutable_agreed_delivery_date() = ProtoDate(today + std::chrono::days(30));
    *c->mutable_agreed_construction_start() = ProtoDate(today + std::chrono::days(120));
    *c->mutable_agreed_completion_date() = ProtoDate(today + std::chrono::days(120 + 3 * 365));
    c->mutable_agreed_investment()->set_fen(60'000'000'000);
    lv1::Installment* first = c->add_installments();
    *first->mutable_due_date() = ProtoDate(today + std::chrono::days(30));
    first->mutable_amount()->set_fen(price / 2 + price % 2);
    lv1::Installment* second = c->add_installments();
    *second->mutable_due_date() = ProtoDate(today + std::chrono::days(300));
    second->mutable_amount()->set_fen(price / 2);
    *c->mutable_document() = Doc("国有建设用地使用权出让合同");
    Status st = Call(land_.get(), &LStub::SignContract, req, &contract);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(contract.state(), lv1::CONTRACT_STATE_SIGNED);
    EXPECT_EQ(contract.price().fen(), price);
  }
  ASSERT_TRUE(flows_->Pay(contract.contract_id(), lv1::PAYMENT_KIND_DEPOSIT_CONVERTED, LandFlows::kDepositFen).ok());
  ASSERT_TRUE(
      flows_->Pay(contract.contract_id(), lv1::PAYMENT_KIND_PRICE, price / 2 + price % 2 - LandFlows::kDepositFen)
          .ok());
  {
    Status st = flows_->Pay(contract.contract_id(), lv1::PAYMENT_KIND_PRICE, price / 2);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  {
    lv1::DeliverLandRequest req;
    req.set_request_id(Rid());
    req.set_contract_id(contract.contract_id());
    *req.mutable_delivered_on() = ProtoDate(today);
    *req.mutable_handover_record() = Doc("国有建设用地交地确认书");
    Status st = Call(land_.get(), &LStub::DeliverLand, req, &contract);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(contract.state(), lv1::CONTRACT_STATE_DELIVERED);
  }
  phases_.Mark("land supply: contract signed, paid in full, land delivered");

  // ---- registration: the delivery opens the first registration
  rv1::RegistrationCase reg_case;
  {
    rv1::ListCasesRequest req;
    req.set_filter("source_reference = \"" + contract.contract_id() + "\"");
    ASSERT_TRUE(Eventually(
        [&] {
          rv1::ListCasesResponse resp;
          Status st = Call(registration_.get(), &RStub::ListCases, req, &resp);
          if (!st.ok() || resp.cases_size() != 1) return false;
          reg_case = resp.cases(0);
          return true;
        },
        90s))
        << "registration opened no case for contract " << contract.contract_id();
  }
  const std::string unit_code = b.parcel_code() + "W00000000";
  EXPECT_EQ(reg_case.kind(), rv1::REGISTRATION_KIND_FIRST);
  EXPECT_EQ(reg_case.right_kind(), rv1::RIGHT_KIND_STATE_CONSTRUCTION_LAND_USE);
  EXPECT_EQ(reg_case.channel(), rv1::SUBMISSION_CHANNEL_INTER_AGENCY);
  EXPECT_EQ(reg_case.state(), rv1::CASE_STATE_APPLIED);
  EXPECT_EQ(reg_case.region_code(), kCounty);
  EXPECT_EQ(reg_case.unit_code(), unit_code);
  ASSERT_EQ(reg_case.proposed_right().holders_size(), 1);
  EXPECT_EQ(reg_case.proposed_right().holders(0).party().name(), jia.name());
  EXPECT_EQ(reg_case.proposed_right().acquisition_basis(),
            "挂牌出让，合同 " + contract.contract_number());
  EXPECT_EQ(reg_case.proposed_right().price().fen(), price);
  phases_.Mark("registration: first-registration case opened from the delivery");
  {
    rv1::AcceptCaseRequest req;
    req.set_request_id(Rid());
    req.set_case_id(reg_case.case_id());
    req.set_comment("材料齐全，予以受理");
    Status st = Call(registration_.get(), &RStub::AcceptCase, req, &reg_case);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(reg_case.state(), rv1::CASE_STATE_ACCEPTED);
    EXPECT_TRUE(reg_case.has_due_date());
  }
  {
    rv1::ReviewCaseRequest req;
    req.set_request_id(Rid());
    req.set_case_id(reg_case.case_id());
    req.set_outcome(rv1::REVIEW_OUTCOME_APPROVED);
    req.set_opinion("权属来源清楚，出让价款已缴清，符合首次登记条件");
    Status st = Call(registration_.get(), &RStub::ReviewCase, req, &reg_case);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(reg_case.state(), rv1::CASE_STATE_REVIEWED);
  }
  {
    rv1::RecordCaseRequest req;
    req.set_request_id(Rid());
    req.set_case_id(reg_case.case_id());
    Status st = Call(registration_.get(), &RStub::RecordCase, req, &reg_case);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(reg_case.state(), rv1::CASE_STATE_RECORDED);
  }
  // 豫(<year>)洛阳市不动产权第<7 digits>号: Henan, the district's city registry, the first number.
  const std::string number = reg_case.certificate_number();
  EXPECT_TRUE(std::regex_match(number, std::regex("^豫\\([0-9]{4}\\)洛阳市不动产权第[0-9]{7}号$")))
      << number;
  EXPECT_EQ(number, "豫(" + std::to_string(year) + ")洛阳市不动产权第0000001号");
  {
    rv1::IssueCertificateRequest req;
    req.set_request_id(Rid());
    req.set_case_id(reg_case.case_id());
    req.set_delivery(rv1::CERTIFICATE_DELIVERY_ELECTRONIC);
    *req.mutable_recipient() = jia;
    Status st = Call(registration_.get(), &RStub::IssueCertificate, req, &reg_case);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(reg_case.state(), rv1::CASE_STATE_CERTIFICATE_ISSUED);
  }
  // The certificate, verified by anyone with the registry's public key.
  rv1::Certificate cert;
  {
    rv1::GetCertificateRequest req;
    req.set_certificate_number(number);
    req.mutable_reason()->set_purpose(rv1::QUERY_PURPOSE_ADMINISTRATIVE);
    req.mutable_reason()->set_legal_basis("不动产登记资料查询暂行办法 第十五条");
    Status st = Call(registration_.get(), &RStub::GetCertificate, req, &cert);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  EXPECT_EQ(cert.state(), rv1::CERTIFICATE_STATE_ISSUED);
  EXPECT_EQ(cert.unit_code(), unit_code);
  ElectronicCertificate ec;
  std::string why;
  ASSERT_TRUE(ParseCertificateUri(cert.electronic_certificate_uri(), &ec, &why)) << why;
  EXPECT_EQ(ec.algorithm, "SM2-with-SM3");
  EXPECT_TRUE(VerifySignature(platform_->registry_public_key_pem(), ec.algorithm, ec.sm2_id,
                              ec.document, ec.signature, &why))
      << why;
  {
    std::ifstream in(platform_->registry_public_key_out());
    std::stringstream published;
    published << in.rdbuf();
    EXPECT_EQ(published.str(), platform_->registry_public_key_pem())
        << "the public key the registry writes out is not the one of its signing key";
  }
  EXPECT_EQ(cert.verification_code(), Sha256HexUpper(ec.signature).substr(0, 16));
  auto doc = nlohmann::json::parse(ec.document);
  EXPECT_EQ(doc.value("certificate_number", ""), number);
  EXPECT_EQ(doc.value("unit_code", ""), unit_code);
  ASSERT_TRUE(doc.contains("holders") && doc["holders"].is_array() && !doc["holders"].empty());
  EXPECT_EQ(doc["holders"][0].value("name", ""), jia.name());
  {
    std::string tampered = ec.document;
    tampered.replace(tampered.find("0000001"), 7, "0000002");
    std::string ignored;
    EXPECT_FALSE(VerifySignature(platform_->registry_public_key_pem(), ec.algorithm, ec.sm2_id,
                                 tampered, ec.signature, &ignored))
        << "a changed certificate number still verifies";
  }
  // Anyone holding the certificate checks it by number and code, without a query reason.
  {
    rv1::GetCertificateRequest req;
    req.set_certificate_number(number);
    req.set_verification_code(cert.verification_code());
    rv1::Certificate again;
    Status st = Call(registration_.get(), &RStub::GetCertificate, req, &again);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(again.electronic_certificate_uri(), cert.electronic_certificate_uri());
  }
  std::printf("certificate %s (verification code %s) verified with the registry's public key\n",
              number.c_str(), cert.verification_code().c_str());
  phases_.Mark("registration: accepted, reviewed, recorded, certificate issued and verified");

  // ---- planning: the stock-land indicators moved with stock_land_revitalised
  const double area_ha = b.area().square_metres() / 10'000;
  pv1::Indicator monitor;
  ASSERT_TRUE(Eventually(
      [&] {
        monitor = flows_->GetIndicator(monitor_indicator);
        return monitor.has_latest_value();
      },
      90s))
      << "the monitoring indicator never received land supply's stock_land_revitalised";
  EXPECT_NEAR(monitor.latest_value(), area_ha, 1e-6 * area_ha);
  EXPECT_EQ(monitor.status(), pv1::PROGRESS_STATUS_ON_TRACK);
  std::printf("stock land revitalised (%s): %.4f 公顷 — parcel B's %.1f m²\n",
              monitor.name().c_str(), monitor.latest_value(), b.area().square_metres());
  pv1::Indicator rate;
  ASSERT_TRUE(Eventually(
      [&] {
        rate = flows_->GetIndicator(rate_indicator);
        return rate.has_latest_value();
      },
      60s));
  // Counted in the year the supply happened, within the plan's period (2021-2025).
  const double expected_rate = year <= 2025 ? 100.0 * b.area().square_metres() / kStock2025 : 0.0;
  EXPECT_NEAR(rate.latest_value(), expected_rate, 1e-6 * std::max(1.0, expected_rate));
  EXPECT_NE(rate.status(), pv1::PROGRESS_STATUS_NO_DATA);
  std::printf("%s of plan %s: %.4f %% (%s)\n", rate.name().c_str(), kPlan.c_str(),
              rate.latest_value(), pv1::ProgressStatus_Name(rate.status()).c_str());
  pv1::Indicator red_line;
  ASSERT_TRUE(Eventually(
      [&] {
        red_line = flows_->GetIndicator(red_line_indicator);
        return red_line.has_latest_value() &&
               std::fabs(red_line.latest_value() - erl_v2.total_area().square_metres() / 1e6) <
                   1e-9;
      },
      60s))
      << "red-line area " << red_line.latest_value() << " km², layer version 2 "
      << erl_v2.total_area().square_metres() / 1e6 << " km²";
  phases_.Mark("planning: indicators moved");

  // ---- the external subscriber saw every event of the flow
  const std::string prefix = platform_->topic_prefix();
  struct Expect {
    std::string type;
    std::string subject;
    size_t count;
  };
  const std::string ls = "nrp.land_supply.", pl = "nrp.planning.", rg = "nrp.registration.";
  const std::string offer_b_id = offer_b.offer_id(), contract_id = contract.contract_id();
  std::vector<Expect> expected = {
      {pl + "zone_published.v1", udb_layer, 1},
      {pl + "zone_published.v1", pbf_layer, 1},
      {pl + "zone_published.v1", erl_layer, 3},
      {pl + "zone_withdrawn.v1", erl_layer, 1},
      {pl + "layer_version_published.v1", udb_layer, 1},
      {pl + "layer_version_published.v1", pbf_layer, 1},
      {pl + "layer_version_published.v1", erl_layer, 2},
      {pl + "indicator_progress_updated.v1", monitor_indicator, 1},
      {pl + "indicator_progress_updated.v1", rate_indicator, 1},
      {pl + "indicator_progress_updated.v1", red_line_indicator, 2},
      {ls + "parcel_registered.v1", a.parcel_id(), 1},
      {ls + "parcel_registered.v1", q.parcel_id(), 1},
      {ls + "parcel_registered.v1", b.parcel_id(), 1},
      {ls + "parcel_reserved.v1", a.parcel_id(), 1},
      {ls + "parcel_reserved.v1", q.parcel_id(), 1},
      {ls + "parcel_reserved.v1", b.parcel_id(), 1},
      {ls + "parcel_cleared.v1", a.parcel_id(), 1},
      {ls + "parcel_cleared.v1", b.parcel_id(), 1},
      {ls + "approval_batch_applied.v1", batch_id, 1},
      {ls + "approval_batch_approved.v1", batch_id, 1},
      {ls + "approval_batch_expropriated.v1", batch_id, 1},
      {ls + "offer_drafted.v1", offer_a.offer_id(), 1},
      {ls + "offer_drafted.v1", offer_b_id, 1},
      {ls + "offer_published.v1", offer_b_id, 1},
      {ls + "bidder_registered.v1", offer_b_id, 2},
      {ls + "offer_bidding_opened.v1", offer_b_id, 1},
      {ls + "bid_placed.v1", offer_b_id, 5},
      {ls + "offer_awarded.v1", offer_b_id, 1},
      {ls + "contract_signed.v1", contract_id, 1},
      {ls + "stock_land_revitalised.v1", b.parcel_id(), 1},
      {ls + "payment_recorded.v1", contract_id, 3},
      {ls + "contract_fully_paid.v1", contract_id, 1},
      {ls + "land_delivered.v1", contract_id, 1},
      {rg + "case_submitted.v1", reg_case.case_id(), 1},
      {rg + "case_accepted.v1", reg_case.case_id(), 1},
      {rg + "case_reviewed.v1", reg_case.case_id(), 1},
      {rg + "case_recorded.v1", reg_case.case_id(), 1},
      {rg + "right_registered.v1", unit_code, 1},
      {rg + "certificate_issued.v1", unit_code, 1},
  };
  // Distinct events (by ce_id) of one type and subject.
  auto count_of = [&](const std::vector<KafkaRecord>& records, const std::string& type,
                      const std::string& subject) {
    std::set<std::string> ids;
    for (const auto& r : records) {
      if (r.Header("ce_type") == type && r.Header("ce_subject") == subject) {
        ids.insert(r.Header("ce_id").value_or(""));
      }
    }
    return ids.size();
  };
  bool all_seen = subscriber_->WaitUntil(
      [&](const std::vector<KafkaRecord>& records) {
        for (const auto& e : expected) {
          if (count_of(records, e.type, e.subject) < e.count) return false;
        }
        return true;
      },
      120s);
  std::vector<KafkaRecord> records = subscriber_->Records();
  for (const auto& e : expected) {
    EXPECT_GE(count_of(records, e.type, e.subject), e.count) << e.type << " " << e.subject;
  }
  ASSERT_TRUE(all_seen) << "the subscriber did not receive every event of the flow; errors: "
                        << subscriber_->Errors().size();
  phases_.Mark("subscriber: every event of the flow received");

  // Each record keeps the contract; a redelivered event is the same bytes.
  std::vector<std::string> problems;
  std::map<std::string, const KafkaRecord*> by_id;
  std::map<std::string, std::vector<std::string>> types_by_key;  // per topic/key, in offset order
  std::vector<const KafkaRecord*> ordered;
  for (const auto& r : records) ordered.push_back(&r);
  std::stable_sort(ordered.begin(), ordered.end(), [](const KafkaRecord* x, const KafkaRecord* y) {
    return std::tie(x->topic, x->partition, x->offset) <
           std::tie(y->topic, y->partition, y->offset);
  });
  std::set<std::string> services_seen;
  size_t dlq = 0;
  for (const KafkaRecord* r : ordered) {
    if (r->topic.size() > 4 && r->topic.substr(r->topic.size() - 4) == ".dlq") {
      ++dlq;
      ADD_FAILURE() << "dead-lettered on " << r->topic << ": "
                    << r->Header("nrp_dlq_reason").value_or("?") << " ("
                    << r->Header("ce_type").value_or("?") << ")";
      continue;
    }
    DecodedEvent e =
        CheckEventContract(*r, prefix, started_at_ - 5min, PlatformNow() + 5min, &problems);
    auto [it, fresh] = by_id.emplace(e.id, r);
    if (!fresh) {
      if (it->second->value != r->value || it->second->key != r->key) {
        problems.push_back("ce_id " + e.id + " was reused for a different event");
      }
      continue;
    }
    services_seen.insert(e.service);
    types_by_key[r->topic + "|" + r->key].push_back(e.type);
  }
  for (const auto& p : problems) ADD_FAILURE() << p;
  EXPECT_EQ(dlq, 0u);
  EXPECT_EQ(services_seen, (std::set<std::string>{"planning", "land_supply", "registration"}));
  std::printf("subscriber: %zu records, %zu distinct events, %zu contract problems\n",
              records.size(), by_id.size(), problems.size());

  // One aggregate's events arrive in the order they happened.
  auto order_of = [&](const std::string& topic, const std::string& key) {
    return types_by_key[prefix + topic + "|" + key];
  };
  std::vector<std::string> contract_types = order_of("nrp.land_supply.events.v1", contract_id);
  EXPECT_EQ(contract_types,
            (std::vector<std::string>{ls + "contract_signed.v1", ls + "payment_recorded.v1",
                                      ls + "payment_recorded.v1", ls + "payment_recorded.v1",
                                      ls + "contract_fully_paid.v1", ls + "land_delivered.v1"}));
  EXPECT_EQ(order_of("nrp.registration.events.v1", reg_case.case_id()),
            (std::vector<std::string>{rg + "case_submitted.v1", rg + "case_accepted.v1",
                                      rg + "case_reviewed.v1", rg + "case_recorded.v1"}));
  std::vector<std::string> offer_types = order_of("nrp.land_supply.events.v1", offer_b_id);
  ASSERT_FALSE(offer_types.empty());
  EXPECT_EQ(offer_types.front(), ls + "offer_drafted.v1");
  EXPECT_EQ(offer_types.back(), ls + "offer_awarded.v1");
  std::vector<std::string> layer_types = order_of("nrp.planning.events.v1", erl_layer);
  EXPECT_EQ(layer_types, (std::vector<std::string>{
                             pl + "zone_published.v1", pl + "zone_published.v1",
                             pl + "layer_version_published.v1", pl + "zone_published.v1",
                             pl + "zone_withdrawn.v1", pl + "layer_version_published.v1"}));
  // The delivery event carries everything registration needed, readable by anyone.
  for (const auto& [id, r] : by_id) {
    if (r->Header("ce_type") != ls + "land_delivered.v1") continue;
    lv1::LandDelivered d;
    ASSERT_TRUE(d.ParseFromString(r->value));
    EXPECT_EQ(d.parcel_code(), b.parcel_code());
    EXPECT_EQ(d.grantee().name(), jia.name());
    EXPECT_EQ(d.price().fen(), price);
    EXPECT_EQ(r->Header("ce_source"), "/nrp/land_supply/" + std::string(kCounty));
  }
  phases_.Mark("subscriber: envelope and payload of every event checked");
}

}  // namespace
}  // namespace nrp::e2e
