// Exponential backoff with jitter for the relay's and the consumer's retries.
#pragma once

#include <algorithm>
#include <chrono>
#include <random>

namespace nrp::events::internal {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max)
      : initial_(std::max<int64_t>(1, initial.count())),
        max_(std::max<int64_t>(initial_, max.count())),
        rng_(std::random_device{}()) {}

  // initial · 2^attempt capped at max, then a uniform draw from its upper
  // half, so that retrying instances spread out but never retry at once.
  std::chrono::milliseconds Next() {
    int64_t base = initial_;
    for (int i = 0; i < attempt_ && base < max_; ++i) base *= 2;
    base = std::min(base, max_);
    if (attempt_ < 62) ++attempt_;
    std::uniform_int_distribution<int64_t> jitter(base / 2, base);
    return std::chrono::milliseconds(jitter(rng_));
  }
  void Reset() { attempt_ = 0; }
  int attempts() const { return attempt_; }

 private:
  int64_t initial_;
  int64_t max_;
  int attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace nrp::events::internal
