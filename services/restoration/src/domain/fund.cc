#include "domain/fund.h"

#include <cstdio>
#include <limits>

namespace nrp::restoration {

Result<int64_t> AddFen(int64_t a, int64_t b, const std::string& field) {
  if (a < 0 || b < 0) return Error::InvalidArgument(field, "must not be negative");
  if (a > std::numeric_limits<int64_t>::max() - b) {
    return Error::InvalidArgument(field, "makes a total beyond what a sum of money can hold");
  }
  return a + b;
}

std::string Yuan(int64_t fen) {
  const bool negative = fen < 0;
  const unsigned long long v =
      negative ? 0ULL - static_cast<unsigned long long>(fen) : static_cast<unsigned long long>(fen);
  std::string whole = std::to_string(v / 100);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  char cents[8];
  std::snprintf(cents, sizeof cents, ".%02llu", v % 100);
  return (negative ? "-" : "") + grouped + cents + " 元";
}

Result<Ledger> Deposit(const Ledger& l, int64_t amount_fen) {
  if (amount_fen <= 0) return Error::InvalidArgument("amount", "must be positive");
  Ledger out = l;
  NRP_ASSIGN_OR_RETURN(out.balance_fen, AddFen(l.balance_fen, amount_fen, "amount"));
  NRP_ASSIGN_OR_RETURN(out.deposited_fen, AddFen(l.deposited_fen, amount_fen, "amount"));
  out.entry_count = l.entry_count + 1;
  return out;
}

Result<Ledger> Withdraw(const Ledger& l, int64_t amount_fen, const std::string& account_id) {
  if (amount_fen <= 0) return Error::InvalidArgument("amount", "must be positive");
  if (amount_fen > l.balance_fen) {
    return Error::FailedPrecondition("FUND_INSUFFICIENT", account_id,
                                     "fund " + account_id + " holds " + Yuan(l.balance_fen) +
                                         "; a withdrawal of " + Yuan(amount_fen) +
                                         " would leave it negative");
  }
  Ledger out = l;
  out.balance_fen = l.balance_fen - amount_fen;
  NRP_ASSIGN_OR_RETURN(out.withdrawn_fen, AddFen(l.withdrawn_fen, amount_fen, "amount"));
  out.entry_count = l.entry_count + 1;
  return out;
}

}  // namespace nrp::restoration
