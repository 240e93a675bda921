#include "nrp/service/calendar_source.h"

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "nrp/core/log.h"
#include "nrp/metrics/metrics.h"

namespace nrp::service {
namespace {

std::atomic<uint64_t> g_reload_signals{0};

extern "C" void OnReloadSignal(int) { g_reload_signals.fetch_add(1); }

struct CalendarFile {
  std::string name;
  std::string text;
};

Result<std::vector<CalendarFile>> ReadFolder(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Error(Code::kInvalidArgument, "calendar folder " + dir.string() + " does not exist");
  }
  std::vector<CalendarFile> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".cal") continue;
    std::ifstream in(entry.path());
    if (!in) return Error(Code::kInvalidArgument, "cannot read " + entry.path().string());
    std::stringstream ss;
    ss << in.rdbuf();
    files.push_back({entry.path().string(), ss.str()});
  }
  if (ec) return Error(Code::kInvalidArgument, "cannot list " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end(),
            [](const CalendarFile& a, const CalendarFile& b) { return a.name < b.name; });
  return files;
}

// What a load depends on: the year it was made in (the horizon) and every file's name and text.
// The files are a few hundred bytes each, so the text itself is kept and compared.
std::string Fingerprint(const std::vector<CalendarFile>& files, int year) {
  std::string out = std::to_string(year);
  for (const auto& f : files) {
    out.push_back('\0');
    out += f.name;
    out.push_back('\0');
    out += f.text;
  }
  return out;
}

std::string Ranges(const std::vector<int>& years) {
  std::string out;
  for (size_t i = 0; i < years.size();) {
    size_t j = i;
    while (j + 1 < years.size() && years[j + 1] == years[j] + 1) ++j;
    if (!out.empty()) out += ",";
    out += std::to_string(years[i]);
    if (j > i) out += "-" + std::to_string(years[j]);
    i = j + 1;
  }
  return out.empty() ? "none" : out;
}

}  // namespace

CalendarSource::CalendarSource(CalendarSourceOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock), seen_signal_(g_reload_signals.load()) {}

Result<std::shared_ptr<CalendarSource>> CalendarSource::Open(CalendarSourceOptions options,
                                                             const Clock& clock) {
  auto source = std::make_shared<CalendarSource>(std::move(options), clock);
  auto loaded = source->Refresh();
  if (!loaded.ok()) return std::move(loaded.error());
  return source;
}

std::shared_ptr<const WorkingCalendar> CalendarSource::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

void CalendarSource::OnChange(std::function<void(const WorkingCalendar&)> fn) {
  std::lock_guard lock(mu_);
  listeners_.push_back(std::move(fn));
}

std::string CalendarSource::Describe() const {
  auto cal = Current();
  if (!cal) return "not loaded";
  std::vector<int> official, provisional;
  for (const auto& y : cal->Years()) (y.official ? official : provisional).push_back(y.year);
  return "official " + Ranges(official) + "; provisional " + Ranges(provisional);
}

