#include "nrp/cache/redis_client.h"

#include <hiredis/hiredis.h>
#include <openssl/evp.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <random>
#include <thread>

#include "nrp/core/log.h"

namespace nrp::cache {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string Upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

Reply Convert(const redisReply* r) {
  switch (r->type) {
    case REDIS_REPLY_STRING:
      return Reply::String(std::string(r->str, r->len));
    case REDIS_REPLY_STATUS:
      return Reply::Status(std::string(r->str, r->len));
    case REDIS_REPLY_ERROR:
      return Reply::ErrorReply(std::string(r->str, r->len));
    case REDIS_REPLY_INTEGER:
      return Reply::Integer(r->integer);
    case REDIS_REPLY_ARRAY: {
      std::vector<Reply> elements;
      elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) elements.push_back(Convert(r->element[i]));
      return Reply::Array(std::move(elements));
    }
    default:
      return Reply::Nil();
  }
}

bool IsTimeoutErrno(int err) { return err == EAGAIN || err == EWOULDBLOCK || err == ETIMEDOUT; }

bool IsTimeoutText(const char* text) {
  return std::strcmp(text, std::strerror(EAGAIN)) == 0 ||
         std::strcmp(text, std::strerror(ETIMEDOUT)) == 0;
}

// True when the server closed the idle connection (or sent something nobody
// asked for): the socket is readable before any command was written.
bool LooksClosed(int fd) {
  pollfd p{fd, POLLIN, 0};
  int n = ::poll(&p, 1, 0);
  if (n == 0) return false;
  if (n < 0) return errno != EINTR;
  if (p.revents & (POLLERR | POLLNVAL)) return true;
  char byte;
  ssize_t got = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (got == 0) return true;                                    // orderly close
  if (got < 0) return errno != EAGAIN && errno != EWOULDBLOCK;  // reset
  return true;  // unsolicited bytes: the protocol stream is out of step
}

Result<std::pair<std::string, int>> SplitHostPort(std::string_view address) {
  std::string_view host, port;
  if (!address.empty() && address.front() == '[') {
    size_t close = address.find(']');
    if (close == std::string_view::npos || close + 1 >= address.size() ||
        address[close + 1] != ':') {
      return Error::InvalidArgument("redis address",
                                    "expected [v6addr]:port, got '" + std::string(address) + "'");
    }
    host = address.substr(1, close - 1);
    port = address.substr(close + 2);
  } else {
    size_t colon = address.rfind(':');
    if (colon == std::string_view::npos) {
      return Error::InvalidArgument("redis address",
                                    "expected host:port, got '" + std::string(address) + "'");
    }
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
  }
  int p = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (host.empty() || ec != std::errc() || end != port.data() + port.size() || p < 1 || p > 65535) {
    return Error::InvalidArgument(
        "redis address",
        "expected host:port with a port in 1..65535, got '" + std::string(address) + "'");
  }
  return std::make_pair(std::string(host), p);
}

}  // namespace

bool IsIdempotentCommand(const std::vector<std::string>& argv) {
  if (argv.empty()) return false;
  std::string name = Upper(argv[0]);
  static const char* const kSafe[] = {
      "GET",    "MGET",     "EXISTS", "TTL",       "PTTL",   "TYPE",    "STRLEN",
      "PING",   "ECHO",     "TIME",   "HGET",      "HMGET",  "HGETALL", "HEXISTS",
      "HLEN",   "SMEMBERS", "SCARD",  "SISMEMBER", "ZSCORE", "ZRANGE",  "ZCARD",
      "LRANGE", "LLEN",     "DBSIZE", "INFO",      "EXPIRE", "PEXPIRE", "PERSIST",
      "HSET",   "SADD",     "SREM",   "ZADD",      "CLIENT", "SELECT",  "AUTH"};
  for (const char* s : kSafe) {
    if (name == s) return true;
  }
  if (name == "SCRIPT") {
    return argv.size() >= 2 && (Upper(argv[1]) == "LOAD" || Upper(argv[1]) == "EXISTS");
  }
  if (name == "SET") {
    // Plain SET k v [EX|PX n] repeats harmlessly; NX/XX/GET/KEEPTTL change
    // meaning the second time (NX would report "already there").
    for (size_t i = 3; i < argv.size(); ++i) {
      std::string opt = Upper(argv[i]);
      if (opt == "NX" || opt == "XX" || opt == "GET" || opt == "KEEPTTL") return false;
    }
    return true;
  }
  return false;
}

