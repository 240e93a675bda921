#include "nrp/auction/rules.h"

#include <cinttypes>
#include <cstdio>

namespace nrp::auction {

std::string FormatMoney(int64_t fen) {
  char buf[96];
  uint64_t abs = fen < 0 ? uint64_t{0} - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  std::snprintf(buf, sizeof buf, "%s%" PRIu64 ".%02" PRIu64 " yuan (%" PRId64 " fen)",
                fen < 0 ? "-" : "", abs / 100, abs % 100, fen);
  return buf;
}

int64_t MinimumAcceptableBid(const Lot& lot, const Board& board) {
  if (!IsAscending(lot.method) || board.seq == 0) return lot.starting_price_fen;
  return board.highest_fen + lot.bid_increment_fen;
}

Status CheckBid(const Lot& lot, const Board& board, int64_t amount_fen, TimePoint now,
                bool bidder_has_bid) {
  if (amount_fen <= 0) return Error::InvalidArgument("amount.fen", "must be more than 0 fen");
  const std::string name = lot.noun + " " + lot.id;
  if (now < lot.bidding_start) {
    return Error::FailedPrecondition(
        "BIDDING_NOT_STARTED", lot.id,
        "bidding on " + name + " starts at " + FormatRfc3339(lot.bidding_start));
  }
  if (now >= lot.bidding_end) {
    return Error::FailedPrecondition(
        "BIDDING_CLOSED", lot.id,
        "bidding on " + name + " ended at " + FormatRfc3339(lot.bidding_end));
  }
  if (lot.method == Method::kTender && bidder_has_bid) {
    return Error::FailedPrecondition("TENDER_ONE_BID", lot.id,
                                     "a tender takes one sealed bid per bidder");
  }
  int64_t min = MinimumAcceptableBid(lot, board);
  if (amount_fen < min) {
    std::string why = board.seq == 0 || !IsAscending(lot.method)
                          ? "the starting price " + FormatMoney(lot.starting_price_fen)
                          : "the current highest bid " + FormatMoney(board.highest_fen) +
                                " plus the increment " + FormatMoney(lot.bid_increment_fen);
    Error e = Error::FailedPrecondition("BID_TOO_LOW", lot.id,
                                        "bid of " + FormatMoney(amount_fen) +
                                            " is below the minimum acceptable amount " +
                                            FormatMoney(min) + " (" + why + ")");
    e.WithMetadata("minimum_acceptable_fen", std::to_string(min));
    return e;
  }
  return Ok();
}

Result<Decision> Decide(const Lot& lot, const std::vector<Bid>& bids, TimePoint now,
                        const std::string& chosen_bid_id) {
  const std::string name = lot.noun + " " + lot.id;
  if (now < lot.bidding_end) {
    return Error::FailedPrecondition(
        "BIDDING_NOT_ENDED", lot.id,
        "bidding on " + name + " runs until " + FormatRfc3339(lot.bidding_end));
  }
  Decision d;
  d.valid_bid_count = static_cast<int>(bids.size());
  const Bid* highest = nullptr;
  for (const auto& b : bids) {
    if (!highest || b.amount_fen > highest->amount_fen ||
        (b.amount_fen == highest->amount_fen && b.seq < highest->seq)) {
      highest = &b;
    }
  }
  if (highest) d.highest_fen = highest->amount_fen;
  const int64_t floor = std::max(lot.reserve_price_fen, lot.starting_price_fen);

  const Bid* winner = highest;
  if (lot.method == Method::kTender) {
    if (chosen_bid_id.empty() && !bids.empty()) {
      return Error::InvalidArgument("winning_bid_id",
                                    "required to close a tender with bids (评标 result)");
    }
    winner = nullptr;
    for (const auto& b : bids) {
      if (b.bid_id == chosen_bid_id) winner = &b;
    }
    if (!chosen_bid_id.empty() && !winner) {
      return Error::InvalidArgument("winning_bid_id",
                                    "'" + chosen_bid_id + "' is not a bid on " + name);
    }
    if (winner && winner->amount_fen < floor) {
      return Error::FailedPrecondition(
          "BELOW_RESERVE_PRICE", lot.id,
          "the chosen bid " + FormatMoney(winner->amount_fen) +
              " is below the reserve price; a tender is won only at or above it");
    }
  } else if (!chosen_bid_id.empty()) {
    return Error::InvalidArgument("winning_bid_id",
                                  "only a tender names its winning bid; an auction or listing is "
                                  "won by the highest bid");
  }

  if (!winner) {
    d.failure_reason = "no valid bid (无有效报价)";
    return d;
  }
  if (winner->amount_fen < floor) {
    d.failure_reason = "the highest bid is below the reserve price (最高报价低于底价)";
    return d;
  }
  d.awarded = true;
  d.winner = *winner;
  d.price_fen = winner->amount_fen;
  return d;
}

}  // namespace nrp::auction
