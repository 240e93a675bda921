// Unit tests of land supply's rules: each rule refusing what it must refuse,
// with the status code and the message a caller sees.
#include <gtest/gtest.h>

#include "domain/batch.h"
#include "domain/contract.h"
#include "domain/idle_land.h"
#include "domain/offer.h"
#include "domain/parcel.h"
#include "domain/party.h"
#include "domain/rules.h"
#include "domain/zone_gate.h"
#include "nrp/core/calendar.h"

namespace nrp::land_supply {
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
void ExpectReason(const R& r, Code code, const std::string& reason) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), code) << r.error().ToString();
  EXPECT_EQ(r.error().reason(), reason) << r.error().ToString();
}

const Rules& R() {
  static Rules r = Rules::Defaults();
  return r;
}

// ---------------------------------------------------------------- basics

TEST(Types, RegionCodeParsesAndContains) {
  ExpectError(RegionCode::Parse("41030", "offer.region_code"), Code::kInvalidArgument,
              "offer.region_code: expected a 6-digit GB/T 2260 region code, got '41030'");
  ExpectError(RegionCode::Parse("990000", "x"), Code::kInvalidArgument,
              "x: '990000' does not start with a province code (11 to 82)");
  auto city = RegionCode::Parse("410300", "r").value();
  auto county = RegionCode::Parse("410311", "r").value();
  auto province = RegionCode::Parse("410000", "r").value();
  auto other = RegionCode::Parse("410211", "r").value();
  EXPECT_TRUE(city.Contains(county));
  EXPECT_TRUE(province.Contains(county));
  EXPECT_FALSE(city.Contains(other));
  EXPECT_FALSE(county.Contains(city));
}

TEST(Types, FullYearsElapsedFollowsTheCivilCode) {
  EXPECT_EQ(FullYearsElapsedOn(Date(2025, 3, 1), 1), Date(2026, 3, 2));
  EXPECT_EQ(FullYearsElapsedOn(Date(2024, 2, 29), 1), Date(2025, 3, 1));
  EXPECT_EQ(DateInChina(At("2026-03-01T15:59:59Z")), Date(2026, 3, 1));
  EXPECT_EQ(DateInChina(At("2026-03-01T16:00:00Z")), Date(2026, 3, 2));
  EXPECT_EQ(StartOfDayInChina(Date(2026, 3, 2)), At("2026-03-01T16:00:00Z"));
}

TEST(Rules, DefaultsAreTheNationalNumbers) {
  const Rules& r = R();
  EXPECT_EQ(r.MaxTermYears(LandUse::kResidential), 70);
  EXPECT_EQ(r.MaxTermYears(LandUse::kIndustrial), 50);
  EXPECT_EQ(r.MaxTermYears(LandUse::kEducationScienceCultureHealthSport), 50);
  EXPECT_EQ(r.MaxTermYears(LandUse::kCommercial), 40);
  EXPECT_EQ(r.MaxTermYears(LandUse::kTourism), 40);
  EXPECT_EQ(r.MaxTermYears(LandUse::kEntertainment), 40);
  EXPECT_EQ(r.MaxTermYears(LandUse::kMixed), 50);
  EXPECT_EQ(r.MaxTermYears(LandUse::kOther), 50);
  EXPECT_EQ(r.min_notice_days, 20);
  EXPECT_EQ(r.min_listing_days, 10);
  EXPECT_EQ(r.contract_signing_working_days, 10);
  EXPECT_DOUBLE_EQ(r.first_payment_min_share, 0.5);
  EXPECT_DOUBLE_EQ(r.idle_fee_share, 0.2);
}

TEST(Rules, FromEnvOverridesAndReportsBadValues) {
  Env env(
      {{"NRP_LAND_SUPPLY_MAX_TERM_COMMERCIAL", "30"},
       {"NRP_LAND_SUPPLY_MIN_NOTICE_DAYS", "25"},
       {"NRP_LAND_SUPPLY_ALLOCATION_CATALOGUE", "A=INFRASTRUCTURE|PUBLIC_ADMINISTRATION:道路"}});
  Rules r = Rules::FromEnv(env);
  ASSERT_TRUE(env.Check().ok()) << env.Check().error().ToString();
  EXPECT_EQ(r.MaxTermYears(LandUse::kCommercial), 30);
  EXPECT_EQ(r.MaxTermYears(LandUse::kTourism), 30);
  EXPECT_EQ(r.min_notice_days, 25);
  ASSERT_EQ(r.allocation_catalogue.size(), 1u);
  EXPECT_EQ(r.allocation_catalogue[0].name, "道路");

  Env bad({{"NRP_LAND_SUPPLY_COMPETITIVE_USES", "COMMERCIAL,SHOPS"},
           {"NRP_LAND_SUPPLY_ALLOCATION_CATALOGUE", "nonsense"}});
  Rules::FromEnv(bad);
  auto st = bad.Check();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message().find("NRP_LAND_SUPPLY_COMPETITIVE_USES"), std::string::npos);
  EXPECT_NE(st.error().message().find("NRP_LAND_SUPPLY_ALLOCATION_CATALOGUE"), std::string::npos);
}

TEST(Party, IdentityDocumentsAreChecked) {
  EXPECT_TRUE(ValidateParty({2, "洛阳甲置业有限公司", 7, "91350100M000100Y43"}, "bidder").ok());
  ExpectError(
      ValidateParty({2, "洛阳甲置业有限公司", 7, "91350100M000100Y44"}, "bidder"),
      Code::kInvalidArgument,
      "bidder.id_number: not a valid 18-character unified social credit code (GB 32100-2015)");
  EXPECT_TRUE(ValidateParty({1, "张三", 1, "11010519491231002X"}, "grantee").ok());
  ExpectError(ValidateParty({1, "张三", 1, "110105194912310021"}, "grantee"),
              Code::kInvalidArgument,
              "grantee.id_number: not a valid 18-character resident identity card number (GB "
              "11643-1999)");
  ExpectError(ValidateParty({0, "张三", 1, "11010519491231002X"}, "grantee"),
              Code::kInvalidArgument,
              "grantee.kind: must be a PartyKind value other than PARTY_KIND_UNSPECIFIED");
  ExpectError(ValidateParty({1, "", 1, "11010519491231002X"}, "grantee"), Code::kInvalidArgument,
              "grantee.name: required");
}

// ---------------------------------------------------------------- parcels

NewParcel GoodParcel() {
  NewParcel p;
  p.region_code = "410311";
  p.name = "洛龙区 LLQ-2025-07 号地块";
  p.location = "洛阳市洛龙区开元大道南";
  p.geometry_encoding = 1;
  p.geometry_text = "POLYGON((112.40 34.60,112.41 34.60,112.41 34.61,112.40 34.61,112.40 34.60))";
  p.planned_use = static_cast<int>(LandUse::kCommercial);
  p.land_use_code = "05H1";
  p.soil_status = static_cast<int>(SoilStatus::kClean);
  return p;
}

TEST(Parcel, AcceptsAGoodParcel) { EXPECT_TRUE(ValidateNewParcel(GoodParcel()).ok()); }

