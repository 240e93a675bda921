#include "domain/indicator.h"

#include <gtest/gtest.h>

namespace nrp::planning {
namespace {

TEST(TargetParse, ComparisonsRangesAndText) {
  auto t = Target::Parse("≥5649");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->kind(), TargetKind::kAtLeast);
  EXPECT_DOUBLE_EQ(t->value(), 5649);
  EXPECT_EQ(Target::Parse("<300")->kind(), TargetKind::kLessThan);
  EXPECT_EQ(Target::Parse(">50")->kind(), TargetKind::kGreaterThan);
  EXPECT_EQ(Target::Parse("≤16.768")->kind(), TargetKind::kAtMost);
  EXPECT_EQ(Target::Parse("=7.34")->kind(), TargetKind::kEqual);
  auto r = Target::Parse("10~15");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind(), TargetKind::kRange);
  EXPECT_DOUBLE_EQ(r->low(), 10);
  EXPECT_DOUBLE_EQ(r->high(), 15);
  auto text = Target::Parse("完成国家下达任务");
  ASSERT_TRUE(text.ok());
  EXPECT_FALSE(text->numeric());
  EXPECT_EQ(text->ToString(), "完成国家下达任务");
  EXPECT_EQ(Target::Parse("≥1771.35")->ToString(), "≥1771.35");
}

TEST(TargetParse, RefusesWhatDoesNotSayWhichWay) {
  auto bare = Target::Parse("15", "indicator.target");
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(bare.error().message(),
            "indicator.target: a bare number does not say which way the target points; write ≥, "
            ">, ≤, < or = before it");
  auto inverted = Target::Parse("15~10", "target");
  ASSERT_FALSE(inverted.ok());
  EXPECT_EQ(inverted.error().message(), "target: range low 15 is above high 10");
  auto mixed = Target::Parse("较2020年累计下降12.00%", "target");
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.error().message(),
            "target: '较2020年累计下降12.00%' mixes a number with text; give a comparison or a "
            "range, or a text target without numbers");
  EXPECT_EQ(Target::Parse("≥abc", "target").error().message(),
            "target: expected a number after '≥'");
  EXPECT_EQ(Target::Parse("", "target").error().message(), "target: target is empty");
}

TEST(TargetSatisfied, ComparatorsAndTolerance) {
  EXPECT_TRUE(Target::Parse("≥5649")->SatisfiedBy(5649));
  EXPECT_FALSE(Target::Parse(">50")->SatisfiedBy(50));
  EXPECT_TRUE(Target::Parse("<300")->SatisfiedBy(299));
  EXPECT_FALSE(Target::Parse("<300")->SatisfiedBy(300));
  EXPECT_TRUE(Target::Parse("=10")->SatisfiedBy(10.04, 0.005));
  EXPECT_FALSE(Target::Parse("=10")->SatisfiedBy(10.06, 0.005));
  EXPECT_TRUE(Target::Parse("10~15")->SatisfiedBy(15));
  EXPECT_FALSE(Target::Parse("完成国家下达任务")->SatisfiedBy(1));
}

ProgressResult Assessed(const char* target, std::optional<double> base, double value,
                        double elapsed) {
  ProgressInput in{*Target::Parse(target), base, value, elapsed};
  return AssessProgress(in, ProgressOptions{});
}

TEST(Progress, ShanxiFloorBelowItsBaseIsLegal) {
  // Shanxi cultivated land 5792.51 → ≥5649 万亩 (004 L104): the plan allows a
  // loss of 143.51 万亩 spread over the period.
  EXPECT_EQ(Assessed("≥5649", 5792.51, 5710, 0.5).status, ProgressStatus::kOnTrack);
  auto fast = Assessed("≥5649", 5792.51, 5700, 0.5);
  EXPECT_EQ(fast.status, ProgressStatus::kAtRisk);
  EXPECT_NEAR(*fast.expected_now, 5720.755, 1e-9);
  auto below = Assessed("≥5649", 5792.51, 5640, 0.5);
  EXPECT_EQ(below.status, ProgressStatus::kBreached);
  EXPECT_EQ(below.explanation, "5640 crosses the limit ≥5649 kept since the base 5792.51");
  EXPECT_EQ(Assessed("≥5649", 5792.51, 5650, 1.0).status, ProgressStatus::kAchieved);
}

TEST(Progress, LimitWithNoHeadroomBreachesOnAnyLoss) {
  // Luoyang red line 1771.35 → ≥1771.35 km² (000 L165).
  EXPECT_EQ(Assessed("≥1771.35", 1771.35, 1771.35, 0.3).status, ProgressStatus::kOnTrack);
  EXPECT_EQ(Assessed("≥1771.35", 1771.35, 1771.0, 0.3).status, ProgressStatus::kBreached);
}

