#include "redis_test_env.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

#include "nrp/core/uuid.h"

extern char** environ;

namespace nrp::cache::testing {
namespace {

int ListenLoopback(int* port_out, int backlog) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, backlog) != 0) {
    ::close(fd);
    return -1;
  }
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  *port_out = ntohs(a.sin_port);
  return fd;
}

}  // namespace

RedisOptions SharedRedisOptions() {
  const char* addr = std::getenv("NRP_TEST_REDIS_ADDR");
  if (addr == nullptr || *addr == '\0') {
    ADD_FAILURE() << "NRP_TEST_REDIS_ADDR is not set. These tests need a real redis-server: "
                     "scripts/test exports it; by hand run e.g. `redis-server --port 6390 --bind "
                     "127.0.0.1 --save '' --appendonly no --daemonize yes` and "
                     "NRP_TEST_REDIS_ADDR=127.0.0.1:6390";
    return RedisOptions{};
  }
  auto o = RedisOptions::FromAddress(addr);
  if (!o.ok()) {
    ADD_FAILURE() << "NRP_TEST_REDIS_ADDR: " << o.error().ToString();
    return RedisOptions{};
  }
  o->command_timeout = std::chrono::milliseconds(2000);
  o->connect_timeout = std::chrono::milliseconds(2000);
  return *o;
}

std::string UniquePrefix() { return "nrp:test-" + NewUuidV4().substr(0, 8) + ":"; }

void SharedRedisTest::SetUp() {
  if (std::getenv("NRP_TEST_REDIS_ADDR") == nullptr) {
    GTEST_FAIL() << "NRP_TEST_REDIS_ADDR is not set. These tests need a real redis-server: "
                    "scripts/test exports it; by hand start one (redis-server --port 6390 "
                    "--bind 127.0.0.1 --save '' --appendonly no --daemonize yes) and export "
                    "NRP_TEST_REDIS_ADDR=127.0.0.1:6390";
  }
  options_ = SharedRedisOptions();
  prefix_ = UniquePrefix();
  RedisClient probe(options_);
  auto st = probe.Ping();
  ASSERT_TRUE(st.ok()) << "redis at NRP_TEST_REDIS_ADDR does not answer: " << st.error().ToString();
}

int FreePort() {
  int port = 0;
  int fd = ListenLoopback(&port, 1);
  if (fd >= 0) ::close(fd);
  return port;
}

OwnRedisServer::OwnRedisServer() : port_(FreePort()) {}

OwnRedisServer::~OwnRedisServer() { Stop(); }

::testing::AssertionResult OwnRedisServer::Start() {
  Stop();
  const char* bin = std::getenv("NRP_TEST_REDIS_SERVER");
  std::string program = bin != nullptr && *bin != '\0' ? bin : "redis-server";
  std::string port = std::to_string(port_);
  std::vector<std::string> args{program,  "--port",     port,           "--bind",    "127.0.0.1",
                                "--save", "",           "--appendonly", "no",        "--daemonize",
                                "no",     "--loglevel", "warning",      "--logfile", ""};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  int rc = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return ::testing::AssertionFailure()
           << "cannot start " << program << " (set NRP_TEST_REDIS_SERVER): " << std::strerror(rc);
  }
  pid_ = pid;
  RedisOptions o;
  o.port = port_;
  o.initial_backoff = std::chrono::milliseconds(1);
  o.max_backoff = std::chrono::milliseconds(1);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    RedisClient c(o);
    if (c.Ping().ok()) return ::testing::AssertionSuccess();
    int status;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return ::testing::AssertionFailure() << program << " exited during start-up";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return ::testing::AssertionFailure() << program << " did not answer PING within 10 s";
}

void OwnRedisServer::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

SilentServer::SilentServer() { fd_ = ListenLoopback(&port_, 64); }

SilentServer::~SilentServer() {
  if (fd_ >= 0) ::close(fd_);
}

DroppingServer::DroppingServer() {
  fd_ = ListenLoopback(&port_, 64);
  thread_ = std::thread([this] {
    while (!stop_.load()) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      accepted_.fetch_add(1);
      // Wait (bounded) for the command, then hang up without answering.
      pollfd q{c, POLLIN, 0};
      if (::poll(&q, 1, 2000) > 0) {
        char buf[256];
        (void)::recv(c, buf, sizeof buf, 0);
      }
      ::close(c);
    }
  });
}

DroppingServer::~DroppingServer() {
  stop_.store(true);
  thread_.join();
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace nrp::cache::testing
