// The demo province (tools/demo) loaded into the real service binaries, as
// deploy/local/up does it, and loaded a second time: the first run tells every
// story of the data set, the second changes nothing.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "nrp/land_supply/v1/land_supply.grpc.pb.h"
#include "nrp/planning/v1/planning.grpc.pb.h"
#include "nrp/registration/v1/registration.grpc.pb.h"
#include "nrp/rpc/errors.h"
#include "platform.h"

namespace nrp::e2e {
namespace {

using namespace std::chrono_literals;
namespace lv1 = ::nrp::land_supply::v1;
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
         "--tokens-json", platform_->tokens_file(), "--data", NRP_E2E_DEMO_DATA_DIR,
         "--wait-seconds", "120"});
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
  ASSERT_EQ(Load("demo-load-1", &first, &first_s), 0) << first;
  EXPECT_NE(first.find("demo province loaded"), std::string::npos) << first;
  // Every refusal the stories expect, from the services themselves.
  EXPECT_NE(first.find("reserve refused as the story says (OVERLAPS_PERMANENT_BASIC_FARMLAND)"),
            std::string::npos);
  EXPECT_NE(first.find("reserve refused as the story says (POLLUTED_PLOT)"), std::string::npos);
  EXPECT_NE(first.find("notice refused as the story says (OUTSIDE_URBAN_DEVELOPMENT_BOUNDARY)"),
            std::string::npos);
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
  std::printf("demo load: first run %.1f s, second run %.1f s\n", first_s, second_s);
}

}  // namespace
}  // namespace nrp::e2e
