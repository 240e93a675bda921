// Placing a bid on a lot, written once for land supply's offers and mining rights' grant
// offers. The order of the steps is what keeps every accepted bid and its order:
//   1. before the transaction, the refusal the live board can give on its own (a bid below
//      its highest plus the increment: the board is never ahead of the record);
//   2. in the bid's transaction, the lot's row locked — concurrent bids on one lot queue on
//      that lock, so each sees the board the previous one committed — the bid checked against
//      the recorded board (rules.h) and recorded with the next sequence number;
//   3. after the commit, the live board moved to the new state (live_board.h), which it takes
//      only when its sequence number is higher than the one it holds.
// The service keeps its lots and bids in its own tables and says how to reach them (LotTable);
// the engine never sees SQL.
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "nrp/auction/live_board.h"
#include "nrp/auction/rules.h"

namespace nrp::auction {

// A lot as its table records it, read under its row lock.
struct LockedLot {
  Lot lot;
  Board board;  // the record's highest valid bid and the number of accepted bids
};

// One lot's table, for one bid. Every call runs in the bid's transaction.
class LotTable {
 public:
  virtual ~LotTable() = default;
  // The lot FOR UPDATE. The service checks here what only it knows — the caller's region,
  // whether the lot's state takes bids — and may move the lot into bidding that starts now.
  virtual Result<LockedLot> Lock(pqxx::work& tx, TimePoint now) = 0;
  // Whether the bidder already holds a sealed bid on the lot (asked for tenders only).
  virtual Result<bool> HasBid(pqxx::work& tx, const std::string& bidder_number) = 0;
  // Records the accepted bid (its seq is the lot's new count of bids) and, when `raises`
  // (auction and listing), the lot's new highest bid; publishes what the service publishes.
  virtual Status Record(pqxx::work& tx, const Bid& bid, TimePoint placed_at, bool raises) = 0;
};

// An accepted bid, and the board it leaves on an ascending lot.
struct PlacedBid {
  Bid bid;
  TimePoint placed_at;
  std::optional<LiveBoardState> board;  // nullopt for a tender (sealed bids, no board)
};

class Bidding {
 public:
  explicit Bidding(LiveBoard& board) : board_(board) {}

  // Step 1: Ok, or the refusal the live board gives without the record (BID_TOO_LOW). A board
  // that cannot be read is left to the record.
  Status Precheck(const std::string& lot_id, const std::string& noun, int64_t amount_fen);

  // Step 2, inside the bid's transaction: locks the lot, checks the bid (CheckBid), records it
  // with the next sequence number and a new id.
  Result<PlacedBid> Place(pqxx::work& tx, LotTable& lot, const std::string& bidder_number,
                          int64_t amount_fen, TimePoint now);

  // Step 3, after the commit: the live board moved. A failure is logged; the record has the
  // bid, and the next bid brings the board up to date.
  void Publish(const std::string& lot_id, const PlacedBid& placed);

  LiveBoard& board() { return board_; }

 private:
  LiveBoard& board_;
};

}  // namespace nrp::auction
