#include "nrp/cache/read_through_cache.h"

#include <gtest/gtest.h>

#include "redis_test_env.h"

namespace nrp::cache {
namespace {

using namespace std::chrono_literals;

class ReadThroughCacheTest : public testing::SharedRedisTest {};

TEST_F(ReadThroughCacheTest, LoadsOnceThenServesFromRedisUntilInvalidated) {
  RedisClient redis(options_);
  ReadThroughCache cache(redis, prefix_ + "unit:", 30s);
  int loads = 0;
  std::string source = "v1";
  auto loader = [&]() -> Result<std::string> {
    ++loads;
    return source;
  };
  EXPECT_EQ(cache.GetOrLoad("410302001", loader).value(), "v1");
  EXPECT_EQ(cache.GetOrLoad("410302001", loader).value(), "v1");
  EXPECT_EQ(loads, 1);
  EXPECT_EQ(cache.stats().hits, 1);
  auto ttl = redis.Command({"PTTL", cache.FullKey("410302001")});
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 30000);

  source = "v2";
  EXPECT_EQ(cache.GetOrLoad("410302001", loader).value(), "v1");  // still cached
  ASSERT_TRUE(cache.Invalidate("410302001").ok());
  EXPECT_EQ(cache.GetOrLoad("410302001", loader).value(), "v2");
  EXPECT_EQ(loads, 2);
  EXPECT_EQ(cache.GetOrLoad("410302001", loader).value(), "v2");
  EXPECT_EQ(loads, 2);
}

TEST_F(ReadThroughCacheTest, ALoadThatRacedWithAnInvalidationIsNotStored) {
  RedisClient redis(options_);
  ReadThroughCache cache(redis, prefix_ + "unit:", 30s);
  std::string source = "old";
  int loads = 0;
  auto racing_loader = [&]() -> Result<std::string> {
    ++loads;
    std::string read = source;                // the reader saw the old row...
    source = "new";                           // ...then the change committed and its event
    EXPECT_TRUE(cache.Invalidate("k").ok());  // invalidated the key
    return read;
  };
  EXPECT_EQ(cache.GetOrLoad("k", racing_loader).value(), "old");
  auto plain_loader = [&]() -> Result<std::string> {
    ++loads;
    return source;
  };
  EXPECT_EQ(cache.GetOrLoad("k", plain_loader).value(), "new");
  EXPECT_EQ(loads, 2);
}

TEST_F(ReadThroughCacheTest, LoaderErrorsAreNotCached) {
  RedisClient redis(options_);
  ReadThroughCache cache(redis, prefix_ + "right:", 30s);
  int loads = 0;
  auto missing = [&]() -> Result<std::string> {
    ++loads;
    return Error::NotFound("right C4100002011 not found");
  };
  auto r = cache.GetOrLoad("C4100002011", missing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kNotFound);
  // The lease was released: the next reader loads (and stores) immediately.
  auto found = [&]() -> Result<std::string> {
    ++loads;
    return std::string("right");
  };
  EXPECT_EQ(cache.GetOrLoad("C4100002011", found).value(), "right");
  EXPECT_EQ(cache.GetOrLoad("C4100002011", found).value(), "right");
  EXPECT_EQ(loads, 2);
  EXPECT_EQ(cache.stats().stores, 1);
}

TEST(ReadThroughCacheDegraded, LoadsFromTheSourceWhenRedisIsDown) {
  RedisOptions o;
  o.port = testing::FreePort();
  RedisClient redis(o);
  ReadThroughCache cache(redis, "nrp:test:unit:", 30s);
  int loads = 0;
  auto loader = [&]() -> Result<std::string> {
    ++loads;
    return std::string("v");
  };
  EXPECT_EQ(cache.GetOrLoad("k", loader).value(), "v");
  EXPECT_EQ(cache.GetOrLoad("k", loader).value(), "v");
  EXPECT_EQ(loads, 2);
  EXPECT_GE(cache.stats().redis_errors, 2);
  auto inv = cache.Invalidate("k");
  ASSERT_FALSE(inv.ok());
  EXPECT_EQ(inv.error().code(), Code::kUnavailable);
}

}  // namespace
}  // namespace nrp::cache
