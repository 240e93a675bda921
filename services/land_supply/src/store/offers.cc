// Supply offers, bidders and bids.
#include "nrp/core/uuid.h"
#include "store/list_sql.h"
#include "store/sql.h"

namespace nrp::land_supply::store {

namespace {

const char* kOfferColumns =
    "offer_id::text, region_code::text, parcel_id::text, method, land_use, term_years, "
    "planning_conditions, starting_price_fen, reserve_price_fen, bid_increment_fen, deposit_fen, "
    "intending_users, catalogue_item, special_conditions, ls_us(bidding_start), "
    "ls_us(bidding_end), ls_us(published_at), notice, state, result, zone_check, "
    "ls_us(create_time), ls_us(update_time), bid_seq, highest_fen, "
    "COALESCE(highest_bid_id::text, ''), COALESCE(highest_bidder_number, ''), bidder_count, "
    "to_char(result_on, 'YYYY-MM-DD'), to_char(contract_due, 'YYYY-MM-DD'), "
    "signing_overdue_at IS NOT NULL, COALESCE(grantee_bidder_number, ''), COALESCE(price_fen, 0)";

OfferRow OfferFromRow(const pqxx::row& r) {
  OfferRow row;
  v1::SupplyOffer& o = row.offer;
  o.set_offer_id(r[0].c_str());
  o.set_region_code(r[1].c_str());
  o.set_parcel_id(r[2].c_str());
  o.set_method(static_cast<v1::SupplyMethod>(r[3].as<int>()));
  o.set_land_use(static_cast<v1::LandUse>(r[4].as<int>()));
  o.set_term_years(r[5].as<int>());
  ReadMessage(r[6], o.mutable_planning_conditions());
  if (r[6].is_null()) o.clear_planning_conditions();
  o.mutable_starting_price()->set_fen(r[7].as<int64_t>());
  o.mutable_reserve_price()->set_fen(r[8].as<int64_t>());
  o.mutable_bid_increment()->set_fen(r[9].as<int64_t>());
  o.mutable_deposit()->set_fen(r[10].as<int64_t>());
  o.set_intending_users(r[11].as<int>());
  o.set_allocation_catalogue_item(r[12].c_str());
  o.set_special_conditions(r[13].c_str());
  if (!ReadTs(r[14], o.mutable_bidding_start())) o.clear_bidding_start();
  if (!ReadTs(r[15], o.mutable_bidding_end())) o.clear_bidding_end();
  if (!ReadTs(r[16], o.mutable_published_at())) o.clear_published_at();
  ReadMessage(r[17], o.mutable_notice());
  if (r[17].is_null()) o.clear_notice();
  o.set_state(static_cast<v1::OfferState>(r[18].as<int>()));
  ReadMessage(r[19], o.mutable_result());
  if (r[19].is_null()) o.clear_result();
  ReadMessage(r[20], o.mutable_zone_check());
  if (r[20].is_null()) o.clear_zone_check();
  ReadTs(r[21], o.mutable_create_time());
  ReadTs(r[22], o.mutable_update_time());
  row.board.seq = r[23].as<int64_t>();
  row.board.highest_fen = r[24].as<int64_t>();
  row.board.highest_bid_id = r[25].c_str();
  row.board.highest_bidder_number = r[26].c_str();
  row.bidder_count = r[27].as<int>();
  row.result_on = ReadDate(r[28]);
  row.contract_due = ReadDate(r[29]);
  row.signing_overdue_raised = r[30].as<bool>();
  row.grantee_bidder_number = r[31].c_str();
  row.price_fen = r[32].as<int64_t>();
  return row;
}

const char* kBidderColumns =
    "registration_id::text, offer_id::text, bidder_number, bidder, deposit_paid_fen, "
    "deposit_receipt, ls_us(registered_at)";

v1::BidderRegistration BidderFromRow(const pqxx::row& r) {
  v1::BidderRegistration b;
  b.set_registration_id(r[0].c_str());
  b.set_offer_id(r[1].c_str());
  b.set_bidder_number(r[2].c_str());
  ReadMessage(r[3], b.mutable_bidder());
  b.mutable_deposit_paid()->set_fen(r[4].as<int64_t>());
  ReadMessage(r[5], b.mutable_deposit_receipt());
  if (r[5].is_null()) b.clear_deposit_receipt();
  ReadTs(r[6], b.mutable_registered_at());
  return b;
}

}  // namespace

Status InsertOffer(pqxx::work& txn, const v1::SupplyOffer& o) {
  txn.exec_params(
      "INSERT INTO offers (offer_id, region_code, parcel_id, method, land_use, term_years, "
      "planning_conditions, starting_price_fen, reserve_price_fen, bid_increment_fen, deposit_fen, "
      "intending_users, catalogue_item, special_conditions, bidding_start, bidding_end, state, "
      "create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, ''::bytea), $8, $9, "
      "$10, $11, $12, $13, $14, ls_ts(NULLIF($15, '')::bigint), ls_ts(NULLIF($16, '')::bigint), "
      "$17, ls_ts($18), ls_ts($18))",
      o.offer_id(), o.region_code(), o.parcel_id(), static_cast<int>(o.method()),
      static_cast<int>(o.land_use()), o.term_years(), Bytes(o.planning_conditions()),
      o.starting_price().fen(), o.reserve_price().fen(), o.bid_increment().fen(), o.deposit().fen(),
      o.intending_users(), o.allocation_catalogue_item(), o.special_conditions(),
      TsParam(o.bidding_start(), o.has_bidding_start()),
      TsParam(o.bidding_end(), o.has_bidding_end()), static_cast<int>(o.state()),
      std::to_string(EpochMicros(FromTimestamp(o.create_time()))));
  return Ok();
}

Result<std::optional<std::string>> OpenOfferOf(pqxx::work& txn, const std::string& parcel_id) {
  auto r = txn.exec_params(
      "SELECT offer_id::text FROM offers WHERE parcel_id = $1 AND state IN (1, 2, 3, 4)",
      parcel_id);
  if (r.empty()) return std::optional<std::string>();
  return std::optional<std::string>(r[0][0].c_str());
}

Result<OfferRow> GetOffer(pqxx::work& txn, const std::string& offer_id, bool for_update) {
  if (!IsUuid(offer_id)) return Error::NotFound("offer " + offer_id + " not found");
  auto r =
      txn.exec_params(std::string("SELECT ") + kOfferColumns + " FROM offers WHERE offer_id = $1" +
                          (for_update ? " FOR UPDATE" : ""),
                      offer_id);
  if (r.empty()) return Error::NotFound("offer " + offer_id + " not found");
  return OfferFromRow(r[0]);
}

Status UpdateOffer(pqxx::work& txn, const OfferRow& row, const std::string& cancel_reason) {
  const v1::SupplyOffer& o = row.offer;
  txn.exec_params(
      "UPDATE offers SET state = $2, published_at = ls_ts(NULLIF($3, '')::bigint), "
      "notice = NULLIF($4, ''::bytea), result = NULLIF($5, ''::bytea), "
      "grantee = NULLIF($6, ''::bytea), grantee_bidder_number = NULLIF($7, ''), "
      "price_fen = NULLIF($8, '')::bigint, result_on = NULLIF($9, '')::date, "
      "contract_due = NULLIF($10, '')::date, zone_check = NULLIF($11, ''::bytea), "
      "cancel_reason = COALESCE(NULLIF($12, ''), cancel_reason), update_time = ls_ts($13) "
      "WHERE offer_id = $1",
      o.offer_id(), static_cast<int>(o.state()), TsParam(o.published_at(), o.has_published_at()),
      Bytes(o.notice()), Bytes(o.result()), Bytes(o.result().grantee()), row.grantee_bidder_number,
      o.has_result() && o.result().outcome() == v1::RESULT_OUTCOME_AWARDED
          ? std::to_string(row.price_fen)
          : std::string(),
      DateParam(row.result_on), DateParam(row.contract_due), Bytes(o.zone_check()), cancel_reason,
      std::to_string(EpochMicros(FromTimestamp(o.update_time()))));
  return Ok();
}

const list::Spec& OfferList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "land_supply.ListOffers",
      .fields =
          {
              {.name = "region_code", .sql = "region_code::text"},
              {.name = "state",
               .sql = "state",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::OfferState_descriptor())},
              {.name = "method",
               .sql = "method",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::SupplyMethod_descriptor())},
              {.name = "land_use",
               .sql = "land_use",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::LandUse_descriptor())},
              {.name = "parcel_id", .sql = "parcel_id::text"},
          },
      .orders = {{"bidding_start", {{"bidding_start", Type::kTimestamp, /*nullable=*/true}}},
                 {"create_time", {{"create_time", Type::kTimestamp}}},
                 {"bidding_end", {{"bidding_end", Type::kTimestamp, /*nullable=*/true}}}},
      .default_order = "bidding_start desc",
      .id = {"offer_id", Type::kUuid},
  };
  return spec;
}

