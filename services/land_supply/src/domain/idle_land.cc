#include "domain/idle_land.h"

#include <cmath>

namespace nrp::land_supply {

namespace {

bool NotStarted(ContractState s) {
  return s == ContractState::kSigned || s == ContractState::kFullyPaid ||
         s == ContractState::kDelivered;
}

bool UnderAreaShare(const DevelopmentFacts& f, const Rules& rules) {
  return f.developed_area_m2 < f.area_m2 * rules.developed_area_min_share;
}

bool UnderInvestmentShare(const DevelopmentFacts& f, const Rules& rules) {
  return f.agreed_investment_fen > 0 &&
         static_cast<double>(f.invested_fen) <
             static_cast<double>(f.agreed_investment_fen) * rules.investment_min_share;
}

std::string Pct(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", share * 100);
  return buf;
}

}  // namespace

int64_t IdleFee(int64_t price_fen, const Rules& rules) {
  return static_cast<int64_t>(std::llround(static_cast<double>(price_fen) * rules.idle_fee_share));
}

std::vector<IdleFinding> FindIdleGrounds(const DevelopmentFacts& f, const Date& today,
                                         const Rules& rules) {
  std::vector<IdleFinding> out;
  if (NotStarted(f.state) && !f.construction_started_on) {
    if (today >= FullYearsElapsedOn(f.agreed_construction_start, rules.idle_fee_years)) {
      out.push_back({IdleGround::kNoStartOneYear, f.agreed_construction_start, f.area_m2});
    }
    if (today >= FullYearsElapsedOn(f.agreed_construction_start, rules.take_back_years)) {
      out.push_back({IdleGround::kNoStartTwoYears, f.agreed_construction_start, f.area_m2});
    }
    return out;
  }
  if (f.state == ContractState::kConstructionStarted && f.work_stopped_since &&
      today >= FullYearsElapsedOn(*f.work_stopped_since, rules.work_stopped_years)) {
    double idle_area = std::max(0.0, f.area_m2 - f.developed_area_m2);
    if (UnderAreaShare(f, rules)) {
      out.push_back({IdleGround::kDevelopedAreaUnderOneThird, *f.work_stopped_since, idle_area});
    } else if (UnderInvestmentShare(f, rules)) {
      out.push_back({IdleGround::kInvestmentUnderOneQuarter, *f.work_stopped_since, idle_area});
    }
  }
  return out;
}

Status CheckIdleGround(const DevelopmentFacts& f, IdleGround ground, const Date& today,
                       const Rules& rules) {
  auto refuse = [&](std::string why) {
    return Error::FailedPrecondition("IDLE_GROUND_NOT_MET", f.contract_id,
                                     "contract " + f.contract_id + ": " + why);
  };
  if (f.state == ContractState::kCompleted || f.state == ContractState::kTerminated) {
    return refuse("the contract is " + std::string(ContractStateName(f.state)) +
                  "; its land cannot be idle");
  }
  switch (ground) {
    case IdleGround::kNoStartOneYear:
    case IdleGround::kNoStartTwoYears: {
      int years =
          ground == IdleGround::kNoStartOneYear ? rules.idle_fee_years : rules.take_back_years;
      if (f.construction_started_on) {
        return refuse("construction started on " + f.construction_started_on->ToString());
      }
      Date from = FullYearsElapsedOn(f.agreed_construction_start, years);
      if (today < from) {
        return refuse(std::to_string(years) + " full year(s) after the agreed start " +
                      f.agreed_construction_start.ToString() + " pass only on " + from.ToString() +
                      " (Order 53 art. 2)");
      }
      return Ok();
    }
    case IdleGround::kDevelopedAreaUnderOneThird:
    case IdleGround::kInvestmentUnderOneQuarter: {
      if (f.state != ContractState::kConstructionStarted) {
        return refuse("construction has not started; use a no-start ground");
      }
      if (!f.work_stopped_since) return refuse("work has not stopped");
      Date from = FullYearsElapsedOn(*f.work_stopped_since, rules.work_stopped_years);
      if (today < from) {
        return refuse("work stopped on " + f.work_stopped_since->ToString() + "; " +
                      std::to_string(rules.work_stopped_years) + " full year(s) pass only on " +
                      from.ToString() + " (Order 53 art. 2)");
      }
      if (ground == IdleGround::kDevelopedAreaUnderOneThird && !UnderAreaShare(f, rules)) {
        return refuse("developed area " + FormatArea(f.developed_area_m2) + " is not under " +
                      Pct(rules.developed_area_min_share) + " of " + FormatArea(f.area_m2));
      }
      if (ground == IdleGround::kInvestmentUnderOneQuarter && !UnderInvestmentShare(f, rules)) {
        return refuse("investment made " + FormatMoney(f.invested_fen) + " is not under " +
                      Pct(rules.investment_min_share) + " of the agreed " +
                      FormatMoney(f.agreed_investment_fen));
      }
      return Ok();
    }
    case IdleGround::kUnspecified:
      break;
  }
  return Error::InvalidArgument("ground",
                                "must be an IdleGround value other than IDLE_GROUND_UNSPECIFIED");
}

Status CheckDetermination(const std::string& case_id, IdleCaseState state, bool idle, int cause) {
  if (state != IdleCaseState::kInvestigating) {
    return Error::FailedPrecondition("IDLE_CASE_STATE", case_id,
                                     "case " + case_id + " is " +
                                         std::string(IdleCaseStateName(state)) +
                                         "; only a case under investigation is determined");
  }
  if (idle && !InEnumRange(cause, kIdleCauseMax)) {
    return Error::InvalidArgument(
        "cause", "must be an IdleCause value other than IDLE_CAUSE_UNSPECIFIED when idle");
  }
  if (!idle && cause != 0) {
    return Error::InvalidArgument("cause", "must be unset when the land is not idle");
  }
  return Ok();
}

Result<DisposalOutcome> DecideDisposal(const DisposalFacts& f, int disposal_value,
                                       const std::optional<Date>& new_start, const Rules& rules) {
  if (!InEnumRange(disposal_value, kIdleLandDisposalMax)) {
    return Error::InvalidArgument(
        "disposal", "must be an IdleLandDisposal value other than IDLE_LAND_DISPOSAL_UNSPECIFIED");
  }
  auto disposal = static_cast<IdleLandDisposal>(disposal_value);
  if (f.state != IdleCaseState::kDetermined) {
    return Error::FailedPrecondition("IDLE_CASE_STATE", f.case_id,
                                     "case " + f.case_id + " is " +
                                         std::string(IdleCaseStateName(f.state)) +
                                         "; only a case determined idle is disposed");
  }
  if (disposal != IdleLandDisposal::kExtendStart && new_start) {
    return Error::InvalidArgument("new_construction_start", "only for EXTEND_START");
  }
  DisposalOutcome out;
  out.disposal = disposal;
  bool excused = f.cause == IdleCause::kGovernment || f.cause == IdleCause::kForceMajeure;
  auto refuse = [&](std::string type, std::string why) {
    return Error::FailedPrecondition(std::move(type), f.case_id, "case " + f.case_id + ": " + why);
  };

  if (!excused) {
    // Land user's fault (Order 53 art. 14).
    if (disposal == IdleLandDisposal::kIdleFee) {
      if (f.ground == IdleGround::kNoStartTwoYears) {
        return refuse("DISPOSAL_NOT_ALLOWED",
                      "land idle two full years by the land user's fault is taken back without "
                      "compensation (Order 53 art. 14(2)); the fee does not apply");
      }
      out.fee_fen = IdleFee(f.price_fen, rules);
      return out;
    }
    if (disposal == IdleLandDisposal::kTakeBack) {
      bool two_years = f.ground == IdleGround::kNoStartTwoYears;
      if (!two_years && f.work_stopped_since &&
          (f.ground == IdleGround::kDevelopedAreaUnderOneThird ||
           f.ground == IdleGround::kInvestmentUnderOneQuarter)) {
        two_years = f.today >= FullYearsElapsedOn(*f.work_stopped_since, rules.take_back_years);
      }
      if (!two_years) {
        return refuse("DISPOSAL_NOT_ALLOWED",
                      "take-back without compensation needs " +
                          std::to_string(rules.take_back_years) +
                          " full idle years (Order 53 art. 14(2)); this case is for " +
                          std::string(IdleGroundName(f.ground)));
      }
      out.terminates_contract = true;
      return out;
    }
    return refuse("DISPOSAL_NOT_ALLOWED",
                  "the delay was caused by the land user; only the idle-land fee or take-back "
                  "apply (Order 53 art. 14), not " +
                      std::string(IdleLandDisposalName(disposal)));
  }

  // Excused delay (Order 53 arts. 8, 12).
  switch (disposal) {
    case IdleLandDisposal::kIdleFee:
    case IdleLandDisposal::kTakeBack:
      return refuse("DISPOSAL_NOT_ALLOWED",
                    "the delay was caused by government or force majeure; " +
                        std::string(IdleLandDisposalName(disposal)) +
                        " applies only to the land user's fault (Order 53 arts. 8, 12)");
    case IdleLandDisposal::kExtendStart: {
      if (!new_start) {
        return Error::InvalidArgument("new_construction_start", "required for EXTEND_START");
      }
      if (!new_start->ok()) {
        return Error::InvalidArgument("new_construction_start", "is not a valid date");
      }
      if (*new_start <= f.agreed_construction_start) {
        return Error::InvalidArgument(
            "new_construction_start",
            "must be after the agreed start " + f.agreed_construction_start.ToString());
      }
      Date latest = f.today.AddYears(rules.max_extension_years);
      if (*new_start > latest) {
        return refuse("EXTENSION_TOO_LONG", "the new start " + new_start->ToString() +
                                                " is more than " +
                                                std::to_string(rules.max_extension_years) +
                                                " year(s) after the disposal decision; at most " +
                                                latest.ToString() + " (Order 53 art. 12(1))");
      }
      out.new_construction_start = *new_start;
      return out;
    }
    case IdleLandDisposal::kPaidTakeBack:
    case IdleLandDisposal::kReplacement:
      out.terminates_contract = true;
      return out;
    case IdleLandDisposal::kChangeUse:
    case IdleLandDisposal::kTemporaryUse:
      return out;
    case IdleLandDisposal::kUnspecified:
      break;
  }
  return Error::InvalidArgument("disposal", "unknown disposal");
}

}  // namespace nrp::land_supply