TEST(Parcel, RefusesBadInputNamingTheField) {
  auto p = GoodParcel();
  p.region_code = "4103";
  ExpectError(ValidateNewParcel(p), Code::kInvalidArgument,
              "parcel.region_code: expected a 6-digit GB/T 2260 region code, got '4103'");
  p = GoodParcel();
  p.planned_use = 0;
  ExpectError(ValidateNewParcel(p), Code::kInvalidArgument,
              "parcel.planned_use: must be a LandUse value other than LAND_USE_UNSPECIFIED, got 0");
  p.planned_use = 42;
  ExpectError(
      ValidateNewParcel(p), Code::kInvalidArgument,
      "parcel.planned_use: must be a LandUse value other than LAND_USE_UNSPECIFIED, got 42");
  p = GoodParcel();
  p.geometry_encoding = 0;
  ExpectError(
      ValidateNewParcel(p), Code::kInvalidArgument,
      "parcel.geometry.encoding: must be GEOMETRY_ENCODING_WKT or GEOMETRY_ENCODING_GEOJSON");
  p = GoodParcel();
  p.geometry_text = "POLYGON((112.40 34.60,112.41 34.60";
  auto st = ValidateNewParcel(p);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(st.error().field_violations().at(0).field, "parcel.geometry.text");
  p = GoodParcel();
  p.srid = 3857;
  st = ValidateNewParcel(p);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field_violations().at(0).field, "parcel.geometry.srid");
  p = GoodParcel();
  p.land_use_code = "7";
  ExpectError(ValidateNewParcel(p), Code::kInvalidArgument,
              "parcel.land_use_code: expected a GB/T 21010-2017 class code such as \"0701\" or "
              "\"05H1\", got '7'");
  p = GoodParcel();
  p.soil_status = 0;
  ExpectError(ValidateNewParcel(p), Code::kInvalidArgument,
              "parcel.soil_status: must be a SoilPollutionStatus value other than "
              "SOIL_POLLUTION_STATUS_UNSPECIFIED (NOT_SURVEYED when no survey was made), got 0");
  p = GoodParcel();
  p.parcel_code = "410311001001GB0000";
  ExpectError(ValidateNewParcel(p), Code::kInvalidArgument,
              "parcel.parcel_code: expected a 19-character parcel code (6+3+3 digits, 2 letters, 5 "
              "digits), got '410311001001GB0000'");
  p.parcel_code = "410302001001GB00001";
  ExpectError(ValidateNewParcel(p), Code::kInvalidArgument,
              "parcel.parcel_code: must start with the parcel's region code 410311");
  p = GoodParcel();
  p.planning.plot_ratio_min = 3;
  p.planning.plot_ratio_max = 2;
  ExpectError(ValidateNewParcel(p), Code::kInvalidArgument,
              "parcel.planning_conditions.plot_ratio_min: must not exceed plot_ratio_max");
  p = GoodParcel();
  p.name.clear();
  ExpectError(ValidateNewParcel(p), Code::kInvalidArgument, "parcel.name: required");
}

TEST(Parcel, DeclaredAreaMustMatchTheBoundary) {
  EXPECT_DOUBLE_EQ(SettleParcelArea(0, 1000, R()).value(), 1000);
  EXPECT_DOUBLE_EQ(SettleParcelArea(1005, 1000, R()).value(), 1005);
  ExpectError(SettleParcelArea(1100, 1000, R()), Code::kInvalidArgument,
              "parcel.area: declared 1100.00 m² differs from the boundary's area 1000.00 m² by "
              "10.00% (at most 1.00% allowed)");
}

TEST(Parcel, PollutedPlotCannotEnterTheReserve) {
  ParcelFacts p{"p-1", ParcelState::kRegistered, LandUse::kCommercial, SoilStatus::kPolluted, {}};
  ExpectError(CheckReserve(p, R()), Code::kFailedPrecondition,
              "parcel p-1 is flagged polluted by its soil survey; a polluted plot cannot enter the "
              "land reserve until it is remediated and accepted (Jilin plan)");
  ExpectReason(CheckReserve(p, R()), Code::kFailedPrecondition, "POLLUTED_PLOT");
  p.soil_status = SoilStatus::kRemediated;
  EXPECT_TRUE(CheckReserve(p, R()).ok());
}

TEST(Parcel, HousingNeedsASoilSurveyBeforeTheReserve) {
  ParcelFacts p{
      "p-1", ParcelState::kRegistered, LandUse::kResidential, SoilStatus::kNotSurveyed, {}};
  ExpectError(CheckReserve(p, R()), Code::kFailedPrecondition,
              "parcel p-1 is planned for residential use and has no soil pollution survey; the "
              "survey comes first (土壤污染防治法 art. 59)");
  p.planned_use = LandUse::kIndustrial;
  EXPECT_TRUE(CheckReserve(p, R()).ok());
}

TEST(Parcel, ReserveNeedsRegisteredAndAnApprovedBatch) {
  ParcelFacts p{"p-1", ParcelState::kReady, LandUse::kIndustrial, SoilStatus::kClean, {}};
  ExpectError(CheckReserve(p, R()), Code::kFailedPrecondition,
              "parcel p-1 is READY; only a REGISTERED parcel can enter the land reserve");
  p.state = ParcelState::kRegistered;
  p.batch_state = BatchState::kApplied;
  ExpectError(CheckReserve(p, R()), Code::kFailedPrecondition,
              "the approval batch of parcel p-1 is APPLIED; converted land enters the reserve only "
              "after the batch is approved");
  p.batch_state = BatchState::kApproved;
  EXPECT_TRUE(CheckReserve(p, R()).ok());
}

TEST(Parcel, OnlyClearReserveLandIsSupplied) {
  ParcelFacts p{"p-1", ParcelState::kReserved, LandUse::kIndustrial, SoilStatus::kClean, {}};
  ExpectError(
      CheckOfferable(p), Code::kFailedPrecondition,
      "parcel p-1 is RESERVED; only clear reserve land (净地, state READY) can be supplied");
  ExpectReason(CheckOfferable(p), Code::kFailedPrecondition, "PARCEL_NOT_READY");
  EXPECT_TRUE(CheckClear(p).ok());
  p.state = ParcelState::kReady;
  EXPECT_TRUE(CheckOfferable(p).ok());
  ExpectError(CheckClear(p), Code::kFailedPrecondition,
              "parcel p-1 is READY; only a RESERVED parcel can be confirmed clear");
  p.batch_state = BatchState::kApproved;
  ExpectError(CheckOfferable(p), Code::kFailedPrecondition,
              "the approval batch of parcel p-1 is APPROVED; land is supplied only after "
              "expropriation is complete");
  EXPECT_EQ(StageBeforeSupply(BatchState::kExpropriated), StockLandStage::kExpropriatedNotSupplied);
  EXPECT_EQ(StageBeforeSupply(std::nullopt), StockLandStage::kNone);
}

// ---------------------------------------------------------------- zone gate

ZoneMeasurement AllLayers() {
  ZoneMeasurement m;
  m.layers = {{"pbf", ZoneLayerKind::kPermanentBasicFarmland, 3},
              {"erl", ZoneLayerKind::kEcologicalRedLine, 2},
              {"udb", ZoneLayerKind::kUrbanDevelopmentBoundary, 5}};
  m.geometry_area_m2 = 10000;
  return m;
}

TEST(ZoneGate, PassesInsideTheBoundaryWithoutConflicts) {
  auto m = AllLayers();
  m.overlaps = {{"u-1", "洛阳中心城区城镇开发边界", "udb", ZoneLayerKind::kUrbanDevelopmentBoundary,
                 5, ZoneControlLevel::kUniform, 10000}};
  auto g = EvaluateZoneGate(m, LandUse::kCommercial, GateStage::kOffer, R());
  EXPECT_FALSE(g.refusal.has_value());
  EXPECT_EQ(g.verdict, ZoneVerdict::kAllowed);
  EXPECT_EQ(g.layers_used.size(), 3u);
}

TEST(ZoneGate, RefusesFarmlandNamingZoneVersionAndArea) {
  auto m = AllLayers();
  m.overlaps = {{"z-9", "伊川县永久基本农田保护区", "pbf", ZoneLayerKind::kPermanentBasicFarmland,
                 3, ZoneControlLevel::kUniform, 1234.5}};
  auto g = EvaluateZoneGate(m, LandUse::kIndustrial, GateStage::kReserve, R());
  ASSERT_TRUE(g.refusal.has_value());
  ExpectError(
      Result<int>(*g.refusal), Code::kFailedPrecondition,
      "the parcel overlaps permanent basic farmland zone '伊川县永久基本农田保护区' (zone z-9, "
      "layer pbf version 3) by 1234.50 m²");
  EXPECT_EQ(g.refusal->reason(), "OVERLAPS_PERMANENT_BASIC_FARMLAND");
  EXPECT_EQ(g.refusal->metadata().at("layer_version"), "3");
  EXPECT_EQ(g.verdict, ZoneVerdict::kForbidden);
}

TEST(ZoneGate, RefusesTheRedLine) {
  auto m = AllLayers();
  m.overlaps = {{"r-1", "伊洛河湿地生态保护红线", "erl", ZoneLayerKind::kEcologicalRedLine, 2,
                 ZoneControlLevel::kCoreProtection, 50}};
  auto g = EvaluateZoneGate(m, LandUse::kInfrastructure, GateStage::kOffer, R());
  ASSERT_TRUE(g.refusal.has_value());
  EXPECT_EQ(g.refusal->message(),
            "the parcel overlaps the ecological red line zone '伊洛河湿地生态保护红线' (zone r-1, "
            "layer erl version 2) by 50.00 m²");
}

