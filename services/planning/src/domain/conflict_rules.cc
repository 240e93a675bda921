#include "domain/conflict_rules.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nrp::planning {
namespace {

using K = LayerKind;
using L = ControlLevel;
using U = SpatialUse;
using V = Verdict;

// ---- Sources -------------------------------------------------------------
// Permanent basic farmland (永久基本农田).
constexpr std::string_view kPbfNoConstruction =
    "永久基本农田不得用于建设：一般建设项目不得占用永久基本农田 (domain.md Land supply: the parcel "
    "must not overlap permanent basic farmland; 洛阳规划 L543; 土地管理法第三十五条)";
constexpr std::string_view kPbfKeyProject =
    "重大建设项目选址确实难以避让永久基本农田的，须严格论证并报国务院批准 (洛阳规划 L543; "
    "土地管理法第三十五条、第四十四条)";
constexpr std::string_view kPbfApproval = "国务院批准占用永久基本农田";
constexpr std::string_view kNoMiningInControlLines =
    "新设矿业权不得与永久基本农田、生态保护红线、城镇开发边界重叠 (domain.md Mining rights: "
    "spatial rules for a new right; 洛阳规划 L287; 吴忠规划 L58 "
    "禁止开采三条控制线内的所有矿产资源)";
constexpr std::string_view kNoAfforestationOnFarmland =
    "严禁违规占用耕地和永久基本农田绿化造林 (国办发明电〔2020〕24号 "
    "关于坚决制止耕地“非农化”行为的通知)";
constexpr std::string_view kFarmingOnFarmland =
    "农业生产和不改变耕地用途的整治、修复、高标准农田建设符合永久基本农田和耕地用途 "
    "(domain.md Planning; 土地管理法第三十三条、第三十五条)";
// Ecological protection red line (生态保护红线) and protected areas (自然保护地).
constexpr std::string_view kRedLineCore =
    "生态保护红线核心保护区原则上禁止人为活动 (domain.md Planning: red line core/general control; "
    "中办发〔2019〕48号 关于在国土空间规划中统筹划定落实三条控制线的指导意见)";
constexpr std::string_view kRedLineCoreRestoration =
    "生态保护红线核心保护区内的保护修复仅按批准的保护修复方案实施 (中办发〔2019〕48号; "
    "自然资发〔2022〕142号 关于加强生态保护红线管理的通知（试行）)";
constexpr std::string_view kRedLineCoreRestorationApproval =
    "生态保护红线管理部门批准的保护修复方案";
constexpr std::string_view kRedLineNoConstruction =
    "生态保护红线内严格禁止开发性、生产性建设活动 (domain.md Land supply: the parcel must not "
    "overlap the ecological red line; 中办发〔2019〕48号)";
constexpr std::string_view kRedLineLinear =
    "必须且无法避让、符合国土空间规划的线性基础设施属于生态保护红线内允许的有限人为活动，须经论证批"
    "准 "
    "(中办发〔2019〕48号; 自然资发〔2022〕142号)";
constexpr std::string_view kRedLineLinearApproval = "省级人民政府同意占用生态保护红线";
constexpr std::string_view kRedLineMajorProject =
    "国家重大战略项目可占用生态保护红线一般控制区，须报国务院批准 (中办发〔2019〕48号)";
constexpr std::string_view kRedLineMajorApproval = "国务院批准占用生态保护红线";
constexpr std::string_view kRedLineLimitedActivity =
    "对生态功能不造成破坏的有限人为活动允许：生态保护修复、造林绿化、原住居民不扩大现有规模的种植 "
    "(中办发〔2019〕48号; 自然资发〔2022〕142号)";
constexpr std::string_view kProtectedCore =
    "自然保护地核心保护区原则上禁止人为活动 (domain.md Planning: protected areas core/general; "
    "中办发〔2019〕42号 关于建立以国家公园为主体的自然保护地体系的指导意见)";
constexpr std::string_view kProtectedCoreRestoration =
    "自然保护地核心保护区内的修复仅按保护地管理机构批准的方案实施 (中办发〔2019〕42号)";
constexpr std::string_view kProtectedApproval = "自然保护地管理机构批准";
constexpr std::string_view kProtectedGeneral =
    "自然保护地一般控制区限制人为活动，禁止开发性、生产性建设活动 (中办发〔2019〕42号)";
constexpr std::string_view kProtectedGeneralInfra =
    "自然保护地一般控制区内必要的线性基础设施须经保护地主管部门同意 (中办发〔2019〕42号)";
constexpr std::string_view kProtectedGeneralExploration =
    "自然保护地一般控制区内仅允许公益性地质调查和战略性矿产勘查，须经保护地主管部门同意 "
    "(中办发〔2019〕42号)";
constexpr std::string_view kProtectedNoMining =
    "自然保护区内禁止开矿、采石、挖沙 (自然保护区条例第二十六条; domain.md Mining rights)";
constexpr std::string_view kProtectedMajorProject =
    "国家重大战略项目穿越自然保护地一般控制区须报国务院批准 (中办发〔2019〕42号)";
constexpr std::string_view kProtectedGeneralAllowed =
    "自然保护地一般控制区内的保护修复、造林和原住居民不扩大现有规模的农业生产允许 "
    "(中办发〔2019〕42号)";
// Urban development boundary (城镇开发边界).
constexpr std::string_view kUdbConstruction =
    "城镇建设在城镇开发边界内集中进行 (domain.md Land supply: urban construction lies inside the "
    "urban development boundary; 洛阳规划 L543)";
constexpr std::string_view kUdbOtherUses =
    "城镇开发边界内的基础设施、乡村建设、修复、绿化和农业用途按详细规划允许 (domain.md Planning)";
// Mineral planning zones (矿产资源规划分区).
constexpr std::string_view kMineralKey =
    "重点开采区优先投放采矿权，勘查开采允许 (domain.md Mining rights; 洛阳规划 L279)";
constexpr std::string_view kMineralOpenPitKeyOnly =
    "新建露天矿山必须位于省级规划划定的重点开采区内 (domain.md Mining rights: new open-pit mines "
    "only in key mining zones; 洛阳规划 L299)";
constexpr std::string_view kMineralRestricted =
    "限制开采区内新设采矿权须符合开采规划准入条件 (洛阳规划 L287; domain.md Mining rights)";
constexpr std::string_view kMineralRestrictedApproval =
    "矿产资源主管部门按开采规划准入条件审查同意";
constexpr std::string_view kMineralExplorationOk =
    "限制开采区、重点勘查区内矿产勘查允许 (domain.md Mining rights; 洛阳规划 L265)";
constexpr std::string_view kMineralProhibited =
    "禁止开采区内不得新设探矿权、采矿权 (domain.md Mining rights: none in a prohibited mining "
    "zone)";
constexpr std::string_view kMineralKeyExplorationMining =
    "重点勘查区内地下开采按开采规划准入条件允许 (domain.md Mining rights)";
constexpr std::string_view kMineralNotMining =
    "矿产资源规划分区只约束勘查开采活动，其他用途由其他图层判定 (domain.md Planning)";
// Cultivated land (耕地).
constexpr std::string_view kCultivatedConversion =
    "建设占用耕地须办理农用地转用审批并先补后占、占一补一、占优补优 (domain.md Land supply: "
    "farmland balance 占补平衡; 土地管理法第三十条、第四十四条)";
constexpr std::string_view kCultivatedConversionApproval =
    "农用地转用审批及耕地占补平衡（先补后占）";
constexpr std::string_view kCultivatedTemporary =
    "勘查、开采临时或永久占用耕地须办理临时用地或农用地转用审批并落实复垦、占补平衡 "
    "(土地管理法第四十四条、第五十七条; domain.md Land supply 占补平衡)";
constexpr std::string_view kCultivatedTemporaryApproval = "临时用地或农用地转用审批并落实复垦";

struct Row {
  K kind;
  L level;
  U use;
  V verdict;
  std::string_view approval;
  std::string_view rule;
};

// Permanent basic farmland, red line, urban boundary, protected areas,
// mineral planning zones, cultivated land — each (kind, level) × every use.
const Row kRows[] = {
    // 永久基本农田
    {K::kPermanentBasicFarmland, L::kUniform, U::kUrbanConstruction, V::kForbidden, "",
     kPbfNoConstruction},
    {K::kPermanentBasicFarmland, L::kUniform, U::kRuralConstruction, V::kForbidden, "",
     kPbfNoConstruction},
    {K::kPermanentBasicFarmland, L::kUniform, U::kInfrastructure, V::kNeedsApproval, kPbfApproval,
     kPbfKeyProject},
    {K::kPermanentBasicFarmland, L::kUniform, U::kMajorNationalProject, V::kNeedsApproval,
     kPbfApproval, kPbfKeyProject},
    {K::kPermanentBasicFarmland, L::kUniform, U::kMineralExploration, V::kForbidden, "",
     kNoMiningInControlLines},
    {K::kPermanentBasicFarmland, L::kUniform, U::kUndergroundMining, V::kForbidden, "",
     kNoMiningInControlLines},
    {K::kPermanentBasicFarmland, L::kUniform, U::kOpenPitMining, V::kForbidden, "",
     kNoMiningInControlLines},
    {K::kPermanentBasicFarmland, L::kUniform, U::kEcologicalRestoration, V::kAllowed, "",
     kFarmingOnFarmland},
    {K::kPermanentBasicFarmland, L::kUniform, U::kAfforestation, V::kForbidden, "",
     kNoAfforestationOnFarmland},
    {K::kPermanentBasicFarmland, L::kUniform, U::kAgriculture, V::kAllowed, "", kFarmingOnFarmland},
    // 生态保护红线 核心保护区
    {K::kEcologicalRedLine, L::kCoreProtection, U::kUrbanConstruction, V::kForbidden, "",
     kRedLineCore},
    {K::kEcologicalRedLine, L::kCoreProtection, U::kRuralConstruction, V::kForbidden, "",
     kRedLineCore},
    {K::kEcologicalRedLine, L::kCoreProtection, U::kInfrastructure, V::kForbidden, "",
     kRedLineCore},
    {K::kEcologicalRedLine, L::kCoreProtection, U::kMajorNationalProject, V::kForbidden, "",
     kRedLineCore},
    {K::kEcologicalRedLine, L::kCoreProtection, U::kMineralExploration, V::kForbidden, "",
     kNoMiningInControlLines},
    {K::kEcologicalRedLine, L::kCoreProtection, U::kUndergroundMining, V::kForbidden, "",
     kNoMiningInControlLines},
    {K::kEcologicalRedLine, L::kCoreProtection, U::kOpenPitMining, V::kForbidden, "",
     kNoMiningInControlLines},
    {K::kEcologicalRedLine, L::kCoreProtection, U::kEcologicalRestoration, V::kNeedsApproval,
     kRedLineCoreRestorationApproval, kRedLineCoreRestoration},
    {K::kEcologicalRedLine, L::kCoreProtection, U::kAfforestation, V::kNeedsApproval,
     kRedLineCoreRestorationApproval, kRedLineCoreRestoration},
    {K::kEcologicalRedLine, L::kCoreProtection, U::kAgriculture, V::kForbidden, "", kRedLineCore},
    // 生态保护红线 一般控制区
    {K::kEcologicalRedLine, L::kGeneralControl, U::kUrbanConstruction, V::kForbidden, "",
     kRedLineNoConstruction},
    {K::kEcologicalRedLine, L::kGeneralControl, U::kRuralConstruction, V::kForbidden, "",
     kRedLineNoConstruction},
    {K::kEcologicalRedLine, L::kGeneralControl, U::kInfrastructure, V::kNeedsApproval,
     kRedLineLinearApproval, kRedLineLinear},
    {K::kEcologicalRedLine, L::kGeneralControl, U::kMajorNationalProject, V::kNeedsApproval,
     kRedLineMajorApproval, kRedLineMajorProject},
    {K::kEcologicalRedLine, L::kGeneralControl, U::kMineralExploration, V::kForbidden, "",
     kNoMiningInControlLines},
    {K::kEcologicalRedLine, L::kGeneralControl, U::kUndergroundMining, V::kForbidden, "",
     kNoMiningInControlLines},
    {K::kEcologicalRedLine, L::kGeneralControl, U::kOpenPitMining, V::kForbidden, "",
     kNoMiningInControlLines},
    {K::kEcologicalRedLine, L::kGeneralControl, U::kEcologicalRestoration, V::kAllowed, "",
     kRedLineLimitedActivity},
    {K::kEcologicalRedLine, L::kGeneralControl, U::kAfforestation, V::kAllowed, "",
     kRedLineLimitedActivity},
    {K::kEcologicalRedLine, L::kGeneralControl, U::kAgriculture, V::kAllowed, "",
     kRedLineLimitedActivity},
    // 城镇开发边界
    {K::kUrbanDevelopmentBoundary, L::kUniform, U::kUrbanConstruction, V::kAllowed, "",
     kUdbConstruction},
    {K::kUrbanDevelopmentBoundary, L::kUniform, U::kRuralConstruction, V::kAllowed, "",
     kUdbOtherUses},
    {K::kUrbanDevelopmentBoundary, L::kUniform, U::kInfrastructure, V::kAllowed, "", kUdbOtherUses},
    {K::kUrbanDevelopmentBoundary, L::kUniform, U::kMajorNationalProject, V::kAllowed, "",
     kUdbOtherUses},
    {K::kUrbanDevelopmentBoundary, L::kUniform, U::kMineralExploration, V::kForbidden, "",
     kNoMiningInControlLines},
    {K::kUrbanDevelopmentBoundary, L::kUniform, U::kUndergroundMining, V::kForbidden, "",
     kNoMiningInControlLines},
    {K::kUrbanDevelopmentBoundary, L::kUniform, U::kOpenPitMining, V::kForbidden, "",
     kNoMiningInControlLines},
    {K::kUrbanDevelopmentBoundary, L::kUniform, U::kEcologicalRestoration, V::kAllowed, "",
     kUdbOtherUses},
    {K::kUrbanDevelopmentBoundary, L::kUniform, U::kAfforestation, V::kAllowed, "", kUdbOtherUses},
    {K::kUrbanDevelopmentBoundary, L::kUniform, U::kAgriculture, V::kAllowed, "", kUdbOtherUses},
    // 自然保护地 核心保护区
    {K::kProtectedArea, L::kCoreProtection, U::kUrbanConstruction, V::kForbidden, "",
     kProtectedCore},
    {K::kProtectedArea, L::kCoreProtection, U::kRuralConstruction, V::kForbidden, "",
     kProtectedCore},
    {K::kProtectedArea, L::kCoreProtection, U::kInfrastructure, V::kForbidden, "", kProtectedCore},
    {K::kProtectedArea, L::kCoreProtection, U::kMajorNationalProject, V::kForbidden, "",
     kProtectedCore},
    {K::kProtectedArea, L::kCoreProtection, U::kMineralExploration, V::kForbidden, "",
     kProtectedCore},
    {K::kProtectedArea, L::kCoreProtection, U::kUndergroundMining, V::kForbidden, "",
     kProtectedNoMining},
    {K::kProtectedArea, L::kCoreProtection, U::kOpenPitMining, V::kForbidden, "",
     kProtectedNoMining},
    {K::kProtectedArea, L::kCoreProtection, U::kEcologicalRestoration, V::kNeedsApproval,
     kProtectedApproval, kProtectedCoreRestoration},
    {K::kProtectedArea, L::kCoreProtection, U::kAfforestation, V::kNeedsApproval,
     kProtectedApproval, kProtectedCoreRestoration},
    {K::kProtectedArea, L::kCoreProtection, U::kAgriculture, V::kForbidden, "", kProtectedCore},
    // 自然保护地 一般控制区
    {K::kProtectedArea, L::kGeneralControl, U::kUrbanConstruction, V::kForbidden, "",
     kProtectedGeneral},
    {K::kProtectedArea, L::kGeneralControl, U::kRuralConstruction, V::kForbidden, "",
     kProtectedGeneral},
    {K::kProtectedArea, L::kGeneralControl, U::kInfrastructure, V::kNeedsApproval,
     kProtectedApproval, kProtectedGeneralInfra},
    {K::kProtectedArea, L::kGeneralControl, U::kMajorNationalProject, V::kNeedsApproval,
     "国务院批准", kProtectedMajorProject},
    {K::kProtectedArea, L::kGeneralControl, U::kMineralExploration, V::kNeedsApproval,
     kProtectedApproval, kProtectedGeneralExploration},
    {K::kProtectedArea, L::kGeneralControl, U::kUndergroundMining, V::kForbidden, "",
     kProtectedNoMining},
    {K::kProtectedArea, L::kGeneralControl, U::kOpenPitMining, V::kForbidden, "",
     kProtectedNoMining},
    {K::kProtectedArea, L::kGeneralControl, U::kEcologicalRestoration, V::kAllowed, "",
     kProtectedGeneralAllowed},
    {K::kProtectedArea, L::kGeneralControl, U::kAfforestation, V::kAllowed, "",
     kProtectedGeneralAllowed},
    {K::kProtectedArea, L::kGeneralControl, U::kAgriculture, V::kAllowed, "",
     kProtectedGeneralAllowed},
    // 矿产资源规划分区 重点开采区
    {K::kMineralPlanning, L::kKeyMining, U::kUrbanConstruction, V::kAllowed, "", kMineralNotMining},
    {K::kMineralPlanning, L::kKeyMining, U::kRuralConstruction, V::kAllowed, "", kMineralNotMining},
    {K::kMineralPlanning, L::kKeyMining, U::kInfrastructure, V::kAllowed, "", kMineralNotMining},
    {K::kMineralPlanning, L::kKeyMining, U::kMajorNationalProject, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kKeyMining, U::kMineralExploration, V::kAllowed, "", kMineralKey},
    {K::kMineralPlanning, L::kKeyMining, U::kUndergroundMining, V::kAllowed, "", kMineralKey},
    {K::kMineralPlanning, L::kKeyMining, U::kOpenPitMining, V::kAllowed, "",
     kMineralOpenPitKeyOnly},
    {K::kMineralPlanning, L::kKeyMining, U::kEcologicalRestoration, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kKeyMining, U::kAfforestation, V::kAllowed, "", kMineralNotMining},
    {K::kMineralPlanning, L::kKeyMining, U::kAgriculture, V::kAllowed, "", kMineralNotMining},
    // 矿产资源规划分区 限制开采区
    {K::kMineralPlanning, L::kRestrictedMining, U::kUrbanConstruction, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kRestrictedMining, U::kRuralConstruction, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kRestrictedMining, U::kInfrastructure, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kRestrictedMining, U::kMajorNationalProject, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kRestrictedMining, U::kMineralExploration, V::kAllowed, "",
     kMineralExplorationOk},
    {K::kMineralPlanning, L::kRestrictedMining, U::kUndergroundMining, V::kNeedsApproval,
     kMineralRestrictedApproval, kMineralRestricted},
    {K::kMineralPlanning, L::kRestrictedMining, U::kOpenPitMining, V::kForbidden, "",
     kMineralOpenPitKeyOnly},
    {K::kMineralPlanning, L::kRestrictedMining, U::kEcologicalRestoration, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kRestrictedMining, U::kAfforestation, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kRestrictedMining, U::kAgriculture, V::kAllowed, "",
     kMineralNotMining},
    // 矿产资源规划分区 禁止开采区
    {K::kMineralPlanning, L::kProhibitedMining, U::kUrbanConstruction, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kProhibitedMining, U::kRuralConstruction, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kProhibitedMining, U::kInfrastructure, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kProhibitedMining, U::kMajorNationalProject, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kProhibitedMining, U::kMineralExploration, V::kForbidden, "",
     kMineralProhibited},
    {K::kMineralPlanning, L::kProhibitedMining, U::kUndergroundMining, V::kForbidden, "",
     kMineralProhibited},
    {K::kMineralPlanning, L::kProhibitedMining, U::kOpenPitMining, V::kForbidden, "",
     kMineralProhibited},
    {K::kMineralPlanning, L::kProhibitedMining, U::kEcologicalRestoration, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kProhibitedMining, U::kAfforestation, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kProhibitedMining, U::kAgriculture, V::kAllowed, "",
     kMineralNotMining},
    // 矿产资源规划分区 重点勘查区
    {K::kMineralPlanning, L::kKeyExploration, U::kUrbanConstruction, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kKeyExploration, U::kRuralConstruction, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kKeyExploration, U::kInfrastructure, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kKeyExploration, U::kMajorNationalProject, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kKeyExploration, U::kMineralExploration, V::kAllowed, "",
     kMineralExplorationOk},
    {K::kMineralPlanning, L::kKeyExploration, U::kUndergroundMining, V::kAllowed, "",
     kMineralKeyExplorationMining},
    {K::kMineralPlanning, L::kKeyExploration, U::kOpenPitMining, V::kForbidden, "",
     kMineralOpenPitKeyOnly},
    {K::kMineralPlanning, L::kKeyExploration, U::kEcologicalRestoration, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kKeyExploration, U::kAfforestation, V::kAllowed, "",
     kMineralNotMining},
    {K::kMineralPlanning, L::kKeyExploration, U::kAgriculture, V::kAllowed, "", kMineralNotMining},
    // 耕地
    {K::kCultivatedLand, L::kUniform, U::kUrbanConstruction, V::kNeedsApproval,
     kCultivatedConversionApproval, kCultivatedConversion},
    {K::kCultivatedLand, L::kUniform, U::kRuralConstruction, V::kNeedsApproval,
     kCultivatedConversionApproval, kCultivatedConversion},
    {K::kCultivatedLand, L::kUniform, U::kInfrastructure, V::kNeedsApproval,
     kCultivatedConversionApproval, kCultivatedConversion},
    {K::kCultivatedLand, L::kUniform, U::kMajorNationalProject, V::kNeedsApproval,
     kCultivatedConversionApproval, kCultivatedConversion},
    {K::kCultivatedLand, L::kUniform, U::kMineralExploration, V::kNeedsApproval,
     kCultivatedTemporaryApproval, kCultivatedTemporary},
    {K::kCultivatedLand, L::kUniform, U::kUndergroundMining, V::kNeedsApproval,
     kCultivatedTemporaryApproval, kCultivatedTemporary},
    {K::kCultivatedLand, L::kUniform, U::kOpenPitMining, V::kNeedsApproval,
     kCultivatedTemporaryApproval, kCultivatedTemporary},
    {K::kCultivatedLand, L::kUniform, U::kEcologicalRestoration, V::kAllowed, "",
     kFarmingOnFarmland},
    {K::kCultivatedLand, L::kUniform, U::kAfforestation, V::kForbidden, "",
     kNoAfforestationOnFarmland},
    {K::kCultivatedLand, L::kUniform, U::kAgriculture, V::kAllowed, "", kFarmingOnFarmland},
};

std::string FormatM2(double m2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f m² (%.4f 公顷, %.2f 亩)", m2, m2 / 10000.0,
                m2 * 15.0 / 10000.0);
  return buf;
}

}  // namespace

