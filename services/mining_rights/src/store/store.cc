#include "store/store.h"

#include <cstdio>
#include <map>

#include "nrp/geo/postgis.h"
#include "nrp/service/wire_time.h"
#include "nrp/zones/replica.h"

namespace nrp::mining_rights::store {

namespace {

using service::FromTimestamp;
using service::ToTimestamp;

int64_t Micros(TimePoint t) { return service::EpochMicros(t); }

std::optional<int64_t> MicrosOf(const google::protobuf::Timestamp& ts, bool present) {
  if (!present) return std::nullopt;
  return Micros(FromTimestamp(ts));
}

std::string Bytes(const google::protobuf::Message& m) {
  std::string out;
  m.SerializeToString(&out);
  return out;
}

template <class M>
Result<M> Parse(const pqxx::field& f, const char* what) {
  M m;
  const pqxx::binarystring bytes(f);
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Error::Internal(std::string("a stored ") + what + " cannot be read");
  }
  return m;
}

pqxx::binarystring Blob(const std::string& bytes) {
  return pqxx::binarystring(bytes.data(), bytes.size());
}

std::string RegionCondition(const std::vector<std::string>& prefixes, list::Params& params) {
  if (prefixes.empty()) return "";
  std::string any;
  for (const auto& p : prefixes) {
    any +=
        (any.empty() ? "" : " OR ") + std::string("region_code::text LIKE ") + params.Add(p + "%");
  }
  return " AND (" + any + ")";
}

// A page of resources kept whole in `body`, from `table` under the base condition `where`
// (whose parameters are already in `params`), filtered, ordered and paged by `q`.
template <class M>
Result<list::Page<M>> ListBodies(pqxx::work& tx, const list::Query& q, const char* table,
                                 const std::string& where, list::Params& params, const char* what) {
  const std::string sql = "SELECT body" + q.CursorColumns() + " FROM " + table + " WHERE " + where +
                          q.Where(params) + q.OrderLimit(params);
  auto rows = params.Exec(tx, sql);
  return q.Collect(rows, [what](const pqxx::row& r) { return Parse<M>(r[0], what); });
}

}  // namespace

// ---------------------------------------------------------------- blocks and the gate

Result<Block> MeasureBlock(pqxx::work& tx, const nrp::common::v1::Geometry& g,
                           const std::string& field) {
  NRP_ASSIGN_OR_RETURN(geo::Polygonal p,
                       geo::ReadPolygonal(tx, static_cast<int>(g.encoding()), g.text(), field));
  if (!(p.area_m2 > 0)) return Error::InvalidArgument(field, "must have an area");
  return Block{p.hex_ewkb, p.area_m2};
}

Result<GateMeasurement> MeasureGate(pqxx::work& tx, const Block& block,
                                    const std::string& region_code,
                                    const std::vector<std::string>& except_right_ids) {
  GateMeasurement m;
  m.area_m2 = block.area_m2;
  zones::LayerFilter filter{.region_code = region_code};
  NRP_ASSIGN_OR_RETURN(auto layers, zones::LayersInForce(tx, filter));
  for (const auto& l : layers) m.layers.push_back({l.layer_id, l.kind, l.version});
  NRP_ASSIGN_OR_RETURN(auto overlaps, zones::Overlapping(tx, block.hex_ewkb, filter));
  for (const auto& o : overlaps) {
    m.zones.push_back(
        {o.layer_id, o.version, o.zone_id, o.name, o.kind, o.control_level, o.overlap_m2});
  }
  std::string except = "{";
  for (size_t i = 0; i < except_right_ids.size(); ++i) {
    except += (i ? "," : "") + except_right_ids[i];
  }
  except += "}";
  for (const auto& r : tx.exec_params(
           "WITH b AS (SELECT ST_GeomFromEWKB(decode($1, 'hex')) AS g) "
           "SELECT right_id::text, licence_number, "
           "ST_Area(geography(ST_Intersection(r.geom, b.g))) FROM mining_rights r, b "
           "WHERE r.state = 1 AND ST_Intersects(r.geom, b.g) "
           "AND ST_Relate(r.geom, b.g, 'T********') AND NOT (r.right_id = ANY($2::uuid[])) "
           "ORDER BY licence_number",
           block.hex_ewkb, except)) {
    m.rights.push_back({r[0].c_str(), r[1].c_str(), r[2].as<double>()});
  }
  return m;
}

