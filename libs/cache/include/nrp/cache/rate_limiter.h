// Per-client token-bucket rate limits shared by every replica of a service.
//
// Each client key has one Redis hash {tokens, ts}. One Lua script reads it,
// refills by the time elapsed since `ts` measured with Redis' own TIME (so
// replicas' clocks never matter), takes `cost` tokens when there are enough,
// writes it back and sets PEXPIRE to the time a full refill takes, so idle
// clients' keys disappear by themselves. Redis runs the script atomically: N
// replicas calling at once never admit more than the bucket holds.
//
// When Redis cannot be reached the limiter either admits the call (fail-open,
// the default) or returns UNAVAILABLE (fail-closed). Fail-open is the default
// because Redis is not a system of record (architecture §5): a Redis outage
// must not turn into an outage of registration or land supply for every
// agency, and the services stay protected by their bounded database pools.
// Each fail-open decision is marked `degraded`, and a warning is logged (at
// most once every 10 s) so the outage is visible. Choose fail-closed where an
// unlimited burst is worse than refusing (e.g. a public query endpoint).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "nrp/cache/redis_client.h"
#include "nrp/core/config.h"
#include "nrp/core/status.h"

namespace nrp::cache {

struct RateLimitOptions {
  // Namespace of the keys: nrp:<scope>:rl:<client>.
  std::string scope = "default";
  double rate_per_second = 50;  // refill speed
  int64_t burst = 100;          // bucket size
  bool fail_open = true;

  // NRP_RATE_LIMIT_RPS (50), NRP_RATE_LIMIT_BURST (100),
  // NRP_RATE_LIMIT_FAIL_OPEN (true). Problems are recorded in `env`.
  static RateLimitOptions FromEnv(Env& env, std::string scope);
};

struct Decision {
  bool allowed = false;
  int64_t remaining = 0;       // whole tokens left after this call (-1 when degraded)
  int64_t retry_after_ms = 0;  // when refused: wait this long for `cost` tokens
  bool degraded = false;       // Redis unreachable and fail-open admitted the call
};

class RateLimiter {
 public:
  RateLimiter(RedisClient& redis, RateLimitOptions options);

  // Takes `cost` tokens from `client`'s bucket. INVALID_ARGUMENT for a cost
  // outside 1..burst or an empty client; UNAVAILABLE/DEADLINE_EXCEEDED only
  // when fail-closed and Redis failed.
  Result<Decision> Allow(std::string_view client, int64_t cost = 1);

  std::string KeyFor(std::string_view client) const;
  const RateLimitOptions& options() const { return options_; }

 private:
  RedisClient& redis_;
  RateLimitOptions options_;
  std::string prefix_;
  std::atomic<int64_t> last_warning_ms_{0};
};

}  // namespace nrp::cache
