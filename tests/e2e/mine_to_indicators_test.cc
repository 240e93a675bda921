// The whole chain across the five services, as the agencies use it: the real binaries, reached
// only through their gRPC contracts and the Kafka topics (the test links none of their code).
//
//   mining rights  a mine entered with its restoration duty (RegisterExistingRight: a grant by
//                  competition waits out the legal 20-day notice, which its own integration test
//                  covers with an injected clock)
//   restoration    the right's fund account opened from mining rights' event; deposits
//   land supply    a batch occupying cultivated land refused: no compensation credit yet
//   mining rights  the mine closed and the right cancelled with the duty unfulfilled: it waits
//   restoration    the obligation opened from the closure; the holder's project approved, given
//                  the obligation, paid from the fund, assessed, run, completed; fake new
//                  cultivated land refused for the part in the cultivated-land layer; accepted
//                  with new cultivated land and reclaimed construction land
//   land supply    the credit and the quota booked from the acceptance; the batch approved on
//                  the credit; its parcel listed, sold, paid and delivered
//   registration   the delivery opens the first registration, recorded
//   mining rights  the fulfilled obligation completes the cancellation
//   planning       the mine count, the mine area restored, the new cultivated land and the
//                  stock land revitalised move, from these events alone
//   every service  restarted with fresh consumer groups that read every topic from its
//                  beginning: nothing changes
// It prints the commit-to-applied latency of each hop (the producer's outbox row against the
// consumer's inbox row of the same event).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <pqxx/pqxx>
#include <thread>

#include "flows.h"
#include "nrp/mining_rights/v1/mining_rights.grpc.pb.h"
#include "nrp/registration/v1/registration.grpc.pb.h"
#include "nrp/restoration/v1/restoration.grpc.pb.h"

namespace nrp::e2e {
namespace {

namespace mv1 = ::nrp::mining_rights::v1;
namespace sv1 = ::nrp::restoration::v1;
namespace rv1 = ::nrp::registration::v1;
using MStub = mv1::MiningRightsService::Stub;
using SStub = sv1::RestorationService::Stub;
using LStub = lv1::LandSupplyService::Stub;
using PStub = pv1::PlanningService::Stub;
using RStub = rv1::RegistrationService::Stub;

const char* kRegion = "410300";
const char* kCounty = "410311";  // 洛龙区

// The mine south of the central city; the cultivated-land layer covers its east half, so only
// its west half can be new cultivated land.
const std::string kMine = Box(112.5200, 34.5500, 112.5300, 34.5600);
const std::string kMineWest = Box(112.5200, 34.5500, 112.5250, 34.5600);
const std::string kMineEast = Box(112.5250, 34.5500, 112.5300, 34.5600);
const std::string kReclaimed = Box(112.5200, 34.5500, 112.5220, 34.5520);
const std::string kParcel = Box(112.4200, 34.6000, 112.4230, 34.6030);

const std::vector<ZoneSpec> kBoundary = {{"udb-luoyang-central", "洛阳中心城区城镇开发边界",
                                          cv1::ZONE_CONTROL_LEVEL_UNIFORM,
                                          Box(112.38, 34.58, 112.50, 34.66)}};
const std::vector<ZoneSpec> kFarmland = {{"pbf-luolong-east", "洛龙区东部永久基本农田保护区",
                                          cv1::ZONE_CONTROL_LEVEL_UNIFORM,
                                          Box(112.50, 34.58, 112.56, 34.64)}};
const std::vector<ZoneSpec> kRedLine = {{"erl-yiluo-wetland", "伊洛河湿地生态保护红线",
                                         cv1::ZONE_CONTROL_LEVEL_GENERAL_CONTROL,
                                         Box(112.44, 34.640, 112.46, 34.655)}};
const std::vector<ZoneSpec> kCultivated = {{"gd-luolong-south", "洛龙区南部耕地",
                                            cv1::ZONE_CONTROL_LEVEL_UNIFORM, kMineEast}};

double Scalar(const std::string& conninfo, const std::string& sql) {
  pqxx::connection c(conninfo);
  pqxx::nontransaction tx(c);
  auto r = tx.exec(sql);
  return r.empty() || r[0][0].is_null() ? 0 : r[0][0].as<double>();
}

class MineToIndicators : public ::testing::Test {
 protected:
  void SetUp() override {
    platform_ = std::make_unique<Platform>();
    std::vector<ServiceBinary> services = {
        {"planning", NRP_E2E_PLANNING_BIN, "nrp.planning.v1.PlanningService", {}},
        {"land_supply",
         NRP_E2E_LAND_SUPPLY_BIN,
         "nrp.land_supply.v1.LandSupplyService",
         {// Order 39's notice and listing periods shortened by the documented configuration, so
          // that bidding opens and closes within the test.
          {"NRP_LAND_SUPPLY_MIN_NOTICE_DAYS", "0"},
          {"NRP_LAND_SUPPLY_MIN_LISTING_DAYS", "0"},
          {"NRP_LAND_SUPPLY_SCHEDULER_INTERVAL", "250ms"}}},
        {"registration",
         NRP_E2E_REGISTRATION_BIN,
         "nrp.registration.v1.RegistrationService",
         {{"NRP_REGISTRATION_SIGNING_KEY_FILE", platform_->dir() + "/registry-signing-key.pem"},
          {"NRP_REGISTRATION_PUBLIC_KEY_OUT", platform_->registry_public_key_out()},
          {"NRP_REGISTRATION_CACHE_PREFIX", "nrp:" + platform_->topic_prefix() + "registration:"}}},
        {"mining_rights", NRP_E2E_MINING_RIGHTS_BIN, "nrp.mining_rights.v1.MiningRightsService", {}},
        {"restoration", NRP_E2E_RESTORATION_BIN, "nrp.restoration.v1.RestorationService", {}},
    };
    std::string error;
    ASSERT_TRUE(platform_->Start(std::move(services), 240s, &error)) << error;
    phases_.Mark("start 5 service binaries, health SERVING");
    Connect();
  }