// ---------------------------------------------------------------- offers and bids

const list::Spec& OfferList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "mining_rights.ListGrantOffers",
      .fields =
          {
              {.name = "region_code", .sql = "region_code::text", .prefix = true},
              {.name = "kind",
               .sql = "kind",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::MiningRightKind_descriptor())},
              {.name = "state",
               .sql = "state",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::GrantOfferState_descriptor())},
              {.name = "method",
               .sql = "method",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::GrantMethod_descriptor())},
              {.name = "main_mineral.code", .sql = "mineral_code"},
          },
      .orders = {{"create_time", {{"create_time", Type::kTimestamp}}},
                 {"bidding_start", {{"bidding_start", Type::kTimestamp, /*nullable=*/true}}}},
      .default_order = "create_time desc",
      .id = {"offer_id", Type::kUuid},
  };
  return spec;
}

const list::Spec& BidList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "mining_rights.ListGrantBids",
      .fields = {{.name = "bidder_number", .sql = "bidder_number"}},
      .orders = {{"placed_at", {{"seq", Type::kInt}}}},
      .default_order = "placed_at",
      .id = {"bid_id", Type::kUuid},
  };
  return spec;
}

const list::Spec& ContractList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "mining_rights.ListGrantContracts",
      .fields =
          {
              {.name = "region_code", .sql = "region_code::text", .prefix = true},
              {.name = "state",
               .sql = "state",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::GrantContractState_descriptor())},
              {.name = "offer_id", .sql = "offer_id", .type = Type::kUuid},
          },
      .orders = {{"signed_at", {{"signed_at", Type::kTimestamp}}}},
      .default_order = "signed_at desc",
      .id = {"contract_id", Type::kUuid},
  };
  return spec;
}

const list::Spec& RightList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "mining_rights.ListRights",
      .fields =
          {
              {.name = "region_code", .sql = "region_code::text", .prefix = true},
              {.name = "kind",
               .sql = "kind",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::MiningRightKind_descriptor())},
              {.name = "state",
               .sql = "state",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::MiningRightState_descriptor())},
              {.name = "main_mineral.code", .sql = "mineral_code"},
              {.name = "licence_number", .sql = "licence_number"},
              {.name = "valid_to", .sql = "valid_to", .type = Type::kDate},
          },
      .orders = {{"licence_number", {{"licence_number", Type::kText}}},
                 {"valid_to", {{"valid_to", Type::kDate}}},
                 {"granted_at", {{"granted_at", Type::kTimestamp}}}},
      .default_order = "licence_number",
      .id = {"right_id", Type::kUuid},
      .id_ascending = true,
  };
  return spec;
}

const list::Spec& AnnualReportList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "mining_rights.ListAnnualReports",
      .fields =
          {
              {.name = "right_id", .sql = "right_id", .type = Type::kUuid},
              {.name = "year", .sql = "year", .type = Type::kInt},
              {.name = "late", .sql = "late", .type = Type::kBool},
              {.name = "region_code", .sql = "region_code::text", .prefix = true},
          },
      .orders = {{"year", {{"year", Type::kInt}}},
                 {"submitted_at", {{"submitted_at", Type::kTimestamp}}}},
      .default_order = "year desc",
      .id = {"report_id", Type::kUuid},
  };
  return spec;
}

const list::Spec& AbnormalEntryList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "mining_rights.ListAbnormalEntries",
      .fields =
          {
              {.name = "right_id", .sql = "right_id", .type = Type::kUuid},
              {.name = "year", .sql = "year", .type = Type::kInt},
              {.name = "reason",
               .sql = "reason",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::AbnormalReason_descriptor())},
              {.name = "region_code", .sql = "region_code::text", .prefix = true},
              // Still on the list (not removed).
              {.name = "listed", .sql = "(removed_at IS NULL)", .type = Type::kBool},
          },
      .orders = {{"listed_at", {{"listed_at", Type::kTimestamp}}},
                 {"year", {{"year", Type::kInt}}}},
      .default_order = "listed_at desc",
      .id = {"entry_id", Type::kUuid},
  };
  return spec;
}

