// The current contract against its committed artefacts: the lock (protos/contract.lock), the
// convention check, and the events catalogue (docs/events.md, protos/asyncapi.yaml).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "nrp/protolock/catalogue.h"
#include "nrp/protolock/contract.h"
#include "nrp/protolock/conventions.h"
#include "nrp/protolock/lock.h"

namespace nrp::protolock {
namespace {

using ::testing::IsEmpty;

constexpr const char* kRegenerate =
    "the committed file is out of date: run scripts/update-contract-lock and commit the result";

std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(NRP_TEST_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class ContractLockTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string error;
    contract_ = Contract::FromFile(NRP_TEST_DESCRIPTOR_SET, &error).release();
    ASSERT_NE(contract_, nullptr) << error;
  }
  static void TearDownTestSuite() {
    delete contract_;
    contract_ = nullptr;
  }
  static const Contract& contract() { return *contract_; }

 private:
  static Contract* contract_;
};

Contract* ContractLockTest::contract_ = nullptr;

TEST_F(ContractLockTest, CoversAllFiveServicesAndCommonTypes) {
  std::set<std::string> packages;
  for (const auto* file : contract().files()) packages.insert(file->package());
  EXPECT_THAT(packages, ::testing::IsSupersetOf({"nrp.common.v1", "nrp.land_supply.v1",
                                                 "nrp.mining_rights.v1", "nrp.planning.v1",
                                                 "nrp.registration.v1", "nrp.restoration.v1"}));
  for (const char* service :
       {"nrp.registration.v1.RegistrationService", "nrp.land_supply.v1.LandSupplyService",
        "nrp.mining_rights.v1.MiningRightsService", "nrp.restoration.v1.RestorationService",
        "nrp.planning.v1.PlanningService"}) {
    EXPECT_NE(contract().pool().FindServiceByName(service), nullptr) << service;
  }
}

TEST_F(ContractLockTest, ContractMatchesCommittedLock) {
  const std::string committed = ReadSourceFile("protos/contract.lock");
  ASSERT_FALSE(committed.empty()) << "protos/contract.lock is missing";
  LockModel locked;
  std::string error;
  ASSERT_TRUE(ParseLock(committed, &locked, &error)) << error;
  const LockModel current = BuildLockModel(contract());
  const CompatibilityReport report = CheckCompatibility(locked, current);
  EXPECT_THAT(report.problems, IsEmpty()) << "breaking changes against protos/contract.lock";
  EXPECT_THAT(report.additions, IsEmpty()) << kRegenerate;
  EXPECT_EQ(RenderLock(current), committed) << kRegenerate;
}

TEST_F(ContractLockTest, LockTextRoundTrips) {
  const LockModel model = BuildLockModel(contract());
  LockModel parsed;
  std::string error;
  ASSERT_TRUE(ParseLock(RenderLock(model), &parsed, &error)) << error;
  EXPECT_EQ(parsed, model);
}

TEST_F(ContractLockTest, MalformedLockIsRejectedWithItsLine) {
  LockModel parsed;
  std::string error;
  EXPECT_FALSE(ParseLock("message nrp.a.v1.A\n  field one a singular string\n", &parsed, &error));
  EXPECT_EQ(error, "lock line 2: bad field number one");
}

TEST_F(ContractLockTest, ContractFollowsConventions) {
  EXPECT_THAT(CheckConventions(contract()), IsEmpty());
}

TEST_F(ContractLockTest, EventsCatalogueIsCurrent) {
  EXPECT_EQ(RenderEventsMarkdown(contract()), ReadSourceFile("docs/events.md")) << kRegenerate;
}

TEST_F(ContractLockTest, AsyncApiIsCurrent) {
  EXPECT_EQ(RenderAsyncApi(contract()), ReadSourceFile("protos/asyncapi.yaml")) << kRegenerate;
}

TEST_F(ContractLockTest, CatalogueListsEveryEventOfEveryEventsFile) {
  const std::string markdown = RenderEventsMarkdown(contract());
  const std::string asyncapi = RenderAsyncApi(contract());
  int events = 0;
  for (const auto* file : contract().files()) {
    if (file->name().size() < 13 ||
        file->name().compare(file->name().size() - 13, 13, "/events.proto") != 0) {
      continue;
    }
    for (int i = 0; i < file->message_type_count(); ++i) {
      const auto* message = file->message_type(i);
      const std::optional<EventSpec> spec = contract().FindEventSpec(message);
      ASSERT_TRUE(spec.has_value()) << message->full_name();
      ++events;
      EXPECT_NE(markdown.find("\n### " + spec->ce_type + "\n"), std::string::npos) << spec->ce_type;
      EXPECT_NE(asyncapi.find("title: \"" + spec->ce_type + "\""), std::string::npos)
          << spec->ce_type;
    }
  }
  int catalogued = 0;
  for (const CatalogueTopic& topic : CollectTopics(contract())) {
    catalogued += static_cast<int>(topic.events.size());
    EXPECT_NE(asyncapi.find("\"" + topic.name + ".dlq\":"), std::string::npos) << topic.name;
  }
  EXPECT_EQ(catalogued, events);
  EXPECT_GT(events, 0);
}

TEST_F(ContractLockTest, CatalogueNamesTheCrossServiceConsumers) {
  std::map<std::string, std::vector<std::string>> consumers;
  for (const CatalogueTopic& topic : CollectTopics(contract())) {
    for (const CatalogueEvent& event : topic.events) {
      consumers[event.spec.ce_type] = event.spec.consumers;
    }
  }
  using ::testing::Contains;
  EXPECT_THAT(consumers["nrp.land_supply.land_delivered.v1"], Contains("registration"));
  EXPECT_THAT(consumers["nrp.planning.zone_published.v1"], Contains("registration"));
  EXPECT_THAT(consumers["nrp.planning.zone_published.v1"], Contains("land_supply"));
  EXPECT_THAT(consumers["nrp.planning.zone_published.v1"], Contains("mining_rights"));
  EXPECT_THAT(consumers["nrp.planning.layer_version_published.v1"], Contains("mining_rights"));
  EXPECT_THAT(consumers["nrp.restoration.project_accepted.v1"], Contains("land_supply"));
  EXPECT_THAT(consumers["nrp.restoration.project_accepted.v1"], Contains("planning"));
  EXPECT_THAT(consumers["nrp.mining_rights.right_granted.v1"], Contains("planning"));
  EXPECT_THAT(consumers["nrp.mining_rights.right_cancelled.v1"], Contains("restoration"));
  EXPECT_THAT(consumers["nrp.mining_rights.mine_closed.v1"], Contains("restoration"));
  EXPECT_THAT(consumers["nrp.land_supply.stock_land_revitalised.v1"], Contains("planning"));
}

}  // namespace
}  // namespace nrp::protolock
