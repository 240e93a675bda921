// Value types of the restoration domain. Enumerations carry the numbers of the contract
// (protos/nrp/restoration/v1/resources.proto) so the application layer converts with a range
// check and a cast; the domain itself knows nothing of protobuf.
#pragma once

#include <string_view>

namespace nrp::restoration {

// ProjectState. Flow (domain.md "Ecological restoration"; Kaifeng 001.md §3D: initiation →
// funding → risk assessment → supervision → assessment): PROPOSED → APPROVED → FUNDED →
// IN_PROGRESS → COMPLETED → ACCEPTED (or ACCEPTANCE_FAILED → rectified → COMPLETED) →
// MAINTENANCE; CANCELLED from any state before acceptance.
enum class ProjectState : int {
  kUnspecified = 0,
  kProposed = 1,
  kApproved = 2,
  kFunded = 3,
  kInProgress = 4,
  kCompleted = 5,
  kAccepted = 6,
  kAcceptanceFailed = 7,
  kMaintenance = 8,
  kCancelled = 9,
};
std::string_view Name(ProjectState s);

// ObligationState.
enum class ObligationState : int {
  kUnspecified = 0,
  kOngoing = 1,
  kDue = 2,
  kInProgress = 3,
  kFulfilled = 4,
  kAssumedByGovernment = 5,
};
std::string_view Name(ObligationState s);

// ObligationOrigin.
enum class ObligationOrigin : int {
  kUnspecified = 0,
  kGrantDuty = 1,
  kMineClosure = 2,
  kRightCancellation = 3,
  kRightExpiry = 4,
  kEnforcementOrder = 5,
};
inline constexpr int kObligationOriginMax = 5;

// ProjectKind.
enum class ProjectKind : int {
  kUnspecified = 0,
  kHistoricalMineSite = 1,
  kMineHolderRestoration = 2,
  kLandConsolidation = 3,
  kLandImprovement = 4,
  kHighStandardFarmland = 5,
  kConstructionLandReclamation = 6,
  kWetland = 7,
  kSoilErosionControl = 8,
  kCoalSubsidence = 9,
  kAfforestation = 10,
  kIntegrated = 11,
};
inline constexpr int kProjectKindMax = 11;

// Responsibility.
enum class Responsibility : int {
  kUnspecified = 0,
  kMineHolder = 1,
  kGovernment = 2,
  kSocialCapital = 3,
  kBundledWithLandGrant = 4,
};
inline constexpr int kResponsibilityMax = 4;

}  // namespace nrp::restoration
