#include "nrp/core/clock.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace nrp {

SystemClock& SystemClock::Instance() {
  static SystemClock clock;
  return clock;
}

Result<const Clock*> ProcessClockFromEnvironment() {
  const char* text = std::getenv("NRP_CLOCK_OFFSET_SECONDS");
  if (text == nullptr || *text == '\0') return &SystemClock::Instance();
  char* end = nullptr;
  errno = 0;
  long long seconds = std::strtoll(text, &end, 10);
  constexpr long long kLimit = 50LL * 366 * 24 * 3600;
  if (errno != 0 || end == text || *end != '\0' || seconds < -kLimit || seconds > kLimit) {
    return Error::InvalidArgument(
        "NRP_CLOCK_OFFSET_SECONDS",
        "expected whole seconds within ±50 years, got '" + std::string(text) + "'");
  }
  if (seconds == 0) return &SystemClock::Instance();
  static ShiftedClock shifted{std::chrono::seconds(seconds)};
  return &shifted;
}

std::string FormatRfc3339(TimePoint t) {
  using namespace std::chrono;
  auto ms = time_point_cast<milliseconds>(t);
  auto days = floor<std::chrono::days>(ms);
  year_month_day ymd{days};
  hh_mm_ss hms{ms - days};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()),
                int(hms.subseconds().count()));
  return buf;
}

Result<TimePoint> ParseRfc3339(std::string_view s) {
  using namespace std::chrono;
  auto bad = [&](const char* why) {
    return Error::InvalidArgument("time", std::string(why) + " in '" + std::string(s) + "'");
  };
  auto digits = [&](size_t pos, size_t n, int* out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int y, mo, d, h, mi, se;
  if (!digits(0, 4, &y) || s.size() < 20 || s[4] != '-' || !digits(5, 2, &mo) || s[7] != '-' ||
      !digits(8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(11, 2, &h) ||
      s[13] != ':' || !digits(14, 2, &mi) || s[16] != ':' || !digits(17, 2, &se)) {
    return bad("expected YYYY-MM-DDTHH:MM:SSZ");
  }
  year_month_day ymd{year(y), month(mo), day(d)};
  if (!ymd.ok() || h > 23 || mi > 59 || se > 60) return bad("date or time out of range");
  size_t pos = 19;
  nanoseconds frac{0};
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t value = 0;
    int n = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      if (n < 9) {
        value = value * 10 + (s[pos] - '0');
        ++n;
      }
      ++pos;
    }
    if (n == 0) return bad("empty fraction");
    for (int i = n; i < 9; ++i) value *= 10;
    frac = nanoseconds(value);
  }
  minutes offset{0};
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!digits(pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(pos + 4, 2, &om)) {
      return bad("bad offset");
    }
    offset = minutes(oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad("missing time zone");
  }
  if (pos != s.size()) return bad("trailing characters");
  auto tp = sys_days(ymd) + hours(h) + minutes(mi) + seconds(se) + frac - offset;
  return time_point_cast<system_clock::duration>(tp);
}

}  // namespace nrp