Result<list::Page<OfferRow>> ListOffers(pqxx::work& txn, const ListQuery& q) {
  list::Params params;
  std::string tail = ListTail(q, "region_code", {}, params);
  auto r = params.Exec(txn, std::string("SELECT ") + kOfferColumns + q.query.CursorColumns() +
                                " FROM offers" + tail);
  return q.query.Collect(r, [](const pqxx::row& row) { return OfferFromRow(row); });
}

Result<std::vector<std::string>> OffersDueToOpen(pqxx::work& txn, TimePoint now, int limit) {
  std::vector<std::string> out;
  for (const auto& r : txn.exec_params(
           "SELECT offer_id::text FROM offers WHERE state = 2 AND bidding_start <= ls_ts($1) "
           "AND method IN (3, 4, 5) ORDER BY bidding_start LIMIT $2",
           EpochMicros(now), limit)) {
    out.push_back(r[0].c_str());
  }
  return out;
}

Result<std::vector<std::string>> OffersDueToClose(pqxx::work& txn, TimePoint now, int limit) {
  std::vector<std::string> out;
  for (const auto& r : txn.exec_params(
           "SELECT offer_id::text FROM offers WHERE state IN (2, 3) AND method IN (4, 5) "
           "AND bidding_end <= ls_ts($1) ORDER BY bidding_end LIMIT $2",
           EpochMicros(now), limit)) {
    out.push_back(r[0].c_str());
  }
  return out;
}

