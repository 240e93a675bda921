// Value types of the mining-rights domain. Enumerations carry the numbers of the
// contract (protos/nrp/mining_rights/v1/resources.proto) so the API layer converts
// with a range check and a cast; the domain itself knows nothing of protobuf.
#pragma once

#include <string>
#include <string_view>

#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"

namespace nrp::mining_rights {

// MiningRightKind: exploration right (探矿权) or mining right (采矿权).
enum class RightKind : int { kUnspecified = 0, kExploration = 1, kMining = 2 };

// MineralClass, as coded in the 18-character exploration licence number (01 to 04).
enum class MineralClass : int {
  kUnspecified = 0,
  kEnergy = 1,    // 能源矿产
  kMetal = 2,     // 金属矿产
  kNonMetal = 3,  // 非金属矿产
  kWaterGas = 4,  // 水气矿产
};

// GrantMethod, as coded in the 18-character licence number (1 to 5).
enum class GrantMethod : int {
  kUnspecified = 0,
  kApplicationFirst = 1,  // 申请在先, legacy only
  kTender = 2,            // 招标
  kAuction = 3,           // 拍卖
  kListing = 4,           // 挂牌
  kNegotiation = 5,       // 协议
};
inline constexpr int kGrantMethodMax = 5;

// NegotiationBasis: the ground of 自然资规〔2023〕6号 that allows a negotiated grant.
enum class NegotiationBasis : int {
  kUnspecified = 0,
  kRareEarthOrRadioactive = 1,  // 稀土、放射性矿产
  kStateCouncilKeyProject = 2,  // 国务院批准的重点建设项目
  kExistingMineExtension = 3,   // 已设采矿权深部、上部、周边、零星资源
  kAdjacentGap = 4,             // 相邻矿业权之间的夹缝
};

// MiningMethod (开采方式).
enum class MiningMethod : int {
  kUnspecified = 0,
  kOpenPit = 1,      // 露天开采
  kUnderground = 2,  // 地下开采
  kCombined = 3,     // 露天/地下联合开采
  kWells = 4,        // 钻井抽采
};

// ScaleClass (大型/中型/小型) of a mine's production or of a deposit.
enum class ScaleClass : int { kUnspecified = 0, kLarge = 1, kMedium = 2, kSmall = 3 };

// OutputUnit of annual production.
enum class OutputUnit : int { kUnspecified = 0, kTonnesPerYear = 1, kCubicMetresPerYear = 2 };

// MiningRightState.
enum class RightState : int {
  kUnspecified = 0,
  kValid = 1,       // 有效
  kClosed = 2,      // 闭坑, cancellation pending
  kExpired = 3,     // 自行废止: lapsed on its end date without extension
  kCancelled = 4,   // 注销
  kSuperseded = 5,  // replaced by the rights it was split into or merged into
};

// CancellationReason.
enum class CancellationReason : int {
  kUnspecified = 0,
  kHolderApplication = 1,  // 申请注销
  kMineClosure = 2,        // 闭坑
  kRevoked = 3,            // 吊销
  kProtectedAreaExit = 4,  // 退出自然保护地、生态保护红线
  kExplorationEnded = 5,   // 勘查结束
};

// Names as the contract spells them without the enum prefix, e.g. "MINING", "LARGE".
std::string_view RightKindName(RightKind k);
std::string_view MineralClassName(MineralClass c);
std::string_view GrantMethodName(GrantMethod m);
std::string_view NegotiationBasisName(NegotiationBasis b);
std::string_view MiningMethodName(MiningMethod m);
std::string_view ScaleClassName(ScaleClass s);
std::string_view RightStateName(RightState s);
std::string_view CancellationReasonName(CancellationReason r);
// "大型", "中型", "小型" (the columns of Box 8).
std::string_view ScaleClassChinese(ScaleClass s);

// Tender, auction or listing (招标、拍卖、挂牌).
inline bool IsCompetitive(GrantMethod m) {
  return m == GrantMethod::kTender || m == GrantMethod::kAuction || m == GrantMethod::kListing;
}

// Annual production capacity (ProductionScale): tonnes or cubic metres a year, e.g.
// 600000 t for 60 万t/yr.
struct ProductionScale {
  double annual_output = 0;
  OutputUnit unit = OutputUnit::kUnspecified;
};

// A number as people write it: "60", "0.25", "312.5" (no trailing zeros).
std::string FormatNumber(double v);

// Dates of validity, deadlines and reports are civil dates in China Standard Time (UTC+8,
// libs/core ChinaCivilDate).
inline Date DateInChina(TimePoint t) { return ChinaCivilDate(t); }
// 00:00 China Standard Time of `d`.
TimePoint StartOfDayInChina(const Date& d);

}  // namespace nrp::mining_rights
