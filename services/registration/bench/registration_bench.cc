// Throughput of the registration service beside baselines measured in the same run:
//
//   recorded cases per second (RecordCase through gRPC: unit lock, register rules, certificate
//   number, SM2 signature, entries, outbox, audit — one transaction each)
//     baseline: pgbench running a single-row INSERT transaction against the same database
//   GetRealEstateUnit calls per second (authenticated, rate-limited, Redis read-through)
//     baseline: a bare gRPC server answering the same RPC with a fixed message
//
// Needs the infrastructure of the test suite (NRP_TEST_PG_ADMIN, NRP_TEST_REDIS_ADDR,
// NRP_TEST_KAFKA_BOOTSTRAP) and pgbench on PATH. Options (environment):
//   NRP_BENCH_CLIENTS   concurrent clients (default 8)
//   NRP_BENCH_CASES     cases recorded (default 400)
//   NRP_BENCH_SECONDS   seconds per read measurement and per pgbench run (default 5)
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "api/registration_api.h"
#include "domain/time_limits.h"
#include "nrp/core/clock.h"
#include "nrp/core/log.h"
#include "nrp/core/uuid.h"
#include "nrp/registration/v1/registration.grpc.pb.h"
#include "nrp/rpc/client.h"
#include "nrp/service/runtime.h"
#include "nrp/testing/infra.h"
#include "wiring.h"

namespace {

namespace v1 = nrp::registration::v1;
namespace cpb = nrp::common::v1;
using Clock = std::chrono::steady_clock;

constexpr char kToken[] = "bench-registry-token-000000000000001";
constexpr char kTokens[] = R"({"bench-registry-token-000000000000001": {"agency": "bench",
  "scopes": ["registration.read", "registration.write", "registration.pii"], "regions": ["41"]}})";

int EnvInt(const char* name, int def) {
  const char* v = std::getenv(name);
  return v ? std::max(1, std::atoi(v)) : def;
}

std::string ResidentId(const std::string& first17) {
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return first17 + kCheck[sum % 11];
}

std::string UnitCode(int n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "410302%03d001GB%05dF00010001", 1 + (n / 90000) % 999,
                1 + n % 90000);
  return buf;
}

[[noreturn]] void Fail(const std::string& what) {
  std::cerr << "benchmark failed: " << what << "\n";
  std::exit(1);
}

template <class Req, class Resp, class Method>
grpc::Status Call(v1::RegistrationService::Stub* stub, Method method, const Req& req, Resp* resp) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  return (stub->*method)(&ctx, req, resp);
}

std::unique_ptr<v1::RegistrationService::Stub> Client(const std::string& target, bool token) {
  nrp::rpc::ChannelOptions o;
  o.target = target;
  if (token) o.bearer_token = kToken;
  return v1::RegistrationService::NewStub(nrp::rpc::MakeChannel(o));
}

// Runs `fn(client index)` on `clients` threads until `stop` says so; returns calls per second.
double Hammer(int clients, std::chrono::seconds duration,
              const std::function<bool(int client, int64_t i)>& call) {
  std::atomic<int64_t> done{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      for (int64_t i = 0; !stop.load(); ++i) {
        if (!call(c, i)) Fail("a read call failed");
        done.fetch_add(1);
      }
    });
  }
  std::this_thread::sleep_for(duration);
  stop = true;
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  return done.load() / secs;
}

class FixedUnitServer final : public v1::RegistrationService::Service {
 public:
  explicit FixedUnitServer(v1::RealEstateUnit unit) : unit_(std::move(unit)) {}
  grpc::Status GetRealEstateUnit(grpc::ServerContext*, const v1::GetRealEstateUnitRequest*,
                                 v1::RealEstateUnit* out) override {
    *out = unit_;
    return grpc::Status::OK;
  }

 private:
  v1::RealEstateUnit unit_;
};

// pgbench with a one-row INSERT transaction on the same database; returns its tps.
double PgbenchInsertTps(const std::string& conninfo, int clients, int seconds) {
  {
    pqxx::connection c(conninfo);
    pqxx::work tx(c);
    tx.exec(
        "CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY, unit_code text NOT "
        "NULL, payload bytea NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())");
    tx.commit();
  }
  char script[] = "/tmp/nrp-reg-pgbench-XXXXXX";
  int fd = mkstemp(script);
  if (fd < 0) Fail("mkstemp");
  close(fd);
  std::ofstream(script) << "BEGIN;\n"
                           "INSERT INTO bench_baseline (unit_code, payload) VALUES "
                           "('410302001001GB00012F00010001', decode(repeat('ab', 400), 'hex'));\n"
                           "COMMIT;\n";
  std::string cmd = "pgbench -n -c " + std::to_string(clients) + " -j " + std::to_string(clients) +
                    " -T " + std::to_string(seconds) + " -f " + script + " \"" + conninfo +
                    "\" 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) Fail("cannot run pgbench");
  std::string out;
  std::array<char, 512> buf;
  while (fgets(buf.data(), buf.size(), p)) out += buf.data();
  int rc = pclose(p);
  std::remove(script);
  if (rc != 0) Fail("pgbench: " + out);
  size_t at = out.find("tps = ");
  if (at == std::string::npos) Fail("pgbench printed no tps: " + out);
  return std::atof(out.c_str() + at + 6);
}

}  // namespace