Result<std::vector<std::string>> AwardsPastSigningDue(pqxx::work& txn, const Date& today,
                                                      int limit) {
  std::vector<std::string> out;
  for (const auto& r : txn.exec_params(
           "SELECT offer_id::text FROM offers WHERE state = 4 AND signing_overdue_at IS NULL "
           "AND contract_due < $1::date ORDER BY contract_due LIMIT $2",
           today.ToString(), limit)) {
    out.push_back(r[0].c_str());
  }
  return out;
}

Status MarkSigningOverdue(pqxx::work& txn, const std::string& offer_id, TimePoint now) {
  txn.exec_params("UPDATE offers SET signing_overdue_at = ls_ts($2) WHERE offer_id = $1", offer_id,
                  EpochMicros(now));
  return Ok();
}

Status ClearSigningOverdue(pqxx::work& txn, const std::string& offer_id) {
  txn.exec_params("UPDATE offers SET signing_overdue_at = NULL WHERE offer_id = $1", offer_id);
  return Ok();
}

Result<v1::BidderRegistration> InsertBidder(pqxx::work& txn, const v1::BidderRegistration& b,
                                            const std::string& identity_key) {
  auto r = txn.exec_params(
      "INSERT INTO bidders (registration_id, offer_id, bidder_number, bidder, identity_key, "
      "deposit_paid_fen, deposit_receipt, registered_at) VALUES ($1, $2, $3, $4, $5, $6, "
      "NULLIF($7, ''::bytea), ls_ts($8)) ON CONFLICT (offer_id, identity_key) DO NOTHING",
      b.registration_id(), b.offer_id(), b.bidder_number(), Bytes(b.bidder()), identity_key,
      b.deposit_paid().fen(), Bytes(b.deposit_receipt()),
      EpochMicros(FromTimestamp(b.registered_at())));
  if (r.affected_rows() == 0) {
    return Error::AlreadyExists("this party is already registered as a bidder for offer " +
                                b.offer_id());
  }
  return b;
}

Result<std::optional<v1::BidderRegistration>> FindBidder(pqxx::work& txn,
                                                         const std::string& offer_id,
                                                         const std::string& bidder_number) {
  auto r = txn.exec_params(std::string("SELECT ") + kBidderColumns +
                               " FROM bidders WHERE offer_id = $1 AND bidder_number = $2",
                           offer_id, bidder_number);
  if (r.empty()) return std::optional<v1::BidderRegistration>();
  return std::optional<v1::BidderRegistration>(BidderFromRow(r[0]));
}

Status SetBidderCount(pqxx::work& txn, const std::string& offer_id, int32_t count) {
  txn.exec_params("UPDATE offers SET bidder_count = $2 WHERE offer_id = $1", offer_id, count);
  return Ok();
}

