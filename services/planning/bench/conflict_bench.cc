// Conflict checks per second against a layer of 100 000 polygons, with
// latency percentiles, beside a baseline measured in the same run: the same
// PostGIS query the service runs, issued directly with libpqxx.
//
// Needs the infrastructure of scripts/test (NRP_TEST_PG_ADMIN,
// NRP_TEST_REDIS_ADDR, NRP_TEST_KAFKA_BOOTSTRAP). The service runs in this
// process on a fresh database; the layer is imported through gRPC
// (ImportZones) and published like any other. Flags:
//   --zones=N      polygons in the layer (100000)
//   --threads=N    concurrent clients (4)
//   --seconds=N    measuring time per run (10)
//   --queries=N    distinct query geometries (5000)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "nrp/core/log.h"
#include "nrp/core/uuid.h"
#include "nrp/db/pool.h"
#include "nrp/planning/v1/planning.grpc.pb.h"
#include "nrp/rpc/auth.h"
#include "nrp/rpc/client.h"
#include "nrp/service/runtime.h"
#include "nrp/testing/infra.h"
#include "nrp_migrations_planning.h"
#include "planning_service.h"
#include "store/sql.h"
#include "store/zone_store.h"

namespace {

namespace v1 = nrp::planning::v1;
namespace common = nrp::common::v1;
using Clock = std::chrono::steady_clock;

constexpr char kToken[] = "bench-token-0123456789abcdef";

struct Options {
  int zones = 100000;
  int threads = 4;
  int seconds = 10;
  int queries = 5000;
};

Options ParseFlags(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    auto flag = [&](const char* name, int* out) {
      size_t n = std::strlen(name);
      if (std::strncmp(argv[i], name, n) == 0 && argv[i][n] == '=')
        *out = std::atoi(argv[i] + n + 1);
    };
    flag("--zones", &o.zones);
    flag("--threads", &o.threads);
    flag("--seconds", &o.seconds);
    flag("--queries", &o.queries);
  }
  return o;
}

std::string Rect(double x0, double y0, double x1, double y1) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "POLYGON((%.6f %.6f, %.6f %.6f, %.6f %.6f, %.6f %.6f, %.6f %.6f))",
                x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
  return buf;
}

// The layer: a grid of cells 0.004° wide every 0.005° (about 450 m), 400 columns.
constexpr double kLon0 = 112.0, kLat0 = 34.0, kStep = 0.005, kCell = 0.004;
constexpr int kColumns = 400;

struct Result {
  std::string name;
  int64_t ops = 0;
  double seconds = 0;
  std::vector<double> latencies_ms;
  int64_t errors = 0;
  int64_t zones_touched = 0;
};

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return v[i];
}

// Runs `op(thread, i)` from `threads` threads for `seconds`.
Result Run(const std::string& name, int threads, int seconds,
           const std::function<bool(int, int64_t, int64_t*)>& op) {
  Result r;
  r.name = name;
  std::vector<std::vector<double>> lat(threads);
  std::atomic<int64_t> errors{0}, touched{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> pool;
  auto start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int64_t i = 0; !stop.load(); ++i) {
        auto s = Clock::now();
        int64_t n = 0;
        bool ok = op(t, i * threads + t, &n);
        auto e = Clock::now();
        if (!ok) ++errors;
        touched += n;
        lat[t].push_back(std::chrono::duration<double, std::milli>(e - s).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& th : pool) th.join();
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& l : lat) r.latencies_ms.insert(r.latencies_ms.end(), l.begin(), l.end());
  r.ops = static_cast<int64_t>(r.latencies_ms.size());
  r.errors = errors;
  r.zones_touched = touched;
  return r;
}

void Print(Result r) {
  const double p50 = Percentile(r.latencies_ms, 0.50), p95 = Percentile(r.latencies_ms, 0.95),
               p99 = Percentile(r.latencies_ms, 0.99);
  const double max = r.latencies_ms.empty() ? 0.0 : r.latencies_ms.back();
  std::printf("%-48s %9.1f/s %8.2f %8.2f %8.2f %8.2f %7.2f %6lld\n", r.name.c_str(),
              r.ops / r.seconds, p50, p95, p99, max,
              r.ops ? static_cast<double>(r.zones_touched) / static_cast<double>(r.ops) : 0.0,
              static_cast<long long>(r.errors));
}

}  // namespace