Result<bool> CalendarSource::Refresh() {
  last_read_ns_.store(std::chrono::steady_clock::now().time_since_epoch().count());
  const int year = ChinaCivilDate(clock_.Now()).year();
  auto files = ReadFolder(options_.dir);
  Result<std::shared_ptr<const WorkingCalendar>> built = Error(Code::kInternal, "");
  std::string fingerprint;
  if (files.ok()) {
    fingerprint = Fingerprint(*files, year);
    {
      std::lock_guard lock(mu_);
      if (current_ && fingerprint == fingerprint_) return false;
    }
    auto cal = std::make_shared<WorkingCalendar>();
    Status s = Ok();
    for (const auto& f : *files) {
      s = cal->AddYear(f.text, f.name);
      if (!s.ok()) break;
    }
    if (s.ok()) s = cal->CompleteThrough(year + WorkingCalendar::kHorizonYears);
    if (s.ok()) {
      built = std::shared_ptr<const WorkingCalendar>(std::move(cal));
    } else {
      built = std::move(s.error());
    }
  } else {
    built = std::move(files.error());
  }

  static auto& errors = metrics::Registry::Default().AddCounter(
      "nrp_calendar_load_errors_total",
      "Loads of the calendar folder that failed; the calendar in force stayed.", {"service"});
  if (!built.ok()) {
    std::lock_guard lock(mu_);
    errors.WithLabels({options_.service}).Inc();
    if (built.error().message() != last_error_) {
      last_error_ = built.error().message();
      if (current_) {
        log::Error("calendar folder does not load; the calendar in force stays",
                   {{"error", built.error().message()}, {"dir", options_.dir.string()}});
      }
    }
    return std::move(built.error());
  }

  std::vector<std::function<void(const WorkingCalendar&)>> listeners;
  {
    std::lock_guard lock(mu_);
    current_ = *built;
    fingerprint_ = fingerprint;
    loaded_for_year_.store(year);
    last_error_.clear();
    generation_.fetch_add(1);
    listeners = listeners_;
  }
  Publish(**built);
  log::Info("working-day calendar loaded", {{"dir", options_.dir.string()},
                                            {"years", Describe()},
                                            {"generation", static_cast<int64_t>(generation())}});
  for (const auto& fn : listeners) fn(**built);
  return true;
}

void CalendarSource::Publish(const WorkingCalendar& cal) {
  static auto& years = metrics::Registry::Default().AddGauge(
      "nrp_calendar_year",
      "1 for each calendar year the service counts working days with, by status: official "
      "(the State Council's arrangement) or provisional (the statutory rule).",
      {"service", "year", "status"});
  static auto& generation = metrics::Registry::Default().AddGauge(
      "nrp_calendar_generation", "Loads of the working-day calendar that changed it.", {"service"});
  for (const auto& y : cal.Years()) {
    std::string year = std::to_string(y.year);
    years.WithLabels({options_.service, year, "official"}).Set(y.official ? 1 : 0);
    years.WithLabels({options_.service, year, "provisional"}).Set(y.official ? 0 : 1);
  }
  generation.WithLabels({options_.service}).Set(double(generation_.load()));
}

void CalendarSource::Tick() {
  auto now = std::chrono::steady_clock::now();
  uint64_t signals = g_reload_signals.load();
  bool due = now - std::chrono::steady_clock::time_point(
                       std::chrono::steady_clock::duration(last_read_ns_.load())) >=
             options_.poll;
  bool signalled = signals != seen_signal_;
  bool new_year = ChinaCivilDate(clock_.Now()).year() != loaded_for_year_.load();
  if (due || signalled || new_year) {
    seen_signal_ = signals;
    if (signalled) log::Info("SIGHUP: reloading the working-day calendar");
    (void)Refresh();
  }
  MaybeWarn();
}

void CalendarSource::MaybeWarn() {
  const TimePoint now = clock_.Now();
  const Date today = ChinaCivilDate(now);
  if (last_warned_.ok() && last_warned_ == today) return;
  auto cal = Current();
  if (!cal) return;
  const Date until = ChinaCivilDate(now + options_.warn_ahead);
  std::vector<int> soon;
  for (int y = today.year(); y <= until.year(); ++y) {
    const auto* info = cal->Year(y);
    if (info && !info->official) soon.push_back(y);
  }
  last_warned_ = today;
  if (soon.empty()) return;
  log::Warn(
      "working-day calendar is provisional for a year within " +
          std::to_string(options_.warn_ahead.count() / 24) +
          " days: deadlines there are counted by the statutory rule and will be recounted "
          "when the official arrangement is loaded",
      {{"provisional_years", Ranges(soon)},
       {"load", "CN-" + std::to_string(soon.front()) + ".cal into " + options_.dir.string()}});
}

void CalendarSource::InstallReloadSignal() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action {};
    action.sa_handler = OnReloadSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGHUP, &action, nullptr);
  });
}

}  // namespace nrp::service
