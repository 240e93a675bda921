// Unit tests of the mining-rights rules: each rule refusing what it must refuse, with the
// status code and the message (or reason) a caller sees. Every date is fixed; "now" is
// always a parameter.
#include <gtest/gtest.h>

#include <set>

#include "domain/grant.h"
#include "domain/licence_number.h"
#include "domain/minerals.h"
#include "domain/production_scale.h"
#include "domain/right.h"
#include "domain/rules.h"
#include "domain/terms.h"
#include "domain/types.h"

namespace nrp::mining_rights {
namespace {

using namespace std::chrono_literals;

TimePoint At(const char* rfc3339) { return ParseRfc3339(rfc3339).value(); }

template <class R>
void ExpectError(const R& r, Code code, const std::string& message) {
  ASSERT_FALSE(r.ok()) << "expected " << CodeName(code) << ": " << message;
  EXPECT_EQ(r.error().code(), code) << r.error().ToString();
  EXPECT_EQ(r.error().message(), message);
}

template <class R>
void ExpectReason(const R& r, const std::string& reason) {
  ASSERT_FALSE(r.ok()) << "expected " << reason;
  EXPECT_EQ(r.error().code(), Code::kFailedPrecondition) << r.error().ToString();
  EXPECT_EQ(r.error().reason(), reason) << r.error().ToString();
}

template <class R>
void ExpectRefusal(const R& r, const std::string& reason, const std::string& message) {
  ExpectReason(r, reason);
  if (!r.ok()) {
    EXPECT_EQ(r.error().message(), message);
  }
}

template <class R>
void ExpectField(const R& r, const std::string& field) {
  ASSERT_FALSE(r.ok()) << "expected INVALID_ARGUMENT on " << field;
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument) << r.error().ToString();
  ASSERT_EQ(r.error().field_violations().size(), 1u);
  EXPECT_EQ(r.error().field_violations()[0].field, field);
}

const Rules& R() {
  static Rules r = Rules::Defaults();
  return r;
}

LicenceNumber Number(const char* text) { return LicenceNumber::Parse(text, "n").value(); }

const Mineral* M(const char* code) {
  const Mineral* m = FindMineral(code);
  EXPECT_NE(m, nullptr) << code;
  return m;
}

// ---------------------------------------------------------------- rules

TEST(Rules, DefaultsAreTheLegalFigures) {
  const Rules& r = R();
  EXPECT_TRUE(r.Validate().ok());
  EXPECT_EQ(r.NoticeDays(), 20);
  EXPECT_EQ(r.ListingDays(), 10);
  EXPECT_EQ(r.ExtensionLeadDays(), 30);
  EXPECT_DOUBLE_EQ(r.RelinquishShare(), 0.25);
  EXPECT_DOUBLE_EQ(r.MaxAdjacentGapMetres(), 300);
}

TEST(Rules, ConfigurationRaisesButNeverLowersTheFloors) {
  Rules r;
  r.min_notice_days = 19;
  ExpectError(r.Validate(), Code::kInvalidArgument,
              "min_notice_days: must be at least the legal 20 days, got 19");
  EXPECT_EQ(r.NoticeDays(), 20);
  r = Rules();
  r.min_listing_days = 9;
  ExpectError(r.Validate(), Code::kInvalidArgument,
              "min_listing_days: must be at least the legal 10 days, got 9");
  EXPECT_EQ(r.ListingDays(), 10);
  r = Rules();
  r.extension_lead_days = 29;
  ExpectError(r.Validate(), Code::kInvalidArgument,
              "extension_lead_days: must be at least the legal 30 days, got 29");
  EXPECT_EQ(r.ExtensionLeadDays(), 30);
  r = Rules();
  r.relinquish_share = 0.2;
  ExpectError(r.Validate(), Code::kInvalidArgument,
              "relinquish_share: must lie between the legal 0.25 and 1, got 0.2");
  EXPECT_DOUBLE_EQ(r.RelinquishShare(), 0.25);
  r = Rules();
  r.adjacent_gap_tolerance_m = -1;
  ExpectError(r.Validate(), Code::kInvalidArgument,
              "adjacent_gap_tolerance_m: must lie between 0 and 300 metres, got -1");
  EXPECT_DOUBLE_EQ(r.MaxAdjacentGapMetres(), 300);

  Rules stricter;
  stricter.min_notice_days = 30;
  stricter.min_listing_days = 15;
  stricter.extension_lead_days = 60;
  stricter.relinquish_share = 0.3;
  stricter.adjacent_gap_tolerance_m = 50;
  EXPECT_TRUE(stricter.Validate().ok());
  EXPECT_EQ(stricter.NoticeDays(), 30);
  EXPECT_EQ(stricter.ListingDays(), 15);
  EXPECT_EQ(stricter.ExtensionLeadDays(), 60);
  EXPECT_DOUBLE_EQ(stricter.RelinquishShare(), 0.3);
  EXPECT_DOUBLE_EQ(stricter.MaxAdjacentGapMetres(), 350);
}

// ---------------------------------------------------------------- minerals

TEST(Minerals, CoalIsTheContractsCode) {
  const Mineral* coal = FindMineral("10100");
  ASSERT_NE(coal, nullptr);
  EXPECT_EQ(coal->name, "煤");
  EXPECT_EQ(coal->name_en, "coal");
  EXPECT_EQ(coal->mineral_class, MineralClass::kEnergy);
  EXPECT_TRUE(coal->coal);
  EXPECT_FALSE(coal->ordinary_sand_gravel_clay);
  EXPECT_EQ(kCoalCode, "10100");
}

TEST(Minerals, CodesAreUniqueAndLeadWithTheirClass) {
  std::set<std::string_view> codes;
  for (const auto& m : Minerals()) {
    EXPECT_TRUE(codes.insert(m.code).second) << m.code;
    ASSERT_EQ(m.code.size(), 5u) << m.code;
    EXPECT_EQ(m.code[0] - '0', static_cast<int>(m.mineral_class)) << m.code << " " << m.name;
    EXPECT_FALSE(m.name.empty());
    EXPECT_FALSE(m.name_en.empty());
  }
}

TEST(Minerals, EveryBox8MineralIsInTheTable) {
  for (const auto& row : Box8()) {
    const Mineral* m = FindMineral(row.mineral_code);
    ASSERT_NE(m, nullptr) << row.name;
    // The row's name starts with the mineral's name, e.g. 铁矿（地下） and 铁矿.
    std::string_view base = m->name.substr(0, m->name.find("（"));
    EXPECT_EQ(row.name.substr(0, base.size()), base) << row.name << " vs " << m->name;
  }
}

TEST(Minerals, FlagsOfTheGrantAndScaleRules) {
  EXPECT_TRUE(M("21000")->rare_earth);
  EXPECT_TRUE(M("21100")->rare_earth);
  EXPECT_TRUE(M("10700")->radioactive);
  EXPECT_TRUE(M("10800")->radioactive);
  EXPECT_FALSE(M("20700")->rare_earth || M("20700")->radioactive);
  EXPECT_TRUE(M("31100")->ordinary_sand_gravel_clay);  // 建筑用砂
  EXPECT_TRUE(M("31200")->ordinary_sand_gravel_clay);  // 砖瓦用粘土
  EXPECT_FALSE(M("31200")->construction_stone);
  EXPECT_TRUE(M("30500")->construction_stone);  // 建筑石料用灰岩
  EXPECT_TRUE(M("30500")->ordinary_sand_gravel_clay);
  EXPECT_FALSE(M("30400")->construction_stone);  // 水泥用灰岩
  EXPECT_FALSE(M("31000")->construction_stone);  // 饰面用花岗岩: dimension stone
  EXPECT_EQ(M("40100")->mineral_class, MineralClass::kWaterGas);
}

TEST(Minerals, UnknownOrMalformedCodesNameTheField) {
  ExpectError(ValidateMineralCode("1010", "offer.main_mineral.code"), Code::kInvalidArgument,
              "offer.main_mineral.code: expected a 5-digit mineral code, got '1010'");
  ExpectError(ValidateMineralCode("1010A", "offer.main_mineral.code"), Code::kInvalidArgument,
              "offer.main_mineral.code: expected a 5-digit mineral code, got '1010A'");
  ExpectError(ValidateMineralCode("99999", "right.main_mineral.code"), Code::kInvalidArgument,
              "right.main_mineral.code: unknown mineral code '99999'");
  EXPECT_EQ(FindMineral("99999"), nullptr);
  auto ok = ValidateMineralCode("20700", "f");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)->name, "金矿（岩金）");
}

// ---------------------------------------------------------------- licence numbers

TEST(LicenceNumber, ParsesTheCurrentFormat) {
  auto n = LicenceNumber::Parse("C4103002025000000000012", "licence_number");
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_EQ(n->format(), LicenceFormat::kCurrent23);
  EXPECT_FALSE(n->legacy());
  EXPECT_EQ(n->kind(), RightKind::kMining);
  EXPECT_EQ(n->authority(), "410300");
  EXPECT_EQ(n->year(), 2025);
  EXPECT_EQ(n->sequence(), 12);
  EXPECT_FALSE(MustReissueAtNextRegistration(*n));
  EXPECT_EQ(Number("T4100002020999999999999").kind(), RightKind::kExploration);
}

