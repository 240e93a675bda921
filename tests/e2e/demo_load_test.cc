// The demo province (tools/demo) loaded into the real service binaries, as
// deploy/local/up does it, and loaded a second time: the first run tells every
// story of the data set (land, registration and mines), the second changes nothing.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "nrp/core/calendar.h"
#include "nrp/land_supply/v1/land_supply.grpc.pb.h"
#include "nrp/mining_rights/v1/mining_rights.grpc.pb.h"
#include "nrp/planning/v1/planning.grpc.pb.h"
#include "nrp/registration/v1/registration.grpc.pb.h"
#include "nrp/rpc/errors.h"
#include "platform.h"

namespace nrp::e2e {
namespace {

using namespace std::chrono_literals;
namespace lv1 = ::nrp::land_supply::v1;
namespace mv1 = ::nrp::mining_rights::v1;
namespace pv1 = ::nrp::planning::v1;
namespace rv1 = ::nrp::registration::v1;

template <class Stub, class Req, class Resp>
Status Call(Stub* stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
            const Req& req, Resp* resp) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 60s);
  return rpc::FromGrpcStatus((stub->*method)(&ctx, req, resp));
}

std::map<std::string, std::string> WithClock(std::map<std::string, std::string> env) {
  for (const auto& [k, v] : ClockEnvironment()) env[k] = v;
  return env;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The platform's China date (the day the loader places the mines' validity around).
Date PlatformToday() {
  return Date::FromSysDays(std::chrono::floor<std::chrono::days>(PlatformNow() + 8h));
}

Date DateOf(const nrp::common::v1::Date& d) {
  return Date(d.year(), static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

class DemoLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    platform_ = std::make_unique<Platform>(std::vector<std::string>{"41", "22", "64", "14"});
    // The local stack's configuration (deploy/local/up).
    std::vector<ServiceBinary> services = {
        {"planning", NRP_E2E_PLANNING_BIN, "nrp.planning.v1.PlanningService", {}},
        {"land_supply",
         NRP_E2E_LAND_SUPPLY_BIN,
         "nrp.land_supply.v1.LandSupplyService",
         {{"NRP_LAND_SUPPLY_MIN_NOTICE_DAYS", "0"}, {"NRP_LAND_SUPPLY_MIN_LISTING_DAYS", "0"}}},
        {"registration",
         NRP_E2E_REGISTRATION_BIN,
         "nrp.registration.v1.RegistrationService",
         {{"NRP_REGISTRATION_SIGNING_KEY_FILE", platform_->dir() + "/registry-signing-key.pem"},
          {"NRP_REGISTRATION_REGISTRY_NAMES_FILE",
           std::string(NRP_E2E_DEMO_DATA_DIR) + "/registry-names.txt"},
          {"NRP_REGISTRATION_CACHE_PREFIX", "nrp:" + platform_->topic_prefix() + "registration:"}}},
        // With the legal notice and listing floors, as on the local stack.
        {"mining_rights",
         NRP_E2E_MINING_RIGHTS_BIN,
         "nrp.mining_rights.v1.MiningRightsService",
         {}},
    };
    std::string error;
    ASSERT_TRUE(platform_->Start(std::move(services), 240s, &error)) << error;
  }

  void TearDown() override {
    if (HasFailure() && platform_) {
      std::printf("service logs (last lines):\n%s", platform_->LogTails(30).c_str());
    }
    if (platform_) {
      for (const auto& [name, how] : platform_->Stop()) {
        EXPECT_EQ(how, "exit 0") << name << " did not stop cleanly on SIGTERM";
      }
    }
    platform_.reset();
  }

  // Runs nrp-demo-load to its end; its exit code and output.
  int Load(const std::string& name, std::string* output, double* seconds) {
    const std::string log = platform_->dir() + "/" + name + ".log";
    ChildProcess loader(
        name, NRP_E2E_DEMO_LOAD_BIN, WithClock({{"PATH", "/usr/bin:/bin"}}), log,
        {"--planning", platform_->Target("planning"), "--land-supply",
         platform_->Target("land_supply"), "--registration", platform_->Target("registration"),
         "--mining-rights", platform_->Target("mining_rights"), "--tokens-json",
         platform_->tokens_file(), "--data", NRP_E2E_DEMO_DATA_DIR, "--wait-seconds", "120"});
    std::string why;
    auto start = std::chrono::steady_clock::now();
    if (!loader.Start(&why)) {
      ADD_FAILURE() << why;
      return -1;
    }
    auto code = loader.Wait(600s);
    *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!code) loader.Stop(5s);
    *output = ReadAll(log);
    return code.value_or(-1);
  }

  std::unique_ptr<Platform> platform_;
};

