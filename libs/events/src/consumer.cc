#include "nrp/events/consumer.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <optional>
#include <set>
#include <thread>

#include "backoff.h"
#include "nrp/core/log.h"
#include "nrp/core/trace.h"
#include "nrp/core/uuid.h"
#include "nrp/db/migrations.h"
#include "nrp/events/handler.h"
#include "nrp/events/topics.h"
#include "nrp/metrics/metrics.h"
#include "sql.h"

namespace nrp::events {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr char kInboxInsert[] =
    "INSERT INTO inbox (consumer, event_id, ce_type, source_topic, source_partition, "
    "source_offset, status, reason) VALUES ($1, $2::uuid, NULLIF($3, ''), $4, $5, $6, $7, "
    "NULLIF($8, '')) ON CONFLICT (consumer, event_id) DO NOTHING";

constexpr char kInboxPrune[] =
    "DELETE FROM inbox WHERE (consumer, event_id) IN (SELECT consumer, event_id FROM inbox "
    "WHERE consumer = $1 AND received_at < now() - make_interval(secs => $2) LIMIT 10000)";

// A stable id for a message without a usable ce_id: its Kafka coordinates,
// hashed and shaped as a UUID (version 8, RFC 9562 custom), so that a
// redelivery of the same undecodable message is recognised.
std::string CoordinateId(const std::string& topic, int32_t partition, int64_t offset) {
  std::string h = db::Sha256Hex("nrp-kafka-message/" + topic + "/" + std::to_string(partition) +
                                "/" + std::to_string(offset));
  h[12] = '8';
  const char variant[] = "89ab";
  h[16] = variant[(h[16] >= 'a' ? h[16] - 'a' + 10 : h[16] - '0') & 3];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

// "nrp.x.y.v2" → "nrp.x.y".
std::string TypeBase(const std::string& type) {
  size_t dot = type.rfind('.');
  return dot == std::string::npos ? type : type.substr(0, dot);
}

struct Attempt {
  enum class Kind { kCommit, kTransient };
  Kind kind = Kind::kCommit;
  std::string reason;
  static Attempt Commit() { return {}; }
  static Attempt Transient(std::string r) { return {Kind::kTransient, std::move(r)}; }
};

struct DlqDelivery {
  bool done = false;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
};

}  // namespace

Result<ConsumerOptions> ConsumerOptions::FromEnv(Env& env, const std::string& service,
                                                 std::vector<std::string> topics) {
  ConsumerOptions o;
  o.group_id = env.String("NRP_CONSUMER_GROUP", "nrp-" + service);
  o.topics = std::move(topics);
  NRP_ASSIGN_OR_RETURN(o.kafka, KafkaOptions::FromEnv(env, "nrp-" + service + "-consumer"));
  o.retry_initial = env.Duration("NRP_CONSUMER_RETRY_INITIAL", o.retry_initial);
  o.retry_max = env.Duration("NRP_CONSUMER_RETRY_MAX", o.retry_max);
  o.session_timeout = env.Duration("NRP_KAFKA_SESSION_TIMEOUT", o.session_timeout);
  o.max_poll_interval = env.Duration("NRP_KAFKA_MAX_POLL_INTERVAL", o.max_poll_interval);
  o.kafka_timeout = env.Duration("NRP_CONSUMER_KAFKA_TIMEOUT", o.kafka_timeout);
  o.inbox_retention = env.Duration("NRP_INBOX_RETENTION", o.inbox_retention);
  o.lag_interval = env.Duration("NRP_CONSUMER_LAG_INTERVAL", o.lag_interval);
  return o;
}

class Consumer::Impl {
 public:
  Impl(std::shared_ptr<db::Pool> pool, ConsumerOptions options)
      : pool_(std::move(pool)), o_(std::move(options)) {
    auto& registry = metrics::Registry::Default();
    lag_family_ = &registry.AddGauge("nrp_consumer_lag",
                                     "Messages after the consumer group's committed offset.",
                                     {"group", "topic", "partition"});
    auto& events =
        registry.AddCounter("nrp_consumer_events_total",
                            "Messages the consumer dealt with, by outcome.", {"group", "outcome"});
    processed_counter_ = &events.WithLabels({o_.group_id, "processed"});
    duplicate_counter_ = &events.WithLabels({o_.group_id, "duplicate"});
    dead_letter_counter_ = &events.WithLabels({o_.group_id, "dead_lettered"});
    retry_counter_ = &events.WithLabels({o_.group_id, "retried"});
  }