TEST(LicenceNumber, RefusesMalformedCurrentNumbers) {
  const char* f = "licence_number";
  ExpectError(LicenceNumber::Parse("C410300202500000000001", f), Code::kInvalidArgument,
              "licence_number: a licence number has 23 characters (18 for an older exploration "
              "number), got 22 in 'C410300202500000000001'");
  ExpectError(LicenceNumber::Parse("X4103002025000000000012", f), Code::kInvalidArgument,
              "licence_number: a licence number starts with T (exploration) or C (mining), got "
              "'X4103002025000000000012'");
  ExpectError(LicenceNumber::Parse("C41030020250000000000A2", f), Code::kInvalidArgument,
              "licence_number: characters 2 to 23 of a licence number are digits, got "
              "'C41030020250000000000A2'");
  ExpectError(LicenceNumber::Parse("C9903002025000000000012", f), Code::kInvalidArgument,
              "licence_number: characters 2 to 7 are not a GB/T 2260 region code in "
              "'C9903002025000000000012'");
  ExpectError(LicenceNumber::Parse("C4103002019000000000012", f), Code::kInvalidArgument,
              "licence_number: the year 2019 in 'C4103002019000000000012' is before 2020, when "
              "23-character numbers began");
  ExpectError(LicenceNumber::Parse("C4103002025000000000000", f), Code::kInvalidArgument,
              "licence_number: the sequence of 'C4103002025000000000000' is zero; sequences "
              "start at 1");
}

TEST(LicenceNumber, ParsesTheOlderExplorationNumber) {
  // T + authority 41 + tender 2 + 2008-03 + metal 02 + sequence 000123.
  auto n = LicenceNumber::Parse("T41220080302000123", "legacy_licence_number");
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_TRUE(n->legacy());
  EXPECT_EQ(n->kind(), RightKind::kExploration);
  EXPECT_EQ(n->authority(), "41");
  EXPECT_EQ(n->grant_method(), GrantMethod::kTender);
  EXPECT_EQ(n->year(), 2008);
  EXPECT_EQ(n->month(), 3u);
  EXPECT_EQ(n->mineral_class(), MineralClass::kMetal);
  EXPECT_EQ(n->sequence(), 123);
  EXPECT_TRUE(MustReissueAtNextRegistration(*n));
  EXPECT_EQ(Number("T41519991204000001").grant_method(), GrantMethod::kNegotiation);
  EXPECT_EQ(Number("T41119991201000001").grant_method(), GrantMethod::kApplicationFirst);
  EXPECT_EQ(Number("T41119991201000001").mineral_class(), MineralClass::kEnergy);
}

TEST(LicenceNumber, RefusesMalformedOlderNumbers) {
  const char* f = "legacy_licence_number";
  ExpectError(LicenceNumber::Parse("C41220080302000123", f), Code::kInvalidArgument,
              "legacy_licence_number: an 18-character licence number is an exploration number "
              "and starts with T, got 'C41220080302000123'");
  ExpectError(LicenceNumber::Parse("T41220080302000 23", f), Code::kInvalidArgument,
              "legacy_licence_number: characters 2 to 18 of a licence number are digits, got "
              "'T41220080302000 23'");
  ExpectError(LicenceNumber::Parse("T41620080302000123", f), Code::kInvalidArgument,
              "legacy_licence_number: character 4 of 'T41620080302000123' is the grant method, "
              "1 to 5, got 6");
  ExpectError(LicenceNumber::Parse("T41020080302000123", f), Code::kInvalidArgument,
              "legacy_licence_number: character 4 of 'T41020080302000123' is the grant method, "
              "1 to 5, got 0");
  ExpectError(LicenceNumber::Parse("T41220081302000123", f), Code::kInvalidArgument,
              "legacy_licence_number: characters 9 to 10 of 'T41220081302000123' are the month, "
              "01 to 12, got 13");
  ExpectError(LicenceNumber::Parse("T41220080002000123", f), Code::kInvalidArgument,
              "legacy_licence_number: characters 9 to 10 of 'T41220080002000123' are the month, "
              "01 to 12, got 00");
  ExpectError(LicenceNumber::Parse("T41220080305000123", f), Code::kInvalidArgument,
              "legacy_licence_number: characters 11 to 12 of 'T41220080305000123' are the "
              "mineral class, 01 to 04, got 05");
  ExpectError(LicenceNumber::Parse("T41220080300000123", f), Code::kInvalidArgument,
              "legacy_licence_number: characters 11 to 12 of 'T41220080300000123' are the "
              "mineral class, 01 to 04, got 00");
  ExpectError(LicenceNumber::Parse("T41220080302000000", f), Code::kInvalidArgument,
              "legacy_licence_number: the sequence of 'T41220080302000000' is zero; sequences "
              "start at 1");
}

TEST(LicenceNumber, GeneratesNewNumbers) {
  auto t = LicenceNumber::Generate(RightKind::kExploration, "410307", 2026, 7);
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->str(), "T4103072026000000000007");
  EXPECT_EQ(t->str().size(), 23u);
  auto c = LicenceNumber::Generate(RightKind::kMining, "410000", 2031, 999999999999);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->str(), "C4100002031999999999999");
  EXPECT_EQ(c->sequence(), 999999999999);

  ExpectError(LicenceNumber::Generate(RightKind::kUnspecified, "410307", 2026, 1),
              Code::kInvalidArgument, "kind: must be EXPLORATION or MINING");
  ExpectError(LicenceNumber::Generate(RightKind::kMining, "41030", 2026, 1), Code::kInvalidArgument,
              "region_code: expected a 6-digit GB/T 2260 region code, got '41030'");
  ExpectError(LicenceNumber::Generate(RightKind::kMining, "410307", 2019, 1),
              Code::kInvalidArgument, "year: must lie between 2020 and 9999, got 2019");
  ExpectError(LicenceNumber::Generate(RightKind::kMining, "410307", 2026, 0),
              Code::kInvalidArgument, "sequence: must lie between 1 and 999999999999, got 0");
  ExpectError(LicenceNumber::Generate(RightKind::kMining, "410307", 2026, 1000000000000),
              Code::kInvalidArgument,
              "sequence: must lie between 1 and 999999999999, got 1000000000000");
}

TEST(LicenceNumber, NewRightsTakeCurrentNumbersOfTheirKind) {
  EXPECT_TRUE(CheckNumberForNewRight(Number("C4103072026000000000001"), RightKind::kMining).ok());
  ExpectRefusal(CheckNumberForNewRight(Number("T41220080302000123"), RightKind::kExploration),
                "LEGACY_NUMBER_FOR_NEW_RIGHT",
                "licence number T41220080302000123 is an 18-character exploration number, valid "
                "only for rights registered before 2020; a new right gets a 23-character number");
  ExpectRefusal(CheckNumberForNewRight(Number("T4103072026000000000001"), RightKind::kMining),
                "LICENCE_KIND_MISMATCH",
                "licence number T4103072026000000000001 is a number of a EXPLORATION right, not "
                "of a MINING right");
}

TEST(LicenceNumber, OlderNumberIsReplacedAtTheNextRegistrationOnly) {
  LicenceNumber current = Number("T4103072026000000000001");
  LicenceNumber fresh = Number("T4103072027000000000005");
  auto kept = NumberAfterRegistration(current, fresh);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->str(), current.str());

  LicenceNumber legacy = Number("T41220080302000123");
  auto replaced = NumberAfterRegistration(legacy, fresh);
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(replaced->str(), fresh.str());
  ExpectError(NumberAfterRegistration(legacy, std::nullopt), Code::kInvalidArgument,
              "fresh_number: licence number T41220080302000123 is an 18-character number and is "
              "replaced at this registration; none given");
  ExpectError(NumberAfterRegistration(legacy, Number("C4103072027000000000005")),
              Code::kInvalidArgument,
              "fresh_number: the replacement of T41220080302000123 must be a 23-character "
              "EXPLORATION number, got C4103072027000000000005");
}

TEST(LicenceNumber, SplitKeepsTheNumberOnTheNamedPartOrTheFirst) {
  LicenceNumber original = Number("C4103072021000000000042");
  std::vector<LicenceNumber> fresh = {Number("C4103072026000000000100"),
                                      Number("C4103072026000000000101")};
  auto first = NumberSplitParts(original, 3, std::nullopt, fresh);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  ASSERT_EQ(first->size(), 3u);
  EXPECT_EQ((*first)[0].str(), original.str());
  EXPECT_EQ((*first)[1].str(), "C4103072026000000000100");
  EXPECT_EQ((*first)[2].str(), "C4103072026000000000101");

  auto last = NumberSplitParts(original, 3, 2, fresh);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ((*last)[0].str(), "C4103072026000000000100");
  EXPECT_EQ((*last)[1].str(), "C4103072026000000000101");
  EXPECT_EQ((*last)[2].str(), original.str());
}

TEST(LicenceNumber, SplitRefusals) {
  LicenceNumber original = Number("C4103072021000000000042");
  LicenceNumber a = Number("C4103072026000000000100");
  ExpectError(NumberSplitParts(original, 1, std::nullopt, {}), Code::kInvalidArgument,
              "parts: a split makes at least two parts, got 1");
  ExpectError(NumberSplitParts(original, 2, 2, {a}), Code::kInvalidArgument,
              "keeps_number_index: must name one of the 2 parts (0 to 1), got 2");
  ExpectError(NumberSplitParts(original, 2, -1, {a}), Code::kInvalidArgument,
              "keeps_number_index: must name one of the 2 parts (0 to 1), got -1");
  ExpectError(NumberSplitParts(original, 3, 0, {a}), Code::kInvalidArgument,
              "fresh_numbers: a split into 3 parts needs 2 new numbers, got 1");
  ExpectRefusal(NumberSplitParts(original, 3, 0, {a, a}), "LICENCE_NUMBER_NOT_UNIQUE",
                "licence number C4103072026000000000100 is given to two rights; numbers are "
                "unique");
  ExpectRefusal(NumberSplitParts(original, 2, 0, {original}), "LICENCE_NUMBER_NOT_UNIQUE",
                "licence number C4103072021000000000042 is given to two rights; numbers are "
                "unique");
  ExpectRefusal(NumberSplitParts(original, 2, 0, {Number("T4103072026000000000100")}),
                "LICENCE_KIND_MISMATCH",
                "the parts of C4103072021000000000042 take 23-character MINING numbers; "
                "T4103072026000000000100 is not one");
}