Status InsertOffer(pqxx::work& tx, const v1::GrantOffer& o, const std::string& hex_ewkb) {
  tx.exec_params(
      "INSERT INTO grant_offers (offer_id, region_code, kind, method, state, mineral_code, geom, "
      "bidding_start, bidding_end, body, create_time, update_time) VALUES ($1, $2, $3, $4, $5, "
      "$6, ST_GeomFromEWKB(decode($7, 'hex')), mr_ts($8), mr_ts($9), $10, mr_ts($11), "
      "mr_ts($11))",
      o.offer_id(), o.region_code(), static_cast<int>(o.kind()), static_cast<int>(o.method()),
      static_cast<int>(o.state()), o.main_mineral().code(), hex_ewkb,
      MicrosOf(o.bidding_start(), o.has_bidding_start()),
      MicrosOf(o.bidding_end(), o.has_bidding_end()), Blob(Bytes(o)),
      Micros(FromTimestamp(o.create_time())));
  return Ok();
}

Result<OfferRow> GetOffer(pqxx::work& tx, const std::string& offer_id, bool for_update) {
  auto r = tx.exec_params(std::string("SELECT body, bid_seq, highest_fen, highest_bid_id, "
                                      "highest_bidder_number, bidder_count FROM grant_offers "
                                      "WHERE offer_id = $1::uuid") +
                              (for_update ? " FOR UPDATE" : ""),
                          offer_id);
  if (r.empty()) return Error::NotFound("grant offer " + offer_id + " not found");
  OfferRow row;
  NRP_ASSIGN_OR_RETURN(row.offer, Parse<v1::GrantOffer>(r[0][0], "grant offer"));
  row.board = {r[0][1].as<int64_t>(), r[0][2].as<int64_t>(), r[0][3].c_str(), r[0][4].c_str()};
  row.bidder_count = r[0][5].as<int>();
  return row;
}

Status UpdateOffer(pqxx::work& tx, const v1::GrantOffer& o) {
  tx.exec_params(
      "UPDATE grant_offers SET state = $2, bidding_start = mr_ts($3), bidding_end = mr_ts($4), "
      "body = $5, update_time = mr_ts($6) WHERE offer_id = $1::uuid",
      o.offer_id(), static_cast<int>(o.state()), MicrosOf(o.bidding_start(), o.has_bidding_start()),
      MicrosOf(o.bidding_end(), o.has_bidding_end()), Blob(Bytes(o)),
      Micros(FromTimestamp(o.update_time())));
  return Ok();
}

Result<list::Page<v1::GrantOffer>> ListOffers(pqxx::work& tx, const list::Query& q,
                                              const std::vector<std::string>& region_prefixes) {
  list::Params params;
  const std::string where = "true" + RegionCondition(region_prefixes, params);
  return ListBodies<v1::GrantOffer>(tx, q, "grant_offers", where, params, "offer");
}

Result<std::vector<std::string>> OffersDueToClose(pqxx::work& tx, TimePoint now, int limit) {
  std::vector<std::string> out;
  for (const auto& r : tx.exec_params(
           "SELECT offer_id::text FROM grant_offers WHERE state IN (2, 3) AND method IN (2, 3, 4) "
           "AND bidding_end <= mr_ts($1) ORDER BY bidding_end LIMIT $2",
           Micros(now), limit)) {
    out.push_back(r[0].c_str());
  }
  return out;
}

Result<std::optional<v1::GrantBidder>> FindBidder(pqxx::work& tx, const std::string& offer_id,
                                                  const std::string& bidder_number) {
  auto r = tx.exec_params(
      "SELECT body FROM grant_bidders WHERE offer_id = $1::uuid AND bidder_number = $2", offer_id,
      bidder_number);
  if (r.empty()) return std::optional<v1::GrantBidder>();
  NRP_ASSIGN_OR_RETURN(auto b, Parse<v1::GrantBidder>(r[0][0], "bidder"));
  return std::optional<v1::GrantBidder>(std::move(b));
}

Result<v1::GrantBidder> InsertBidder(pqxx::work& tx, v1::GrantBidder bidder,
                                     const std::string& identity_key) {
  auto dup = tx.exec_params(
      "SELECT bidder_number FROM grant_bidders WHERE offer_id = $1::uuid AND identity_key = $2",
      bidder.offer_id(), identity_key);
  if (!dup.empty()) {
    return Error::AlreadyExists("the party is registered for grant offer " + bidder.offer_id() +
                                " already, as bidder " + dup[0][0].c_str());
  }
  auto n = tx.exec_params1(
      "UPDATE grant_offers SET bidder_count = bidder_count + 1 WHERE offer_id = $1::uuid "
      "RETURNING bidder_count",
      bidder.offer_id());
  char number[16];
  std::snprintf(number, sizeof number, "%03d", n[0].as<int>());
  bidder.set_bidder_number(number);
  tx.exec_params(
      "INSERT INTO grant_bidders (registration_id, offer_id, bidder_number, identity_key, body) "
      "VALUES ($1, $2, $3, $4, $5)",
      bidder.registration_id(), bidder.offer_id(), bidder.bidder_number(), identity_key,
      Blob(Bytes(bidder)));
  return bidder;
}

