#include "nrp/events/relay.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "backoff.h"
#include "nrp/core/log.h"
#include "nrp/events/outbox.h"
#include "nrp/metrics/metrics.h"
#include "sql.h"

namespace nrp::events {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// First key of the relay's session advisory lock (two-int form, so it never
// meets the one-bigint locks Outbox::Append takes); the second is
// hashtext(service).
constexpr int kLeaderLockClass = 0x4e525052;  // "NRPR"

constexpr char kTryLock[] = "SELECT pg_try_advisory_lock($1, hashtext($2)), pg_backend_pid()";

constexpr char kFetch[] =
    "SELECT id, event_id::text, topic, key, ce_type, ce_source, ce_subject, ce_time, "
    "content_type, dataschema, coalesce(traceparent, ''), payload "
    "FROM outbox WHERE published_at IS NULL AND NOT (topic || chr(31) || key = ANY($2::text[])) "
    "ORDER BY id LIMIT $1";

constexpr char kMarkPublished[] =
    "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[]) AND published_at IS NULL";

constexpr char kPrune[] =
    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE published_at IS NOT NULL AND "
    "published_at < now() - make_interval(secs => $1) LIMIT 10000)";

std::string KeyId(const std::string& topic, const std::string& key) {
  std::string out = topic;
  out += '\x1f';
  out += key;
  return out;
}

struct OutboxRow {
  int64_t id = 0;
  std::string topic;
  CloudEvent event;
};

// One produced row waiting for its delivery report.
struct Slot {
  int64_t id = 0;
  std::string key_id;
  bool done = false;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
};

}  // namespace

Result<RelayOptions> RelayOptions::FromEnv(Env& env, std::string service, std::string conninfo) {
  RelayOptions o;
  o.service = std::move(service);
  o.conninfo = std::move(conninfo);
  NRP_ASSIGN_OR_RETURN(o.kafka, KafkaOptions::FromEnv(env, "nrp-" + o.service + "-relay"));
  o.poll_interval = env.Duration("NRP_OUTBOX_POLL_INTERVAL", o.poll_interval);
  o.leader_retry = env.Duration("NRP_OUTBOX_LEADER_RETRY", o.leader_retry);
  o.batch_size = static_cast<int>(env.Int("NRP_OUTBOX_BATCH_SIZE", o.batch_size, 1, 100000));
  o.flush_timeout = env.Duration("NRP_OUTBOX_FLUSH_TIMEOUT", o.flush_timeout);
  o.retry_initial = env.Duration("NRP_OUTBOX_RETRY_INITIAL", o.retry_initial);
  o.retry_max = env.Duration("NRP_OUTBOX_RETRY_MAX", o.retry_max);
  o.backlog_interval = env.Duration("NRP_OUTBOX_BACKLOG_INTERVAL", o.backlog_interval);
  o.retention = env.Duration("NRP_OUTBOX_RETENTION", o.retention);
  return o;
}

class Relay::Impl {
 public:
  Impl(Relay& owner, std::shared_ptr<db::Pool> pool, RelayOptions options)
      : owner_(owner),
        pool_(std::move(pool)),
        o_(std::move(options)),
        backoff_(o_.retry_initial, o_.retry_max) {
    if (o_.poll_interval < milliseconds(10)) o_.poll_interval = milliseconds(10);
    if (o_.leader_retry < milliseconds(10)) o_.leader_retry = milliseconds(10);
    if (o_.backlog_interval < milliseconds(10)) o_.backlog_interval = milliseconds(10);
    if (o_.batch_size < 1) o_.batch_size = 1;
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    auto& registry = metrics::Registry::Default();
    backlog_gauge_ =
        &registry
             .AddGauge("nrp_outbox_backlog", "Outbox rows not yet published to Kafka.", {"service"})
             .WithLabels({o_.service});
    published_counter_ =
        &registry
             .AddCounter("nrp_outbox_published_total",
                         "Outbox rows published to Kafka and acknowledged by the brokers.",
                         {"service"})
             .WithLabels({o_.service});
    leader_gauge_ =
        &registry
             .AddGauge("nrp_outbox_relay_leader",
                       "1 while this instance is its service's outbox relay leader.", {"service"})
             .WithLabels({o_.service});
  }

