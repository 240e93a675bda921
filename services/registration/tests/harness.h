// The registration service started in-process for integration tests: a fresh PostGIS
// database, Redis, the development broker with a topic prefix of its own, a manual clock,
// and gRPC clients with the tokens of several agencies.
#pragma once

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/registration_api.h"
#include "nrp/core/clock.h"
#include "nrp/core/uuid.h"
#include "nrp/events/cloud_event.h"
#include "nrp/events/kafka.h"
#include "nrp/registration/v1/registration.grpc.pb.h"
#include "nrp/rpc/client.h"
#include "nrp/rpc/errors.h"
#include "nrp/service/runtime.h"
#include "nrp/testing/calendar_folder.h"
#include "nrp/testing/infra.h"
#include "nrp_migrations_registration.h"
#include "test_support.h"
#include "wiring.h"

namespace nrp::registration::testsupport {

// Tokens of the test agencies.
inline constexpr char kWriter[] = "luoyang-registry-token-000000000001";    // write+pii, 41
inline constexpr char kReader[] = "luoyang-police-token-0000000000002";     // read, 4103
inline constexpr char kPiiReader[] = "luoyang-court-token-00000000000003";  // read+pii, 4103
inline constexpr char kKaifeng[] = "kaifeng-registry-token-00000000004";    // write, 4102

inline constexpr char kTokens[] = R"({
  "luoyang-registry-token-000000000001": {"agency": "洛阳市不动产登记中心",
      "scopes": ["registration.read", "registration.write", "registration.pii"], "regions": ["41"]},
  "luoyang-police-token-0000000000002": {"agency": "洛阳市公安局",
      "scopes": ["registration.read"], "regions": ["4103"]},
  "luoyang-court-token-00000000000003": {"agency": "洛阳市中级人民法院",
      "scopes": ["registration.read", "registration.pii"], "regions": ["4103"]},
  "kaifeng-registry-token-00000000004": {"agency": "开封市不动产登记中心",
      "scopes": ["registration.read", "registration.write"], "regions": ["4102"]}
})";

class Harness {
 public:
  explicit Harness(TimePoint start, bool start_runtime = true, double rate_per_second = 100000,
                   int64_t burst = 100000)
      : clock_(start), prefix_("t" + NewUuidV4().substr(0, 8) + ".") {
    const auto& infra = nrp::testing::GetInfra();
    db_ = std::make_unique<nrp::testing::TestDatabase>("reg");
    service::RuntimeOptions o;
    o.service = "registration";
    o.calendar_dir = calendar_.dir().string();
    // Tests load calendar files with RefreshCalendar(), not by waiting for the poll.
    o.calendar_poll = std::chrono::hours(1);
    o.db_url = db_->conninfo();
    o.pool.conninfo = db_->conninfo();
    o.pool.size = 16;
    o.pool.acquire_timeout = std::chrono::seconds(10);
    o.redis = cache::RedisOptions::FromAddress(infra.redis_addr).value();
    o.rate_limit.scope = "registration-" + NewUuidV4();
    o.rate_limit.rate_per_second = rate_per_second;
    o.rate_limit.burst = burst;
    o.topic_prefix = prefix_;
    o.ensure_topics = true;
    o.server.address = "127.0.0.1:0";
    o.server.metrics_address = "off";
    o.relay.service = "registration";
    o.relay.conninfo = db_->conninfo();
    o.relay.kafka.bootstrap = infra.kafka_bootstrap;
    o.relay.poll_interval = std::chrono::milliseconds(200);
    o.consumer.kafka.bootstrap = infra.kafka_bootstrap;
    o.consumer.group_id = prefix_ + "registration";
    o.consumer.retry_initial = std::chrono::milliseconds(50);
    o.authenticator = rpc::MakeStaticTokenAuthenticator(kTokens).value();
    rt_ = std::make_unique<service::Runtime>(std::move(o), clock_);
    auto s = rt_->Init({nrp_migrations_registration()});
    if (!s.ok()) ADD_FAILURE() << s.error().ToString();
    RegistrationConfig config;
    config.cache_prefix = "nrp:" + prefix_ + "registration:";
    auto signer = LoadSigner(*rt_, config);
    if (!signer.ok()) ADD_FAILURE() << signer.error().ToString();
    api_ = std::make_unique<RegistrationApi>(*rt_, std::move(config), *signer);
    auto w = Wire(*rt_, *api_, /*run_scheduler=*/false);
    if (!w.ok()) ADD_FAILURE() << w.error().ToString();
    if (start_runtime) {
      auto st = rt_->Start();
      if (!st.ok()) ADD_FAILURE() << st.error().ToString();
    }
  }
  ~Harness() {
    if (rt_) rt_->Stop();
    api_.reset();
    rt_.reset();
    db_.reset();
  }

  service::Runtime& rt() { return *rt_; }
  RegistrationApi& api() { return *api_; }
  ManualClock& clock() { return clock_; }
  service::Runtime& runtime() { return *rt_; }
  const nrp::testing::CalendarFolder& calendar() const { return calendar_; }
  const std::string& prefix() const { return prefix_; }
  const nrp::testing::TestDatabase& db() const { return *db_; }