TEST(LicenceNumber, MergeKeepsTheEarliestFirstGrantedNumber) {
  std::vector<MergeCandidate> rights = {
      {"r-1", "h-1", Number("C4103072022000000000009"), Date(2024, 3, 1)},
      {"r-2", "h-1", Number("C4103072021000000000050"), Date(2024, 2, 29)},
      {"r-3", "h-1", Number("C4103072020000000000001"), Date(2025, 1, 1)},
  };
  // r-2 was first granted a day earlier (a leap day), though r-3's number is older text.
  auto i = SurvivingNumber(rights);
  ASSERT_TRUE(i.ok()) << i.error().ToString();
  EXPECT_EQ(*i, 1u);
  // Same first-granted day across a year boundary: the smaller number wins the tie.
  std::vector<MergeCandidate> tie = {
      {"r-1", "h-1", Number("C4103072026000000000009"), Date(2025, 12, 31)},
      {"r-2", "h-1", Number("C4103072026000000000003"), Date(2025, 12, 31)},
      {"r-3", "h-1", Number("C4103072026000000000001"), Date(2026, 1, 1)},
  };
  auto j = SurvivingNumber(tie);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(*j, 1u);
}

TEST(LicenceNumber, MergeRefusals) {
  LicenceNumber a = Number("C4103072022000000000009");
  LicenceNumber b = Number("C4103072021000000000050");
  ExpectError(SurvivingNumber({{"r-1", "h-1", a, Date(2024, 3, 1)}}), Code::kInvalidArgument,
              "right_ids: a merge joins at least two rights, got 1");
  ExpectError(
      SurvivingNumber({{"r-1", "h-1", a, Date(2024, 3, 1)}, {"r-1", "h-1", b, Date(2024, 3, 1)}}),
      Code::kInvalidArgument, "right_ids: right r-1 is named twice");
  ExpectError(
      SurvivingNumber({{"r-1", "h-1", a, Date(2024, 3, 1)}, {"r-2", "h-1", a, Date(2024, 3, 1)}}),
      Code::kInvalidArgument, "right_ids: licence number C4103072022000000000009 is named twice");
  ExpectRefusal(
      SurvivingNumber({{"r-1", "h-1", a, Date(2024, 3, 1)}, {"r-2", "h-2", b, Date(2024, 3, 1)}}),
      "MERGE_HOLDERS_DIFFER",
      "right r-2 is held by h-2, right r-1 by h-1; only rights of one holder are merged");
  ExpectRefusal(SurvivingNumber({{"r-1", "h-1", a, Date(2024, 3, 1)},
                                 {"r-2", "h-1", Number("T41220080302000123"), Date(2008, 3, 1)}}),
                "MERGE_KINDS_DIFFER",
                "right r-2 is a EXPLORATION right, right r-1 a MINING right; only rights of one "
                "kind are merged");
}

// ---------------------------------------------------------------- grant method

GrantPlan Plan(const char* code, GrantMethod method,
               NegotiationBasis basis = NegotiationBasis::kUnspecified) {
  GrantPlan p;
  p.offer_id = "o-1";
  p.mineral = FindMineral(code);
  p.method = method;
  p.basis = basis;
  p.facts.applicant_id = "h-1";
  return p;
}

TEST(Grant, CompetitionIsTheRule) {
  for (GrantMethod m : {GrantMethod::kTender, GrantMethod::kAuction, GrantMethod::kListing}) {
    EXPECT_TRUE(CheckGrantMethod(Plan("20700", m), R()).ok());
  }
  ExpectError(CheckGrantMethod(Plan("20700", GrantMethod::kUnspecified), R()),
              Code::kInvalidArgument,
              "offer.method: must be TENDER, AUCTION, LISTING or NEGOTIATION");
  GrantPlan none = Plan("20700", GrantMethod::kTender);
  none.mineral = nullptr;
  ExpectError(CheckGrantMethod(none, R()), Code::kInvalidArgument,
              "offer.main_mineral: is required");
  ExpectError(
      CheckGrantMethod(
          Plan("20700", GrantMethod::kAuction, NegotiationBasis::kStateCouncilKeyProject), R()),
      Code::kInvalidArgument, "offer.negotiation_basis: only a negotiated grant names a basis");
  ExpectRefusal(
      CheckGrantMethod(Plan("20700", GrantMethod::kApplicationFirst), R()),
      "GRANT_METHOD_NOT_ALLOWED",
      "offer o-1: first come (申请在先) survives only in older licence numbers; a right is "
      "granted by tender, auction or listing, or by negotiation on a ground of "
      "自然资规〔2023〕6号");
}

TEST(Grant, ConstructionStoneIsGrantedCleanAndByCompetition) {
  GrantPlan dirty = Plan("30500", GrantMethod::kListing);
  ExpectRefusal(CheckGrantMethod(dirty, R()), "CLEAN_GRANT_REQUIRED",
                "offer o-1: construction stone 建筑石料用灰岩 (30500) is granted clean (净矿: no "
                "overlapping rights or restricted zones, surface issues settled) (Luoyang plan "
                "L307)");
  GrantPlan clean = dirty;
  clean.clean_grant = true;
  EXPECT_TRUE(CheckGrantMethod(clean, R()).ok());
  GrantPlan negotiated =
      Plan("30600", GrantMethod::kNegotiation, NegotiationBasis::kStateCouncilKeyProject);
  negotiated.clean_grant = true;
  negotiated.facts.state_council_key_project = true;
  ExpectRefusal(CheckGrantMethod(negotiated, R()), "CONSTRUCTION_STONE_COMPETITIVE_ONLY",
                "offer o-1: construction stone 建筑用花岗岩 (30600) is granted by tender, auction "
                "or listing only (Luoyang plan L307; 自然资规〔2023〕6号 excludes ordinary sand, "
                "gravel and clay from negotiation)");
  // Other minerals need no clean grant.
  EXPECT_TRUE(CheckGrantMethod(Plan("20100", GrantMethod::kTender), R()).ok());
}

TEST(Grant, NeverNegotiatedForSandGravelClayWhateverTheGround) {
  GrantPlan clay =
      Plan("31200", GrantMethod::kNegotiation, NegotiationBasis::kStateCouncilKeyProject);
  clay.facts.state_council_key_project = true;
  ExpectRefusal(CheckGrantMethod(clay, R()), "NEGOTIATION_EXCLUDES_SAND_GRAVEL_CLAY",
                "offer o-1: 砖瓦用粘土 (31200) is ordinary construction sand, gravel or clay "
                "(普通建筑用砂石土), never granted by negotiation whatever the ground "
                "(自然资规〔2023〕6号)");
  GrantPlan sand = Plan("31100", GrantMethod::kNegotiation, NegotiationBasis::kAdjacentGap);
  sand.facts.adjacent_right_holder_ids = {"h-1", "h-1"};
  sand.facts.gap_m = 100;
  ExpectReason(CheckGrantMethod(sand, R()), "NEGOTIATION_EXCLUDES_SAND_GRAVEL_CLAY");
  sand.method = GrantMethod::kAuction;
  sand.basis = NegotiationBasis::kUnspecified;
  EXPECT_TRUE(CheckGrantMethod(sand, R()).ok());
}

TEST(Grant, NegotiationNeedsAGround) {
  ExpectRefusal(CheckGrantMethod(Plan("20700", GrantMethod::kNegotiation), R()),
                "NEGOTIATION_BASIS_MISSING",
                "offer o-1 is a negotiated grant without a ground; negotiation is allowed only "
                "for rare earth or radioactive minerals, State Council key projects, resources "
                "of an existing mine of the same holder, or a gap between one holder's rights "
                "(自然资规〔2023〕6号)");
}

TEST(Grant, RareEarthOrRadioactiveMinerals) {
  auto basis = NegotiationBasis::kRareEarthOrRadioactive;
  EXPECT_TRUE(CheckGrantMethod(Plan("21000", GrantMethod::kNegotiation, basis), R()).ok());
  EXPECT_TRUE(CheckGrantMethod(Plan("10700", GrantMethod::kNegotiation, basis), R()).ok());
  ExpectRefusal(CheckGrantMethod(Plan("20700", GrantMethod::kNegotiation, basis), R()),
                "NEGOTIATION_MINERAL_NOT_RARE_EARTH_OR_RADIOACTIVE",
                "offer o-1: 金矿（岩金） (20700) is neither a rare earth nor a radioactive "
                "mineral");
}

TEST(Grant, StateCouncilKeyProject) {
  GrantPlan p = Plan("10100", GrantMethod::kNegotiation, NegotiationBasis::kStateCouncilKeyProject);
  ExpectRefusal(CheckGrantMethod(p, R()), "NEGOTIATION_NOT_STATE_COUNCIL_KEY_PROJECT",
                "offer o-1 does not serve a key construction project approved by the State "
                "Council");
  p.facts.state_council_key_project = true;
  EXPECT_TRUE(CheckGrantMethod(p, R()).ok());
}

