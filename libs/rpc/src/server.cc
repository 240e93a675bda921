#include "nrp/rpc/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>

#include "nrp/core/log.h"

namespace nrp::rpc {
namespace {

constexpr const char* kHealthService = "grpc.health.v1.Health";
constexpr const char* kReflectionService = "grpc.reflection.v1alpha.ServerReflection";

// The self-pipe the signal handler writes to. Process-wide, like signals.
int g_signal_pipe[2] = {-1, -1};
std::once_flag g_signal_pipe_once;
std::atomic<bool> g_run_active{false};

extern "C" void OnTerminationSignal(int signo) {
  int saved = errno;
  unsigned char b = static_cast<unsigned char>(signo);
  ssize_t n = ::write(g_signal_pipe[1], &b, 1);  // async-signal-safe; a full pipe is fine
  (void)n;
  errno = saved;
}

void DrainPipe(int fd) {
  unsigned char buf[64];
  while (::read(fd, buf, sizeof buf) > 0) {
  }
}

std::string HostOf(std::string_view address) {
  if (address.starts_with("dns:///")) address.remove_prefix(7);
  if (address.starts_with("ipv4:") || address.starts_with("ipv6:")) address.remove_prefix(5);
  if (!address.empty() && address.front() == '[') {
    size_t close = address.find(']');
    return std::string(address.substr(1, close == std::string_view::npos ? 0 : close - 1));
  }
  size_t colon = address.rfind(':');
  return std::string(colon == std::string_view::npos ? address : address.substr(0, colon));
}

Result<std::string> ReadFile(const std::string& path, const char* variable) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::InvalidArgument(variable, "cannot read '" + path + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Checks that the PEM files parse and that the key belongs to the certificate,
// so a mistake is reported by variable name instead of a TLS handshake failure.
Status CheckKeyPair(const std::string& cert_pem, const std::string& key_pem,
                    const std::string& ca_pem) {
  BIO* cb = BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size()));
  X509* cert = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
  BIO_free(cb);
  if (cert == nullptr) return Error::InvalidArgument("NRP_TLS_CERT", "holds no PEM certificate");
  BIO* kb = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
  BIO_free(kb);
  if (key == nullptr) {
    X509_free(cert);
    return Error::InvalidArgument("NRP_TLS_KEY", "holds no unencrypted PEM private key");
  }
  bool match = X509_check_private_key(cert, key) == 1;
  EVP_PKEY_free(key);
  X509_free(cert);
  if (!match) return Error::InvalidArgument("NRP_TLS_KEY", "does not match NRP_TLS_CERT");
  if (!ca_pem.empty()) {
    BIO* ab = BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size()));
    X509* ca = PEM_read_bio_X509(ab, nullptr, nullptr, nullptr);
    BIO_free(ab);
    if (ca == nullptr) {
      return Error::InvalidArgument("NRP_TLS_CLIENT_CA", "holds no PEM certificate");
    }
    X509_free(ca);
  }
  return Ok();
}

}  // namespace

bool IsLoopbackAddress(std::string_view address) {
  if (address.starts_with("unix:") || address.starts_with("unix-abstract:")) return true;
  std::string host = HostOf(address);
  if (host == "localhost") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    if (IN6_IS_ADDR_V4MAPPED(&v6)) return v6.s6_addr[12] == 127;
  }
  return false;
}

ServerOptions ServerOptions::FromEnv(Env& env, int grpc_port, int metrics_port) {
  ServerOptions o;
  o.address = env.String("NRP_GRPC_ADDR", "127.0.0.1:" + std::to_string(grpc_port));
  o.tls_cert_file = env.String("NRP_TLS_CERT", "");
  o.tls_key_file = env.String("NRP_TLS_KEY", "");
  o.tls_client_ca_file = env.String("NRP_TLS_CLIENT_CA", "");
  o.allow_plaintext = env.Bool("NRP_ALLOW_PLAINTEXT", false);
  o.max_message_bytes = env.Int("NRP_GRPC_MAX_MESSAGE_BYTES", 4 << 20, 1024, int64_t{1} << 30);
  o.metrics_address = env.String("NRP_METRICS_ADDR", "127.0.0.1:" + std::to_string(metrics_port));
  o.drain_timeout = env.Duration("NRP_DRAIN_TIMEOUT", std::chrono::seconds(20));
  o.health_interval = env.Duration("NRP_HEALTH_INTERVAL", std::chrono::seconds(1));
  return o;
}