TEST_F(DemoLoad, TheDemoProvinceLoadsAndLoadingItAgainChangesNothing) {
  std::string first, second;
  double first_s = 0, second_s = 0;
  const Date load_day = PlatformToday();
  ASSERT_EQ(Load("demo-load-1", &first, &first_s), 0) << first;
  EXPECT_NE(first.find("demo province loaded"), std::string::npos) << first;
  // Every refusal the stories expect, from the services themselves.
  EXPECT_NE(first.find("reserve refused as the story says (OVERLAPS_PERMANENT_BASIC_FARMLAND)"),
            std::string::npos);
  EXPECT_NE(first.find("reserve refused as the story says (POLLUTED_PLOT)"), std::string::npos);
  EXPECT_NE(first.find("notice refused as the story says (OUTSIDE_URBAN_DEVELOPMENT_BOUNDARY)"),
            std::string::npos);
  // The overlap of a new block with an entered right, named with its number and the area.
  const std::string overlap =
      "offer refused as the story says (OVERLAPS_VALID_RIGHT): grant offer ";
  ASSERT_NE(first.find(overlap), std::string::npos) << first;
  const std::string refusal = first.substr(first.find(overlap), 400);
  EXPECT_NE(refusal.find("overlaps the valid right C4100002021000000000047"), std::string::npos)
      << refusal;
  EXPECT_NE(refusal.find(" m² of overlap"), std::string::npos) << refusal;
  EXPECT_EQ(Count(first, " published: "), 22u) << "21 layers, one of them in two versions";

  auto planning = pv1::PlanningService::NewStub(platform_->Channel("planning"));
  auto land = lv1::LandSupplyService::NewStub(platform_->Channel("land_supply"));
  auto registration = rv1::RegistrationService::NewStub(platform_->Channel("registration"));
  auto snapshot = [&] {
    std::map<std::string, int> s;
    lv1::ListContractsRequest contracts;
    contracts.set_page_size(1000);
    lv1::ListContractsResponse cr;
    EXPECT_TRUE(
        Call(land.get(), &lv1::LandSupplyService::Stub::ListContracts, contracts, &cr).ok());
    for (const auto& c : cr.contracts()) ++s["contract " + lv1::ContractState_Name(c.state())];
    lv1::ListOffersRequest offers;
    offers.set_page_size(1000);
    lv1::ListOffersResponse orr;
    EXPECT_TRUE(Call(land.get(), &lv1::LandSupplyService::Stub::ListOffers, offers, &orr).ok());
    for (const auto& o : orr.offers()) ++s["offer " + lv1::OfferState_Name(o.state())];
    rv1::ListCasesRequest cases;
    cases.set_page_size(1000);
    rv1::ListCasesResponse cs;
    EXPECT_TRUE(
        Call(registration.get(), &rv1::RegistrationService::Stub::ListCases, cases, &cs).ok());
    for (const auto& c : cs.cases()) ++s["case " + rv1::CaseState_Name(c.state())];
    return s;
  };
  // The register of mines: each right with its state, validity and extensions; the grant
  // offers with their state.
  auto mining = mv1::MiningRightsService::NewStub(platform_->Channel("mining_rights"));
  auto rights = [&] {
    std::map<std::string, mv1::MiningRight> out;
    mv1::ListRightsRequest req;
    req.set_page_size(1000);
    mv1::ListRightsResponse resp;
    EXPECT_TRUE(Call(mining.get(), &mv1::MiningRightsService::Stub::ListRights, req, &resp).ok());
    for (const auto& r : resp.rights()) out[r.licence_number()] = r;
    return out;
  };
  auto offers = [&] {
    mv1::ListGrantOffersRequest req;
    req.set_page_size(1000);
    mv1::ListGrantOffersResponse resp;
    EXPECT_TRUE(
        Call(mining.get(), &mv1::MiningRightsService::Stub::ListGrantOffers, req, &resp).ok());
    return std::vector<mv1::GrantOffer>(resp.offers().begin(), resp.offers().end());
  };
  auto mines_snapshot = [&] {
    std::map<std::string, std::string> s;
    for (const auto& [number, r] : rights()) {
      s["right " + number] =
          mv1::MiningRightState_Name(r.state()) + " " + DateOf(r.valid_from()).ToString() + ".." +
          DateOf(r.valid_to()).ToString() + " extensions " + std::to_string(r.extension_count());
    }
    for (const auto& o : offers()) {
      s["offer " + o.offer_id() + " " + o.project_name()] = mv1::GrantOfferState_Name(o.state());
    }
    return s;
  };
  const std::map<std::string, mv1::MiningRight> entered = rights();
  ASSERT_EQ(entered.size(), 6u) << first;
  for (const char* number :
       {"C4100002021000000000047", "C4103002020000000000112", "C4103252022000000000006",
        "T41420190502000037", "C1400002020000000000105", "C1405002021000000000033"}) {
    ASSERT_TRUE(entered.count(number)) << number;
  }
  // The older 18-character exploration number is carried as entered, until a registration.
  const mv1::MiningRight& exploration = entered.at("T41420190502000037");
  EXPECT_EQ(exploration.kind(), mv1::MINING_RIGHT_KIND_EXPLORATION);
  EXPECT_TRUE(exploration.legacy_licence_number().empty());
  EXPECT_EQ(exploration.state(), mv1::MINING_RIGHT_STATE_VALID);
  // Validity around the day of loading, each term in whole years.
  const mv1::MiningRight& molybdenum = entered.at("C4100002021000000000047");
  EXPECT_EQ(molybdenum.main_mineral().name(), "钼矿");
  EXPECT_EQ(molybdenum.scale_class(), mv1::SCALE_CLASS_LARGE);
  EXPECT_EQ(DateOf(molybdenum.valid_to()), load_day.AddDays(4200));
  EXPECT_EQ(DateOf(molybdenum.valid_from()), load_day.AddDays(4201).AddYears(-30));
  // Shanxi: the coal mine extended (applied 150 days before its last day) by 20 years ...
  const mv1::MiningRight& extended = entered.at("C1400002020000000000105");
  EXPECT_EQ(extended.extension_count(), 1);
  EXPECT_EQ(DateOf(extended.valid_to()), load_day.AddDays(150).AddYears(20));
  EXPECT_EQ(extended.state(), mv1::MINING_RIGHT_STATE_VALID);
  // ... and the one whose last day is the day of loading: valid until the scheduled pass lapses
  // it at 00:00 China time (EXPIRED should the run cross that midnight).
  const mv1::MiningRight& lapsing = entered.at("C1405002021000000000033");
  EXPECT_EQ(DateOf(lapsing.valid_to()), load_day);
  EXPECT_EQ(lapsing.state(), PlatformToday() == load_day ? mv1::MINING_RIGHT_STATE_VALID
                                                         : mv1::MINING_RIGHT_STATE_EXPIRED);
  EXPECT_NE(first.find("C1405002021000000000033: valid to " + load_day.ToString()),
            std::string::npos)
      << first;
  // The construction-stone listing, clean, on notice; the refused offer left nothing behind.
  const std::vector<mv1::GrantOffer> grant_offers = offers();
  ASSERT_EQ(grant_offers.size(), 1u);
  const mv1::GrantOffer& stone = grant_offers[0];
  EXPECT_EQ(stone.project_name(), "偃师区寇店建筑石料用灰岩矿");
  EXPECT_EQ(stone.state(), mv1::GRANT_OFFER_STATE_PUBLISHED);
  EXPECT_EQ(stone.method(), mv1::GRANT_METHOD_LISTING);
  EXPECT_TRUE(stone.clean_grant());
  EXPECT_EQ(stone.main_mineral().name(), "建筑石料用灰岩");
  EXPECT_GE(
      std::chrono::system_clock::time_point(std::chrono::seconds(stone.bidding_start().seconds())) -
          PlatformNow(),
      std::chrono::hours(24 * 20))
      << "bidding opens after the legal notice period";
  // Planning counts Luoyang's mines from the service's events: three valid mining rights (the
  // exploration right is no mine), two of them large or medium.
  std::map<pv1::ComputedMetric, double> luoyang_mines;
  for (int i = 0; i < 120 && luoyang_mines.size() < 2; ++i) {
    luoyang_mines.clear();
    pv1::ListIndicatorsRequest req;
    req.set_filter("plan_id = \"410300-2021-2025\"");
    req.set_page_size(1000);
    pv1::ListIndicatorsResponse resp;
    ASSERT_TRUE(Call(planning.get(), &pv1::PlanningService::Stub::ListIndicators, req, &resp).ok());
    for (const auto& ind : resp.indicators()) {
      const bool count = ind.metric() == pv1::COMPUTED_METRIC_SOLID_MINERAL_MINE_COUNT &&
                         ind.has_latest_value() && ind.latest_value() == 3;
      const bool share =
          ind.metric() == pv1::COMPUTED_METRIC_LARGE_MEDIUM_MINE_SHARE && ind.has_latest_value();
      if (count || share) luoyang_mines[ind.metric()] = ind.latest_value();
    }
    if (luoyang_mines.size() < 2) std::this_thread::sleep_for(500ms);
  }
  ASSERT_EQ(luoyang_mines.size(), 2u) << "planning did not count Luoyang's three mines";
  EXPECT_NEAR(luoyang_mines[pv1::COMPUTED_METRIC_LARGE_MEDIUM_MINE_SHARE], 200.0 / 3, 0.01);
  const std::map<std::string, std::string> mines_after_first = mines_snapshot();

  std::map<std::string, int> after_first = snapshot();
  EXPECT_EQ(after_first, (std::map<std::string, int>{
                             {"contract CONTRACT_STATE_DELIVERED", 9},
                             {"contract CONTRACT_STATE_SIGNED", 2},
                             {"offer OFFER_STATE_CONTRACTED", 11},
                             {"offer OFFER_STATE_DRAFT", 1},
                             {"offer OFFER_STATE_PUBLISHED", 1},
                             {"case CASE_STATE_APPLIED", 1},
                             {"case CASE_STATE_ACCEPTED", 1},
                             {"case CASE_STATE_RECORDED", 2},
                             {"case CASE_STATE_CERTIFICATE_ISSUED", 5},
                         }));
  // The indicators moved: Shanxi's synthetic cultivated land is below the floor, and the
  // monitoring plans count the stock land sold.
  pv1::GetIndicatorRequest get;
  get.set_indicator_id("140000-2021-2025-01");
  pv1::Indicator cultivated;
  ASSERT_TRUE(
      Call(planning.get(), &pv1::PlanningService::Stub::GetIndicator, get, &cultivated).ok());
  EXPECT_EQ(cultivated.status(), pv1::PROGRESS_STATUS_BREACHED);
  EXPECT_NEAR(cultivated.latest_value(), 5598, 5);
  pv1::ListIndicatorsRequest monitoring;
  monitoring.set_filter("region_code = \"410300\"");
  monitoring.set_page_size(1000);
  pv1::ListIndicatorsResponse inds;
  ASSERT_TRUE(
      Call(planning.get(), &pv1::PlanningService::Stub::ListIndicators, monitoring, &inds).ok());
  bool found = false;
  for (const auto& i : inds.indicators()) {
    if (i.code() != "demo-stock-revitalised") continue;
    found = true;
    // Luoyang's two parcels of its expropriated batch, 9.16 + 12.21 公顷.
    EXPECT_NEAR(i.latest_value(), 21.36, 0.05) << i.DebugString();
  }
  EXPECT_TRUE(found);

  ASSERT_EQ(Load("demo-load-2", &second, &second_s), 0) << second;
  EXPECT_EQ(Count(second, " published: "), 0u) << second;
  EXPECT_EQ(Count(second, "published before"), 22u) << second;
  EXPECT_EQ(Count(second, " signed with "), 0u) << second;
  EXPECT_EQ(Count(second, " bids, highest "), 0u) << second;
  EXPECT_EQ(snapshot(), after_first);
  // Mines: every right found and left alone, the extension not applied again, the listing the
  // one on notice, and the overlap refused again with nothing recorded.
  EXPECT_EQ(Count(second, ": entered before, "), 6u) << second;
  EXPECT_EQ(Count(second, "entered as the register holds it, "), 0u) << second;
  EXPECT_EQ(Count(second, "extension (延续) applied"), 0u) << second;
  EXPECT_EQ(Count(second, "extended before (1 extensions)"), 1u) << second;
  EXPECT_EQ(Count(second, "offer refused as the story says (OVERLAPS_VALID_RIGHT)"), 1u) << second;
  std::map<std::string, std::string> mines_after_second = mines_snapshot();
  std::map<std::string, std::string> mines_expected = mines_after_first;
  if (PlatformToday() != load_day) {
    // The run crossed midnight in China: the pass lapsed the right whose last day it was.
    mines_after_second.erase("right C1405002021000000000033");
    mines_expected.erase("right C1405002021000000000033");
  }
  EXPECT_EQ(mines_after_second, mines_expected);
  std::printf("demo load: first run %.1f s, second run %.1f s\n", first_s, second_s);
}

}  // namespace
}  // namespace nrp::e2e