Result<bool> BidderHasBid(pqxx::work& tx, const std::string& offer_id,
                          const std::string& bidder_number) {
  return !tx.exec_params(
                "SELECT 1 FROM grant_bids WHERE offer_id = $1::uuid AND bidder_number = $2",
                offer_id, bidder_number)
              .empty();
}

Status InsertBid(pqxx::work& tx, const v1::GrantBid& bid, int64_t seq, bool raises) {
  const int64_t at = Micros(FromTimestamp(bid.placed_at()));
  tx.exec_params(
      "INSERT INTO grant_bids (bid_id, offer_id, seq, bidder_number, amount_fen, placed_at) "
      "VALUES ($1, $2, $3, $4, $5, mr_ts($6))",
      bid.bid_id(), bid.offer_id(), seq, bid.bidder_number(), bid.amount().fen(), at);
  if (raises) {
    tx.exec_params(
        "UPDATE grant_offers SET bid_seq = $2, highest_fen = $3, highest_bid_id = $4, "
        "highest_bidder_number = $5, update_time = mr_ts($6) WHERE offer_id = $1::uuid",
        bid.offer_id(), seq, bid.amount().fen(), bid.bid_id(), bid.bidder_number(), at);
  } else {
    tx.exec_params(
        "UPDATE grant_offers SET bid_seq = $2, update_time = mr_ts($3) WHERE offer_id = $1::uuid",
        bid.offer_id(), seq, at);
  }
  return Ok();
}

Result<std::vector<auction::Bid>> BidsOf(pqxx::work& tx, const std::string& offer_id) {
  std::vector<auction::Bid> out;
  for (const auto& r :
       tx.exec_params("SELECT bid_id::text, bidder_number, amount_fen, seq FROM grant_bids "
                      "WHERE offer_id = $1::uuid ORDER BY seq",
                      offer_id)) {
    out.push_back({r[0].c_str(), r[1].c_str(), r[2].as<int64_t>(), r[3].as<int64_t>()});
  }
  return out;
}

Result<list::Page<v1::GrantBid>> ListBids(pqxx::work& tx, const std::string& offer_id,
                                          const list::Query& q) {
  list::Params params;
  const std::string offer = params.Add(offer_id);
  std::string sql =
      "SELECT b.bid_id::text, b.bidder_number, b.amount_fen, "
      "(extract(epoch FROM b.placed_at) * 1000000)::bigint, d.body" +
      q.CursorColumns() +
      " FROM grant_bids b LEFT JOIN grant_bidders d ON d.offer_id = b.offer_id AND "
      "d.bidder_number = b.bidder_number WHERE b.offer_id = " +
      offer + "::uuid";
  sql += q.Where(params) + q.OrderLimit(params);
  auto rows = params.Exec(tx, sql);
  return q.Collect(rows, [&](const pqxx::row& r) -> Result<v1::GrantBid> {
    v1::GrantBid b;
    b.set_bid_id(r[0].c_str());
    b.set_offer_id(offer_id);
    b.set_bidder_number(r[1].c_str());
    b.mutable_amount()->set_fen(r[2].as<int64_t>());
    *b.mutable_placed_at() = ToTimestamp(service::FromEpochMicros(r[3].as<int64_t>()));
    b.set_valid(true);
    if (!r[4].is_null()) {
      NRP_ASSIGN_OR_RETURN(auto bidder, Parse<v1::GrantBidder>(r[4], "bidder"));
      *b.mutable_bidder() = bidder.bidder();
    }
    return b;
  });
}

// ---------------------------------------------------------------- contracts

Status InsertContract(pqxx::work& tx, const v1::GrantContract& c) {
  tx.exec_params(
      "INSERT INTO grant_contracts (contract_id, contract_number, offer_id, region_code, state, "
      "body, signed_at) VALUES ($1, $2, $3, $4, $5, $6, mr_ts($7))",
      c.contract_id(), c.contract_number(), c.offer_id(), c.region_code(),
      static_cast<int>(c.state()), Blob(Bytes(c)), Micros(FromTimestamp(c.signed_at())));
  return Ok();
}

