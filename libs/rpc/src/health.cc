#include "nrp/rpc/health.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "nrp/core/log.h"

namespace nrp::rpc {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

Status TcpConnect(const std::string& address, std::chrono::milliseconds timeout) {
  std::string host, port;
  if (!address.empty() && address.front() == '[') {
    size_t close = address.find(']');
    if (close == std::string::npos || close + 2 > address.size()) {
      return Error::InvalidArgument("address", "expected [v6addr]:port, got '" + address + "'");
    }
    host = address.substr(1, close - 1);
    port = address.substr(close + 2);
  } else {
    size_t colon = address.rfind(':');
    if (colon == std::string::npos) {
      return Error::InvalidArgument("address", "expected host:port, got '" + address + "'");
    }
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* res = nullptr;
  int gai = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res);
  if (gai != 0) {
    return Error::Unavailable("cannot resolve " + address + ": " + ::gai_strerror(gai));
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last = "no address";
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    int fd =
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      last = std::strerror(errno);
      continue;
    }
    int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd p{fd, POLLOUT, 0};
      int n = left.count() > 0 ? ::poll(&p, 1, static_cast<int>(left.count())) : 0;
      if (n == 1) {
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        rc = err == 0 ? 0 : -1;
        errno = err;
      } else {
        rc = -1;
        errno = ETIMEDOUT;
      }
    }
    int saved = errno;
    ::close(fd);
    if (rc == 0) {
      ::freeaddrinfo(res);
      return Ok();
    }
    last = std::strerror(saved);
  }
  ::freeaddrinfo(res);
  return Error::Unavailable("cannot connect to " + address + ": " + last);
}

}  // namespace

HealthProbe TcpConnectProbe(std::string address, std::chrono::milliseconds timeout) {
  return [address = std::move(address), timeout]() { return TcpConnect(address, timeout); };
}

HealthService::HealthService(HealthProbe probe, std::chrono::milliseconds interval)
    : probe_(std::move(probe)), interval_(interval) {
  if (interval_.count() <= 0) interval_ = std::chrono::milliseconds(1000);
}

HealthService::~HealthService() { Shutdown(); }

void HealthService::AddService(std::string full_name) {
  std::lock_guard lock(mu_);
  services_.insert(std::move(full_name));
}

void HealthService::Start() {
  ProbeOnce();
  std::lock_guard lock(mu_);
  if (!thread_.joinable() && !stop_thread_) thread_ = std::thread([this] { Loop(); });
}

void HealthService::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (!shutdown_) {
      shutdown_ = true;
      ++version_;
    }
    stop_thread_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

bool HealthService::serving() const {
  std::lock_guard lock(mu_);
  return healthy_ && !shutdown_;
}

std::string HealthService::last_problem() const {
  std::lock_guard lock(mu_);
  return problem_;
}

void HealthService::ProbeOnce() {
  Status st = probe_ ? probe_() : Ok();
  std::lock_guard lock(mu_);
  bool now_healthy = st.ok();
  std::string problem = st.ok() ? "" : st.error().ToString();
  if (now_healthy != healthy_ || version_ == 0) {
    if (now_healthy) {
      log::Info("health: SERVING");
    } else {
      log::Warn("health: NOT_SERVING", {{"problem", problem}});
    }
  }
  if (now_healthy != healthy_) ++version_;
  if (version_ == 0) version_ = 1;
  healthy_ = now_healthy;
  problem_ = std::move(problem);
  cv_.notify_all();
}

void HealthService::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_thread_) {
    cv_.wait_for(lock, interval_, [&] { return stop_thread_; });
    if (stop_thread_) break;
    lock.unlock();
    ProbeOnce();
    lock.lock();
  }
}

HealthService::ServingStatus HealthService::StatusOfLocked(const std::string& service) const {
  if (services_.count(service) == 0) return HealthCheckResponse::SERVICE_UNKNOWN;
  return healthy_ && !shutdown_ ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
}

grpc::Status HealthService::Check(grpc::ServerContext*, const HealthCheckRequest* request,
                                  HealthCheckResponse* response) {
  std::lock_guard lock(mu_);
  ServingStatus s = StatusOfLocked(request->service());
  if (s == HealthCheckResponse::SERVICE_UNKNOWN) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "unknown service '" + request->service() + "'");
  }
  response->set_status(s);
  return grpc::Status::OK;
}

grpc::Status HealthService::Watch(grpc::ServerContext* context, const HealthCheckRequest* request,
                                  grpc::ServerWriter<HealthCheckResponse>* writer) {
  std::unique_lock lock(mu_);
  bool sent_any = false;
  ServingStatus last = HealthCheckResponse::UNKNOWN;
  uint64_t seen = 0;
  for (;;) {
    ServingStatus s = StatusOfLocked(request->service());
    seen = version_;
    bool done = shutdown_;
    if (!sent_any || s != last) {
      lock.unlock();
      HealthCheckResponse r;
      r.set_status(s);
      if (!writer->Write(r)) {
        return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
      }
      lock.lock();
      sent_any = true;
      last = s;
    }
    if (done) return grpc::Status::OK;
    // Wake on a change, on drain, or every second to notice a client that left.
    cv_.wait_for(lock, std::chrono::seconds(1), [&] { return version_ != seen || shutdown_; });
    if (context->IsCancelled()) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
    }
  }
}

}  // namespace nrp::rpc