TEST(ZoneGate, SliversBelowTheToleranceAreNotConflicts) {
  auto m = AllLayers();
  m.overlaps = {{"z-9", "x", "pbf", ZoneLayerKind::kPermanentBasicFarmland, 3,
                 ZoneControlLevel::kUniform, 0.001}};
  auto g = EvaluateZoneGate(m, LandUse::kIndustrial, GateStage::kReserve, R());
  EXPECT_FALSE(g.refusal.has_value());
  EXPECT_TRUE(g.conflicts.empty());
}

TEST(ZoneGate, UrbanConstructionOutsideTheBoundaryIsRefused) {
  auto m = AllLayers();
  m.overlaps = {{"u-1", "中心城区", "udb", ZoneLayerKind::kUrbanDevelopmentBoundary, 5,
                 ZoneControlLevel::kUniform, 7000}};
  m.outside_urban_boundary_m2 = 3000;
  auto g = EvaluateZoneGate(m, LandUse::kResidential, GateStage::kOffer, R());
  ASSERT_TRUE(g.refusal.has_value());
  EXPECT_EQ(g.refusal->code(), Code::kFailedPrecondition);
  EXPECT_EQ(g.refusal->message(),
            "urban construction (residential) must lie inside the urban development boundary: "
            "3000.00 m² of the parcel's 10000.00 m² lie outside it (layer udb version 5); inside "
            "boundary zones '中心城区' (zone u-1, 7000.00 m²)");
  // Infrastructure is not urban construction; the reserve stage does not check the boundary.
  EXPECT_FALSE(EvaluateZoneGate(m, LandUse::kInfrastructure, GateStage::kOffer, R()).refusal);
  auto reserve = EvaluateZoneGate(m, LandUse::kResidential, GateStage::kReserve, R());
  EXPECT_FALSE(reserve.refusal);
  EXPECT_EQ(reserve.layers_used.size(), 2u);  // farmland and red line only
  EXPECT_TRUE(reserve.conflicts.empty());
}

TEST(ZoneGate, AMissingLayerRefusesTheCheck) {
  ZoneMeasurement m;
  m.layers = {{"erl", ZoneLayerKind::kEcologicalRedLine, 2}};
  auto g = EvaluateZoneGate(m, LandUse::kIndustrial, GateStage::kReserve, R());
  ASSERT_TRUE(g.refusal.has_value());
  EXPECT_EQ(g.refusal->reason(), "ZONE_LAYER_MISSING");
  EXPECT_EQ(g.refusal->message(),
            "the zone replica holds no published version of the permanent basic farmland layer, "
            "so the spatial check cannot be made");
}

TEST(ZoneGate, FarmlandConversionNeedsTheStateCouncil) {
  auto m = AllLayers();
  m.overlaps = {{"z-9", "伊川县永久基本农田保护区", "pbf", ZoneLayerKind::kPermanentBasicFarmland,
                 3, ZoneControlLevel::kUniform, 200}};
  ExpectError(
      CheckApprovalAuthority(m, ApprovalAuthority::kProvince, "b-1", R()),
      Code::kFailedPrecondition,
      "batch b-1 converts permanent basic farmland zone '伊川县永久基本农田保护区' (zone z-9, "
      "layer pbf version 3, 200.00 m²); only the State Council approves that (土地管理法 art. 46)");
  EXPECT_TRUE(CheckApprovalAuthority(m, ApprovalAuthority::kStateCouncil, "b-1", R()).ok());
}

// ---------------------------------------------------------------- offers

const TimePoint kNow = At("2025-06-02T02:00:00Z");  // 10:00 CST, Monday

OfferTerms Listing() {
  OfferTerms t;
  t.region_code = "410311";
  t.parcel_id = "p-1";
  t.method = static_cast<int>(SupplyMethod::kListing);
  t.land_use = static_cast<int>(LandUse::kCommercial);
  t.term_years = 40;
  t.starting_price_fen = 100'000'000;
  t.reserve_price_fen = 120'000'000;
  t.bid_increment_fen = 1'000'000;
  t.deposit_fen = 20'000'000;
  t.intending_users = 3;
  t.bidding_start = kNow + 21 * 24h;
  t.bidding_end = kNow + 31 * 24h;
  return t;
}

TEST(Offer, AcceptsAGoodListing) { EXPECT_TRUE(ValidateOfferTerms(Listing(), R()).ok()); }

TEST(Offer, CompetitiveUsesMustGoToTenderAuctionOrListing) {
  for (auto use : {LandUse::kCommercial, LandUse::kTourism, LandUse::kEntertainment,
                   LandUse::kResidential, LandUse::kIndustrial}) {
    auto t = Listing();
    t.land_use = static_cast<int>(use);
    t.term_years = 40;
    t.intending_users = 1;
    t.method = static_cast<int>(SupplyMethod::kNegotiated);
    auto st = ValidateOfferTerms(t, R());
    ExpectReason(st, Code::kFailedPrecondition, "COMPETITIVE_SUPPLY_REQUIRED");
  }
  auto t = Listing();
  t.method = static_cast<int>(SupplyMethod::kNegotiated);
  ExpectError(ValidateOfferTerms(t, R()), Code::kFailedPrecondition,
              "commercial land must be supplied by tender, auction or listing (Order 39 art. 4), "
              "not by negotiated grant");
}

TEST(Offer, TwoIntendingUsersMeanCompetition) {
  auto t = Listing();
  t.land_use = static_cast<int>(LandUse::kEducationScienceCultureHealthSport);
  t.method = static_cast<int>(SupplyMethod::kNegotiated);
  t.intending_users = 2;
  t.bidding_start.reset();
  t.bidding_end.reset();
  ExpectError(ValidateOfferTerms(t, R()), Code::kFailedPrecondition,
              "a parcel with 2 intending users must be supplied by tender, auction or listing "
              "(Order 39 art. 4), not by negotiated grant");
  t.intending_users = 1;
  EXPECT_TRUE(ValidateOfferTerms(t, R()).ok());
}

TEST(Offer, AllocationOnlyForCataloguePurposes) {
  OfferTerms t;
  t.region_code = "410311";
  t.parcel_id = "p-1";
  t.method = static_cast<int>(SupplyMethod::kAllocation);
  t.land_use = static_cast<int>(LandUse::kEducationScienceCultureHealthSport);
  t.intending_users = 1;
  t.allocation_catalogue_item = "5";
  EXPECT_TRUE(ValidateOfferTerms(t, R()).ok());
  t.allocation_catalogue_item = "";
  ExpectError(ValidateOfferTerms(t, R()), Code::kInvalidArgument,
              "offer.allocation_catalogue_item: required for an allocation (划拨用地目录 item)");
  t.allocation_catalogue_item = "99";
  ExpectError(ValidateOfferTerms(t, R()), Code::kFailedPrecondition,
              "'99' is not an item of the allocation catalogue (划拨用地目录); allocation is only "
              "for catalogue purposes");
  t.allocation_catalogue_item = "13";
  ExpectError(ValidateOfferTerms(t, R()), Code::kFailedPrecondition,
              "allocation catalogue item 13 (电力设施用地) does not cover education, science, "
              "culture, health and sport use; allocation is only for catalogue purposes");
  t.allocation_catalogue_item = "5";
  t.term_years = 50;
  ExpectError(ValidateOfferTerms(t, R()), Code::kInvalidArgument,
              "offer.term_years: must be 0 for an allocation (allocated land has no term)");
  t.term_years = 0;
  t.land_use = static_cast<int>(LandUse::kCommercial);
  t.allocation_catalogue_item = "3";
  ExpectReason(ValidateOfferTerms(t, R()), Code::kFailedPrecondition,
               "COMPETITIVE_SUPPLY_REQUIRED");
}