TEST(Grant, ResourcesOfTheHoldersExistingMine) {
  GrantPlan p = Plan("20600", GrantMethod::kNegotiation, NegotiationBasis::kExistingMineExtension);
  ExpectRefusal(CheckGrantMethod(p, R()), "NEGOTIATION_NO_EXISTING_MINE",
                "offer o-1 names no existing mine whose deep, upper, surrounding or scattered "
                "resources the block holds");
  p.facts.existing_mine_holder_id = "h-2";
  ExpectRefusal(CheckGrantMethod(p, R()), "NEGOTIATION_EXISTING_MINE_OTHER_HOLDER",
                "offer o-1: the existing mine is held by h-2, not by the applicant h-1");
  p.facts.existing_mine_holder_id = "h-1";
  EXPECT_TRUE(CheckGrantMethod(p, R()).ok());
}

TEST(Grant, GapOfAbout300MetresBetweenOneHoldersRights) {
  GrantPlan p = Plan("20100", GrantMethod::kNegotiation, NegotiationBasis::kAdjacentGap);
  p.facts.adjacent_right_holder_ids = {"h-1"};
  p.facts.gap_m = 120;
  ExpectRefusal(CheckGrantMethod(p, R()), "NEGOTIATION_ADJACENT_RIGHTS_OTHER_HOLDER",
                "offer o-1: a gap lies between two rights of the applicant; 1 adjacent right(s) "
                "given");
  p.facts.adjacent_right_holder_ids = {"h-1", "h-3"};
  ExpectRefusal(CheckGrantMethod(p, R()), "NEGOTIATION_ADJACENT_RIGHTS_OTHER_HOLDER",
                "offer o-1: an adjacent right is held by h-3, not by the applicant h-1");
  p.facts.adjacent_right_holder_ids = {"h-1", "h-1"};
  p.facts.gap_m.reset();
  ExpectError(CheckGrantMethod(p, R()), Code::kInvalidArgument,
              "negotiation.gap_m: the width of the gap in metres is required and not negative");
  p.facts.gap_m = -1;
  ExpectField(CheckGrantMethod(p, R()), "negotiation.gap_m");
  p.facts.gap_m = 300;
  EXPECT_TRUE(CheckGrantMethod(p, R()).ok());
  p.facts.gap_m = 300.5;
  ExpectRefusal(CheckGrantMethod(p, R()), "NEGOTIATION_GAP_TOO_WIDE",
                "offer o-1: the gap between the applicant's rights is 300.5 m, wider than the "
                "300 m a negotiated grant may fill (自然资规〔2023〕6号: about 300 m)");
  Rules tolerant;
  tolerant.adjacent_gap_tolerance_m = 50;
  p.facts.gap_m = 350;
  EXPECT_TRUE(CheckGrantMethod(p, tolerant).ok());
  p.facts.gap_m = 351;
  ExpectRefusal(CheckGrantMethod(p, tolerant), "NEGOTIATION_GAP_TOO_WIDE",
                "offer o-1: the gap between the applicant's rights is 351 m, wider than the 350 "
                "m a negotiated grant may fill (自然资规〔2023〕6号: about 300 m)");
}

// ---------------------------------------------------------------- competition periods

TEST(Competition, NoticeAtLeastTwentyDaysBeforeBiddingAcrossTheYearEnd) {
  CompetitionSchedule s{"o-1", GrantMethod::kAuction, At("2026-01-09T10:00:00+08:00"),
                        At("2026-01-09T12:00:00+08:00")};
  EXPECT_TRUE(CheckNoticePeriod(s, At("2025-12-20T10:00:00+08:00"), R()).ok());
  ExpectRefusal(CheckNoticePeriod(s, At("2025-12-20T10:00:01+08:00"), R()),
                "NOTICE_PERIOD_TOO_SHORT",
                "the grant notice must be published at least 20 days before bidding starts; "
                "bidding starts 2026-01-09T02:00:00.000Z, 19.999988 days after the notice");
  // Raised by configuration: 30 days; lowered: still 20.
  Rules longer;
  longer.min_notice_days = 30;
  ExpectReason(CheckNoticePeriod(s, At("2025-12-15T10:00:00+08:00"), longer),
               "NOTICE_PERIOD_TOO_SHORT");
  EXPECT_TRUE(CheckNoticePeriod(s, At("2025-12-10T10:00:00+08:00"), longer).ok());
  Rules lowered;
  lowered.min_notice_days = 5;
  ExpectReason(CheckNoticePeriod(s, At("2025-12-25T10:00:00+08:00"), lowered),
               "NOTICE_PERIOD_TOO_SHORT");
  // A negotiated grant has no bidding period.
  s.method = GrantMethod::kNegotiation;
  EXPECT_TRUE(CheckNoticePeriod(s, At("2026-01-08T10:00:00+08:00"), R()).ok());
}

TEST(Competition, ListingStaysOpenTenDaysCountingTheLeapDay) {
  CompetitionSchedule leap{"o-2", GrantMethod::kListing, At("2028-02-20T09:00:00+08:00"),
                           At("2028-03-01T09:00:00+08:00")};
  EXPECT_TRUE(CheckBiddingPeriod(leap, R()).ok());
  CompetitionSchedule common{"o-3", GrantMethod::kListing, At("2027-02-20T09:00:00+08:00"),
                             At("2027-03-01T09:00:00+08:00")};
  ExpectRefusal(CheckBiddingPeriod(common, R()), "LISTING_PERIOD_TOO_SHORT",
                "a listing stays open at least 10 days; bidding_start to bidding_end is 9 days");
  Rules lowered;
  lowered.min_listing_days = 3;
  ExpectReason(CheckBiddingPeriod(common, lowered), "LISTING_PERIOD_TOO_SHORT");
  // Tender and auction have no minimum open period.
  common.method = GrantMethod::kTender;
  EXPECT_TRUE(CheckBiddingPeriod(common, R()).ok());
  CompetitionSchedule backwards{"o-4", GrantMethod::kAuction, At("2027-03-01T09:00:00+08:00"),
                                At("2027-03-01T09:00:00+08:00")};
  ExpectError(CheckBiddingPeriod(backwards, R()), Code::kInvalidArgument,
              "offer.bidding_end: must be after bidding_start");
}

// ---------------------------------------------------------------- terms

TEST(Terms, MaximumTerms) {
  EXPECT_EQ(MaxMiningTermYears(ScaleClass::kLarge), 30);
  EXPECT_EQ(MaxMiningTermYears(ScaleClass::kMedium), 20);
  EXPECT_EQ(MaxMiningTermYears(ScaleClass::kSmall), 10);
  EXPECT_TRUE(CheckTerm(RightKind::kExploration, ScaleClass::kUnspecified, 5).ok());
  EXPECT_TRUE(CheckTerm(RightKind::kMining, ScaleClass::kLarge, 30).ok());
  EXPECT_TRUE(CheckTerm(RightKind::kMining, ScaleClass::kSmall, 10).ok());
  ExpectRefusal(CheckTerm(RightKind::kExploration, ScaleClass::kUnspecified, 6),
                "TERM_EXCEEDS_MAXIMUM",
                "the term of 6 years exceeds the 5 years of an exploration right "
                "(自然资规〔2023〕6号)");
  ExpectRefusal(
      CheckTerm(RightKind::kMining, ScaleClass::kLarge, 31), "TERM_EXCEEDS_MAXIMUM",
      "the term of 31 years exceeds the 30 years of a 大型 mine (开采登记管理办法 art. 7)");
  ExpectRefusal(
      CheckTerm(RightKind::kMining, ScaleClass::kMedium, 21), "TERM_EXCEEDS_MAXIMUM",
      "the term of 21 years exceeds the 20 years of a 中型 mine (开采登记管理办法 art. 7)");
  ExpectRefusal(
      CheckTerm(RightKind::kMining, ScaleClass::kSmall, 11), "TERM_EXCEEDS_MAXIMUM",
      "the term of 11 years exceeds the 10 years of a 小型 mine (开采登记管理办法 art. 7)");
  ExpectError(CheckTerm(RightKind::kMining, ScaleClass::kUnspecified, 5), Code::kInvalidArgument,
              "scale_class: a mining right's term depends on the mine's scale: LARGE, MEDIUM or "
              "SMALL");
  ExpectError(CheckTerm(RightKind::kMining, ScaleClass::kSmall, 0), Code::kInvalidArgument,
              "term_years: must be at least 1 year, got 0");
  ExpectError(CheckTerm(RightKind::kUnspecified, ScaleClass::kSmall, 5), Code::kInvalidArgument,
              "kind: must be EXPLORATION or MINING");
}

TEST(Terms, TermEndsOnTheCorrespondingDay) {
  EXPECT_EQ(TermEnd(Date(2025, 3, 1), 5), Date(2030, 3, 1));
  EXPECT_EQ(TermEnd(Date(2024, 2, 29), 5), Date(2029, 2, 28));
  EXPECT_EQ(TermEnd(Date(2024, 2, 29), 4), Date(2028, 2, 29));
  EXPECT_EQ(TermEnd(Date(2025, 12, 31), 30), Date(2055, 12, 31));
}

ExtensionRequest Extension(Date valid_to, Date applied_on, Date new_valid_to,
                           RightKind kind = RightKind::kExploration,
                           ScaleClass scale = ScaleClass::kUnspecified) {
  return {"r-1", kind, scale, valid_to, applied_on, new_valid_to};
}

