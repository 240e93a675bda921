// The call wrapper: a mutation and its audit row commit together under the call's trace, a
// refusal is audited with its code and leaves nothing else behind, and every event published
// while a call, a consumed event or a job is served carries that trace.
#include "nrp/service/call.h"

#include <gtest/gtest.h>

#include "nrp/core/trace.h"
#include "nrp/core/uuid.h"
#include "nrp/db/transaction.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/planning/v1/planning.pb.h"
#include "nrp/service/publish.h"
#include "nrp/testing/infra.h"
#include "nrp/testing/service_kit.h"

namespace nrp::service {
namespace {

using nrp::planning::v1::CreatePlanRequest;
using nrp::planning::v1::IndicatorWarningRaised;
using nrp::planning::v1::Plan;

constexpr char kTrace[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr MethodName kCreatePlan{"nrp.planning.v1.PlanningService", "CreatePlan"};

class CallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<nrp::testing::TestDatabase>("call");
    rt_ = std::make_unique<Runtime>(nrp::testing::TestRuntimeOptions(
        {.service = "planning",
         .conninfo = db_->conninfo(),
         .topic_prefix = nrp::testing::NewTopicPrefix(),
         .tokens_json = R"({"operator-token-0123456789abcdef": {"agency": "luoyang-nrd",
                            "scopes": ["planning.write"], "regions": ["4103"]}})"}));
    auto s = rt_->Init({});
    ASSERT_TRUE(s.ok()) << s.error().message();
    ASSERT_TRUE(db::Transact(rt_->db(), [](pqxx::work& tx) -> Status {
                  tx.exec0("CREATE TABLE plans_made (name text)");
                  return Ok();
                }).ok());
  }

  std::string Scalar(const std::string& sql) {
    pqxx::connection c(db_->conninfo());
    pqxx::nontransaction tx(c);
    auto r = tx.exec(sql);
    if (r.empty() || r[0][0].is_null()) return "";
    return r[0][0].as<std::string>();
  }

  // A plan made with an IndicatorWarningRaised event, or refused with `refusal`.
  Result<Plan> Make(const std::string& request_id, const std::string& name,
                    std::optional<Error> refusal = std::nullopt) {
    CreatePlanRequest req;
    req.set_request_id(request_id);
    req.mutable_plan()->set_name(name);
    return Mutate<Plan>(*rt_, caller_, kCreatePlan, request_id, req,
                        [&](pqxx::work& tx, AuditSubject& audit) -> Result<Plan> {
                          audit = {"410300", "plans/" + name};
                          tx.exec_params0("INSERT INTO plans_made VALUES ($1)", name);
                          IndicatorWarningRaised w;
                          w.set_indicator_id("ind-" + name);
                          w.set_region_code("410300");
                          NRP_RETURN_IF_ERROR(Publish(*rt_, tx, w, "410300"));
                          if (refusal) return *refusal;
                          Plan p;
                          p.set_plan_id(NewUuidV7());
                          p.set_name(name);
                          return p;
                        });
  }

  std::unique_ptr<nrp::testing::TestDatabase> db_;
  std::unique_ptr<Runtime> rt_;
  rpc::Caller caller_{"luoyang-nrd", {"planning.write"}, {"4103"}, "sha256:0123456789abcdef"};
};

TEST_F(CallTest, AMutationCommitsWithItsAuditRowAndItsEventsUnderTheCallsTrace) {
  trace::Scope call(kTrace);
  auto made = Make(NewUuidV4(), "luoyang-2035");
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  EXPECT_EQ(Scalar("SELECT count(*) FROM plans_made"), "1");
  EXPECT_EQ(Scalar("SELECT agency || ' ' || method || ' ' || region_code || ' ' || subject || ' ' "
                   "|| trace_id || ' ' || outcome FROM audit_log"),
            "luoyang-nrd /nrp.planning.v1.PlanningService/CreatePlan 410300 plans/luoyang-2035 "
            "4bf92f3577b34da6a3ce929d0e0e4736 ok");
  EXPECT_EQ(Scalar("SELECT traceparent FROM outbox"), kTrace);
}

TEST_F(CallTest, ARefusalIsAuditedWithItsCodeAndLeavesNothingElse) {
  trace::Scope call(kTrace);
  auto refused = Make(NewUuidV4(), "kaifeng-2035",
                      Error::FailedPrecondition("PLAN_NOT_APPROVED", "plans/kaifeng-2035",
                                                "the plan of 开封市 is not approved"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(Scalar("SELECT count(*) FROM plans_made"), "0");
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox"), "0");
  EXPECT_EQ(Scalar("SELECT count(*) FROM request_log"), "0");
  EXPECT_EQ(Scalar("SELECT region_code || ' ' || subject || ' ' || trace_id || ' ' || outcome "
                   "FROM audit_log"),
            "410300 plans/kaifeng-2035 4bf92f3577b34da6a3ce929d0e0e4736 FAILED_PRECONDITION "
            "PLAN_NOT_APPROVED");
  // The message, which may name a party, is not kept.
  EXPECT_EQ(Scalar("SELECT count(*) FROM audit_log WHERE outcome LIKE '%开封%'"), "0");

  // A request id that is not one is refused before any work, and audited as such.
  auto bad_id = Make("", "jilin-2035");
  ASSERT_FALSE(bad_id.ok());
  EXPECT_EQ(bad_id.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(Scalar("SELECT outcome FROM audit_log WHERE subject = '' ORDER BY id DESC LIMIT 1"),
            "INVALID_ARGUMENT");
  EXPECT_EQ(Scalar("SELECT count(*) FROM plans_made"), "0");
}

TEST_F(CallTest, ARetryGetsTheFirstAnswerAndOneAuditRow) {
  const std::string id = NewUuidV4();
  auto first = Make(id, "wuzhong-2035");
  auto again = Make(id, "wuzhong-2035");
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->plan_id(), again->plan_id());
  EXPECT_EQ(Scalar("SELECT count(*) FROM audit_log"), "1");
  EXPECT_EQ(Scalar("SELECT count(*) FROM plans_made"), "1");
}

TEST_F(CallTest, EventsOutsideAnyTraceHaveNoneAndANamedTraceWins) {
  IndicatorWarningRaised w;
  w.set_indicator_id("ind-1");
  w.set_region_code("410300");
  ASSERT_TRUE(
      db::Transact(rt_->db(), [&](pqxx::work& tx) { return Publish(*rt_, tx, w, "410300"); }).ok());
  EXPECT_EQ(Scalar("SELECT coalesce(traceparent, '') FROM outbox"), "");
  trace::Scope call(kTrace);
  const std::string other = trace::Continue("");
  w.set_indicator_id("ind-2");
  ASSERT_TRUE(db::Transact(rt_->db(), [&](pqxx::work& tx) {
                return Publish(*rt_, tx, w, "410300", other);
              }).ok());
  EXPECT_EQ(Scalar("SELECT traceparent FROM outbox WHERE key = 'ind-2'"), other);
}

}  // namespace
}  // namespace nrp::service