int main(int argc, char** argv) {
  Options opt = ParseFlags(argc, argv);
  nrp::log::Configure("planning-bench", nrp::log::Level::kWarn);
  const auto& infra = nrp::testing::GetInfra();
  nrp::testing::TestDatabase db("planning_bench");

  nrp::service::RuntimeOptions o;
  o.service = "planning";
  o.db_url = db.conninfo();
  o.pool.conninfo = db.conninfo();
  o.pool.size = static_cast<size_t>(opt.threads) * 2 + 4;
  o.redis = nrp::cache::RedisOptions::FromAddress(infra.redis_addr).value();
  o.redis.pool_size = static_cast<size_t>(opt.threads) + 2;
  o.rate_limit.scope = "planning-bench-" + nrp::NewUuidV4();
  o.rate_limit.rate_per_second = 1e9;
  o.rate_limit.burst = 1e9;
  const std::string prefix = "bench" + nrp::NewUuidV4().substr(0, 8) + ".";
  o.topic_prefix = prefix;
  o.ensure_topics = true;
  o.server.address = "127.0.0.1:0";
  o.server.metrics_address = "off";
  o.server.max_message_bytes = 64 << 20;
  o.relay.service = "planning";
  o.relay.conninfo = db.conninfo();
  o.relay.kafka.bootstrap = infra.kafka_bootstrap;
  o.consumer.kafka.bootstrap = infra.kafka_bootstrap;
  o.consumer.group_id = prefix + "planning";
  o.authenticator =
      nrp::rpc::MakeStaticTokenAuthenticator(
          std::string(R"({")") + kToken +
          R"(": {"agency": "bench", "scopes": ["planning.read", "planning.write"], "regions": ["41"]}})")
          .value();
  nrp::service::Runtime rt(std::move(o));
  if (auto st = rt.Init({nrp_migrations_planning()}); !st.ok()) {
    std::cerr << "init: " << st.error().ToString() << "\n";
    return 1;
  }
  nrp::planning::PlanningConfig config;
  config.max_import_zones = opt.zones;
  config.data_dir = nrp::planning::DefaultDataDir();
  nrp::planning::PlanningService service(rt, config);
  if (auto st = service.Wire(); !st.ok() || !(st = rt.Start()).ok()) {
    std::cerr << "start: " << st.error().ToString() << "\n";
    return 1;
  }
  nrp::rpc::ChannelOptions co;
  co.target = rt.target();
  co.bearer_token = kToken;
  co.max_message_bytes = 64 << 20;
  auto channel = nrp::rpc::MakeChannel(co);
  auto stub = v1::PlanningService::NewStub(channel);

  // ---- the layer ----------------------------------------------------------
  std::string layer_id;
  {
    grpc::ClientContext ctx;
    v1::CreateZoneLayerRequest req;
    req.set_request_id(nrp::NewUuidV4());
    req.mutable_layer()->set_kind(common::ZONE_LAYER_KIND_PERMANENT_BASIC_FARMLAND);
    req.mutable_layer()->set_region_code("410300");
    req.mutable_layer()->set_name("benchmark farmland");
    v1::ZoneLayer layer;
    if (!stub->CreateZoneLayer(&ctx, req, &layer).ok()) return 1;
    layer_id = layer.layer_id();
    grpc::ClientContext vctx;
    v1::CreateLayerVersionRequest vreq;
    vreq.set_request_id(nrp::NewUuidV4());
    vreq.set_layer_id(layer_id);
    v1::LayerVersion v;
    if (!stub->CreateLayerVersion(&vctx, vreq, &v).ok()) return 1;
  }
  auto t0 = Clock::now();
  {
    grpc::ClientContext ctx;
    v1::ImportZonesResponse resp;
    auto writer = stub->ImportZones(&ctx, &resp);
    v1::ImportZonesRequest msg;
    for (int i = 0; i < opt.zones; ++i) {
      if (msg.zones_size() == 0) {
        msg.set_request_id(i == 0 ? nrp::NewUuidV4() : "");
        msg.set_layer_id(layer_id);
        msg.set_version(1);
      }
      const double x = kLon0 + (i % kColumns) * kStep, y = kLat0 + (i / kColumns) * kStep;
      auto* z = msg.add_zones();
      z->set_zone_id("PBF-" + std::to_string(i));
      z->mutable_geometry()->set_encoding(common::GEOMETRY_ENCODING_WKT);
      z->mutable_geometry()->set_text(Rect(x, y, x + kCell, y + kCell));
      if (msg.zones_size() == 5000 || i == opt.zones - 1) {
        if (!writer->Write(msg)) break;
        msg.Clear();
      }
    }
    writer->WritesDone();
    auto st = writer->Finish();
    if (!st.ok() || resp.zone_count() != opt.zones) {
      std::cerr << "import: " << st.error_message() << " zones " << resp.zone_count() << "\n";
      return 1;
    }
  }
  auto t1 = Clock::now();
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(30));
    v1::PublishLayerVersionRequest req;
    req.set_request_id(nrp::NewUuidV4());
    req.set_layer_id(layer_id);
    req.set_version(1);
    v1::LayerVersion v;
    auto st = stub->PublishLayerVersion(&ctx, req, &v);
    if (!st.ok()) {
      std::cerr << "publish: " << st.error_message() << "\n";
      return 1;
    }
  }
  auto t2 = Clock::now();
  {
    nrp::db::PoolOptions po;
    po.conninfo = db.conninfo();
    auto p = nrp::db::Pool::Create(po);
    auto lease = p->Acquire();
    pqxx::nontransaction tx(**lease);
    tx.exec("VACUUM ANALYZE zones");
  }

  // ---- the queries: rectangles of about 1 km × 1 km at random places -------
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> ux(kLon0, kLon0 + kColumns * kStep - 0.01);
  std::uniform_real_distribution<double> uy(kLat0, kLat0 + (opt.zones / kColumns) * kStep - 0.01);
  std::vector<std::string> queries;
  for (int i = 0; i < opt.queries; ++i) {
    const double x = ux(rng), y = uy(rng);
    queries.push_back(Rect(x, y, x + 0.01, y + 0.01));
  }
  const int64_t n = static_cast<int64_t>(queries.size());

  std::printf(
      "layer: %d polygons; import %.1f s, publish (with %d events) %.1f s; %d threads, %d s per "
      "run\n",
      opt.zones, std::chrono::duration<double>(t1 - t0).count(), opt.zones + 1,
      std::chrono::duration<double>(t2 - t1).count(), opt.threads, opt.seconds);
  std::printf("%-48s %11s %8s %8s %8s %8s %7s %6s\n", "run", "rate", "p50 ms", "p95 ms", "p99 ms",
              "max ms", "zones", "errors");

  // Baseline: the same PostGIS query, issued directly (one connection per thread).
  std::vector<std::unique_ptr<pqxx::connection>> conns;
  for (int t = 0; t < opt.threads; ++t)
    conns.push_back(std::make_unique<pqxx::connection>(db.conninfo()));
  const std::string ids = "{" + layer_id + "}";
  auto direct = Run("baseline: PostGIS query issued directly", opt.threads, opt.seconds,
                    [&](int t, int64_t i, int64_t* touched) {
                      try {
                        pqxx::work tx(*conns[t]);
                        tx.conn().prepare("check_zones", nrp::planning::store::kCheckZonesSql);
                        auto r = tx.exec_prepared("check_zones", 1, queries[i % n], ids, "{1}");
                        *touched = static_cast<int64_t>(r.size());
                        tx.commit();
                        return true;
                      } catch (const std::exception&) {
                        return false;
                      }
                    });
  // The service through gRPC, each geometry new to the cache in this run.
  std::atomic<int64_t> offset{0};
  auto check = [&](const std::string& wkt, int64_t* touched) {
    grpc::ClientContext ctx;
    v1::CheckConflictsRequest req;
    req.mutable_geometry()->set_encoding(common::GEOMETRY_ENCODING_WKT);
    req.mutable_geometry()->set_text(wkt);
    req.set_intended_use(common::SPATIAL_USE_RURAL_CONSTRUCTION);
    v1::CheckConflictsResponse resp;
    auto st = stub->CheckConflicts(&ctx, req, &resp);
    *touched = resp.result().conflicts_size();
    return st.ok();
  };
  auto miss = Run("service: CheckConflicts, new geometries", opt.threads, opt.seconds,
                  [&](int, int64_t, int64_t* touched) {
                    // Shift every query so that none repeats (a cache miss each time).
                    int64_t k = offset++;
                    const std::string& base = queries[k % n];
                    double dx = 1e-6 * static_cast<double>(k / n + 1);
                    double x0, y0, x1, y1;
                    std::sscanf(base.c_str(), "POLYGON((%lf %lf, %lf", &x0, &y0, &x1);
                    y1 = y0 + 0.01;
                    return check(Rect(x0 + dx, y0, x1 + dx, y1), touched);
                  });
  // Warm the cache with a small set, then repeat it.
  const int64_t hot = std::min<int64_t>(n, 200);
  for (int64_t i = 0; i < hot; ++i) {
    int64_t t;
    check(queries[i], &t);
  }
  auto hit =
      Run("service: CheckConflicts, repeated (Redis cache)", opt.threads, opt.seconds,
          [&](int, int64_t i, int64_t* touched) { return check(queries[i % hot], touched); });
  Print(direct);
  Print(miss);
  Print(hit);
  auto stats = service.api().check_cache_stats();
  std::printf("cache: %lld hits, %lld misses, %lld stores, %lld redis errors\n",
              static_cast<long long>(stats.hits), static_cast<long long>(stats.misses),
              static_cast<long long>(stats.stores), static_cast<long long>(stats.redis_errors));
  std::printf("service/baseline throughput: %.2f (new geometries), %.2f (repeated)\n",
              (miss.ops / miss.seconds) / (direct.ops / direct.seconds),
              (hit.ops / hit.seconds) / (direct.ops / direct.seconds));
  rt.Stop();
  return 0;
}