  void Connect() {
    planning_ = pv1::PlanningService::NewStub(platform_->Channel("planning"));
    land_ = lv1::LandSupplyService::NewStub(platform_->Channel("land_supply"));
    registration_ = rv1::RegistrationService::NewStub(platform_->Channel("registration"));
    mining_ = mv1::MiningRightsService::NewStub(platform_->Channel("mining_rights"));
    restoration_ = sv1::RestorationService::NewStub(platform_->Channel("restoration"));
    flows_ = std::make_unique<LandFlows>(planning_.get(), land_.get(), kRegion, kCounty);
  }

  void TearDown() override {
    if (HasFailure() && platform_) {
      std::printf("service logs (last lines):\n%s", platform_->LogTails(40).c_str());
    }
    if (platform_) {
      for (const auto& [name, how] : platform_->Stop()) {
        EXPECT_EQ(how, "exit 0") << name << " did not stop cleanly on SIGTERM";
      }
    }
    phases_.Mark("stop the services (SIGTERM, drain)");
    phases_.Print();
    platform_.reset();
  }

  // An indicator of the monitoring plan, created with `metric`.
  std::string Indicator(const std::string& plan_id, const std::string& code,
                        const std::string& name, const std::string& unit,
                        pv1::ComputedMetric metric) {
    pv1::CreateIndicatorRequest req;
    req.set_request_id(Rid());
    pv1::Indicator* i = req.mutable_indicator();
    i->set_plan_id(plan_id);
    i->set_code(code);
    i->set_name(name);
    i->set_category("端到端监测");
    i->set_unit(unit);
    i->set_base_value(0);
    i->mutable_target()->set_comparator(pv1::TARGET_COMPARATOR_AT_LEAST);
    i->mutable_target()->set_value(1);
    i->mutable_target()->set_text("≥1");
    i->set_nature(pv1::INDICATOR_NATURE_EXPECTED);
    i->set_metric(metric);
    pv1::Indicator out;
    Status st = Call(planning_.get(), &PStub::CreateIndicator, req, &out);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return out.indicator_id();
  }

  double Value(const std::string& indicator_id) {
    return flows_->GetIndicator(indicator_id).latest_value();
  }

  // What the flow left, read through the contracts: compared before and after the replay.
  std::map<std::string, std::string> Snapshot(const std::string& right_id,
                                              const std::string& project_id,
                                              const std::string& batch_id,
                                              const std::string& contract_id,
                                              const std::vector<std::string>& indicators) {
    std::map<std::string, std::string> s;
    {
      mv1::GetRightRequest req;
      req.set_right_id(right_id);
      mv1::MiningRight r;
      EXPECT_TRUE(Call(mining_.get(), &MStub::GetRight, req, &r).ok());
      s["right"] = mv1::MiningRightState_Name(r.state()) + " pending=" +
                   std::to_string(r.restoration_pending()) +
                   " fund=" + std::to_string(r.restoration_fund_balance().fen());
    }
    {
      sv1::GetFundAccountRequest req;
      req.set_mining_right_id(right_id);
      sv1::FundAccount a;
      EXPECT_TRUE(Call(restoration_.get(), &SStub::GetFundAccount, req, &a).ok());
      s["fund"] = std::to_string(a.balance().fen()) + "/" + std::to_string(a.entry_count());
      sv1::ListFundAccountsRequest list;
      sv1::ListFundAccountsResponse all;
      EXPECT_TRUE(Call(restoration_.get(), &SStub::ListFundAccounts, list, &all).ok());
      s["fund accounts"] = std::to_string(all.accounts_size());
    }
    {
      sv1::ListObligationsRequest req;
      req.set_page_size(100);
      sv1::ListObligationsResponse resp;
      EXPECT_TRUE(Call(restoration_.get(), &SStub::ListObligations, req, &resp).ok());
      std::string all;
      for (const auto& o : resp.obligations()) {
        all += o.obligation_id() + ":" + sv1::ObligationState_Name(o.state()) + " ";
      }
      s["obligations"] = all;
      sv1::GetProjectRequest get;
      get.set_project_id(project_id);
      sv1::Project p;
      EXPECT_TRUE(Call(restoration_.get(), &SStub::GetProject, get, &p).ok());
      s["project"] = sv1::ProjectState_Name(p.state());
    }
    {
      lv1::ListCompensationCreditsRequest req;
      lv1::ListCompensationCreditsResponse resp;
      EXPECT_TRUE(Call(land_.get(), &LStub::ListCompensationCredits, req, &resp).ok());
      std::string all;
      for (const auto& c : resp.credits()) {
        all += c.credit_id() + ":" + std::to_string(c.remaining_area().square_metres()) + " ";
      }
      s["credits"] = all;
      lv1::ListLinkageQuotasRequest qreq;
      lv1::ListLinkageQuotasResponse quotas;
      EXPECT_TRUE(Call(land_.get(), &LStub::ListLinkageQuotas, qreq, &quotas).ok());
      s["quotas"] = std::to_string(quotas.quotas_size());
      lv1::GetApprovalBatchRequest breq;
      breq.set_batch_id(batch_id);
      lv1::ApprovalBatch b;
      EXPECT_TRUE(Call(land_.get(), &LStub::GetApprovalBatch, breq, &b).ok());
      s["batch"] = lv1::BatchState_Name(b.state());
    }
    {
      rv1::ListCasesRequest req;
      req.set_filter("source_reference = \"" + contract_id + "\"");
      rv1::ListCasesResponse resp;
      EXPECT_TRUE(Call(registration_.get(), &RStub::ListCases, req, &resp).ok());
      std::string all;
      for (const auto& c : resp.cases()) {
        all += rv1::CaseState_Name(c.state()) + " " + c.certificate_number() + " ";
      }
      s["registration cases"] = all;
    }
    for (const auto& id : indicators) s["indicator " + id] = std::to_string(Value(id));
    return s;
  }

