// The zone replica built from planning's events alone: what is in force equals what planning
// published, a version switches in only when its marker checks out, and each refusal names
// what was wrong.
#include "nrp/zones/replica.h"

#include <gtest/gtest.h>

#include <map>

#include "nrp/common/v1/zone.pb.h"
#include "nrp/db/migrations.h"
#include "nrp/db/transaction.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/testing/infra.h"

namespace nrp::zones {
namespace {

namespace ppb = nrp::planning::v1;
namespace cpb = nrp::common::v1;

// A zone as planning holds it.
struct SourceZone {
  std::string zone_id;
  std::string wkt;
  int control_level = 1;
  std::string name;
};

// A square of `side` degrees with its south-west corner at (lon, lat).
std::string Square(double lon, double lat, double side) {
  auto p = [](double x, double y) { return std::to_string(x) + " " + std::to_string(y); };
  return "POLYGON((" + p(lon, lat) + ", " + p(lon + side, lat) + ", " + p(lon + side, lat + side) +
         ", " + p(lon, lat + side) + ", " + p(lon, lat) + "))";
}

ppb::ZonePublished Published(const std::string& layer, int64_t version, const SourceZone& z,
                             int kind = cpb::ZONE_LAYER_KIND_PERMANENT_BASIC_FARMLAND,
                             const std::string& region = "410300") {
  ppb::ZonePublished e;
  e.set_layer_id(layer);
  e.set_region_code(region);
  e.set_layer_kind(static_cast<cpb::ZoneLayerKind>(kind));
  e.set_layer_version(version);
  e.set_zone_id(z.zone_id);
  e.set_name(z.name.empty() ? "zone " + z.zone_id : z.name);
  e.set_control_level(static_cast<cpb::ZoneControlLevel>(z.control_level));
  e.mutable_geometry()->set_encoding(cpb::GEOMETRY_ENCODING_WKT);
  e.mutable_geometry()->set_srid(4490);
  e.mutable_geometry()->set_text(z.wkt);
  (*e.mutable_attributes())["source"] = "三区三线划定成果";
  e.set_zone_region_code(region);
  e.set_zone_digest(ZoneDigest(e));
  return e;
}

// The marker planning sends after the version's zones and withdrawals.
ppb::LayerVersionPublished Marker(const std::string& layer, int64_t version,
                                  const std::vector<ppb::ZonePublished>& zones, int64_t withdrawn,
                                  int kind = 1, const std::string& region = "410300") {
  std::map<std::string, std::string> by_id;
  for (const auto& z : zones) by_id[z.zone_id()] = z.zone_digest();
  std::string text;
  for (const auto& [id, digest] : by_id) text += id + ":" + digest + "\n";
  ppb::LayerVersionPublished m;
  m.set_layer_id(layer);
  m.set_region_code(region);
  m.set_layer_kind(static_cast<cpb::ZoneLayerKind>(kind));
  m.set_version(version);
  m.set_previous_version(version - 1);
  m.set_zone_count(static_cast<int64_t>(zones.size()));
  m.set_withdrawn_count(withdrawn);
  m.set_checksum(db::Sha256Hex(text));
  m.mutable_effective_from()->set_year(2027);
  m.mutable_effective_from()->set_month(1);
  m.mutable_effective_from()->set_day(1);
  m.mutable_approval()->set_number("豫政函〔2022〕105号");
  return m;
}

ppb::ZoneWithdrawn Withdrawn(const std::string& layer, int64_t version, const std::string& zone) {
  ppb::ZoneWithdrawn w;
  w.set_layer_id(layer);
  w.set_region_code("410300");
  w.set_layer_kind(cpb::ZONE_LAYER_KIND_PERMANENT_BASIC_FARMLAND);
  w.set_layer_version(version);
  w.set_zone_id(zone);
  w.set_previous_version(version - 1);
  return w;
}

class ReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<nrp::testing::TestDatabase>("zones");
    db::PoolOptions o;
    o.conninfo = db_->conninfo();
    o.size = 4;
    pool_ = db::Pool::Create(o);
    auto applied = db::ApplyMigrations(*pool_, {Migrations()});
    ASSERT_TRUE(applied.ok()) << applied.error().ToString();
  }

