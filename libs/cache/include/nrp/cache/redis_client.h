// A small synchronous Redis client on hiredis 0.14 with connect and command
// timeouts, a fixed pool of connections and automatic reconnection.
//
// Thread safety: a RedisClient is shared by all threads of a service. It owns
// `pool_size` connection slots; a command borrows one slot for its duration
// (waiting at most the command timeout for a free slot), so up to `pool_size`
// commands run in parallel and no connection is ever used by two threads.
//
// Failures:
//   - cannot connect, connection lost  -> UNAVAILABLE ("redis 10.0.0.5:6379: ...")
//   - connect or command timeout       -> DEADLINE_EXCEEDED
//   - Redis error reply ("ERR ...")    -> INTERNAL, reason REDIS_ERROR, metadata
//                                         redis_error = first word (e.g. NOSCRIPT)
// Reconnection: before a command, a connection the server closed while idle
// (CLIENT KILL, server restart, idle timeout) is detected without sending
// anything and replaced, so that case is transparent for every command. When
// the connection breaks after the command was written, the outcome is unknown:
// the client reconnects once and resends only commands that are safe to repeat
// (see Idempotency); others fail with UNAVAILABLE. After a failed connect,
// further connects wait an exponential, jittered backoff (100 ms doubling up to
// `max_backoff`); commands in that window fail fast with UNAVAILABLE naming the
// last connect error, so a Redis outage costs callers microseconds, not timeouts.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nrp/core/config.h"
#include "nrp/core/status.h"

struct redisContext;

namespace nrp::cache {

// One Redis reply.
struct Reply {
  enum class Type { kNil, kInteger, kString, kArray, kStatus, kError };
  Type type = Type::kNil;
  int64_t integer = 0;
  std::string str;              // kString (bytes), kStatus ("OK"), kError ("ERR ...")
  std::vector<Reply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
  static Reply Nil() { return {}; }
  static Reply Integer(int64_t v) { return {Type::kInteger, v, {}, {}}; }
  static Reply String(std::string s) { return {Type::kString, 0, std::move(s), {}}; }
  static Reply Status(std::string s) { return {Type::kStatus, 0, std::move(s), {}}; }
  static Reply ErrorReply(std::string s) { return {Type::kError, 0, std::move(s), {}}; }
  static Reply Array(std::vector<Reply> e) { return {Type::kArray, 0, {}, std::move(e)}; }
  bool operator==(const Reply&) const = default;
};

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::chrono::milliseconds connect_timeout{500};
  std::chrono::milliseconds command_timeout{500};
  size_t pool_size = 4;
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
  std::string password;  // AUTH after connect when not empty
  int db = 0;            // SELECT after connect when not 0

  // NRP_REDIS_ADDR (host:port, default 127.0.0.1:6379), NRP_REDIS_CONNECT_TIMEOUT
  // (500ms), NRP_REDIS_COMMAND_TIMEOUT (500ms), NRP_REDIS_POOL_SIZE (4),
  // NRP_REDIS_MAX_BACKOFF (5s), NRP_REDIS_PASSWORD_FILE (optional; the file's
  // first line is the password), NRP_REDIS_DB (0). Problems are recorded in
  // `env` (see Env::Check); a password file that cannot be read is an error.
  static Result<RedisOptions> FromEnv(Env& env);
  // "host:port" or "[v6addr]:port".
  static Result<RedisOptions> FromAddress(std::string_view address);
  std::string Address() const;
};

// Whether a command may be sent again after the connection broke mid-call.
enum class Idempotency {
  kAuto,           // decided by the command name (reads, PING, SCRIPT LOAD, plain SET/EXPIRE)
  kIdempotent,     // the caller knows repeating it is harmless
  kNotIdempotent,  // never resend
};

// A Lua script run with EVALSHA, falling back to EVAL when the server does not
// know it (NOSCRIPT after a restart or SCRIPT FLUSH). Immutable and shareable.
class Script {
 public:
  explicit Script(std::string body);
  const std::string& body() const { return body_; }
  // Lower-case hex SHA-1 of the body, as Redis names scripts.
  const std::string& sha1() const { return sha1_; }

 private:
  std::string body_;
  std::string sha1_;
};

class RedisClient {
 public:
  explicit RedisClient(RedisOptions options);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  const RedisOptions& options() const { return options_; }
  const std::string& address() const { return address_; }

  // Runs one command, e.g. {"HSET", key, "f", "v"}. Arguments are binary safe.
  // A top-level error reply becomes an INTERNAL error; nested error replies
  // (in arrays) stay in the Reply.
  Result<Reply> Command(std::vector<std::string> argv,
                        Idempotency idempotency = Idempotency::kAuto);

  Status Ping();
  // The value, or nullopt when the key does not exist.
  Result<std::optional<std::string>> Get(std::string_view key);
  enum class SetMode { kAlways, kIfAbsent /* NX */, kIfPresent /* XX */ };
  // ttl 0 = no expiry. Returns false when NX/XX prevented the write.
  Result<bool> Set(std::string_view key, std::string_view value,
                   std::chrono::milliseconds ttl = std::chrono::milliseconds(0),
                   SetMode mode = SetMode::kAlways);
  // Number of keys removed.
  Result<int64_t> Del(const std::vector<std::string>& keys);
  // EVAL with the script text (not idempotent unless told).
  Result<Reply> Eval(const Script& script, const std::vector<std::string>& keys,
                     const std::vector<std::string>& args,
                     Idempotency idempotency = Idempotency::kNotIdempotent);
  // EVALSHA, and EVAL on NOSCRIPT.
  Result<Reply> EvalSha(const Script& script, const std::vector<std::string>& keys,
                        const std::vector<std::string>& args,
                        Idempotency idempotency = Idempotency::kNotIdempotent);

  // Counters for tests and metrics.
  int64_t connects() const;
  int64_t reconnects() const;

 private:
  struct Slot {
    redisContext* ctx = nullptr;
  };
  enum class Failure { kNone, kAfterSend, kTimeout };

  Result<Slot*> Acquire(std::chrono::steady_clock::time_point deadline);
  void Release(Slot* slot);
  Status EnsureConnected(Slot* slot);
  Status Connect(Slot* slot);
  void Drop(Slot* slot);
  Result<Reply> Exec(Slot* slot, const std::vector<std::string>& argv, Failure* failure,
                     std::string* detail);
  Error ConnectionError(Code code, std::string_view what) const;

  RedisOptions options_;
  std::string address_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<Slot*> idle_;
  // Reconnect backoff, shared by all slots.
  std::chrono::steady_clock::time_point next_connect_at_{};
  std::chrono::milliseconds backoff_{0};
  std::string last_connect_error_;
  int64_t connects_ = 0;
  int64_t reconnects_ = 0;
};

// True when the command name is safe to resend (Idempotency::kAuto).
bool IsIdempotentCommand(const std::vector<std::string>& argv);

}  // namespace nrp::cache