TEST(Offer, TermAtMostTheMaximumForTheUse) {
  struct Case {
    LandUse use;
    int max;
  } cases[] = {{LandUse::kResidential, 70},
               {LandUse::kIndustrial, 50},
               {LandUse::kEducationScienceCultureHealthSport, 50},
               {LandUse::kCommercial, 40},
               {LandUse::kTourism, 40},
               {LandUse::kEntertainment, 40},
               {LandUse::kMixed, 50},
               {LandUse::kOther, 50}};
  for (const auto& c : cases) {
    auto t = Listing();
    t.land_use = static_cast<int>(c.use);
    t.term_years = c.max;
    EXPECT_TRUE(ValidateOfferTerms(t, R()).ok()) << LandUseName(c.use);
    t.term_years = c.max + 1;
    ExpectError(ValidateOfferTerms(t, R()), Code::kFailedPrecondition,
                "the term of " + std::to_string(c.max + 1) + " years exceeds the maximum of " +
                    std::to_string(c.max) + " years for " + std::string(LandUseName(c.use)) +
                    " use (暂行条例 art. 12)");
  }
  auto t = Listing();
  t.term_years = 0;
  ExpectError(ValidateOfferTerms(t, R()), Code::kInvalidArgument,
              "offer.term_years: must be at least 1 year");
}

TEST(Offer, ListingStaysOpenAtLeastTenDays) {
  auto t = Listing();
  t.bidding_end = *t.bidding_start + 10 * 24h;
  EXPECT_TRUE(ValidateOfferTerms(t, R()).ok());
  t.bidding_end = *t.bidding_start + 10 * 24h - 1s;
  ExpectError(ValidateOfferTerms(t, R()), Code::kFailedPrecondition,
              "a listing stays open at least 10 days (Order 39 art. 17); bidding_start to "
              "bidding_end is 10.00 days");
  t.method = static_cast<int>(SupplyMethod::kAuction);
  EXPECT_TRUE(ValidateOfferTerms(t, R()).ok());
}

TEST(Offer, RefusesBadFields) {
  auto t = Listing();
  t.method = 0;
  ExpectError(
      ValidateOfferTerms(t, R()), Code::kInvalidArgument,
      "offer.method: must be a SupplyMethod value other than SUPPLY_METHOD_UNSPECIFIED, got 0");
  t = Listing();
  t.land_use = 99;
  ExpectError(ValidateOfferTerms(t, R()), Code::kInvalidArgument,
              "offer.land_use: must be a LandUse value other than LAND_USE_UNSPECIFIED, got 99");
  t = Listing();
  t.bid_increment_fen = 0;
  ExpectError(ValidateOfferTerms(t, R()), Code::kInvalidArgument,
              "offer.bid_increment: must be more than 0 fen");
  t = Listing();
  t.bidding_end = t.bidding_start;
  ExpectError(ValidateOfferTerms(t, R()), Code::kInvalidArgument,
              "offer.bidding_end: must be after bidding_start");
  t = Listing();
  t.reserve_price_fen = 1;
  ExpectError(ValidateOfferTerms(t, R()), Code::kInvalidArgument,
              "offer.reserve_price: must not be below the starting price when set");
  t = Listing();
  t.bidding_start.reset();
  ExpectError(ValidateOfferTerms(t, R()), Code::kInvalidArgument, "offer.bidding_start: required");
  ExpectError(CheckOfferRegion("410300", "410211"), Code::kInvalidArgument,
              "offer.region_code: parcel lies in region 410211, which is not within 410300");
  EXPECT_TRUE(CheckOfferRegion("410300", "410311").ok());
}

TEST(Offer, NoticeAtLeastTwentyDaysBeforeBidding) {
  OfferSchedule o{"o-1", OfferState::kDraft, SupplyMethod::kListing, kNow + 20 * 24h,
                  kNow + 30 * 24h};
  EXPECT_TRUE(CheckPublish(o, kNow, R()).ok());
  o.bidding_start = kNow + 20 * 24h - 1min;
  ExpectError(CheckPublish(o, kNow, R()), Code::kFailedPrecondition,
              "the grant notice must be published at least 20 days before bidding starts (Order 39 "
              "art. 10); bidding starts 2025-06-22T01:59:00.000Z, 20.00 days from now");
  ExpectReason(CheckPublish(o, kNow, R()), Code::kFailedPrecondition, "NOTICE_PERIOD_TOO_SHORT");
  o.state = OfferState::kPublished;
  ExpectError(CheckPublish(o, kNow, R()), Code::kFailedPrecondition,
              "offer o-1 is PUBLISHED; only a DRAFT offer can be published");
  // An allocation has no bidding period.
  OfferSchedule a{"o-2", OfferState::kDraft, SupplyMethod::kAllocation, {}, {}};
  EXPECT_TRUE(CheckPublish(a, kNow, R()).ok());
}

TEST(Offer, CancelBeforeTheResultOrWhenSigningIsOverdue) {
  OfferSchedule o{"o-1", OfferState::kBidding, SupplyMethod::kListing, {}, {}};
  EXPECT_TRUE(CheckCancel(o, false).ok());
  o.state = OfferState::kAwarded;
  ExpectError(CheckCancel(o, false), Code::kFailedPrecondition,
              "offer o-1 is AWARDED and its contract is not overdue; an award is cancelled only "
              "when the grantee failed to sign in time");
  EXPECT_TRUE(CheckCancel(o, true).ok());
  o.state = OfferState::kFailed;
  ExpectError(CheckCancel(o, true), Code::kFailedPrecondition,
              "offer o-1 is FAILED and can no longer be cancelled");
}

TEST(Offer, BidderRegistrationNeedsTheDeposit) {
  OfferSchedule o{"o-1", OfferState::kPublished, SupplyMethod::kListing, kNow, kNow + 240h};
  EXPECT_TRUE(CheckRegisterBidder(o, 100, 100, kNow).ok());
  ExpectError(
      CheckRegisterBidder(o, 100, 99, kNow), Code::kFailedPrecondition,
      "deposit paid 0.99 yuan (99 fen) is less than the required deposit 1.00 yuan (100 fen)");
  ExpectError(CheckRegisterBidder(o, 100, 100, kNow + 240h), Code::kFailedPrecondition,
              "bidding on offer o-1 ended at 2025-06-12T02:00:00.000Z");
  o.state = OfferState::kDraft;
  ExpectError(CheckRegisterBidder(o, 100, 100, kNow), Code::kFailedPrecondition,
              "offer o-1 is DRAFT; bidders register while it is PUBLISHED or BIDDING");
}