TEST(Progress, TargetToReachFollowsTheLinearTrajectory) {
  // Luoyang solid mines 346 → <300 (000 L157): halfway the trajectory is at 323,
  // the tolerance 10% of 46 = 4.6.
  EXPECT_EQ(Assessed("<300", 346, 325, 0.5).status, ProgressStatus::kOnTrack);
  auto lag = Assessed("<300", 346, 330, 0.5);
  EXPECT_EQ(lag.status, ProgressStatus::kAtRisk);
  EXPECT_EQ(lag.explanation,
            "330 lags the linear trajectory 346 → 300 (323 now) by more than the tolerance");
  EXPECT_EQ(Assessed("<300", 346, 299, 0.5).status, ProgressStatus::kAchieved);
  auto end = Assessed("<300", 346, 300, 1.0);
  EXPECT_EQ(end.status, ProgressStatus::kBreached);
  EXPECT_EQ(end.explanation, "period over; 300 misses <300");
  // Historical mine area restored, 0 → ≥6.28 km² (000 L159).
  EXPECT_EQ(Assessed("≥6.28", 0.0, 3.0, 0.5).status, ProgressStatus::kOnTrack);
  EXPECT_EQ(Assessed("≥6.28", 0.0, 2.0, 0.5).status, ProgressStatus::kAtRisk);
}

TEST(Progress, CeilingWithHeadroom) {
  // Luoyang water use 14.921 → ≤16.768 (000 L153): rising faster than planned is at risk.
  EXPECT_EQ(Assessed("≤16.768", 14.921, 15.5, 0.4).status, ProgressStatus::kOnTrack);
  EXPECT_EQ(Assessed("≤16.768", 14.921, 16.5, 0.4).status, ProgressStatus::kAtRisk);
  EXPECT_EQ(Assessed("≤16.768", 14.921, 16.8, 0.4).status, ProgressStatus::kBreached);
}

TEST(Progress, NoBaseTextAndRange) {
  EXPECT_EQ(Assessed("≥100", std::nullopt, 60, 0.5).status, ProgressStatus::kAtRisk);
  EXPECT_EQ(Assessed("≥100", std::nullopt, 100, 0.5).status, ProgressStatus::kAchieved);
  EXPECT_EQ(Assessed("完成国家下达任务", 43.02, 43, 0.5).status, ProgressStatus::kNotAssessed);
  EXPECT_EQ(Assessed("10~15", 5.0, 7.0, 0.5).status, ProgressStatus::kOnTrack);
  EXPECT_EQ(Assessed("10~15", 5.0, 6.0, 0.5).status, ProgressStatus::kAtRisk);
  EXPECT_EQ(Assessed("10~15", 12.0, 16.0, 0.5).status, ProgressStatus::kBreached);
  // Luoyang protected-area share 8.82 → =7.34 (000 L161) falls by plan.
  EXPECT_EQ(Assessed("=7.34", 8.82, 7.34, 1.0).status, ProgressStatus::kAchieved);
  EXPECT_EQ(Assessed("=7.34", 8.82, 7.5, 1.0).status, ProgressStatus::kBreached);
}

TEST(Progress, ToleranceIsConfigurable) {
  ProgressInput in{*Target::Parse("<300"), 346.0, 330, 0.5};
  ProgressOptions loose;
  loose.at_risk_tolerance = 0.2;  // 9.2 of 46
  EXPECT_EQ(AssessProgress(in, loose).status, ProgressStatus::kOnTrack);
}

TEST(Period, ElapsedFractionOverThePlanYears) {
  Period p = PlanPeriod(2020, 2025);
  EXPECT_EQ(p.start, Date(2021, 1, 1));
  EXPECT_EQ(p.end, Date(2025, 12, 31));
  EXPECT_DOUBLE_EQ(ElapsedFraction(p, Date(2020, 12, 31)), 0.0);
  EXPECT_DOUBLE_EQ(ElapsedFraction(p, Date(2021, 1, 1)), 1.0 / 1826.0);
  EXPECT_DOUBLE_EQ(ElapsedFraction(p, Date(2025, 12, 31)), 1.0);
  EXPECT_DOUBLE_EQ(ElapsedFraction(p, Date(2027, 1, 1)), 1.0);
  EXPECT_NEAR(ElapsedFraction(p, Date(2023, 7, 2)), 0.5, 0.001);
}

