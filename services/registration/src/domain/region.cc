#include "domain/region.h"

#include <map>

namespace nrp::registration {

bool AllDigits(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string ProvinceAbbreviation(std::string_view region_code) {
  // GB/T 2260 province-level codes and the abbreviations printed on certificates.
  static const std::map<std::string, std::string, std::less<>> kAbbrev = {
      {"11", "京"}, {"12", "津"}, {"13", "冀"}, {"14", "晋"}, {"15", "蒙"}, {"21", "辽"},
      {"22", "吉"}, {"23", "黑"}, {"31", "沪"}, {"32", "苏"}, {"33", "浙"}, {"34", "皖"},
      {"35", "闽"}, {"36", "赣"}, {"37", "鲁"}, {"41", "豫"}, {"42", "鄂"}, {"43", "湘"},
      {"44", "粤"}, {"45", "桂"}, {"46", "琼"}, {"50", "渝"}, {"51", "川"}, {"52", "黔"},
      {"53", "云"}, {"54", "藏"}, {"61", "陕"}, {"62", "甘"}, {"63", "青"}, {"64", "宁"},
      {"65", "新"}, {"71", "台"}, {"81", "港"}, {"82", "澳"}};
  if (region_code.size() < 2) return "";
  auto it = kAbbrev.find(region_code.substr(0, 2));
  return it == kAbbrev.end() ? "" : it->second;
}

Status ValidateRegionCode(std::string_view code, std::string_view field) {
  if (code.empty()) return Error::InvalidArgument(std::string(field), "is required");
  if (!AllDigits(code, 6)) {
    return Error::InvalidArgument(
        std::string(field), "must be a 6-digit GB/T 2260 code, got '" + std::string(code) + "'");
  }
  if (ProvinceAbbreviation(code).empty()) {
    return Error::InvalidArgument(std::string(field), "'" + std::string(code.substr(0, 2)) +
                                                          "' is not a GB/T 2260 province code");
  }
  return Ok();
}

bool InRegionScope(std::string_view region_code, const std::vector<std::string>& prefixes) {
  for (const auto& p : prefixes) {
    if (!p.empty() && region_code.substr(0, p.size()) == p) return true;
  }
  return false;
}

Status CheckRegionScope(std::string_view region_code, const std::vector<std::string>& prefixes) {
  if (InRegionScope(region_code, prefixes)) return Ok();
  std::string list;
  for (const auto& p : prefixes) {
    if (!list.empty()) list += ",";
    list += p;
  }
  if (list.empty()) list = "none";
  return Error::PermissionDenied("region " + std::string(region_code) +
                                 " is outside the caller's regions (" + list + ")");
}

}  // namespace nrp::registration