  // Commit-to-applied latency of every hop: each consumer's inbox rows against the producer's
  // outbox rows of the same events, by event type.
  void PrintLatencies() {
    const std::vector<std::string> services = {"planning", "land_supply", "registration",
                                               "mining_rights", "restoration"};
    std::map<std::string, std::pair<std::string, double>> committed;  // event → (type, epoch s)
    std::map<std::string, std::string> producer_of;
    for (const auto& p : services) {
      pqxx::connection c(platform_->Conninfo(p));
      pqxx::nontransaction tx(c);
      for (const auto& r : tx.exec("SELECT event_id::text, ce_type, "
                                   "extract(epoch FROM created_at) FROM outbox")) {
        committed[r[0].c_str()] = {r[1].c_str(), r[2].as<double>()};
        producer_of[r[0].c_str()] = p;
      }
    }
    std::map<std::string, std::vector<double>> hops;  // "producer → consumer type"
    for (const auto& consumer : services) {
      pqxx::connection c(platform_->Conninfo(consumer));
      pqxx::nontransaction tx(c);
      for (const auto& r : tx.exec("SELECT event_id::text, extract(epoch FROM received_at) "
                                   "FROM inbox WHERE consumer = '" +
                                   platform_->topic_prefix() + consumer + "'")) {
        auto it = committed.find(r[0].c_str());
        if (it == committed.end()) continue;  // produced by the test itself
        const std::string hop =
            producer_of[r[0].c_str()] + " → " + consumer + "  " + it->second.first;
        hops[hop].push_back(1000.0 * (r[1].as<double>() - it->second.second));
      }
    }
    std::printf("commit-to-applied latency per hop (ms: events, median, max):\n");
    for (auto& [hop, ms] : hops) {
      std::sort(ms.begin(), ms.end());
      std::printf("  %-86s %3zu %8.1f %8.1f\n", hop.c_str(), ms.size(), ms[ms.size() / 2],
                  ms.back());
    }
    std::fflush(stdout);
  }

