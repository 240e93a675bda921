#include "domain/types.h"

#include <cctype>
#include <cinttypes>
#include <cstdio>

#include "nrp/auction/rules.h"

namespace nrp::land_supply {

std::string_view LandUseName(LandUse use) {
  switch (use) {
    case LandUse::kResidential:
      return "residential";
    case LandUse::kAffordableHousing:
      return "affordable housing";
    case LandUse::kCommercial:
      return "commercial";
    case LandUse::kTourism:
      return "tourism";
    case LandUse::kEntertainment:
      return "entertainment";
    case LandUse::kIndustrial:
      return "industrial";
    case LandUse::kEducationScienceCultureHealthSport:
      return "education, science, culture, health and sport";
    case LandUse::kPublicAdministration:
      return "public administration";
    case LandUse::kInfrastructure:
      return "infrastructure";
    case LandUse::kMixed:
      return "mixed";
    case LandUse::kOther:
      return "other";
    case LandUse::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view SupplyMethodName(SupplyMethod method) {
  switch (method) {
    case SupplyMethod::kAllocation:
      return "allocation";
    case SupplyMethod::kNegotiated:
      return "negotiated grant";
    case SupplyMethod::kTender:
      return "tender";
    case SupplyMethod::kAuction:
      return "auction";
    case SupplyMethod::kListing:
      return "listing";
    case SupplyMethod::kLease:
      return "lease";
    case SupplyMethod::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view ZoneLayerKindName(ZoneLayerKind kind) {
  switch (kind) {
    case ZoneLayerKind::kPermanentBasicFarmland:
      return "permanent basic farmland";
    case ZoneLayerKind::kEcologicalRedLine:
      return "ecological red line";
    case ZoneLayerKind::kUrbanDevelopmentBoundary:
      return "urban development boundary";
    case ZoneLayerKind::kProtectedArea:
      return "protected area";
    case ZoneLayerKind::kMineralPlanning:
      return "mineral planning zone";
    case ZoneLayerKind::kCultivatedLand:
      return "cultivated land";
    case ZoneLayerKind::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view ParcelStateName(ParcelState s) {
  switch (s) {
    case ParcelState::kRegistered:
      return "REGISTERED";
    case ParcelState::kReserved:
      return "RESERVED";
    case ParcelState::kReady:
      return "READY";
    case ParcelState::kOffered:
      return "OFFERED";
    case ParcelState::kSupplied:
      return "SUPPLIED";
    case ParcelState::kDelivered:
      return "DELIVERED";
    case ParcelState::kUnderConstruction:
      return "UNDER_CONSTRUCTION";
    case ParcelState::kCompleted:
      return "COMPLETED";
    case ParcelState::kIdle:
      return "IDLE";
    case ParcelState::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

std::string_view OfferStateName(OfferState s) {
  switch (s) {
    case OfferState::kDraft:
      return "DRAFT";
    case OfferState::kPublished:
      return "PUBLISHED";
    case OfferState::kBidding:
      return "BIDDING";
    case OfferState::kAwarded:
      return "AWARDED";
    case OfferState::kFailed:
      return "FAILED";
    case OfferState::kCancelled:
      return "CANCELLED";
    case OfferState::kContracted:
      return "CONTRACTED";
    case OfferState::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

std::string_view ContractStateName(ContractState s) {
  switch (s) {
    case ContractState::kSigned:
      return "SIGNED";
    case ContractState::kFullyPaid:
      return "FULLY_PAID";
    case ContractState::kDelivered:
      return "DELIVERED";
    case ContractState::kConstructionStarted:
      return "CONSTRUCTION_STARTED";
    case ContractState::kCompleted:
      return "COMPLETED";
    case ContractState::kTerminated:
      return "TERMINATED";
    case ContractState::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

std::string_view BatchStateName(BatchState s) {
  switch (s) {
    case BatchState::kApplied:
      return "APPLIED";
    case BatchState::kApproved:
      return "APPROVED";
    case BatchState::kRejected:
      return "REJECTED";
    case BatchState::kExpropriated:
      return "EXPROPRIATED";
    case BatchState::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

std::string_view IdleCaseStateName(IdleCaseState s) {
  switch (s) {
    case IdleCaseState::kInvestigating:
      return "INVESTIGATING";
    case IdleCaseState::kDetermined:
      return "DETERMINED";
    case IdleCaseState::kDisposed:
      return "DISPOSED";
    case IdleCaseState::kNotIdle:
      return "NOT_IDLE";
    case IdleCaseState::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

std::string_view IdleGroundName(IdleGround g) {
  switch (g) {
    case IdleGround::kNoStartOneYear:
      return "no construction start one full year after the agreed date";
    case IdleGround::kNoStartTwoYears:
      return "no construction start two full years after the agreed date";
    case IdleGround::kDevelopedAreaUnderOneThird:
      return "under one third of the area developed";
    case IdleGround::kInvestmentUnderOneQuarter:
      return "under 25% of the investment made";
    case IdleGround::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view IdleLandDisposalName(IdleLandDisposal d) {
  switch (d) {
    case IdleLandDisposal::kIdleFee:
      return "IDLE_FEE";
    case IdleLandDisposal::kTakeBack:
      return "TAKE_BACK";
    case IdleLandDisposal::kExtendStart:
      return "EXTEND_START";
    case IdleLandDisposal::kChangeUse:
      return "CHANGE_USE";
    case IdleLandDisposal::kTemporaryUse:
      return "TEMPORARY_USE";
    case IdleLandDisposal::kPaidTakeBack:
      return "PAID_TAKE_BACK";
    case IdleLandDisposal::kReplacement:
      return "REPLACEMENT";
    case IdleLandDisposal::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

std::string FormatMoney(int64_t fen) { return auction::FormatMoney(fen); }

std::string FormatArea(double m2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f m²", m2);
  return buf;
}

Result<RegionCode> RegionCode::Parse(std::string_view text, std::string_view field) {
  bool digits = text.size() == 6;
  for (char c : text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (!digits) {
    return Error::InvalidArgument(
        std::string(field),
        "expected a 6-digit GB/T 2260 region code, got '" + std::string(text) + "'");
  }
  int province = (text[0] - '0') * 10 + (text[1] - '0');
  if (province < 11 || province > 82) {
    return Error::InvalidArgument(
        std::string(field),
        "'" + std::string(text) + "' does not start with a province code (11 to 82)");
  }
  return RegionCode(std::string(text));
}

bool RegionCode::Contains(const RegionCode& other) const {
  if (IsProvince()) return other.code_.compare(0, 2, code_, 0, 2) == 0;
  if (IsCity()) return other.code_.compare(0, 4, code_, 0, 4) == 0;
  return other.code_ == code_;
}

namespace {
constexpr auto kChinaOffset = std::chrono::hours(8);
}

Date DateInChina(TimePoint t) { return ChinaCivilDate(t); }

TimePoint StartOfDayInChina(const Date& d) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(d.sys_days().time_since_epoch() -
                                                                   kChinaOffset));
}

Date FullYearsElapsedOn(const Date& since, int years) { return since.AddYears(years).AddDays(1); }

}  // namespace nrp::land_supply