TEST(Warning, OnlyBindingIndicatorsAndOnlyWhenStatusWorsens) {
  using S = ProgressStatus;
  EXPECT_TRUE(RaisesWarning(Attribute::kBinding, S::kOnTrack, S::kAtRisk));
  EXPECT_TRUE(RaisesWarning(Attribute::kBinding, S::kNotAssessed, S::kAtRisk));
  EXPECT_TRUE(RaisesWarning(Attribute::kBinding, S::kAtRisk, S::kBreached));
  EXPECT_TRUE(RaisesWarning(Attribute::kBinding, S::kOnTrack, S::kBreached));
  EXPECT_FALSE(RaisesWarning(Attribute::kBinding, S::kAtRisk, S::kAtRisk));
  EXPECT_FALSE(RaisesWarning(Attribute::kBinding, S::kBreached, S::kAtRisk));
  EXPECT_FALSE(RaisesWarning(Attribute::kBinding, S::kAtRisk, S::kOnTrack));
  EXPECT_FALSE(RaisesWarning(Attribute::kExpected, S::kOnTrack, S::kAtRisk));
  EXPECT_FALSE(RaisesWarning(Attribute::kUnstated, S::kOnTrack, S::kBreached));
}

TEST(Warning, ClearedWhenBackOnTrack) {
  using S = ProgressStatus;
  EXPECT_TRUE(ClearsWarning(S::kAtRisk, S::kOnTrack));
  EXPECT_TRUE(ClearsWarning(S::kBreached, S::kAchieved));
  EXPECT_FALSE(ClearsWarning(S::kOnTrack, S::kAchieved));
  EXPECT_FALSE(ClearsWarning(S::kAtRisk, S::kNotAssessed));
}

TEST(Progress, RatioAndProjection) {
  // Luoyang mines 346 → <300: 323 is half way.
  EXPECT_DOUBLE_EQ(*ProgressRatio(*Target::Parse("<300"), 346.0, 323), 0.5);
  EXPECT_FALSE(ProgressRatio(*Target::Parse("<300"), std::nullopt, 323).has_value());
  EXPECT_FALSE(ProgressRatio(*Target::Parse("完成国家下达任务"), 1.0, 2).has_value());
  // 330 after 40% of the period: −16 so far, −40 by the end → 306.
  EXPECT_DOUBLE_EQ(*ProjectedValue(346.0, 330, 0.4), 306);
  EXPECT_FALSE(ProjectedValue(346.0, 330, 0).has_value());
}

TEST(Units, SquareMetresToIndicatorUnits) {
  EXPECT_DOUBLE_EQ(*SquareMetresToUnit(1e8, "万公顷"), 1.0);
  EXPECT_DOUBLE_EQ(*SquareMetresToUnit(1e8 / 15.0, "万亩"), 1.0);
  EXPECT_DOUBLE_EQ(*SquareMetresToUnit(6.28e6, "平方公里"), 6.28);
  EXPECT_DOUBLE_EQ(*SquareMetresToUnit(3001042000.0, "公顷"), 300104.2);
  auto bad = SquareMetresToUnit(1, "%");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "unit: '%' is not an area unit");
}

TEST(PlanFile, RefusesMalformedFilesNamingThePath) {
  auto not_json = ParsePlan("{", "x.json");
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(not_json.error().message(), "x.json:$: is not a JSON object");
  const char* base = R"({"plan_id":"p","region_code":"410300","region_name":"n","title":"t",
    "base_year":2020,"target_year":2025,"source_file":"f","indicators":[{"code":"c","name":"n",
    "unit":"%","base":null,"target_as_written":"15","target":{"kind":"at_least"},
    "attribute":"binding","measure":{"kind":"reported"},"source":{"line":1,"text":"x"}}]})";
  auto no_value = ParsePlan(base, "x.json");
  ASSERT_FALSE(no_value.ok());
  EXPECT_EQ(no_value.error().message(), "x.json:$.indicators[0].target.value: is required");
  std::string bad_attr = base;
  bad_attr.replace(bad_attr.find("{\"kind\":\"at_least\"}"), 19,
                   "{\"kind\":\"at_least\",\"value\":15}");
  bad_attr.replace(bad_attr.find("\"binding\""), 9, "\"strict\"");
  auto attr = ParsePlan(bad_attr, "x.json");
  ASSERT_FALSE(attr.ok());
  EXPECT_EQ(attr.error().message(),
            "x.json:$.indicators[0].attribute: must be binding, expected or unstated");
}

}  // namespace
}  // namespace nrp::planning