  template <class Event>
  Status Apply(const Event& e) {
    return db::Transact(*pool_, [&](pqxx::work& tx) { return replica_.Apply(tx, e); });
  }
  Status Apply(const ppb::LayerVersionPublished& m, const SwitchListener& on_switch) {
    return db::Transact(*pool_, [&](pqxx::work& tx) { return replica_.Apply(tx, m, on_switch); });
  }

  // Publishes a whole version as planning does: zones, withdrawals, marker.
  void PublishVersion(const std::string& layer, int64_t version,
                      const std::vector<SourceZone>& zones,
                      const std::vector<std::string>& withdrawn = {}) {
    std::vector<ppb::ZonePublished> events;
    for (const auto& z : zones) events.push_back(Published(layer, version, z));
    for (const auto& e : events) ASSERT_TRUE(Apply(e).ok());
    for (const auto& w : withdrawn) ASSERT_TRUE(Apply(Withdrawn(layer, version, w)).ok());
    auto st = Apply(Marker(layer, version, events, static_cast<int64_t>(withdrawn.size())));
    ASSERT_TRUE(st.ok()) << st.error().ToString();
  }

  // zone_id -> WKT of the zones in force of `layer`, read back from the replica.
  std::map<std::string, std::string> InForce(const std::string& layer) {
    pqxx::connection c(db_->conninfo());
    pqxx::nontransaction tx(c);
    std::map<std::string, std::string> out;
    for (const auto& row : tx.exec_params(
             "SELECT z.zone_id, ST_AsText(z.geom) FROM zone_replica_zones z JOIN "
             "zone_replica_layers l ON l.layer_id = z.layer_id AND l.current_version = z.version "
             "WHERE z.layer_id = $1",
             layer)) {
      out[row[0].c_str()] = row[1].c_str();
    }
    return out;
  }

  // True when every source zone is in force with the same geometry, and nothing else is.
  ::testing::AssertionResult EqualsSource(const std::string& layer,
                                          const std::vector<SourceZone>& source) {
    auto got = InForce(layer);
    if (got.size() != source.size()) {
      return ::testing::AssertionFailure()
             << got.size() << " zones in force, the source has " << source.size();
    }
    pqxx::connection c(db_->conninfo());
    pqxx::nontransaction tx(c);
    for (const auto& z : source) {
      auto it = got.find(z.zone_id);
      if (it == got.end()) return ::testing::AssertionFailure() << z.zone_id << " is missing";
      bool same = tx.exec_params1("SELECT ST_Equals(ST_GeomFromText($1), ST_GeomFromText($2))",
                                  it->second, z.wkt)[0]
                      .as<bool>();
      if (!same) return ::testing::AssertionFailure() << z.zone_id << " has " << it->second;
    }
    return ::testing::AssertionSuccess();
  }

  Result<std::vector<Overlap>> Overlaps(const std::string& wkt, const LayerFilter& f = {}) {
    return db::Transact(*pool_, [&](pqxx::work& tx) -> Result<std::vector<Overlap>> {
      auto hex = tx.exec_params1("SELECT ST_AsHexEWKB(ST_GeomFromText($1, 4490))", wkt);
      return Overlapping(tx, hex[0].c_str(), f);
    });
  }

  std::unique_ptr<nrp::testing::TestDatabase> db_;
  std::shared_ptr<db::Pool> pool_;
  ManualClock clock_{TimePoint(std::chrono::sys_days(Date(2026, 12, 31).sys_days()))};
  Replica replica_{clock_};
};