TEST(Terms, ExtensionAppliedForThirtyDaysBeforeExpiryAcrossTheYearEnd) {
  const Date valid_to(2026, 1, 20);
  EXPECT_EQ(LatestExtensionApplicationDay(valid_to, R()), Date(2025, 12, 21));
  const Date new_to = valid_to.AddYears(5);
  EXPECT_TRUE(CheckExtension(Extension(valid_to, Date(2025, 12, 21), new_to), R()).ok());
  EXPECT_TRUE(CheckExtension(Extension(valid_to, Date(2025, 6, 1), new_to), R()).ok());
  ExpectRefusal(CheckExtension(Extension(valid_to, Date(2025, 12, 22), new_to), R()),
                "EXTENSION_APPLIED_TOO_LATE",
                "right r-1 is valid to 2026-01-20; an extension is applied for at least 30 days "
                "before expiry, by 2025-12-21, not on 2025-12-22");
  ExpectReason(CheckExtension(Extension(valid_to, Date(2026, 1, 21), new_to), R()),
               "EXTENSION_APPLIED_TOO_LATE");
  Rules earlier;
  earlier.extension_lead_days = 60;
  ExpectReason(CheckExtension(Extension(valid_to, Date(2025, 12, 21), new_to), earlier),
               "EXTENSION_APPLIED_TOO_LATE");
  Rules lowered;
  lowered.extension_lead_days = 10;
  ExpectReason(CheckExtension(Extension(valid_to, Date(2025, 12, 22), new_to), lowered),
               "EXTENSION_APPLIED_TOO_LATE");
}

TEST(Terms, ExtensionDeadlineCountsTheLeapDay) {
  // 2028-03-30 less 30 days is 29 February 2028; in 2027 it is 28 February.
  EXPECT_EQ(LatestExtensionApplicationDay(Date(2028, 3, 30), R()), Date(2028, 2, 29));
  EXPECT_EQ(LatestExtensionApplicationDay(Date(2027, 3, 30), R()), Date(2027, 2, 28));
  const Date to(2028, 3, 30);
  EXPECT_TRUE(CheckExtension(Extension(to, Date(2028, 2, 29), to.AddYears(5)), R()).ok());
  ExpectRefusal(CheckExtension(Extension(to, Date(2028, 3, 1), to.AddYears(5)), R()),
                "EXTENSION_APPLIED_TOO_LATE",
                "right r-1 is valid to 2028-03-30; an extension is applied for at least 30 days "
                "before expiry, by 2028-02-29, not on 2028-03-01");
}

TEST(Terms, ExtensionLength) {
  // Exploration: 5 years at a time, from a leap day to 28 February.
  const Date leap(2028, 2, 29);
  EXPECT_TRUE(CheckExtension(Extension(leap, Date(2027, 12, 1), Date(2033, 2, 28)), R()).ok());
  ExpectRefusal(CheckExtension(Extension(leap, Date(2027, 12, 1), Date(2033, 3, 1)), R()),
                "EXTENSION_TOO_LONG",
                "right r-1 can be extended to 2033-02-28 at most, not 2033-03-01: an exploration "
                "right is extended 5 years at a time (自然资规〔2023〕6号)");
  ExpectError(CheckExtension(Extension(leap, Date(2027, 12, 1), leap), R()), Code::kInvalidArgument,
              "new_valid_to: must be after the current valid_to 2028-02-29");
  // Mining: at most the maximum term of the mine's scale.
  const Date to(2030, 6, 30);
  EXPECT_TRUE(CheckExtension(Extension(to, Date(2030, 1, 2), Date(2050, 6, 30), RightKind::kMining,
                                       ScaleClass::kMedium),
                             R())
                  .ok());
  ExpectRefusal(CheckExtension(Extension(to, Date(2030, 1, 2), Date(2050, 7, 1), RightKind::kMining,
                                         ScaleClass::kMedium),
                               R()),
                "EXTENSION_TOO_LONG",
                "right r-1 can be extended to 2050-06-30 at most, not 2050-07-01: a 中型 mine's "
                "term is at most 20 years (开采登记管理办法 art. 7)");
  ExpectField(CheckExtension(Extension(to, Date(2030, 1, 2), Date(2035, 6, 30), RightKind::kMining,
                                       ScaleClass::kUnspecified),
                             R()),
              "scale_class");
}

RelinquishmentFacts Area(double first, double current, double retained) {
  return {"r-1", first, current, retained, false, false};
}

TEST(Terms, EachExtensionGivesUpAQuarterOfTheFirstGrantedArea) {
  // First extension: 100 km² → at most 75 km² kept.
  auto first = CheckRelinquishment(Area(1e8, 1e8, 7.5e7), R());
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_FALSE(first->exempt);
  EXPECT_DOUBLE_EQ(first->required_m2, 2.5e7);
  EXPECT_DOUBLE_EQ(first->max_retained_m2, 7.5e7);
  ExpectRefusal(CheckRelinquishment(Area(1e8, 1e8, 7.6e7), R()), "RELINQUISHMENT_INSUFFICIENT",
                "right r-1 must give up 25% of its first-granted 100000000 m² (25000000 m²) at "
                "this extension and keep at most 75000000 m² of its 100000000 m²; the retained "
                "block is 76000000 m² (自然资规〔2023〕6号)");
  // Second extension: a quarter of the FIRST-granted area again, not of the current one
  // (which would allow 56.25 km²).
  EXPECT_TRUE(CheckRelinquishment(Area(1e8, 7.5e7, 5e7), R()).ok());
  ExpectReason(CheckRelinquishment(Area(1e8, 7.5e7, 5.5e7), R()), "RELINQUISHMENT_INSUFFICIENT");
  // Fourth extension: nothing left.
  ExpectRefusal(CheckRelinquishment(Area(1e8, 2.5e7, 1e6), R()), "NOTHING_LEFT_TO_RETAIN",
                "right r-1 has 25000000 m² left; giving up 25% of the first-granted 100000000 m² "
                "(25000000 m²) leaves nothing to extend");
}

TEST(Terms, RelinquishedShareIsAFloorAndSomeAreasAreExempt) {
  Rules more;
  more.relinquish_share = 0.3;
  ExpectReason(CheckRelinquishment(Area(1e8, 1e8, 7.5e7), more), "RELINQUISHMENT_INSUFFICIENT");
  EXPECT_TRUE(CheckRelinquishment(Area(1e8, 1e8, 7e7), more).ok());
  Rules less;
  less.relinquish_share = 0.1;
  ExpectReason(CheckRelinquishment(Area(1e8, 1e8, 8e7), less), "RELINQUISHMENT_INSUFFICIENT");

  RelinquishmentFacts reserves = Area(1e8, 1e8, 1e8);
  reserves.reserves_submitted = true;
  auto r = CheckRelinquishment(reserves, R());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->exempt);
  EXPECT_DOUBLE_EQ(r->required_m2, 0);
  RelinquishmentFacts mine = Area(1e8, 1e8, 1e8);
  mine.existing_mining_right = true;
  EXPECT_TRUE(CheckRelinquishment(mine, R()).ok());
  ExpectReason(CheckRelinquishment(Area(1e8, 1e8, 1e8), R()), "RELINQUISHMENT_INSUFFICIENT");

  ExpectError(CheckRelinquishment(Area(1e8, 1e8, 1.1e8), R()), Code::kInvalidArgument,
              "retained_area: 110000000 m² exceeds the current area of 100000000 m²");
  ExpectField(CheckRelinquishment(Area(0, 1e8, 1e7), R()), "first_granted_area");
  ExpectField(CheckRelinquishment(Area(1e8, 0, 1e7), R()), "area");
  ExpectField(CheckRelinquishment(Area(1e8, 1e8, 0), R()), "retained_area");
}

// ---------------------------------------------------------------- minimum production scale

std::string RowText(const Box8Row& r) {
  return std::string(r.number) + "\t" + std::string(r.name) + "\t" + std::string(r.unit_text) +
         "\t" + CellText(r.large) + "\t" + CellText(r.medium) + "\t" + CellText(r.small);
}

TEST(ProductionScale, Box8IsReproducedExactly) {
  // shared/seeds/000_9bb4b98783138fb0.txt L313-335, data rows in order (萤石's "CaF ₂" as the
  // notes write it).
  const std::vector<std::string> source = {
      "1\t煤炭（地下）\t原煤 万吨/年\t120\t60/90\t60/90",
      "2\t铁矿（地下）\t矿石 万吨/年\t100\t30\t10",
      "\t铁矿（露天）\t矿石 万吨/年\t200\t60\t30",
      "3\t铜矿\t矿石 万吨/年\t100\t30\t3",
      "4\t铅矿\t矿石 万吨/年\t100\t30\t10",
      "5\t锌矿\t矿石 万吨/年\t100\t30\t10",
      "6\t铝土矿（露天）\t矿石 万吨/年\t100\t30\t10",
      "\t铝土矿（地下）\t矿石 万吨/年\t100\t30\t30",
      "7\t钼矿\t矿石 万吨/年\t100\t50\t50",
      "8\t金矿（岩金）\t矿石 万吨/年\t15\t9\t9",
      "9\t银矿\t矿石 万吨/年\t30\t20\t9",
      "10\t硫铁矿\t矿石 万吨/年\t100\t30\t30",
      "11\t萤石（CaF₂）\t矿石 万吨/年\t10\t9\t9",
      "12\t高岭土\t矿石 万吨/年\t10\t5\t3",
      "13\t水泥用灰岩\t矿石 万吨/年\t100\t50\t30",
      "14\t建筑石料用灰岩\t矿石 万吨/年\t300\t100\t/",
      "15\t冶金用石英岩\t矿石 万吨/年\t60\t20\t10",
      "16\t玻璃用石英岩\t矿石 万吨/年\t30\t10\t5",
      "17\t耐火粘土\t矿石 万吨/年\t100\t30\t10",
      "18\t饰面用花岗岩\t万立方米/年\t10\t10\t/",
  };
  ASSERT_EQ(Box8().size(), 20u);
  for (size_t i = 0; i < source.size(); ++i) EXPECT_EQ(RowText(Box8()[i]), source[i]) << i;
  EXPECT_EQ(Box8()[19].unit, OutputUnit::kCubicMetresPerYear);
  EXPECT_EQ(Box8()[19].mineral_code, "31000");
  EXPECT_EQ(Box8()[0].unit, OutputUnit::kTonnesPerYear);
}

