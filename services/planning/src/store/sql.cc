#include "store/sql.h"

#include <cstdio>

namespace nrp::planning::store {

std::string TextArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::string HexEncode(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string HexDecode(std::string_view hex) {
  auto val = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(val(hex[i]) * 16 + val(hex[i + 1]));
  }
  return out;
}

std::optional<std::string> NumberOrNull(const std::optional<double>& v) {
  if (!v) return std::nullopt;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", *v);
  return std::string(buf);
}

std::optional<std::string> DateOrNull(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return d->ToString();
}

std::string MicrosSql(std::string_view column) {
  return "(extract(epoch from " + std::string(column) + ") * 1000000)::bigint";
}

TimePoint FromMicros(int64_t micros) {
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(micros)));
}

std::optional<TimePoint> OptionalTime(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return FromMicros(f.as<int64_t>());
}

std::optional<Date> OptionalDate(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  auto d = Date::Parse(f.c_str());
  if (!d.ok()) return std::nullopt;
  return *d;
}

std::optional<double> OptionalDouble(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<double>();
}

}  // namespace nrp::planning::store
