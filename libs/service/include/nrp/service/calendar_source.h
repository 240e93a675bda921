// The working-day calendar of a running service. Loaded from the calendar folder at start,
// reloaded without a restart when a file there is added, changed or removed (the folder is
// checked every NRP_CALENDAR_POLL, 10 s by default) or when the process gets SIGHUP, and
// rebuilt when the clock's year moves the ten-year horizon. A folder that no longer loads
// (a malformed new file) keeps the last good calendar in force and says why in the log and
// in nrp_calendar_load_errors_total.
//
// Metrics: nrp_calendar_year{service,year,status="official"|"provisional"} = 1 for every
// year covered; nrp_calendar_generation counts loads. While a year within the next 90
// days is provisional, one warning a day names it.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"

namespace nrp::service {

struct CalendarSourceOptions {
  std::filesystem::path dir;
  std::chrono::milliseconds poll{std::chrono::seconds(10)};
  // Label of the metrics.
  std::string service;
  // How far ahead a provisional year is warned about.
  std::chrono::hours warn_ahead{24 * 90};
};

class CalendarSource {
 public:
  // Loads the folder; INVALID_ARGUMENT naming the file and line when it does not load.
  static Result<std::shared_ptr<CalendarSource>> Open(CalendarSourceOptions options,
                                                      const Clock& clock);

  // The calendar in force. Callers keep the pointer for one operation so that a reload in
  // the middle of it does not mix two calendars.
  std::shared_ptr<const WorkingCalendar> Current() const;
  // Increases with every load that changed the calendar.
  uint64_t generation() const { return generation_.load(); }

  // Reads the folder now and swaps in the new calendar when anything changed; true when it
  // did. On a folder that does not load, the calendar in force stays and the error is
  // returned.
  Result<bool> Refresh();
  // Refresh when the poll interval has passed or SIGHUP arrived; log a provisional year
  // within the warning window once a day. Runtime calls it every second.
  void Tick();
  // Called (from Refresh's thread) after every change with the new calendar.
  void OnChange(std::function<void(const WorkingCalendar&)> fn);

  // Which years are official and which provisional: "official 2025-2026; provisional
  // 2027-2036".
  std::string Describe() const;

  // Makes SIGHUP request a reload of every CalendarSource in the process (idempotent).
  static void InstallReloadSignal();

  CalendarSource(CalendarSourceOptions options, const Clock& clock);

 private:
  void Publish(const WorkingCalendar& cal);
  void MaybeWarn();

  CalendarSourceOptions options_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::shared_ptr<const WorkingCalendar> current_;
  std::string fingerprint_;
  std::atomic<int> loaded_for_year_{0};
  std::atomic<uint64_t> generation_{0};
  std::vector<std::function<void(const WorkingCalendar&)>> listeners_;
  std::atomic<int64_t> last_read_ns_{0};  // steady clock, of the last folder read
  uint64_t seen_signal_ = 0;
  Date last_warned_{};
  std::string last_error_;
};

}  // namespace nrp::service
