#include "nrp/core/config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace nrp {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace

Env::Env() = default;
Env::Env(std::map<std::string, std::string> vars) : vars_(std::move(vars)) {}

std::optional<std::string> Env::Lookup(std::string_view name) const {
  std::string key(name);
  if (vars_) {
    auto it = vars_->find(key);
    if (it == vars_->end()) return std::nullopt;
    return it->second;
  }
  const char* v = std::getenv(key.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

void Env::Problem(std::string_view name, std::string description) {
  problems_.push_back({std::string(name), std::move(description)});
}

std::string Env::String(std::string_view name, std::string default_value) {
  auto v = Lookup(name);
  std::string out = v ? *v : std::move(default_value);
  effective_[std::string(name)] = out;
  return out;
}

std::string Env::Required(std::string_view name) {
  auto v = Lookup(name);
  if (!v || Trim(*v).empty()) {
    Problem(name, "is required but not set");
    return {};
  }
  effective_[std::string(name)] = *v;
  return *v;
}

int64_t Env::Int(std::string_view name, int64_t default_value, int64_t min, int64_t max) {
  auto v = Lookup(name);
  if (!v || Trim(*v).empty()) {
    effective_[std::string(name)] = std::to_string(default_value);
    return default_value;
  }
  std::string t = Trim(*v);
  int64_t out = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
  if (ec != std::errc() || p != t.data() + t.size() || out < min || out > max) {
    Problem(name, "expected an integer in " + std::to_string(min) + ".." + std::to_string(max) +
                      ", got '" + *v + "'");
    return default_value;
  }
  effective_[std::string(name)] = t;
  return out;
}

double Env::Double(std::string_view name, double default_value, double min, double max) {
  auto v = Lookup(name);
  if (!v || Trim(*v).empty()) {
    effective_[std::string(name)] = std::to_string(default_value);
    return default_value;
  }
  std::string t = Trim(*v);
  char* end = nullptr;
  double out = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !(out >= min && out <= max)) {
    Problem(name, "expected a number in " + std::to_string(min) + ".." + std::to_string(max) +
                      ", got '" + *v + "'");
    return default_value;
  }
  effective_[std::string(name)] = t;
  return out;
}

bool Env::Bool(std::string_view name, bool default_value) {
  auto v = Lookup(name);
  if (!v || Trim(*v).empty()) {
    effective_[std::string(name)] = default_value ? "true" : "false";
    return default_value;
  }
  std::string t = Trim(*v);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  bool out;
  if (t == "true" || t == "1" || t == "yes" || t == "on") {
    out = true;
  } else if (t == "false" || t == "0" || t == "no" || t == "off") {
    out = false;
  } else {
    Problem(name, "expected true or false, got '" + *v + "'");
    return default_value;
  }
  effective_[std::string(name)] = out ? "true" : "false";
  return out;
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  std::string t = Trim(text);
  size_t i = 0;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  if (i == 0) return Error::InvalidArgument("duration", "expected e.g. 250ms, 5s, 2m, 1h");
  int64_t n = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + i, n);
  if (ec != std::errc()) return Error::InvalidArgument("duration", "number out of range");
  std::string unit = t.substr(i);
  int64_t factor;
  if (unit.empty() || unit == "ms") {
    factor = 1;
  } else if (unit == "s") {
    factor = 1000;
  } else if (unit == "m") {
    factor = 60'000;
  } else if (unit == "h") {
    factor = 3'600'000;
  } else {
    return Error::InvalidArgument("duration", "unknown unit '" + unit + "' (use ms, s, m or h)");
  }
  if (n > INT64_MAX / factor) return Error::InvalidArgument("duration", "too large");
  return std::chrono::milliseconds(n * factor);
}

std::chrono::milliseconds Env::Duration(std::string_view name,
                                        std::chrono::milliseconds default_value) {
  auto v = Lookup(name);
  if (!v || Trim(*v).empty()) {
    effective_[std::string(name)] = std::to_string(default_value.count()) + "ms";
    return default_value;
  }
  auto d = ParseDuration(*v);
  if (!d.ok()) {
    Problem(name, "expected a duration such as 250ms, 5s, 2m or 1h, got '" + *v + "'");
    return default_value;
  }
  effective_[std::string(name)] = Trim(*v);
  return *d;
}

std::vector<std::string> Env::List(std::string_view name, std::vector<std::string> default_value) {
  auto v = Lookup(name);
  std::vector<std::string> out;
  if (!v) {
    out = std::move(default_value);
  } else {
    size_t start = 0;
    while (start <= v->size()) {
      size_t comma = v->find(',', start);
      if (comma == std::string::npos) comma = v->size();
      std::string item = Trim(std::string_view(*v).substr(start, comma - start));
      if (!item.empty()) out.push_back(item);
      start = comma + 1;
    }
  }
  std::string joined;
  for (const auto& s : out) joined += (joined.empty() ? "" : ",") + s;
  effective_[std::string(name)] = joined;
  return out;
}

std::string Env::OneOf(std::string_view name, std::string default_value,
                       const std::vector<std::string>& allowed) {
  auto v = Lookup(name);
  std::string t = v ? Trim(*v) : default_value;
  if (t.empty()) t = default_value;
  if (std::find(allowed.begin(), allowed.end(), t) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    Problem(name, "expected one of " + list + ", got '" + t + "'");
    return default_value;
  }
  effective_[std::string(name)] = t;
  return t;
}

Status Env::Check() const {
  if (problems_.empty()) return Ok();
  std::string msg = "invalid configuration: ";
  for (size_t i = 0; i < problems_.size(); ++i) {
    if (i) msg += "; ";
    msg += problems_[i].field + ": " + problems_[i].description;
  }
  Error e(Code::kInvalidArgument, msg);
  for (const auto& p : problems_) e.AddField(p.field, p.description);
  return e;
}

}  // namespace nrp