Result<v1::GrantContract> GetContract(pqxx::work& tx, const std::string& contract_id,
                                      bool for_update) {
  auto r = tx.exec_params(std::string("SELECT body FROM grant_contracts WHERE contract_id = "
                                      "$1::uuid") +
                              (for_update ? " FOR UPDATE" : ""),
                          contract_id);
  if (r.empty()) return Error::NotFound("grant contract " + contract_id + " not found");
  return Parse<v1::GrantContract>(r[0][0], "grant contract");
}

Result<bool> OfferHasContract(pqxx::work& tx, const std::string& offer_id) {
  return !tx.exec_params("SELECT 1 FROM grant_contracts WHERE offer_id = $1::uuid", offer_id)
              .empty();
}

Status UpdateContract(pqxx::work& tx, const v1::GrantContract& c) {
  tx.exec_params("UPDATE grant_contracts SET state = $2, body = $3 WHERE contract_id = $1::uuid",
                 c.contract_id(), static_cast<int>(c.state()), Blob(Bytes(c)));
  return Ok();
}

Result<list::Page<v1::GrantContract>> ListContracts(
    pqxx::work& tx, const list::Query& q, const std::vector<std::string>& region_prefixes) {
  list::Params params;
  const std::string where = "true" + RegionCondition(region_prefixes, params);
  return ListBodies<v1::GrantContract>(tx, q, "grant_contracts", where, params, "contract");
}

// ---------------------------------------------------------------- rights

namespace {
std::string DateText(const nrp::common::v1::Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year(), d.month(), d.day());
  return buf;
}
}  // namespace

Status InsertRight(pqxx::work& tx, const v1::MiningRight& r, const std::string& hex_ewkb,
                   const std::string& holder_key) {
  try {
    pqxx::subtransaction sub(tx, "insert_right");
    sub.exec_params(
        "INSERT INTO mining_rights (right_id, licence_number, region_code, kind, state, "
        "mineral_code, holder_key, geom, valid_from, valid_to, contract_id, body, granted_at, "
        "update_time, legacy_number) VALUES ($1, $2, $3, $4, $5, $6, $7, "
        "ST_GeomFromEWKB(decode($8, 'hex')), $13::date, $9::date, NULLIF($10, '')::uuid, $11, "
        "mr_ts($12), mr_ts($12), NULLIF($14, ''))",
        r.right_id(), r.licence_number(), r.region_code(), static_cast<int>(r.kind()),
        static_cast<int>(r.state()), r.main_mineral().code(), holder_key, hex_ewkb,
        DateText(r.valid_to()), r.contract_id(), Blob(Bytes(r)),
        Micros(FromTimestamp(r.granted_at())), DateText(r.valid_from()), r.legacy_licence_number());
    sub.commit();
  } catch (const pqxx::unique_violation&) {
    return Error::AlreadyExists("licence number " + r.licence_number() +
                                " is registered to another right; numbers are permanent and "
                                "unique");
  }
  return Ok();
}

Result<v1::MiningRight> GetRight(pqxx::work& tx, const std::string& right_id, bool for_update) {
  auto r = tx.exec_params(std::string("SELECT body FROM mining_rights WHERE right_id = $1::uuid") +
                              (for_update ? " FOR UPDATE" : ""),
                          right_id);
  if (r.empty()) return Error::NotFound("right " + right_id + " not found");
  return Parse<v1::MiningRight>(r[0][0], "right");
}

Status UpdateRight(pqxx::work& tx, const v1::MiningRight& r, const std::string& hex_ewkb,
                   const std::string& holder_key) {
  try {
    pqxx::subtransaction sub(tx, "update_right");
    sub.exec_params(
        "UPDATE mining_rights SET state = $2, valid_from = $8::date, valid_to = $3::date, "
        "holder_key = $4, body = $5, update_time = mr_ts($6), geom = CASE WHEN $7 = '' THEN geom "
        "ELSE ST_GeomFromEWKB(decode($7, 'hex')) END, licence_number = $9, "
        "legacy_number = NULLIF($10, ''), mineral_code = $11 WHERE right_id = $1::uuid",
        r.right_id(), static_cast<int>(r.state()), DateText(r.valid_to()), holder_key,
        Blob(Bytes(r)), Micros(FromTimestamp(r.update_time())), hex_ewkb, DateText(r.valid_from()),
        r.licence_number(), r.legacy_licence_number(), r.main_mineral().code());
    sub.commit();
  } catch (const pqxx::unique_violation&) {
    return Error::AlreadyExists("licence number " + r.licence_number() +
                                " is registered to another right; numbers are permanent and "
                                "unique");
  }
  return Ok();
}