Result<bool> BidderHasBid(pqxx::work& txn, const std::string& offer_id,
                          const std::string& bidder_number) {
  auto r = txn.exec_params("SELECT 1 FROM bids WHERE offer_id = $1 AND bidder_number = $2 LIMIT 1",
                           offer_id, bidder_number);
  return !r.empty();
}

Status InsertBid(pqxx::work& txn, const v1::Bid& bid, int64_t seq, bool raises_board) {
  txn.exec_params(
      "INSERT INTO bids (bid_id, offer_id, seq, bidder_number, amount_fen, placed_at) VALUES "
      "($1, $2, $3, $4, $5, ls_ts($6))",
      bid.bid_id(), bid.offer_id(), seq, bid.bidder_number(), bid.amount().fen(),
      EpochMicros(FromTimestamp(bid.placed_at())));
  if (raises_board) {
    txn.exec_params(
        "UPDATE offers SET bid_seq = $2, highest_fen = $3, highest_bid_id = $4, "
        "highest_bidder_number = $5, state = 3, update_time = ls_ts($6) WHERE offer_id = $1",
        bid.offer_id(), seq, bid.amount().fen(), bid.bid_id(), bid.bidder_number(),
        EpochMicros(FromTimestamp(bid.placed_at())));
  } else {
    txn.exec_params(
        "UPDATE offers SET bid_seq = $2, state = 3, update_time = ls_ts($3) WHERE offer_id = $1",
        bid.offer_id(), seq, EpochMicros(FromTimestamp(bid.placed_at())));
  }
  return Ok();
}

Result<std::vector<BidRecord>> BidsOf(pqxx::work& txn, const std::string& offer_id) {
  std::vector<BidRecord> out;
  for (const auto& r : txn.exec_params(
           "SELECT bid_id::text, bidder_number, amount_fen, seq FROM bids WHERE offer_id = $1 "
           "ORDER BY seq",
           offer_id)) {
    out.push_back({r[0].c_str(), r[1].c_str(), r[2].as<int64_t>(), r[3].as<int64_t>()});
  }
  return out;
}

const list::Spec& BidList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "land_supply.ListBids",
      .fields =
          {
              {.name = "bidder_number", .sql = "b.bidder_number"},
              // Every recorded bid is valid; a refused bid is never stored.
              {.name = "valid", .sql = "true", .type = Type::kBool},
          },
      // Bids are numbered as they are placed.
      .orders = {{"placed_at", {{"b.seq", Type::kInt}}},
                 {"amount", {{"b.amount_fen", Type::kInt}}}},
      .default_order = "placed_at",
      .id = {"b.bid_id", Type::kUuid},
  };
  return spec;
}

Result<list::Page<v1::Bid>> ListBids(pqxx::work& txn, const std::string& offer_id,
                                     const ListQuery& q) {
  list::Params params;
  std::string offer = params.Add(offer_id);
  std::string tail = ListTail(q, "", {"b.offer_id = " + offer + "::uuid"}, params);
  auto r = params.Exec(
      txn,
      "SELECT b.bid_id::text, b.offer_id::text, b.bidder_number, d.bidder, b.amount_fen, "
      "ls_us(b.placed_at)" +
          q.query.CursorColumns() +
          " FROM bids b LEFT JOIN bidders d ON d.offer_id = b.offer_id AND "
          "d.bidder_number = b.bidder_number" +
          tail);
  return q.query.Collect(r, [](const pqxx::row& r) {
    v1::Bid b;
    b.set_bid_id(r[0].c_str());
    b.set_offer_id(r[1].c_str());
    b.set_bidder_number(r[2].c_str());
    ReadMessage(r[3], b.mutable_bidder());
    b.mutable_amount()->set_fen(r[4].as<int64_t>());
    ReadTs(r[5], b.mutable_placed_at());
    b.set_valid(true);
    return b;
  });
}

Result<BoardState> RecordedBoard(pqxx::work& txn, const std::string& offer_id) {
  auto r = txn.exec_params(
      "SELECT bid_seq, highest_fen, COALESCE(highest_bid_id::text, ''), "
      "COALESCE(highest_bidder_number, '') FROM offers WHERE offer_id = $1",
      offer_id);
  if (r.empty()) return Error::NotFound("offer " + offer_id + " not found");
  return BoardState{r[0][0].as<int64_t>(), r[0][1].as<int64_t>(), r[0][2].c_str(), r[0][3].c_str()};
}

}  // namespace nrp::land_supply::store
