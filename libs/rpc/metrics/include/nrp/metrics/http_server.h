// A minimal HTTP/1.x endpoint serving GET /metrics for Prometheus, on plain
// sockets and one thread. Scrapes are rare and small, so connections are
// handled one after another, each bounded by `io_timeout` and
// `max_request_bytes`: a slow or hostile client delays a scrape by at most
// io_timeout and cannot grow memory. Responses close the connection.
//   GET|HEAD /metrics -> 200 text/plain; version=0.0.4
//   other paths       -> 404
//   other methods     -> 405
//   oversized request -> 431
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "nrp/core/status.h"
#include "nrp/metrics/metrics.h"

namespace nrp::metrics {

struct HttpServerOptions {
  // host:port or [v6]:port; port 0 picks a free one (see port()).
  std::string address = "127.0.0.1:9464";
  std::chrono::milliseconds io_timeout{2000};
  size_t max_request_bytes = 8192;
};

class MetricsHttpServer {
 public:
  // Binds and starts serving `registry`. UNAVAILABLE when the address cannot
  // be bound, INVALID_ARGUMENT when it cannot be parsed.
  static Result<std::unique_ptr<MetricsHttpServer>> Start(HttpServerOptions options,
                                                          Registry& registry = Registry::Default());
  ~MetricsHttpServer();
  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  // Stops accepting and joins the thread (at most io_timeout plus 0.5 s).
  void Stop();
  int port() const { return port_; }
  // "127.0.0.1:<port>" with the bound port.
  std::string address() const;

 private:
  MetricsHttpServer(HttpServerOptions options, Registry& registry, int fd, int port,
                    std::string host);
  void Loop();
  void Serve(int fd);

  HttpServerOptions options_;
  Registry& registry_;
  int listen_fd_;
  int port_;
  std::string host_;
  int wake_[2] = {-1, -1};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace nrp::metrics