TEST_F(ReplicaTest, TheVersionsInForceEqualWhatPlanningPublished) {
  std::vector<SourceZone> v1 = {{"Z-A", Square(112.40, 34.60, 0.01)},
                                {"Z-B", Square(112.42, 34.60, 0.01)},
                                {"Z-C", Square(112.44, 34.60, 0.01)}};
  PublishVersion("L-farm", 1, v1);
  EXPECT_TRUE(EqualsSource("L-farm", v1));

  // Version 2: A redrawn, C withdrawn, D added. Until its marker, version 1 stays in force.
  std::vector<SourceZone> v2 = {{"Z-A", Square(112.40, 34.60, 0.005)},
                                {"Z-B", Square(112.42, 34.60, 0.01)},
                                {"Z-D", Square(112.46, 34.60, 0.01)}};
  std::vector<ppb::ZonePublished> events;
  for (const auto& z : v2) events.push_back(Published("L-farm", 2, z));
  for (const auto& e : events) ASSERT_TRUE(Apply(e).ok());
  ASSERT_TRUE(Apply(Withdrawn("L-farm", 2, "Z-C")).ok());
  EXPECT_TRUE(EqualsSource("L-farm", v1));

  std::vector<SwitchedLayer> switched;
  auto st = Apply(Marker("L-farm", 2, events, 1), [&](pqxx::work&, const SwitchedLayer& l) {
    switched.push_back(l);
    return Ok();
  });
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  EXPECT_TRUE(EqualsSource("L-farm", v2));
  ASSERT_EQ(switched.size(), 1u);
  EXPECT_EQ(switched[0].version, 2);
  EXPECT_EQ(switched[0].previous_version, 1);
  EXPECT_EQ(switched[0].zone_count, 3);

  auto layers = db::Transact(*pool_, [](pqxx::work& tx) { return LayersInForce(tx, {}); });
  ASSERT_TRUE(layers.ok());
  ASSERT_EQ(layers->size(), 1u);
  EXPECT_EQ((*layers)[0].version, 2);
  EXPECT_EQ((*layers)[0].zone_count, 3);
  ASSERT_TRUE((*layers)[0].effective_from.has_value());
  EXPECT_EQ((*layers)[0].effective_from->ToString(), "2027-01-01");
  cpb::DocumentReference approval;
  ASSERT_TRUE(approval.ParseFromString((*layers)[0].approval));
  EXPECT_EQ(approval.number(), "豫政函〔2022〕105号");

  // Nothing of the replaced version is kept.
  pqxx::connection c(db_->conninfo());
  pqxx::nontransaction tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM zone_replica_zones WHERE version < 2")[0].as<int>(), 0);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM zone_replica_withdrawals")[0].as<int>(), 0);
}

TEST_F(ReplicaTest, RedeliveriesAndOlderVersionsChangeNothing) {
  std::vector<SourceZone> v1 = {{"Z-A", Square(112.40, 34.60, 0.01)}};
  std::vector<SourceZone> v2 = {{"Z-A", Square(112.40, 34.60, 0.02)}};
  PublishVersion("L-farm", 1, v1);
  PublishVersion("L-farm", 2, v2);
  // Version 1's events delivered again after version 2 is in force.
  auto old_zone = Published("L-farm", 1, v1[0]);
  EXPECT_TRUE(Apply(old_zone).ok());
  EXPECT_TRUE(Apply(Marker("L-farm", 1, {old_zone}, 0)).ok());
  // Version 2's marker again.
  EXPECT_TRUE(Apply(Marker("L-farm", 2, {Published("L-farm", 2, v2[0])}, 0)).ok());
  EXPECT_TRUE(EqualsSource("L-farm", v2));
  pqxx::connection c(db_->conninfo());
  pqxx::nontransaction tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM zone_replica_zones")[0].as<int>(), 1);
}