NewMine Mine(const char* code, MiningMethod method, ScaleClass deposit, double tonnes,
             const char* region = "410311") {
  NewMine m;
  m.offer_id = "o-1";
  m.mineral_code = code;
  m.method = method;
  m.deposit_scale = deposit;
  m.planned = {tonnes, OutputUnit::kTonnesPerYear};
  m.region_code = region;
  return m;
}

TEST(ProductionScale, CoalSixtyOrNinetyInAnOutburstMine) {
  using enum ScaleClass;
  auto ug = MiningMethod::kUnderground;
  EXPECT_TRUE(CheckMinimumProductionScale(Mine("10100", ug, kMedium, 600000)).ok());
  ExpectRefusal(CheckMinimumProductionScale(Mine("10100", ug, kMedium, 590000)),
                "BELOW_MINIMUM_PRODUCTION_SCALE",
                "a new mine of 煤 (10100) on a 中型 deposit must produce at least 60 万吨/年 "
                "(Luoyang plan Box 8 煤炭（地下） 中型 60/90); planned 59 万吨/年");
  NewMine outburst = Mine("10100", ug, kSmall, 600000);
  outburst.gas_outburst = true;
  ExpectRefusal(CheckMinimumProductionScale(outburst), "BELOW_MINIMUM_PRODUCTION_SCALE",
                "a new mine of 煤 (10100) on a 小型 deposit must produce at least 90 万吨/年 "
                "(Luoyang plan Box 8 煤炭（地下） 小型 60/90); planned 60 万吨/年");
  outburst.planned.annual_output = 900000;
  EXPECT_TRUE(CheckMinimumProductionScale(outburst).ok());
  ExpectRefusal(CheckMinimumProductionScale(Mine("10100", ug, kLarge, 1190000)),
                "BELOW_MINIMUM_PRODUCTION_SCALE",
                "a new mine of 煤 (10100) on a 大型 deposit must produce at least 120 万吨/年 "
                "(Luoyang plan Box 8 煤炭（地下） 大型 120); planned 119 万吨/年");
  // Open-pit coal has no Box 8 row; note 2 binds all coal.
  ExpectRefusal(CheckMinimumProductionScale(Mine("10100", MiningMethod::kOpenPit, kLarge, 500000)),
                "BELOW_MINIMUM_PRODUCTION_SCALE",
                "a new mine of 煤 (10100) on a 大型 deposit must produce at least 60 万吨/年 "
                "(Luoyang plan Box 8 note 2: coal); planned 50 万吨/年");
  NewMine pit = Mine("10100", MiningMethod::kOpenPit, kLarge, 800000);
  pit.gas_outburst = true;
  ExpectRefusal(CheckMinimumProductionScale(pit), "BELOW_MINIMUM_PRODUCTION_SCALE",
                "a new mine of 煤 (10100) on a 大型 deposit must produce at least 90 万吨/年 "
                "(Luoyang plan Box 8 note 2: coal-and-gas-outburst mine); planned 80 万吨/年");
}

TEST(ProductionScale, MethodChoosesTheRow) {
  using enum ScaleClass;
  EXPECT_TRUE(
      CheckMinimumProductionScale(Mine("20100", MiningMethod::kUnderground, kSmall, 100000)).ok());
  ExpectRefusal(CheckMinimumProductionScale(Mine("20100", MiningMethod::kOpenPit, kSmall, 250000)),
                "BELOW_MINIMUM_PRODUCTION_SCALE",
                "a new mine of 铁矿 (20100) on a 小型 deposit must produce at least 30 万吨/年 "
                "(Luoyang plan Box 8 铁矿（露天） 小型 30); planned 25 万吨/年");
  // Combined mining: the stricter of the two rows.
  auto combined = MinimumProductionScale(Mine("20500", MiningMethod::kCombined, kSmall, 1));
  ASSERT_TRUE(combined.ok());
  ASSERT_TRUE(combined->has_value());
  EXPECT_DOUBLE_EQ((*combined)->minimum_wan, 30);
  ExpectError(CheckMinimumProductionScale(Mine("20100", MiningMethod::kUnspecified, kSmall, 1e6)),
              Code::kInvalidArgument,
              "mining_method: Box 8 sets the minimum of 铁矿 (20100) by open-pit or underground "
              "mining; got UNSPECIFIED");
  ExpectField(CheckMinimumProductionScale(Mine("10100", MiningMethod::kWells, kSmall, 1e6)),
              "mining_method");
  // Rows without a method: any method.
  EXPECT_TRUE(
      CheckMinimumProductionScale(Mine("20200", MiningMethod::kOpenPit, kSmall, 30000)).ok());
  ExpectReason(CheckMinimumProductionScale(Mine("20200", MiningMethod::kOpenPit, kSmall, 29999)),
               "BELOW_MINIMUM_PRODUCTION_SCALE");
}

TEST(ProductionScale, ConstructionAggregateByCounty) {
  using enum ScaleClass;
  auto any = MiningMethod::kOpenPit;
  EXPECT_DOUBLE_EQ(AggregateMinimumForCounty("410307"), 500);
  EXPECT_DOUBLE_EQ(AggregateMinimumForCounty("410323"), 300);
  EXPECT_DOUBLE_EQ(AggregateMinimumForCounty("410329"), 300);
  EXPECT_DOUBLE_EQ(AggregateMinimumForCounty("410327"), 100);
  // 偃师区: 500 binds above Box 8's 100 for a medium deposit.
  ExpectRefusal(CheckMinimumProductionScale(Mine("30500", any, kMedium, 4990000, "410307")),
                "BELOW_MINIMUM_PRODUCTION_SCALE",
                "a new mine of 建筑石料用灰岩 (30500) on a 中型 deposit must produce at least 500 "
                "万吨/年 (Luoyang plan L299: construction aggregate in region 410307); planned 499 "
                "万吨/年");
  EXPECT_TRUE(CheckMinimumProductionScale(Mine("30500", any, kMedium, 5000000, "410307")).ok());
  // 新安县, 伊川县: 300.
  EXPECT_TRUE(CheckMinimumProductionScale(Mine("30500", any, kMedium, 3000000, "410323")).ok());
  ExpectReason(CheckMinimumProductionScale(Mine("30500", any, kMedium, 2999999, "410329")),
               "BELOW_MINIMUM_PRODUCTION_SCALE");
  // Other counties: 100, or Box 8's 300 for a large deposit.
  EXPECT_TRUE(CheckMinimumProductionScale(Mine("30500", any, kMedium, 1000000, "410327")).ok());
  ExpectRefusal(CheckMinimumProductionScale(Mine("30500", any, kLarge, 2000000, "410327")),
                "BELOW_MINIMUM_PRODUCTION_SCALE",
                "a new mine of 建筑石料用灰岩 (30500) on a 大型 deposit must produce at least 300 "
                "万吨/年 (Luoyang plan Box 8 建筑石料用灰岩 大型 300); planned 200 万吨/年");
  // Construction stone not in Box 8: the county figure alone.
  ExpectRefusal(
      CheckMinimumProductionScale(Mine("30600", any, kUnspecified, 3000000, "410307")),
      "BELOW_MINIMUM_PRODUCTION_SCALE",
      "a new mine of 建筑用花岗岩 (30600) on a deposit of unstated size must produce at least "
      "500 万吨/年 (Luoyang plan L299: construction aggregate in region 410307); planned 300 "
      "万吨/年");
  // No new mine on a small deposit where Box 8 prints "/".
  ExpectRefusal(CheckMinimumProductionScale(Mine("30500", any, kSmall, 9e6, "410327")),
                "DEPOSIT_TOO_SMALL_FOR_NEW_MINE",
                "no new mine of 建筑石料用灰岩 (30500) on a 小型 deposit: Luoyang plan Box 8 "
                "(建筑石料用灰岩) sets no scale for it (\"/\")");
}

TEST(ProductionScale, DimensionStoneInCubicMetres) {
  NewMine m = Mine("31000", MiningMethod::kOpenPit, ScaleClass::kMedium, 100000);
  m.planned.unit = OutputUnit::kCubicMetresPerYear;
  EXPECT_TRUE(CheckMinimumProductionScale(m).ok());
  m.planned.annual_output = 90000;
  ExpectRefusal(CheckMinimumProductionScale(m), "BELOW_MINIMUM_PRODUCTION_SCALE",
                "a new mine of 饰面用花岗岩 (31000) on a 中型 deposit must produce at least 10 "
                "万立方米/年 (Luoyang plan Box 8 饰面用花岗岩 中型 10); planned 9 万立方米/年");
  m.planned.unit = OutputUnit::kTonnesPerYear;
  ExpectError(CheckMinimumProductionScale(m), Code::kInvalidArgument,
              "planned_scale.unit: the scale of 饰面用花岗岩 (31000) is measured in 万立方米/年");
  m.planned.unit = OutputUnit::kCubicMetresPerYear;
  m.deposit_scale = ScaleClass::kSmall;
  ExpectReason(CheckMinimumProductionScale(m), "DEPOSIT_TOO_SMALL_FOR_NEW_MINE");
}