  Phases phases_;
  std::unique_ptr<Platform> platform_;
  std::unique_ptr<PStub> planning_;
  std::unique_ptr<LStub> land_;
  std::unique_ptr<RStub> registration_;
  std::unique_ptr<MStub> mining_;
  std::unique_ptr<SStub> restoration_;
  std::unique_ptr<LandFlows> flows_;
};

TEST_F(MineToIndicators, AClosedMinesRestorationFeedsTheLandSupplyAndTheIndicatorsOnce) {
  const auto today = TodayInChina();
  const int year = static_cast<int>(std::chrono::year_month_day(today).year());

  // ---- planning: a monitoring plan of the current five-year period and the zones
  std::string mines, restored, cultivated, stock;
  {
    const int start = year - (year - 2021) % 5;
    pv1::CreatePlanRequest req;
    req.set_request_id(Rid());
    pv1::Plan* p = req.mutable_plan();
    p->set_name("洛阳市矿山与耕地监测（端到端测试）");
    p->set_region_code(kRegion);
    p->set_period_start_year(start);
    p->set_period_end_year(start + 4);
    p->set_base_year(start - 1);
    pv1::Plan plan;
    Status st = Call(planning_.get(), &PStub::CreatePlan, req, &plan);
    ASSERT_TRUE(st.ok()) << Describe(st);
    mines = Indicator(plan.plan_id(), "e2e-mines", "固体矿山总数", "个",
                      pv1::COMPUTED_METRIC_SOLID_MINERAL_MINE_COUNT);
    restored = Indicator(plan.plan_id(), "e2e-mine-restored", "矿山生态修复面积", "公顷",
                         pv1::COMPUTED_METRIC_MINE_AREA_RESTORED);
    cultivated = Indicator(plan.plan_id(), "e2e-new-cultivated", "新增耕地面积", "公顷",
                           pv1::COMPUTED_METRIC_NEW_CULTIVATED_LAND_AREA);
    stock = Indicator(plan.plan_id(), "e2e-stock", "盘活存量建设用地面积", "公顷",
                      pv1::COMPUTED_METRIC_STOCK_LAND_REVITALISED_AREA);
    pv1::ApprovePlanRequest approve;
    approve.set_request_id(Rid());
    approve.set_plan_id(plan.plan_id());
    *approve.mutable_document() = Doc("洛阳市矿山与耕地监测方案");
    st = Call(planning_.get(), &PStub::ApprovePlan, approve, &plan);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  std::string udb, pbf, erl, gd;
  flows_->PublishLayer(cv1::ZONE_LAYER_KIND_URBAN_DEVELOPMENT_BOUNDARY, "洛阳市城镇开发边界",
                       kBoundary, "城镇开发边界划定成果", &udb);
  flows_->PublishLayer(cv1::ZONE_LAYER_KIND_PERMANENT_BASIC_FARMLAND, "洛阳市永久基本农田",
                       kFarmland, "永久基本农田划定成果", &pbf);
  flows_->PublishLayer(cv1::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE, "洛阳市生态保护红线", kRedLine,
                       "生态保护红线划定成果", &erl);
  flows_->PublishLayer(cv1::ZONE_LAYER_KIND_CULTIVATED_LAND, "洛阳市耕地", kCultivated,
                       "国土变更调查耕地", &gd);
  ASSERT_FALSE(HasFatalFailure());
  phases_.Mark("planning: monitoring plan, four layers published");

  // ---- mining rights: the mine, with its restoration duty
  const cv1::Party holder = Company("洛阳某矿业有限公司", 2201, "赵矿");
  mv1::MiningRight right;
  {
    mv1::RegisterExistingRightRequest req;
    req.set_request_id(Rid());
    mv1::MiningRight* r = req.mutable_right();
    r->set_licence_number("C4103112020000000000091");
    r->set_kind(mv1::MINING_RIGHT_KIND_MINING);
    r->set_region_code(kCounty);
    *r->mutable_holder() = holder;
    r->set_project_name("洛龙区某金矿");
    r->mutable_main_mineral()->set_code("20700");
    *r->mutable_geometry() = Wkt(kMine);
    r->set_mining_method(mv1::MINING_METHOD_UNDERGROUND);
    r->mutable_production_scale()->set_annual_output(60'000);
    r->mutable_production_scale()->set_unit(mv1::OUTPUT_UNIT_TONNES_PER_YEAR);
    r->set_scale_class(mv1::SCALE_CLASS_MEDIUM);
    r->set_deposit_scale(mv1::SCALE_CLASS_MEDIUM);
    *r->mutable_valid_from() = ProtoDate(today - std::chrono::days(5 * 365));
    *r->mutable_valid_to() = ProtoDate(today + std::chrono::days(10 * 365));
    r->set_grant_method(mv1::GRANT_METHOD_LISTING);
    r->mutable_restoration_duty()->set_plan_summary("矿山地质环境保护与土地复垦方案");
    r->mutable_restoration_duty()->mutable_estimated_cost()->set_fen(400'000'000);
    r->mutable_restoration_duty()->mutable_damaged_area()->set_square_metres(900'000);
    Status st = Call(mining_.get(), &MStub::RegisterExistingRight, req, &right);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(right.state(), mv1::MINING_RIGHT_STATE_VALID);
  }
  ASSERT_TRUE(Eventually([&] { return Value(mines) == 1; }, 60s)) << "planning never counted it";
  // Restoration opened the right's fund from the registration event.
  sv1::FundAccount account;
  ASSERT_TRUE(Eventually(
      [&] {
        sv1::GetFundAccountRequest req;
        req.set_mining_right_id(right.right_id());
        return Call(restoration_.get(), &SStub::GetFundAccount, req, &account).ok();
      },
      60s))
      << "restoration opened no fund account for " << right.licence_number();
  EXPECT_EQ(account.account_id(), right.restoration_duty().fund_account());
  for (int64_t fen : {250'000'000, 150'000'000}) {
    sv1::DepositToFundRequest req;
    req.set_request_id(Rid());
    req.set_account_id(account.account_id());
    req.mutable_amount()->set_fen(fen);
    *req.mutable_booked_on() = ProtoDate(today);
    *req.mutable_receipt() = Doc("矿山地质环境治理恢复基金缴存凭证");
    sv1::FundEntry e;
    Status st = Call(restoration_.get(), &SStub::DepositToFund, req, &e);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  phases_.Mark("mining rights → restoration: the right, its fund, two deposits");

  // ---- land supply: a batch occupying cultivated land, refused without a credit
  lv1::Parcel parcel = flows_->CreateParcel("410311003001GB00201", "洛龙区 LLQ-E2E-201 号地块", kParcel);
  const double occupied = 0.3 * parcel.area().square_metres();
  lv1::ApprovalBatch batch;
  {
    lv1::CreateApprovalBatchRequest req;
    req.set_request_id(Rid());
    lv1::ApprovalBatch* b = req.mutable_batch();
    // In the county: a credit serves batches of the region it was earned in.
    b->set_region_code(kCounty);
    b->set_name("洛龙区" + std::to_string(year) + "年度第9批次城镇建设用地");
    b->set_year(year);
    b->add_parcel_ids(parcel.parcel_id());
    b->mutable_total_area()->set_square_metres(parcel.area().square_metres());
    b->mutable_agricultural_land_area()->set_square_metres(0.4 * parcel.area().square_metres());
    b->mutable_cultivated_land_area()->set_square_metres(occupied);
    b->set_cultivated_quality_grade(6);
    b->mutable_plan_quota_area()->set_square_metres(0.4 * parcel.area().square_metres());
    Status st = Call(land_.get(), &LStub::CreateApprovalBatch, req, &batch);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  auto approve_batch = [&](const std::string& credit_id) {
    lv1::ApproveBatchRequest req;
    req.set_request_id(Rid());
    req.set_batch_id(batch.batch_id());
    req.set_authority(lv1::APPROVAL_AUTHORITY_PROVINCE);
    *req.mutable_approval() = Doc("关于洛阳市城镇建设用地的批复", "豫政土〔2026〕201号", "河南省人民政府");
    if (!credit_id.empty()) {
      auto* a = req.add_allocations();
      a->set_ledger(lv1::LEDGER_KIND_FARMLAND_COMPENSATION);
      a->set_account_id(credit_id);
      a->mutable_area()->set_square_metres(occupied);
    }
    return Call(land_.get(), &LStub::ApproveBatch, req, &batch);
  };
  {
    Status st = approve_batch("");
    ASSERT_FALSE(st.ok()) << "a batch occupying cultivated land was approved without a credit";
    EXPECT_EQ(st.error().reason(), "COMPENSATION_AREA_SHORT") << Describe(st);
  }
  phases_.Mark("land supply: the batch refused, no compensation credit");

  // ---- mining rights: closed and cancelled with the duty unfulfilled
  {
    mv1::CloseMineRequest req;
    req.set_request_id(Rid());
    req.set_right_id(right.right_id());
    *req.mutable_closed_on() = ProtoDate(today);
    *req.mutable_closure_report() = Doc("闭坑地质报告");
    req.set_restoration_duty_fulfilled(false);
    mv1::MiningRight out;
    Status st = Call(mining_.get(), &MStub::CloseMine, req, &out);
    ASSERT_TRUE(st.ok()) << Describe(st);
    mv1::CancelRightRequest cancel;
    cancel.set_request_id(Rid());
    cancel.set_right_id(right.right_id());
    cancel.set_reason(mv1::CANCELLATION_REASON_HOLDER_APPLICATION);
    *cancel.mutable_decision() = Doc("采矿权注销申请");
    cancel.set_restoration_duty_fulfilled(false);
    st = Call(mining_.get(), &MStub::CancelRight, cancel, &out);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(out.state(), mv1::MINING_RIGHT_STATE_CLOSED);
    EXPECT_TRUE(out.restoration_pending());
  }
  sv1::Obligation obligation;
  ASSERT_TRUE(Eventually(
      [&] {
        sv1::ListObligationsRequest req;
        req.set_filter("mining_right_id = \"" + right.right_id() + "\"");
        sv1::ListObligationsResponse resp;
        if (!Call(restoration_.get(), &SStub::ListObligations, req, &resp).ok()) return false;
        if (resp.obligations_size() != 1) return false;
        obligation = resp.obligations(0);
        return true;
      },
      60s))
      << "restoration opened no obligation from the closure";
  EXPECT_EQ(obligation.state(), sv1::OBLIGATION_STATE_DUE);
  EXPECT_EQ(obligation.origin(), sv1::OBLIGATION_ORIGIN_MINE_CLOSURE);
  ASSERT_TRUE(Eventually([&] { return Value(mines) == 0; }, 60s)) << "the closed mine is counted";
  phases_.Mark("mining rights → restoration: closed, cancellation waiting, obligation due");

  // ---- restoration: the holder's project, from the library to acceptance
  sv1::Project project;
  {
    sv1::ProposeProjectRequest req;
    req.set_request_id(Rid());
    sv1::Project* p = req.mutable_project();
    p->set_region_code(kCounty);
    p->set_name("洛龙区某金矿闭坑生态修复项目");
    p->set_kind(sv1::PROJECT_KIND_MINE_HOLDER_RESTORATION);
    *p->mutable_geometry() = Wkt(kMine);
    p->mutable_planned_area()->set_square_metres(900'000);
    p->add_measures(sv1::RESTORATION_MEASURE_LANDFORM_RESHAPING);
    p->add_measures(sv1::RESTORATION_MEASURE_RECLAMATION);
    p->set_responsibility(sv1::RESPONSIBILITY_MINE_HOLDER);
    *p->mutable_responsible_party() = holder;
    p->set_mining_right_id(right.right_id());
    Status st = Call(restoration_.get(), &SStub::ProposeProject, req, &project);
    ASSERT_TRUE(st.ok()) << Describe(st);
    sv1::ApproveProjectRequest approve;
    approve.set_request_id(Rid());
    approve.set_project_id(project.project_id());
    approve.mutable_budget()->set_fen(400'000'000);
    *approve.mutable_approval() = Doc("项目立项批复", "洛自然资〔2026〕31号");
    st = Call(restoration_.get(), &SStub::ApproveProject, approve, &project);
    ASSERT_TRUE(st.ok()) << Describe(st);
    sv1::AssignObligationProjectRequest assign;
    assign.set_request_id(Rid());
    assign.set_obligation_id(obligation.obligation_id());
    assign.set_project_id(project.project_id());
    st = Call(restoration_.get(), &SStub::AssignObligationProject, assign, &obligation);
    ASSERT_TRUE(st.ok()) << Describe(st);
    sv1::WithdrawFromFundRequest draw;
    draw.set_request_id(Rid());
    draw.set_account_id(account.account_id());
    draw.set_project_id(project.project_id());
    draw.mutable_amount()->set_fen(400'000'001);
    *draw.mutable_booked_on() = ProtoDate(today);
    *draw.mutable_voucher() = Doc("基金使用凭证");
    sv1::FundEntry entry;
    st = Call(restoration_.get(), &SStub::WithdrawFromFund, draw, &entry);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().reason(), "FUND_INSUFFICIENT") << Describe(st);
    draw.set_request_id(Rid());
    draw.mutable_amount()->set_fen(400'000'000);
    st = Call(restoration_.get(), &SStub::WithdrawFromFund, draw, &entry);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(entry.balance_after().fen(), 0);
    sv1::AssessProjectRiskRequest risk;
    risk.set_request_id(Rid());
    risk.set_project_id(project.project_id());
    risk.mutable_assessment()->set_level(sv1::RISK_LEVEL_LOW);
    *risk.mutable_assessment()->mutable_report() = Doc("风险评估报告");
    st = Call(restoration_.get(), &SStub::AssessProjectRisk, risk, &project);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(project.state(), sv1::PROJECT_STATE_FUNDED);
    sv1::StartProjectRequest start;
    start.set_request_id(Rid());
    start.set_project_id(project.project_id());
    *start.mutable_started_on() = ProtoDate(today);
    st = Call(restoration_.get(), &SStub::StartProject, start, &project);
    ASSERT_TRUE(st.ok()) << Describe(st);
    sv1::ReportProgressRequest progress;
    progress.set_request_id(Rid());
    progress.mutable_report()->set_project_id(project.project_id());
    *progress.mutable_report()->mutable_reported_on() = ProtoDate(today);
    progress.mutable_report()->set_percent_complete(100);
    progress.mutable_report()->mutable_restored_area_to_date()->set_square_metres(900'000);
    progress.mutable_report()->set_description("削坡、覆土、复垦");
    sv1::ProgressReport report;
    st = Call(restoration_.get(), &SStub::ReportProgress, progress, &report);
    ASSERT_TRUE(st.ok()) << Describe(st);
    sv1::CompleteProjectRequest complete;
    complete.set_request_id(Rid());
    complete.set_project_id(project.project_id());
    *complete.mutable_completed_on() = ProtoDate(today);
    *complete.mutable_report() = Doc("竣工报告");
    st = Call(restoration_.get(), &SStub::CompleteProject, complete, &project);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  // The area of a WKT polygon on the ellipsoid, as restoration's PostGIS measures it.
  auto area = [&](const std::string& wkt) {
    return Scalar(platform_->Conninfo("restoration"),
                  "SELECT ST_Area(geography(ST_GeomFromText('" + wkt + "', 4490)))");
  };
  auto acceptance = [&](const std::string& new_land) {
    sv1::RecordAcceptanceRequest req;
    req.set_request_id(Rid());
    req.set_project_id(project.project_id());
    sv1::AcceptanceResult* a = req.mutable_result();
    a->set_outcome(sv1::ACCEPTANCE_OUTCOME_PASSED);
    *a->mutable_accepted_on() = ProtoDate(today);
    a->mutable_total_restored_area()->set_square_metres(900'000);
    auto* n = a->mutable_new_cultivated_land();
    n->mutable_area()->set_square_metres(area(new_land));
    n->set_quality_grade(5);
    *n->mutable_geometry() = Wkt(new_land);
    a->mutable_reclaimed_construction_land()->set_square_metres(area(kReclaimed));
    *a->mutable_reclaimed_construction_geometry() = Wkt(kReclaimed);
    a->set_accepted_by("洛阳市自然资源和规划局");
    *a->mutable_report() = Doc("验收报告");
    return req;
  };
  {
    // The whole block claimed new: its east half is cultivated land already (虚增耕地).
    auto fake = acceptance(kMine);
    fake.mutable_result()->mutable_total_restored_area()->set_square_metres(area(kMine));
    Status st = Error::Unavailable("not tried");
    ASSERT_TRUE(Eventually(
        [&] {
          st = Call(restoration_.get(), &SStub::RecordAcceptance, fake, &project);
          fake.set_request_id(Rid());
          return !st.ok() && st.error().reason() == "NEW_CULTIVATED_LAND_NOT_NEW";
        },
        60s))
        << "the fake new cultivated land was not refused: " << Describe(st);
    EXPECT_NE(st.error().message().find("gd-luolong-south"), std::string::npos) << Describe(st);
    auto good = acceptance(kMineWest);
    st = Call(restoration_.get(), &SStub::RecordAcceptance, good, &project);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(project.state(), sv1::PROJECT_STATE_ACCEPTED);
  }
  phases_.Mark("restoration: project approved, funded from the fund, run, accepted");

  // ---- land supply: the credit booked; the batch approved on it; the parcel sold and delivered
  lv1::CompensationCredit credit;
  ASSERT_TRUE(Eventually(
      [&] {
        lv1::ListCompensationCreditsRequest req;
        lv1::ListCompensationCreditsResponse resp;
        if (!Call(land_.get(), &LStub::ListCompensationCredits, req, &resp).ok()) return false;
        for (const auto& c : resp.credits()) {
          if (c.source_project_id() == project.project_id()) credit = c;
        }
        return !credit.credit_id().empty();
      },
      60s))
      << "land supply booked no credit from the acceptance";
  EXPECT_NEAR(credit.area().square_metres(), area(kMineWest), 1);
  {
    lv1::ListLinkageQuotasRequest req;
    lv1::ListLinkageQuotasResponse resp;
    ASSERT_TRUE(Call(land_.get(), &LStub::ListLinkageQuotas, req, &resp).ok());
    ASSERT_EQ(resp.quotas_size(), 1);
    EXPECT_NEAR(resp.quotas(0).area().square_metres(), area(kReclaimed), 1);
  }
  {
    Status st = approve_batch(credit.credit_id());
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(batch.state(), lv1::BATCH_STATE_APPROVED);
    lv1::RecordBatchExpropriationRequest req;
    req.set_request_id(Rid());
    req.set_batch_id(batch.batch_id());
    *req.add_documents() = Doc("征收土地公告", "洛政征〔2026〕19号", "洛阳市人民政府");
    st = Call(land_.get(), &LStub::RecordBatchExpropriation, req, &batch);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  {
    Status st = Error::Unavailable("not tried");
    ASSERT_TRUE(Eventually(
        [&] {
          st = flows_->Reserve(parcel.parcel_id(), &parcel);
          return st.ok() || st.error().reason() != "ZONE_LAYER_MISSING";
        },
        90s));
    ASSERT_TRUE(st.ok()) << Describe(st);
    flows_->Clear(parcel.parcel_id());
  }
  phases_.Mark("land supply: credit and quota booked, batch approved on the credit");
  const Clock::time_point bidding_start = PlatformNow() + 10s;
  const Clock::time_point bidding_end = bidding_start + 20s;
  lv1::SupplyOffer offer = flows_->DraftListing(parcel, bidding_start, bidding_end);
  {
    Status st = flows_->PublishOffer(offer.offer_id(), &offer);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  const cv1::Party buyer = Company("洛阳丙置业有限公司", 2202, "钱丙");
  std::string number;
  {
    lv1::RegisterBidderRequest req;
    req.set_request_id(Rid());
    req.set_offer_id(offer.offer_id());
    *req.mutable_bidder() = buyer;
    req.mutable_deposit_paid()->set_fen(LandFlows::kDepositFen);
    *req.mutable_deposit_receipt() = Doc("竞买保证金缴款凭证");
    lv1::BidderRegistration out;
    Status st = Call(land_.get(), &LStub::RegisterBidder, req, &out);
    ASSERT_TRUE(st.ok()) << Describe(st);
    number = out.bidder_number();
  }
  std::this_thread::sleep_for(bidding_start + 500ms - PlatformNow());
  ASSERT_TRUE(flows_->Bid(offer.offer_id(), number, LandFlows::kReserveFen).ok());
  lv1::SupplyOffer closed;
  ASSERT_TRUE(Eventually(
      [&] {
        closed = flows_->GetOffer(offer.offer_id());
        return closed.state() == lv1::OFFER_STATE_AWARDED;
      },
      std::chrono::duration_cast<std::chrono::milliseconds>(bidding_end - PlatformNow()) + 60s))
      << closed.DebugString();
  const int64_t price = closed.result().price().fen();
  lv1::GrantContract contract;
  {
    lv1::SignContractRequest req;
    req.set_request_id(Rid());
    lv1::GrantContract* c = req.mutable_contract();
    c->set_offer_id(offer.offer_id());
    c->set_contract_number("410300-" + std::to_string(year) + "-E2E-201");
    c->set_grantor("洛阳市自然资源和规划局");
    *c->mutable_agreed_delivery_date() = ProtoDate(today + std::chrono::days(30));
    *c->mutable_agreed_construction_start() = ProtoDate(today + std::chrono::days(120));
    *c->mutable_agreed_completion_date() = ProtoDate(today + std::chrono::days(120 + 3 * 365));
    c->mutable_agreed_investment()->set_fen(60'000'000'000);
    lv1::Installment* all = c->add_installments();
    *all->mutable_due_date() = ProtoDate(today + std::chrono::days(30));
    all->mutable_amount()->set_fen(price);
    *c->mutable_document() = Doc("国有建设用地使用权出让合同");
    Status st = Call(land_.get(), &LStub::SignContract, req, &contract);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  ASSERT_TRUE(
      flows_->Pay(contract.contract_id(), lv1::PAYMENT_KIND_DEPOSIT_CONVERTED, LandFlows::kDepositFen)
          .ok());
  ASSERT_TRUE(
      flows_->Pay(contract.contract_id(), lv1::PAYMENT_KIND_PRICE, price - LandFlows::kDepositFen)
          .ok());
  {
    lv1::DeliverLandRequest req;
    req.set_request_id(Rid());
    req.set_contract_id(contract.contract_id());
    *req.mutable_delivered_on() = ProtoDate(today);
    *req.mutable_handover_record() = Doc("国有建设用地交地确认书");
    Status st = Call(land_.get(), &LStub::DeliverLand, req, &contract);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  phases_.Mark("land supply: listed, sold, paid, delivered");

  // ---- registration: the first registration from the delivery
  rv1::RegistrationCase reg_case;
  {
    rv1::ListCasesRequest req;
    req.set_filter("source_reference = \"" + contract.contract_id() + "\"");
    ASSERT_TRUE(Eventually(
        [&] {
          rv1::ListCasesResponse resp;
          if (!Call(registration_.get(), &RStub::ListCases, req, &resp).ok()) return false;
          if (resp.cases_size() != 1) return false;
          reg_case = resp.cases(0);
          return true;
        },
        90s))
        << "registration opened no case for the delivery";
    rv1::AcceptCaseRequest accept;
    accept.set_request_id(Rid());
    accept.set_case_id(reg_case.case_id());
    ASSERT_TRUE(Call(registration_.get(), &RStub::AcceptCase, accept, &reg_case).ok());
    rv1::ReviewCaseRequest review;
    review.set_request_id(Rid());
    review.set_case_id(reg_case.case_id());
    review.set_outcome(rv1::REVIEW_OUTCOME_APPROVED);
    review.set_opinion("权属来源清楚，出让价款已缴清");
    ASSERT_TRUE(Call(registration_.get(), &RStub::ReviewCase, review, &reg_case).ok());
    rv1::RecordCaseRequest record;
    record.set_request_id(Rid());
    record.set_case_id(reg_case.case_id());
    Status st = Call(registration_.get(), &RStub::RecordCase, record, &reg_case);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(reg_case.state(), rv1::CASE_STATE_RECORDED);
    EXPECT_FALSE(reg_case.certificate_number().empty());
  }
  phases_.Mark("registration: first registration recorded");

  // ---- mining rights: the fulfilled obligation completed the cancellation
  ASSERT_TRUE(Eventually(
      [&] {
        mv1::GetRightRequest req;
        req.set_right_id(right.right_id());
        mv1::MiningRight r;
        return Call(mining_.get(), &MStub::GetRight, req, &r).ok() &&
               r.state() == mv1::MINING_RIGHT_STATE_CANCELLED && !r.restoration_pending();
      },
      60s))
      << "the cancellation never completed";
  // ---- planning: the indicators moved
  ASSERT_TRUE(Eventually([&] { return Value(cultivated) > 0 && Value(restored) > 0; }, 60s));
  EXPECT_NEAR(Value(restored), 90, 1e-6) << "900 000 m² in 公顷";
  EXPECT_NEAR(Value(cultivated), area(kMineWest) / 10'000, 1e-3);
  ASSERT_TRUE(Eventually([&] { return Value(stock) > 0; }, 60s)) << "stock land did not move";
  EXPECT_EQ(Value(mines), 0);
  phases_.Mark("mining rights and planning: cancellation completed, indicators moved");

  PrintLatencies();
  const std::vector<std::string> indicators = {mines, restored, cultivated, stock};
  const auto before = Snapshot(right.right_id(), project.project_id(), batch.batch_id(),
                               contract.contract_id(), indicators);

  // ---- every topic replayed from its beginning into fresh consumers
  std::map<std::string, int> applied_before;
  const std::vector<std::string> consumers = {"planning", "land_supply", "registration",
                                              "mining_rights", "restoration"};
  for (const auto& s : consumers) {
    applied_before[s] = static_cast<int>(
        Scalar(platform_->Conninfo(s), "SELECT count(*) FROM inbox WHERE consumer = '" +
                                           platform_->topic_prefix() + s + "'"));
  }
  std::string error;
  for (const auto& [name, how] : platform_->Restart(
           {{"NRP_CONSUMER_GROUP", platform_->topic_prefix() + "replay-{service}"}}, 240s,
           &error)) {
    EXPECT_EQ(how, "exit 0") << name << " did not stop cleanly on SIGTERM";
  }
  ASSERT_TRUE(error.empty()) << error;
  Connect();
  for (const auto& s : consumers) {
    const std::string group = platform_->topic_prefix() + "replay-" + s;
    ASSERT_TRUE(Eventually(
        [&] {
          return Scalar(platform_->Conninfo(s),
                        "SELECT count(*) FROM inbox WHERE consumer = '" + group + "'") >=
                 applied_before[s];
        },
        120s))
        << s << " did not read its topics again from the beginning";
  }
  const auto after = Snapshot(right.right_id(), project.project_id(), batch.batch_id(),
                              contract.contract_id(), indicators);
  EXPECT_EQ(before, after);
  for (const auto& s : consumers) {
    EXPECT_EQ(Scalar(platform_->Conninfo(s), "SELECT count(*) FROM inbox WHERE status = "
                                             "'dead_lettered'"),
              0)
        << s << " dead-lettered an event";
  }
  phases_.Mark("replay of every topic into fresh consumers: nothing changed");
}

}  // namespace
}  // namespace nrp::e2e
