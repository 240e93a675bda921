// The rules of competitive grants that land (国有建设用地使用权, 招标拍卖挂牌出让国有建设用地使用权
// 规定, Ministry of Land and Resources Order 39) and mining rights (矿业权出让交易规则) share: who
// may bid when, the smallest acceptable bid, and who wins when bidding ends. Pure functions:
// the service keeps its lots and bids in its own tables, locks the lot's row for each bid, and
// asks these rules; the live board (live_board.h) mirrors the record in Redis.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nrp/core/clock.h"
#include "nrp/core/status.h"

namespace nrp::auction {

// 招标 (sealed bids, the evaluation committee chooses), 拍卖 (ascending, live),
// 挂牌 (ascending, over a listing period).
enum class Method { kTender, kAuction, kListing };

// Auction and listing raise on the current highest bid; a tender takes sealed bids.
inline bool IsAscending(Method m) { return m == Method::kAuction || m == Method::kListing; }

// What a bid is checked against.
struct Lot {
  std::string id;
  std::string noun = "lot";  // how refusals name it: "offer 0190…", "grant 0190…"
  Method method = Method::kAuction;
  TimePoint bidding_start;
  TimePoint bidding_end;
  int64_t starting_price_fen = 0;
  int64_t bid_increment_fen = 0;
  int64_t reserve_price_fen = 0;  // 0: none beyond the starting price
};

// The record's highest valid bid so far.
struct Board {
  int64_t seq = 0;          // number of accepted bids so far
  int64_t highest_fen = 0;  // 0 when none
  std::string highest_bid_id;
  std::string highest_bidder_number;
};

// The smallest amount the next bid may have: the starting price for the first bid (and for
// every tender bid), else the current highest plus the increment.
int64_t MinimumAcceptableBid(const Lot& lot, const Board& board);

// A bid while bidding runs ([bidding_start, bidding_end)): for auction and listing at least
// MinimumAcceptableBid (refused as BID_TOO_LOW with that amount in the message and in the
// metadata `minimum_acceptable_fen`); a tender takes one sealed bid per bidder. The lot's state
// is the service's to check first.
Status CheckBid(const Lot& lot, const Board& board, int64_t amount_fen, TimePoint now,
                bool bidder_has_bid);

// An accepted bid as recorded.
struct Bid {
  std::string bid_id;
  std::string bidder_number;
  int64_t amount_fen = 0;
  int64_t seq = 0;
};

struct Decision {
  bool awarded = false;
  std::optional<Bid> winner;
  int64_t price_fen = 0;
  int64_t highest_fen = 0;
  int valid_bid_count = 0;
  std::string failure_reason;  // when not awarded (流拍)
};

// At or after the end of bidding: auction and listing go to the highest bid at or above the
// reserve (and the starting) price, else the sale fails; a tender goes to `chosen_bid_id` (the
// evaluation committee's choice), which must be a bid at or above the reserve price. Among
// equal amounts the earlier bid counts as the higher.
Result<Decision> Decide(const Lot& lot, const std::vector<Bid>& bids, TimePoint now,
                        const std::string& chosen_bid_id);

// "1200000.00 yuan (120000000 fen)".
std::string FormatMoney(int64_t fen);

}  // namespace nrp::auction