  ~Impl() {
    producer_.reset();
    if (wake_fd_ >= 0) ::close(wake_fd_);
  }

  Status Init() {
    if (wake_fd_ < 0) return Error::Internal("relay: eventfd failed");
    if (o_.service.empty()) return Error::InvalidArgument("service", "required");
    return CreateProducer();
  }

  void RequestStop() {
    stop_.store(true);
    uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
  }

  void Run() {
    log::ScopedContext ctx({{"component", "outbox-relay"}});
    while (!stop_.load()) {
      MaybeRefreshBacklog();
      if (!EnsureLeader()) {
        Wait(leader_conn_ ? o_.leader_retry : backoff_.Next(), /*watch_leader=*/false);
        continue;
      }
      Status s = PublishPending();
      if (!owner_.leader_.load()) continue;  // EnsureLeader decides how long to wait
      if (!s.ok()) {
        if (!stop_.load()) {
          auto delay = backoff_.Next();
          log::Warn("outbox relay: publishing failed, retrying",
                    {{"error", s.error().ToString()},
                     {"retry_in_ms", static_cast<int64_t>(delay.count())}});
          Wait(delay, /*watch_leader=*/true);
        }
        blocked_.clear();
        continue;
      }
      backoff_.Reset();
      if (!blocked_.empty()) {
        // Some keys had a failed row: the rest went on; those keys are
        // retried after a backoff, in order, from their first failed row.
        auto delay = key_backoff_.Next();
        Wait(delay, /*watch_leader=*/true);
        blocked_.clear();
        continue;
      }
      key_backoff_.Reset();
      MaybePrune();
      Wait(o_.poll_interval, /*watch_leader=*/true);
    }
    ReleaseLeadership("stopping");
    producer_.reset();
  }

