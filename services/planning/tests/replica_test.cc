// A replica built only from planning's events equals the source: the events
// are consumed from the broker with the events library's consumer into a
// separate database, as land supply or mining rights would keep theirs, and
// compared zone by zone (geometry bytes, ST_Equals, digests) and by checksum.
#include <gtest/gtest.h>

#include <map>

#include "fixture.h"
#include "nrp/core/uuid.h"
#include "nrp/db/migrations.h"
#include "nrp/db/transaction.h"
#include "nrp/events/consumer.h"
#include "nrp/events/outbox.h"
#include "nrp/events/topics.h"
#include "nrp/planning/v1/events.pb.h"

namespace nrp::planning::testing {
namespace {

using nrp::events::CloudEvent;
using nrp::events::HandlerResult;

// The digest of ZonePublished.zone_digest, computed from the event's fields as
// the contract defines it.
std::string Digest(const v1::ZonePublished& z) {
  std::string text = z.zone_id() + "\n" + std::to_string(static_cast<int>(z.control_level())) +
                     "\n" + std::to_string(z.geometry().srid() == 0 ? 4490 : z.geometry().srid()) +
                     "\n" + std::to_string(static_cast<int>(z.geometry().encoding())) + "\n" +
                     z.geometry().text() + "\n";
  std::map<std::string, std::string> attrs(z.attributes().begin(), z.attributes().end());
  for (const auto& [k, v] : attrs) text += k + "=" + v + "\n";
  return db::Sha256Hex(text);
}

const db::MigrationSet& ReplicaMigrations() {
  static const db::MigrationSet set{
      "zone_replica",
      {{1, "0001_zone_replica.sql",
        "CREATE TABLE replica_zones (layer_id text, version bigint, zone_id text, name text, "
        "control_level int, region_code text, geom geometry(Geometry, 4490), digest text, "
        "PRIMARY KEY (layer_id, version, zone_id));"
        "CREATE TABLE replica_layers (layer_id text PRIMARY KEY, current_version bigint, checksum "
        "text, "
        "zone_count bigint);"}}};
  return set;
}

class ReplicaTest : public PlanningFixture {};

TEST_F(ReplicaTest, AReplicaBuiltFromTheEventsEqualsTheSource) {
  // Two versions of a red line layer: a zone kept, one moved, one withdrawn, one added.
  auto layer = CreateLayer(common::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE, "410300").layer_id();
  auto v1 = PublishLayer(
      layer,
      {{"HX-1", SquareWkt(112.40, 34.60, 0.01), common::ZONE_CONTROL_LEVEL_CORE_PROTECTION,
        "伊洛河"},
       {"HX-2", SquareWkt(112.50, 34.60, 0.01), common::ZONE_CONTROL_LEVEL_GENERAL_CONTROL, ""},
       {"HX-3",
        "POLYGON((112.6 34.6, 112.61 34.6, 112.605 34.61, 112.6 34.6), "
        "(112.603 34.602, 112.606 34.602, 112.605 34.605, 112.603 34.602))",
        common::ZONE_CONTROL_LEVEL_GENERAL_CONTROL, "有洞的区"}});
  auto v2 = PublishLayer(
      layer,
      {{"HX-1", SquareWkt(112.40, 34.60, 0.01), common::ZONE_CONTROL_LEVEL_CORE_PROTECTION,
        "伊洛河"},
       {"HX-2", SquareWkt(112.52, 34.61, 0.013), common::ZONE_CONTROL_LEVEL_GENERAL_CONTROL, ""},
       {"HX-4",
        "MULTIPOLYGON(((112.7 34.6, 112.71 34.6, 112.71 34.61, 112.7 34.6)),"
        "((112.72 34.6, 112.73 34.6, 112.73 34.61, 112.72 34.6)))",
        common::ZONE_CONTROL_LEVEL_CORE_PROTECTION, ""}});
  ASSERT_EQ(v2.version(), 2);

  // The replica: its own database, the events library's consumer and inbox.
  nrp::testing::TestDatabase replica_db("replica");
  db::PoolOptions po;
  po.conninfo = replica_db.conninfo();
  auto pool = db::Pool::Create(po);
  ASSERT_TRUE(db::ApplyMigrations(*pool, {events::Migrations(), ReplicaMigrations()}).ok());
  events::ConsumerOptions co;
  co.group_id = prefix_ + "replica";
  co.topics = {prefix_ + std::string(events::kPlanningTopic)};
  co.kafka.bootstrap = nrp::testing::GetInfra().kafka_bootstrap;
  co.retry_initial = std::chrono::milliseconds(50);
  events::Consumer consumer(pool, co);
  consumer.Handle("nrp.planning.zone_published.v1", [](pqxx::work& tx, const CloudEvent& e) {
    v1::ZonePublished z;
    if (!events::ParsePayload(e, &z).ok()) return HandlerResult::Permanent("undecodable");
    if (Digest(z) != z.zone_digest())
      return HandlerResult::Permanent("digest mismatch for " + z.zone_id());
    tx.exec_params(
        "INSERT INTO replica_zones VALUES ($1, $2, $3, $4, $5, $6, ST_GeomFromText($7, 4490), $8) "
        "ON CONFLICT DO NOTHING",
        z.layer_id(), z.layer_version(), z.zone_id(), z.name(), static_cast<int>(z.control_level()),
        z.zone_region_code(), z.geometry().text(), z.zone_digest());
    return HandlerResult::Ok();
  });
  consumer.Handle("nrp.planning.zone_withdrawn.v1", [](pqxx::work&, const CloudEvent&) {
    return HandlerResult::Ok();  // each version is complete on its own
  });
  consumer.Handle("nrp.planning.layer_version_published.v1", [](pqxx::work& tx,
                                                                const CloudEvent& e) {
    v1::LayerVersionPublished m;
    if (!events::ParsePayload(e, &m).ok()) return HandlerResult::Permanent("undecodable");
    pqxx::result rows = tx.exec_params(
        "SELECT zone_id, digest FROM replica_zones WHERE layer_id = $1 AND version = $2 "
        "ORDER BY zone_id COLLATE \"C\"",
        m.layer_id(), m.version());
    std::string text;
    for (const auto& r : rows) text += r[0].as<std::string>() + ":" + r[1].as<std::string>() + "\n";
    if (static_cast<int64_t>(rows.size()) != m.zone_count() ||
        db::Sha256Hex(text) != m.checksum()) {
      return HandlerResult::Permanent("version " + std::to_string(m.version()) + " incomplete");
    }
    tx.exec_params(
        "INSERT INTO replica_layers VALUES ($1, $2, $3, $4) ON CONFLICT (layer_id) DO UPDATE SET "
        "current_version = EXCLUDED.current_version, checksum = EXCLUDED.checksum, zone_count = "
        "EXCLUDED.zone_count",
        m.layer_id(), m.version(), m.checksum(), m.zone_count());
    return HandlerResult::Ok();
  });
  // The topic also carries indicator events, which a zone replica ignores.
  for (const char* type :
       {"nrp.planning.indicator_progress_updated.v1", "nrp.planning.indicator_warning_raised.v1",
        "nrp.planning.indicator_warning_cleared.v1"}) {
    consumer.Handle(type, [](pqxx::work&, const CloudEvent&) { return HandlerResult::Ok(); });
  }
  ASSERT_TRUE(consumer.Start().ok());
  pqxx::connection rc(replica_db.conninfo());
  auto replica_version = [&] {
    pqxx::nontransaction tx(rc);
    auto r = tx.exec("SELECT current_version FROM replica_layers");
    return r.empty() ? int64_t{0} : r[0][0].as<int64_t>();
  };
  ASSERT_TRUE(
      nrp::testing::WaitFor([&] { return replica_version() == 2; }, std::chrono::seconds(60)))
      << "the replica did not reach version 2; dead-lettered: " << consumer.stats().dead_lettered;
  consumer.Stop();
  EXPECT_EQ(consumer.stats().dead_lettered, 0);

  pqxx::connection sc(db_->conninfo());
  for (int64_t version : {int64_t{1}, int64_t{2}}) {
    pqxx::nontransaction src(sc);
    pqxx::result s = src.exec_params(
        "SELECT zone_id, name, control_level, region_code, encode(ST_AsBinary(geom, 'NDR'), "
        "'hex'), digest "
        "FROM zones WHERE layer_id = $1 AND from_version <= $2 AND (to_version IS NULL OR "
        "to_version > $2) "
        "ORDER BY zone_id COLLATE \"C\"",
        layer, version);
    pqxx::nontransaction rep(rc);
    pqxx::result r = rep.exec_params(
        "SELECT zone_id, name, control_level, region_code, encode(ST_AsBinary(geom, 'NDR'), "
        "'hex'), digest "
        "FROM replica_zones WHERE layer_id = $1 AND version = $2 ORDER BY zone_id COLLATE \"C\"",
        layer, version);
    ASSERT_EQ(s.size(), 3u);
    ASSERT_EQ(r.size(), s.size()) << "version " << version;
    for (size_t i = 0; i < s.size(); ++i) {
      for (int col = 0; col < 6; ++col) {
        EXPECT_EQ(r[i][col].as<std::string>(), s[i][col].as<std::string>())
            << "version " << version << " zone " << s[i][0].as<std::string>() << " column " << col;
      }
      // And topologically equal, checked by PostGIS on the replica's side.
      EXPECT_TRUE(rep.exec_params(
                         "SELECT ST_Equals(geom, ST_GeomFromWKB(decode($1, 'hex'), 4490)) FROM "
                         "replica_zones WHERE layer_id = $2 AND version = $3 AND zone_id = $4",
                         s[i][4].as<std::string>(), layer, version, s[i][0].as<std::string>())[0][0]
                      .as<bool>());
    }
  }
  pqxx::nontransaction rep(rc);
  auto layers = rep.exec("SELECT checksum, zone_count FROM replica_layers");
  EXPECT_EQ(layers[0][0].as<std::string>(), v2.checksum());
  EXPECT_EQ(layers[0][1].as<int64_t>(), v2.zone_count());
  EXPECT_NE(v1.checksum(), v2.checksum());
}

}  // namespace
}  // namespace nrp::planning::testing
