// Value types of the land supply domain. Enumerations carry the numbers of the
// contract (protos/nrp/land_supply/v1, protos/nrp/common/v1/zone.proto) so the
// API layer converts with a range check and a cast; the domain itself knows
// nothing of protobuf.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"

namespace nrp::land_supply {

// 土地用途 (暂行条例 art. 12 fixes the maximum term per use).
enum class LandUse : int {
  kUnspecified = 0,
  kResidential = 1,
  kAffordableHousing = 2,
  kCommercial = 3,
  kTourism = 4,
  kEntertainment = 5,
  kIndustrial = 6,
  kEducationScienceCultureHealthSport = 7,
  kPublicAdministration = 8,
  kInfrastructure = 9,
  kMixed = 10,
  kOther = 11,
};
inline constexpr int kLandUseMax = 11;

// 供地方式.
enum class SupplyMethod : int {
  kUnspecified = 0,
  kAllocation = 1,
  kNegotiated = 2,
  kTender = 3,
  kAuction = 4,
  kListing = 5,
  kLease = 6,
};
inline constexpr int kSupplyMethodMax = 6;

enum class ParcelState : int {
  kUnspecified = 0,
  kRegistered = 1,
  kReserved = 2,
  kReady = 3,
  kOffered = 4,
  kSupplied = 5,
  kDelivered = 6,
  kUnderConstruction = 7,
  kCompleted = 8,
  kIdle = 9,
};

// 存量建设用地 "四未".
enum class StockLandStage : int {
  kUnspecified = 0,
  kNone = 1,
  kApprovedNotExpropriated = 2,
  kExpropriatedNotSupplied = 3,
  kSuppliedNotUsed = 4,
  kUsedNotFully = 5,
};

enum class SoilStatus : int {
  kUnspecified = 0,
  kNotSurveyed = 1,
  kClean = 2,
  kPolluted = 3,
  kRemediated = 4,
};
inline constexpr int kSoilStatusMax = 4;

enum class ApprovalAuthority : int { kUnspecified = 0, kStateCouncil = 1, kProvince = 2 };
inline constexpr int kApprovalAuthorityMax = 2;

enum class BatchState : int {
  kUnspecified = 0,
  kApplied = 1,
  kApproved = 2,
  kRejected = 3,
  kExpropriated = 4,
};

enum class OfferState : int {
  kUnspecified = 0,
  kDraft = 1,
  kPublished = 2,
  kBidding = 3,
  kAwarded = 4,
  kFailed = 5,
  kCancelled = 6,
  kContracted = 7,
};

enum class ResultOutcome : int { kUnspecified = 0, kAwarded = 1, kFailed = 2 };

enum class ContractKind : int {
  kUnspecified = 0,
  kGrant = 1,
  kAllocationDecision = 2,
  kLease = 3,
};

enum class ContractState : int {
  kUnspecified = 0,
  kSigned = 1,
  kFullyPaid = 2,
  kDelivered = 3,
  kConstructionStarted = 4,
  kCompleted = 5,
  kTerminated = 6,
};

enum class PaymentKind : int {
  kUnspecified = 0,
  kDepositConverted = 1,
  kPrice = 2,
  kLatePenalty = 3,
  kIdleLandFee = 4,
};
inline constexpr int kPaymentKindMax = 4;

// 闲置土地 grounds (Order 53 art. 2).
enum class IdleGround : int {
  kUnspecified = 0,
  kNoStartOneYear = 1,
  kNoStartTwoYears = 2,
  kDevelopedAreaUnderOneThird = 3,
  kInvestmentUnderOneQuarter = 4,
};
inline constexpr int kIdleGroundMax = 4;

// Who caused the delay (Order 53 art. 8).
enum class IdleCause : int {
  kUnspecified = 0,
  kLandUser = 1,
  kGovernment = 2,
  kForceMajeure = 3,
};
inline constexpr int kIdleCauseMax = 3;

enum class IdleCaseState : int {
  kUnspecified = 0,
  kInvestigating = 1,
  kDetermined = 2,
  kDisposed = 3,
  kNotIdle = 4,
};

// Order 53 arts. 12 and 14.
enum class IdleLandDisposal : int {
  kUnspecified = 0,
  kIdleFee = 1,
  kTakeBack = 2,
  kExtendStart = 3,
  kChangeUse = 4,
  kTemporaryUse = 5,
  kPaidTakeBack = 6,
  kReplacement = 7,
};
inline constexpr int kIdleLandDisposalMax = 7;

enum class LedgerKind : int { kUnspecified = 0, kFarmlandCompensation = 1, kLinkageQuota = 2 };
inline constexpr int kLedgerKindMax = 2;

enum class LedgerEntryKind : int { kUnspecified = 0, kCredit = 1, kDebit = 2, kReversal = 3 };

enum class LedgerAccountState : int {
  kUnspecified = 0,
  kAvailable = 1,
  kPartiallyUsed = 2,
  kUsedUp = 3,
};

// nrp.common.v1 zone enumerations.
enum class ZoneLayerKind : int {
  kUnspecified = 0,
  kPermanentBasicFarmland = 1,
  kEcologicalRedLine = 2,
  kUrbanDevelopmentBoundary = 3,
  kProtectedArea = 4,
  kMineralPlanning = 5,
  kCultivatedLand = 6,
};
inline constexpr int kZoneLayerKindMax = 6;

enum class ZoneControlLevel : int {
  kUnspecified = 0,
  kUniform = 1,
  kCoreProtection = 2,
  kGeneralControl = 3,
  kKeyMining = 4,
  kRestrictedMining = 5,
  kProhibitedMining = 6,
  kKeyExploration = 7,
};
inline constexpr int kZoneControlLevelMax = 7;

enum class ZoneVerdict : int { kUnspecified = 0, kAllowed = 1, kNeedsApproval = 2, kForbidden = 3 };

// Names for messages, e.g. "commercial".
std::string_view LandUseName(LandUse use);
std::string_view SupplyMethodName(SupplyMethod method);
std::string_view ZoneLayerKindName(ZoneLayerKind kind);
std::string_view ParcelStateName(ParcelState state);
std::string_view OfferStateName(OfferState state);
std::string_view ContractStateName(ContractState state);
std::string_view BatchStateName(BatchState state);
std::string_view IdleCaseStateName(IdleCaseState state);
std::string_view IdleGroundName(IdleGround ground);
std::string_view IdleLandDisposalName(IdleLandDisposal disposal);

// True when `value` is a defined, non-UNSPECIFIED number of an enumeration
// whose largest value is `max`.
inline bool InEnumRange(int value, int max) { return value >= 1 && value <= max; }

// Money in fen (分). "12345.67 yuan (1234567 fen)".
std::string FormatMoney(int64_t fen);
// "1234.56 m²".
std::string FormatArea(double square_metres);

// A 6-digit administrative division code (GB/T 2260).
class RegionCode {
 public:
  // INVALID_ARGUMENT naming `field` unless six digits with a valid province part.
  static Result<RegionCode> Parse(std::string_view text, std::string_view field);
  const std::string& str() const { return code_; }
  bool IsProvince() const { return code_.substr(2) == "0000"; }
  bool IsCity() const { return !IsProvince() && code_.substr(4) == "00"; }
  // True when `other` equals this region or lies within it (a province
  // contains its cities and counties, a city its counties).
  bool Contains(const RegionCode& other) const;

 private:
  explicit RegionCode(std::string code) : code_(std::move(code)) {}
  std::string code_;
};

// Dates are legal dates in China Standard Time (UTC+8).
Date DateInChina(TimePoint t);
// 00:00 China Standard Time of `d`.
TimePoint StartOfDayInChina(const Date& d);

// The first day on which `years` full years have passed since `since`
// (民法典 arts. 201, 203: the first day is not counted and the period ends at
// the end of its last day). For since = 2025-03-01 and one year that is
// 2026-03-02: on 2026-03-01 the year is not yet full.
Date FullYearsElapsedOn(const Date& since, int years);

}  // namespace nrp::land_supply
