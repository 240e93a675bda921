// Co-ownership (共有方式) and shares (按份共有) held as exact fractions: shares of one right
// must sum to exactly 1, which floating point cannot decide (1/3 + 1/3 + 1/3).
#pragma once

#include <cstdint>
#include <string>

#include "nrp/core/status.h"
#include "nrp/registration/v1/resources.pb.h"

namespace nrp::registration {

// A non-negative fraction in lowest terms.
class Fraction {
 public:
  Fraction() = default;
  // INVALID_ARGUMENT (naming `field`) unless 1 <= numerator <= denominator.
  static Result<Fraction> Share(int64_t numerator, int64_t denominator, const std::string& field);
  static Fraction Zero() { return Fraction(0, 1); }
  static Fraction One() { return Fraction(1, 1); }

  int64_t numerator() const { return num_; }
  int64_t denominator() const { return den_; }
  // Exact sum; INVALID_ARGUMENT naming `field` when the result does not fit in 64 bits.
  Result<Fraction> Plus(const Fraction& o, const std::string& field) const;
  std::string ToString() const;  // "1/3", "1"
  bool operator==(const Fraction& o) const { return num_ == o.num_ && den_ == o.den_; }

 private:
  Fraction(int64_t n, int64_t d) : num_(n), den_(d) {}
  int64_t num_ = 0;
  int64_t den_ = 1;
};

// Holders of a right against its co-ownership:
//   SOLE       exactly one holder, no share;
//   JOINT      two or more holders, no shares (共同共有);
//   BY_SHARES  two or more holders, each with a share, shares summing to exactly 1 (按份共有).
// A mortgage may have one or more mortgagees with any co-ownership. No holder twice.
// INVALID_ARGUMENT naming `field` (e.g. "registration_case.proposed_right").
Status ValidateHolders(const v1::Right& right, const std::string& field);

}  // namespace nrp::registration