  void Handle(std::string type, EventHandler handler) {
    handlers_[std::move(type)] = std::move(handler);
  }

  Status Init() {
    if (o_.group_id.empty()) return Error::InvalidArgument("group_id", "required");
    if (o_.topics.empty()) return Error::InvalidArgument("topics", "at least one topic");
    if (handlers_.empty()) return Error::InvalidArgument("handlers", "no event type handled");
    for (const auto& t : o_.topics) {
      if (!internal::IsValidTopicName(t)) {
        return Error::InvalidArgument("topics", "not a valid topic name: '" + t + "'");
      }
    }
    auto session = std::max<int64_t>(1000, o_.session_timeout.count());
    KafkaProperties defaults = {
        {"auto.offset.reset", "earliest"},    {"reconnect.backoff.ms", "100"},
        {"reconnect.backoff.max.ms", "5000"}, {"socket.keepalive.enable", "true"},
        {"enable.partition.eof", "false"},
    };
    KafkaProperties required = {
        {"group.id", o_.group_id},
        {"enable.auto.commit", "false"},
        {"enable.auto.offset.store", "false"},
        {"isolation.level", "read_committed"},
        {"session.timeout.ms", std::to_string(session)},
        {"heartbeat.interval.ms", std::to_string(std::max<int64_t>(100, session / 3))},
        {"max.poll.interval.ms",
         std::to_string(std::max<int64_t>(session, o_.max_poll_interval.count()))},
    };
    auto consumer = CreateKafkaClient(RD_KAFKA_CONSUMER, o_.kafka, defaults, required,
                                      [this](rd_kafka_conf_t* conf) {
                                        rd_kafka_conf_set_opaque(conf, this);
                                        rd_kafka_conf_set_rebalance_cb(conf, &Impl::OnRebalance);
                                      });
    if (!consumer.ok()) return std::move(consumer.error());
    consumer_ = std::move(consumer).value();
    rd_kafka_poll_set_consumer(consumer_.get());

    KafkaOptions dlq_kafka = o_.kafka;
    dlq_kafka.client_id += "-dlq";
    auto dlq = CreateKafkaClient(
        RD_KAFKA_PRODUCER, dlq_kafka,
        {{"linger.ms", "0"},
         {"reconnect.backoff.ms", "100"},
         {"reconnect.backoff.max.ms", "5000"},
         {"partitioner", "murmur2_random"}},
        {{"enable.idempotence", "true"},
         {"acks", "all"},
         {"message.timeout.ms", std::to_string(std::max<int64_t>(1000, o_.kafka_timeout.count()))}},
        [](rd_kafka_conf_t* conf) { rd_kafka_conf_set_dr_msg_cb(conf, &Impl::OnDlqDelivery); });
    if (!dlq.ok()) return std::move(dlq.error());
    dlq_ = std::move(dlq).value();

    TopicPartitionList topics(
        rd_kafka_topic_partition_list_new(static_cast<int>(o_.topics.size())));
    for (const auto& t : o_.topics) {
      rd_kafka_topic_partition_list_add(topics.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
    }
    rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer_.get(), topics.get());
    if (err) return Error::Internal("kafka subscribe: " + KafkaErrorText(err));
    return Ok();
  }

  void RequestStop() { stop_.store(true); }

