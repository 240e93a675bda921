// The service runtime against the real PostgreSQL, Redis and development
// broker: idempotent mutations, events published from contract messages,
// health and authentication of a served method.
#include "nrp/service/runtime.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <set>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "nrp/core/uuid.h"
#include "nrp/db/transaction.h"
#include "nrp/events/cloud_event.h"
#include "nrp/events/kafka.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/planning/v1/planning.pb.h"
#include "nrp/service/audit.h"
#include "nrp/service/idempotency.h"
#include "nrp/service/publish.h"
#include "nrp/testing/calendar_folder.h"
#include "nrp/testing/infra.h"
#include "nrp/testing/service_kit.h"

namespace nrp::service {
namespace {

using nrp::planning::v1::CreatePlanRequest;
using nrp::planning::v1::IndicatorWarningRaised;
using nrp::planning::v1::Plan;

constexpr char kTokens[] = R"({
  "operator-token-0123456789abcdef": {"agency": "henan-nrd", "scopes": ["planning.write"],
                                      "regions": ["41"]}
})";

class RuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<nrp::testing::TestDatabase>();
    prefix_ = nrp::testing::NewTopicPrefix();
    RuntimeOptions o = nrp::testing::TestRuntimeOptions({.service = "planning",
                                                         .conninfo = db_->conninfo(),
                                                         .topic_prefix = prefix_,
                                                         .tokens_json = kTokens,
                                                         .pool_size = 8,
                                                         .rate_per_second = 1,
                                                         .burst = 3});
    rt_ = std::make_unique<Runtime>(std::move(o));
    auto s = rt_->Init({});
    ASSERT_TRUE(s.ok()) << s.error().message();
  }
  void TearDown() override {
    rt_.reset();
    db_.reset();
  }

  int Count(const std::string& sql) {
    pqxx::connection c(db_->conninfo());
    pqxx::nontransaction tx(c);
    return tx.exec(sql)[0][0].as<int>();
  }

  std::unique_ptr<nrp::testing::TestDatabase> db_;
  std::unique_ptr<Runtime> rt_;
  std::string prefix_;
};

Result<Plan> CreatePlan(Runtime& rt, const CreatePlanRequest& req) {
  return Idempotent<Plan>(
      rt, "CreatePlan", req.request_id(), req, "henan-nrd", [&](pqxx::work& tx) -> Result<Plan> {
        tx.exec("CREATE TABLE IF NOT EXISTS effects (id serial, name text)");
        tx.exec_params("INSERT INTO effects (name) VALUES ($1)", req.plan().name());
        Plan p = req.plan();
        p.set_plan_id(NewUuidV7());
        return p;
      });
}

TEST_F(RuntimeTest, RetriesWithTheSameRequestIdHaveOneEffect) {
  CreatePlanRequest req;
  req.set_request_id(NewUuidV4());
  req.mutable_plan()->set_name("洛阳市“十四五”自然资源保护和利用规划");
  req.mutable_plan()->set_region_code("410300");
  auto first = CreatePlan(*rt_, req);
  ASSERT_TRUE(first.ok()) << first.error().message();
  auto again = CreatePlan(*rt_, req);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->plan_id(), first->plan_id());
  EXPECT_EQ(Count("SELECT count(*) FROM effects"), 1);

  // Redis forgotten: the durable check still answers with the first response.
  ASSERT_TRUE(rt_->redis().Command({"FLUSHDB"}).ok());
  auto after_flush = CreatePlan(*rt_, req);
  ASSERT_TRUE(after_flush.ok());
  EXPECT_EQ(after_flush->plan_id(), first->plan_id());
  EXPECT_EQ(Count("SELECT count(*) FROM effects"), 1);

  CreatePlanRequest other = req;
  other.mutable_plan()->set_name("another plan");
  auto reused = CreatePlan(*rt_, other);
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(reused.error().message(),
            "request_id: '" + req.request_id() + "' was already used for a different request");

  CreatePlanRequest missing = req;
  missing.clear_request_id();
  auto refused = CreatePlan(*rt_, missing);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field_violations().at(0).field, "request_id");
}