Result<bool> LicenceNumberHeld(pqxx::work& tx, const std::string& number) {
  auto r = tx.exec_params(
      "SELECT EXISTS (SELECT 1 FROM mining_rights WHERE licence_number = $1 OR "
      "legacy_number = $1)",
      number);
  return r[0][0].as<bool>();
}

Result<list::Page<v1::MiningRight>> ListRights(pqxx::work& tx, const list::Query& q,
                                               const std::vector<std::string>& region_prefixes) {
  list::Params params;
  // The public register: valid rights of every region; the others of the caller's regions.
  std::string others = RegionCondition(region_prefixes, params);
  const std::string where =
      "(state = 1" + (others.empty() ? std::string(" OR true") : " OR (true" + others + ")") + ")";
  return ListBodies<v1::MiningRight>(tx, q, "mining_rights", where, params, "right");
}

Result<double> GapBetween(pqxx::work& tx, const std::string& right_a, const std::string& right_b) {
  auto r = tx.exec_params(
      "SELECT ST_Distance(geography(a.geom), geography(b.geom)) FROM mining_rights a, "
      "mining_rights b WHERE a.right_id = $1::uuid AND b.right_id = $2::uuid",
      right_a, right_b);
  if (r.empty()) return Error::NotFound("right " + right_a + " or " + right_b + " not found");
  return r[0][0].as<double>();
}

Result<bool> WithinBlock(pqxx::work& tx, const Block& block, const std::string& right_id) {
  auto r = tx.exec_params(
      "SELECT ST_Covers(ST_Buffer(geom, 1e-7), ST_GeomFromEWKB(decode($1, 'hex'))) FROM "
      "mining_rights WHERE right_id = $2::uuid",
      block.hex_ewkb, right_id);
  return !r.empty() && r[0][0].as<bool>();
}

Result<bool> BlocksOverlap(pqxx::work& tx, const Block& a, const Block& b) {
  auto r = tx.exec_params(
      "SELECT ST_Relate(ST_GeomFromEWKB(decode($1, 'hex')), ST_GeomFromEWKB(decode($2, 'hex')), "
      "'T********')",
      a.hex_ewkb, b.hex_ewkb);
  return r[0][0].as<bool>();
}

Result<double> AreaNotCoveredBy(pqxx::work& tx, const std::string& right_id,
                                const std::vector<Block>& parts) {
  // Hex EWKB holds only [0-9a-f], so the array literal needs no quoting.
  std::string hexes = "{";
  for (size_t i = 0; i < parts.size(); ++i) hexes += (i ? "," : "") + parts[i].hex_ewkb;
  hexes += "}";
  auto r = tx.exec_params(
      "WITH p AS (SELECT ST_Union(ST_GeomFromEWKB(decode(h, 'hex'))) AS g "
      "FROM unnest($2::text[]) AS h) "
      "SELECT COALESCE(ST_Area(geography(ST_Difference(r.geom, p.g))), 0) "
      "FROM mining_rights r, p WHERE r.right_id = $1::uuid",
      right_id, hexes);
  if (r.empty()) return Error::NotFound("right " + right_id + " not found");
  return r[0][0].as<double>();
}

Result<std::string> UnionOfRights(pqxx::work& tx, const std::vector<std::string>& right_ids) {
  std::string ids = "{";
  for (size_t i = 0; i < right_ids.size(); ++i) ids += (i ? "," : "") + right_ids[i];
  ids += "}";
  auto r = tx.exec_params1(
      "SELECT ST_AsText(ST_Union(geom)) FROM mining_rights WHERE right_id = ANY($1::uuid[])", ids);
  return std::string(r[0].c_str());
}

Result<std::vector<std::string>> RightsDueToLapse(pqxx::work& tx, const Date& today, int limit) {
  std::vector<std::string> out;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", today.year(), today.month(), today.day());
  for (const auto& r : tx.exec_params(
           "SELECT right_id::text FROM mining_rights WHERE state = 1 AND valid_to < $1::date "
           "ORDER BY valid_to, right_id LIMIT $2",
           std::string(buf), limit)) {
    out.push_back(r[0].c_str());
  }
  return out;
}