Script::Script(std::string body) : body_(std::move(body)) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(body_.data(), body_.size(), digest, &len, EVP_sha1(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  sha1_.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    sha1_ += kHex[digest[i] >> 4];
    sha1_ += kHex[digest[i] & 15];
  }
}

Result<RedisOptions> RedisOptions::FromAddress(std::string_view address) {
  NRP_ASSIGN_OR_RETURN(auto hp, SplitHostPort(address));
  RedisOptions o;
  o.host = hp.first;
  o.port = hp.second;
  return o;
}

Result<RedisOptions> RedisOptions::FromEnv(Env& env) {
  RedisOptions o;
  std::string addr = env.String("NRP_REDIS_ADDR", "127.0.0.1:6379");
  auto hp = SplitHostPort(addr);
  if (!hp.ok()) {
    return Error::InvalidArgument("NRP_REDIS_ADDR", "expected host:port, got '" + addr + "'");
  }
  o.host = hp->first;
  o.port = hp->second;
  o.connect_timeout = env.Duration("NRP_REDIS_CONNECT_TIMEOUT", o.connect_timeout);
  o.command_timeout = env.Duration("NRP_REDIS_COMMAND_TIMEOUT", o.command_timeout);
  o.pool_size = static_cast<size_t>(env.Int("NRP_REDIS_POOL_SIZE", 4, 1, 256));
  o.max_backoff = env.Duration("NRP_REDIS_MAX_BACKOFF", o.max_backoff);
  o.db = static_cast<int>(env.Int("NRP_REDIS_DB", 0, 0, 15));
  std::string password_file = env.String("NRP_REDIS_PASSWORD_FILE", "");
  if (!password_file.empty()) {
    std::ifstream in(password_file);
    if (!in) {
      return Error::InvalidArgument("NRP_REDIS_PASSWORD_FILE",
                                    "cannot read '" + password_file + "'");
    }
    std::getline(in, o.password);
    while (!o.password.empty() && (o.password.back() == '\r' || o.password.back() == ' ')) {
      o.password.pop_back();
    }
  }
  if (o.connect_timeout.count() <= 0 || o.command_timeout.count() <= 0) {
    return Error::InvalidArgument("NRP_REDIS_COMMAND_TIMEOUT", "timeouts must be positive");
  }
  return o;
}

std::string RedisOptions::Address() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

RedisClient::RedisClient(RedisOptions options)
    : options_(std::move(options)), address_(options_.Address()) {
  if (options_.pool_size == 0) options_.pool_size = 1;
  for (size_t i = 0; i < options_.pool_size; ++i) {
    slots_.push_back(std::make_unique<Slot>());
    idle_.push_back(slots_.back().get());
  }
}

RedisClient::~RedisClient() {
  for (auto& s : slots_) Drop(s.get());
}

int64_t RedisClient::connects() const {
  std::lock_guard lock(mu_);
  return connects_;
}

int64_t RedisClient::reconnects() const {
  std::lock_guard lock(mu_);
  return reconnects_;
}

Error RedisClient::ConnectionError(Code code, std::string_view what) const {
  Error e(code, "redis " + address_ + ": " + std::string(what));
  e.WithReason(code == Code::kDeadlineExceeded ? "REDIS_TIMEOUT" : "REDIS_UNAVAILABLE");
  e.WithMetadata("address", address_);
  return e;
}

Result<RedisClient::Slot*> RedisClient::Acquire(SteadyClock::time_point deadline) {
  std::unique_lock lock(mu_);
  if (!cv_.wait_until(lock, deadline, [&] { return !idle_.empty(); })) {
    return ConnectionError(Code::kDeadlineExceeded,
                           "all " + std::to_string(slots_.size()) +
                               " connections stayed busy for the command timeout");
  }
  Slot* s = idle_.back();
  idle_.pop_back();
  return s;
}

void RedisClient::Release(Slot* slot) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(slot);
  }
  cv_.notify_one();
}

void RedisClient::Drop(Slot* slot) {
  if (slot->ctx != nullptr) {
    redisFree(slot->ctx);
    slot->ctx = nullptr;
  }
}

