#include "nrp/core/trace.h"

#include <chrono>
#include <random>

namespace nrp::trace {

namespace {

thread_local std::string current;

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return !s.empty();
}

std::string RandomHex(size_t digits) {
  thread_local std::mt19937_64 rng{
      std::random_device{}() ^
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())};
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  while (true) {
    out.clear();
    bool zero = true;
    while (out.size() < digits) {
      uint64_t v = rng();
      for (int i = 0; i < 16 && out.size() < digits; ++i) {
        int d = static_cast<int>((v >> (60 - 4 * i)) & 15);
        zero = zero && d == 0;
        out += kHex[d];
      }
    }
    if (!zero) return out;
  }
}

}  // namespace

std::string TraceIdOf(std::string_view tp) {
  // version "-" trace-id "-" parent-id "-" flags; future versions may append fields.
  if (tp.size() < 55 || tp[2] != '-' || tp[35] != '-' || tp[52] != '-') return "";
  if (tp.size() > 55 && tp[55] != '-') return "";
  std::string_view version = tp.substr(0, 2), id = tp.substr(3, 32), parent = tp.substr(36, 16),
                   flags = tp.substr(53, 2);
  if (!IsLowerHex(version) || version == "ff" || !IsLowerHex(id) || !IsLowerHex(parent) ||
      !IsLowerHex(flags)) {
    return "";
  }
  if (version == "00" && tp.size() != 55) return "";
  if (id == std::string(32, '0') || parent == std::string(16, '0')) return "";
  return std::string(id);
}

bool IsValidTraceparent(std::string_view traceparent) { return !TraceIdOf(traceparent).empty(); }

std::string NewTraceId() { return RandomHex(32); }
std::string NewSpanId() { return RandomHex(16); }

std::string Continue(std::string_view parent, std::string_view trace_id) {
  std::string id = TraceIdOf(parent);
  if (!id.empty()) return "00-" + id + "-" + NewSpanId() + "-" + std::string(parent.substr(53, 2));
  if (trace_id.size() == 32 && IsLowerHex(trace_id) && trace_id != std::string(32, '0')) {
    id = std::string(trace_id);
  } else {
    id = NewTraceId();
  }
  return "00-" + id + "-" + NewSpanId() + "-01";
}

const std::string& Current() { return current; }

Scope::Scope(std::string traceparent) : previous_(std::move(current)) {
  current = std::move(traceparent);
}

Scope::~Scope() { current = std::move(previous_); }

}  // namespace nrp::trace