 private:
  static void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    auto* slot = static_cast<Slot*>(m->_private);
    if (slot && !slot->done) {
      slot->done = true;
      slot->err = m->err;
      --self->pending_;
    }
  }

  static void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    auto code = static_cast<rd_kafka_resp_err_t>(err);
    if (code == RD_KAFKA_RESP_ERR__FATAL) {
      char buf[512];
      rd_kafka_resp_err_t orig = rd_kafka_fatal_error(rk, buf, sizeof buf);
      self->fatal_ = true;
      log::Error("outbox relay: fatal producer error; the producer is recreated",
                 {{"error", KafkaErrorText(orig)}, {"detail", buf}});
      return;
    }
    // Everything else (unreachable brokers first of all) librdkafka retries
    // by itself; the rows wait in the outbox meanwhile.
    log::Warn("outbox relay: kafka", {{"error", KafkaErrorText(code)}, {"detail", reason}});
  }

  Status CreateProducer() {
    KafkaProperties defaults = {
        {"linger.ms", "5"},
        {"partitioner", "murmur2_random"},  // the Java client's partitioning
        {"reconnect.backoff.ms", "100"},
        {"reconnect.backoff.max.ms", "5000"},
        {"retry.backoff.ms", "100"},
        {"socket.keepalive.enable", "true"},
        {"queue.buffering.max.messages", "100000"},
    };
    KafkaProperties required = {
        {"enable.idempotence", "true"},
        {"acks", "all"},
        {"max.in.flight.requests.per.connection", "5"},
        // A broker outage delays events, it never drops them.
        {"message.timeout.ms", "0"},
    };
    auto rk = CreateKafkaClient(RD_KAFKA_PRODUCER, o_.kafka, defaults, required,
                                [this](rd_kafka_conf_t* conf) {
                                  rd_kafka_conf_set_opaque(conf, this);
                                  rd_kafka_conf_set_dr_msg_cb(conf, &Impl::OnDelivery);
                                  rd_kafka_conf_set_error_cb(conf, &Impl::OnError);
                                });
    if (!rk.ok()) return std::move(rk.error());
    producer_ = std::move(rk).value();
    fatal_ = false;
    return Ok();
  }

  // Throws away whatever the producer still holds (its rows stay
  // unpublished) and starts a new one, so a later batch never follows a gap.
  void ResetProducer(std::string_view why, bool recreate = true) {
    if (producer_) {
      rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
      auto deadline = SteadyClock::now() + milliseconds(2000);
      while (pending_ > 0 && SteadyClock::now() < deadline) rd_kafka_poll(producer_.get(), 50);
      producer_.reset();
    }
    for (auto& s : slots_) {
      if (!s.done) {
        s.done = true;
        s.err = RD_KAFKA_RESP_ERR__PURGE_INFLIGHT;
      }
    }
    pending_ = 0;
    if (!recreate) return;
    Status s = CreateProducer();
    if (!s.ok()) {
      log::Error("outbox relay: cannot recreate the producer",
                 {{"why", why}, {"error", s.error().ToString()}});
    }
  }

  // Waits for `timeout`, a stop request or (when watched) input on the
  // leader's connection, refreshing the backlog on the way.
  void Wait(milliseconds timeout, bool watch_leader) {
    auto deadline = SteadyClock::now() + timeout;
    while (!stop_.load()) {
      auto now = SteadyClock::now();
      if (now >= deadline) return;
      auto slice = std::min<milliseconds>(std::chrono::duration_cast<milliseconds>(deadline - now),
                                          o_.backlog_interval);
      pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {-1, POLLIN, 0}};
      if (watch_leader && leader_conn_) {
        if (!leader_conn_->is_open()) {
          LoseLeadership("leader connection closed");
          return;
        }
        fds[1].fd = leader_conn_->sock();
      }
      int n = ::poll(fds, 2, static_cast<int>(std::max<int64_t>(1, slice.count())));
      if (n < 0 && errno != EINTR) return;
      if (n > 0 && (fds[0].revents & POLLIN)) {
        uint64_t v;
        (void)!::read(wake_fd_, &v, sizeof v);
      }
      if (n > 0 && fds[1].fd >= 0 && fds[1].revents) {
        // A notification, or the connection breaking: go and look.
        int notifications = 0;
        try {
          notifications = leader_conn_->get_notifs();
        } catch (const std::exception& e) {
          LoseLeadership(std::string("leader connection failed: ") + e.what());
          return;
        }
        // Input that was no notification (a notice, or end of file): make
        // sure the session is alive before waking up, or a dead socket that
        // stays readable would spin this loop.
        if (notifications == 0) CheckLeader();
        return;
      }
      MaybeRefreshBacklog();
    }
  }

  // The dedicated session notices a dead server within about 25 s even when
  // idle (TCP keepalives), which ends its leadership.
  std::string LeaderConninfo() const {
    return internal::AppendConninfo(o_.conninfo,
                                    {{"application_name", "nrp-outbox-relay-" + o_.service},
                                     {"connect_timeout", "5"},
                                     {"keepalives", "1"},
                                     {"keepalives_idle", "10"},
                                     {"keepalives_interval", "5"},
                                     {"keepalives_count", "3"}});
  }

  bool EnsureLeader() {
    if (owner_.leader_.load() && leader_conn_) return true;
    try {
      if (!leader_conn_) {
        leader_conn_ = std::make_unique<pqxx::connection>(LeaderConninfo());
        // The lock lives and dies with this database connection: libpqxx must never
        // reconnect it behind our back.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        leader_conn_->inhibit_reactivation(true);
#pragma GCC diagnostic pop
      }
      pqxx::nontransaction n(*leader_conn_);
      pqxx::row r = n.exec_params1(kTryLock, kLeaderLockClass, o_.service);
      if (!r[0].as<bool>()) return false;
      leader_pid_ = r[1].as<int>();
      n.exec0("LISTEN " + n.quote_name(std::string(kOutboxChannel)));
      n.commit();
    } catch (const std::exception& e) {
      log::Warn("outbox relay: leader connection failed", {{"error", e.what()}});
      leader_conn_.reset();
      return false;
    }
    owner_.leader_.store(true);
    leader_gauge_->Set(1);
    last_leader_check_ = SteadyClock::now();
    backoff_.Reset();
    log::Info("outbox relay: became leader",
              {{"service", o_.service}, {"backend_pid", leader_pid_}});
    return true;
  }

  // Same session still holding the lock? A reconnect would show another pid.
  bool CheckLeader() {
    if (!owner_.leader_.load() || !leader_conn_) return false;
    try {
      pqxx::nontransaction n(*leader_conn_);
      int pid = n.exec1("SELECT pg_backend_pid()")[0].as<int>();
      if (pid != leader_pid_) {
        LoseLeadership("leader session replaced");
        return false;
      }
    } catch (const std::exception& e) {
      LoseLeadership(std::string("leader connection failed: ") + e.what());
      return false;
    }
    last_leader_check_ = SteadyClock::now();
    return true;
  }

  void LoseLeadership(const std::string& why) {
    if (owner_.leader_.exchange(false)) {
      leader_gauge_->Set(0);
      log::Warn("outbox relay: lost leadership; publishing stops", {{"reason", why}});
    }
    leader_conn_.reset();
  }

  void ReleaseLeadership(const char* why) {
    if (owner_.leader_.exchange(false)) {
      leader_gauge_->Set(0);
      log::Info("outbox relay: released leadership", {{"reason", why}});
    }
    leader_conn_.reset();  // closing the session releases the lock
  }

  void MaybeRefreshBacklog() {
    auto now = SteadyClock::now();
    if (now - last_backlog_ < o_.backlog_interval) return;
    last_backlog_ = now;
    auto lease = pool_->Acquire();
    if (!lease.ok()) return;
    try {
      pqxx::work txn(**lease);
      auto n = Outbox::Backlog(txn);
      if (n.ok()) {
        owner_.backlog_.store(*n);
        backlog_gauge_->Set(static_cast<double>(*n));
      }
      txn.commit();
    } catch (const std::exception& e) {
      if (db::MapException(e).code() == Code::kUnavailable) lease->Discard();
    }
  }

  void MaybePrune() {
    if (o_.retention.count() <= 0) return;
    auto now = SteadyClock::now();
    if (now - last_prune_ < std::chrono::minutes(10)) return;
    last_prune_ = now;
    auto lease = pool_->Acquire();
    if (!lease.ok()) return;
    try {
      pqxx::work txn(**lease);
      internal::Prepare(txn, "nrp_outbox_prune", kPrune);
      auto r =
          txn.exec_prepared("nrp_outbox_prune", static_cast<double>(o_.retention.count()) / 1000.0);
      txn.commit();
      if (r.affected_rows() > 0) {
        log::Info("outbox relay: pruned published rows",
                  {{"rows", static_cast<int64_t>(r.affected_rows())}});
      }
    } catch (const std::exception& e) {
      if (db::MapException(e).code() == Code::kUnavailable) lease->Discard();
      log::Warn("outbox relay: pruning failed", {{"error", e.what()}});
    }
  }

  Result<std::vector<OutboxRow>> Fetch() {
    NRP_ASSIGN_OR_RETURN(auto lease, pool_->Acquire());
    try {
      pqxx::work txn(*lease);
      internal::Prepare(txn, "nrp_outbox_fetch", kFetch);
      std::vector<std::string> blocked(blocked_.begin(), blocked_.end());
      pqxx::result r =
          txn.exec_prepared("nrp_outbox_fetch", o_.batch_size, internal::TextArrayLiteral(blocked));
      txn.commit();
      std::vector<OutboxRow> rows;
      rows.reserve(r.size());
      for (const auto& f : r) {
        OutboxRow row;
        row.id = f[0].as<int64_t>();
        row.event.id = f[1].as<std::string>();
        row.topic = f[2].as<std::string>();
        row.event.key = f[3].as<std::string>();
        row.event.type = f[4].as<std::string>();
        row.event.source = f[5].as<std::string>();
        row.event.subject = f[6].as<std::string>();
        row.event.time = f[7].as<std::string>();
        row.event.datacontenttype = f[8].as<std::string>();
        row.event.dataschema = f[9].as<std::string>();
        row.event.traceparent = f[10].as<std::string>();
        row.event.payload = pqxx::binarystring(f[11]).str();
        rows.push_back(std::move(row));
      }
      return rows;
    } catch (const std::exception& e) {
      Error err = db::MapException(e);
      if (err.code() == Code::kUnavailable) lease.Discard();
      return err.Prefix("outbox fetch");
    }
  }

  Status MarkPublished(const std::vector<int64_t>& ids) {
    if (ids.empty()) return Ok();
    internal::Backoff retry(milliseconds(100), milliseconds(2000));
    Error last(Code::kInternal, "not attempted");
    // The rows are on Kafka: try hard to record it, or the next leader sends
    // them again (consumers would drop the copies, but why make them).
    for (int attempt = 0; attempt < 5; ++attempt) {
      if (attempt > 0) Wait(retry.Next(), /*watch_leader=*/false);
      auto lease = pool_->Acquire();
      if (!lease.ok()) {
        last = lease.error();
        continue;
      }
      try {
        pqxx::work txn(**lease);
        internal::Prepare(txn, "nrp_outbox_mark", kMarkPublished);
        auto r = txn.exec_prepared("nrp_outbox_mark", internal::IntArrayLiteral(ids));
        txn.commit();
        owner_.published_ += static_cast<int64_t>(r.affected_rows());
        published_counter_->Inc(static_cast<double>(r.affected_rows()));
        return Ok();
      } catch (const std::exception& e) {
        last = db::MapException(e);
        if (last.code() == Code::kUnavailable) lease->Discard();
      }
    }
    return last.Prefix("marking " + std::to_string(ids.size()) + " outbox rows published");
  }

  // Sends one batch and waits for its delivery reports. Returns the ids to
  // mark published: per key, the rows before its first failure.
  std::vector<int64_t> ProduceBatch(const std::vector<OutboxRow>& rows) {
    slots_.clear();
    slots_.resize(rows.size());
    pending_ = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      const OutboxRow& row = rows[i];
      Slot& slot = slots_[i];
      slot.id = row.id;
      slot.key_id = KeyId(row.topic, row.event.key);
      if (blocked_.count(slot.key_id)) {
        // An earlier row of this key failed in this batch: do not send later
        // ones ahead of it.
        slot.done = true;
        slot.err = RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS;
        continue;
      }
      rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
      while (true) {
        rd_kafka_headers_t* headers = NewKafkaHeaders(EncodeHeaders(row.event));
        err = rd_kafka_producev(
            producer_.get(), RD_KAFKA_V_TOPIC(row.topic.c_str()),
            RD_KAFKA_V_KEY(row.event.key.data(), row.event.key.size()),
            RD_KAFKA_V_VALUE(const_cast<char*>(row.event.payload.data()), row.event.payload.size()),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers),
            RD_KAFKA_V_OPAQUE(&slot), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
        rd_kafka_headers_destroy(headers);
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || stop_.load()) break;
        rd_kafka_poll(producer_.get(), 100);
      }
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++pending_;
      } else {
        slot.done = true;
        slot.err = err;
        blocked_.insert(slot.key_id);
        log::Error("outbox relay: cannot send row",
                   {{"outbox_id", row.id}, {"topic", row.topic}, {"error", KafkaErrorText(err)}});
      }
    }

    std::optional<SteadyClock::time_point> flush_deadline;
    while (pending_ > 0) {
      rd_kafka_poll(producer_.get(), 100);
      if (fatal_) {
        ResetProducer("fatal error");
        break;
      }
      auto now = SteadyClock::now();
      if (stop_.load()) {
        if (!flush_deadline) flush_deadline = now + o_.flush_timeout;
        if (now >= *flush_deadline) {
          log::Warn("outbox relay: stopping with unacknowledged rows; they stay unpublished",
                    {{"rows", static_cast<int64_t>(pending_)}});
          ResetProducer("stop", /*recreate=*/false);
          break;
        }
      } else if (now - last_leader_check_ >= o_.poll_interval) {
        if (!CheckLeader()) {
          ResetProducer("lost leadership");
          break;
        }
      }
      MaybeRefreshBacklog();
    }

    std::vector<int64_t> ok;
    std::set<std::string> failed;
    for (const Slot& s : slots_) {
      if (failed.count(s.key_id)) continue;
      if (s.done && s.err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ok.push_back(s.id);
      } else {
        failed.insert(s.key_id);
        if (s.err != RD_KAFKA_RESP_ERR__PURGE_INFLIGHT && s.err != RD_KAFKA_RESP_ERR__PURGE_QUEUE &&
            s.err != RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS) {
          log::Error("outbox relay: delivery failed; the key waits",
                     {{"outbox_id", s.id}, {"error", KafkaErrorText(s.err)}});
        }
      }
    }
    for (const auto& k : failed) blocked_.insert(k);
    return ok;
  }

  Status PublishPending() {
    while (!stop_.load()) {
      // One round trip a batch: a relay whose session died publishes nothing
      // more, so a new leader never races it for long.
      if (!CheckLeader()) return Ok();
      if (!producer_) NRP_RETURN_IF_ERROR(CreateProducer());
      NRP_ASSIGN_OR_RETURN(auto rows, Fetch());
      if (rows.empty()) return Ok();
      std::vector<int64_t> ok = ProduceBatch(rows);
      NRP_RETURN_IF_ERROR(MarkPublished(ok));
      log::Debug("outbox relay: batch published", {{"rows", static_cast<int64_t>(rows.size())},
                                                   {"published", static_cast<int64_t>(ok.size())}});
      if (static_cast<int>(rows.size()) < o_.batch_size && blocked_.empty()) return Ok();
      if (!owner_.leader_.load()) return Ok();
    }
    return Ok();
  }

  Relay& owner_;
  std::shared_ptr<db::Pool> pool_;
  RelayOptions o_;
  internal::Backoff backoff_;
  internal::Backoff key_backoff_{milliseconds(500), milliseconds(30000)};
  int wake_fd_ = -1;
  std::atomic<bool> stop_{false};
  KafkaHandle producer_;
  bool fatal_ = false;
  std::vector<Slot> slots_;
  int64_t pending_ = 0;
  std::set<std::string> blocked_;
  std::unique_ptr<pqxx::connection> leader_conn_;
  int leader_pid_ = 0;
  SteadyClock::time_point last_leader_check_{};
  SteadyClock::time_point last_backlog_{};
  SteadyClock::time_point last_prune_{};
  metrics::Gauge* backlog_gauge_ = nullptr;
  metrics::Counter* published_counter_ = nullptr;
  metrics::Gauge* leader_gauge_ = nullptr;
};

Relay::Relay(std::shared_ptr<db::Pool> pool, RelayOptions options)
    : impl_(std::make_unique<Impl>(*this, std::move(pool), std::move(options))) {}

Relay::~Relay() { Stop(); }

Status Relay::Start() {
  if (started_) return Error(Code::kFailedPrecondition, "a relay starts once");
  started_ = true;
  NRP_RETURN_IF_ERROR(impl_->Init());
  thread_ = std::thread([this] { impl_->Run(); });
  return Ok();
}

void Relay::Stop() {
  if (!thread_.joinable()) return;
  impl_->RequestStop();
  thread_.join();
}

}  // namespace nrp::events
