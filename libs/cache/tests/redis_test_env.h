// Shared fixtures of the cache tests: the Redis the test command started
// (NRP_TEST_REDIS_ADDR), a redis-server the test owns, and fake servers that
// misbehave on purpose.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <atomic>
#include <string>
#include <thread>

#include "nrp/cache/redis_client.h"

namespace nrp::cache::testing {

// Options for NRP_TEST_REDIS_ADDR; the test fails (not skips) when unset.
RedisOptions SharedRedisOptions();

// A unique key prefix per test, so parallel runs never collide.
std::string UniquePrefix();

class SharedRedisTest : public ::testing::Test {
 protected:
  void SetUp() override;
  RedisOptions options_;
  std::string prefix_;
};

// A free loopback TCP port (bound, then released).
int FreePort();

// redis-server started by the test on its own port, stopped on destruction.
class OwnRedisServer {
 public:
  OwnRedisServer();
  ~OwnRedisServer();
  // Starts (or restarts on the same port) and waits until it answers PING.
  ::testing::AssertionResult Start();
  void Stop();
  int port() const { return port_; }

 private:
  int port_;
  pid_t pid_ = -1;
};

// Listens and never accepts: connects succeed (the kernel completes them),
// commands never get a reply.
class SilentServer {
 public:
  SilentServer();
  ~SilentServer();
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Accepts, reads the first bytes of a command and closes the connection.
class DroppingServer {
 public:
  DroppingServer();
  ~DroppingServer();
  int port() const { return port_; }
  int accepted() const { return accepted_.load(); }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

}  // namespace nrp::cache::testing
