#include "nrp/cache/redis_client.h"

#include <gtest/gtest.h>

#include <thread>

#include "redis_test_env.h"

namespace nrp::cache {
namespace {

using namespace std::chrono_literals;
using testing::DroppingServer;
using testing::OwnRedisServer;
using testing::SharedRedisTest;
using testing::SilentServer;

class RedisClientTest : public SharedRedisTest {};

TEST_F(RedisClientTest, SetGetDelWithTtlAndBinaryValues) {
  RedisClient c(options_);
  std::string key = prefix_ + "k";
  std::string value("a\0b\r\n", 5);
  ASSERT_TRUE(c.Set(key, value, 10s).value());
  auto got = c.Get(key);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, value);
  auto ttl = c.Command({"PTTL", key});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 10000);

  EXPECT_FALSE(c.Set(key, "other", 0ms, RedisClient::SetMode::kIfAbsent).value());
  EXPECT_EQ(**c.Get(key), value);
  EXPECT_TRUE(c.Set(key, "other", 0ms, RedisClient::SetMode::kIfPresent).value());
  EXPECT_EQ(**c.Get(key), "other");

  EXPECT_EQ(c.Del({key, prefix_ + "absent"}).value(), 1);
  EXPECT_FALSE(c.Get(key)->has_value());
  EXPECT_FALSE(c.Set(key, "x", 0ms, RedisClient::SetMode::kIfPresent).value());
}

TEST_F(RedisClientTest, RepliesOfEveryShape) {
  RedisClient c(options_);
  std::string h = prefix_ + "h";
  ASSERT_EQ(c.Command({"HSET", h, "a", "1", "b", "2"})->integer, 2);
  auto arr = c.Command({"HMGET", h, "a", "missing", "b"});
  ASSERT_TRUE(arr.ok());
  EXPECT_EQ(*arr, Reply::Array({Reply::String("1"), Reply::Nil(), Reply::String("2")}));
  EXPECT_EQ(*c.Command({"PING"}), Reply::Status("PONG"));
  EXPECT_TRUE(c.Ping().ok());
}

TEST_F(RedisClientTest, ErrorReplyIsInternalAndNamesTheAddress) {
  RedisClient c(options_);
  std::string key = prefix_ + "s";
  ASSERT_TRUE(c.Set(key, "not a number").ok());
  auto r = c.Command({"INCR", key});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInternal);
  EXPECT_NE(r.error().message().find(c.address()), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("INCR"), std::string::npos);
  EXPECT_EQ(r.error().metadata().at("redis_error"), "ERR");
}

TEST_F(RedisClientTest, EvalShaFallsBackToEvalForAnUnknownScript) {
  RedisClient c(options_);
  // A body no server has seen, so EVALSHA must answer NOSCRIPT first.
  Script script("-- " + prefix_ + "\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])");
  auto exists = c.Command({"SCRIPT", "EXISTS", script.sha1()});
  ASSERT_TRUE(exists.ok());
  ASSERT_EQ(exists->elements.at(0).integer, 0);

  auto r = c.EvalSha(script, {prefix_ + "n"}, {"5"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->integer, 5);
  EXPECT_EQ(c.Command({"SCRIPT", "EXISTS", script.sha1()})->elements.at(0).integer, 1);
  EXPECT_EQ(c.EvalSha(script, {prefix_ + "n"}, {"2"})->integer, 7);
}

TEST_F(RedisClientTest, ReconnectsTransparentlyAfterTheServerKillsTheConnection) {
  RedisOptions o = options_;
  o.pool_size = 1;
  RedisClient c(o);
  RedisClient admin(options_);
  auto id = c.Command({"CLIENT", "ID"});
  ASSERT_TRUE(id.ok());
  auto killed = admin.Command({"CLIENT", "KILL", "ID", std::to_string(id->integer)});
  ASSERT_TRUE(killed.ok()) << killed.error().ToString();
  ASSERT_EQ(killed->integer, 1);
  // Give the close a moment to reach our socket (bounded wait).
  std::this_thread::sleep_for(50ms);

  // INCR is not idempotent, yet it runs: the dead connection was noticed
  // before anything was sent.
  auto r = c.Command({"INCR", prefix_ + "counter"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->integer, 1);
  EXPECT_EQ(c.reconnects(), 1);
  auto new_id = c.Command({"CLIENT", "ID"});
  EXPECT_NE(new_id->integer, id->integer);
}

TEST(RedisClientFaults, LostAfterSendResendsOnlyIdempotentCommands) {
  DroppingServer server;
  RedisOptions o;
  o.port = server.port();
  o.pool_size = 1;
  o.command_timeout = 2s;
  RedisClient c(o);

  auto incr = c.Command({"INCR", "k"});
  ASSERT_FALSE(incr.ok());
  EXPECT_EQ(incr.error().code(), Code::kUnavailable);
  EXPECT_NE(incr.error().message().find("not idempotent"), std::string::npos)
      << incr.error().message();
  EXPECT_NE(incr.error().message().find(c.address()), std::string::npos);
  EXPECT_EQ(server.accepted(), 1);

  auto get = c.Command({"GET", "k"});
  ASSERT_FALSE(get.ok());
  EXPECT_EQ(get.error().code(), Code::kUnavailable);
  // One connection for the first try and exactly one for the single retry.
  EXPECT_EQ(server.accepted(), 3);
}

TEST(RedisClientFaults, NoReplyWithinTheCommandTimeoutIsDeadlineExceeded) {
  SilentServer server;
  RedisOptions o;
  o.port = server.port();
  o.command_timeout = 200ms;
  RedisClient c(o);
  auto r = c.Command({"GET", "k"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kDeadlineExceeded) << r.error().ToString();
  EXPECT_NE(r.error().message().find(c.address()), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("GET"), std::string::npos);
}

TEST(RedisClientFaults, RefusedConnectionIsUnavailableThenBacksOff) {
  int port = testing::FreePort();
  RedisOptions o;
  o.port = port;
  o.initial_backoff = 10s;
  RedisClient c(o);
  auto first = c.Command({"PING"});
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code(), Code::kUnavailable);
  EXPECT_NE(first.error().message().find("127.0.0.1:" + std::to_string(port)), std::string::npos);
  auto second = c.Command({"PING"});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), Code::kUnavailable);
  EXPECT_NE(second.error().message().find("next connect attempt"), std::string::npos)
      << second.error().message();
}

