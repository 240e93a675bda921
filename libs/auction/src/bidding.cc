#include "nrp/auction/bidding.h"

#include "nrp/core/log.h"
#include "nrp/core/uuid.h"

namespace nrp::auction {

Status Bidding::Precheck(const std::string& lot_id, const std::string& noun, int64_t amount_fen) {
  auto live = board_.Read(lot_id);
  if (!live.ok()) return Ok();
  return LiveBoard::FastCheck(*live, lot_id, noun, amount_fen);
}

Result<PlacedBid> Bidding::Place(pqxx::work& tx, LotTable& lot, const std::string& bidder_number,
                                 int64_t amount_fen, TimePoint now) {
  NRP_ASSIGN_OR_RETURN(LockedLot locked, lot.Lock(tx, now));
  bool has_bid = false;
  if (locked.lot.method == Method::kTender) {
    NRP_ASSIGN_OR_RETURN(has_bid, lot.HasBid(tx, bidder_number));
  }
  NRP_RETURN_IF_ERROR(CheckBid(locked.lot, locked.board, amount_fen, now, has_bid));
  PlacedBid placed;
  placed.bid = {NewUuidV7(), bidder_number, amount_fen, locked.board.seq + 1};
  placed.placed_at = now;
  const bool raises = IsAscending(locked.lot.method);
  NRP_RETURN_IF_ERROR(lot.Record(tx, placed.bid, now, raises));
  if (raises) {
    LiveBoardState s;
    s.board = {placed.bid.seq, amount_fen, placed.bid.bid_id, bidder_number};
    s.method = locked.lot.method;
    s.increment_fen = locked.lot.bid_increment_fen;
    s.starting_price_fen = locked.lot.starting_price_fen;
    placed.board = std::move(s);
  }
  return placed;
}

void Bidding::Publish(const std::string& lot_id, const PlacedBid& placed) {
  if (!placed.board) return;
  auto moved = board_.Advance(lot_id, *placed.board);
  if (!moved.ok()) {
    log::Warn("live board not updated", {{"lot_id", lot_id},
                                         {"seq", static_cast<int64_t>(placed.bid.seq)},
                                         {"error", moved.error().ToString()}});
  }
}

}  // namespace nrp::auction
