#include "nrp/events/outbox.h"

#include "nrp/db/pool.h"
#include "nrp_migrations_events.h"
#include "sql.h"

namespace nrp::events {

const db::MigrationSet& Migrations() { return nrp_migrations_events(); }

namespace {

// Serializes appends per (topic, key) until the transaction ends, and queues
// the relay's wake-up (delivered only if the transaction commits).
constexpr char kLockAndNotify[] =
    "SELECT pg_advisory_xact_lock(hashtextextended($1 || chr(31) || $2, 0)), pg_notify($3, '')";

constexpr char kInsert[] =
    "INSERT INTO outbox (event_id, topic, key, ce_type, ce_source, ce_subject, ce_time, "
    "content_type, dataschema, traceparent, payload) "
    "VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, NULLIF($10, ''), $11)";

constexpr char kBacklog[] = "SELECT count(*) FROM outbox WHERE published_at IS NULL";

}  // namespace

Status Outbox::Append(pqxx::dbtransaction& txn, const OutboxEvent& e) {
  if (!internal::IsValidTopicName(e.topic)) {
    return Error::InvalidArgument("topic", "not a valid Kafka topic name: '" + e.topic + "'");
  }
  NRP_RETURN_IF_ERROR(Validate(e.event));
  const CloudEvent& ev = e.event;
  try {
    internal::Prepare(txn, "nrp_outbox_lock", kLockAndNotify);
    internal::Prepare(txn, "nrp_outbox_insert", kInsert);
    txn.exec_prepared("nrp_outbox_lock", e.topic, ev.key, std::string(kOutboxChannel));
    txn.exec_prepared("nrp_outbox_insert", ev.id, e.topic, ev.key, ev.type, ev.source, ev.subject,
                      ev.time, ev.datacontenttype, ev.dataschema, ev.traceparent,
                      pqxx::binarystring(ev.payload));
  } catch (const std::exception& ex) {
    return db::MapException(ex).Prefix("outbox append");
  }
  return Ok();
}

Result<int64_t> Outbox::Backlog(pqxx::transaction_base& txn) {
  try {
    internal::Prepare(txn, "nrp_outbox_backlog", kBacklog);
    return txn.exec_prepared1("nrp_outbox_backlog")[0].as<int64_t>();
  } catch (const std::exception& ex) {
    return db::MapException(ex).Prefix("outbox backlog");
  }
}

}  // namespace nrp::events