TEST(ProductionScale, ExemptionsAndInputErrors) {
  NewMine restoration = Mine("10100", MiningMethod::kUnderground, ScaleClass::kSmall, 1);
  restoration.historical_site_restoration = true;
  EXPECT_TRUE(CheckMinimumProductionScale(restoration).ok());
  restoration.historical_site_restoration = false;
  ExpectReason(CheckMinimumProductionScale(restoration), "BELOW_MINIMUM_PRODUCTION_SCALE");
  // A mineral without a figure (矿泉水) has no minimum.
  auto none = MinimumProductionScale(Mine("40100", MiningMethod::kWells, ScaleClass::kSmall, 1));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ExpectError(
      CheckMinimumProductionScale(Mine("99999", MiningMethod::kOpenPit, ScaleClass::kSmall, 1)),
      Code::kInvalidArgument, "main_mineral.code: unknown mineral code '99999'");
  ExpectError(
      CheckMinimumProductionScale(
          Mine("20200", MiningMethod::kOpenPit, ScaleClass::kUnspecified, 1e6)),
      Code::kInvalidArgument,
      "deposit_scale: the minimum scale of 铜矿 (20200) depends on the deposit's reserve size: "
      "LARGE, MEDIUM or SMALL");
  ExpectError(
      CheckMinimumProductionScale(Mine("20200", MiningMethod::kOpenPit, ScaleClass::kSmall, 0)),
      Code::kInvalidArgument, "planned_scale.annual_output: must be positive");
}

// ---------------------------------------------------------------- right lifecycle

MiningRight Valid(RightKind kind = RightKind::kMining, Date valid_to = Date(2025, 12, 31)) {
  MiningRight r;
  r.right_id = "r-1";
  r.kind = kind;
  r.holder_id = "h-1";
  r.state = RightState::kValid;
  r.scale_class = ScaleClass::kMedium;
  r.valid_from = Date(2015, 12, 31);
  r.valid_to = valid_to;
  return r;
}

Result<Transition> Do(const MiningRight& r, RightCommand c, const char* now) {
  return Apply(r, c, At(now), R());
}

TEST(Right, GrantStartsValidForItsTerm) {
  auto r = GrantRight(
      {"r-9", RightKind::kExploration, "h-1", ScaleClass::kUnspecified, Date(2024, 2, 29), 5});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->state, RightState::kValid);
  EXPECT_EQ(r->valid_to, Date(2029, 2, 28));
  EXPECT_EQ(r->extension_count, 0);
  ExpectReason(
      GrantRight({"r-9", RightKind::kMining, "h-1", ScaleClass::kSmall, Date(2026, 1, 1), 11}),
      "TERM_EXCEEDS_MAXIMUM");
  ExpectError(GrantRight({"r-9", RightKind::kMining, "", ScaleClass::kSmall, Date(2026, 1, 1), 10}),
              Code::kInvalidArgument, "holder: is required");
}

TEST(Right, LapsesAtTheEndOfItsLastDayInChina) {
  MiningRight r = Valid(RightKind::kMining, Date(2025, 12, 31));
  EXPECT_EQ(LapsesAt(r), At("2026-01-01T00:00:00+08:00"));
  EXPECT_EQ(LapsesAt(r), At("2025-12-31T16:00:00Z"));
  EXPECT_FALSE(IsLapsed(r, At("2025-12-31T23:59:59+08:00")));
  EXPECT_TRUE(IsLapsed(r, At("2026-01-01T00:00:00+08:00")));
  // Still 31 December in UTC, already 1 January in China.
  EXPECT_TRUE(IsLapsed(r, At("2025-12-31T16:00:00Z")));
  MiningRight leap = Valid(RightKind::kExploration, Date(2028, 2, 29));
  EXPECT_FALSE(IsLapsed(leap, At("2028-02-29T23:59:59+08:00")));
  EXPECT_TRUE(IsLapsed(leap, At("2028-03-01T00:00:00+08:00")));
}

TEST(Right, LapseCommand) {
  MiningRight r = Valid();
  ExpectRefusal(Do(r, LapseCommand{}, "2025-12-31T23:59:59+08:00"), "NOT_YET_LAPSED",
                "right r-1 is valid to 2025-12-31 and lapses at 2025-12-31T16:00:00.000Z, not "
                "before");
  auto t = Do(r, LapseCommand{}, "2026-01-01T00:00:00+08:00");
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->right.state, RightState::kExpired);
  EXPECT_EQ(t->events, std::vector<RightEvent>{RightEvent::kExpired});
  ExpectRefusal(Do(r, LapseCommand{true}, "2026-01-02T00:00:00+08:00"), "EXTENSION_PENDING",
                "right r-1 has an extension applied for in time and still being decided");
  ExpectRefusal(Do(t->right, LapseCommand{}, "2026-01-02T00:00:00+08:00"), "RIGHT_STATE",
                "right r-1 is EXPIRED; only a VALID right can be lapsed");
}

TEST(Right, Extend) {
  MiningRight r = Valid(RightKind::kExploration, Date(2026, 1, 20));
  auto t = Do(r, ExtendCommand{Date(2025, 12, 21), Date(2031, 1, 20)}, "2026-01-25T10:00:00+08:00");
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->right.valid_to, Date(2031, 1, 20));
  EXPECT_EQ(t->right.extension_count, 1);
  EXPECT_EQ(t->events, std::vector<RightEvent>{RightEvent::kExtended});
  ExpectReason(
      Do(r, ExtendCommand{Date(2025, 12, 22), Date(2031, 1, 20)}, "2025-12-23T10:00:00+08:00"),
      "EXTENSION_APPLIED_TOO_LATE");
  ExpectError(
      Do(r, ExtendCommand{Date(2025, 12, 21), Date(2031, 1, 20)}, "2025-12-20T23:59:59+08:00"),
      Code::kInvalidArgument, "applied_on: 2025-12-21 is after today (2025-12-20)");
  MiningRight expired = r;
  expired.state = RightState::kExpired;
  ExpectRefusal(
      Do(expired, ExtendCommand{Date(2025, 12, 1), Date(2031, 1, 20)}, "2026-02-01T10:00:00+08:00"),
      "RIGHT_STATE", "right r-1 is EXPIRED; only a VALID right can be extended");
}

TEST(Right, TransferAndChange) {
  MiningRight r = Valid();
  auto t = Do(r, TransferCommand{"h-2"}, "2025-06-01T10:00:00+08:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->right.holder_id, "h-2");
  EXPECT_EQ(t->right.state, RightState::kValid);
  EXPECT_EQ(t->events, std::vector<RightEvent>{RightEvent::kTransferred});
  ExpectError(Do(r, TransferCommand{"h-1"}, "2025-06-01T10:00:00+08:00"), Code::kInvalidArgument,
              "new_holder: h-1 already holds right r-1");
  ExpectField(Do(r, TransferCommand{""}, "2025-06-01T10:00:00+08:00"), "new_holder");
  ExpectRefusal(Do(r, TransferCommand{"h-2"}, "2026-01-01T00:00:00+08:00"), "RIGHT_LAPSED",
                "right r-1 lapsed at the end of 2025-12-31 (China time) and cannot be "
                "transferred");
  auto c = Do(r, ChangeCommand{}, "2025-12-31T23:59:59+08:00");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->events, std::vector<RightEvent>{RightEvent::kChanged});
  ExpectRefusal(Do(r, ChangeCommand{}, "2026-01-01T00:00:00+08:00"), "RIGHT_LAPSED",
                "right r-1 lapsed at the end of 2025-12-31 (China time) and cannot be changed");
}

TEST(Right, SplitAndMergeSupersedeTheRight) {
  MiningRight r = Valid();
  auto s = Do(r, SplitCommand{}, "2025-03-01T10:00:00+08:00");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->right.state, RightState::kSuperseded);
  EXPECT_EQ(s->events, std::vector<RightEvent>{RightEvent::kSplit});
  auto m = Do(r, MergeCommand{}, "2025-03-01T10:00:00+08:00");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->right.state, RightState::kSuperseded);
  EXPECT_EQ(m->events, std::vector<RightEvent>{RightEvent::kMerged});
  ExpectRefusal(Do(s->right, SplitCommand{}, "2025-03-02T10:00:00+08:00"), "RIGHT_STATE",
                "right r-1 is SUPERSEDED; only a VALID right can be split");
  ExpectRefusal(Do(r, MergeCommand{}, "2026-01-01T00:00:00+08:00"), "RIGHT_LAPSED",
                "right r-1 lapsed at the end of 2025-12-31 (China time) and cannot be merged");
  ExpectReason(Do(r, SplitCommand{}, "2026-01-01T00:00:00+08:00"), "RIGHT_LAPSED");
}

TEST(Right, ClosureWithUnfulfilledRestorationWaits) {
  MiningRight r = Valid();
  auto closed = Do(r, CloseMineCommand{Date(2025, 5, 1), false}, "2025-05-02T10:00:00+08:00");
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->right.state, RightState::kClosed);
  EXPECT_TRUE(closed->right.restoration_pending);
  EXPECT_EQ(closed->events,
            (std::vector<RightEvent>{RightEvent::kMineClosed, RightEvent::kAwaitingRestoration}));
  // Cancelling while the duty is unfulfilled waits too.
  auto waiting = Do(closed->right, CancelCommand{CancellationReason::kMineClosure, false},
                    "2025-06-01T10:00:00+08:00");
  ASSERT_TRUE(waiting.ok());
  EXPECT_EQ(waiting->right.state, RightState::kClosed);
  EXPECT_EQ(waiting->right.pending_cancellation, CancellationReason::kMineClosure);
  EXPECT_EQ(waiting->events, std::vector<RightEvent>{RightEvent::kAwaitingRestoration});
  // Told the obligation is fulfilled: the cancellation completes.
  auto done = Do(waiting->right, RestorationFulfilledCommand{}, "2027-01-01T10:00:00+08:00");
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->right.state, RightState::kCancelled);
  EXPECT_FALSE(done->right.restoration_pending);
  EXPECT_EQ(done->events,
            (std::vector<RightEvent>{RightEvent::kRestorationFulfilled, RightEvent::kCancelled}));
  ExpectRefusal(Do(done->right, RestorationFulfilledCommand{}, "2027-01-02T10:00:00+08:00"),
                "NO_RESTORATION_PENDING",
                "right r-1 is CANCELLED and does not wait for its restoration duty");
}