TEST_F(RuntimeTest, ConcurrentDuplicatesApplyOnce) {
  CreatePlanRequest req;
  req.set_request_id(NewUuidV4());
  req.mutable_plan()->set_name("开封市规划");
  std::atomic<int> ok{0};
  std::set<std::string> ids;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      // A caller retries while the first attempt is in flight (ABORTED).
      for (int attempt = 0; attempt < 100; ++attempt) {
        auto r = CreatePlan(*rt_, req);
        if (r.ok()) {
          ++ok;
          std::lock_guard lock(mu);
          ids.insert(r->plan_id());
          return;
        }
        ASSERT_EQ(r.error().code(), Code::kAborted) << r.error().message();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(Count("SELECT count(*) FROM effects"), 1);
}

TEST_F(RuntimeTest, EventsCarryTheirContractTypeKeyAndTopic) {
  ASSERT_TRUE(rt_->Start().ok());
  IndicatorWarningRaised warning;
  warning.set_indicator_id("luoyang-cultivated-land");
  warning.set_region_code("410300");
  warning.set_message("永久基本农田保护面积 heading below its binding target");
  auto s =
      db::Transact(rt_->db(), [&](pqxx::work& tx) { return Publish(*rt_, tx, warning, "410300"); });
  ASSERT_TRUE(s.ok()) << s.error().message();

  auto consumer = events::CreateKafkaClient(
      RD_KAFKA_CONSUMER, {.bootstrap = nrp::testing::GetInfra().kafka_bootstrap},
      {{"group.id", prefix_ + "reader"}, {"auto.offset.reset", "earliest"}}, {});
  ASSERT_TRUE(consumer.ok());
  rd_kafka_poll_set_consumer(consumer->get());
  auto* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, (prefix_ + "nrp.planning.events.v1").c_str(),
                                    RD_KAFKA_PARTITION_UA);
  ASSERT_EQ(rd_kafka_subscribe(consumer->get(), list), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(list);
  std::optional<events::CloudEvent> got;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!got && std::chrono::steady_clock::now() < deadline) {
    events::KafkaMessage m(rd_kafka_consumer_poll(consumer->get(), 200));
    if (!m || m->err) continue;
    auto e = events::DecodeEvent(events::ReadHeaders(m.get()), events::MessageKey(m.get()),
                                 events::MessageValue(m.get()));
    ASSERT_TRUE(e.ok()) << e.error().message();
    got = *e;
  }
  rd_kafka_consumer_close(consumer->get());
  ASSERT_TRUE(got.has_value()) << "no event arrived";
  EXPECT_EQ(got->type, "nrp.planning.indicator_warning_raised.v1");
  EXPECT_EQ(got->key, "luoyang-cultivated-land");
  EXPECT_EQ(got->subject, "luoyang-cultivated-land");
  EXPECT_EQ(got->source, "/nrp/planning/410300");
  EXPECT_EQ(got->dataschema, "nrp.planning.v1.IndicatorWarningRaised");
  IndicatorWarningRaised decoded;
  ASSERT_TRUE(events::ParsePayload(*got, &decoded).ok());
  EXPECT_EQ(decoded.message(), warning.message());
}

TEST_F(RuntimeTest, AMessageWithoutTheEventOptionIsRefused) {
  Plan not_an_event;
  auto e = BuildEvent(not_an_event, "planning", "", "410300", "", SystemClock::Instance());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message(),
            "event: nrp.planning.v1.Plan is not an event message (no event option)");
  IndicatorWarningRaised keyless;
  auto k = BuildEvent(keyless, "planning", "", "410300", "", SystemClock::Instance());
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.error().message(), "indicator_id: key field is empty");
}

