// The reference data: the indicator tables of the five plans in shared/seeds,
// one file per plan under services/planning/data/plans, each row citing the
// line of the source it was copied from.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "domain/indicator.h"

namespace nrp::planning {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::map<std::string, Plan> LoadPlans() {
  std::map<std::string, Plan> out;
  for (const auto& e : fs::directory_iterator(fs::path(NRP_PLANNING_DATA_DIR) / "plans")) {
    if (e.path().extension() != ".json") continue;
    auto p = ParsePlan(ReadAll(e.path()), e.path().filename().string());
    EXPECT_TRUE(p.ok()) << p.error().message();
    if (p.ok()) out.emplace(p->region_code, std::move(*p));
  }
  return out;
}

int Binding(const Plan& p) {
  int n = 0;
  for (const auto& i : p.indicators) n += i.attribute == Attribute::kBinding;
  return n;
}

TEST(PlanData, FivePlansWithTheirIndicatorCounts) {
  auto plans = LoadPlans();
  ASSERT_EQ(plans.size(), 5u);
  // Luoyang Box 1: 21 indicators, 11 binding (000 L148–171).
  EXPECT_EQ(plans["410300"].indicators.size(), 21u);
  EXPECT_EQ(Binding(plans["410300"]), 11);
  // Kaifeng Table 1: 7 indicators, 3 binding (001 L75–84).
  EXPECT_EQ(plans["410200"].indicators.size(), 7u);
  EXPECT_EQ(Binding(plans["410200"]), 3);
  // Jilin: 22 indicators, 5 binding (002 L144–170).
  EXPECT_EQ(plans["220000"].indicators.size(), 22u);
  EXPECT_EQ(Binding(plans["220000"]), 5);
  // Shanxi Box 1: 13 indicators, 7 binding (004 L102–116).
  EXPECT_EQ(plans["140000"].indicators.size(), 14u);
  EXPECT_EQ(Binding(plans["140000"]), 7);
  // Wuzhong has no table: targets from its text, attribute not stated.
  EXPECT_EQ(plans["640300"].indicators.size(), 16u);
  EXPECT_EQ(Binding(plans["640300"]), 0);
  EXPECT_EQ(plans["640300"].omitted_targets.size(), 13u);
  for (auto& [region, p] : plans) {
    EXPECT_EQ(p.base_year, 2020) << region;
    EXPECT_EQ(p.target_year, 2025) << region;
  }
}

TEST(PlanData, ATargetBelowItsBaseIsKept) {
  auto plans = LoadPlans();
  const Indicator& farmland = plans["140000"].indicators[0];
  EXPECT_EQ(farmland.name, "耕地保有量");
  EXPECT_EQ(farmland.unit, "万亩");
  EXPECT_DOUBLE_EQ(*farmland.base, 5792.51);
  EXPECT_EQ(farmland.target.kind(), TargetKind::kAtLeast);
  EXPECT_DOUBLE_EQ(farmland.target.value(), 5649);
  EXPECT_EQ(farmland.attribute, Attribute::kBinding);
  EXPECT_EQ(farmland.measure.kind, MeasureKind::kLayerArea);
  EXPECT_EQ(farmland.measure.layer_kind, LayerKind::kCultivatedLand);
}

TEST(PlanData, IndicatorsFedByThePlatform) {
  auto plans = LoadPlans();
  std::map<std::string, MeasureKind> by_name;
  for (const auto& i : plans["410300"].indicators) by_name[i.name] = i.measure.kind;
  EXPECT_EQ(by_name["固体矿山总数"], MeasureKind::kSolidMineCount);
  EXPECT_EQ(by_name["大中型矿山比例"], MeasureKind::kLargeMediumMineShare);
  EXPECT_EQ(by_name["历史遗留矿山综合治理面积"], MeasureKind::kHistoricalMineRestored);
  EXPECT_EQ(by_name["存量建设用地盘活率"], MeasureKind::kStockLandRevitalisedRate);
  EXPECT_EQ(by_name["生态保护红线面积"], MeasureKind::kLayerArea);
  EXPECT_EQ(by_name["永久基本农田面积"], MeasureKind::kLayerArea);
  EXPECT_EQ(by_name["森林覆盖率"], MeasureKind::kReported);
  const Indicator& rate = plans["640300"].indicators[6];
  EXPECT_EQ(rate.measure.kind, MeasureKind::kUnsuppliedIdleLandDisposedRate);
  EXPECT_TRUE(rate.annual);
  EXPECT_DOUBLE_EQ(rate.target.value(), 20);
}

// Each row's text is what the seed has at the cited line (the whole row for
// tables, the quoted phrase for Wuzhong's text targets).
TEST(PlanData, EveryRowCitesItsSourceLine) {
  const fs::path seeds = NRP_SEEDS_DIR;
  if (!fs::exists(seeds)) GTEST_SKIP() << "seed plans not present at " << seeds;
  for (auto& [region, p] : LoadPlans()) {
    std::vector<std::string> lines;
    std::stringstream ss(ReadAll(seeds / fs::path(p.source_file).filename()));
    for (std::string l; std::getline(ss, l);) lines.push_back(l);
    ASSERT_FALSE(lines.empty()) << p.source_file;
    for (const auto& i : p.indicators) {
      ASSERT_LE(static_cast<size_t>(i.source.line), lines.size()) << i.code;
      std::string line = lines[i.source.line - 1];
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
        line.pop_back();
      }
      EXPECT_NE(line.find(i.source.text), std::string::npos)
          << i.code << " L" << i.source.line << ": '" << i.source.text << "' not in '" << line
          << "'";
      if (region != "640300") {
        EXPECT_NE(line.find(i.name), std::string::npos) << i.code;
        EXPECT_NE(line.find(i.target_as_written), std::string::npos) << i.code;
        // A row of an indicator table says whether it binds; a target quoted from the prose
        // (a line without the table's tabs) is expected (预期性) by default.
        if (line.find('\t') != std::string::npos) {
          EXPECT_NE(line.find(i.attribute == Attribute::kBinding ? "约束性" : "预期性"),
                    std::string::npos)
              << i.code;
        } else {
          EXPECT_EQ(i.attribute, Attribute::kExpected) << i.code;
        }
      }
    }
    for (const auto& o : p.omitted_targets) {
      EXPECT_NE(lines[o.line - 1].find(o.text), std::string::npos) << region << " L" << o.line;
    }
  }
}

}  // namespace
}  // namespace nrp::planning
