// Get-or-load cache of hot lookups (units, rights) as serialized protobuf
// bytes, invalidated by events (architecture §5).
//
// Stale-set protection: on a miss the reader takes a short lease (the key
// holds "L<token>" for `lease_ttl`) before calling the loader and stores the
// loaded value only if its lease is still there. Invalidate() deletes the key,
// lease included, so a load that raced with an invalidation is never written
// back: a reader cannot resurrect the value an event just invalidated.
// Readers that find another reader's lease load for themselves without
// storing. Redis down: GetOrLoad falls back to the loader (a warning at most
// every 10 s); Invalidate returns the error so the event handler retries.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "nrp/cache/redis_client.h"
#include "nrp/core/status.h"

namespace nrp::cache {

class ReadThroughCache {
 public:
  using Loader = std::function<Result<std::string>()>;

  // Keys are `prefix` + key, e.g. prefix "nrp:registration:unit:".
  ReadThroughCache(RedisClient& redis, std::string prefix, std::chrono::milliseconds ttl,
                   std::chrono::milliseconds lease_ttl = std::chrono::seconds(5));

  // The cached bytes, or the loader's result (stored on success). Loader
  // errors are returned and not cached.
  Result<std::string> GetOrLoad(std::string_view key, const Loader& load);
  Status Invalidate(std::string_view key);

  std::string FullKey(std::string_view key) const { return prefix_ + std::string(key); }

  struct Stats {
    int64_t hits = 0;
    int64_t misses = 0;
    int64_t stores = 0;
    int64_t redis_errors = 0;
  };
  Stats stats() const;

 private:
  void WarnDegraded(const Error& e);

  RedisClient& redis_;
  std::string prefix_;
  std::chrono::milliseconds ttl_;
  std::chrono::milliseconds lease_ttl_;
  std::atomic<int64_t> hits_{0}, misses_{0}, stores_{0}, redis_errors_{0};
  std::atomic<int64_t> last_warning_ms_{0};
};

}  // namespace nrp::cache
