// The dates of China's statutory public holidays, computed rather than typed, for years whose
// official arrangement (国务院办公厅 holiday notice) is not yet published.
//
// The rule is 全国年节及纪念日放假办法 as amended by State Council Decree No. 795 (2024-11-10,
// in force 2025-01-01), art. 2: 元旦 1 day (1 January); 春节 4 days (除夕 to 正月初三); 清明节
// 1 day (the day of the 清明 solar term); 劳动节 2 days (1-2 May); 端午节 1 day (五月初五);
// 中秋节 1 day (八月十五); 国庆节 3 days (1-3 October). Art. 6: a holiday of all citizens that
// falls on a Saturday or Sunday is given on a working day (补假).
//
// The lunisolar dates follow GB/T 33661-2017 《农历的编算和颁行》: a month starts on the China
// Standard Time (UTC+8) date of the new moon; the month holding the winter solstice (冬至) is
// the 11th; in a year of 13 months from one 11th month to the next, the first month without
// a major solar term (中气) is the leap month. Solar terms are the instants the Sun's apparent
// geocentric ecliptic longitude reaches a multiple of 15°. Positions come from ERFA (the
// IAU SOFA routines: eraEpv00 for the Earth, eraMoon98 for the Moon, IAU 2006/2000A
// precession-nutation); they place the Sun within about a second of arc and the Moon within
// about ten, so a term or new moon is dated to within a minute.
#pragma once

#include <string>
#include <vector>

#include "nrp/core/calendar.h"
#include "nrp/core/status.h"

namespace nrp::chinese_calendar {

// First and last years the rule is computed for: the amended rule applies from 2025, and the
// positions are checked far beyond the calendar's ten-year horizon.
inline constexpr int kFirstRuleYear = 2025;
inline constexpr int kLastRuleYear = 2200;

// The China Standard Time date on which the Sun's apparent longitude reaches `degrees`
// (a multiple of 15: 0 春分, 15 清明, 270 冬至) in Gregorian year `year`.
Date SolarTermDate(int year, int degrees);

// The Gregorian date of lunar month `month` (1-12, not a leap month), day `day` (1-30) of the
// Chinese year that begins in Gregorian year `year`. INVALID_ARGUMENT for a day the month
// does not have.
Result<Date> LunarDate(int year, int month, int day);

// The Chinese New Year (正月初一) that falls in Gregorian year `year`.
Date NewYear(int year);

// The leap month (1-12) of the Chinese year beginning in `year`, or 0 when it has none.
int LeapMonth(int year);

struct StatutoryDay {
  Date date;
  std::string name;  // 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节, or 补假
  bool compensation;  // a 补假 day given for a holiday on a weekend or on another holiday
};

// The holidays of `year` under the rule above, in date order: the 13 statutory days and a
// 补假 on the next weekday that is no holiday for each of them that falls on a Saturday,
// a Sunday or a day another holiday already takes. INVALID_ARGUMENT outside
// [kFirstRuleYear, kLastRuleYear].
Result<std::vector<StatutoryDay>> StatutoryHolidays(int year);

}  // namespace nrp::chinese_calendar