TEST_F(ReplicaTest, AMarkerThatDisagreesWithWhatArrivedKeepsTheVersionOut) {
  std::vector<SourceZone> v1 = {{"Z-A", Square(112.40, 34.60, 0.01)},
                                {"Z-B", Square(112.42, 34.60, 0.01)}};
  PublishVersion("L-farm", 1, v1);

  // Version 2 with one zone lost on the way: the marker counts two.
  auto a2 = Published("L-farm", 2, {"Z-A", Square(112.40, 34.60, 0.02)});
  auto b2 = Published("L-farm", 2, v1[1]);
  ASSERT_TRUE(Apply(a2).ok());
  Status lost = Apply(Marker("L-farm", 2, {a2, b2}, 0));
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code(), Code::kFailedPrecondition);
  EXPECT_NE(lost.error().message().find("layer L-farm version 2: received 1 zones and 0 "
                                        "withdrawals"),
            std::string::npos)
      << lost.error().message();
  EXPECT_NE(lost.error().message().find("zone events were lost, the version stays out of use"),
            std::string::npos);
  EXPECT_TRUE(EqualsSource("L-farm", v1));

  // The zones arrive but a withdrawal the marker counts did not.
  ASSERT_TRUE(Apply(b2).ok());
  Status withdrawal_lost = Apply(Marker("L-farm", 2, {a2, b2}, 1));
  ASSERT_FALSE(withdrawal_lost.ok());
  EXPECT_NE(withdrawal_lost.error().message().find("the marker says 2 and 1"), std::string::npos)
      << withdrawal_lost.error().message();
  EXPECT_TRUE(EqualsSource("L-farm", v1));

  // Same counts, other content: the checksum tells.
  auto other = Marker("L-farm", 2, {a2, b2}, 0);
  other.set_checksum(std::string(64, '0'));
  Status changed = Apply(other);
  ASSERT_FALSE(changed.ok());
  EXPECT_NE(changed.error().message().find("checksum"), std::string::npos);
  EXPECT_TRUE(EqualsSource("L-farm", v1));

  // The true marker switches it in.
  EXPECT_TRUE(Apply(Marker("L-farm", 2, {a2, b2}, 0)).ok());
  EXPECT_TRUE(EqualsSource("L-farm", {{"Z-A", Square(112.40, 34.60, 0.02)}, v1[1]}));
}

TEST_F(ReplicaTest, AListenerThatFailsUndoesTheSwitch) {
  std::vector<SourceZone> v1 = {{"Z-A", Square(112.40, 34.60, 0.01)}};
  auto a = Published("L-farm", 1, v1[0]);
  ASSERT_TRUE(Apply(a).ok());
  Status st = Apply(Marker("L-farm", 1, {a}, 0), [](pqxx::work&, const SwitchedLayer&) -> Status {
    return Error::Unavailable("the service's own table is locked");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), Code::kUnavailable);
  EXPECT_TRUE(InForce("L-farm").empty());
  EXPECT_TRUE(Apply(Marker("L-farm", 1, {a}, 0)).ok());  // the redelivery succeeds
  EXPECT_TRUE(EqualsSource("L-farm", v1));
}

