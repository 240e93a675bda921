// The transactional outbox (architecture §2): a service appends its events in
// the same PostgreSQL transaction as the state change they describe, so both
// commit or neither does. The Relay (relay.h) publishes them afterwards.
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <string_view>

#include "nrp/core/status.h"
#include "nrp/db/migrations.h"
#include "nrp/events/cloud_event.h"

namespace nrp::events {

// The events library's tables (outbox, inbox), component "events". Every
// service applies this set together with its own:
//   db::ApplyMigrations(pool, {events::Migrations(), nrp_migrations_planning()});
const db::MigrationSet& Migrations();

// NOTIFY channel the outbox signals and the relay listens on.
inline constexpr std::string_view kOutboxChannel = "nrp_outbox";

struct OutboxEvent {
  std::string topic;
  CloudEvent event;
};

class Outbox {
 public:
  // Appends `event` inside the caller's transaction (a real one: a
  // nontransaction would commit the row on its own and drop the per-key lock
  // at once, so it does not compile) and signals the relay
  // (NOTIFY, delivered at commit). INVALID_ARGUMENT when the envelope or the
  // topic is invalid; database errors are mapped with db::MapException
  // (a duplicate event id is ALREADY_EXISTS). After an error the transaction
  // must be rolled back.
  //
  // Commit order per key. The relay publishes rows in id order, and ids come
  // from a sequence when a row is inserted, not when its transaction commits:
  // if T1 inserted id 10 for key K and T2 inserted id 11 for K but committed
  // first, the relay could publish 11 before 10 is even visible, and K's
  // events would reach Kafka out of order. So Append first takes a
  // transaction-scoped advisory lock on a hash of (topic, key): a second
  // transaction appending for the same key waits until the first commits or
  // rolls back, and only then draws its id. For one key, id order is then
  // commit order. Different keys do not wait for each other (except for rare
  // hash collisions, which only serialize them).
  static Status Append(pqxx::dbtransaction& txn, const OutboxEvent& event);

  // Events not yet published.
  static Result<int64_t> Backlog(pqxx::transaction_base& txn);
};

}  // namespace nrp::events
