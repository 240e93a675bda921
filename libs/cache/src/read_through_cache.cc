#include "nrp/cache/read_through_cache.h"

#include "nrp/core/log.h"
#include "nrp/core/uuid.h"

namespace nrp::cache {
namespace {

// KEYS[1]; ARGV: lease value, lease ttl ms.
// {1, value} on a hit, {0} when the lease was taken, {2} when another reader holds it.
const Script& LookupScript() {
  static const Script* s = new Script(R"lua(
local v = redis.call('GET', KEYS[1])
if v then
  if string.sub(v, 1, 1) == 'V' then return {1, string.sub(v, 2)} end
  return {2}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {0}
)lua");
  return *s;
}

// KEYS[1]; ARGV: lease value, new value, ttl ms. 1 when stored.
const Script& StoreScript() {
  static const Script* s = new Script(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
)lua");
  return *s;
}

// KEYS[1]; ARGV: lease value. Drops the lease when it is still ours.
const Script& ReleaseScript() {
  static const Script* s = new Script(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
)lua");
  return *s;
}

}  // namespace

ReadThroughCache::ReadThroughCache(RedisClient& redis, std::string prefix,
                                   std::chrono::milliseconds ttl,
                                   std::chrono::milliseconds lease_ttl)
    : redis_(redis), prefix_(std::move(prefix)), ttl_(ttl), lease_ttl_(lease_ttl) {}

ReadThroughCache::Stats ReadThroughCache::stats() const {
  return {hits_.load(), misses_.load(), stores_.load(), redis_errors_.load()};
}

void ReadThroughCache::WarnDegraded(const Error& e) {
  redis_errors_.fetch_add(1, std::memory_order_relaxed);
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now().time_since_epoch())
                    .count();
  int64_t last = last_warning_ms_.load(std::memory_order_relaxed);
  if (now_ms - last >= 10'000 &&
      last_warning_ms_.compare_exchange_strong(last, now_ms, std::memory_order_relaxed)) {
    log::Warn("read-through cache cannot use redis; loading from the source",
              {{"prefix", prefix_}, {"error", e.ToString()}});
  }
}

Result<std::string> ReadThroughCache::GetOrLoad(std::string_view key, const Loader& load) {
  if (key.empty()) return Error::InvalidArgument("key", "must not be empty");
  std::string full = FullKey(key);
  std::string lease = "L" + NewUuidV4();
  auto r = redis_.EvalSha(LookupScript(), {full}, {lease, std::to_string(lease_ttl_.count())},
                          Idempotency::kNotIdempotent);
  if (!r.ok()) {
    WarnDegraded(r.error());
    misses_.fetch_add(1, std::memory_order_relaxed);
    return load();
  }
  const Reply& reply = *r;
  if (reply.type == Reply::Type::kArray && !reply.elements.empty() &&
      reply.elements[0].integer == 1 && reply.elements.size() == 2) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    return reply.elements[1].str;
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  bool own_lease = reply.type == Reply::Type::kArray && !reply.elements.empty() &&
                   reply.elements[0].integer == 0;
  Result<std::string> loaded = load();
  if (!loaded.ok()) {
    if (own_lease) {
      // Let the next reader try at once instead of waiting out the lease.
      auto released = redis_.EvalSha(ReleaseScript(), {full}, {lease}, Idempotency::kIdempotent);
      if (!released.ok()) WarnDegraded(released.error());
    }
    return loaded;
  }
  if (own_lease) {
    auto stored =
        redis_.EvalSha(StoreScript(), {full}, {lease, "V" + *loaded, std::to_string(ttl_.count())},
                       Idempotency::kIdempotent);
    if (!stored.ok()) {
      WarnDegraded(stored.error());
    } else if (stored->integer == 1) {
      stores_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  return loaded;
}

Status ReadThroughCache::Invalidate(std::string_view key) {
  if (key.empty()) return Error::InvalidArgument("key", "must not be empty");
  NRP_ASSIGN_OR_RETURN(int64_t removed, redis_.Del({FullKey(key)}));
  (void)removed;
  return Ok();
}

}  // namespace nrp::cache