// ---------------------------------------------------------------- annual reports

Status InsertAnnualReport(pqxx::work& tx, const v1::AnnualReport& report,
                          const std::string& region_code) {
  try {
    pqxx::subtransaction sub(tx, "insert_annual_report");
    sub.exec_params(
        "INSERT INTO annual_reports (report_id, right_id, region_code, year, late, body, "
        "submitted_at) VALUES ($1, $2, $3, $4, $5, $6, mr_ts($7))",
        report.report_id(), report.right_id(), region_code, report.year(), report.late(),
        Blob(Bytes(report)), Micros(FromTimestamp(report.submitted_at())));
    sub.commit();
  } catch (const pqxx::unique_violation&) {
    return Error::AlreadyExists("right " + report.right_id() + " has its annual report on " +
                                std::to_string(report.year()) + " already; one per year");
  }
  return Ok();
}

Result<std::set<int>> ReportedYears(pqxx::work& tx, const std::string& right_id) {
  std::set<int> out;
  for (const auto& r :
       tx.exec_params("SELECT year FROM annual_reports WHERE right_id = $1::uuid", right_id)) {
    out.insert(r[0].as<int>());
  }
  return out;
}

Result<list::Page<v1::AnnualReport>> ListAnnualReports(pqxx::work& tx, const list::Query& q) {
  list::Params params;
  return ListBodies<v1::AnnualReport>(tx, q, "annual_reports", "true", params, "report");
}

// ---------------------------------------------------------------- the abnormal list

Result<std::vector<ReportingRight>> ReportingRights(pqxx::work& tx, const std::string& right_id) {
  std::vector<ReportingRight> out;
  std::map<std::string, size_t> index;
  for (const auto& r :
       tx.exec_params("SELECT right_id::text, kind, state, extract(year FROM valid_from)::int, "
                      "extract(month FROM valid_from)::int, extract(day FROM valid_from)::int, "
                      "extract(year FROM valid_to)::int, extract(month FROM valid_to)::int, "
                      "extract(day FROM valid_to)::int, "
                      "extract(year FROM (granted_at AT TIME ZONE 'Asia/Shanghai'))::int, "
                      "extract(month FROM (granted_at AT TIME ZONE 'Asia/Shanghai'))::int "
                      "FROM mining_rights WHERE state IN (1, 2) "
                      "AND ($1 = '' OR right_id = NULLIF($1, '')::uuid) ORDER BY right_id",
                      right_id)) {
    ReportingRight rr;
    rr.right.right_id = r[0].c_str();
    rr.right.kind = static_cast<RightKind>(r[1].as<int>());
    rr.right.state = static_cast<RightState>(r[2].as<int>());
    rr.right.valid_from = Date(r[3].as<int>(), static_cast<unsigned>(r[4].as<int>()),
                               static_cast<unsigned>(r[5].as<int>()));
    rr.right.valid_to = Date(r[6].as<int>(), static_cast<unsigned>(r[7].as<int>()),
                             static_cast<unsigned>(r[8].as<int>()));
    // The platform holds only the reports due after the right was recorded in it: a right
    // entered from an earlier register (RegisterExistingRight) owes here the years whose
    // listing day (1 July of the next year) comes after its entry, not its whole past.
    const int entered_year = r[9].as<int>();
    const int first_owed = r[10].as<int>() < 7 ? entered_year - 1 : entered_year;
    if (rr.right.valid_from.year() < first_owed) rr.right.valid_from = Date(first_owed, 1, 1);
    index[rr.right.right_id] = out.size();
    out.push_back(std::move(rr));
  }
  for (const auto& r : tx.exec_params("SELECT right_id::text, year FROM annual_reports "
                                      "WHERE ($1 = '' OR right_id = NULLIF($1, '')::uuid)",
                                      right_id)) {
    auto it = index.find(r[0].c_str());
    if (it != index.end()) out[it->second].reported_years.insert(r[1].as<int>());
  }
  return out;
}

