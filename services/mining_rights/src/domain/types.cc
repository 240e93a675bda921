#include "domain/types.h"

#include <cstdio>

namespace nrp::mining_rights {

std::string_view RightKindName(RightKind k) {
  switch (k) {
    case RightKind::kExploration:
      return "EXPLORATION";
    case RightKind::kMining:
      return "MINING";
    default:
      return "UNSPECIFIED";
  }
}

std::string_view MineralClassName(MineralClass c) {
  switch (c) {
    case MineralClass::kEnergy:
      return "ENERGY";
    case MineralClass::kMetal:
      return "METAL";
    case MineralClass::kNonMetal:
      return "NON_METAL";
    case MineralClass::kWaterGas:
      return "WATER_GAS";
    default:
      return "UNSPECIFIED";
  }
}

std::string_view GrantMethodName(GrantMethod m) {
  switch (m) {
    case GrantMethod::kApplicationFirst:
      return "APPLICATION_FIRST";
    case GrantMethod::kTender:
      return "TENDER";
    case GrantMethod::kAuction:
      return "AUCTION";
    case GrantMethod::kListing:
      return "LISTING";
    case GrantMethod::kNegotiation:
      return "NEGOTIATION";
    default:
      return "UNSPECIFIED";
  }
}

std::string_view NegotiationBasisName(NegotiationBasis b) {
  switch (b) {
    case NegotiationBasis::kRareEarthOrRadioactive:
      return "RARE_EARTH_OR_RADIOACTIVE";
    case NegotiationBasis::kStateCouncilKeyProject:
      return "STATE_COUNCIL_KEY_PROJECT";
    case NegotiationBasis::kExistingMineExtension:
      return "EXISTING_MINE_EXTENSION";
    case NegotiationBasis::kAdjacentGap:
      return "ADJACENT_GAP";
    default:
      return "UNSPECIFIED";
  }
}

std::string_view MiningMethodName(MiningMethod m) {
  switch (m) {
    case MiningMethod::kOpenPit:
      return "OPEN_PIT";
    case MiningMethod::kUnderground:
      return "UNDERGROUND";
    case MiningMethod::kCombined:
      return "COMBINED";
    case MiningMethod::kWells:
      return "WELLS";
    default:
      return "UNSPECIFIED";
  }
}

std::string_view ScaleClassName(ScaleClass s) {
  switch (s) {
    case ScaleClass::kLarge:
      return "LARGE";
    case ScaleClass::kMedium:
      return "MEDIUM";
    case ScaleClass::kSmall:
      return "SMALL";
    default:
      return "UNSPECIFIED";
  }
}

std::string_view ScaleClassChinese(ScaleClass s) {
  switch (s) {
    case ScaleClass::kLarge:
      return "大型";
    case ScaleClass::kMedium:
      return "中型";
    case ScaleClass::kSmall:
      return "小型";
    default:
      return "未定";
  }
}

std::string_view RightStateName(RightState s) {
  switch (s) {
    case RightState::kValid:
      return "VALID";
    case RightState::kClosed:
      return "CLOSED";
    case RightState::kExpired:
      return "EXPIRED";
    case RightState::kCancelled:
      return "CANCELLED";
    case RightState::kSuperseded:
      return "SUPERSEDED";
    default:
      return "UNSPECIFIED";
  }
}

std::string_view CancellationReasonName(CancellationReason r) {
  switch (r) {
    case CancellationReason::kHolderApplication:
      return "HOLDER_APPLICATION";
    case CancellationReason::kMineClosure:
      return "MINE_CLOSURE";
    case CancellationReason::kRevoked:
      return "REVOKED";
    case CancellationReason::kProtectedAreaExit:
      return "PROTECTED_AREA_EXIT";
    case CancellationReason::kExplorationEnded:
      return "EXPLORATION_ENDED";
    default:
      return "UNSPECIFIED";
  }
}

std::string FormatNumber(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string s = buf;
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

TimePoint StartOfDayInChina(const Date& d) {
  return TimePoint(d.sys_days() - std::chrono::hours(8));
}

}  // namespace nrp::mining_rights