const std::vector<UseRule>& VerdictTable() {
  static const std::vector<UseRule> table = [] {
    std::vector<UseRule> out;
    for (const Row& r : kRows)
      out.push_back({r.kind, r.level, r.use, r.verdict, r.approval, r.rule});
    return out;
  }();
  return table;
}

const UseRule& RuleFor(LayerKind kind, ControlLevel level, SpatialUse use) {
  for (const UseRule& r : VerdictTable()) {
    if (r.kind == kind && r.level == level && r.use == use) return r;
  }
  // Zones are validated on import, so this only guards against a corrupt row.
  static const UseRule kInvalid{
      kind, level,
      use,  Verdict::kForbidden,
      "",   "控制级别与图层类型不符，无法判定，按禁止处理 (zone data invalid)"};
  return kInvalid;
}

Assessment Assess(const CheckFacts& facts, const ConflictOptions& options) {
  Assessment out;
  for (const TouchedZone& z : facts.zones) {
    const UseRule& r = RuleFor(z.kind, z.level, facts.use);
    Conflict c;
    c.zone = z;
    c.verdict = r.verdict;
    c.required_approval = std::string(r.required_approval);
    c.rule = std::string(r.rule);
    out.verdict = std::max(out.verdict, c.verdict);
    out.conflicts.push_back(std::move(c));
  }
  std::sort(out.conflicts.begin(), out.conflicts.end(), [](const Conflict& a, const Conflict& b) {
    if (a.zone.kind != b.zone.kind) return a.zone.kind < b.zone.kind;
    return a.zone.zone_id < b.zone.zone_id;
  });

  if (options.urban_construction_only_in_boundary && facts.use == SpatialUse::kUrbanConstruction &&
      !facts.urban_boundary.covered) {
    std::string why =
        facts.urban_boundary.layer_present
            ? "城镇建设须位于城镇开发边界内：" + FormatM2(facts.urban_boundary.outside_m2) +
                  " 位于边界外"
            : std::string("城镇建设须位于城镇开发边界内：该区域没有已发布的城镇开发边界图层");
    why +=
        " (domain.md Land supply: urban construction lies inside the urban development "
        "boundary; 洛阳规划 L543 城镇开发边界外不得进行城镇集中建设)";
    out.failed_rules.push_back({std::string(kRuleUrbanOutsideBoundary), std::move(why)});
    out.verdict = Verdict::kForbidden;
  }
  if (options.open_pit_only_in_key_zones && facts.use == SpatialUse::kOpenPitMining &&
      !facts.key_mining.covered) {
    std::string why =
        facts.key_mining.layer_present
            ? "新建露天矿山须位于重点开采区内：" + FormatM2(facts.key_mining.outside_m2) +
                  " 位于重点开采区外"
            : std::string("新建露天矿山须位于重点开采区内：该区域没有已发布的矿产资源规划分区图层");
    why += " (domain.md Mining rights: new open-pit mines only in key mining zones; 洛阳规划 L299)";
    out.failed_rules.push_back({std::string(kRuleOpenPitOutsideKeyZone), std::move(why)});
    out.verdict = Verdict::kForbidden;
  }
  return out;
}

}  // namespace nrp::planning
