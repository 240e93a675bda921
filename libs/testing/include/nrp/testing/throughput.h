// Throughput runs for benchmarks: `threads` client threads call `one(thread, i)` for about
// `seconds`, and the figures are counted by what each call returned. Benchmarks print their
// figures beside baselines measured in the same run; nothing here asserts a duration.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace nrp::testing {

// What one call did.
enum class Outcome { kAccepted, kRefused, kError };

struct Figures {
  int64_t attempted = 0;
  int64_t accepted = 0;
  int64_t refused = 0;
  int64_t errors = 0;
  double seconds = 0;
  double rate() const { return seconds > 0 ? accepted / seconds : 0; }
};

template <class Fn>
Figures RunThroughput(int threads, double seconds, Fn&& one) {
  std::atomic<int64_t> attempted{0}, accepted{0}, refused{0}, errors{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> pool;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      int64_t i = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        const Outcome r = one(t, i++);
        ++attempted;
        if (r == Outcome::kAccepted) {
          ++accepted;
        } else if (r == Outcome::kRefused) {
          ++refused;
        } else {
          ++errors;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : pool) th.join();
  Figures f;
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  f.attempted = attempted;
  f.accepted = accepted;
  f.refused = refused;
  f.errors = errors;
  return f;
}

// "hot           812 bids/s accepted  (…)".
inline void PrintFigures(const char* name, const Figures& f, const char* unit) {
  std::printf(
      "%-12s %10.0f %s/s accepted  (%lld attempted, %lld refused as too low, %lld errors, %.1f "
      "s)\n",
      name, f.rate(), unit, static_cast<long long>(f.attempted), static_cast<long long>(f.refused),
      static_cast<long long>(f.errors), f.seconds);
}

}  // namespace nrp::testing
