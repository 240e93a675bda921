// The ledger of a right's restoration fund (矿山地质环境治理恢复基金, which replaced the old
// deposit under 财建〔2017〕638号): deposits and withdrawals in fen, never negative, every
// entry numbered from 1 without gaps.
#pragma once

#include <cstdint>
#include <string>

#include "nrp/core/status.h"

namespace nrp::restoration {

struct Ledger {
  int64_t balance_fen = 0;
  int64_t deposited_fen = 0;
  int64_t withdrawn_fen = 0;
  int64_t entry_count = 0;
};

// The ledger after a deposit; INVALID_ARGUMENT `amount` when not positive or when a total
// would overflow.
Result<Ledger> Deposit(const Ledger& l, int64_t amount_fen);
// The ledger after a withdrawal; INVALID_ARGUMENT `amount` when not positive,
// FAILED_PRECONDITION FUND_INSUFFICIENT naming the account, the amount and the balance when
// it exceeds the balance.
Result<Ledger> Withdraw(const Ledger& l, int64_t amount_fen, const std::string& account_id);

// `a` + `b` for sums of money; INVALID_ARGUMENT naming `field` on overflow or a negative part.
Result<int64_t> AddFen(int64_t a, int64_t b, const std::string& field);
// "1,234.56 元" for messages.
std::string Yuan(int64_t fen);

}  // namespace nrp::restoration
