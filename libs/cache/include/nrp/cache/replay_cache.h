// Fast request_id idempotency in front of the durable PostgreSQL check
// (architecture §4, §5). A mutation carrying request_id R:
//
//   auto b = replay.Begin("registration", R, 10min);
//   Completed -> return the stored response bytes as they are (a retry)
//   InFlight  -> ABORTED "request R is still being processed" (a concurrent duplicate)
//   Fresh     -> run the call (whose transaction still checks R durably), then
//                Complete(..., response bytes) on success or Abandon(...) on failure.
//
// Keys: nrp:<scope>:req:<request_id>. Values: "I" + claim token while in
// flight, "C" + response bytes once complete. Begin is one Lua script, so of
// two simultaneous duplicates exactly one gets Fresh. Redis is a cache here,
// not the record: when it is unreachable, callers should treat the request as
// Fresh and rely on the database check.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "nrp/cache/redis_client.h"
#include "nrp/core/status.h"

namespace nrp::cache {

struct ReplayState {
  enum class Kind { kFresh, kInFlight, kCompleted };
  Kind kind = Kind::kFresh;
  std::string response;     // kCompleted: the stored response bytes
  std::string claim_token;  // kFresh: pass to Abandon
};

class ReplayCache {
 public:
  explicit ReplayCache(RedisClient& redis) : redis_(redis) {}

  // Claims request_id for `in_flight_ttl` (after which a crashed worker's claim
  // lapses) or reports what is already there.
  Result<ReplayState> Begin(std::string_view scope, std::string_view request_id,
                            std::chrono::milliseconds in_flight_ttl);
  // Stores the response for `ttl` (replaces the in-flight claim).
  Status Complete(std::string_view scope, std::string_view request_id,
                  std::string_view response_bytes, std::chrono::milliseconds ttl);
  // Releases the claim made by Begin when the call failed, so a retry can run.
  // Removes nothing when the claim is no longer this caller's (it expired and
  // someone else claimed) or the request already completed. Returns whether
  // the claim was removed.
  Result<bool> Abandon(std::string_view scope, std::string_view request_id,
                       std::string_view claim_token);

  static std::string Key(std::string_view scope, std::string_view request_id);

 private:
  RedisClient& redis_;
};

}  // namespace nrp::cache