TEST(Right, ClosureThenFulfilmentThenCancellation) {
  MiningRight r = Valid();
  auto closed = Do(r, CloseMineCommand{Date(2025, 5, 1), false}, "2025-05-02T10:00:00+08:00");
  ASSERT_TRUE(closed.ok());
  auto fulfilled = Do(closed->right, RestorationFulfilledCommand{}, "2026-02-28T10:00:00+08:00");
  ASSERT_TRUE(fulfilled.ok());
  EXPECT_EQ(fulfilled->right.state, RightState::kClosed);
  EXPECT_FALSE(fulfilled->right.restoration_pending);
  ExpectRefusal(Do(fulfilled->right, RestorationFulfilledCommand{}, "2026-03-01T10:00:00+08:00"),
                "NO_RESTORATION_PENDING",
                "right r-1 is CLOSED and does not wait for its restoration duty");
  auto cancelled = Do(fulfilled->right, CancelCommand{CancellationReason::kMineClosure, true},
                      "2026-03-01T10:00:00+08:00");
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->right.state, RightState::kCancelled);
  EXPECT_EQ(cancelled->events, std::vector<RightEvent>{RightEvent::kCancelled});
  // A fulfilled closure waits for nothing.
  auto clean = Do(r, CloseMineCommand{Date(2025, 5, 1), true}, "2025-05-02T10:00:00+08:00");
  ASSERT_TRUE(clean.ok());
  EXPECT_FALSE(clean->right.restoration_pending);
  EXPECT_EQ(clean->events, std::vector<RightEvent>{RightEvent::kMineClosed});
  ExpectRefusal(Do(Valid(RightKind::kExploration), CloseMineCommand{Date(2025, 5, 1), true},
                   "2025-05-02T10:00:00+08:00"),
                "NOT_A_MINING_RIGHT",
                "right r-1 is an exploration right; only a mine is closed (闭坑)");
  ExpectRefusal(
      Do(cancelled->right, CloseMineCommand{Date(2026, 5, 1), true}, "2026-05-02T10:00:00+08:00"),
      "RIGHT_STATE", "right r-1 is CANCELLED; only a VALID right can be closed");
}

TEST(Right, Cancel) {
  MiningRight r = Valid(RightKind::kExploration);
  auto done = Do(r, CancelCommand{CancellationReason::kExplorationEnded, true},
                 "2025-04-01T10:00:00+08:00");
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->right.state, RightState::kCancelled);
  auto waits =
      Do(r, CancelCommand{CancellationReason::kRevoked, false}, "2025-04-01T10:00:00+08:00");
  ASSERT_TRUE(waits.ok());
  EXPECT_EQ(waits->right.state, RightState::kClosed);
  EXPECT_TRUE(waits->right.restoration_pending);
  EXPECT_EQ(waits->right.pending_cancellation, CancellationReason::kRevoked);
  ExpectError(
      Do(r, CancelCommand{CancellationReason::kUnspecified, true}, "2025-04-01T10:00:00+08:00"),
      Code::kInvalidArgument, "reason: is required");
  ExpectRefusal(
      Do(r, CancelCommand{CancellationReason::kMineClosure, true}, "2025-04-01T10:00:00+08:00"),
      "CANCELLATION_REASON_KIND",
      "right r-1 is a EXPLORATION right and is not cancelled for MINE_CLOSURE");
  ExpectRefusal(
      Do(Valid(RightKind::kMining), CancelCommand{CancellationReason::kExplorationEnded, true},
         "2025-04-01T10:00:00+08:00"),
      "CANCELLATION_REASON_KIND",
      "right r-1 is a MINING right and is not cancelled for EXPLORATION_ENDED");
  ExpectRefusal(Do(done->right, CancelCommand{CancellationReason::kHolderApplication, true},
                   "2025-04-02T10:00:00+08:00"),
                "RIGHT_STATE",
                "right r-1 is CANCELLED; only a VALID or CLOSED right can be cancelled");
  ExpectRefusal(Do(r, RestorationFulfilledCommand{}, "2025-04-01T10:00:00+08:00"),
                "NO_RESTORATION_PENDING",
                "right r-1 is VALID and does not wait for its restoration duty");
}

// ---------------------------------------------------------------- annual reports

TEST(AnnualReport, DueBy30JuneInChina) {
  EXPECT_EQ(AnnualReportDueDate(2025), Date(2026, 6, 30));
  EXPECT_EQ(AbnormalListingDate(2025), Date(2026, 7, 1));
  EXPECT_FALSE(IsReportLate(2025, At("2026-06-30T23:59:59+08:00")));
  EXPECT_TRUE(IsReportLate(2025, At("2026-07-01T00:00:00+08:00")));
  // 16:00 UTC on 30 June is already 1 July in China.
  EXPECT_TRUE(IsReportLate(2025, At("2026-06-30T16:00:00Z")));
  EXPECT_FALSE(IsReportLate(2025, At("2026-06-30T15:59:59Z")));
}

TEST(AnnualReport, AcceptedOnceTheYearIsOver) {
  MiningRight r = Valid();
  r.valid_from = Date(2023, 5, 10);
  r.valid_to = Date(2033, 5, 10);
  ExpectRefusal(CheckAnnualReport(r, 2025, At("2025-12-31T23:59:59+08:00")),
                "REPORT_YEAR_NOT_ENDED",
                "the report on 2025 is made once the year is over; today is 2025-12-31 in China");
  auto first_day = CheckAnnualReport(r, 2025, At("2025-12-31T16:00:00Z"));  // 1 January in China
  ASSERT_TRUE(first_day.ok()) << first_day.error().ToString();
  EXPECT_FALSE(*first_day);
  auto late = CheckAnnualReport(r, 2024, At("2025-07-01T09:00:00+08:00"));
  ASSERT_TRUE(late.ok());
  EXPECT_TRUE(*late);
  ExpectRefusal(CheckAnnualReport(r, 2022, At("2025-03-01T09:00:00+08:00")),
                "REPORT_YEAR_BEFORE_GRANT",
                "right r-1 is valid from 2023-05-10; there is no report on 2022");
  r.state = RightState::kSuperseded;
  ExpectRefusal(CheckAnnualReport(r, 2024, At("2025-03-01T09:00:00+08:00")), "RIGHT_STATE",
                "right r-1 is SUPERSEDED; only a VALID or CLOSED right can be reported on");
}

ReportingRight Reporting(const char* id, Date from, Date to, std::set<int> years,
                         RightState state = RightState::kValid) {
  MiningRight r = Valid();
  r.right_id = id;
  r.valid_from = from;
  r.valid_to = to;
  r.state = state;
  return {r, std::move(years)};
}

TEST(AnnualReport, AbnormalFromFirstJuly) {
  const std::vector<ReportingRight> rights = {
      Reporting("a", Date(2023, 5, 10), Date(2033, 5, 10), {2023}),
      Reporting("b", Date(2023, 5, 10), Date(2033, 5, 10), {2023, 2024}),
      Reporting("c", Date(2023, 5, 10), Date(2033, 5, 10), {}, RightState::kCancelled),
      Reporting("d", Date(2025, 3, 1), Date(2035, 3, 1), {}),
      Reporting("e", Date(2020, 2, 29), Date(2024, 2, 29), {2022}, RightState::kClosed),
  };
  EXPECT_EQ(AbnormalOn(rights, Date(2025, 6, 30), 2023),
            (std::vector<AbnormalListing>{{"e", 2023}}));
  EXPECT_EQ(AbnormalOn(rights, Date(2025, 7, 1), 2023),
            (std::vector<AbnormalListing>{{"a", 2024}, {"e", 2023}, {"e", 2024}}));
  // From the first year collected on; later years of d once their 1 July comes.
  EXPECT_EQ(AbnormalOn(rights, Date(2026, 7, 1), 2020),
            (std::vector<AbnormalListing>{{"a", 2024},
                                          {"a", 2025},
                                          {"b", 2025},
                                          {"d", 2025},
                                          {"e", 2020},
                                          {"e", 2021},
                                          {"e", 2023},
                                          {"e", 2024}}));
}

TEST(AnnualReport, RemovedWhenItReports) {
  std::vector<ReportingRight> rights = {
      Reporting("a", Date(2023, 5, 10), Date(2033, 5, 10), {2023}),
      Reporting("b", Date(2023, 5, 10), Date(2033, 5, 10), {2023, 2024}),
  };
  auto first = ReconcileAbnormalList({}, rights, Date(2025, 7, 1), 2023);
  EXPECT_EQ(first.to_list, (std::vector<AbnormalListing>{{"a", 2024}}));
  EXPECT_TRUE(first.to_remove.empty());
  // Listed; nothing changes until a reports.
  auto again = ReconcileAbnormalList({{"a", 2024}}, rights, Date(2025, 7, 2), 2023);
  EXPECT_TRUE(again.to_list.empty());
  EXPECT_TRUE(again.to_remove.empty());
  rights[0].reported_years.insert(2024);
  auto reported = ReconcileAbnormalList({{"a", 2024}}, rights, Date(2025, 8, 1), 2023);
  EXPECT_TRUE(reported.to_list.empty());
  EXPECT_EQ(reported.to_remove, (std::vector<AbnormalListing>{{"a", 2024}}));
}

}  // namespace
}  // namespace nrp::mining_rights