Result<std::vector<AbnormalListing>> MissingReportListings(pqxx::work& tx,
                                                           const std::string& right_id) {
  std::vector<AbnormalListing> out;
  for (const auto& r :
       tx.exec_params("SELECT right_id::text, year FROM abnormal_entries WHERE reason = $2 "
                      "AND ($1 = '' OR right_id = NULLIF($1, '')::uuid) ORDER BY right_id, year",
                      right_id, static_cast<int>(v1::ABNORMAL_REASON_ANNUAL_REPORT_MISSING))) {
    out.push_back({r[0].c_str(), r[1].as<int>()});
  }
  return out;
}

Result<bool> InsertAbnormalEntry(pqxx::work& tx, const v1::AbnormalEntry& e,
                                 const std::string& region_code) {
  auto r = tx.exec_params(
      "INSERT INTO abnormal_entries (entry_id, right_id, region_code, reason, year, body, "
      "listed_at) VALUES ($1, $2, $3, $4, $5, $6, mr_ts($7)) "
      "ON CONFLICT (right_id, year, reason) DO NOTHING RETURNING entry_id",
      e.entry_id(), e.right_id(), region_code, static_cast<int>(e.reason()), e.year(),
      Blob(Bytes(e)), Micros(FromTimestamp(e.listed_at())));
  return !r.empty();
}

Result<v1::AbnormalEntry> GetAbnormalEntry(pqxx::work& tx, const std::string& entry_id,
                                           bool for_update) {
  auto r =
      tx.exec_params(std::string("SELECT body FROM abnormal_entries WHERE entry_id = $1::uuid") +
                         (for_update ? " FOR UPDATE" : ""),
                     entry_id);
  if (r.empty()) return Error::NotFound("abnormal-list entry " + entry_id + " not found");
  return Parse<v1::AbnormalEntry>(r[0][0], "abnormal-list entry");
}

Result<std::optional<v1::AbnormalEntry>> ListedEntry(pqxx::work& tx, const std::string& right_id,
                                                     int year, v1::AbnormalReason reason) {
  auto r = tx.exec_params(
      "SELECT body FROM abnormal_entries WHERE right_id = $1::uuid AND year = $2 AND "
      "reason = $3 AND removed_at IS NULL FOR UPDATE",
      right_id, year, static_cast<int>(reason));
  if (r.empty()) return std::optional<v1::AbnormalEntry>();
  NRP_ASSIGN_OR_RETURN(auto e, Parse<v1::AbnormalEntry>(r[0][0], "abnormal-list entry"));
  return std::optional<v1::AbnormalEntry>(std::move(e));
}

Status UpdateAbnormalEntry(pqxx::work& tx, const v1::AbnormalEntry& e) {
  tx.exec_params(
      "UPDATE abnormal_entries SET body = $2, removed_at = mr_ts($3) WHERE entry_id = $1::uuid",
      e.entry_id(), Blob(Bytes(e)), MicrosOf(e.removed_at(), e.has_removed_at()));
  return Ok();
}

Result<int64_t> ListedEntryCount(pqxx::work& tx, const std::string& right_id) {
  return tx
      .exec_params1(
          "SELECT count(*) FROM abnormal_entries WHERE right_id = $1::uuid AND removed_at IS NULL",
          right_id)[0]
      .as<int64_t>();
}

Result<list::Page<v1::AbnormalEntry>> ListAbnormalEntries(pqxx::work& tx, const list::Query& q) {
  list::Params params;
  return ListBodies<v1::AbnormalEntry>(tx, q, "abnormal_entries", "true", params,
                                       "abnormal-list entry");
}

Result<int64_t> FundEntrySequence(pqxx::work& tx, const std::string& right_id) {
  auto r = tx.exec_params("SELECT fund_entry_seq FROM mining_rights WHERE right_id = $1::uuid",
                          right_id);
  if (r.empty()) return Error::NotFound("right " + right_id + " not found");
  return r[0][0].as<int64_t>();
}

Status SetFundEntrySequence(pqxx::work& tx, const std::string& right_id, int64_t sequence) {
  tx.exec_params("UPDATE mining_rights SET fund_entry_seq = $2 WHERE right_id = $1::uuid",
                 right_id, sequence);
  return Ok();
}

Result<int64_t> NextNumber(pqxx::work& tx, const std::string& counter) {
  auto r = tx.exec_params1(
      "INSERT INTO number_counters (counter, value) VALUES ($1, 1) ON CONFLICT (counter) DO "
      "UPDATE SET value = number_counters.value + 1 RETURNING value",
      counter);
  return r[0].as<int64_t>();
}

}  // namespace nrp::mining_rights::store