Status RedisClient::Connect(Slot* slot) {
  {
    std::lock_guard lock(mu_);
    auto now = SteadyClock::now();
    if (now < next_connect_at_) {
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_connect_at_ - now);
      return ConnectionError(Code::kUnavailable, "unreachable (" + last_connect_error_ +
                                                     "); next connect attempt in " +
                                                     std::to_string(wait.count()) + " ms");
    }
  }
  redisContext* ctx = redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                              ToTimeval(options_.connect_timeout));
  std::string failure;
  bool timed_out = false;
  if (ctx == nullptr) {
    failure = "cannot allocate a connection";
  } else if (ctx->err != 0) {
    failure = std::string("connect failed: ") + ctx->errstr;
    timed_out = IsTimeoutText(ctx->errstr);
  } else if (redisSetTimeout(ctx, ToTimeval(options_.command_timeout)) != REDIS_OK) {
    failure = std::string("cannot set the command timeout: ") + ctx->errstr;
  }
  auto handshake = [&](std::vector<std::string> argv, const char* what) {
    if (!failure.empty()) return;
    std::vector<const char*> args;
    std::vector<size_t> lens;
    for (const auto& a : argv) {
      args.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(ctx, static_cast<int>(args.size()), args.data(), lens.data()));
    if (r == nullptr) {
      failure = std::string(what) + " failed: " + ctx->errstr;
      timed_out = IsTimeoutText(ctx->errstr);
      return;
    }
    if (r->type == REDIS_REPLY_ERROR) failure = std::string(what) + " refused: " + r->str;
    freeReplyObject(r);
  };
  if (!options_.password.empty()) handshake({"AUTH", options_.password}, "AUTH");
  if (options_.db != 0) handshake({"SELECT", std::to_string(options_.db)}, "SELECT");

  std::lock_guard lock(mu_);
  if (!failure.empty()) {
    if (ctx != nullptr) redisFree(ctx);
    backoff_ = backoff_.count() == 0 ? options_.initial_backoff
                                     : std::min(options_.max_backoff, backoff_ * 2);
    // Full jitter between half and the whole backoff keeps replicas from
    // reconnecting in lockstep after an outage.
    thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_int_distribution<int64_t> dist(backoff_.count() / 2, backoff_.count());
    next_connect_at_ = SteadyClock::now() + std::chrono::milliseconds(dist(rng));
    last_connect_error_ = failure;
    return ConnectionError(timed_out ? Code::kDeadlineExceeded : Code::kUnavailable, failure);
  }
  backoff_ = std::chrono::milliseconds(0);
  next_connect_at_ = {};
  if (connects_ > 0) ++reconnects_;
  ++connects_;
  slot->ctx = ctx;
  return Ok();
}

Status RedisClient::EnsureConnected(Slot* slot) {
  if (slot->ctx != nullptr && (slot->ctx->err != 0 || LooksClosed(slot->ctx->fd))) {
    Drop(slot);
  }
  if (slot->ctx != nullptr) return Ok();
  return Connect(slot);
}

Result<Reply> RedisClient::Exec(Slot* slot, const std::vector<std::string>& argv, Failure* failure,
                                std::string* detail) {
  std::vector<const char*> args;
  std::vector<size_t> lens;
  args.reserve(argv.size());
  lens.reserve(argv.size());
  for (const auto& a : argv) {
    args.push_back(a.data());
    lens.push_back(a.size());
  }
  errno = 0;
  auto* r = static_cast<redisReply*>(
      redisCommandArgv(slot->ctx, static_cast<int>(args.size()), args.data(), lens.data()));
  int saved_errno = errno;
  if (r == nullptr) {
    std::string text = slot->ctx->errstr;
    bool timeout = slot->ctx->err == REDIS_ERR_IO &&
                   (IsTimeoutErrno(saved_errno) || IsTimeoutText(text.c_str()));
    // A reply may still arrive later on this socket: never reuse it.
    Drop(slot);
    std::string name = Upper(argv.empty() ? std::string_view() : std::string_view(argv[0]));
    if (timeout) {
      *failure = Failure::kTimeout;
      return ConnectionError(Code::kDeadlineExceeded,
                             name + " got no reply within " +
                                 std::to_string(options_.command_timeout.count()) + " ms");
    }
    *failure = Failure::kAfterSend;
    *detail = text;
    return ConnectionError(Code::kUnavailable, "connection lost during " + name + ": " + text);
  }
  Reply reply = Convert(r);
  freeReplyObject(r);
  *failure = Failure::kNone;
  return reply;
}

