#include "nrp/cache/rate_limiter.h"

#include <cmath>
#include <cstdio>

#include "nrp/core/log.h"

namespace nrp::cache {
namespace {

// KEYS[1] bucket; ARGV: rate per second, burst, cost, ttl ms.
// Returns {allowed (0/1), whole tokens left, retry after ms}.
const Script& BucketScript() {
  static const Script* script = new Script(R"lua(
if redis.replicate_commands then redis.replicate_commands() end
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local h = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(h[1])
local ts = tonumber(h[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
if now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate / 1000000)
  ts = now
end
local allowed = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry = math.ceil((cost - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.0f', ts))
redis.call('PEXPIRE', KEYS[1], ttl)
return {allowed, math.floor(tokens), retry}
)lua");
  return *script;
}

std::string FormatDouble(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

RateLimitOptions RateLimitOptions::FromEnv(Env& env, std::string scope) {
  RateLimitOptions o;
  o.scope = std::move(scope);
  o.rate_per_second = env.Double("NRP_RATE_LIMIT_RPS", o.rate_per_second, 0.001, 1e6);
  o.burst = env.Int("NRP_RATE_LIMIT_BURST", o.burst, 1, 1'000'000);
  o.fail_open = env.Bool("NRP_RATE_LIMIT_FAIL_OPEN", o.fail_open);
  return o;
}

RateLimiter::RateLimiter(RedisClient& redis, RateLimitOptions options)
    : redis_(redis), options_(std::move(options)), prefix_("nrp:" + options_.scope + ":rl:") {}

std::string RateLimiter::KeyFor(std::string_view client) const {
  return prefix_ + std::string(client);
}

Result<Decision> RateLimiter::Allow(std::string_view client, int64_t cost) {
  if (client.empty()) return Error::InvalidArgument("client", "must not be empty");
  if (cost < 1 || cost > options_.burst) {
    return Error::InvalidArgument("cost", "must be in 1.." + std::to_string(options_.burst) +
                                              " (the burst), got " + std::to_string(cost));
  }
  if (!(options_.rate_per_second > 0)) {
    return Error::InvalidArgument("rate_per_second", "must be positive");
  }
  // Keep the key while a full refill is still running, plus a second.
  auto ttl_ms = static_cast<int64_t>(std::ceil(static_cast<double>(options_.burst) * 1000.0 /
                                               options_.rate_per_second)) +
                1000;
  auto r = redis_.EvalSha(BucketScript(), {KeyFor(client)},
                          {FormatDouble(options_.rate_per_second), std::to_string(options_.burst),
                           std::to_string(cost), std::to_string(ttl_ms)},
                          Idempotency::kNotIdempotent);
  if (!r.ok()) {
    if (!options_.fail_open) {
      return Error(r.error().code(),
                   "rate limiter (fail-closed) cannot decide: " + r.error().message());
    }
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now().time_since_epoch())
                      .count();
    int64_t last = last_warning_ms_.load(std::memory_order_relaxed);
    if (now_ms - last >= 10'000 &&
        last_warning_ms_.compare_exchange_strong(last, now_ms, std::memory_order_relaxed)) {
      log::Warn("rate limiter cannot reach redis; admitting calls (fail-open)",
                {{"scope", options_.scope}, {"error", r.error().ToString()}});
    }
    return Decision{true, -1, 0, true};
  }
  const Reply& reply = *r;
  if (reply.type != Reply::Type::kArray || reply.elements.size() != 3) {
    return Error::Internal("rate limiter: unexpected script reply from redis " + redis_.address());
  }
  Decision d;
  d.allowed = reply.elements[0].integer == 1;
  d.remaining = reply.elements[1].integer;
  d.retry_after_ms = d.allowed ? 0 : std::max<int64_t>(1, reply.elements[2].integer);
  return d;
}

}  // namespace nrp::cache
