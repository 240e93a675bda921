// Runs a unit of work in one transaction: commits when the work succeeds,
// rolls back when it returns an error or throws, retries a lost race
// (serialization failure, deadlock) a bounded number of times.
#pragma once

#include <chrono>
#include <random>
#include <thread>
#include <type_traits>

#include "nrp/db/pool.h"

namespace nrp::db {

struct TransactOptions {
  int attempts = 3;
  bool serializable = false;
};

namespace internal {
template <class R>
struct IsResult : std::false_type {};
template <class T>
struct IsResult<Result<T>> : std::true_type {};

inline void BackoffBeforeRetry(int attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  int base = 5 << std::min(attempt, 6);
  std::this_thread::sleep_for(
      std::chrono::milliseconds(base + std::uniform_int_distribution<int>(0, base)(rng)));
}
}  // namespace internal

// `fn(pqxx::work&)` returns Result<T> or Status.
template <class Fn>
auto Transact(Pool& pool, Fn&& fn, TransactOptions options = {})
    -> std::invoke_result_t<Fn, pqxx::work&> {
  using R = std::invoke_result_t<Fn, pqxx::work&>;
  static_assert(internal::IsResult<R>::value, "work must return nrp::Result<T> or nrp::Status");
  Error last(Code::kInternal, "transaction not attempted");
  for (int attempt = 0; attempt < std::max(1, options.attempts); ++attempt) {
    if (attempt > 0) internal::BackoffBeforeRetry(attempt);
    auto lease = pool.Acquire();
    if (!lease.ok()) return std::move(lease.error());
    try {
      pqxx::work txn(**lease);
      if (options.serializable) txn.exec("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
      R result = fn(txn);
      if (!result.ok()) {
        txn.abort();
        if (IsRetryable(result.error())) {
          last = result.error();
          continue;
        }
        return result;
      }
      txn.commit();
      return result;
    } catch (const pqxx::in_doubt_error& e) {
      lease->Discard();
      return Error(Code::kUnavailable, std::string("commit outcome unknown: ") + e.what());
    } catch (const std::exception& e) {
      Error err = MapException(e);
      if (err.code() == Code::kUnavailable) lease->Discard();
      if (!IsRetryable(err)) return err;
      last = err;
    }
  }
  return last;
}

}  // namespace nrp::db