Result<Reply> RedisClient::Command(std::vector<std::string> argv, Idempotency idempotency) {
  if (argv.empty()) return Error::InvalidArgument("argv", "a Redis command needs a name");
  auto deadline = SteadyClock::now() + options_.command_timeout;
  NRP_ASSIGN_OR_RETURN(Slot * slot, Acquire(deadline));
  struct Returner {
    RedisClient* c;
    Slot* s;
    ~Returner() { c->Release(s); }
  } returner{this, slot};

  bool may_resend = idempotency == Idempotency::kIdempotent ||
                    (idempotency == Idempotency::kAuto && IsIdempotentCommand(argv));
  NRP_RETURN_IF_ERROR(EnsureConnected(slot));
  Failure failure;
  std::string detail;
  Result<Reply> result = Exec(slot, argv, &failure, &detail);
  if (failure == Failure::kAfterSend) {
    if (!may_resend) {
      return ConnectionError(Code::kUnavailable, "connection lost after " + Upper(argv[0]) +
                                                     " was sent (" + detail +
                                                     "); not resent because it is not idempotent");
    }
    log::Warn("redis connection lost; reconnecting once",
              {{"address", address_}, {"command", Upper(argv[0])}});
    NRP_RETURN_IF_ERROR(EnsureConnected(slot));
    result = Exec(slot, argv, &failure, &detail);
  }
  if (!result.ok()) return result;
  if (result->type == Reply::Type::kError) {
    const std::string& text = result->str;
    std::string first = text.substr(0, text.find(' '));
    Error e(Code::kInternal, "redis " + address_ + ": " + Upper(argv[0]) + " failed: " + text);
    e.WithReason("REDIS_ERROR")
        .WithMetadata("redis_error", first)
        .WithMetadata("address", address_);
    return e;
  }
  return result;
}

Status RedisClient::Ping() {
  NRP_ASSIGN_OR_RETURN(Reply r, Command({"PING"}));
  if (r.type != Reply::Type::kStatus || r.str != "PONG") {
    return Error::Internal("redis " + address_ + ": unexpected PING reply");
  }
  return Ok();
}

Result<std::optional<std::string>> RedisClient::Get(std::string_view key) {
  NRP_ASSIGN_OR_RETURN(Reply r, Command({"GET", std::string(key)}));
  if (r.is_nil()) return std::optional<std::string>();
  if (r.type != Reply::Type::kString) {
    return Error::Internal("redis " + address_ + ": GET returned a non-string reply");
  }
  return std::optional<std::string>(std::move(r.str));
}

Result<bool> RedisClient::Set(std::string_view key, std::string_view value,
                              std::chrono::milliseconds ttl, SetMode mode) {
  std::vector<std::string> argv{"SET", std::string(key), std::string(value)};
  if (ttl.count() > 0) {
    argv.push_back("PX");
    argv.push_back(std::to_string(ttl.count()));
  }
  if (mode == SetMode::kIfAbsent) argv.push_back("NX");
  if (mode == SetMode::kIfPresent) argv.push_back("XX");
  NRP_ASSIGN_OR_RETURN(Reply r, Command(std::move(argv)));
  return !r.is_nil();
}

Result<int64_t> RedisClient::Del(const std::vector<std::string>& keys) {
  if (keys.empty()) return int64_t{0};
  std::vector<std::string> argv{"DEL"};
  argv.insert(argv.end(), keys.begin(), keys.end());
  // Deleting twice leaves the same state; only the count may differ.
  NRP_ASSIGN_OR_RETURN(Reply r, Command(std::move(argv), Idempotency::kIdempotent));
  return r.integer;
}

namespace {
std::vector<std::string> ScriptArgv(std::string verb, const std::string& script,
                                    const std::vector<std::string>& keys,
                                    const std::vector<std::string>& args) {
  std::vector<std::string> argv{std::move(verb), script, std::to_string(keys.size())};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}
}  // namespace

Result<Reply> RedisClient::Eval(const Script& script, const std::vector<std::string>& keys,
                                const std::vector<std::string>& args, Idempotency idempotency) {
  return Command(ScriptArgv("EVAL", script.body(), keys, args), idempotency);
}

Result<Reply> RedisClient::EvalSha(const Script& script, const std::vector<std::string>& keys,
                                   const std::vector<std::string>& args, Idempotency idempotency) {
  auto r = Command(ScriptArgv("EVALSHA", script.sha1(), keys, args), idempotency);
  if (!r.ok()) {
    const auto& md = r.error().metadata();
    auto it = md.find("redis_error");
    // NOSCRIPT means nothing ran, so sending the body is always safe.
    if (it != md.end() && it->second == "NOSCRIPT") return Eval(script, keys, args, idempotency);
  }
  return r;
}

}  // namespace nrp::cache
