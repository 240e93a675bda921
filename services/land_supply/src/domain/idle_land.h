// Idle land (闲置土地, MLR Order 53): detection at the one- and two-year marks,
// the partial-development criteria, determination and disposal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/rules.h"
#include "domain/types.h"

namespace nrp::land_supply {

// What detection needs to know about one contract.
struct DevelopmentFacts {
  std::string contract_id;
  ContractState state = ContractState::kUnspecified;
  Date agreed_construction_start;
  std::optional<Date> construction_started_on;
  double area_m2 = 0;
  double developed_area_m2 = 0;
  int64_t agreed_investment_fen = 0;
  int64_t invested_fen = 0;
  std::optional<Date> work_stopped_since;
};

struct IdleFinding {
  IdleGround ground = IdleGround::kUnspecified;
  Date idle_since;  // the agreed start, or the day work stopped
  double idle_area_m2 = 0;
};

// Every ground that holds on `today` (Order 53 art. 2):
//  - no construction start and `idle_fee_years` full years past the agreed
//    start → NO_START_ONE_YEAR; `take_back_years` full years → also
//    NO_START_TWO_YEARS;
//  - construction started, work stopped `work_stopped_years` full years, and
//    developed area under the share → DEVELOPED_AREA_UNDER_ONE_THIRD, or
//    investment under the share → INVESTMENT_UNDER_ONE_QUARTER.
// Completed and terminated contracts are never idle.
std::vector<IdleFinding> FindIdleGrounds(const DevelopmentFacts& f, const Date& today,
                                         const Rules& rules);

// An officer opening a case names a ground; it must hold on `today`.
Status CheckIdleGround(const DevelopmentFacts& f, IdleGround ground, const Date& today,
                       const Rules& rules);

// 认定: INVESTIGATING → DETERMINED (idle, with its cause) or NOT_IDLE.
Status CheckDetermination(const std::string& case_id, IdleCaseState state, bool idle, int cause);

// 处置 (Order 53 arts. 12, 14).
struct DisposalFacts {
  std::string case_id;
  IdleCaseState state = IdleCaseState::kUnspecified;
  IdleGround ground = IdleGround::kUnspecified;
  IdleCause cause = IdleCause::kUnspecified;
  int64_t price_fen = 0;
  Date agreed_construction_start;
  Date today;
  // For the partial-development grounds: full years work has been stopped.
  std::optional<Date> work_stopped_since;
};

struct DisposalOutcome {
  IdleLandDisposal disposal = IdleLandDisposal::kUnspecified;
  int64_t fee_fen = 0;                         // IDLE_FEE: share of the price
  std::optional<Date> new_construction_start;  // EXTEND_START
  bool terminates_contract = false;            // TAKE_BACK, PAID_TAKE_BACK, REPLACEMENT
};

// Land-user fault: the fee after one full year, take-back after two; excused
// delays (government, force majeure): an extension by agreement to at most
// `max_extension_years` after the decision, a change of use, temporary use,
// paid take-back or replacement — never the fee or a take-back without
// compensation.
Result<DisposalOutcome> DecideDisposal(const DisposalFacts& f, int disposal,
                                       const std::optional<Date>& new_start, const Rules& rules);

// Fee = share × price, rounded to the fen.
int64_t IdleFee(int64_t price_fen, const Rules& rules);

}  // namespace nrp::land_supply