Server::Server(ServerOptions options, std::shared_ptr<const Authenticator> authenticator,
               HealthProbe probe)
    : options_(std::move(options)),
      authenticator_(std::move(authenticator)),
      health_(std::move(probe), options_.health_interval),
      public_prefixes_{"/grpc.health.v1.Health/", "/grpc.reflection.v1alpha.ServerReflection/",
                       "/grpc.reflection.v1.ServerReflection/"} {
  if (::pipe2(stop_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    stop_pipe_[0] = stop_pipe_[1] = -1;
  }
}

Server::~Server() {
  if (started_.load()) Drain();
  for (int fd : stop_pipe_) {
    if (fd >= 0) ::close(fd);
  }
}

Status Server::AddService(grpc::Service* service, std::string full_name) {
  if (started_.load()) return Error(Code::kFailedPrecondition, "AddService after Start");
  if (service == nullptr || full_name.empty()) {
    return Error::InvalidArgument("service", "a service and its full name are required");
  }
  services_.emplace_back(service, std::move(full_name));
  return Ok();
}

void Server::AllowUnauthenticated(std::string prefix) {
  public_prefixes_.push_back(std::move(prefix));
}

std::string Server::target() const {
  std::string host = HostOf(options_.address);
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return host + ":" + std::to_string(port_);
}

Result<std::shared_ptr<grpc::ServerCredentials>> Server::Credentials() const {
  const auto& o = options_;
  bool tls = !o.tls_cert_file.empty() || !o.tls_key_file.empty();
  if (!tls) {
    if (!o.tls_client_ca_file.empty()) {
      return Error::InvalidArgument("NRP_TLS_CLIENT_CA",
                                    "mutual TLS needs NRP_TLS_CERT and NRP_TLS_KEY too");
    }
    if (!IsLoopbackAddress(o.address) && !o.allow_plaintext) {
      return Error::InvalidArgument(
          "NRP_GRPC_ADDR",
          "refusing plaintext gRPC on non-loopback address " + o.address +
              ": set NRP_TLS_CERT and NRP_TLS_KEY, or NRP_ALLOW_PLAINTEXT=true where the "
              "network itself is trusted (plaintext is only for loopback, architecture §6)");
    }
    return grpc::InsecureServerCredentials();
  }
  if (o.tls_cert_file.empty()) {
    return Error::InvalidArgument("NRP_TLS_CERT", "is required when NRP_TLS_KEY is set");
  }
  if (o.tls_key_file.empty()) {
    return Error::InvalidArgument("NRP_TLS_KEY", "is required when NRP_TLS_CERT is set");
  }
  NRP_ASSIGN_OR_RETURN(std::string cert, ReadFile(o.tls_cert_file, "NRP_TLS_CERT"));
  NRP_ASSIGN_OR_RETURN(std::string key, ReadFile(o.tls_key_file, "NRP_TLS_KEY"));
  std::string ca;
  if (!o.tls_client_ca_file.empty()) {
    NRP_ASSIGN_OR_RETURN(ca, ReadFile(o.tls_client_ca_file, "NRP_TLS_CLIENT_CA"));
  }
  NRP_RETURN_IF_ERROR(CheckKeyPair(cert, key, ca));
  grpc::SslServerCredentialsOptions ssl(
      ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                 : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = ca;
  ssl.pem_key_cert_pairs.push_back({key, cert});
  return grpc::SslServerCredentials(ssl);
}

Status Server::Start() {
  if (started_.load()) return Ok();
  if (options_.max_message_bytes < 1024 || options_.max_message_bytes > (int64_t{1} << 30)) {
    return Error::InvalidArgument("NRP_GRPC_MAX_MESSAGE_BYTES", "must be in 1024..1073741824");
  }
  if (options_.drain_timeout.count() < 0) {
    return Error::InvalidArgument("NRP_DRAIN_TIMEOUT", "must not be negative");
  }
  NRP_ASSIGN_OR_RETURN(auto credentials, Credentials());

  static std::once_flag reflection_once;
  std::call_once(reflection_once,
                 [] { grpc::reflection::InitProtoReflectionServerBuilderPlugin(); });

  auto config = std::make_shared<InterceptorConfig>();
  config->authenticator = authenticator_;
  config->public_method_prefixes = public_prefixes_;
  config->known_services = {kHealthService, kReflectionService};
  for (const auto& [service, name] : services_) {
    config->known_services.insert(name);
    health_.AddService(name);
  }
  health_.Start();

  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.address, credentials, &port_);
  builder.SetMaxReceiveMessageSize(static_cast<int>(options_.max_message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(options_.max_message_bytes));
  builder.RegisterService(&health_);
  for (const auto& [service, name] : services_) builder.RegisterService(service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<ChassisInterceptorFactory>(config));
  builder.experimental().SetInterceptorCreators(std::move(factories));
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    server_.reset();
    health_.Shutdown();
    return Error::Unavailable("gRPC server cannot listen on " + options_.address +
                              " (address in use or not local?)");
  }

  std::string metrics_addr = options_.metrics_address;
  if (!metrics_addr.empty() && metrics_addr != "off") {
    metrics::HttpServerOptions mo;
    mo.address = metrics_addr;
    auto m = metrics::MetricsHttpServer::Start(mo);
    if (!m.ok()) {
      server_->Shutdown(std::chrono::system_clock::now());
      server_->Wait();
      server_.reset();
      health_.Shutdown();
      return Error(m.error().code(), "NRP_METRICS_ADDR: " + m.error().message());
    }
    metrics_ = std::move(*m);
  }
  started_.store(true);
  bool tls = !options_.tls_cert_file.empty();
  log::Info("gRPC server listening",
            {{"address", options_.address},
             {"port", port_},
             {"transport", !tls                                  ? "plaintext"
                           : options_.tls_client_ca_file.empty() ? "tls"
                                                                 : "mtls"},
             {"auth", authenticator_ ? std::string(authenticator_->mode()) : std::string("none")},
             {"services", static_cast<int64_t>(services_.size())},
             {"health", health_.serving() ? "SERVING" : "NOT_SERVING"}});
  return Ok();
}

void Server::RequestStop() {
  if (stop_pipe_[1] >= 0) {
    char b = 1;
    ssize_t n = ::write(stop_pipe_[1], &b, 1);
    (void)n;
  }
}

Status Server::Run() {
  NRP_RETURN_IF_ERROR(Start());
  if (g_run_active.exchange(true)) {
    return Error(Code::kFailedPrecondition, "another Server::Run is active in this process");
  }
  std::call_once(g_signal_pipe_once, [] {
    if (::pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
      g_signal_pipe[0] = g_signal_pipe[1] = -1;
    }
  });
  if (g_signal_pipe[0] < 0 || stop_pipe_[0] < 0) {
    g_run_active.store(false);
    return Error::Internal(std::string("cannot create the signal pipe: ") + std::strerror(errno));
  }
  DrainPipe(g_signal_pipe[0]);

  struct sigaction action {};
  action.sa_handler = OnTerminationSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  struct sigaction old_term {
  }, old_int{};
  ::sigaction(SIGTERM, &action, &old_term);
  ::sigaction(SIGINT, &action, &old_int);
  waiting_for_signal_.store(true);

  std::string reason;
  while (reason.empty()) {
    pollfd p[2] = {{g_signal_pipe[0], POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    int n = ::poll(p, 2, 1000);
    if (n < 0 && errno != EINTR) {
      reason = std::string("poll failed: ") + std::strerror(errno);
    } else if (n > 0 && (p[0].revents & POLLIN)) {
      unsigned char signo = 0;
      if (::read(g_signal_pipe[0], &signo, 1) == 1) {
        reason = signo == SIGINT ? "SIGINT" : "SIGTERM";
      }
    } else if (n > 0 && (p[1].revents & POLLIN)) {
      DrainPipe(stop_pipe_[0]);
      reason = "stop requested";
    }
  }
  ::sigaction(SIGTERM, &old_term, nullptr);
  ::sigaction(SIGINT, &old_int, nullptr);
  waiting_for_signal_.store(false);
  log::Info("shutting down", {{"reason", reason}});
  Drain();
  g_run_active.store(false);
  return Ok();
}

void Server::Drain() {
  std::lock_guard lock(drain_mu_);
  if (drained_.load() || !started_.load()) return;
  draining_.store(true);
  auto begin = std::chrono::steady_clock::now();
  log::Info("draining", {{"timeout_ms", static_cast<int64_t>(options_.drain_timeout.count())}});
  health_.Shutdown();
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now() + options_.drain_timeout);
    server_->Wait();
  }
  if (metrics_) metrics_->Stop();
  drained_.store(true);
  log::Info("drained", {{"duration_ms",
                         static_cast<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  std::chrono::steady_clock::now() - begin)
                                                  .count())}});
}

}  // namespace nrp::rpc
