// The registration service started in-process for integration tests: a fresh PostGIS
// database, Redis, the development broker with a topic prefix of its own, a manual clock,
// and gRPC clients with the tokens of several agencies.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/registration_api.h"
#include "nrp/core/clock.h"
#include "nrp/core/uuid.h"
#include "nrp/events/cloud_event.h"
#include "nrp/registration/v1/registration.grpc.pb.h"
#include "nrp/rpc/client.h"
#include "nrp/rpc/errors.h"
#include "nrp/service/runtime.h"
#include "nrp/testing/calendar_folder.h"
#include "nrp/testing/infra.h"
#include "nrp/testing/service_kit.h"
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
      : clock_(start), prefix_(nrp::testing::NewTopicPrefix()) {
    db_ = std::make_unique<nrp::testing::TestDatabase>("reg");
    auto o = nrp::testing::TestRuntimeOptions({.service = "registration",
                                               .conninfo = db_->conninfo(),
                                               .topic_prefix = prefix_,
                                               .tokens_json = kTokens,
                                               .calendar_dir = calendar_.dir().string(),
                                               .rate_per_second = rate_per_second,
                                               .burst = burst});
    rt_ = std::make_unique<service::Runtime>(std::move(o), clock_);
    auto s = rt_->Init(Migrations());
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

using nrp::testing::TopicReader;

// Produces an event to a topic as another service would (CloudEvents binary mode).
inline Status Produce(const std::string& topic, const events::CloudEvent& e) {
  static nrp::testing::EventProducer producer;
  return producer.Produce(topic, e);
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
