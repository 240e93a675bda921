// An injectable clock: services read time only through Clock so that tests can
// put "one full year later" exactly where they need it.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "nrp/core/status.h"

namespace nrp {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  static SystemClock& Instance();
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// A clock tests set and advance by hand. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(TimePoint::duration(now_.load())); }
  void Set(TimePoint t) { now_.store(t.time_since_epoch().count()); }
  void Advance(std::chrono::system_clock::duration d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<TimePoint::duration::rep> now_;
};

// The system clock moved by a fixed offset, so that a whole platform — every service and
// the test or loader driving it — runs as if on another day (NRP_CLOCK_OFFSET_SECONDS). For
// end-to-end runs and drills only: a production process leaves it unset.
class ShiftedClock final : public Clock {
 public:
  explicit ShiftedClock(std::chrono::seconds offset) : offset_(offset) {}
  TimePoint Now() const override { return std::chrono::system_clock::now() + offset_; }
  std::chrono::seconds offset() const { return offset_; }

 private:
  std::chrono::seconds offset_;
};

// The process clock: the system clock, or a ShiftedClock when NRP_CLOCK_OFFSET_SECONDS is set
// to a non-zero number of seconds (INVALID_ARGUMENT naming it when it is not a number within
// ±50 years).
Result<const Clock*> ProcessClockFromEnvironment();

// RFC 3339 in UTC with milliseconds: "2026-11-22T17:40:01.123Z".
std::string FormatRfc3339(TimePoint t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)".
Result<TimePoint> ParseRfc3339(std::string_view text);

}  // namespace nrp
