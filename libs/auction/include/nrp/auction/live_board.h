// The live bid board of a lot in Redis (architecture §5: Redis holds the live state of an
// auction; PostgreSQL is the record).
//
// PostgreSQL decides. A bid locks the lot's row, is checked against the recorded highest bid
// and written with the next sequence number in the same transaction; only after the commit is
// the board moved, by a Lua script that applies a state only when its sequence number is
// higher than the one the board holds. So the board never goes back, whatever order
// concurrent bidders' updates reach Redis in, and it equals the record once the last update
// arrived; a failed update is repaired by the next bid. Redis is used in front of the record
// too: a bid below what the board says is refused there without touching PostgreSQL. That
// refusal is always right, because the board is never ahead of the record.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "nrp/auction/rules.h"
#include "nrp/cache/redis_client.h"

namespace nrp::auction {

struct LiveBoardState {
  Board board;
  Method method = Method::kAuction;
  int64_t increment_fen = 0;
  int64_t starting_price_fen = 0;
};

class LiveBoard {
 public:
  // `scope` separates services, deployments and tests sharing a Redis ("land_supply").
  LiveBoard(cache::RedisClient& redis, std::string scope,
            std::chrono::milliseconds ttl = std::chrono::hours(24 * 40));

  // Moves the board to `state` unless it already holds the same or a later sequence number.
  // Returns whether it moved.
  Result<bool> Advance(const std::string& lot_id, const LiveBoardState& state);
  // The board, or nullopt when Redis has none (or one this code cannot read).
  Result<std::optional<LiveBoardState>> Read(const std::string& lot_id);
  Status Remove(const std::string& lot_id);

  // "nrp:<scope>:board:<lot id>".
  std::string Key(const std::string& lot_id) const;

  // The refusal the board alone can give: a bid on an ascending lot below the board's highest
  // plus the increment. Ok when the board has no bid yet, is not ascending, or is absent.
  static Status FastCheck(const std::optional<LiveBoardState>& board, const std::string& lot_id,
                          const std::string& noun, int64_t amount_fen);

 private:
  cache::RedisClient& redis_;
  std::string scope_;
  std::chrono::milliseconds ttl_;
};

}  // namespace nrp::auction
