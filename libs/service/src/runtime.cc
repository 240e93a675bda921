#include "nrp/service/runtime.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <set>

#include "nrp/core/log.h"
#include "nrp/core/trace.h"
#include "nrp/events/outbox.h"
#include "nrp/events/topics.h"
#include "nrp_migrations_service.h"

namespace nrp::service {

Result<RuntimeOptions> RuntimeOptions::FromEnv(Env& env, std::string service, int grpc_port,
                                               int metrics_port) {
  RuntimeOptions o;
  o.service = std::move(service);
  o.db_url =
      env.String("NRP_DB_URL", "host=127.0.0.1 port=55432 user=postgres dbname=nrp_" + o.service);
  o.pool.conninfo = o.db_url;
  o.pool.application_name = "nrp-" + o.service;
  o.pool.size = static_cast<size_t>(env.Int("NRP_DB_POOL_SIZE", 16, 1, 1000));
  o.pool.acquire_timeout = env.Duration("NRP_DB_ACQUIRE_TIMEOUT", std::chrono::seconds(2));
  o.pool.statement_timeout = env.Duration("NRP_DB_STATEMENT_TIMEOUT", std::chrono::seconds(30));
  auto redis = cache::RedisOptions::FromEnv(env);
  if (!redis.ok()) return std::move(redis.error());
  o.redis = std::move(redis).value();
  o.rate_limit = cache::RateLimitOptions::FromEnv(env, o.service);
  o.topic_prefix = env.String("NRP_KAFKA_TOPIC_PREFIX", "");
  o.ensure_topics = env.Bool("NRP_KAFKA_ENSURE_TOPICS", false);
  o.replay_ttl = env.Duration("NRP_REPLAY_TTL", std::chrono::hours(24));
  o.calendar_dir = env.String("NRP_CALENDAR_DIR", DefaultCalendarDir().string());
  o.calendar_poll = env.Duration("NRP_CALENDAR_POLL", std::chrono::seconds(10));
  o.server = rpc::ServerOptions::FromEnv(env, grpc_port, metrics_port);
  o.server.error_domain = o.service + ".nrp";
  auto relay = events::RelayOptions::FromEnv(env, o.service, o.db_url);
  if (!relay.ok()) return std::move(relay.error());
  o.relay = std::move(relay).value();
  auto consumer = events::ConsumerOptions::FromEnv(env, o.service, {});
  if (!consumer.ok()) return std::move(consumer.error());
  o.consumer = std::move(consumer).value();
  auto auth = rpc::MakeAuthenticatorFromEnv(env);
  NRP_RETURN_IF_ERROR(env.Check());
  if (!auth.ok()) return std::move(auth.error());
  o.authenticator = std::move(auth).value();
  return o;
}

Runtime::Runtime(RuntimeOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  server_ = std::make_unique<rpc::Server>(options_.server, options_.authenticator, [this] {
    if (!pool_) return Status(Error::Unavailable("database pool not initialised"));
    return pool_->Ping();
  });
}

Runtime::~Runtime() { Stop(); }

Status Runtime::Init(const std::vector<db::MigrationSet>& migrations) {
  pool_ = db::Pool::Create(options_.pool);
  redis_ = std::make_unique<cache::RedisClient>(options_.redis);
  replay_ = std::make_unique<cache::ReplayCache>(*redis_);
  limiter_ = std::make_unique<cache::RateLimiter>(*redis_, options_.rate_limit);
  CalendarSourceOptions calendar_options;
  calendar_options.dir = options_.calendar_dir.empty()
                             ? DefaultCalendarDir()
                             : std::filesystem::path(options_.calendar_dir);
  calendar_options.poll = options_.calendar_poll;
  calendar_options.service = options_.service;
  auto calendar = CalendarSource::Open(calendar_options, clock_);
  if (!calendar.ok()) {
    return Error::InvalidArgument("NRP_CALENDAR_DIR", calendar.error().message());
  }
  calendar_ = std::move(calendar).value();
  deadlines_ = std::make_unique<Deadlines>(*pool_, clock_);
  std::vector<db::MigrationSet> all = {events::Migrations(), nrp_migrations_service()};
  all.insert(all.end(), migrations.begin(), migrations.end());
  // The database may still be starting (a cluster restart, a pod scheduled
  // before its database): wait for it a bounded time before giving up.
  Status last = Ok();
  for (int attempt = 0; attempt < 30; ++attempt) {
    auto report = db::ApplyMigrations(*pool_, all);
    if (report.ok()) {
      log::Info("database ready",
                {{"applied", report->applied}, {"already_applied", report->already_applied}});
      return Ok();
    }
    if (report.error().code() != Code::kUnavailable) return std::move(report.error());
    last = std::move(report.error());
    log::Warn("database not reachable yet", {{"error", last.error().message()}});
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  return last;
}

std::string Runtime::Topic(std::string_view base) const {
  return options_.topic_prefix + std::string(base);
}

Status Runtime::AddService(grpc::Service* service, std::string full_name) {
  return server_->AddService(service, std::move(full_name));
}

void Runtime::Subscribe(std::string_view base_topic, std::string type,
                        events::EventHandler handler) {
  handlers_.push_back({Topic(base_topic), {std::move(type), std::move(handler)}});
}

void Runtime::Every(std::string name, std::chrono::milliseconds interval,
                    std::function<void()> job) {
  auto j = std::make_unique<Job>();
  j->name = std::move(name);
  j->interval = interval;
  j->fn = std::move(job);
  jobs_.push_back(std::move(j));
}

void Runtime::RunJob(Job* job) {
  std::unique_lock lock(jobs_mu_);
  while (!stopping_) {
    if (jobs_cv_.wait_for(lock, job->interval, [&] { return stopping_; })) break;
    lock.unlock();
    try {
      trace::Scope traced(trace::Continue(""));  // each run is a trace of its own
      job->fn();
    } catch (const std::exception& e) {
      log::Error("periodic job failed", {{"job", job->name}, {"error", e.what()}});
    }
    lock.lock();
  }
}

Status Runtime::Start() {
  if (started_) return Ok();
  if (!pool_) return Error::Internal("Runtime::Init must run before Start");
  std::vector<std::string> topics;
  for (const auto& h : handlers_) {
    if (std::find(topics.begin(), topics.end(), h.first) == topics.end()) {
      topics.push_back(h.first);
    }
  }
  if (options_.ensure_topics) {
    std::vector<std::string> all = topics;
    for (auto base : events::kPlatformTopics) {
      if (base.find(options_.service) != std::string_view::npos) {
        all.push_back(Topic(base));
        all.push_back(events::DlqTopic(Topic(base)));
      }
    }
    for (const auto& t : topics) all.push_back(events::DlqTopic(t));
    NRP_RETURN_IF_ERROR(EnsureTopics(options_.relay.kafka, all));
  }
  relay_ = std::make_unique<events::Relay>(pool_, options_.relay);
  NRP_RETURN_IF_ERROR(relay_->Start());
  if (!handlers_.empty()) {
    events::ConsumerOptions copts = options_.consumer;
    copts.topics = topics;
    consumer_ = std::make_unique<events::Consumer>(pool_, copts);
    for (auto& h : handlers_) consumer_->Handle(h.second.first, h.second.second);
    NRP_RETURN_IF_ERROR(consumer_->Start());
  }
  if (!calendar_job_added_) {
    calendar_job_added_ = true;
    Every("calendar", std::chrono::seconds(1), [this] {
      std::lock_guard lock(recount_mu_);
      calendar_->Tick();
      auto report = RecountIfChanged();
      if (!report.ok()) {
        log::Warn("deadline recount failed; the next tick retries",
                  {{"error", report.error().ToString()}});
      }
    });
  }
  {
    std::lock_guard lock(jobs_mu_);
    stopping_ = false;
  }
  for (auto& job : jobs_) {
    Job* j = job.get();
    j->thread = std::thread([this, j] { RunJob(j); });
  }
  NRP_RETURN_IF_ERROR(server_->Start());
  started_ = true;
  log::Info("service started", {{"service", options_.service},
                                {"grpc", server_->target()},
                                {"metrics_port", server_->metrics_port()}});
  return Ok();
}

Result<RecountReport> Runtime::RecountIfChanged() {
  const uint64_t generation = calendar_->generation();
  const auto now = std::chrono::steady_clock::now();
  const bool retry_due = recount_retry_at_ && now >= *recount_retry_at_;
  if (generation == recounted_generation_ && !retry_due) return RecountReport{};
  auto report = deadlines_->Recount(*calendar_->Current());
  if (!report.ok()) return report;  // the database: the next tick tries again
  recounted_generation_ = generation;
  // A deadline whose subject refused the recount is tried again a minute later, not every
  // tick: it stays stale (and logged) until it can be applied.
  recount_retry_at_.reset();
  if (report->failed > 0) recount_retry_at_ = now + std::chrono::minutes(1);
  return report;
}

Result<RecountReport> Runtime::RefreshCalendar() {
  std::lock_guard lock(recount_mu_);
  auto refreshed = calendar_->Refresh();
  if (!refreshed.ok()) return std::move(refreshed.error());
  return RecountIfChanged();
}

Status Runtime::Run() {
  CalendarSource::InstallReloadSignal();
  NRP_RETURN_IF_ERROR(Start());
  Status s = server_->Run();
  Stop();
  return s;
}

void Runtime::RequestStop() { server_->RequestStop(); }

void Runtime::Stop() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  server_->Drain();
  if (consumer_) consumer_->Stop();
  {
    std::lock_guard lock(jobs_mu_);
    stopping_ = true;
  }
  jobs_cv_.notify_all();
  for (auto& job : jobs_) {
    if (job->thread.joinable()) job->thread.join();
  }
  if (relay_) relay_->Stop();
  log::Info("service stopped", {{"service", options_.service}});
}

int Runtime::port() const { return server_->port(); }
std::string Runtime::target() const { return server_->target(); }

Status Runtime::Admit(const rpc::Caller& caller) {
  auto d = limiter_->Allow(caller.agency.empty() ? caller.token_id : caller.agency);
  if (!d.ok()) return std::move(d.error());
  if (d->allowed) return Ok();
  Error e = Error::ResourceExhausted("rate limit of agency '" + caller.agency +
                                     "' exceeded; retry after " +
                                     std::to_string(d->retry_after_ms) + " ms");
  e.WithReason("RATE_LIMITED").WithMetadata("retry_after_ms", std::to_string(d->retry_after_ms));
  return e;
}

Status EnsureTopics(const events::KafkaOptions& kafka, const std::vector<std::string>& topics,
                    std::chrono::milliseconds timeout) {
  auto rk = events::CreateKafkaClient(RD_KAFKA_PRODUCER, kafka, {},
                                      {{"allow.auto.create.topics", "true"}});
  if (!rk.ok()) return std::move(rk.error());
  std::set<std::string> unique(topics.begin(), topics.end());
  for (const auto& name : unique) {
    rd_kafka_topic_t* t = rd_kafka_topic_new(rk->get(), name.c_str(), nullptr);
    const rd_kafka_metadata_t* md = nullptr;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    bool ready = false;
    while (std::chrono::steady_clock::now() < deadline) {
      err = rd_kafka_metadata(rk->get(), 0, t, &md, 2000);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR && md) {
        ready = md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR &&
                md->topics[0].partition_cnt > 0;
        rd_kafka_metadata_destroy(md);
        md = nullptr;
        if (ready) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    rd_kafka_topic_destroy(t);
    if (!ready) {
      return Error::Unavailable("topic " + name +
                                " is not available: " + events::KafkaErrorText(err));
    }
  }
  return Ok();
}

}  // namespace nrp::service
