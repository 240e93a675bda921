// Everything a service process needs besides its domain: configuration from
// NRP_* variables, the database pool and migrations, Redis, the gRPC server
// (auth, health tied to the database, reflection, metrics), the outbox relay,
// the event consumer, periodic jobs, and an orderly shutdown. A service's
// main.cc only wires its handlers into a Runtime; integration tests build the
// same Runtime in-process with explicit options.
//
//   nrp::Env env;
//   auto options = nrp::service::RuntimeOptions::FromEnv(env, "planning", 50055, 9105);
//   nrp::service::Runtime rt(std::move(options).value());
//   NRP_RETURN_IF_ERROR(rt.Init({nrp_migrations_planning()}));
//   PlanningApi api(rt);
//   rt.AddService(&api, "nrp.planning.v1.PlanningService");
//   rt.Subscribe(nrp::events::kLandSupplyTopic, "nrp.land_supply.parcel_delivered.v1", handler);
//   rt.Every("indicator-recompute", 60s, [&] { ... });
//   return rt.Run();   // until SIGTERM, then drain, stop consumer, flush relay
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "nrp/cache/rate_limiter.h"
#include "nrp/cache/redis_client.h"
#include "nrp/cache/replay_cache.h"
#include "nrp/core/clock.h"
#include "nrp/core/config.h"
#include "nrp/core/status.h"
#include "nrp/db/migrations.h"
#include "nrp/db/pool.h"
#include "nrp/events/consumer.h"
#include "nrp/events/relay.h"
#include "nrp/rpc/auth.h"
#include "nrp/rpc/server.h"
#include "nrp/service/calendar_source.h"
#include "nrp/service/deadlines.h"

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace nrp::service {

struct RuntimeOptions {
  // Service name as in topics and scopes: "registration", "land_supply", …
  std::string service;
  // NRP_DB_URL: libpq conninfo of the service's own database.
  std::string db_url;
  // NRP_DB_POOL_SIZE (16), NRP_DB_ACQUIRE_TIMEOUT (2s), NRP_DB_STATEMENT_TIMEOUT (30s).
  db::PoolOptions pool;
  // NRP_REDIS_ADDR etc. (see RedisOptions::FromEnv).
  cache::RedisOptions redis;
  // NRP_RATE_LIMIT_* (per calling agency).
  cache::RateLimitOptions rate_limit;
  // NRP_KAFKA_TOPIC_PREFIX: prepended to every topic name the service
  // produces to or consumes from (empty in production; tests isolate with it).
  std::string topic_prefix;
  // NRP_KAFKA_ENSURE_TOPICS (false): at start, ask the brokers for each topic
  // this service uses so that brokers allowing auto-creation create them.
  bool ensure_topics = false;
  // NRP_REPLAY_TTL (24h): how long Redis keeps a completed response for a retry.
  std::chrono::milliseconds replay_ttl{std::chrono::hours(24)};
  // NRP_CALENDAR_DIR (the installed or shipped calendars): the working-day calendar files;
  // NRP_CALENDAR_POLL (10s): how often the folder is checked for changes.
  std::string calendar_dir;
  std::chrono::milliseconds calendar_poll{std::chrono::seconds(10)};
  rpc::ServerOptions server;
  events::RelayOptions relay;
  events::ConsumerOptions consumer;
  std::shared_ptr<const rpc::Authenticator> authenticator;

  // Reads every variable; INVALID_ARGUMENT naming each bad one.
  static Result<RuntimeOptions> FromEnv(Env& env, std::string service, int grpc_port,
                                        int metrics_port);
};

class Runtime {
 public:
  explicit Runtime(RuntimeOptions options, const Clock& clock = SystemClock::Instance());
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Creates the pool and the Redis client, applies the events library's and
  // this library's migrations, then `migrations`, and loads the working-day
  // calendar (INVALID_ARGUMENT naming NRP_CALENDAR_DIR when it does not load).
  Status Init(const std::vector<db::MigrationSet>& migrations);

  const RuntimeOptions& options() const { return options_; }
  const std::string& service() const { return options_.service; }
  const Clock& clock() const { return clock_; }
  db::Pool& db() { return *pool_; }
  std::shared_ptr<db::Pool> pool() { return pool_; }
  cache::RedisClient& redis() { return *redis_; }
  cache::ReplayCache& replay() { return *replay_; }
  // The working-day calendar in force (reloaded while running; see calendar_source.h).
  CalendarSource& calendar() { return *calendar_; }
  std::shared_ptr<const WorkingCalendar> Calendar() const { return calendar_->Current(); }
  // The service's working-day deadlines. Register an applier per subject kind before
  // Start; from Start on, every calendar change recounts the open deadlines it affects
  // (and once at start, for files changed while the service was down).
  Deadlines& deadlines() { return *deadlines_; }
  // Reads the calendar folder now and recounts what a change affects (the
  // background job does the same when the folder changed, on SIGHUP, and when
  // the year turns). INVALID_ARGUMENT when the folder does not load; the
  // calendar in force then stays.
  Result<RecountReport> RefreshCalendar();

  // `topic_prefix` + `base`.
  std::string Topic(std::string_view base) const;

  // Registers a gRPC service (before Start). `full_name` as in the proto.
  Status AddService(grpc::Service* service, std::string full_name);
  // Handles events of `type` from `base_topic` (before Start).
  void Subscribe(std::string_view base_topic, std::string type, events::EventHandler handler);
  // Runs `job` every `interval` on a thread of its own from Start to Stop; a
  // job must be safe when several replicas run it (SKIP LOCKED, advisory
  // locks). An exception or error in one run is logged; the next run goes on.
  void Every(std::string name, std::chrono::milliseconds interval, std::function<void()> job);

  // Starts relay, consumer, jobs and the server. After Start, port() is bound.
  Status Start();
  // Start()s if needed and serves until SIGTERM/SIGINT or RequestStop(), then Stop()s.
  Status Run();
  void RequestStop();
  // Drains the server, stops the consumer (after its commit), the jobs and
  // the relay (flushing what the broker still has to acknowledge). Idempotent.
  void Stop();

  int port() const;
  std::string target() const;
  rpc::Server& server() { return *server_; }
  events::Relay* relay() { return relay_.get(); }
  events::Consumer* consumer() { return consumer_.get(); }

  // The per-agency rate limit: RESOURCE_EXHAUSTED with the wait when over it.
  Status Admit(const rpc::Caller& caller);

 private:
  struct Job {
    std::string name;
    std::chrono::milliseconds interval;
    std::function<void()> fn;
    std::thread thread;
  };
  void RunJob(Job* job);
  Result<RecountReport> RecountIfChanged();

  RuntimeOptions options_;
  const Clock& clock_;
  std::shared_ptr<db::Pool> pool_;
  std::unique_ptr<cache::RedisClient> redis_;
  std::unique_ptr<cache::ReplayCache> replay_;
  std::unique_ptr<cache::RateLimiter> limiter_;
  std::shared_ptr<CalendarSource> calendar_;
  std::unique_ptr<Deadlines> deadlines_;
  std::mutex recount_mu_;
  uint64_t recounted_generation_ = 0;
  std::optional<std::chrono::steady_clock::time_point> recount_retry_at_;
  bool calendar_job_added_ = false;
  std::unique_ptr<rpc::Server> server_;
  std::unique_ptr<events::Relay> relay_;
  std::unique_ptr<events::Consumer> consumer_;
  std::vector<std::pair<std::string, std::pair<std::string, events::EventHandler>>> handlers_;
  std::vector<std::unique_ptr<Job>> jobs_;
  std::mutex jobs_mu_;
  std::condition_variable jobs_cv_;
  bool stopping_ = false;
  bool started_ = false;
  bool stopped_ = false;
};

// Ask the brokers for metadata of each topic with auto-creation allowed, so
// a broker that permits it (the development broker does) creates them.
Status EnsureTopics(const events::KafkaOptions& kafka, const std::vector<std::string>& topics,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace nrp::service
