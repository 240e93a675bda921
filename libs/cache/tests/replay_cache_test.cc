#include "nrp/cache/replay_cache.h"

#include <gtest/gtest.h>

#include <thread>

#include "nrp/core/uuid.h"
#include "redis_test_env.h"

namespace nrp::cache {
namespace {

using namespace std::chrono_literals;
using Kind = ReplayState::Kind;

class ReplayCacheTest : public testing::SharedRedisTest {
 protected:
  std::string Scope() { return prefix_.substr(4, prefix_.size() - 5); }
};

TEST_F(ReplayCacheTest, FreshThenInFlightThenCompletedWithTheStoredBytes) {
  RedisClient redis(options_);
  ReplayCache replay(redis);
  std::string id = NewUuidV4();
  auto first = replay.Begin(Scope(), id, 10s);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(first->kind, Kind::kFresh);
  EXPECT_FALSE(first->claim_token.empty());

  auto dup = replay.Begin(Scope(), id, 10s);
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ(dup->kind, Kind::kInFlight);

  std::string response(
      "\x0a\x03"
      "abc\0z",
      7);
  ASSERT_TRUE(replay.Complete(Scope(), id, response, 60s).ok());
  auto retry = replay.Begin(Scope(), id, 10s);
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->kind, Kind::kCompleted);
  EXPECT_EQ(retry->response, response);

  // Key layout nrp:<scope>:req:<id>, with the completion TTL.
  EXPECT_EQ(ReplayCache::Key(Scope(), id), "nrp:" + Scope() + ":req:" + id);
  auto ttl = redis.Command({"PTTL", ReplayCache::Key(Scope(), id)});
  EXPECT_GT(ttl->integer, 10000);
  EXPECT_LE(ttl->integer, 60000);

  // A completed response is never abandoned.
  EXPECT_FALSE(replay.Abandon(Scope(), id, first->claim_token).value());
  EXPECT_EQ(replay.Begin(Scope(), id, 10s)->kind, Kind::kCompleted);
}

TEST_F(ReplayCacheTest, AbandonReleasesOnlyTheOwnClaim) {
  RedisClient redis(options_);
  ReplayCache replay(redis);
  std::string id = NewUuidV4();
  auto claim = replay.Begin(Scope(), id, 10s);
  ASSERT_EQ(claim->kind, Kind::kFresh);
  EXPECT_FALSE(replay.Abandon(Scope(), id, "someone-else").value());
  EXPECT_EQ(replay.Begin(Scope(), id, 10s)->kind, Kind::kInFlight);
  EXPECT_TRUE(replay.Abandon(Scope(), id, claim->claim_token).value());
  EXPECT_EQ(replay.Begin(Scope(), id, 10s)->kind, Kind::kFresh);
}

TEST_F(ReplayCacheTest, AnExpiredClaimCanBeTakenAgain) {
  RedisClient redis(options_);
  ReplayCache replay(redis);
  std::string id = NewUuidV4();
  ASSERT_EQ(replay.Begin(Scope(), id, 100ms)->kind, Kind::kFresh);
  std::this_thread::sleep_for(250ms);
  EXPECT_EQ(replay.Begin(Scope(), id, 10s)->kind, Kind::kFresh);
}

TEST_F(ReplayCacheTest, OfConcurrentDuplicatesExactlyOneIsFresh) {
  RedisClient redis(options_);
  ReplayCache replay(redis);
  std::string id = NewUuidV4();
  std::atomic<int> fresh{0}, in_flight{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto s = replay.Begin(Scope(), id, 10s);
      if (!s.ok()) {
        errors++;
      } else if (s->kind == Kind::kFresh) {
        fresh++;
      } else if (s->kind == Kind::kInFlight) {
        in_flight++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(fresh.load(), 1);
  EXPECT_EQ(in_flight.load(), 7);
}

TEST_F(ReplayCacheTest, RejectsEmptyIds) {
  RedisClient redis(options_);
  ReplayCache replay(redis);
  auto r = replay.Begin(Scope(), "", 1s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.error().field_violations().at(0).field, "request_id");
}

}  // namespace
}  // namespace nrp::cache
