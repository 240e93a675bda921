// The outbox relay (architecture §2): publishes the outbox's rows to Kafka in
// commit order and marks them published only after the broker acknowledged
// them. A broker outage delays events; it never loses one.
//
// Leadership: every replica of a service runs a Relay, one of them publishes.
// The leader holds a session-level PostgreSQL advisory lock on a dedicated
// connection; standbys try to take it every `leader_retry`. When that
// connection dies the server releases the lock, and the old leader stops
// publishing as soon as it notices (it checks the connection before every
// batch and while waiting for acknowledgements).
//
// Wake-up: the leader LISTENs on kOutboxChannel on the same connection; every
// Outbox::Append NOTIFYs at commit. Polling every `poll_interval` is only the
// fallback for a lost notification.
//
// Delivery: an idempotent producer (enable.idempotence, acks=all, at most 5
// requests in flight, no message timeout) sends a batch of unpublished rows in
// id order and waits for every delivery report. Rows are marked published per
// key up to that key's first failed row, so a key's order is never broken; a
// key with a failed row is retried after a backoff, other keys go on.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "nrp/core/config.h"
#include "nrp/core/status.h"
#include "nrp/db/pool.h"
#include "nrp/events/kafka.h"

namespace nrp::events {

struct RelayOptions {
  // Service name: names the leader lock and the producer's client id.
  std::string service;
  // Conninfo of the service's database for the leader's dedicated connection
  // (the pool serves the batch queries).
  std::string conninfo;
  KafkaOptions kafka;
  // Fallback poll when no notification arrives (NRP_OUTBOX_POLL_INTERVAL, 5s).
  std::chrono::milliseconds poll_interval{5000};
  // How often a standby tries to become leader (NRP_OUTBOX_LEADER_RETRY, 5s).
  std::chrono::milliseconds leader_retry{5000};
  // Rows read and sent at once (NRP_OUTBOX_BATCH_SIZE, 500).
  int batch_size = 500;
  // How long Stop() waits for outstanding acknowledgements
  // (NRP_OUTBOX_FLUSH_TIMEOUT, 10s); unacknowledged rows stay unpublished.
  std::chrono::milliseconds flush_timeout{10000};
  // Backoff after a failure, doubling up to the maximum
  // (NRP_OUTBOX_RETRY_INITIAL 200ms, NRP_OUTBOX_RETRY_MAX 30s).
  std::chrono::milliseconds retry_initial{200};
  std::chrono::milliseconds retry_max{30000};
  // How often the backlog is counted (NRP_OUTBOX_BACKLOG_INTERVAL, 5s).
  std::chrono::milliseconds backlog_interval{5000};
  // Published rows older than this are deleted by the leader
  // (NRP_OUTBOX_RETENTION, 7 days; 0 keeps them).
  std::chrono::milliseconds retention{std::chrono::hours(24 * 7)};

  // Reads the NRP_OUTBOX_* variables and KafkaOptions::FromEnv.
  static Result<RelayOptions> FromEnv(Env& env, std::string service, std::string conninfo);
};

class Relay {
 public:
  Relay(std::shared_ptr<db::Pool> pool, RelayOptions options);
  ~Relay();
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  // Checks the Kafka configuration and starts the relay's thread. A relay
  // starts once (FAILED_PRECONDITION after that).
  Status Start();
  // Stops publishing: waits up to flush_timeout for outstanding
  // acknowledgements, marks what was acknowledged, leaves the rest
  // unpublished, releases leadership. Idempotent.
  void Stop();

  bool is_leader() const { return leader_.load(); }
  // Unpublished rows at the last count; -1 before the first count.
  // Exported (process-wide registry, nrp/metrics) as the gauges
  // nrp_outbox_backlog{service} and nrp_outbox_relay_leader{service} and the
  // counter nrp_outbox_published_total{service}.
  int64_t backlog() const { return backlog_.load(); }
  // Rows this instance marked published since it started.
  int64_t published() const { return published_.load(); }

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  bool started_ = false;
  std::atomic<bool> leader_{false};
  std::atomic<int64_t> backlog_{-1};
  std::atomic<int64_t> published_{0};
};

}  // namespace nrp::events