TEST_F(ReplicaTest, BrokenZoneEventsAreRefusedNamingTheField) {
  SourceZone z{"Z-A", Square(112.40, 34.60, 0.01)};
  auto expect_refused = [&](const ppb::ZonePublished& e, const std::string& text) {
    Status st = Apply(e);
    ASSERT_FALSE(st.ok()) << text;
    EXPECT_EQ(st.error().code(), Code::kInvalidArgument) << st.error().ToString();
    EXPECT_NE(st.error().message().find(text), std::string::npos) << st.error().message();
  };
  auto tampered = Published("L-farm", 1, z);
  tampered.set_name("renamed");  // not in the digest: accepted
  EXPECT_TRUE(Apply(tampered).ok());
  tampered.mutable_geometry()->set_text(Square(112.40, 34.60, 0.5));
  expect_refused(tampered,
                 "zone_digest: zone Z-A of layer L-farm version 1: zone_digest does not "
                 "match its content");
  auto no_digest = Published("L-farm", 1, z);
  no_digest.clear_zone_digest();
  expect_refused(no_digest, "zone_digest:");
  auto wgs84 = Published("L-farm", 1, z);
  wgs84.mutable_geometry()->set_srid(4326);
  wgs84.set_zone_digest(ZoneDigest(wgs84));
  expect_refused(wgs84, "geometry.srid: zone Z-A of layer L-farm version 1 has SRID 4326");
  auto no_region = Published("L-farm", 1, z, 1, "4103");
  expect_refused(no_region, "region_code:");
  auto unreadable = Published("L-farm", 1, {"Z-X", "POLYGON((1 2, 3"});
  expect_refused(unreadable,
                 "geometry: zone Z-X of layer L-farm version 1: PostGIS cannot read it");
  auto no_version = Published("L-farm", 0, z);
  expect_refused(no_version, "zone: a zone event needs layer_id, zone_id and a version");

  auto marker = Marker("L-farm", 1, {Published("L-farm", 1, z)}, 0, /*kind=*/0);
  Status st = Apply(marker);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), Code::kInvalidArgument);
  EXPECT_NE(st.error().message().find("layer_kind:"), std::string::npos);
  EXPECT_TRUE(InForce("L-farm").empty());
}

TEST_F(ReplicaTest, OverlapsAreZonesInForceWhoseInteriorMeetsTheGeometry) {
  PublishVersion(
      "L-farm", 1,
      {{"Z-A", Square(112.40, 34.60, 0.01), 1}, {"Z-B", Square(112.42, 34.60, 0.01), 2}});
  // A square inside Z-A (which spans 112.40 to 112.41).
  auto half = Overlaps(Square(112.405, 34.60, 0.005));
  ASSERT_TRUE(half.ok()) << half.error().ToString();
  ASSERT_EQ(half->size(), 1u);
  EXPECT_EQ((*half)[0].zone_id, "Z-A");
  EXPECT_EQ((*half)[0].version, 1);
  EXPECT_EQ((*half)[0].control_level, 1);
  // A 0.005° square near 34.6°N is about 556 m × 458 m; the intersection is all of it.
  EXPECT_NEAR((*half)[0].overlap_m2, 254500, 2000);
  cpb::DocumentReference approval;
  ASSERT_TRUE(approval.ParseFromString((*half)[0].approval));
  EXPECT_EQ(approval.number(), "豫政函〔2022〕105号");

  // Sharing only Z-A's eastern edge and Z-B's western one: no overlap.
  auto between = Overlaps(Square(112.41, 34.60, 0.01));
  ASSERT_TRUE(between.ok());
  EXPECT_TRUE(between->empty());

  // Across both.
  auto both = Overlaps(Square(112.405, 34.60, 0.02));
  ASSERT_TRUE(both.ok());
  ASSERT_EQ(both->size(), 2u);
  EXPECT_EQ((*both)[0].zone_id, "Z-A");
  EXPECT_EQ((*both)[1].zone_id, "Z-B");

  auto bad = db::Transact(*pool_, [&](pqxx::work& tx) { return Overlapping(tx, "not hex"); });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), Code::kInvalidArgument);
  EXPECT_NE(bad.error().message().find("geometry:"), std::string::npos) << bad.error().message();
}

