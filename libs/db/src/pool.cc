#include "nrp/db/pool.h"

#include "nrp/core/log.h"

namespace nrp::db {
namespace {

std::string WithConnectTimeout(const std::string& conninfo, std::chrono::seconds timeout) {
  std::string value = std::to_string(std::max<long>(1, timeout.count()));
  if (conninfo.find("connect_timeout") != std::string::npos) return conninfo;
  if (conninfo.rfind("postgres://", 0) == 0 || conninfo.rfind("postgresql://", 0) == 0) {
    return conninfo + (conninfo.find('?') == std::string::npos ? "?" : "&") +
           "connect_timeout=" + value;
  }
  return conninfo + " connect_timeout=" + value;
}

}  // namespace

std::shared_ptr<Pool> Pool::Create(PoolOptions options) {
  if (options.size == 0) options.size = 1;
  return std::shared_ptr<Pool>(new Pool(std::move(options)));
}

Pool::~Pool() = default;

void Pool::OnConnect(std::function<void(pqxx::connection&)> fn) {
  std::lock_guard lock(mu_);
  on_connect_.push_back(std::move(fn));
}

size_t Pool::open_connections() const {
  std::lock_guard lock(mu_);
  return open_;
}

size_t Pool::idle_connections() const {
  std::lock_guard lock(mu_);
  return idle_.size();
}

Result<std::unique_ptr<pqxx::connection>> Pool::Open() {
  try {
    auto conn = std::make_unique<pqxx::connection>(
        WithConnectTimeout(options_.conninfo, options_.connect_timeout));
    {
      pqxx::nontransaction tx(*conn);
      tx.exec("SET application_name = " + tx.quote(options_.application_name));
      tx.exec("SET statement_timeout = " +
              std::to_string(options_.statement_timeout.count()));
    }
    std::vector<std::function<void(pqxx::connection&)>> hooks;
    {
      std::lock_guard lock(mu_);
      hooks = on_connect_;
    }
    for (auto& hook : hooks) hook(*conn);
    return conn;
  } catch (const std::exception& e) {
    Error err = MapException(e);
    if (err.code() != Code::kUnavailable) {
      err = Error::Unavailable(err.message());
    }
    return err.Prefix("cannot connect to the database");
  }
}

Result<Pool::Lease> Pool::Acquire() {
  auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  std::unique_lock lock(mu_);
  while (true) {
    while (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->is_open()) return Lease(shared_from_this(), std::move(conn));
      --open_;  // the server closed it: drop and look again
    }
    if (open_ < options_.size) {
      ++open_;
      lock.unlock();
      auto conn = Open();
      if (!conn.ok()) {
        lock.lock();
        --open_;
        cv_.notify_one();
        return std::move(conn.error());
      }
      return Lease(shared_from_this(), std::move(conn).value());
    }
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.size) {
      return Error::Unavailable("database pool exhausted: waited " +
                                std::to_string(options_.acquire_timeout.count()) +
                                "ms for one of " + std::to_string(options_.size) +
                                " connections");
    }
  }
}

void Pool::Return(std::unique_ptr<pqxx::connection> conn, bool discard) {
  std::lock_guard lock(mu_);
  if (discard || !conn->is_open()) {
    --open_;
    conn.reset();
  } else {
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::move(other.pool_)), conn_(std::move(other.conn_)), discard_(other.discard_) {}

Pool::Lease::~Lease() {
  if (pool_ && conn_) pool_->Return(std::move(conn_), discard_);
}

Status Pool::Ping() {
  auto lease = Acquire();
  if (!lease.ok()) return std::move(lease.error());
  try {
    pqxx::nontransaction tx(**lease);
    tx.exec("SELECT 1");
    return Ok();
  } catch (const std::exception& e) {
    lease->Discard();
    return MapException(e);
  }
}

Error MapException(const std::exception& e) {
  std::string what = e.what();
  while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
  if (dynamic_cast<const pqxx::broken_connection*>(&e)) {
    return Error::Unavailable("database connection lost: " + what);
  }
  // libpqxx 6 derives these from pqxx::failure, not from pqxx::sql_error.
  if (dynamic_cast<const pqxx::transaction_rollback*>(&e)) {
    return Error::Aborted("concurrent update, retry: " + what);
  }
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e)) {
    return Error::Unavailable("commit outcome unknown: " + what);
  }
  if (auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string state = sql->sqlstate();
    if (state == "40001" || state == "40P01") {
      return Error::Aborted("concurrent update, retry: " + what);
    }
    if (state == "23505") return Error::AlreadyExists(what);
    if (state.rfind("23", 0) == 0) return Error(Code::kFailedPrecondition, what);
    if (state == "57014") return Error::DeadlineExceeded("database statement timed out: " + what);
    if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03") {
      return Error::Unavailable("database unavailable: " + what);
    }
    if (state == "55P03") return Error::Aborted("lock not available: " + what);
    return Error::Internal("database error " + state + ": " + what);
  }
  return Error::Internal(what);
}

}  // namespace nrp::db
