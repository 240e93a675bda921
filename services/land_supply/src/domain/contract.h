// Grant contracts (出让合同), allocation decisions and leases: signing within
// the working-day limit, the payment schedule (at least 50% first, all within
// one year), payments, delivery (交地), construction start, progress and
// completion, and the overdue checks the scheduler runs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/rules.h"
#include "domain/types.h"

namespace nrp::land_supply {

struct InstallmentInput {
  Date due;
  int64_t amount_fen = 0;
};

// What the caller states when signing (the rest comes from the offer's result).
struct ContractTerms {
  std::string contract_number;
  std::string grantor;
  std::optional<Date> agreed_delivery_date;
  std::optional<Date> agreed_construction_start;
  std::optional<Date> agreed_completion_date;
  int64_t agreed_investment_fen = 0;
  std::vector<InstallmentInput> installments;
};

struct SigningFacts {
  std::string offer_id;
  OfferState offer_state = OfferState::kUnspecified;
  Date contract_due;      // from the result
  int64_t price_fen = 0;  // from the result
  Date today;
};

// INVALID_ARGUMENT for missing or malformed terms ("contract.<field>"),
// FAILED_PRECONDITION when the offer is not awarded, the signing deadline has
// passed, or the schedule breaks the payment rules.
Status CheckSigning(const SigningFacts& f, const ContractTerms& t, const Rules& rules);

// The payment schedule: sums to the price, the first installment is at least
// `first_payment_min_share` of it, every due date lies between signing and
// `payment_period_years` after it, due dates in order.
Status CheckInstallments(int64_t price_fen, const std::vector<InstallmentInput>& installments,
                         const Date& signed_on, const Rules& rules);

inline ContractKind KindForMethod(SupplyMethod m) {
  if (m == SupplyMethod::kAllocation) return ContractKind::kAllocationDecision;
  if (m == SupplyMethod::kLease) return ContractKind::kLease;
  return ContractKind::kGrant;
}

// A payment against a contract.
struct PaymentFacts {
  std::string contract_id;
  ContractState state = ContractState::kUnspecified;
  int64_t price_fen = 0;
  int64_t paid_fen = 0;                  // price paid so far (price + converted deposit)
  int64_t deposit_available_fen = 0;     // winner's deposit not yet converted
  int64_t idle_fee_outstanding_fen = 0;  // fees charged minus fees paid
  Date signed_on;
  Date today;
};

struct PaymentInput {
  int kind = 0;
  int64_t amount_fen = 0;
  std::optional<Date> paid_on;
};

struct PaymentEffect {
  int64_t paid_after_fen = 0;  // price paid after this payment
  bool now_fully_paid = false;
};

Result<PaymentEffect> ApplyPayment(const PaymentFacts& f, const PaymentInput& p);

// Which installments are overdue on `today`: an installment is overdue when
// its due date has passed and the price paid does not cover it and every
// installment before it. Returns their indexes.
std::vector<size_t> OverdueInstallments(const std::vector<InstallmentInput>& installments,
                                        int64_t paid_fen, const Date& today);

// 交地: FULLY_PAID → DELIVERED; the term runs from the delivery day.
struct DeliveryFacts {
  std::string contract_id;
  ContractState state = ContractState::kUnspecified;
  Date signed_on;
  Date today;
  int term_years = 0;
};
struct Term {
  Date start;
  std::optional<Date> end;  // none for an allocation without term
};
Result<Term> CheckDelivery(const DeliveryFacts& f, const std::optional<Date>& delivered_on);

// 动工: DELIVERED → CONSTRUCTION_STARTED.
Status CheckConstructionStart(const std::string& contract_id, ContractState state,
                              const Date& delivered_on, const std::optional<Date>& started_on,
                              const Date& today);

// Progress while under construction.
struct ProgressInput {
  std::optional<Date> reported_on;
  double developed_area_m2 = 0;
  int64_t invested_fen = 0;
  std::optional<Date> work_stopped_since;
};
Status CheckProgress(const std::string& contract_id, ContractState state, double parcel_area_m2,
                     const Date& started_on, const ProgressInput& p, const Date& today);

Status CheckCompletion(const std::string& contract_id, ContractState state, const Date& started_on,
                       const std::optional<Date>& completed_on, const Date& today);

// A date from a request: INVALID_ARGUMENT naming `field` unless a real date.
Result<Date> RequireDate(const std::optional<Date>& d, std::string_view field);

}  // namespace nrp::land_supply
