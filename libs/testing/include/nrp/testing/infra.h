// What integration tests need from the infrastructure scripts/test starts:
// PostgreSQL+PostGIS, Redis and the development Kafka broker, all on loopback.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace nrp::testing {

struct Infra {
  // libpq key=value conninfo of a superuser on the test cluster (NRP_TEST_PG_ADMIN).
  std::string pg_admin;
  // host:port of redis-server (NRP_TEST_REDIS_ADDR).
  std::string redis_addr;
  std::string redis_host;
  int redis_port = 0;
  // Kafka bootstrap list of the development broker (NRP_TEST_KAFKA_BOOTSTRAP).
  std::string kafka_bootstrap;
  // The development broker's control socket (NRP_TEST_BROKER_CONTROL).
  std::string broker_control;
};

// Reads the NRP_TEST_* variables; a missing one aborts the test binary with a
// message saying to run the suite through scripts/test.
const Infra& GetInfra();

// A fresh database cloned from the template `nrp_template` (PostGIS enabled),
// dropped when the object goes away.
class TestDatabase {
 public:
  explicit TestDatabase(std::string prefix = "t");
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  // Conninfo for the new database.
  const std::string& conninfo() const { return conninfo_; }
  // Conninfo for the new database through another host/port (e.g. a TcpProxy).
  std::string conninfo_via(const std::string& host, int port) const;
  // Host and port of the real server.
  std::string host() const;
  int port() const;

 private:
  std::string name_;
  std::string conninfo_;
};

// A loopback TCP proxy to host:port. Cut() drops every open connection and
// refuses new ones — an outage as a client sees it — until Restore().
class TcpProxy {
 public:
  TcpProxy(std::string target_host, int target_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }
  void Cut();
  void Restore();
  bool cut() const { return cut_.load(); }

 private:
  struct Link;
  void AcceptLoop();
  void Pump(int from, int to);
  void CloseAll();

  std::string host_;
  int target_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> cut_{false};
  std::mutex mu_;
  std::vector<int> fds_;
  std::vector<std::thread> pumps_;
  std::thread acceptor_;
};

// Polls `pred` every `step` until it holds or `timeout` passes.
bool WaitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout,
             std::chrono::milliseconds step = std::chrono::milliseconds(20));

// A value of the conninfo keyword (e.g. "port") or "".
std::string ConninfoValue(const std::string& conninfo, const std::string& key);

}  // namespace nrp::testing