  void Run() {
    log::ScopedContext ctx({{"component", "consumer"}, {"group", o_.group_id}});
    log::Info("consumer started", {{"topics", Join(o_.topics)}});
    std::thread lag_thread([this] { LagLoop(); });
    while (!stop_.load()) {
      KafkaMessage msg(rd_kafka_consumer_poll(consumer_.get(), 200));
      Housekeeping();
      if (!msg) continue;
      if (msg->err) {
        LogKafkaError(msg->err, msg.get());
        continue;
      }
      ProcessMessage(msg.get());
    }
    {
      std::lock_guard lock(lag_mu_);
      lag_stop_ = true;
    }
    lag_cv_.notify_all();
    lag_thread.join();
    rd_kafka_resp_err_t err = rd_kafka_consumer_close(consumer_.get());
    if (err) log::Warn("consumer close", {{"error", KafkaErrorText(err)}});
    consumer_.reset();
    rd_kafka_flush(dlq_.get(), 5000);
    dlq_.reset();
    log::Info("consumer stopped", {{"processed", stats_processed_.load()}});
  }

  Consumer::Stats stats() const {
    return {stats_processed_.load(), stats_duplicates_.load(), stats_dead_lettered_.load(),
            stats_transient_.load(), stats_ignored_.load()};
  }

  std::vector<PartitionLag> lag() const {
    std::lock_guard lock(lag_mu_);
    return lag_;
  }

 private:
  static std::string Join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
  }

