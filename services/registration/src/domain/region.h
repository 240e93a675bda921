// Region codes (GB/T 2260 行政区划代码) and the caller's regional scope.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nrp/core/status.h"

namespace nrp::registration {

// True for a string of exactly `n` ASCII digits.
bool AllDigits(std::string_view s, size_t n);

// Number of Unicode characters in UTF-8 text (for messages about lengths).
size_t Utf8Length(std::string_view s);

// The province abbreviation (简称) used on certificates, from the first two digits of a
// region code ("41" → "豫", "14" → "晋"); empty for an unknown province.
std::string ProvinceAbbreviation(std::string_view region_code);

// INVALID_ARGUMENT naming `field` unless `code` is 6 digits with a known province prefix.
Status ValidateRegionCode(std::string_view code, std::string_view field = "region_code");

// The caller may act on `region_code` only when it starts with one of `prefixes`
// (e.g. prefix "4103" covers every county of Luoyang). PERMISSION_DENIED otherwise:
// "region 410302 is outside the caller's regions (4102)".
Status CheckRegionScope(std::string_view region_code, const std::vector<std::string>& prefixes);
bool InRegionScope(std::string_view region_code, const std::vector<std::string>& prefixes);

}  // namespace nrp::registration
