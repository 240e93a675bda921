#include "nrp/core/log.h"

#include <cstdio>
#include <iostream>
#include <mutex>

#include "nrp/core/clock.h"

namespace nrp::log {
namespace {

struct State {
  std::mutex mu;
  std::string service = "nrp";
  Level min = Level::kInfo;
  std::ostream* out = nullptr;
};

State& GetState() {
  static State* s = new State();
  return *s;
}

thread_local std::vector<Field> tls_context;

const char* LevelName(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

void AppendField(std::string& out, const Field& f) {
  out += ',';
  AppendJsonString(out, f.key);
  out += ':';
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          AppendJsonString(out, v);
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, double>) {
          char buf[64];
          std::snprintf(buf, sizeof buf, "%.17g", v);
          out += buf;
        } else {
          out += std::to_string(v);
        }
      },
      f.value);
}

}  // namespace

void Configure(std::string service, Level min_level, std::ostream* out) {
  State& s = GetState();
  std::lock_guard lock(s.mu);
  s.service = std::move(service);
  s.min = min_level;
  s.out = out;
}

bool ParseLevel(std::string_view text, Level* out) {
  if (text == "debug") *out = Level::kDebug;
  else if (text == "info") *out = Level::kInfo;
  else if (text == "warn") *out = Level::kWarn;
  else if (text == "error") *out = Level::kError;
  else return false;
  return true;
}

bool Enabled(Level level) { return level >= GetState().min; }

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void Write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  State& s = GetState();
  if (level < s.min) return;
  std::string line;
  line.reserve(256);
  line += "{\"ts\":";
  AppendJsonString(line, FormatRfc3339(SystemClock::Instance().Now()));
  line += ",\"level\":\"";
  line += LevelName(level);
  line += "\",\"service\":";
  {
    std::lock_guard lock(s.mu);
    AppendJsonString(line, s.service);
  }
  line += ",\"msg\":";
  AppendJsonString(line, message);
  for (const auto& f : tls_context) AppendField(line, f);
  for (const auto& f : fields) AppendField(line, f);
  line += "}\n";
  std::lock_guard lock(s.mu);
  std::ostream& os = s.out ? *s.out : std::cerr;
  os << line;
  os.flush();
}

ScopedContext::ScopedContext(std::initializer_list<Field> fields)
    : previous_size_(tls_context.size()) {
  tls_context.insert(tls_context.end(), fields.begin(), fields.end());
}

ScopedContext::~ScopedContext() { tls_context.resize(previous_size_, Field("", "")); }

std::string MaskIdNumber(std::string_view id) {
  if (id.size() <= 10) return std::string(id.size(), '*');
  std::string out(id.substr(0, 6));
  out.append(id.size() - 10, '*');
  out.append(id.substr(id.size() - 4));
  return out;
}

}  // namespace nrp::log