BidRules Bidding() {
  return {"o-1", OfferState::kBidding, SupplyMethod::kListing, kNow, kNow + 240h, 1'000'000,
          50'000};
}

TEST(Bid, FirstBidAtLeastTheStartingPrice) {
  BoardState empty;
  EXPECT_TRUE(CheckBid(Bidding(), empty, 1'000'000, kNow, false).ok());
  ExpectError(CheckBid(Bidding(), empty, 999'999, kNow, false), Code::kFailedPrecondition,
              "bid of 9999.99 yuan (999999 fen) is below the minimum acceptable amount 10000.00 "
              "yuan (1000000 fen) (the starting price 10000.00 yuan (1000000 fen))");
}

TEST(Bid, BelowHighestPlusIncrementIsRefusedWithTheMinimum) {
  BoardState b{3, 1'200'000, "b-3", "003"};
  EXPECT_EQ(MinimumAcceptableBid(Bidding(), b), 1'250'000);
  EXPECT_TRUE(CheckBid(Bidding(), b, 1'250'000, kNow, true).ok());
  auto st = CheckBid(Bidding(), b, 1'249'999, kNow, true);
  ExpectError(st, Code::kFailedPrecondition,
              "bid of 12499.99 yuan (1249999 fen) is below the minimum acceptable amount 12500.00 "
              "yuan (1250000 fen) (the current highest bid 12000.00 yuan (1200000 fen) plus the "
              "increment 500.00 yuan (50000 fen))");
  EXPECT_EQ(st.error().reason(), "BID_TOO_LOW");
  EXPECT_EQ(st.error().metadata().at("minimum_acceptable_fen"), "1250000");
}

TEST(Bid, OnlyDuringTheBiddingPeriod) {
  BoardState b;
  ExpectError(CheckBid(Bidding(), b, 1'000'000, kNow - 1s, false), Code::kFailedPrecondition,
              "bidding on offer o-1 starts at 2025-06-02T02:00:00.000Z");
  ExpectError(CheckBid(Bidding(), b, 1'000'000, kNow + 240h, false), Code::kFailedPrecondition,
              "bidding on offer o-1 ended at 2025-06-12T02:00:00.000Z");
  auto closed = Bidding();
  closed.state = OfferState::kAwarded;
  ExpectError(CheckBid(closed, b, 1'000'000, kNow, false), Code::kFailedPrecondition,
              "offer o-1 is AWARDED; bids are taken only while bidding runs");
  ExpectError(CheckBid(Bidding(), b, 0, kNow, false), Code::kInvalidArgument,
              "amount.fen: must be more than 0 fen");
}

TEST(Bid, TenderTakesOneSealedBidPerBidder) {
  auto t = Bidding();
  t.method = SupplyMethod::kTender;
  BoardState b{1, 5'000'000, "b-1", "001"};
  EXPECT_TRUE(CheckBid(t, b, 1'000'000, kNow, false).ok());  // sealed: not raised on the highest
  ExpectError(CheckBid(t, b, 9'000'000, kNow, true), Code::kFailedPrecondition,
              "a tender takes one sealed bid per bidder");
}

CloseFacts Closing() {
  CloseFacts f;
  f.offer_id = "o-1";
  f.state = OfferState::kBidding;
  f.method = SupplyMethod::kListing;
  f.bidding_end = kNow;
  f.starting_price_fen = 1'000'000;
  f.reserve_price_fen = 1'200'000;
  return f;
}

TEST(Close, HighestAtOrAboveReserveWins) {
  auto f = Closing();
  f.bids = {
      {"b-1", "001", 1'000'000, 1}, {"b-2", "002", 1'150'000, 2}, {"b-3", "001", 1'200'000, 3}};
  auto d = DecideCompetitiveClose(f, kNow, "").value();
  EXPECT_EQ(d.outcome, ResultOutcome::kAwarded);
  EXPECT_EQ(d.winner->bid_id, "b-3");
  EXPECT_EQ(d.price_fen, 1'200'000);
  EXPECT_EQ(d.valid_bid_count, 3);
}

TEST(Close, BelowReserveTheSaleFails) {
  auto f = Closing();
  f.bids = {{"b-1", "001", 1'000'000, 1}, {"b-2", "002", 1'199'999, 2}};
  auto d = DecideCompetitiveClose(f, kNow, "").value();
  EXPECT_EQ(d.outcome, ResultOutcome::kFailed);
  EXPECT_EQ(d.highest_fen, 1'199'999);
  EXPECT_EQ(d.failure_reason, "the highest bid is below the reserve price (最高报价低于底价)");
  f.bids.clear();
  d = DecideCompetitiveClose(f, kNow, "").value();
  EXPECT_EQ(d.outcome, ResultOutcome::kFailed);
  EXPECT_EQ(d.failure_reason, "no valid bid (无有效报价)");
}

TEST(Close, NotBeforeTheEndOfBidding) {
  auto f = Closing();
  ExpectError(DecideCompetitiveClose(f, kNow - 1s, ""), Code::kFailedPrecondition,
              "bidding on offer o-1 runs until 2025-06-02T02:00:00.000Z");
  f.state = OfferState::kAwarded;
  ExpectError(DecideCompetitiveClose(f, kNow, ""), Code::kFailedPrecondition,
              "offer o-1 is AWARDED; only an offer in bidding can be closed");
}

TEST(Close, TenderNeedsTheCommitteesChoiceAtOrAboveReserve) {
  auto f = Closing();
  f.method = SupplyMethod::kTender;
  f.bids = {{"b-1", "001", 1'300'000, 1}, {"b-2", "002", 1'100'000, 2}};
  ExpectError(DecideCompetitiveClose(f, kNow, ""), Code::kInvalidArgument,
              "winning_bid_id: required to close a tender with bids (评标 result)");
  ExpectError(DecideCompetitiveClose(f, kNow, "b-2"), Code::kFailedPrecondition,
              "the chosen bid 11000.00 yuan (1100000 fen) is below the reserve price; a tender is "
              "won only at or above it");
  EXPECT_EQ(DecideCompetitiveClose(f, kNow, "b-1")->price_fen, 1'300'000);
}

TEST(Close, AgreedSupplyClosesWithGranteeAndPrice) {
  auto f = Closing();
  f.method = SupplyMethod::kNegotiated;
  f.state = OfferState::kPublished;
  ExpectError(DecideAgreedClose(f, 1'100'000, true), Code::kFailedPrecondition,
              "the negotiated price 11000.00 yuan (1100000 fen) is below the reserve price of the "
              "offer");
  ExpectError(DecideAgreedClose(f, 1'300'000, false), Code::kInvalidArgument,
              "agreed_grantee: required");
  EXPECT_EQ(DecideAgreedClose(f, 1'300'000, true)->outcome, ResultOutcome::kAwarded);
  f.method = SupplyMethod::kListing;
  ExpectReason(DecideAgreedClose(f, 1'300'000, true), Code::kFailedPrecondition, "OFFER_METHOD");
}

// ---------------------------------------------------------------- contracts

WorkingCalendar Calendar() {
  return WorkingCalendar::LoadDirectory(DefaultCalendarDir(), Date(2026, 6, 1)).value();
}

TEST(Contract, DueTenWorkingDaysAfterTheResult) {
  // Result on Friday 2025-09-26; National Day holiday 10-01..10-08 with
  // Sunday 09-28 and Saturday 10-11 worked: 09-28, 09-29, 09-30, 10-09,
  // 10-10, 10-11, 10-13, 10-14, 10-15, 10-16.
  auto due = ContractDueDate(Date(2025, 9, 26), Calendar(), R()).value();
  EXPECT_EQ(due, Date(2025, 10, 16));
}

ContractTerms GoodTerms(const Date& today) {
  ContractTerms t;
  t.contract_number = "4103112025B00123";
  t.grantor = "洛阳市自然资源和规划局";
  t.agreed_delivery_date = today.AddDays(30);
  t.agreed_construction_start = today.AddDays(180);
  t.agreed_completion_date = today.AddDays(900);
  t.agreed_investment_fen = 500'000'000;
  t.installments = {{today.AddDays(30), 600'000}, {today.AddDays(300), 400'000}};
  return t;
}

TEST(Contract, SignedWithinTheDeadlineForAnAwardedOffer) {
  Date today(2025, 6, 10);
  SigningFacts f{"o-1", OfferState::kAwarded, Date(2025, 6, 10), 1'000'000, today};
  EXPECT_TRUE(CheckSigning(f, GoodTerms(today), R()).ok());
  f.today = Date(2025, 6, 11);
  ExpectError(CheckSigning(f, GoodTerms(f.today), R()), Code::kFailedPrecondition,
              "the contract for offer o-1 was due by 2025-06-10 (10 working days after the "
              "result); it can no longer be signed");
  f.today = today;
  f.offer_state = OfferState::kFailed;
  ExpectError(CheckSigning(f, GoodTerms(today), R()), Code::kFailedPrecondition,
              "offer o-1 is FAILED; a contract is signed only for an AWARDED offer");
  f.offer_state = OfferState::kAwarded;
  auto t = GoodTerms(today);
  t.agreed_construction_start = today;
  ExpectError(CheckSigning(f, t, R()), Code::kInvalidArgument,
              "contract.agreed_construction_start: must not be before the agreed delivery date");
  t = GoodTerms(today);
  t.contract_number.clear();
  ExpectError(CheckSigning(f, t, R()), Code::kInvalidArgument,
              "contract.contract_number: required (合同编号/电子监管号)");
}

TEST(Contract, AtLeastHalfFirstAndAllWithinOneYear) {
  Date signed_on(2025, 6, 10);
  EXPECT_TRUE(CheckInstallments(1'000'000,
                                {{Date(2025, 7, 10), 500'000}, {Date(2026, 6, 10), 500'000}},
                                signed_on, R())
                  .ok());
  ExpectError(
      CheckInstallments(1'000'000, {{Date(2025, 7, 10), 499'999}, {Date(2026, 6, 10), 500'001}},
                        signed_on, R()),
      Code::kFailedPrecondition,
      "the first installment 4999.99 yuan (499999 fen) is less than 50% of the price, "
      "5000.00 yuan (500000 fen)");
  ExpectError(
      CheckInstallments(1'000'000, {{Date(2025, 7, 10), 500'000}, {Date(2026, 6, 11), 500'000}},
                        signed_on, R()),
      Code::kFailedPrecondition,
      "installment 2 is due 2026-06-11; the whole price is paid within 1 year(s) of "
      "signing, by 2026-06-10");
  ExpectError(CheckInstallments(1'000'000, {{Date(2025, 7, 10), 600'000}}, signed_on, R()),
              Code::kInvalidArgument,
              "contract.installments: sum to 6000.00 yuan (600000 fen), not the price 10000.00 "
              "yuan (1000000 fen)");
  ExpectError(CheckInstallments(1'000'000, {}, signed_on, R()), Code::kInvalidArgument,
              "contract.installments: required: the schedule of the price's payment");
  ExpectError(
      CheckInstallments(1'000'000, {{Date(2025, 8, 10), 600'000}, {Date(2025, 7, 10), 400'000}},
                        signed_on, R()),
      Code::kInvalidArgument,
      "contract.installments[1].due_date: installments must be in due-date order");
}

TEST(Contract, PaymentsCountTowardThePriceAndNeverOverpay) {
  PaymentFacts f{"c-1", ContractState::kSigned, 1'000'000,       600'000, 200'000,
                 0,     Date(2025, 6, 10),      Date(2025, 7, 1)};
  auto e = ApplyPayment(f, {static_cast<int>(PaymentKind::kPrice), 400'000, Date(2025, 7, 1)});
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->now_fully_paid);
  ExpectError(ApplyPayment(f, {static_cast<int>(PaymentKind::kPrice), 400'001, Date(2025, 7, 1)}),
              Code::kFailedPrecondition,
              "the payment of 4000.01 yuan (400001 fen) exceeds the price still due, 4000.00 yuan "
              "(400000 fen)");
  ExpectError(
      ApplyPayment(f,
                   {static_cast<int>(PaymentKind::kDepositConverted), 300'000, Date(2025, 7, 1)}),
      Code::kFailedPrecondition,
      "only 2000.00 yuan (200000 fen) of the grantee's deposit is left to convert into price");
  ExpectError(ApplyPayment(f, {static_cast<int>(PaymentKind::kIdleLandFee), 1, Date(2025, 7, 1)}),
              Code::kFailedPrecondition,
              "idle-land fee outstanding on contract c-1 is 0.00 yuan (0 fen)");
  ExpectError(
      ApplyPayment(f, {0, 1, Date(2025, 7, 1)}), Code::kInvalidArgument,
      "payment.kind: must be a PaymentKind value other than PAYMENT_KIND_UNSPECIFIED, got 0");
  ExpectError(ApplyPayment(f, {2, 1, Date(2025, 7, 2)}), Code::kInvalidArgument,
              "payment.paid_on: is in the future");
  ExpectError(ApplyPayment(f, {2, 1, std::nullopt}), Code::kInvalidArgument,
              "payment.paid_on: required");
}

TEST(Contract, OverdueInstallments) {
  std::vector<InstallmentInput> s = {{Date(2025, 7, 10), 600'000}, {Date(2026, 6, 10), 400'000}};
  EXPECT_TRUE(OverdueInstallments(s, 0, Date(2025, 7, 10)).empty());  // due today: not yet overdue
  EXPECT_EQ(OverdueInstallments(s, 0, Date(2025, 7, 11)), std::vector<size_t>{0});
  EXPECT_TRUE(OverdueInstallments(s, 600'000, Date(2025, 7, 11)).empty());
  EXPECT_EQ(OverdueInstallments(s, 600'000, Date(2026, 6, 11)), std::vector<size_t>{1});
}

TEST(Contract, DeliveryNeedsThePricePaidInFull) {
  DeliveryFacts f{"c-1", ContractState::kSigned, Date(2025, 6, 10), Date(2025, 8, 1), 40};
  ExpectError(CheckDelivery(f, Date(2025, 8, 1)), Code::kFailedPrecondition,
              "contract c-1 is SIGNED; land is handed over only when the price is paid in full "
              "(FULLY_PAID)");
  f.state = ContractState::kFullyPaid;
  auto term = CheckDelivery(f, Date(2025, 8, 1)).value();
  EXPECT_EQ(term.start, Date(2025, 8, 1));
  EXPECT_EQ(*term.end, Date(2065, 7, 31));
  ExpectError(CheckDelivery(f, Date(2025, 8, 2)), Code::kInvalidArgument,
              "delivered_on: is in the future");
}

TEST(Contract, ConstructionStartsOnDeliveredLand) {
  ExpectError(CheckConstructionStart("c-1", ContractState::kFullyPaid, Date(2025, 8, 1),
                                     Date(2025, 9, 1), Date(2025, 9, 1)),
              Code::kFailedPrecondition,
              "contract c-1 is FULLY_PAID; construction starts on DELIVERED land");
  ExpectError(CheckConstructionStart("c-1", ContractState::kDelivered, Date(2025, 8, 1),
                                     Date(2025, 7, 1), Date(2025, 9, 1)),
              Code::kInvalidArgument, "started_on: is before the land was delivered on 2025-08-01");
  EXPECT_TRUE(CheckConstructionStart("c-1", ContractState::kDelivered, Date(2025, 8, 1),
                                     Date(2025, 9, 1), Date(2025, 9, 1))
                  .ok());
}

TEST(Contract, ProgressWithinTheParcel) {
  ProgressInput p{Date(2025, 10, 1), 20000, 0, std::nullopt};
  ExpectError(CheckProgress("c-1", ContractState::kConstructionStarted, 10000, Date(2025, 9, 1), p,
                            Date(2025, 10, 1)),
              Code::kInvalidArgument,
              "developed_area.square_metres: exceeds the parcel's area 10000.00 m²");
}

// ---------------------------------------------------------------- idle land

DevelopmentFacts NotStartedContract() {
  DevelopmentFacts f;
  f.contract_id = "c-1";
  f.state = ContractState::kDelivered;
  f.agreed_construction_start = Date(2025, 3, 1);
  f.area_m2 = 30000;
  f.agreed_investment_fen = 100'000'000;
  return f;
}

TEST(Idle, OneFullYearWithoutStartOpensTheFeeCase) {
  auto f = NotStartedContract();
  EXPECT_TRUE(FindIdleGrounds(f, Date(2026, 3, 1), R()).empty());  // last day of the year
  auto found = FindIdleGrounds(f, Date(2026, 3, 2), R());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].ground, IdleGround::kNoStartOneYear);
  EXPECT_EQ(found[0].idle_since, Date(2025, 3, 1));
  EXPECT_DOUBLE_EQ(found[0].idle_area_m2, 30000);
}

// The one-year mark falls on any day, including days of a year whose holiday arrangement is
// not yet published: it counts calendar days, never working days.
TEST(Idle, TheOneYearMarkOnDaysOfTheProvisionalYear) {
  for (Date first_idle_day : {Date(2026, 12, 20), Date(2027, 2, 3), Date(2027, 9, 30)}) {
    SCOPED_TRACE(first_idle_day.ToString());
    auto f = NotStartedContract();
    f.agreed_construction_start = first_idle_day.AddDays(-1).AddYears(-1);
    EXPECT_TRUE(FindIdleGrounds(f, first_idle_day.AddDays(-1), R()).empty());
    auto found = FindIdleGrounds(f, first_idle_day, R());
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].ground, IdleGround::kNoStartOneYear);
    EXPECT_EQ(found[0].idle_since, f.agreed_construction_start);
  }
}

TEST(Idle, TwoFullYearsOpensTheTakeBackCase) {
  auto f = NotStartedContract();
  EXPECT_EQ(FindIdleGrounds(f, Date(2027, 3, 1), R()).size(), 1u);
  auto found = FindIdleGrounds(f, Date(2027, 3, 2), R());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[1].ground, IdleGround::kNoStartTwoYears);
}

TEST(Idle, StartedOrCompletedLandIsNotIdleByNoStart) {
  auto f = NotStartedContract();
  f.state = ContractState::kConstructionStarted;
  f.construction_started_on = Date(2025, 4, 1);
  EXPECT_TRUE(FindIdleGrounds(f, Date(2028, 1, 1), R()).empty());
  ExpectError(CheckIdleGround(f, IdleGround::kNoStartOneYear, Date(2028, 1, 1), R()),
              Code::kFailedPrecondition, "contract c-1: construction started on 2025-04-01");
  f.state = ContractState::kCompleted;
  ExpectError(CheckIdleGround(f, IdleGround::kNoStartOneYear, Date(2028, 1, 1), R()),
              Code::kFailedPrecondition,
              "contract c-1: the contract is COMPLETED; its land cannot be idle");
}

TEST(Idle, ManualGroundMustHold) {
  auto f = NotStartedContract();
  ExpectError(CheckIdleGround(f, IdleGround::kNoStartOneYear, Date(2026, 3, 1), R()),
              Code::kFailedPrecondition,
              "contract c-1: 1 full year(s) after the agreed start 2025-03-01 pass only on "
              "2026-03-02 (Order 53 art. 2)");
  EXPECT_TRUE(CheckIdleGround(f, IdleGround::kNoStartOneYear, Date(2026, 3, 2), R()).ok());
  ExpectReason(CheckIdleGround(f, IdleGround::kNoStartTwoYears, Date(2027, 3, 1), R()),
               Code::kFailedPrecondition, "IDLE_GROUND_NOT_MET");
  ExpectError(CheckIdleGround(f, IdleGround::kUnspecified, Date(2027, 3, 1), R()),
              Code::kInvalidArgument,
              "ground: must be an IdleGround value other than IDLE_GROUND_UNSPECIFIED");
}

TEST(Idle, OneThirdAreaAndQuarterInvestmentWithWorkStoppedAYear) {
  auto f = NotStartedContract();
  f.state = ContractState::kConstructionStarted;
  f.construction_started_on = Date(2025, 3, 1);
  f.work_stopped_since = Date(2025, 6, 1);
  f.developed_area_m2 = 9999;  // under 1/3 of 30000
  f.invested_fen = 50'000'000;
  EXPECT_TRUE(FindIdleGrounds(f, Date(2026, 6, 1), R()).empty());
  auto found = FindIdleGrounds(f, Date(2026, 6, 2), R());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].ground, IdleGround::kDevelopedAreaUnderOneThird);
  EXPECT_DOUBLE_EQ(found[0].idle_area_m2, 20001);

  f.developed_area_m2 = 10000;  // exactly 1/3: not under it
  EXPECT_TRUE(FindIdleGrounds(f, Date(2026, 6, 2), R()).empty());
  ExpectError(CheckIdleGround(f, IdleGround::kDevelopedAreaUnderOneThird, Date(2026, 6, 2), R()),
              Code::kFailedPrecondition,
              "contract c-1: developed area 10000.00 m² is not under 33.33% of 30000.00 m²");

  f.invested_fen = 24'999'999;  // under 25% of 100 000 000
  found = FindIdleGrounds(f, Date(2026, 6, 2), R());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].ground, IdleGround::kInvestmentUnderOneQuarter);
  f.invested_fen = 25'000'000;
  EXPECT_TRUE(FindIdleGrounds(f, Date(2026, 6, 2), R()).empty());
  ExpectError(CheckIdleGround(f, IdleGround::kInvestmentUnderOneQuarter, Date(2026, 6, 2), R()),
              Code::kFailedPrecondition,
              "contract c-1: investment made 250000.00 yuan (25000000 fen) is not under 25.00% of "
              "the agreed 1000000.00 yuan (100000000 fen)");
  f.work_stopped_since.reset();
  ExpectError(CheckIdleGround(f, IdleGround::kInvestmentUnderOneQuarter, Date(2026, 6, 2), R()),
              Code::kFailedPrecondition, "contract c-1: work has not stopped");
}

TEST(Idle, Determination) {
  EXPECT_TRUE(CheckDetermination("k-1", IdleCaseState::kInvestigating, true, 1).ok());
  ExpectError(CheckDetermination("k-1", IdleCaseState::kInvestigating, true, 0),
              Code::kInvalidArgument,
              "cause: must be an IdleCause value other than IDLE_CAUSE_UNSPECIFIED when idle");
  ExpectError(CheckDetermination("k-1", IdleCaseState::kDisposed, false, 0),
              Code::kFailedPrecondition,
              "case k-1 is DISPOSED; only a case under investigation is determined");
}

DisposalFacts Determined(IdleGround g, IdleCause c) {
  DisposalFacts f;
  f.case_id = "k-1";
  f.state = IdleCaseState::kDetermined;
  f.ground = g;
  f.cause = c;
  f.price_fen = 123'456'789;
  f.agreed_construction_start = Date(2025, 3, 1);
  f.today = Date(2026, 4, 1);
  return f;
}

TEST(Idle, LandUserFaultOneYearPaysTwentyPercent) {
  auto f = Determined(IdleGround::kNoStartOneYear, IdleCause::kLandUser);
  auto d = DecideDisposal(f, static_cast<int>(IdleLandDisposal::kIdleFee), std::nullopt, R());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->fee_fen, 24'691'358);  // 20% of 123 456 789, rounded
  ExpectError(DecideDisposal(f, static_cast<int>(IdleLandDisposal::kTakeBack), std::nullopt, R()),
              Code::kFailedPrecondition,
              "case k-1: take-back without compensation needs 2 full idle years (Order 53 art. "
              "14(2)); this case is for no construction start one full year after the agreed date");
  ExpectError(
      DecideDisposal(f, static_cast<int>(IdleLandDisposal::kIdleFee), Date(2026, 9, 1), R()),
      Code::kInvalidArgument, "new_construction_start: only for EXTEND_START");
  ExpectError(
      DecideDisposal(f, static_cast<int>(IdleLandDisposal::kExtendStart), std::nullopt, R()),
      Code::kFailedPrecondition,
      "case k-1: the delay was caused by the land user; only the idle-land fee or "
      "take-back apply (Order 53 art. 14), not EXTEND_START");
}

TEST(Idle, LandUserFaultTwoYearsIsTakenBack) {
  auto f = Determined(IdleGround::kNoStartTwoYears, IdleCause::kLandUser);
  auto d = DecideDisposal(f, static_cast<int>(IdleLandDisposal::kTakeBack), std::nullopt, R());
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->terminates_contract);
  ExpectError(DecideDisposal(f, static_cast<int>(IdleLandDisposal::kIdleFee), std::nullopt, R()),
              Code::kFailedPrecondition,
              "case k-1: land idle two full years by the land user's fault is taken back without "
              "compensation (Order 53 art. 14(2)); the fee does not apply");
}

TEST(Idle, ExcusedDelayExtendsAtMostOneYear) {
  auto f = Determined(IdleGround::kNoStartOneYear, IdleCause::kGovernment);
  auto d =
      DecideDisposal(f, static_cast<int>(IdleLandDisposal::kExtendStart), Date(2027, 4, 1), R());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d->new_construction_start, Date(2027, 4, 1));
  ExpectError(
      DecideDisposal(f, static_cast<int>(IdleLandDisposal::kExtendStart), Date(2027, 4, 2), R()),
      Code::kFailedPrecondition,
      "case k-1: the new start 2027-04-02 is more than 1 year(s) after the disposal "
      "decision; at most 2027-04-01 (Order 53 art. 12(1))");
  ExpectError(DecideDisposal(f, static_cast<int>(IdleLandDisposal::kIdleFee), std::nullopt, R()),
              Code::kFailedPrecondition,
              "case k-1: the delay was caused by government or force majeure; IDLE_FEE applies "
              "only to the land user's fault (Order 53 arts. 8, 12)");
  ExpectError(
      DecideDisposal(f, static_cast<int>(IdleLandDisposal::kExtendStart), Date(2025, 3, 1), R()),
      Code::kInvalidArgument, "new_construction_start: must be after the agreed start 2025-03-01");
  EXPECT_TRUE(
      DecideDisposal(f, static_cast<int>(IdleLandDisposal::kPaidTakeBack), std::nullopt, R())
          ->terminates_contract);
  f.state = IdleCaseState::kInvestigating;
  ExpectError(DecideDisposal(f, static_cast<int>(IdleLandDisposal::kChangeUse), std::nullopt, R()),
              Code::kFailedPrecondition,
              "case k-1 is INVESTIGATING; only a case determined idle is disposed");
  ExpectError(
      DecideDisposal(f, 0, std::nullopt, R()), Code::kInvalidArgument,
      "disposal: must be an IdleLandDisposal value other than IDLE_LAND_DISPOSAL_UNSPECIFIED");
}

// ---------------------------------------------------------------- batches and ledgers

NewBatch GoodBatch() {
  NewBatch b;
  b.region_code = "410200";
  b.name = "开封市2025年度第3批次城镇建设用地";
  b.year = 2025;
  b.parcel_ids = {"p-1"};
  b.total_area_m2 = 100000;
  b.agricultural_land_area_m2 = 80000;
  b.cultivated_land_area_m2 = 50000;
  b.paddy_area_m2 = 10000;
  b.cultivated_quality_grade = 4;
  b.grain_capacity_kg = 30000;
  b.unused_land_area_m2 = 5000;
  return b;
}

TEST(Batch, AreasNest) {
  EXPECT_TRUE(ValidateNewBatch(GoodBatch()).ok());
  auto b = GoodBatch();
  b.cultivated_land_area_m2 = 90000;
  ExpectError(ValidateNewBatch(b), Code::kInvalidArgument,
              "batch.cultivated_land_area: exceeds the agricultural land converted");
  b = GoodBatch();
  b.paddy_area_m2 = 60000;
  ExpectError(ValidateNewBatch(b), Code::kInvalidArgument,
              "batch.paddy_area: exceeds the cultivated land occupied");
  b = GoodBatch();
  b.cultivated_quality_grade = 11;
  ExpectError(ValidateNewBatch(b), Code::kInvalidArgument,
              "batch.cultivated_quality_grade: must be a quality grade 1 (best) to 10 (GB/T "
              "33469-2016) when cultivated land is occupied");
  b = GoodBatch();
  b.parcel_ids = {"p-1", "p-1"};
  ExpectError(ValidateNewBatch(b), Code::kInvalidArgument,
              "batch.parcel_ids[1]: empty or repeated");
}

std::map<std::string, LedgerAccount> Accounts() {
  return {
      {"cr-1",
       {"cr-1", LedgerKind::kFarmlandCompensation, "410200", 3, 60000, 60000, 12000, 40000}},
      {"cr-low",
       {"cr-low", LedgerKind::kFarmlandCompensation, "410200", 6, 60000, 60000, 12000, 40000}},
      {"cr-far",
       {"cr-far", LedgerKind::kFarmlandCompensation, "410300", 3, 60000, 60000, 12000, 40000}},
      {"q-1", {"q-1", LedgerKind::kLinkageQuota, "410000", 0, 8000, 8000, 0, 0}},
  };
}

BatchNeeds Needs() { return {"b-1", "410200", BatchState::kApplied, 50000, 10000, 30000, 4}; }

Allocation Comp(std::string id, double area, double paddy, double grain) {
  return {static_cast<int>(LedgerKind::kFarmlandCompensation), std::move(id), area, paddy, grain};
}

TEST(Ledger, CompensationFirstAtLeastTheSameAreaPaddyAndGrain) {
  auto after = CheckApproval(Needs(), 2, {Comp("cr-1", 50000, 10000, 30000)}, Accounts());
  ASSERT_TRUE(after.ok()) << after.error().ToString();
  ASSERT_EQ(after->size(), 1u);
  EXPECT_DOUBLE_EQ((*after)[0].remaining_area_m2, 10000);
  EXPECT_EQ((*after)[0].state, LedgerAccountState::kPartiallyUsed);

  ExpectError(CheckApproval(Needs(), 2, {}, Accounts()), Code::kFailedPrecondition,
              "batch b-1 occupies 50000.00 m² of cultivated land but reserves 0.00 m² of "
              "compensation credit; the credit comes first and covers at least the same area "
              "(先补后占, 占一补一)");
  ExpectError(CheckApproval(Needs(), 2, {Comp("cr-1", 50000, 9999, 30000)}, Accounts()),
              Code::kFailedPrecondition,
              "batch b-1 occupies 10000.00 m² of paddy field but reserves 9999.00 m² of paddy "
              "credit (占水田补水田)");
  ExpectError(CheckApproval(Needs(), 2, {Comp("cr-1", 50000, 10000, 29999)}, Accounts()),
              Code::kFailedPrecondition,
              "batch b-1 occupies land of 30000.00 kg/year grain capacity but reserves 29999.00 "
              "kg/year (grain capacity ledger)");
}

TEST(Ledger, QualityGradeNoLower) {
  ExpectError(
      CheckApproval(Needs(), 2, {Comp("cr-low", 50000, 10000, 30000)}, Accounts()),
      Code::kFailedPrecondition,
      "credit cr-low is of quality grade 6, lower than the occupied land's grade 4 (占优补优)");
}

TEST(Ledger, ACreditIsUsedOnce) {
  auto accounts = Accounts();
  accounts["cr-1"].remaining_area_m2 = 40000;
  ExpectError(CheckApproval(Needs(), 2, {Comp("cr-1", 50000, 10000, 30000)}, accounts),
              Code::kFailedPrecondition,
              "account cr-1 has 40000.00 m² (paddy 12000.00 m², grain 40000.00 kg/year) left; the "
              "allocation asks for 50000.00 m² (paddy 10000.00 m², grain 30000.00 kg/year); a "
              "credit is used once");
  // Two allocations from the same credit draw on one balance.
  ExpectReason(CheckApproval(Needs(), 2,
                             {Comp("cr-1", 35000, 6000, 20000), Comp("cr-1", 35000, 6000, 20000)},
                             Accounts()),
               Code::kFailedPrecondition, "LEDGER_INSUFFICIENT");
  accounts = Accounts();
  auto after = CheckApproval(Needs(), 2, {Comp("cr-1", 60000, 12000, 40000)}, accounts);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ((*after)[0].state, LedgerAccountState::kUsedUp);
}

TEST(Ledger, RegionAndLedgerOfTheAccount) {
  ExpectError(CheckApproval(Needs(), 2, {Comp("cr-far", 50000, 10000, 30000)}, Accounts()),
              Code::kFailedPrecondition,
              "account cr-far belongs to region 410300, which does not contain the batch's region "
              "410200");
  ExpectError(CheckApproval(Needs(), 2, {Comp("nope", 50000, 10000, 30000)}, Accounts()),
              Code::kNotFound, "compensation credit nope not found");
  ExpectError(CheckApproval(Needs(), 2, {Comp("q-1", 5000, 0, 0)}, Accounts()), Code::kNotFound,
              "compensation credit q-1 not found");
  ExpectError(CheckApproval(Needs(), 0, {}, Accounts()), Code::kInvalidArgument,
              "authority: must be an ApprovalAuthority value other than "
              "APPROVAL_AUTHORITY_UNSPECIFIED");
  auto n = Needs();
  n.state = BatchState::kApproved;
  ExpectError(CheckApproval(n, 2, {}, Accounts()), Code::kFailedPrecondition,
              "batch b-1 is APPROVED; only an APPLIED batch is approved");
}

TEST(Ledger, LinkageQuotaUsedOnceFromAContainingRegion) {
  Allocation q{static_cast<int>(LedgerKind::kLinkageQuota), "q-1", 8000, 0, 0};
  auto after = CheckApproval(Needs(), 2, {Comp("cr-1", 50000, 10000, 30000), q}, Accounts());
  ASSERT_TRUE(after.ok()) << after.error().ToString();
  q.area_m2 = 8001;
  ExpectReason(CheckApproval(Needs(), 2, {Comp("cr-1", 50000, 10000, 30000), q}, Accounts()),
               Code::kFailedPrecondition, "LEDGER_INSUFFICIENT");
  q.area_m2 = 100;
  q.paddy_area_m2 = 1;
  ExpectError(CheckApproval(Needs(), 2, {q}, Accounts()), Code::kInvalidArgument,
              "allocations[0]: a linkage quota allocation carries an area only");
}

TEST(Ledger, NewCreditsAreChecked) {
  EXPECT_TRUE(ValidateNewCredit({"410200", "rp-1", 1000, 200, 500, 3}).ok());
  ExpectError(ValidateNewCredit({"410200", "rp-1", 1000, 2000, 500, 3}), Code::kInvalidArgument,
              "new_paddy_area: exceeds the new cultivated area");
  ExpectError(ValidateNewCredit({"410200", "rp-1", 1000, 200, 500, 0}), Code::kInvalidArgument,
              "quality_grade: must be 1 (best) to 10 (GB/T 33469-2016)");
  ExpectError(ValidateNewQuota({"410200", "rp-1", 0}), Code::kInvalidArgument,
              "reclaimed_area: must be more than 0");
}

}  // namespace
}  // namespace nrp::land_supply
