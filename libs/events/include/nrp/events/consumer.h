// The idempotent consumer (architecture §2). For each Kafka message, in one
// PostgreSQL transaction: record the event id in the inbox (a redelivered
// event finds it and changes nothing) and apply the handler's effects; commit;
// then commit the Kafka offset. So an event's effect is applied exactly once
// even though Kafka delivers at least once.
//
// Failures:
// - transient (database unreachable, serialization failure, deadlock,
//   statement timeout, or a handler saying so): the transaction is rolled
//   back and the SAME message is retried with exponential backoff and jitter,
//   never skipped and its offset never committed. Meanwhile every assigned
//   partition is paused and the consumer keeps polling, so it stays in its
//   group (heartbeats, max.poll.interval.ms) without fetching further.
// - permanent (undecodable envelope, an event type or version without a
//   handler, a handler saying so or failing with anything else): the message
//   goes to "<topic>.dlq" with its original key, value and headers plus
//   nrp_dlq_reason, nrp_dlq_source_topic, nrp_dlq_partition, nrp_dlq_offset,
//   nrp_dlq_consumer; after the broker acknowledged it the inbox records it as
//   dead-lettered (a redelivery is not sent again), the offset is committed
//   and the consumer goes on.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "nrp/core/config.h"
#include "nrp/core/status.h"
#include "nrp/db/pool.h"
#include "nrp/events/cloud_event.h"
#include "nrp/events/kafka.h"

namespace nrp::events {

inline constexpr std::string_view kDlqReasonHeader = "nrp_dlq_reason";
inline constexpr std::string_view kDlqSourceTopicHeader = "nrp_dlq_source_topic";
inline constexpr std::string_view kDlqPartitionHeader = "nrp_dlq_partition";
inline constexpr std::string_view kDlqOffsetHeader = "nrp_dlq_offset";
inline constexpr std::string_view kDlqConsumerHeader = "nrp_dlq_consumer";

struct HandlerResult {
  enum class Kind { kOk, kTransient, kPermanent };
  Kind kind = Kind::kOk;
  std::string reason;

  static HandlerResult Ok() { return {}; }
  // Worth retrying later (a dependency is down): the message is retried.
  static HandlerResult Transient(std::string reason) {
    return {Kind::kTransient, std::move(reason)};
  }
  // Can never be applied (violates an invariant): the message goes to the DLQ.
  static HandlerResult Permanent(std::string reason) {
    return {Kind::kPermanent, std::move(reason)};
  }
  bool ok() const { return kind == Kind::kOk; }
};

// Applies one event's effects in the given transaction. Exceptions are
// classified like errors: libpqxx's broken connection, serialization failure,
// deadlock and statement timeout are transient; anything else is permanent.
using EventHandler = std::function<HandlerResult(pqxx::work&, const CloudEvent&)>;

struct ConsumerOptions {
  // Kafka consumer group, one per service (NRP_CONSUMER_GROUP, default
  // "nrp-<service>"). Also names the consumer in the inbox.
  std::string group_id;
  std::vector<std::string> topics;
  KafkaOptions kafka;
  // Retry of a transient failure (NRP_CONSUMER_RETRY_INITIAL 200ms,
  // NRP_CONSUMER_RETRY_MAX 30s).
  std::chrono::milliseconds retry_initial{200};
  std::chrono::milliseconds retry_max{30000};
  // Group membership (NRP_KAFKA_SESSION_TIMEOUT 10s,
  // NRP_KAFKA_MAX_POLL_INTERVAL 5m).
  std::chrono::milliseconds session_timeout{10000};
  std::chrono::milliseconds max_poll_interval{300000};
  // Longest wait for the broker to acknowledge a dead-lettered message or an
  // offset commit (NRP_CONSUMER_KAFKA_TIMEOUT 30s); on timeout the step is
  // retried like a transient failure.
  std::chrono::milliseconds kafka_timeout{30000};
  // Inbox rows older than this are deleted (NRP_INBOX_RETENTION, 30 days; 0
  // keeps them). Keep it well above the topics' retention.
  std::chrono::milliseconds inbox_retention{std::chrono::hours(24 * 30)};
  // How often the lag is measured (NRP_CONSUMER_LAG_INTERVAL, 5s).
  std::chrono::milliseconds lag_interval{5000};

  // Reads NRP_CONSUMER_*, NRP_KAFKA_SESSION_TIMEOUT, NRP_KAFKA_MAX_POLL_INTERVAL,
  // NRP_INBOX_RETENTION and KafkaOptions::FromEnv.
  static Result<ConsumerOptions> FromEnv(Env& env, const std::string& service,
                                         std::vector<std::string> topics);
};

struct PartitionLag {
  std::string topic;
  int32_t partition = 0;
  // High watermark minus the group's committed offset.
  int64_t lag = 0;
};

class Consumer {
 public:
  Consumer(std::shared_ptr<db::Pool> pool, ConsumerOptions options);
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Registers the handler of one event type ("nrp.planning.zone_published.v1").
  // Call before Start(). Events of types with no handler in any version are
  // passed over (offset committed, counted as ignored); an unhandled version
  // of a handled type goes to the dead-letter topic.
  void Handle(std::string type, EventHandler handler);

  // Creates the Kafka clients, subscribes and starts the consumer's thread.
  // A consumer starts once (FAILED_PRECONDITION after that).
  Status Start();
  // Finishes the message in hand (a transient retry is abandoned, its offset
  // not committed), commits, leaves the group and joins. Idempotent.
  void Stop();

  struct Stats {
    int64_t processed = 0;   // handler applied and committed
    int64_t duplicates = 0;  // already in the inbox: skipped
    int64_t dead_lettered = 0;
    int64_t transient_failures = 0;  // attempts that failed and were retried
    int64_t ignored = 0;  // types this consumer has no handler for (any version): passed over
  };
  Stats stats() const;
  // Per assigned partition, measured every lag_interval. Exported
  // (process-wide registry, nrp/metrics) as the gauge
  // nrp_consumer_lag{group,topic,partition}, with the counter
  // nrp_consumer_events_total{group,outcome} (processed, duplicate,
  // dead_lettered, retried).
  std::vector<PartitionLag> lag() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  bool started_ = false;
};

}  // namespace nrp::events