TEST_F(RuntimeTest, HealthIsServingWhileTheDatabaseAnswers) {
  ASSERT_TRUE(rt_->Start().ok());
  auto channel = grpc::CreateChannel(rt_->target(), grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  bool serving = nrp::testing::WaitFor(
      [&] {
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
        grpc::health::v1::HealthCheckRequest req;
        grpc::health::v1::HealthCheckResponse resp;
        return stub->Check(&ctx, req, &resp).ok() &&
               resp.status() == grpc::health::v1::HealthCheckResponse::SERVING;
      },
      std::chrono::seconds(10));
  EXPECT_TRUE(serving);
}

grpc::health::v1::HealthCheckResponse::ServingStatus HealthOf(const std::string& target) {
  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  if (!stub->Check(&ctx, req, &resp).ok()) return grpc::health::v1::HealthCheckResponse::UNKNOWN;
  return resp.status();
}

TEST(RuntimeHealth, NotServingWithoutTheDatabase) {
  const auto& infra = nrp::testing::GetInfra();
  nrp::testing::TestDatabase db;
  nrp::testing::TcpProxy proxy(db.host(), db.port());
  RuntimeOptions o;
  o.service = "planning";
  o.db_url = db.conninfo_via("127.0.0.1", proxy.port());
  o.pool.conninfo = o.db_url;
  o.pool.acquire_timeout = std::chrono::milliseconds(500);
  o.pool.connect_timeout = std::chrono::seconds(1);
  o.redis = cache::RedisOptions::FromAddress(infra.redis_addr).value();
  o.server.address = "127.0.0.1:0";
  o.server.metrics_address = "off";
  o.server.health_interval = std::chrono::milliseconds(100);
  o.relay.service = "planning";
  o.relay.conninfo = o.db_url;
  o.relay.kafka.bootstrap = infra.kafka_bootstrap;
  o.authenticator = rpc::MakeStaticTokenAuthenticator(kTokens).value();
  Runtime rt(std::move(o));
  ASSERT_TRUE(rt.Init({}).ok());
  ASSERT_TRUE(rt.Start().ok());
  using HS = grpc::health::v1::HealthCheckResponse;
  EXPECT_TRUE(nrp::testing::WaitFor([&] { return HealthOf(rt.target()) == HS::SERVING; },
                                    std::chrono::seconds(10)));
  proxy.Cut();
  EXPECT_TRUE(nrp::testing::WaitFor([&] { return HealthOf(rt.target()) == HS::NOT_SERVING; },
                                    std::chrono::seconds(15)));
  proxy.Restore();
  EXPECT_TRUE(nrp::testing::WaitFor([&] { return HealthOf(rt.target()) == HS::SERVING; },
                                    std::chrono::seconds(15)));
  rt.Stop();
}

TEST_F(RuntimeTest, RateLimitPerAgency) {
  rpc::Caller caller{"henan-nrd", {"planning.write"}, {"41"}, "t1"};
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(rt_->Admit(caller).ok());
  auto refused = rt_->Admit(caller);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Code::kResourceExhausted);
  EXPECT_NE(refused.error().message().find("rate limit of agency 'henan-nrd' exceeded"),
            std::string::npos);
}

TEST_F(RuntimeTest, AuditRowsNameTheCaller) {
  rpc::Caller caller{"kaifeng-nrd", {"registration.read"}, {"410200"}, "tok-1"};
  auto s = db::Transact(rt_->db(), [&](pqxx::work& tx) {
    return Audit(tx, caller,
                 {.method = "/nrp.registration.v1.RegistrationService/SearchRights",
                  .region_code = "410200",
                  .subject = "party:410***********1234",
                  .purpose = "mortgage review",
                  .legal_basis = "不动产登记暂行条例 art. 27"});
  });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE agency = 'kaifeng-nrd' AND "
                  "legal_basis LIKE '不动产登记暂行条例%'"),
            1);
}

// A calendar change recounts the deadlines it affects; one whose subject cannot take the
// recount (here: no applier) is reported, kept stale, and tried again a minute later rather
// than on every tick.
TEST(RuntimeCalendar, ARecountThatFailsIsRetriedLaterNotOnEveryTick) {
  nrp::testing::TestDatabase db;
  nrp::testing::CalendarFolder calendar;
  ManualClock clock(TimePoint(std::chrono::sys_days(Date(2026, 12, 21).sys_days())));
  Runtime rt(nrp::testing::TestRuntimeOptions({.service = "planning",
                                               .conninfo = db.conninfo(),
                                               .topic_prefix = nrp::testing::NewTopicPrefix(),
                                               .tokens_json = kTokens,
                                               .calendar_dir = calendar.dir().string()}),
             clock);
  ASSERT_TRUE(rt.Init({}).ok());
  auto rule = DeadlineRule::After(Date(2026, 12, 21), 10);
  auto due = rt.Calendar()->Compute(rule);
  ASSERT_TRUE(due.ok());
  ASSERT_TRUE(db::Transact(rt.db(), [&](pqxx::work& tx) -> Status {
                Deadlines::Put(tx, "orphans/1", "due", rule, *due, clock.Now());
                return Ok();
              }).ok());
  auto first = rt.RefreshCalendar();  // the deadline was counted with this calendar
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->failed, 0);

  calendar.Write("CN-2027.cal", "year 2027\nholiday 2027-01-01..2027-01-05 元旦\n");
  auto failed = rt.RefreshCalendar();
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(failed->failed, 1);
  auto again = rt.RefreshCalendar();  // nothing changed, and the retry is not due yet
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->examined, 0);
  EXPECT_EQ(again->failed, 0);
}

}  // namespace
}  // namespace nrp::service
