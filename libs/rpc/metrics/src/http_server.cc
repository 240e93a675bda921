#include "nrp/metrics/http_server.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "nrp/core/log.h"

namespace nrp::metrics {
namespace {

using SteadyClock = std::chrono::steady_clock;

int RemainingMs(SteadyClock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

bool WriteAll(int fd, std::string_view data, SteadyClock::time_point deadline) {
  while (!data.empty()) {
    pollfd p{fd, POLLOUT, 0};
    int ms = RemainingMs(deadline);
    if (ms == 0 || ::poll(&p, 1, ms) <= 0) return false;
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string Response(int status, std::string_view reason, std::string_view content_type,
                     std::string_view body, bool head, std::string_view extra_headers = {}) {
  std::string r = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) + "\r\n";
  r += "Content-Type: ";
  r += content_type;
  r += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  r += extra_headers;
  r += "Connection: close\r\n\r\n";
  if (!head) r += body;
  return r;
}

Result<std::pair<std::string, std::string>> SplitHostPort(const std::string& address) {
  std::string host, port;
  if (!address.empty() && address.front() == '[') {
    size_t close = address.find(']');
    if (close == std::string::npos || close + 1 >= address.size() || address[close + 1] != ':') {
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
  int p = -1;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (ec != std::errc() || end != port.data() + port.size() || p < 0 || p > 65535) {
    return Error::InvalidArgument("address", "bad port in '" + address + "'");
  }
  if (host.empty()) host = "0.0.0.0";
  return std::make_pair(host, port);
}

}  // namespace

Result<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(HttpServerOptions options,
                                                                    Registry& registry) {
  NRP_ASSIGN_OR_RETURN(auto hp, SplitHostPort(options.address));
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  int gai = ::getaddrinfo(hp.first.c_str(), hp.second.c_str(), &hints, &res);
  if (gai != 0) {
    return Error::InvalidArgument(
        "address", "cannot resolve '" + options.address + "': " + ::gai_strerror(gai));
  }
  std::string last_error = "no usable address";
  int fd = -1;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) {
      last_error = std::strerror(errno);
      continue;
    }
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 16) == 0) break;
    last_error = std::strerror(errno);
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(res);
  if (fd < 0) {
    return Error::Unavailable("metrics endpoint cannot listen on " + options.address + ": " +
                              last_error);
  }
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  int port = ss.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port)
                                      : ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  std::unique_ptr<MetricsHttpServer> server(
      new MetricsHttpServer(std::move(options), registry, fd, port, hp.first));
  if (::pipe2(server->wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
    return Error::Internal(std::string("metrics endpoint: pipe: ") + std::strerror(errno));
  }
  server->thread_ = std::thread([s = server.get()] { s->Loop(); });
  log::Info("metrics endpoint listening", {{"address", server->address()}});
  return server;
}

MetricsHttpServer::MetricsHttpServer(HttpServerOptions options, Registry& registry, int fd,
                                     int port, std::string host)
    : options_(std::move(options)),
      registry_(registry),
      listen_fd_(fd),
      port_(port),
      host_(std::move(host)) {}

MetricsHttpServer::~MetricsHttpServer() {
  Stop();
  for (int fd : wake_) {
    if (fd >= 0) ::close(fd);
  }
}

std::string MetricsHttpServer::address() const {
  if (host_.find(':') != std::string::npos) return "[" + host_ + "]:" + std::to_string(port_);
  return host_ + ":" + std::to_string(port_);
}

void MetricsHttpServer::Stop() {
  if (stop_.exchange(true)) return;
  if (wake_[1] >= 0) {
    char b = 1;
    (void)!::write(wake_[1], &b, 1);
  }
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
}

void MetricsHttpServer::Loop() {
  while (!stop_.load()) {
    pollfd p[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    int n = ::poll(p, 2, 500);
    if (n <= 0) continue;
    if (p[1].revents != 0) break;
    int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (c < 0) {
      if (errno == EMFILE || errno == ENFILE) {
        // Out of descriptors: back off instead of spinning on the ready listener.
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      continue;
    }
    Serve(c);
    ::close(c);
  }
}

namespace {

// Half-closes and discards what the client still sends (bounded), so that
// closing with unread input does not reset the connection and destroy the
// response before the client read it.
void LingeringClose(int fd, SteadyClock::time_point deadline) {
  ::shutdown(fd, SHUT_WR);
  char buf[1024];
  size_t discarded = 0;
  while (discarded < 64 * 1024) {
    pollfd p{fd, POLLIN, 0};
    int ms = RemainingMs(deadline);
    if (ms == 0 || ::poll(&p, 1, ms) <= 0) return;
    ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0) return;
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
      return;
    }
    discarded += static_cast<size_t>(n);
  }
}

}  // namespace

void MetricsHttpServer::Serve(int fd) {
  auto deadline = SteadyClock::now() + options_.io_timeout;
  std::string request;
  char buf[1024];
  bool complete = false;
  while (!complete) {
    pollfd p{fd, POLLIN, 0};
    int ms = RemainingMs(deadline);
    if (ms == 0 || ::poll(&p, 1, ms) <= 0) return;  // timed out: just hang up
    ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0) return;
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
      return;
    }
    request.append(buf, static_cast<size_t>(n));
    complete =
        request.find("\r\n\r\n") != std::string::npos || request.find("\n\n") != std::string::npos;
    if (!complete && request.size() > options_.max_request_bytes) {
      WriteAll(fd,
               Response(431, "Request Header Fields Too Large", "text/plain", "request too large\n",
                        false),
               deadline);
      LingeringClose(fd, deadline);
      return;
    }
  }
  std::string_view line(request);
  line = line.substr(0, line.find_first_of("\r\n"));
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos) {
    WriteAll(fd, Response(400, "Bad Request", "text/plain", "bad request\n", false), deadline);
    return;
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  target = target.substr(0, target.find('?'));
  bool head = method == "HEAD";
  if (method != "GET" && !head) {
    WriteAll(fd,
             Response(405, "Method Not Allowed", "text/plain", "use GET\n", false,
                      "Allow: GET, HEAD\r\n"),
             deadline);
    return;
  }
  if (target != "/metrics") {
    WriteAll(fd, Response(404, "Not Found", "text/plain", "not found; try /metrics\n", head),
             deadline);
    return;
  }
  WriteAll(fd, Response(200, "OK", kContentType, registry_.Render(), head), deadline);
}

}  // namespace nrp::metrics