TEST_F(ReplicaTest, LayersCoverTheirRegionItsCountiesAndNothingElse) {
  struct Case {
    const char* layer;
    const char* region;
    bool covers;
  };
  for (const Case& c : std::vector<Case>{{"410300", "410302", true},
                                         {"410300", "410300", true},
                                         {"410000", "410302", true},
                                         {"410300", "411302", false},
                                         {"411000", "411002", true},
                                         {"411000", "411102", false},  // 许昌 is not 漯河
                                         {"410302", "410303", false},
                                         {"410302", "410302", true},
                                         {"", "410302", false}}) {
    EXPECT_EQ(Covers(c.layer, c.region), c.covers) << c.layer << " " << c.region;
    if (std::string(c.layer).empty()) continue;
    pqxx::connection conn(db_->conninfo());
    pqxx::nontransaction tx(conn);
    EXPECT_EQ(
        tx.exec_params1("SELECT nrp_zone_region_covers($1, $2)", c.layer, c.region)[0].as<bool>(),
        c.covers)
        << "SQL: " << c.layer << " " << c.region;
  }

  // A city layer and another city's layer over the same ground: the filter keeps the county's.
  SourceZone ground{"Z-1", Square(112.40, 34.60, 0.01)};
  auto mine = Published("L-luoyang", 1, ground, 1, "410300");
  auto theirs = Published("L-xuchang", 1, ground, 2, "411000");
  ASSERT_TRUE(Apply(mine).ok());
  ASSERT_TRUE(Apply(theirs).ok());
  ASSERT_TRUE(Apply(Marker("L-luoyang", 1, {mine}, 0, 1, "410300")).ok());
  ASSERT_TRUE(Apply(Marker("L-xuchang", 1, {theirs}, 0, 2, "411000")).ok());
  auto all = Overlaps(Square(112.40, 34.60, 0.005));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  auto county = Overlaps(Square(112.40, 34.60, 0.005), {.region_code = "410302"});
  ASSERT_TRUE(county.ok());
  ASSERT_EQ(county->size(), 1u);
  EXPECT_EQ((*county)[0].layer_id, "L-luoyang");
  auto red_line = Overlaps(Square(112.40, 34.60, 0.005), {.kinds = {2}});
  ASSERT_TRUE(red_line.ok());
  ASSERT_EQ(red_line->size(), 1u);
  EXPECT_EQ((*red_line)[0].layer_id, "L-xuchang");
}

TEST_F(ReplicaTest, AreaOutsideTheUrbanBoundary) {
  auto boundary = Published("L-urban", 1, {"U-1", Square(112.40, 34.60, 0.01)},
                            cpb::ZONE_LAYER_KIND_URBAN_DEVELOPMENT_BOUNDARY);
  ASSERT_TRUE(Apply(boundary).ok());
  ASSERT_TRUE(Apply(Marker("L-urban", 1, {boundary}, 0, 3)).ok());
  auto measure = [&](const std::string& wkt) {
    return db::Transact(*pool_, [&](pqxx::work& tx) -> Result<Outside> {
      auto hex = tx.exec_params1("SELECT ST_AsHexEWKB(ST_GeomFromText($1, 4490))", wkt);
      return AreaOutside(tx, hex[0].c_str(), cpb::ZONE_LAYER_KIND_URBAN_DEVELOPMENT_BOUNDARY,
                         {.region_code = "410302"});
    });
  };
  // Straddling the eastern edge: half in, half out.
  auto straddling = measure(Square(112.405, 34.60, 0.01));
  ASSERT_TRUE(straddling.ok()) << straddling.error().ToString();
  EXPECT_GT(straddling->geometry_m2, 0);
  EXPECT_NEAR(straddling->outside_m2 / straddling->geometry_m2, 0.5, 0.01);
  // Entirely outside, and no boundary layer for another province: all of it.
  auto elsewhere = db::Transact(*pool_, [&](pqxx::work& tx) -> Result<Outside> {
    auto hex = tx.exec_params1("SELECT ST_AsHexEWKB(ST_GeomFromText($1, 4490))",
                               Square(112.40, 34.60, 0.005));
    return AreaOutside(tx, hex[0].c_str(), 3, {.region_code = "420102"});
  });
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_DOUBLE_EQ(elsewhere->outside_m2, elsewhere->geometry_m2);
}

}  // namespace
}  // namespace nrp::zones
