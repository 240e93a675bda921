#include "domain/shares.h"

#include <limits>
#include <numeric>

#include "domain/party.h"

namespace nrp::registration {

Result<Fraction> Fraction::Share(int64_t numerator, int64_t denominator, const std::string& field) {
  if (numerator < 1) {
    return Error::InvalidArgument(field + ".numerator",
                                  "must be at least 1, got " + std::to_string(numerator));
  }
  if (denominator < numerator) {
    return Error::InvalidArgument(field + ".denominator",
                                  "must be at least the numerator (" + std::to_string(numerator) +
                                      "), got " + std::to_string(denominator));
  }
  int64_t g = std::gcd(numerator, denominator);
  return Fraction(numerator / g, denominator / g);
}

Result<Fraction> Fraction::Plus(const Fraction& o, const std::string& field) const {
  __int128 n = static_cast<__int128>(num_) * o.den_ + static_cast<__int128>(o.num_) * den_;
  __int128 d = static_cast<__int128>(den_) * o.den_;
  __int128 a = n, b = d;
  while (b != 0) {
    __int128 t = a % b;
    a = b;
    b = t;
  }
  if (a > 1) {
    n /= a;
    d /= a;
  }
  constexpr __int128 kMax = std::numeric_limits<int64_t>::max();
  if (n > kMax || d > kMax) {
    return Error::InvalidArgument(field, "shares are too finely divided to add up exactly");
  }
  return Fraction(static_cast<int64_t>(n), static_cast<int64_t>(d));
}

std::string Fraction::ToString() const {
  if (den_ == 1) return std::to_string(num_);
  return std::to_string(num_) + "/" + std::to_string(den_);
}

Status ValidateHolders(const v1::Right& right, const std::string& field) {
  const std::string holders_field = field + ".holders";
  if (right.holders().empty())
    return Error::InvalidArgument(holders_field, "at least one holder is required");
  if (right.holders_size() > 1000) {
    return Error::InvalidArgument(holders_field, "at most 1000 holders");
  }
  for (int i = 0; i < right.holders_size(); ++i) {
    const std::string hf = holders_field + "[" + std::to_string(i) + "]";
    if (!right.holders(i).has_party()) return Error::InvalidArgument(hf + ".party", "is required");
    NRP_RETURN_IF_ERROR(ValidateParty(right.holders(i).party(), hf + ".party"));
    for (int j = 0; j < i; ++j) {
      if (SameParty(right.holders(i).party(), right.holders(j).party())) {
        return Error::InvalidArgument(hf + ".party",
                                      "is the same party as holders[" + std::to_string(j) + "]");
      }
    }
  }
  const bool mortgage = right.right_kind() == v1::RIGHT_KIND_MORTGAGE;
  switch (right.co_ownership()) {
    case v1::CO_OWNERSHIP_SOLE:
      if (right.holders_size() != 1) {
        return Error::InvalidArgument(field + ".co_ownership",
                                      "CO_OWNERSHIP_SOLE requires exactly one holder, got " +
                                          std::to_string(right.holders_size()));
      }
      if (right.holders(0).has_share()) {
        return Error::InvalidArgument(holders_field + "[0].share",
                                      "must be unset for sole ownership");
      }
      return Ok();
    case v1::CO_OWNERSHIP_JOINT:
      if (right.holders_size() < 2 && !mortgage) {
        return Error::InvalidArgument(field + ".co_ownership",
                                      "CO_OWNERSHIP_JOINT requires at least two holders");
      }
      for (int i = 0; i < right.holders_size(); ++i) {
        if (right.holders(i).has_share()) {
          return Error::InvalidArgument(holders_field + "[" + std::to_string(i) + "].share",
                                        "must be unset for joint ownership (共同共有)");
        }
      }
      return Ok();
    case v1::CO_OWNERSHIP_BY_SHARES: {
      if (right.holders_size() < 2) {
        return Error::InvalidArgument(field + ".co_ownership",
                                      "CO_OWNERSHIP_BY_SHARES requires at least two holders");
      }
      Fraction sum = Fraction::Zero();
      for (int i = 0; i < right.holders_size(); ++i) {
        const std::string sf = holders_field + "[" + std::to_string(i) + "].share";
        if (!right.holders(i).has_share()) {
          return Error::InvalidArgument(sf, "is required for ownership by shares (按份共有)");
        }
        NRP_ASSIGN_OR_RETURN(Fraction share,
                             Fraction::Share(right.holders(i).share().numerator(),
                                             right.holders(i).share().denominator(), sf));
        NRP_ASSIGN_OR_RETURN(sum, sum.Plus(share, holders_field));
      }
      if (!(sum == Fraction::One())) {
        return Error::InvalidArgument(
            holders_field, "shares sum to " + sum.ToString() + ", they must sum to exactly 1");
      }
      return Ok();
    }
    default:
      return Error::InvalidArgument(field + ".co_ownership",
                                    "must be CO_OWNERSHIP_SOLE, CO_OWNERSHIP_JOINT or "
                                    "CO_OWNERSHIP_BY_SHARES");
  }
}

}  // namespace nrp::registration
