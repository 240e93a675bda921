#include "nrp/cache/rate_limiter.h"

#include <gtest/gtest.h>

#include <thread>

#include "redis_test_env.h"

namespace nrp::cache {
namespace {

using namespace std::chrono_literals;
using testing::SharedRedisTest;

class RateLimiterTest : public SharedRedisTest {
 protected:
  RateLimitOptions Opts(double rate, int64_t burst) {
    RateLimitOptions o;
    o.scope = prefix_.substr(4, prefix_.size() - 5);  // "test-xxxxxxxx"
    o.rate_per_second = rate;
    o.burst = burst;
    return o;
  }
};

TEST_F(RateLimiterTest, AdmitsExactlyTheBurstThenRefusesWithRetryAfter) {
  RedisClient redis(options_);
  RateLimiter limiter(redis, Opts(1, 5));
  for (int i = 0; i < 5; ++i) {
    auto d = limiter.Allow("agency-a");
    ASSERT_TRUE(d.ok()) << d.error().ToString();
    EXPECT_TRUE(d->allowed) << "call " << i;
    EXPECT_EQ(d->remaining, 4 - i);
    EXPECT_FALSE(d->degraded);
  }
  auto refused = limiter.Allow("agency-a");
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->allowed);
  EXPECT_EQ(refused->remaining, 0);
  // One token at 1/s: at most a second away, and not already there.
  EXPECT_GT(refused->retry_after_ms, 0);
  EXPECT_LE(refused->retry_after_ms, 1000);

  // Another client has its own bucket.
  EXPECT_TRUE(limiter.Allow("agency-b")->allowed);

  // The bucket key expires by itself.
  auto ttl = redis.Command({"PTTL", limiter.KeyFor("agency-a")});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 5000 + 1000);
}

TEST_F(RateLimiterTest, RefillsWithElapsedTime) {
  RedisClient redis(options_);
  RateLimiter limiter(redis, Opts(20, 2));  // one token every 50 ms
  EXPECT_TRUE(limiter.Allow("c")->allowed);
  EXPECT_TRUE(limiter.Allow("c")->allowed);
  auto refused = limiter.Allow("c");
  ASSERT_FALSE(refused->allowed);
  EXPECT_GT(refused->retry_after_ms, 0);
  EXPECT_LE(refused->retry_after_ms, 50);

  std::this_thread::sleep_for(std::chrono::milliseconds(refused->retry_after_ms) + 60ms);
  auto again = limiter.Allow("c");
  EXPECT_TRUE(again->allowed);
  // Never more than the burst, however long the client waited.
  std::this_thread::sleep_for(300ms);
  int admitted = 0;
  for (int i = 0; i < 5; ++i) admitted += limiter.Allow("c")->allowed ? 1 : 0;
  EXPECT_GE(admitted, 2);
  EXPECT_LE(admitted, 3);  // 2 from the full bucket, at most 1 refilled meanwhile
}

TEST_F(RateLimiterTest, CostTakesSeveralTokens) {
  RedisClient redis(options_);
  RateLimiter limiter(redis, Opts(1, 4));
  EXPECT_TRUE(limiter.Allow("c", 3)->allowed);
  auto refused = limiter.Allow("c", 3);
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->allowed);
  EXPECT_GT(refused->retry_after_ms, 1000);  // two more tokens at 1/s
  EXPECT_LE(refused->retry_after_ms, 2000);
  EXPECT_TRUE(limiter.Allow("c", 1)->allowed);

  auto too_big = limiter.Allow("c", 5);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().code(), Code::kInvalidArgument);
}

TEST_F(RateLimiterTest, ConcurrentClientsNeverExceedTheBudget) {
  RedisClient redis(options_);
  // A negligible refill: the budget for the test's duration is the burst.
  RateLimiter limiter(redis, Opts(0.001, 40));
  std::atomic<int> admitted{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      RedisClient own(options_);  // separate connections, like separate replicas
      RateLimiter replica(own, limiter.options());
      for (int i = 0; i < 25; ++i) {
        auto d = replica.Allow("shared-client");
        if (!d.ok()) {
          errors.fetch_add(1);
        } else if (d->allowed) {
          admitted.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(admitted.load(), 40);
}

TEST(RateLimiterDegraded, FailOpenAdmitsAndFailClosedRefusesWhenRedisIsDown) {
  RedisOptions o;
  o.port = testing::FreePort();
  RedisClient redis(o);
  RateLimitOptions open;
  open.burst = 1;
  RateLimiter fail_open(redis, open);
  for (int i = 0; i < 3; ++i) {
    auto d = fail_open.Allow("c");
    ASSERT_TRUE(d.ok());
    EXPECT_TRUE(d->allowed);
    EXPECT_TRUE(d->degraded);
  }
  RateLimitOptions closed = open;
  closed.fail_open = false;
  RateLimiter fail_closed(redis, closed);
  auto d = fail_closed.Allow("c");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code(), Code::kUnavailable);
  EXPECT_NE(d.error().message().find("fail-closed"), std::string::npos);
}

TEST(RateLimitOptionsTest, FromEnv) {
  Env env({{"NRP_RATE_LIMIT_RPS", "2.5"},
           {"NRP_RATE_LIMIT_BURST", "7"},
           {"NRP_RATE_LIMIT_FAIL_OPEN", "false"}});
  auto o = RateLimitOptions::FromEnv(env, "registration");
  EXPECT_TRUE(env.Check().ok());
  EXPECT_DOUBLE_EQ(o.rate_per_second, 2.5);
  EXPECT_EQ(o.burst, 7);
  EXPECT_FALSE(o.fail_open);
  EXPECT_EQ(o.scope, "registration");
}

}  // namespace
}  // namespace nrp::cache
