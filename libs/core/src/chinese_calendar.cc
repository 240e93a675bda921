#include "nrp/core/chinese_calendar.h"

#include <erfa.h>
#include <erfam.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <mutex>

namespace nrp::chinese_calendar {
namespace {

// Modified Julian Date of 1970-01-01, the sys_days epoch.
constexpr double kMjdUnixEpoch = 40587.0;
// Mean daily motions used as Newton steps; the iteration converges on the true instant.
constexpr double kSunDegreesPerDay = 360.0 / 365.2422;
constexpr double kElongationDegreesPerDay = 360.0 / 29.530589;
constexpr double kSynodicMonth = 29.530589;
constexpr double kChinaOffsetDays = 8.0 / 24.0;

double MjdOf(Date d) { return double(d.sys_days().time_since_epoch().count()) + kMjdUnixEpoch; }

// TT − UTC in days near `mjd_utc` (TAI − UTC from ERFA's leap-second table, which keeps its
// last value for dates after it, plus 32.184 s).
double TtMinusUtcDays(double mjd_utc) {
  int iy = 0, im = 0, id = 0;
  double fd = 0;
  eraJd2cal(ERFA_DJM0, mjd_utc, &iy, &im, &id, &fd);
  double tai_utc = 37.0;
  if (eraDat(iy, im, id, fd, &tai_utc) < 0) tai_utc = 37.0;
  return (tai_utc + 32.184) / 86400.0;
}

// The China Standard Time date of the TT instant `mjd_tt`.
Date ChinaDateOf(double mjd_tt) {
  double mjd_utc = mjd_tt - TtMinusUtcDays(mjd_tt);
  double day = std::floor(mjd_utc + kChinaOffsetDays);
  return Date::FromSysDays(
      std::chrono::sys_days(std::chrono::days(static_cast<int64_t>(day - kMjdUnixEpoch))));
}

// The TT instant of 00:00 China Standard Time on `d`.
double ChinaMidnightTt(Date d) {
  double mjd_utc = MjdOf(d) - kChinaOffsetDays;
  return mjd_utc + TtMinusUtcDays(mjd_utc);
}

// Apparent geocentric ecliptic longitude of the Sun, radians in [0, 2π), ecliptic and equinox
// of date: the geometric direction from ERFA's Earth ephemeris, rotated to the mean ecliptic
// of date (IAU 2006), plus the nutation in longitude, less the aberration (20.4898″ / R).
double SunLongitude(double mjd_tt) {
  double pvh[2][3], pvb[2][3];
  eraEpv00(ERFA_DJM0, mjd_tt, pvh, pvb);
  double sun[3] = {-pvh[0][0], -pvh[0][1], -pvh[0][2]};
  double r = std::sqrt(sun[0] * sun[0] + sun[1] * sun[1] + sun[2] * sun[2]);
  double ra = 0, dec = 0, lon = 0, lat = 0, dpsi = 0, deps = 0;
  eraC2s(sun, &ra, &dec);
  eraEqec06(ERFA_DJM0, mjd_tt, ra, dec, &lon, &lat);
  eraNut06a(ERFA_DJM0, mjd_tt, &dpsi, &deps);
  return eraAnp(lon + dpsi - 20.4898 * ERFA_DAS2R / r);
}

// Geocentric ecliptic longitude of the Moon, radians, same frame (nutation left out: it
// cancels in the elongation).
double MoonLongitudeMean(double mjd_tt) {
  double pv[2][3];
  eraMoon98(ERFA_DJM0, mjd_tt, pv);
  double ra = 0, dec = 0, lon = 0, lat = 0;
  eraC2s(pv[0], &ra, &dec);
  eraEqec06(ERFA_DJM0, mjd_tt, ra, dec, &lon, &lat);
  return lon;
}

double SunLongitudeMean(double mjd_tt) {
  double pvh[2][3], pvb[2][3];
  eraEpv00(ERFA_DJM0, mjd_tt, pvh, pvb);
  double sun[3] = {-pvh[0][0], -pvh[0][1], -pvh[0][2]};
  double r = std::sqrt(sun[0] * sun[0] + sun[1] * sun[1] + sun[2] * sun[2]);
  double ra = 0, dec = 0, lon = 0, lat = 0;
  eraC2s(sun, &ra, &dec);
  eraEqec06(ERFA_DJM0, mjd_tt, ra, dec, &lon, &lat);
  return lon - 20.4898 * ERFA_DAS2R / r;
}

// Moon minus Sun in degrees, (−180, 180].
double ElongationDegrees(double mjd_tt) {
  return eraAnpm(MoonLongitudeMean(mjd_tt) - SunLongitudeMean(mjd_tt)) * ERFA_DR2D;
}

// The TT instant the Sun's apparent longitude reaches `degrees` in `year`.
double SolarTermInstant(int year, int degrees) {
  double march_equinox = MjdOf(Date(year, 3, 20));
  int deg = ((degrees % 360) + 360) % 360;
  // Terms of 285° to 345° (小寒 to 惊蛰) fall in January to early March.
  double t = deg >= 285 ? march_equinox - (360 - deg) / kSunDegreesPerDay
                        : march_equinox + deg / kSunDegreesPerDay;
  for (int i = 0; i < 20; ++i) {
    double step = eraAnpm(deg * ERFA_DD2R - SunLongitude(t)) * ERFA_DR2D / kSunDegreesPerDay;
    t += step;
    if (std::fabs(step) < 1e-7) break;
  }
  return t;
}

// Refines `t` to the nearest instant of new moon.
double RefineNewMoon(double t) {
  for (int i = 0; i < 20; ++i) {
    double step = -ElongationDegrees(t) / kElongationDegreesPerDay;
    t += step;
    if (std::fabs(step) < 1e-7) break;
  }
  return t;
}

// The last new moon at or before the TT instant `t`.
double NewMoonAtOrBefore(double t) {
  double since = eraAnp(ElongationDegrees(t) * ERFA_DD2R) * ERFA_DR2D;  // degrees since new moon
  double nm = RefineNewMoon(t - since / kElongationDegreesPerDay);
  if (nm > t) nm = RefineNewMoon(nm - kSynodicMonth);
  if (t - nm > kSynodicMonth) nm = RefineNewMoon(nm + kSynodicMonth);
  return nm;
}

// The months of the 岁 from the 11th month that holds the winter solstice of year − 1 to the
// month before the next 11th month, numbered by GB/T 33661-2017.
struct Month {
  Date start;
  int number = 0;  // 1-12
  bool leap = false;
  int length = 0;  // 29 or 30
};

std::vector<Month> ComputeSui(int year) {
  Date solstice0 = SolarTermDate(year - 1, 270);
  Date solstice1 = SolarTermDate(year, 270);
  // Month starts from the one holding the first solstice to the one holding the second.
  double nm = NewMoonAtOrBefore(ChinaMidnightTt(solstice0.AddDays(1)) - 1e-9);
  std::vector<Date> starts{ChinaDateOf(nm)};
  while (true) {
    nm = RefineNewMoon(nm + kSynodicMonth);
    Date s = ChinaDateOf(nm);
    if (s > solstice1) {
      starts.push_back(s);  // the end of the last month
      break;
    }
    starts.push_back(s);
  }
  // starts: s0 … sN (holding solstice1) and the start after it.
  const size_t months = starts.size() - 2;  // months before the next 11th month: 12 or 13
  int leap_index = -1;
  if (months == 13) {
    std::vector<Date> zhongqi;
    for (int deg : {300, 330, 0, 30, 60, 90, 120, 150, 180, 210, 240}) {
      zhongqi.push_back(SolarTermDate(year, deg));
    }
    for (size_t i = 1; i < months; ++i) {
      bool has = std::any_of(zhongqi.begin(), zhongqi.end(),
                             [&](const Date& z) { return starts[i] <= z && z < starts[i + 1]; });
      if (!has) {
        leap_index = int(i);
        break;
      }
    }
  }
  std::vector<Month> out;
  int number = 11;
  for (size_t i = 0; i < months; ++i) {
    Month m;
    m.start = starts[i];
    m.length = int((starts[i + 1].sys_days() - starts[i].sys_days()).count());
    if (i > 0 && int(i) != leap_index) number = number % 12 + 1;
    m.number = number;
    m.leap = int(i) == leap_index;
    out.push_back(m);
  }
  return out;
}

const std::vector<Month>& Sui(int year) {
  static std::mutex mu;
  static std::map<int, std::vector<Month>> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(year);
  if (it == cache.end()) it = cache.emplace(year, ComputeSui(year)).first;
  return it->second;
}

}  // namespace

Date SolarTermDate(int year, int degrees) { return ChinaDateOf(SolarTermInstant(year, degrees)); }

Result<Date> LunarDate(int year, int month, int day) {
  if (month < 1 || month > 12) return Error::InvalidArgument("month", "must be 1 to 12");
  // Months 11 and 12 of the Chinese year beginning in `year` open the next 岁.
  const std::vector<Month>& sui = Sui(month >= 11 ? year + 1 : year);
  bool seen_first = false;
  for (const Month& m : sui) {
    if (m.number == 1 && !m.leap) seen_first = true;
    bool in_this_year = month >= 11 ? !seen_first : seen_first;
    if (in_this_year && m.number == month && !m.leap) {
      if (day < 1 || day > m.length) {
        return Error::InvalidArgument("day", "lunar month " + std::to_string(month) + " of " +
                                                 std::to_string(year) + " has " +
                                                 std::to_string(m.length) + " days");
      }
      return m.start.AddDays(day - 1);
    }
  }
  return Error::Internal("lunar month " + std::to_string(month) + " of " + std::to_string(year) +
                         " not found");
}

Date NewYear(int year) { return LunarDate(year, 1, 1).value(); }

int LeapMonth(int year) {
  bool seen_first = false;
  for (const Month& m : Sui(year)) {
    if (m.number == 1 && !m.leap) seen_first = true;
    if (seen_first && m.leap) return m.number;
  }
  for (const Month& m : Sui(year + 1)) {
    if (m.number == 1 && !m.leap) break;
    if (m.leap) return m.number;
  }
  return 0;
}

Result<std::vector<StatutoryDay>> StatutoryHolidays(int year) {
  if (year < kFirstRuleYear || year > kLastRuleYear) {
    return Error::InvalidArgument(
        "year", "the statutory holiday rule as amended in 2024 is computed for " +
                    std::to_string(kFirstRuleYear) + " to " + std::to_string(kLastRuleYear) +
                    ", got " + std::to_string(year));
  }
  std::vector<StatutoryDay> days;
  auto add = [&](Date d, const char* name) { days.push_back({d, name, false}); };
  add(Date(year, 1, 1), "元旦");
  Date new_year = NewYear(year);
  for (int i = -1; i <= 2; ++i) add(new_year.AddDays(i), "春节");
  add(SolarTermDate(year, 15), "清明节");
  add(Date(year, 5, 1), "劳动节");
  add(Date(year, 5, 2), "劳动节");
  add(LunarDate(year, 5, 5).value(), "端午节");
  add(LunarDate(year, 8, 15).value(), "中秋节");
  for (unsigned d = 1; d <= 3; ++d) add(Date(year, 10, d), "国庆节");
  std::stable_sort(days.begin(), days.end(),
                   [](const StatutoryDay& a, const StatutoryDay& b) { return a.date < b.date; });

  // 补假: each holiday day on a weekend, or on a day an earlier holiday already takes, is
  // given on the next weekday that is not yet a holiday.
  auto weekend = [](Date d) {
    auto w = d.weekday();
    return w == std::chrono::Saturday || w == std::chrono::Sunday;
  };
  std::vector<Date> taken;
  std::vector<StatutoryDay> out;
  for (const StatutoryDay& s : days) {
    bool clash = std::find(taken.begin(), taken.end(), s.date) != taken.end();
    if (!clash) {
      taken.push_back(s.date);
      out.push_back(s);
    }
    if (clash || weekend(s.date)) {
      Date c = s.date.AddDays(1);
      while (weekend(c) || std::find(taken.begin(), taken.end(), c) != taken.end() ||
             std::any_of(days.begin(), days.end(),
                         [&](const StatutoryDay& o) { return o.date == c; })) {
        c = c.AddDays(1);
      }
      taken.push_back(c);
      out.push_back({c, "补假", true});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const StatutoryDay& a, const StatutoryDay& b) { return a.date < b.date; });
  return out;
}

}  // namespace nrp::chinese_calendar
