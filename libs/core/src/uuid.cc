#include "nrp/core/uuid.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <random>

namespace nrp {
namespace {

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng([] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }());
  return rng;
}

std::string Format(const std::array<uint8_t, 16>& b) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[b[i] >> 4];
    out += hex[b[i] & 0xf];
  }
  return out;
}

}  // namespace

std::string NewUuidV4() {
  std::array<uint8_t, 16> b;
  uint64_t hi = Rng()(), lo = Rng()();
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
    b[8 + i] = static_cast<uint8_t>(lo >> (56 - 8 * i));
  }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return Format(b);
}

std::string NewUuidV7() {
  std::array<uint8_t, 16> b;
  uint64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(ms >> (40 - 8 * i));
  uint64_t r1 = Rng()(), r2 = Rng()();
  b[6] = static_cast<uint8_t>(0x70 | ((r1 >> 8) & 0x0f));
  b[7] = static_cast<uint8_t>(r1);
  for (int i = 0; i < 8; ++i) b[8 + i] = static_cast<uint8_t>(r2 >> (56 - 8 * i));
  b[8] = (b[8] & 0x3f) | 0x80;
  return Format(b);
}

bool IsUuid(std::string_view t) {
  if (t.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    char c = t[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace nrp
