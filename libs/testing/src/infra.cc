#include "nrp/testing/infra.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <pqxx/pqxx>
#include <sstream>

#include "nrp/core/uuid.h"

namespace nrp::testing {
namespace {

std::string MustEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    std::fprintf(stderr,
                 "%s is not set: integration tests need the infrastructure that scripts/test "
                 "starts (PostgreSQL, Redis, the development broker). Run scripts/test.\n",
                 name);
    std::fflush(stderr);
    std::abort();
  }
  return v;
}

}  // namespace

const Infra& GetInfra() {
  static const Infra infra = [] {
    Infra i;
    i.pg_admin = MustEnv("NRP_TEST_PG_ADMIN");
    i.redis_addr = MustEnv("NRP_TEST_REDIS_ADDR");
    auto colon = i.redis_addr.rfind(':');
    i.redis_host = i.redis_addr.substr(0, colon);
    i.redis_port = std::atoi(i.redis_addr.substr(colon + 1).c_str());
    i.kafka_bootstrap = MustEnv("NRP_TEST_KAFKA_BOOTSTRAP");
    i.broker_control = MustEnv("NRP_TEST_BROKER_CONTROL");
    return i;
  }();
  return infra;
}

std::string ConninfoValue(const std::string& conninfo, const std::string& key) {
  std::istringstream in(conninfo);
  std::string word, value;
  while (in >> word) {
    if (word.rfind(key + "=", 0) == 0) value = word.substr(key.size() + 1);
  }
  return value;
}

TestDatabase::TestDatabase(std::string prefix) {
  const Infra& infra = GetInfra();
  std::string id = NewUuidV4();
  id.erase(std::remove(id.begin(), id.end(), '-'), id.end());
  name_ = prefix + "_" + id.substr(0, 16);
  pqxx::connection admin(infra.pg_admin);
  pqxx::nontransaction tx(admin);
  tx.exec("CREATE DATABASE " + tx.quote_name(name_) + " TEMPLATE nrp_template");
  conninfo_ = infra.pg_admin + " dbname=" + name_;
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(GetInfra().pg_admin);
    pqxx::nontransaction tx(admin);
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dropping test database %s: %s\n", name_.c_str(), e.what());
  }
}

std::string TestDatabase::host() const {
  std::string h = ConninfoValue(GetInfra().pg_admin, "host");
  return h.empty() ? "127.0.0.1" : h;
}

int TestDatabase::port() const {
  std::string p = ConninfoValue(GetInfra().pg_admin, "port");
  return p.empty() ? 5432 : std::atoi(p.c_str());
}

std::string TestDatabase::conninfo_via(const std::string& host, int port) const {
  return conninfo_ + " host=" + host + " port=" + std::to_string(port);
}

TcpProxy::TcpProxy(std::string target_host, int target_port)
    : host_(std::move(target_host)), target_port_(target_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 64) != 0) {
    std::perror("TcpProxy bind/listen");
    std::abort();
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

TcpProxy::~TcpProxy() {
  stop_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  CloseAll();
  std::vector<std::thread> pumps;
  {
    std::lock_guard lock(mu_);
    pumps.swap(pumps_);
  }
  for (auto& t : pumps) t.join();
  {
    std::lock_guard lock(mu_);
    for (int fd : fds_) ::close(fd);
    fds_.clear();
  }
  ::close(listen_fd_);
}

void TcpProxy::CloseAll() {
  std::lock_guard lock(mu_);
  for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
}

void TcpProxy::Cut() {
  cut_ = true;
  CloseAll();
}

void TcpProxy::Restore() { cut_ = false; }

void TcpProxy::AcceptLoop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int client = ::accept(listen_fd_, nullptr, nullptr);
    if (client < 0) continue;
    if (cut_) {
      ::close(client);
      continue;
    }
    int upstream = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(target_port_);
    ::inet_pton(AF_INET, host_ == "localhost" ? "127.0.0.1" : host_.c_str(), &addr.sin_addr);
    if (::connect(upstream, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(upstream);
      ::close(client);
      continue;
    }
    std::lock_guard lock(mu_);
    fds_.push_back(client);
    fds_.push_back(upstream);
    pumps_.emplace_back([this, client, upstream] { Pump(client, upstream); });
    pumps_.emplace_back([this, client, upstream] { Pump(upstream, client); });
  }
}

void TcpProxy::Pump(int from, int to) {
  char buf[16384];
  while (!stop_) {
    pollfd p{from, POLLIN, 0};
    int r = ::poll(&p, 1, 100);
    if (r == 0) continue;
    if (r < 0) break;
    ssize_t n = ::read(from, buf, sizeof buf);
    if (n <= 0 || cut_) break;
    ssize_t off = 0;
    while (off < n) {
      ssize_t w = ::send(to, buf + off, n - off, MSG_NOSIGNAL);
      if (w <= 0) break;
      off += w;
    }
    if (off < n) break;
  }
  ::shutdown(from, SHUT_RDWR);
  ::shutdown(to, SHUT_RDWR);
}

bool WaitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout,
             std::chrono::milliseconds step) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(step);
  }
}

}  // namespace nrp::testing