int main() {
  using namespace nrp::registration;
  nrp::log::Configure("registration-bench", nrp::log::Level::kWarn);
  const int clients = EnvInt("NRP_BENCH_CLIENTS", 8);
  const int cases = EnvInt("NRP_BENCH_CASES", 400);
  const int seconds = EnvInt("NRP_BENCH_SECONDS", 5);
  const auto& infra = nrp::testing::GetInfra();
  nrp::testing::TestDatabase db("regbench");

  nrp::service::RuntimeOptions o;
  o.service = "registration";
  o.db_url = db.conninfo();
  o.pool.conninfo = db.conninfo();
  o.pool.size = static_cast<size_t>(clients) + 4;
  o.pool.acquire_timeout = std::chrono::seconds(30);
  o.redis = nrp::cache::RedisOptions::FromAddress(infra.redis_addr).value();
  o.redis.pool_size = static_cast<size_t>(clients) + 2;
  o.rate_limit.scope = "registration-bench-" + nrp::NewUuidV4();
  o.rate_limit.rate_per_second = 1e9;
  o.rate_limit.burst = 1000000000;
  const std::string prefix = "bench" + nrp::NewUuidV4().substr(0, 8) + ".";
  o.topic_prefix = prefix;
  o.ensure_topics = true;
  o.server.address = "127.0.0.1:0";
  o.server.metrics_address = "off";
  o.relay.service = "registration";
  o.relay.conninfo = db.conninfo();
  o.relay.kafka.bootstrap = infra.kafka_bootstrap;
  o.consumer.kafka.bootstrap = infra.kafka_bootstrap;
  o.consumer.group_id = o.topic_prefix + "registration";
  o.authenticator = nrp::rpc::MakeStaticTokenAuthenticator(kTokens).value();
  // Monday 2026-09-28 10:00 China time, a working day.
  nrp::ManualClock clock(ChinaMidnight(nrp::Date(2026, 9, 28)) + std::chrono::hours(10));
  nrp::service::Runtime rt(std::move(o), clock);
  if (auto s = rt.Init(nrp::registration::Migrations()); !s.ok()) Fail(s.error().ToString());
  RegistrationConfig config;
  config.cache_prefix = "nrp:" + prefix + "registration:";
  auto signer = LoadSigner(rt, config);
  if (!signer.ok()) Fail(signer.error().ToString());
  RegistrationApi api(rt, std::move(config), *signer);
  if (auto s = Wire(rt, api, false); !s.ok()) Fail(s.error().ToString());
  if (auto s = rt.Start(); !s.ok()) Fail(s.error().ToString());

  // Prepare `cases` reviewed first registrations on distinct units.
  std::cout << "preparing " << cases << " reviewed cases with " << clients << " clients...\n";
  std::vector<std::string> case_ids(cases);
  std::atomic<int> next{0};
  {
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&] {
        auto stub = Client(rt.target(), true);
        for (int i = next++; i < cases; i = next++) {
          v1::CreateRealEstateUnitRequest ureq;
          ureq.set_request_id(nrp::NewUuidV4());
          auto* u = ureq.mutable_unit();
          u->set_unit_code(UnitCode(i));
          u->set_location("洛阳市老城区");
          u->mutable_geometry()->set_encoding(cpb::GEOMETRY_ENCODING_WKT);
          u->mutable_geometry()->set_text(
              "POLYGON((112.47 34.68, 112.471 34.68, 112.471 34.681, 112.47 34.681, 112.47 "
              "34.68))");
          v1::RealEstateUnit unit;
          if (auto s = Call(stub.get(), &v1::RegistrationService::Stub::CreateRealEstateUnit, ureq,
                            &unit);
              !s.ok())
            Fail("create unit: " + s.error_message());
          v1::SubmitCaseRequest sreq;
          sreq.set_request_id(nrp::NewUuidV4());
          auto* app = sreq.mutable_registration_case();
          app->set_region_code("410302");
          app->set_kind(v1::REGISTRATION_KIND_FIRST);
          app->set_right_kind(v1::RIGHT_KIND_STATE_LAND_USE_AND_HOUSE_OWNERSHIP);
          app->set_unit_code(UnitCode(i));
          app->set_channel(v1::SUBMISSION_CHANNEL_COUNTER);
          cpb::Party p;
          p.set_kind(cpb::PARTY_KIND_PERSON);
          p.set_name("张三");
          p.set_id_type(cpb::ID_DOCUMENT_TYPE_RESIDENT_ID_CARD);
          p.set_id_number(ResidentId("41030219800101123"));
          auto* a = app->add_applicants();
          *a->mutable_party() = p;
          a->set_role(v1::APPLICANT_ROLE_RIGHT_HOLDER);
          auto* r = app->mutable_proposed_right();
          r->set_right_kind(v1::RIGHT_KIND_STATE_LAND_USE_AND_HOUSE_OWNERSHIP);
          *r->add_holders()->mutable_party() = p;
          r->set_co_ownership(v1::CO_OWNERSHIP_SOLE);
          r->set_purpose("城镇住宅用地/住宅");
          v1::RegistrationCase c;
          if (auto s = Call(stub.get(), &v1::RegistrationService::Stub::SubmitCase, sreq, &c);
              !s.ok())
            Fail("submit: " + s.error_message());
          v1::AcceptCaseRequest areq;
          areq.set_request_id(nrp::NewUuidV4());
          areq.set_case_id(c.case_id());
          if (auto s = Call(stub.get(), &v1::RegistrationService::Stub::AcceptCase, areq, &c);
              !s.ok())
            Fail("accept: " + s.error_message());
          v1::ReviewCaseRequest rreq;
          rreq.set_request_id(nrp::NewUuidV4());
          rreq.set_case_id(c.case_id());
          rreq.set_outcome(v1::REVIEW_OUTCOME_APPROVED);
          if (auto s = Call(stub.get(), &v1::RegistrationService::Stub::ReviewCase, rreq, &c);
              !s.ok())
            Fail("review: " + s.error_message());
          case_ids[i] = c.case_id();
        }
      });
    }
    for (auto& t : threads) t.join();
  }

  // Recorded cases per second.
  next = 0;
  auto start = Clock::now();
  {
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&] {
        auto stub = Client(rt.target(), true);
        for (int i = next++; i < cases; i = next++) {
          v1::RecordCaseRequest req;
          req.set_request_id(nrp::NewUuidV4());
          req.set_case_id(case_ids[i]);
          v1::RegistrationCase out;
          if (auto s = Call(stub.get(), &v1::RegistrationService::Stub::RecordCase, req, &out);
              !s.ok())
            Fail("record: " + s.error_message());
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  const double record_secs = std::chrono::duration<double>(Clock::now() - start).count();
  const double recorded_per_s = cases / record_secs;
  const double pgbench_tps = PgbenchInsertTps(db.conninfo(), clients, seconds);

  // GetRealEstateUnit calls per second, and the bare server.
  std::vector<std::unique_ptr<v1::RegistrationService::Stub>> stubs;
  for (int c = 0; c < clients; ++c) stubs.push_back(Client(rt.target(), true));
  const double get_per_s = Hammer(clients, std::chrono::seconds(seconds), [&](int c, int64_t i) {
    v1::GetRealEstateUnitRequest req;
    req.set_unit_code(UnitCode(static_cast<int>((i * 7 + c) % cases)));
    v1::RealEstateUnit out;
    return Call(stubs[c].get(), &v1::RegistrationService::Stub::GetRealEstateUnit, req, &out).ok();
  });
  v1::RealEstateUnit fixed;
  {
    v1::GetRealEstateUnitRequest req;
    req.set_unit_code(UnitCode(0));
    if (!Call(stubs[0].get(), &v1::RegistrationService::Stub::GetRealEstateUnit, req, &fixed).ok())
      Fail("get unit");
  }
  FixedUnitServer bare_service(fixed);
  grpc::ServerBuilder builder;
  int bare_port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &bare_port);
  builder.RegisterService(&bare_service);
  auto bare = builder.BuildAndStart();
  std::vector<std::unique_ptr<v1::RegistrationService::Stub>> bare_stubs;
  for (int c = 0; c < clients; ++c) {
    bare_stubs.push_back(Client("127.0.0.1:" + std::to_string(bare_port), false));
  }
  const double bare_per_s = Hammer(clients, std::chrono::seconds(seconds), [&](int c, int64_t) {
    v1::GetRealEstateUnitRequest req;
    req.set_unit_code(UnitCode(0));
    v1::RealEstateUnit out;
    return Call(bare_stubs[c].get(), &v1::RegistrationService::Stub::GetRealEstateUnit, req, &out)
        .ok();
  });
  bare->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  rt.Stop();

  std::printf("\nregistration benchmark (%d clients, %d cases, %d s per read measurement)\n",
              clients, cases, seconds);
  std::printf("%-44s %12s %12s %8s\n", "measure", "service/s", "baseline/s", "ratio");
  std::printf("%-44s %12.1f %12.1f %8.3f\n", "RecordCase vs pgbench one-row INSERT txn",
              recorded_per_s, pgbench_tps, recorded_per_s / pgbench_tps);
  std::printf("%-44s %12.1f %12.1f %8.3f\n", "GetRealEstateUnit vs bare gRPC fixed reply",
              get_per_s, bare_per_s, get_per_s / bare_per_s);
  return 0;
}
