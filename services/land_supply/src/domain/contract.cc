#include "domain/contract.h"

#include <cmath>

namespace nrp::land_supply {

Result<Date> RequireDate(const std::optional<Date>& d, std::string_view field) {
  if (!d) return Error::InvalidArgument(std::string(field), "required");
  if (!d->ok()) return Error::InvalidArgument(std::string(field), "is not a valid date");
  return *d;
}

Status CheckInstallments(int64_t price_fen, const std::vector<InstallmentInput>& installments,
                         const Date& signed_on, const Rules& rules) {
  if (installments.empty()) {
    if (price_fen == 0) return Ok();
    return Error::InvalidArgument("contract.installments",
                                  "required: the schedule of the price's payment");
  }
  int64_t total = 0;
  Date last_allowed = signed_on.AddYears(rules.payment_period_years);
  for (size_t i = 0; i < installments.size(); ++i) {
    const auto& in = installments[i];
    std::string field = "contract.installments[" + std::to_string(i) + "]";
    if (!in.due.ok()) return Error::InvalidArgument(field + ".due_date", "is not a valid date");
    if (in.amount_fen <= 0) {
      return Error::InvalidArgument(field + ".amount", "must be more than 0 fen");
    }
    if (i > 0 && in.due < installments[i - 1].due) {
      return Error::InvalidArgument(field + ".due_date", "installments must be in due-date order");
    }
    if (in.due < signed_on) {
      return Error::InvalidArgument(field + ".due_date",
                                    "is before the signing day " + signed_on.ToString());
    }
    if (in.due > last_allowed) {
      return Error::FailedPrecondition("PAYMENT_PERIOD_EXCEEDED", field,
                                       "installment " + std::to_string(i + 1) + " is due " +
                                           in.due.ToString() + "; the whole price is paid within " +
                                           std::to_string(rules.payment_period_years) +
                                           " year(s) of signing, by " + last_allowed.ToString());
    }
    total += in.amount_fen;
  }
  if (total != price_fen) {
    return Error::InvalidArgument(
        "contract.installments",
        "sum to " + FormatMoney(total) + ", not the price " + FormatMoney(price_fen));
  }
  auto min_first = static_cast<int64_t>(
      std::ceil(static_cast<double>(price_fen) * rules.first_payment_min_share));
  if (installments.front().amount_fen < min_first) {
    return Error::FailedPrecondition(
        "FIRST_PAYMENT_TOO_SMALL", "contract.installments[0]",
        "the first installment " + FormatMoney(installments.front().amount_fen) + " is less than " +
            std::to_string(static_cast<int>(rules.first_payment_min_share * 100)) +
            "% of the price, " + FormatMoney(min_first));
  }
  return Ok();
}

Status CheckSigning(const SigningFacts& f, const ContractTerms& t, const Rules& rules) {
  if (t.contract_number.empty()) {
    return Error::InvalidArgument("contract.contract_number", "required (合同编号/电子监管号)");
  }
  if (t.contract_number.size() > 64) {
    return Error::InvalidArgument("contract.contract_number", "at most 64 characters");
  }
  if (t.grantor.empty()) return Error::InvalidArgument("contract.grantor", "required");
  NRP_ASSIGN_OR_RETURN(Date delivery,
                       RequireDate(t.agreed_delivery_date, "contract.agreed_delivery_date"));
  NRP_ASSIGN_OR_RETURN(
      Date start, RequireDate(t.agreed_construction_start, "contract.agreed_construction_start"));
  NRP_ASSIGN_OR_RETURN(Date completion,
                       RequireDate(t.agreed_completion_date, "contract.agreed_completion_date"));
  if (start < delivery) {
    return Error::InvalidArgument("contract.agreed_construction_start",
                                  "must not be before the agreed delivery date");
  }
  if (completion < start) {
    return Error::InvalidArgument("contract.agreed_completion_date",
                                  "must not be before the agreed construction start");
  }
  if (t.agreed_investment_fen < 0) {
    return Error::InvalidArgument("contract.agreed_investment", "must not be negative");
  }
  if (f.offer_state != OfferState::kAwarded) {
    return Error::FailedPrecondition("OFFER_NOT_AWARDED", f.offer_id,
                                     "offer " + f.offer_id + " is " +
                                         std::string(OfferStateName(f.offer_state)) +
                                         "; a contract is signed only for an AWARDED offer");
  }
  if (f.today > f.contract_due) {
    return Error::FailedPrecondition(
        "CONTRACT_SIGNING_OVERDUE", f.offer_id,
        "the contract for offer " + f.offer_id + " was due by " + f.contract_due.ToString() + " (" +
            std::to_string(rules.contract_signing_working_days) +
            " working days after the result); it can no longer be signed");
  }
  return CheckInstallments(f.price_fen, t.installments, f.today, rules);
}

Result<PaymentEffect> ApplyPayment(const PaymentFacts& f, const PaymentInput& p) {
  if (!InEnumRange(p.kind, kPaymentKindMax)) {
    return Error::InvalidArgument(
        "payment.kind", "must be a PaymentKind value other than PAYMENT_KIND_UNSPECIFIED, got " +
                            std::to_string(p.kind));
  }
  if (p.amount_fen <= 0) {
    return Error::InvalidArgument("payment.amount", "must be more than 0 fen");
  }
  NRP_ASSIGN_OR_RETURN(Date paid_on, RequireDate(p.paid_on, "payment.paid_on"));
  if (paid_on > f.today) {
    return Error::InvalidArgument("payment.paid_on", "is in the future");
  }
  if (paid_on < f.signed_on) {
    return Error::InvalidArgument("payment.paid_on",
                                  "is before the contract was signed on " + f.signed_on.ToString());
  }
  if (f.state == ContractState::kTerminated) {
    return Error::FailedPrecondition("CONTRACT_STATE", f.contract_id,
                                     "contract " + f.contract_id + " is TERMINATED");
  }
  auto kind = static_cast<PaymentKind>(p.kind);
  PaymentEffect e;
  e.paid_after_fen = f.paid_fen;
  switch (kind) {
    case PaymentKind::kDepositConverted:
      if (p.amount_fen > f.deposit_available_fen) {
        return Error::FailedPrecondition(
            "DEPOSIT_EXCEEDED", f.contract_id,
            "only " + FormatMoney(f.deposit_available_fen) +
                " of the grantee's deposit is left to convert into price");
      }
      [[fallthrough]];
    case PaymentKind::kPrice:
      if (f.paid_fen + p.amount_fen > f.price_fen) {
        return Error::FailedPrecondition("PRICE_OVERPAID", f.contract_id,
                                         "the payment of " + FormatMoney(p.amount_fen) +
                                             " exceeds the price still due, " +
                                             FormatMoney(f.price_fen - f.paid_fen));
      }
      e.paid_after_fen = f.paid_fen + p.amount_fen;
      e.now_fully_paid = f.state == ContractState::kSigned && e.paid_after_fen == f.price_fen;
      break;
    case PaymentKind::kIdleLandFee:
      if (p.amount_fen > f.idle_fee_outstanding_fen) {
        return Error::FailedPrecondition("IDLE_FEE_NOT_DUE", f.contract_id,
                                         "idle-land fee outstanding on contract " + f.contract_id +
                                             " is " + FormatMoney(f.idle_fee_outstanding_fen));
      }
      break;
    case PaymentKind::kLatePenalty:
    case PaymentKind::kUnspecified:
      break;
  }
  return e;
}

std::vector<size_t> OverdueInstallments(const std::vector<InstallmentInput>& installments,
                                        int64_t paid_fen, const Date& today) {
  std::vector<size_t> out;
  int64_t cumulative = 0;
  for (size_t i = 0; i < installments.size(); ++i) {
    cumulative += installments[i].amount_fen;
    if (installments[i].due < today && paid_fen < cumulative) out.push_back(i);
  }
  return out;
}

Result<Term> CheckDelivery(const DeliveryFacts& f, const std::optional<Date>& delivered_on) {
  NRP_ASSIGN_OR_RETURN(Date day, RequireDate(delivered_on, "delivered_on"));
  if (f.state != ContractState::kFullyPaid) {
    return Error::FailedPrecondition(
        "PRICE_NOT_PAID", f.contract_id,
        "contract " + f.contract_id + " is " + std::string(ContractStateName(f.state)) +
            "; land is handed over only when the price is paid in full (FULLY_PAID)");
  }
  if (day > f.today) return Error::InvalidArgument("delivered_on", "is in the future");
  if (day < f.signed_on) {
    return Error::InvalidArgument("delivered_on", "is before the contract was signed");
  }
  Term t;
  t.start = day;
  if (f.term_years > 0) t.end = day.AddYears(f.term_years).AddDays(-1);
  return t;
}

Status CheckConstructionStart(const std::string& contract_id, ContractState state,
                              const Date& delivered_on, const std::optional<Date>& started_on,
                              const Date& today) {
  NRP_ASSIGN_OR_RETURN(Date day, RequireDate(started_on, "started_on"));
  if (state != ContractState::kDelivered) {
    return Error::FailedPrecondition("CONTRACT_STATE", contract_id,
                                     "contract " + contract_id + " is " +
                                         std::string(ContractStateName(state)) +
                                         "; construction starts on DELIVERED land");
  }
  if (day > today) return Error::InvalidArgument("started_on", "is in the future");
  if (day < delivered_on) {
    return Error::InvalidArgument("started_on",
                                  "is before the land was delivered on " + delivered_on.ToString());
  }
  return Ok();
}

Status CheckProgress(const std::string& contract_id, ContractState state, double parcel_area_m2,
                     const Date& started_on, const ProgressInput& p, const Date& today) {
  NRP_ASSIGN_OR_RETURN(Date reported, RequireDate(p.reported_on, "reported_on"));
  if (state != ContractState::kConstructionStarted) {
    return Error::FailedPrecondition("CONTRACT_STATE", contract_id,
                                     "contract " + contract_id + " is " +
                                         std::string(ContractStateName(state)) +
                                         "; progress is reported while CONSTRUCTION_STARTED");
  }
  if (reported > today) return Error::InvalidArgument("reported_on", "is in the future");
  if (reported < started_on) {
    return Error::InvalidArgument("reported_on", "is before construction started");
  }
  if (!std::isfinite(p.developed_area_m2) || p.developed_area_m2 < 0) {
    return Error::InvalidArgument("developed_area.square_metres",
                                  "must be a finite number not below 0");
  }
  if (p.developed_area_m2 > parcel_area_m2 * 1.000001) {
    return Error::InvalidArgument("developed_area.square_metres",
                                  "exceeds the parcel's area " + FormatArea(parcel_area_m2));
  }
  if (p.invested_fen < 0) return Error::InvalidArgument("invested.fen", "must not be negative");
  if (p.work_stopped_since) {
    if (!p.work_stopped_since->ok()) {
      return Error::InvalidArgument("work_stopped_since", "is not a valid date");
    }
    if (*p.work_stopped_since > reported) {
      return Error::InvalidArgument("work_stopped_since", "is after reported_on");
    }
    if (*p.work_stopped_since < started_on) {
      return Error::InvalidArgument("work_stopped_since", "is before construction started");
    }
  }
  return Ok();
}

Status CheckCompletion(const std::string& contract_id, ContractState state, const Date& started_on,
                       const std::optional<Date>& completed_on, const Date& today) {
  NRP_ASSIGN_OR_RETURN(Date day, RequireDate(completed_on, "completed_on"));
  if (state != ContractState::kConstructionStarted) {
    return Error::FailedPrecondition("CONTRACT_STATE", contract_id,
                                     "contract " + contract_id + " is " +
                                         std::string(ContractStateName(state)) +
                                         "; completion follows CONSTRUCTION_STARTED");
  }
  if (day > today) return Error::InvalidArgument("completed_on", "is in the future");
  if (day < started_on) {
    return Error::InvalidArgument("completed_on", "is before construction started");
  }
  return Ok();
}

}  // namespace nrp::land_supply
