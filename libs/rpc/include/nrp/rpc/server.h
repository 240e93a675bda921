// The gRPC server every service runs: listen address, optional TLS and mutual
// TLS, message size limit, health, reflection, the chassis interceptor
// (auth, logs, metrics), the /metrics endpoint and a graceful drain.
//
//   nrp::Env env;
//   auto options = nrp::rpc::ServerOptions::FromEnv(env, 50051, 9464);
//   auto auth = nrp::rpc::MakeAuthenticatorFromEnv(env);
//   // env.Check() reports every bad variable at once
//   nrp::rpc::Server server(options, *auth, db_ping_probe);
//   server.AddService(&registration, "nrp.registration.v1.RegistrationService");
//   return server.Run();  // until SIGTERM/SIGINT, then drain
//
// Drain: health turns NOT_SERVING (Watch streams end), the server stops
// accepting calls (listeners close, GOAWAY on open connections), in-flight
// calls get up to NRP_DRAIN_TIMEOUT to finish and are cancelled after it,
// then the metrics endpoint stops and Run returns.
//
// Signals: Run installs SIGTERM/SIGINT handlers that only write one byte to a
// pipe (async-signal-safe); Run waits on that pipe. The previous handlers are
// restored as soon as a signal arrived, so a second SIGTERM/SIGINT during the
// drain has its default effect (ends the process at once).
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "nrp/core/config.h"
#include "nrp/core/status.h"
#include "nrp/metrics/http_server.h"
#include "nrp/rpc/auth.h"
#include "nrp/rpc/health.h"
#include "nrp/rpc/interceptor.h"

namespace nrp::rpc {

struct ServerOptions {
  std::string address = "127.0.0.1:50051";  // NRP_GRPC_ADDR
  std::string tls_cert_file;                // NRP_TLS_CERT (PEM chain)
  std::string tls_key_file;                 // NRP_TLS_KEY
  std::string tls_client_ca_file;           // NRP_TLS_CLIENT_CA: require and verify client certs
  bool allow_plaintext = false;             // NRP_ALLOW_PLAINTEXT: plaintext off loopback
  int64_t max_message_bytes = 4 << 20;      // NRP_GRPC_MAX_MESSAGE_BYTES
  std::string metrics_address;              // NRP_METRICS_ADDR; "" or "off" disables
  std::chrono::milliseconds drain_timeout{20000};   // NRP_DRAIN_TIMEOUT
  std::chrono::milliseconds health_interval{1000};  // NRP_HEALTH_INTERVAL
  std::string error_domain = "nrp";                 // ErrorInfo.domain, e.g. "registration.nrp"

  // Defaults: NRP_GRPC_ADDR=127.0.0.1:<grpc_port>,
  // NRP_METRICS_ADDR=127.0.0.1:<metrics_port>, 4 MiB, 20s, 1s. Problems are
  // recorded in `env` (Env::Check); consistency (a certificate without its
  // key, plaintext off loopback) is checked by Server::Start.
  static ServerOptions FromEnv(Env& env, int grpc_port, int metrics_port);
};

// True for 127.0.0.0/8, ::1, localhost and unix sockets.
bool IsLoopbackAddress(std::string_view address);

class Server {
 public:
  // `authenticator` may be null only for servers whose every method is public.
  Server(ServerOptions options, std::shared_ptr<const Authenticator> authenticator,
         HealthProbe probe);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Registers a service (before Start). `full_name` is the proto service name,
  // e.g. "nrp.registration.v1.RegistrationService"; it is what health reports
  // and what metrics label. The service must outlive the server.
  Status AddService(grpc::Service* service, std::string full_name);
  // Methods whose full name ("/pkg.Service/Method") starts with `prefix` need
  // no token. Health and reflection are public already.
  void AllowUnauthenticated(std::string prefix);

  // Validates the options, binds, starts health probing and the metrics
  // endpoint. INVALID_ARGUMENT for bad options (naming the variable),
  // UNAVAILABLE when the address cannot be bound.
  Status Start();
  // Start()s if needed, blocks until SIGTERM/SIGINT or RequestStop(), drains,
  // returns. Only one Run at a time per process (signals are per process).
  Status Run();
  // Makes Run return after a drain; callable from any thread.
  void RequestStop();
  // Drains now (Run does this itself). Idempotent.
  void Drain();

  int port() const { return port_; }
  int metrics_port() const { return metrics_ ? metrics_->port() : 0; }
  // "127.0.0.1:<port>" usable by clients.
  std::string target() const;
  bool draining() const { return draining_.load(); }
  // True once Run installed its signal handlers (tests raise signals after it).
  bool waiting_for_signal() const { return waiting_for_signal_.load(); }
  HealthService& health() { return health_; }

 private:
  Result<std::shared_ptr<grpc::ServerCredentials>> Credentials() const;

  ServerOptions options_;
  std::shared_ptr<const Authenticator> authenticator_;
  HealthService health_;
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  std::vector<std::string> public_prefixes_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<metrics::MetricsHttpServer> metrics_;
  int port_ = 0;
  int stop_pipe_[2] = {-1, -1};
  std::atomic<bool> started_{false};
  std::atomic<bool> draining_{false};
  std::atomic<bool> drained_{false};
  std::atomic<bool> waiting_for_signal_{false};
  std::mutex drain_mu_;
};

}  // namespace nrp::rpc
