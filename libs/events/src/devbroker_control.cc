#include "nrp/events/devbroker_control.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nrp::events {
namespace {

using Clock = std::chrono::steady_clock;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::string BrokerArg(int broker_id) {
  return broker_id == DevBrokerControl::kAllBrokers ? "all" : std::to_string(broker_id);
}

nrp::Status IgnoreReply(Result<std::string> reply) {
  if (!reply.ok()) return std::move(reply.error());
  return Ok();
}

}  // namespace

DevBrokerControl::DevBrokerControl(std::string socket_path, std::chrono::milliseconds timeout)
    : path_(std::move(socket_path)), timeout_(timeout) {}

Result<std::string> DevBrokerControl::Send(std::string_view command) const {
  const std::string what = "devbroker control " + path_;
  if (command.find('\n') != std::string_view::npos) {
    return Error::InvalidArgument("command", "must be one line");
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path_.size() >= sizeof(addr.sun_path)) {
    return Error::InvalidArgument("socket_path", "longer than a unix socket path may be");
  }
  std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (fd.get() < 0) return Error::Unavailable(what + ": socket: " + std::strerror(errno));
  const auto deadline = Clock::now() + timeout_;
  // A unix socket connects at once, or fails with EAGAIN while the listener's
  // backlog is full: retry that until the deadline.
  while (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    if (errno == EINTR) continue;
    if (errno != EAGAIN || RemainingMs(deadline) == 0) {
      return Error::Unavailable(what + ": connect: " + std::strerror(errno));
    }
    ::poll(nullptr, 0, 10);
  }
  std::string out(command);
  out += '\n';
  size_t sent = 0;
  while (sent < out.size()) {
    pollfd p{fd.get(), POLLOUT, 0};
    int n = ::poll(&p, 1, RemainingMs(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::Unavailable(what + ": timed out sending the command");
    ssize_t w = ::send(fd.get(), out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return Error::Unavailable(what + ": send: " + std::strerror(errno));
    }
    sent += static_cast<size_t>(w);
  }
  std::string reply;
  while (reply.find('\n') == std::string::npos) {
    pollfd p{fd.get(), POLLIN, 0};
    int n = ::poll(&p, 1, RemainingMs(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::Unavailable(what + ": no reply within the timeout");
    char buf[1024];
    ssize_t r = ::recv(fd.get(), buf, sizeof buf, 0);
    if (r < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return Error::Unavailable(what + ": recv: " + std::strerror(errno));
    }
    if (r == 0) break;
    reply.append(buf, static_cast<size_t>(r));
    if (reply.size() > 64 * 1024) return Error::Internal(what + ": reply too long");
  }
  if (auto nl = reply.find('\n'); nl != std::string::npos) {
    reply.resize(nl);
  } else {
    return Error::Unavailable(what + ": connection closed before a full reply");
  }
  if (reply == "ok") return std::string();
  if (reply.rfind("ok ", 0) == 0) return reply.substr(3);
  if (reply.rfind("error", 0) == 0) {
    std::string text = reply.size() > 6 ? reply.substr(6) : std::string("unspecified");
    return Error(Code::kFailedPrecondition, "devbroker: " + text);
  }
  return Error::Internal(what + ": unexpected reply '" + reply + "'");
}

nrp::Status DevBrokerControl::Down(int broker_id) const {
  return IgnoreReply(Send("down " + BrokerArg(broker_id)));
}

nrp::Status DevBrokerControl::Up(int broker_id) const {
  return IgnoreReply(Send("up " + BrokerArg(broker_id)));
}

nrp::Status DevBrokerControl::SetRtt(int broker_id, int ms) const {
  return IgnoreReply(Send("rtt " + BrokerArg(broker_id) + " " + std::to_string(ms)));
}

nrp::Status DevBrokerControl::CreateTopic(std::string_view name, int partitions) const {
  return IgnoreReply(Send("create-topic " + std::string(name) + " " + std::to_string(partitions)));
}

}  // namespace nrp::events
