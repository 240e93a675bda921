#include "domain/flow.h"

namespace nrp::restoration {

std::string_view Name(ProjectState s) {
  switch (s) {
    case ProjectState::kProposed:
      return "PROPOSED";
    case ProjectState::kApproved:
      return "APPROVED";
    case ProjectState::kFunded:
      return "FUNDED";
    case ProjectState::kInProgress:
      return "IN_PROGRESS";
    case ProjectState::kCompleted:
      return "COMPLETED";
    case ProjectState::kAccepted:
      return "ACCEPTED";
    case ProjectState::kAcceptanceFailed:
      return "ACCEPTANCE_FAILED";
    case ProjectState::kMaintenance:
      return "MAINTENANCE";
    case ProjectState::kCancelled:
      return "CANCELLED";
    case ProjectState::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

std::string_view Name(ObligationState s) {
  switch (s) {
    case ObligationState::kOngoing:
      return "ONGOING";
    case ObligationState::kDue:
      return "DUE";
    case ObligationState::kInProgress:
      return "IN_PROGRESS";
    case ObligationState::kFulfilled:
      return "FULFILLED";
    case ObligationState::kAssumedByGovernment:
      return "ASSUMED_BY_GOVERNMENT";
    case ObligationState::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

std::string_view Name(ProjectStep step) {
  switch (step) {
    case ProjectStep::kApprove:
      return "approval";
    case ProjectStep::kRecordFunding:
      return "funding";
    case ProjectStep::kAssessRisk:
      return "a risk assessment";
    case ProjectStep::kStart:
      return "the start of works";
    case ProjectStep::kReportProgress:
      return "a progress report";
    case ProjectStep::kComplete:
      return "completion";
    case ProjectStep::kRecordAcceptance:
      return "acceptance";
    case ProjectStep::kStartMaintenance:
      return "maintenance";
    case ProjectStep::kCancel:
      return "cancellation";
    case ProjectStep::kDrawFund:
      return "a withdrawal from the holder's fund";
    case ProjectStep::kTakeObligation:
      return "an obligation";
  }
  return "this step";
}

std::vector<ProjectState> StatesFor(ProjectStep step) {
  using S = ProjectState;
  switch (step) {
    case ProjectStep::kApprove:
      return {S::kProposed};
    case ProjectStep::kRecordFunding:
    case ProjectStep::kAssessRisk:
      return {S::kApproved, S::kFunded};
    case ProjectStep::kStart:
      return {S::kFunded};
    case ProjectStep::kReportProgress:
      return {S::kInProgress};
    case ProjectStep::kComplete:
      return {S::kInProgress, S::kAcceptanceFailed};
    case ProjectStep::kRecordAcceptance:
      return {S::kCompleted};
    case ProjectStep::kStartMaintenance:
      return {S::kAccepted};
    case ProjectStep::kCancel:
    case ProjectStep::kTakeObligation:
      return {S::kProposed,   S::kApproved,  S::kFunded,
              S::kInProgress, S::kCompleted, S::kAcceptanceFailed};
    case ProjectStep::kDrawFund:
      return {S::kApproved, S::kFunded, S::kInProgress, S::kCompleted, S::kAcceptanceFailed};
  }
  return {};
}

Status CheckProjectStep(const std::string& project_id, ProjectState state, ProjectStep step) {
  const auto allowed = StatesFor(step);
  std::string names;
  for (auto s : allowed) {
    if (s == state) return Ok();
    names += (names.empty() ? "" : " or ") + std::string(Name(s));
  }
  return Error::FailedPrecondition("PROJECT_STATE", project_id,
                                   "project " + project_id + " is " + std::string(Name(state)) +
                                       "; " + std::string(Name(step)) + " needs " + names);
}

ProjectState StateAfterFunding(ProjectState state, int64_t funded_fen, int64_t budget_fen) {
  if (state == ProjectState::kApproved && budget_fen > 0 && funded_fen >= budget_fen) {
    return ProjectState::kFunded;
  }
  return state;
}

Status CheckProjectParties(const ProjectParties& p) {
  using R = Responsibility;
  if (p.responsibility != R::kGovernment && !p.has_responsible_party) {
    return Error::InvalidArgument("project.responsible_party",
                                  "is required unless the government is responsible");
  }
  if (p.kind == ProjectKind::kMineHolderRestoration && p.responsibility != R::kMineHolder) {
    return Error::InvalidArgument("project.responsibility",
                                  "a holder's mine restoration is the holder's "
                                  "(谁破坏、谁治理): RESPONSIBILITY_MINE_HOLDER");
  }
  if (p.kind == ProjectKind::kHistoricalMineSite) {
    if (p.responsibility != R::kGovernment && p.responsibility != R::kSocialCapital) {
      return Error::InvalidArgument("project.responsibility",
                                    "a historical (ownerless) mine site is restored by the "
                                    "government or invited private capital");
    }
    if (!p.ownerless) {
      return Error::InvalidArgument("project.ownerless",
                                    "a historical mine site has no responsible party left; a "
                                    "site with a holder is the holder's restoration");
    }
  }
  if (p.responsibility == R::kMineHolder) {
    if (p.ownerless) {
      return Error::InvalidArgument("project.ownerless",
                                    "a holder's project is not ownerless; the government "
                                    "assumes an ownerless site");
    }
    if (!p.has_mining_right) {
      return Error::InvalidArgument("project.mining_right_id",
                                    "a holder's project names the mining right whose damage "
                                    "it restores");
    }
  }
  if (p.responsibility == R::kBundledWithLandGrant && !p.has_land_offer) {
    return Error::InvalidArgument("project.land_offer_id",
                                  "a restoration tendered with a land grant names the land "
                                  "offer (Wuzhong 003.md §3(d))");
  }
  return Ok();
}

std::string_view Name(ObligationStep step) {
  switch (step) {
    case ObligationStep::kAssign:
      return "assigning a project";
    case ObligationStep::kRelease:
      return "releasing its project";
    case ObligationStep::kFulfil:
      return "fulfilment";
    case ObligationStep::kAssume:
      return "assumption by the government";
  }
  return "this step";
}

Status CheckObligationStep(const std::string& obligation_id, ObligationState state,
                           ObligationStep step) {
  using S = ObligationState;
  std::vector<S> allowed;
  switch (step) {
    case ObligationStep::kAssign:
      allowed = {S::kOngoing, S::kDue};
      break;
    case ObligationStep::kRelease:
    case ObligationStep::kFulfil:
      allowed = {S::kInProgress};
      break;
    case ObligationStep::kAssume:
      allowed = {S::kDue};
      break;
  }
  std::string names;
  for (auto s : allowed) {
    if (s == state) return Ok();
    names += (names.empty() ? "" : " or ") + std::string(Name(s));
  }
  return Error::FailedPrecondition("OBLIGATION_STATE", obligation_id,
                                   "obligation " + obligation_id + " is " +
                                       std::string(Name(state)) + "; " + std::string(Name(step)) +
                                       " needs " + names);
}

ObligationState OpeningState(ObligationOrigin origin) {
  return origin == ObligationOrigin::kGrantDuty ? ObligationState::kOngoing
                                                : ObligationState::kDue;
}

ObligationOrigin OriginOfMiningEvent(std::string_view ce_type) {
  if (ce_type == "nrp.mining_rights.mine_closed.v1") return ObligationOrigin::kMineClosure;
  if (ce_type == "nrp.mining_rights.right_cancelled.v1") {
    return ObligationOrigin::kRightCancellation;
  }
  if (ce_type == "nrp.mining_rights.right_expired.v1") return ObligationOrigin::kRightExpiry;
  return ObligationOrigin::kUnspecified;
}

}  // namespace nrp::restoration
