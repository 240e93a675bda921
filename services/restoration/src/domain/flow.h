// The flows of restoration as pure rules: which state a project or an obligation must be in
// for each step, and who may be responsible for which kind of project. A refusal is
// FAILED_PRECONDITION with the reason a caller can act on and the state it found.
#pragma once

#include <string>
#include <vector>

#include "domain/types.h"
#include "nrp/core/status.h"

namespace nrp::restoration {

// A step of a project's flow.
enum class ProjectStep {
  kApprove,           // 立项: PROPOSED
  kRecordFunding,     // 资金筹措: APPROVED, FUNDED
  kAssessRisk,        // 风险评估: APPROVED, FUNDED
  kStart,             // 开工: FUNDED (with a risk assessment)
  kReportProgress,    // 过程监管: IN_PROGRESS
  kComplete,          // 竣工: IN_PROGRESS, or ACCEPTANCE_FAILED once rectified
  kRecordAcceptance,  // 验收: COMPLETED
  kStartMaintenance,  // 管护: ACCEPTED
  kCancel,            // 撤项: any state before acceptance
  kDrawFund,          // drawn from the holder's fund: APPROVED to ACCEPTANCE_FAILED
  kTakeObligation,    // an obligation assigned: any state before acceptance
};
std::string_view Name(ProjectStep step);

// The states `step` may be taken from.
std::vector<ProjectState> StatesFor(ProjectStep step);
// FAILED_PRECONDITION PROJECT_STATE naming the project, its state and the states the step
// needs, unless `state` is one of them.
Status CheckProjectStep(const std::string& project_id, ProjectState state, ProjectStep step);
// The state a project enters when funding brings its total to `funded_fen` of `budget_fen`.
ProjectState StateAfterFunding(ProjectState state, int64_t funded_fen, int64_t budget_fen);

// Who may answer for a kind of project (谁破坏、谁治理; domain.md "Who pays"):
//   - a holder's restoration (MINE_HOLDER_RESTORATION) is the mine holder's, on its right;
//   - a historical (ownerless) mine site is the government's or invited private capital's,
//     never a holder's, and is ownerless;
//   - a project of the holder names the mining right whose damage it restores;
//   - a project tendered with a land grant (Wuzhong 003.md §3(d)) names the land offer.
// INVALID_ARGUMENT naming the field otherwise.
struct ProjectParties {
  ProjectKind kind = ProjectKind::kUnspecified;
  Responsibility responsibility = Responsibility::kUnspecified;
  bool ownerless = false;
  bool has_responsible_party = false;
  bool has_mining_right = false;
  bool has_land_offer = false;
};
Status CheckProjectParties(const ProjectParties& p);

// A step of an obligation's flow.
enum class ObligationStep {
  kAssign,   // a project takes it on: ONGOING, DUE
  kRelease,  // its project was cancelled: IN_PROGRESS (back to DUE, or ONGOING without due date)
  kFulfil,   // its project was accepted: IN_PROGRESS
  kAssume,   // 责任主体灭失: DUE
};
std::string_view Name(ObligationStep step);
// FAILED_PRECONDITION OBLIGATION_STATE naming the obligation and its state unless `state`
// allows `step`.
Status CheckObligationStep(const std::string& obligation_id, ObligationState state,
                           ObligationStep step);
// The state an obligation opened with `origin` starts in: a grant duty runs with the mine
// (ONGOING, no due date); every other origin is due now.
ObligationState OpeningState(ObligationOrigin origin);
// The origin of an obligation opened from a mining-rights event, by its ce_type; kUnspecified
// for an event that opens none.
ObligationOrigin OriginOfMiningEvent(std::string_view ce_type);

}  // namespace nrp::restoration