TEST(RedisClientFaults, RecoversWhenTheServerComesBack) {
  OwnRedisServer server;
  ASSERT_TRUE(server.Start());
  RedisOptions o;
  o.port = server.port();
  o.initial_backoff = 20ms;
  o.max_backoff = 100ms;
  RedisClient c(o);
  ASSERT_TRUE(c.Set("k", "v").ok());

  server.Stop();
  auto down = c.Command({"GET", "k"});
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code(), Code::kUnavailable) << down.error().ToString();

  ASSERT_TRUE(server.Start());
  bool back = false;
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!back && std::chrono::steady_clock::now() < deadline) {
    back = c.Ping().ok();
    if (!back) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(back);
  EXPECT_GE(c.reconnects(), 1);
  // A fresh server (no persistence): the old value is gone, the client works.
  EXPECT_FALSE(c.Get("k")->has_value());
}

TEST_F(RedisClientTest, ManyThreadsShareThePool) {
  RedisOptions o = options_;
  o.pool_size = 3;
  RedisClient c(o);
  std::string key = prefix_ + "n";
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (!c.Command({"INCR", key}).ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(**c.Get(key), "800");
  EXPECT_LE(c.connects(), 3);
}

TEST(RedisCommands, IdempotencyTable) {
  EXPECT_TRUE(IsIdempotentCommand({"get", "k"}));
  EXPECT_TRUE(IsIdempotentCommand({"SET", "k", "v", "PX", "10"}));
  EXPECT_FALSE(IsIdempotentCommand({"SET", "k", "v", "NX"}));
  EXPECT_FALSE(IsIdempotentCommand({"INCR", "k"}));
  EXPECT_FALSE(IsIdempotentCommand({"EVALSHA", "abc", "0"}));
  EXPECT_TRUE(IsIdempotentCommand({"SCRIPT", "LOAD", "return 1"}));
  EXPECT_FALSE(IsIdempotentCommand({}));
}

TEST(RedisOptionsTest, FromEnvParsesAndNamesBadVariables) {
  Env env({{"NRP_REDIS_ADDR", "redis.internal:6380"}, {"NRP_REDIS_COMMAND_TIMEOUT", "250ms"}});
  auto o = RedisOptions::FromEnv(env);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->host, "redis.internal");
  EXPECT_EQ(o->port, 6380);
  EXPECT_EQ(o->command_timeout, 250ms);
  EXPECT_TRUE(env.Check().ok());

  Env bad(std::map<std::string, std::string>{{"NRP_REDIS_ADDR", "nope"}});
  auto e = RedisOptions::FromEnv(bad);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message().find("NRP_REDIS_ADDR"), std::string::npos);
}

}  // namespace
}  // namespace nrp::cache