  std::unique_ptr<v1::RegistrationService::Stub> Client(const std::string& token) {
    rpc::ChannelOptions o;
    o.target = rt_->target();
    o.bearer_token = token;
    return v1::RegistrationService::NewStub(rpc::MakeChannel(o));
  }

  int64_t Count(const std::string& sql) {
    pqxx::connection c(db_->conninfo());
    pqxx::nontransaction tx(c);
    return tx.exec(sql)[0][0].as<int64_t>();
  }

 private:
  ManualClock clock_;
  nrp::testing::CalendarFolder calendar_;
  std::string prefix_;
  std::unique_ptr<nrp::testing::TestDatabase> db_;
  std::unique_ptr<service::Runtime> rt_;
  std::unique_ptr<RegistrationApi> api_;
};

// Calls a unary method with a deadline; returns the mapped status.
template <class Req, class Resp, class Method>
Status Call(v1::RegistrationService::Stub* stub, Method method, const Req& req, Resp* resp) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return rpc::FromGrpcStatus((stub->*method)(&ctx, req, resp));
}

// Reads every event of a topic from the beginning until `done` holds or the timeout passes.
class TopicReader {
 public:
  TopicReader(const std::string& topic, const std::string& group) {
    auto c = events::CreateKafkaClient(
        RD_KAFKA_CONSUMER, {.bootstrap = nrp::testing::GetInfra().kafka_bootstrap},
        {{"group.id", group}, {"auto.offset.reset", "earliest"}, {"enable.auto.commit", "false"}},
        {});
    if (!c.ok()) {
      ADD_FAILURE() << c.error().ToString();
      return;
    }
    consumer_ = std::move(c).value();
    rd_kafka_poll_set_consumer(consumer_.get());
    auto* list = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(list, topic.c_str(), RD_KAFKA_PARTITION_UA);
    rd_kafka_subscribe(consumer_.get(), list);
    rd_kafka_topic_partition_list_destroy(list);
  }
  ~TopicReader() {
    if (consumer_) rd_kafka_consumer_close(consumer_.get());
  }
  // Polls until `done(events so far)` or timeout.
  const std::vector<events::CloudEvent>& ReadUntil(
      const std::function<bool(const std::vector<events::CloudEvent>&)>& done,
      std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (consumer_ && !done(events_) && std::chrono::steady_clock::now() < deadline) {
      events::KafkaMessage m(rd_kafka_consumer_poll(consumer_.get(), 200));
      if (!m || m->err) continue;
      auto e = events::DecodeEvent(events::ReadHeaders(m.get()), events::MessageKey(m.get()),
                                   events::MessageValue(m.get()));
      if (e.ok()) events_.push_back(std::move(e).value());
    }
    return events_;
  }

 private:
  events::KafkaHandle consumer_;
  std::vector<events::CloudEvent> events_;
};

// Produces an event to a topic as another service would (CloudEvents binary mode).
inline Status Produce(const std::string& topic, const events::CloudEvent& e) {
  auto p = events::CreateKafkaClient(
      RD_KAFKA_PRODUCER, {.bootstrap = nrp::testing::GetInfra().kafka_bootstrap}, {}, {});
  if (!p.ok()) return p.error();
  rd_kafka_headers_t* headers = events::NewKafkaHeaders(events::EncodeHeaders(e));
  rd_kafka_resp_err_t err = rd_kafka_producev(
      p->get(), RD_KAFKA_V_TOPIC(topic.c_str()),
      RD_KAFKA_V_KEY(const_cast<char*>(e.key.data()), e.key.size()),
      RD_KAFKA_V_VALUE(const_cast<char*>(e.payload.data()), e.payload.size()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_headers_destroy(headers);
    return Error::Unavailable(events::KafkaErrorText(err));
  }
  if (rd_kafka_flush(p->get(), 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Error::Unavailable("flush timed out");
  }
  return Ok();
}

inline v1::RealEstateUnit UnitInput(const std::string& code, double lon = 112.47,
                                    double lat = 34.68) {
  v1::RealEstateUnit u;
  u.set_unit_code(code);
  u.set_location("洛阳市老城区中州东路 1 号");
  u.mutable_geometry()->set_encoding(cpb::GEOMETRY_ENCODING_WKT);
  char wkt[256];
  std::snprintf(wkt, sizeof wkt, "POLYGON((%.4f %.4f, %.4f %.4f, %.4f %.4f, %.4f %.4f, %.4f %.4f))",
                lon, lat, lon + 0.001, lat, lon + 0.001, lat + 0.001, lon, lat + 0.001, lon, lat);
  u.mutable_geometry()->set_text(wkt);
  u.set_land_use_code("0701");
  return u;
}

// A unit code in 410302 with parcel sequence `n` (1..99999) and fixture F.
inline std::string UnitCodeN(int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "410302001001GB%05dF00010001", n);
  return buf;
}

}  // namespace nrp::registration::testsupport
