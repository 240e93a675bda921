// A bounded pool of libpqxx connections. Connections are opened lazily, so a
// service starts (and reports NOT_SERVING) while its database is down, and a
// broken connection is replaced on its next use.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "nrp/core/status.h"

namespace nrp::db {

struct PoolOptions {
  // libpq connection string or URI.
  std::string conninfo;
  std::string application_name = "nrp";
  size_t size = 8;
  std::chrono::milliseconds acquire_timeout{2000};
  // Server-side statement_timeout set on every connection; 0 disables.
  std::chrono::milliseconds statement_timeout{30000};
  // libpq connect_timeout (whole seconds, at least 1).
  std::chrono::seconds connect_timeout{3};
};

class Pool : public std::enable_shared_from_this<Pool> {
 public:
  // A borrowed connection, returned to the pool when destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    pqxx::connection& operator*() { return *conn_; }
    pqxx::connection* operator->() { return conn_.get(); }
    // Closes the connection instead of returning it (after a broken-connection error).
    void Discard() { discard_ = true; }

   private:
    friend class Pool;
    Lease(std::shared_ptr<Pool> pool, std::unique_ptr<pqxx::connection> conn)
        : pool_(std::move(pool)), conn_(std::move(conn)) {}
    std::shared_ptr<Pool> pool_;
    std::unique_ptr<pqxx::connection> conn_;
    bool discard_ = false;
  };

  static std::shared_ptr<Pool> Create(PoolOptions options);
  ~Pool();

  // UNAVAILABLE when no connection frees up within acquire_timeout or the
  // database cannot be reached; the message says which.
  Result<Lease> Acquire();
  // SELECT 1 on a pooled connection.
  Status Ping();
  // Runs on every new connection (prepare statements, set search_path …).
  void OnConnect(std::function<void(pqxx::connection&)> fn);

  const PoolOptions& options() const { return options_; }
  size_t open_connections() const;
  size_t idle_connections() const;

 private:
  explicit Pool(PoolOptions options) : options_(std::move(options)) {}
  void Return(std::unique_ptr<pqxx::connection> conn, bool discard);
  Result<std::unique_ptr<pqxx::connection>> Open();

  PoolOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  size_t open_ = 0;
  std::vector<std::function<void(pqxx::connection&)>> on_connect_;
};

// Maps a libpqxx (or other) exception to an Error: broken connection →
// UNAVAILABLE, serialization failure or deadlock → ABORTED, unique violation →
// ALREADY_EXISTS, other integrity violations → FAILED_PRECONDITION, statement
// timeout → DEADLINE_EXCEEDED, anything else → INTERNAL.
Error MapException(const std::exception& e);

// True for errors worth retrying the whole transaction for.
inline bool IsRetryable(const Error& e) { return e.code() == Code::kAborted; }

}  // namespace nrp::db
