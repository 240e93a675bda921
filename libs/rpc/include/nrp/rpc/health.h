// grpc.health.v1.Health backed by a probe of what the service needs (its
// database). The status of "" and of every registered service is SERVING only
// while the last probe succeeded and the server is not draining; a background
// thread re-probes every interval and Watch streams each change.
//   Check(unknown service)  -> NOT_FOUND
//   Watch(unknown service)  -> one SERVICE_UNKNOWN message, then the stream
//                              stays open (as the protocol says) until the
//                              client leaves or the server drains
// The probe must bound its own duration (a connect or statement timeout); the
// probe thread waits for it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "nrp/core/status.h"

namespace nrp::rpc {

using HealthProbe = std::function<Status()>;

// A probe that succeeds when a TCP connection to host:port opens within
// `timeout` (e.g. PostgreSQL, Redis or a broker reachable).
HealthProbe TcpConnectProbe(std::string address, std::chrono::milliseconds timeout);

class HealthService final : public grpc::health::v1::Health::Service {
 public:
  // A null probe always succeeds.
  HealthService(HealthProbe probe, std::chrono::milliseconds interval);
  ~HealthService() override;

  // Service names reported besides "" (call before Start).
  void AddService(std::string full_name);
  // Probes once (so the first answer is real), then keeps probing.
  void Start();
  // Everything NOT_SERVING for good, Watch streams end, the probe thread stops.
  void Shutdown();

  bool serving() const;
  // The last probe failure ("" while healthy).
  std::string last_problem() const;

  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override;
  grpc::Status Watch(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override;

 private:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;
  void ProbeOnce();
  void Loop();
  // Caller holds mu_.
  ServingStatus StatusOfLocked(const std::string& service) const;

  HealthProbe probe_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::string> services_{""};
  bool healthy_ = false;
  bool shutdown_ = false;
  bool stop_thread_ = false;
  uint64_t version_ = 0;  // bumped on every change, wakes Watch streams
  std::string problem_ = "not probed yet";
  std::thread thread_;
};

}  // namespace nrp::rpc