  static void OnDlqDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
    auto* d = static_cast<DlqDelivery*>(m->_private);
    if (d) {
      d->done = true;
      d->err = m->err;
    }
  }

  static void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                          rd_kafka_topic_partition_list_t* parts, void* opaque) {
    static_cast<Impl*>(opaque)->Rebalance(rk, err, parts);
  }

  void Rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts) {
    const bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      log::Info("partitions assigned", {{"count", parts->cnt}});
      if (cooperative) {
        rd_kafka_error_t* e = rd_kafka_incremental_assign(rk, parts);
        if (e) {
          log::Error("incremental assign failed", {{"error", rd_kafka_error_string(e)}});
          rd_kafka_error_destroy(e);
        }
      } else {
        rd_kafka_assign(rk, parts);
      }
      // While a message is being retried nothing else may be fetched.
      if (retrying_) rd_kafka_pause_partitions(rk, parts);
      return;
    }
    // Revoked (or lost): a message in hand from such a partition belongs to
    // its next owner now; abandon it without committing.
    for (int i = 0; i < parts->cnt; ++i) {
      if (in_hand_ && parts->elems[i].topic == in_hand_topic_ &&
          parts->elems[i].partition == in_hand_partition_) {
        abandoned_ = true;
      }
    }
    log::Info("partitions revoked", {{"count", parts->cnt}});
    if (cooperative) {
      rd_kafka_error_t* e = rd_kafka_incremental_unassign(rk, parts);
      if (e) rd_kafka_error_destroy(e);
    } else {
      rd_kafka_assign(rk, nullptr);
    }
  }

  void LogKafkaError(rd_kafka_resp_err_t err, const rd_kafka_message_t* m) {
    auto now = SteadyClock::now();
    auto& last = last_error_log_[err];
    if (now - last < std::chrono::seconds(30)) return;
    last = now;
    char buf[512] = {0};
    const char* detail = rd_kafka_message_errstr(m);
    std::snprintf(buf, sizeof buf, "%s", detail ? detail : "");
    log::Warn("kafka consumer error",
              {{"error", KafkaErrorText(err)}, {"detail", buf}, {"topic", MessageTopic(m)}});
  }

  void ForAssignment(const std::function<void(rd_kafka_topic_partition_list_t*)>& fn) {
    rd_kafka_topic_partition_list_t* list = nullptr;
    if (rd_kafka_assignment(consumer_.get(), &list) == RD_KAFKA_RESP_ERR_NO_ERROR && list) {
      TopicPartitionList owned(list);
      if (owned->cnt > 0) fn(owned.get());
    }
  }

  void ProcessMessage(rd_kafka_message_t* m) {
    in_hand_ = true;
    in_hand_topic_ = MessageTopic(m);
    in_hand_partition_ = m->partition;
    abandoned_ = false;
    internal::Backoff backoff(o_.retry_initial, o_.retry_max);
    bool committed_db = false;
    while (true) {
      Attempt a = Try(m);
      if (a.kind == Attempt::Kind::kCommit) {
        committed_db = true;
        break;
      }
      ++stats_transient_;
      retry_counter_->Inc();
      int n = backoff.attempts() + 1;
      auto delay = backoff.Next();
      if (n == 1 || n % 10 == 0) {
        log::Warn("event not applied, retrying the same message",
                  {{"topic", in_hand_topic_},
                   {"partition", m->partition},
                   {"offset", static_cast<int64_t>(m->offset)},
                   {"attempt", n},
                   {"retry_in_ms", static_cast<int64_t>(delay.count())},
                   {"reason", a.reason}});
      }
      if (!retrying_) {
        retrying_ = true;
        ForAssignment([&](auto* l) { rd_kafka_pause_partitions(consumer_.get(), l); });
      }
      if (!ServeWhileWaiting(delay)) break;
    }
    if (retrying_) {
      retrying_ = false;
      ForAssignment([&](auto* l) { rd_kafka_resume_partitions(consumer_.get(), l); });
    }
    if (committed_db && !abandoned_) CommitOffset(m);
    if (!committed_db) {
      log::Info("message abandoned uncommitted; it will be delivered again",
                {{"topic", in_hand_topic_},
                 {"partition", m->partition},
                 {"offset", static_cast<int64_t>(m->offset)},
                 {"reason", stop_.load() ? "stopping" : "partition revoked"}});
    }
    in_hand_ = false;
  }

  // Keeps the consumer in its group while it waits; false when it must give
  // the message in hand up (stopping, or its partition was revoked).
  bool ServeWhileWaiting(milliseconds delay) {
    auto deadline = SteadyClock::now() + delay;
    while (!stop_.load() && !abandoned_) {
      auto now = SteadyClock::now();
      if (now >= deadline) return true;
      auto slice = std::min<int64_t>(
          100, std::chrono::duration_cast<milliseconds>(deadline - now).count() + 1);
      KafkaMessage stray(rd_kafka_consumer_poll(consumer_.get(), static_cast<int>(slice)));
      Housekeeping();
      if (!stray) continue;
      if (stray->err) {
        LogKafkaError(stray->err, stray.get());
        continue;
      }
      // Fetched although everything is paused (a race with an assignment):
      // put it back so that it is read again after the retry.
      TopicPartitionList tp(rd_kafka_topic_partition_list_new(1));
      rd_kafka_topic_partition_list_add(tp.get(), rd_kafka_topic_name(stray->rkt), stray->partition)
          ->offset = stray->offset;
      rd_kafka_pause_partitions(consumer_.get(), tp.get());
      rd_kafka_error_t* e = rd_kafka_seek_partitions(consumer_.get(), tp.get(), 5000);
      if (e) {
        log::Error("cannot put back a message fetched during a retry",
                   {{"error", rd_kafka_error_string(e)}});
        rd_kafka_error_destroy(e);
      }
    }
    return false;
  }

  Attempt Try(const rd_kafka_message_t* m) {
    const std::string topic = in_hand_topic_;
    Headers headers = ReadHeaders(m);
    auto decoded = DecodeEvent(headers, MessageKey(m), MessageValue(m));
    if (!decoded.ok()) {
      const std::string* ce_id = FindHeader(headers, kHeaderId);
      std::string id =
          ce_id && IsUuid(*ce_id) ? *ce_id : CoordinateId(topic, m->partition, m->offset);
      return DeadLetter(m, headers, id, "", decoded.error().message());
    }
    CloudEvent& ev = *decoded;
    ev.topic = topic;
    ev.partition = m->partition;
    ev.offset = m->offset;
    auto it = handlers_.find(ev.type);
    if (it == handlers_.end()) {
      // A topic carries every event type of its producer; a consumer handles
      // the ones it needs and passes over the others. An unsupported version
      // of a type it does handle is a contract problem: dead-letter it.
      if (HandlesAnyVersionOf(ev.type)) {
        return DeadLetter(m, headers, ev.id, ev.type, UnknownType(ev.type));
      }
      ++stats_ignored_;
      log::Debug("event type not handled here; passed over", {{"ce_id", ev.id}, {"type", ev.type}});
      return Attempt::Commit();
    }

    std::optional<std::string> permanent;
    {
      auto lease = pool_->Acquire();
      if (!lease.ok()) return Attempt::Transient(lease.error().message());
      try {
        pqxx::work txn(**lease);
        internal::Prepare(txn, "nrp_inbox_insert", kInboxInsert);
        auto r = txn.exec_prepared("nrp_inbox_insert", o_.group_id, ev.id, ev.type, topic,
                                   ev.partition, ev.offset, "processed", "");
        if (r.affected_rows() == 0) {
          txn.commit();
          ++stats_duplicates_;
          duplicate_counter_->Inc();
          log::Debug("duplicate event skipped", {{"ce_id", ev.id}, {"type", ev.type}});
          return Attempt::Commit();
        }
        HandlerResult hr;
        try {
          // What the handler publishes continues the event's trace (or starts one).
          trace::Scope traced(trace::Continue(ev.traceparent));
          hr = it->second(txn, ev);
        } catch (const std::exception& e) {
          Error err = db::MapException(e);
          if (IsTransient(err.code())) {
            if (err.code() == Code::kUnavailable) lease->Discard();
            hr = HandlerResult::Transient(err.message());
          } else {
            hr = HandlerResult::Permanent(std::string("handler failed: ") + e.what());
          }
        } catch (...) {
          hr = HandlerResult::Permanent("handler threw a non-standard exception");
        }
        switch (hr.kind) {
          case HandlerResult::Kind::kOk:
            txn.commit();
            ++stats_processed_;
            processed_counter_->Inc();
            return Attempt::Commit();
          case HandlerResult::Kind::kTransient:
            txn.abort();
            return Attempt::Transient(hr.reason);
          case HandlerResult::Kind::kPermanent:
            txn.abort();
            permanent = hr.reason.empty() ? "handler rejected the event" : hr.reason;
            break;
        }
      } catch (const std::exception& e) {
        // The inbox statement, BEGIN or COMMIT failed: infrastructure, not
        // the event. (A COMMIT whose outcome is unknown is retried too: if it
        // did commit, the retry finds the inbox row.)
        Error err = db::MapException(e);
        if (err.code() == Code::kUnavailable) lease->Discard();
        return Attempt::Transient(err.message());
      }
    }
    return DeadLetter(m, headers, ev.id, ev.type, *permanent);
  }

  bool HandlesAnyVersionOf(const std::string& type) const {
    const std::string base = TypeBase(type);
    for (const auto& [t, h] : handlers_) {
      if (TypeBase(t) == base) return true;
    }
    return false;
  }

  std::string UnknownType(const std::string& type) const {
    std::string base = TypeBase(type);
    std::string versions;
    for (const auto& [t, h] : handlers_) {
      if (TypeBase(t) == base) {
        versions += (versions.empty() ? "v" : ", v") + std::to_string(TypeVersion(t));
      }
    }
    if (!versions.empty()) {
      return "unsupported version v" + std::to_string(TypeVersion(type)) + " of " + base +
             " (handled: " + versions + ")";
    }
    return "no handler for event type '" + type + "'";
  }

  // Records the message as dead-lettered and sends it to <topic>.dlq; the
  // inbox row commits only after the broker acknowledged the copy.
  Attempt DeadLetter(const rd_kafka_message_t* m, const Headers& headers, const std::string& id,
                     const std::string& type, const std::string& reason) {
    auto lease = pool_->Acquire();
    if (!lease.ok()) return Attempt::Transient(lease.error().message());
    try {
      pqxx::work txn(**lease);
      internal::Prepare(txn, "nrp_inbox_insert", kInboxInsert);
      auto r =
          txn.exec_prepared("nrp_inbox_insert", o_.group_id, id, type, in_hand_topic_, m->partition,
                            static_cast<int64_t>(m->offset), "dead_lettered", reason);
      if (r.affected_rows() == 0) {
        txn.commit();
        ++stats_duplicates_;
        duplicate_counter_->Inc();
        return Attempt::Commit();
      }
      Status sent = SendToDlq(m, headers, reason);
      if (!sent.ok()) {
        txn.abort();
        return Attempt::Transient(sent.error().message());
      }
      txn.commit();
    } catch (const std::exception& e) {
      Error err = db::MapException(e);
      if (err.code() == Code::kUnavailable) lease->Discard();
      return Attempt::Transient(err.message());
    }
    ++stats_dead_lettered_;
    dead_letter_counter_->Inc();
    log::Warn("event sent to the dead-letter topic", {{"topic", in_hand_topic_},
                                                      {"partition", m->partition},
                                                      {"offset", static_cast<int64_t>(m->offset)},
                                                      {"ce_id", id},
                                                      {"type", type},
                                                      {"reason", reason}});
    return Attempt::Commit();
  }

  Status SendToDlq(const rd_kafka_message_t* m, const Headers& original,
                   const std::string& reason) {
    Headers h = original;
    h.emplace_back(kDlqReasonHeader, reason);
    h.emplace_back(kDlqSourceTopicHeader, in_hand_topic_);
    h.emplace_back(kDlqPartitionHeader, std::to_string(m->partition));
    h.emplace_back(kDlqOffsetHeader, std::to_string(m->offset));
    h.emplace_back(kDlqConsumerHeader, o_.group_id);
    const std::string dlq_topic = DlqTopic(in_hand_topic_);
    DlqDelivery delivery;
    rd_kafka_headers_t* hdrs = NewKafkaHeaders(h);
    rd_kafka_resp_err_t err = rd_kafka_producev(
        dlq_.get(), RD_KAFKA_V_TOPIC(dlq_topic.c_str()), RD_KAFKA_V_KEY(m->key, m->key_len),
        RD_KAFKA_V_VALUE(m->payload, m->len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_OPAQUE(&delivery), RD_KAFKA_V_END);
    if (err) {
      rd_kafka_headers_destroy(hdrs);
      return Error::Unavailable("producing to " + dlq_topic + ": " + KafkaErrorText(err));
    }
    auto deadline = SteadyClock::now() + o_.kafka_timeout + milliseconds(1000);
    while (!delivery.done && SteadyClock::now() < deadline) rd_kafka_poll(dlq_.get(), 50);
    if (!delivery.done) {
      // Never leave a delivery report pointing at this stack frame.
      rd_kafka_purge(dlq_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
      auto purge_deadline = SteadyClock::now() + milliseconds(5000);
      while (!delivery.done && SteadyClock::now() < purge_deadline) rd_kafka_poll(dlq_.get(), 50);
      if (!delivery.done) rd_kafka_flush(dlq_.get(), 1000);
      return Error::Unavailable(dlq_topic + ": no acknowledgement in time");
    }
    if (delivery.err) {
      return Error::Unavailable("producing to " + dlq_topic + ": " + KafkaErrorText(delivery.err));
    }
    return Ok();
  }

  void CommitOffset(const rd_kafka_message_t* m) {
    TopicPartitionList offsets(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(offsets.get(), in_hand_topic_.c_str(), m->partition)->offset =
        m->offset + 1;
    internal::Backoff retry(milliseconds(100), milliseconds(2000));
    for (int attempt = 0; attempt < 3 && !abandoned_; ++attempt) {
      // A short pause without polling: the next message must not be fetched
      // before this one's offset is settled. Bounded far below
      // max.poll.interval.ms.
      if (attempt > 0) std::this_thread::sleep_for(retry.Next());
      Status s = CommitSync(offsets.get());
      if (s.ok()) return;
      log::Warn("offset commit failed", {{"topic", in_hand_topic_},
                                         {"partition", m->partition},
                                         {"offset", static_cast<int64_t>(m->offset + 1)},
                                         {"error", s.error().message()}});
    }
    // The effect is committed in the database; a redelivery finds the inbox row.
  }

  Status CommitSync(rd_kafka_topic_partition_list_t* offsets) {
    rd_kafka_queue_t* q = rd_kafka_queue_new(consumer_.get());
    rd_kafka_resp_err_t err = rd_kafka_commit_queue(consumer_.get(), offsets, q, nullptr, nullptr);
    Status result = Ok();
    if (err) {
      result = Error::Unavailable(KafkaErrorText(err));
    } else {
      auto deadline = SteadyClock::now() + o_.kafka_timeout;
      rd_kafka_event_t* ev = nullptr;
      while (!ev && SteadyClock::now() < deadline) ev = rd_kafka_queue_poll(q, 100);
      if (!ev) {
        result = Error::DeadlineExceeded("no commit acknowledgement in time");
      } else {
        err = rd_kafka_event_error(ev);
        if (!err) {
          if (const auto* parts = rd_kafka_event_topic_partition_list(ev)) {
            for (int i = 0; i < parts->cnt && !err; ++i) err = parts->elems[i].err;
          }
        }
        if (err) result = Error::Unavailable(KafkaErrorText(err));
        rd_kafka_event_destroy(ev);
      }
    }
    rd_kafka_queue_destroy(q);
    return result;
  }

  void Housekeeping() {
    auto now = SteadyClock::now();
    if (o_.inbox_retention.count() > 0 && now - last_prune_ >= std::chrono::minutes(10)) {
      last_prune_ = now;
      PruneInbox();
    }
  }

  // Lag is measured on a thread of its own from the group's committed offsets
  // and the brokers' high watermarks (both asked for, not cached: while the
  // partitions are paused nothing else would refresh them), so that the
  // consumer's thread never waits on it.
  void LagLoop() {
    while (true) {
      {
        std::unique_lock lock(lag_mu_);
        if (lag_cv_.wait_for(lock, o_.lag_interval, [&] { return lag_stop_; })) return;
      }
      UpdateLag();
    }
  }

  void UpdateLag() {
    rd_kafka_topic_partition_list_t* raw = nullptr;
    if (rd_kafka_assignment(consumer_.get(), &raw) != RD_KAFKA_RESP_ERR_NO_ERROR || !raw) return;
    TopicPartitionList list(raw);
    const int timeout_ms =
        static_cast<int>(std::clamp<int64_t>(o_.lag_interval.count(), 100, 2000));
    std::vector<PartitionLag> out;
    if (list->cnt > 0 &&
        rd_kafka_committed(consumer_.get(), list.get(), timeout_ms) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return;  // keep the last figures while the coordinator does not answer
    }
    for (int i = 0; i < list->cnt; ++i) {
      const auto& e = list->elems[i];
      int64_t lo = 0, hi = 0;
      if (rd_kafka_query_watermark_offsets(consumer_.get(), e.topic, e.partition, &lo, &hi,
                                           timeout_ms) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        return;
      }
      int64_t next = e.offset >= 0 ? e.offset : lo;  // nothing committed: all is to read
      out.push_back({e.topic, e.partition, std::max<int64_t>(0, hi - next)});
    }
    std::set<std::pair<std::string, int32_t>> current;
    for (const auto& l : out) {
      lag_family_->WithLabels({o_.group_id, l.topic, std::to_string(l.partition)})
          .Set(static_cast<double>(l.lag));
      current.insert({l.topic, l.partition});
    }
    std::lock_guard lock(lag_mu_);
    // Partitions that moved to another member: this one no longer lags on them.
    for (const auto& old : lag_) {
      if (!current.count({old.topic, old.partition})) {
        lag_family_->WithLabels({o_.group_id, old.topic, std::to_string(old.partition)}).Set(0);
      }
    }
    lag_ = std::move(out);
  }

  void PruneInbox() {
    auto lease = pool_->Acquire();
    if (!lease.ok()) return;
    try {
      pqxx::work txn(**lease);
      internal::Prepare(txn, "nrp_inbox_prune", kInboxPrune);
      auto r = txn.exec_prepared("nrp_inbox_prune", o_.group_id,
                                 static_cast<double>(o_.inbox_retention.count()) / 1000.0);
      txn.commit();
      if (r.affected_rows() > 0) {
        log::Info("inbox pruned", {{"rows", static_cast<int64_t>(r.affected_rows())}});
      }
    } catch (const std::exception& e) {
      if (db::MapException(e).code() == Code::kUnavailable) lease->Discard();
      log::Warn("inbox pruning failed", {{"error", e.what()}});
    }
  }

  std::shared_ptr<db::Pool> pool_;
  ConsumerOptions o_;
  std::map<std::string, EventHandler> handlers_;
  KafkaHandle consumer_;
  KafkaHandle dlq_;
  std::atomic<bool> stop_{false};

  // The message being processed, and what the rebalance callback (called on
  // this thread from inside poll) tells about it.
  bool in_hand_ = false;
  std::string in_hand_topic_;
  int32_t in_hand_partition_ = -1;
  bool abandoned_ = false;
  bool retrying_ = false;

  std::atomic<int64_t> stats_processed_{0};
  std::atomic<int64_t> stats_duplicates_{0};
  std::atomic<int64_t> stats_ignored_{0};
  std::atomic<int64_t> stats_dead_lettered_{0};
  std::atomic<int64_t> stats_transient_{0};

  mutable std::mutex lag_mu_;
  std::condition_variable lag_cv_;
  bool lag_stop_ = false;
  std::vector<PartitionLag> lag_;
  std::map<rd_kafka_resp_err_t, SteadyClock::time_point> last_error_log_;
  SteadyClock::time_point last_prune_{};
  metrics::Family<metrics::Gauge>* lag_family_ = nullptr;
  metrics::Counter* processed_counter_ = nullptr;
  metrics::Counter* duplicate_counter_ = nullptr;
  metrics::Counter* dead_letter_counter_ = nullptr;
  metrics::Counter* retry_counter_ = nullptr;
};

Consumer::Consumer(std::shared_ptr<db::Pool> pool, ConsumerOptions options)
    : impl_(std::make_unique<Impl>(std::move(pool), std::move(options))) {}

Consumer::~Consumer() { Stop(); }

void Consumer::Handle(std::string type, EventHandler handler) {
  impl_->Handle(std::move(type), std::move(handler));
}

Status Consumer::Start() {
  if (started_) return Error(Code::kFailedPrecondition, "a consumer starts once");
  started_ = true;
  NRP_RETURN_IF_ERROR(impl_->Init());
  thread_ = std::thread([this] { impl_->Run(); });
  return Ok();
}

void Consumer::Stop() {
  if (!thread_.joinable()) return;
  impl_->RequestStop();
  thread_.join();
}

Consumer::Stats Consumer::stats() const { return impl_->stats(); }

std::vector<PartitionLag> Consumer::lag() const { return impl_->lag(); }

}  // namespace nrp::events
