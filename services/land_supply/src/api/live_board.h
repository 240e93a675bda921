// The live bid board of an offer in Redis (architecture §5: Redis holds the
// live state of an auction; PostgreSQL is the record).
//
// Design: PostgreSQL decides. A bid locks the offer's row, is checked against
// the recorded highest bid and written with the next sequence number in the
// same transaction; only after the commit is the board in Redis moved, by a
// Lua script that applies a state only when its sequence number is higher
// than the one the board holds. So the board never goes back, whatever order
// concurrent bidders' updates reach Redis in, and it always equals the record
// once the last update arrived; a failed update is repaired by the next bid or
// by Reconcile. Redis is used in front of the record too: a bid below what the
// board says is refused there without touching PostgreSQL. That refusal is
// always right, because the board is never ahead of the record.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "domain/offer.h"
#include "nrp/cache/redis_client.h"

namespace nrp::land_supply {

struct LiveBoardState {
  BoardState board;
  SupplyMethod method = SupplyMethod::kUnspecified;
  int64_t increment_fen = 0;
  int64_t starting_price_fen = 0;
};

class LiveBoard {
 public:
  // `scope` separates deployments and tests sharing a Redis ("land_supply").
  LiveBoard(cache::RedisClient& redis, std::string scope,
            std::chrono::milliseconds ttl = std::chrono::hours(24 * 40));

  // Moves the board to `state` unless it already holds the same or a later
  // sequence number. Returns whether it moved.
  Result<bool> Advance(const std::string& offer_id, const LiveBoardState& state);
  // The board, or nullopt when Redis has none.
  Result<std::optional<LiveBoardState>> Read(const std::string& offer_id);
  Status Remove(const std::string& offer_id);

  std::string Key(const std::string& offer_id) const;

 private:
  cache::RedisClient& redis_;
  std::string scope_;
  std::chrono::milliseconds ttl_;
};

}  // namespace nrp::land_supply
