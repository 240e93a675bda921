// The numbers and lists of land supply's rules. Every one is configuration
// (NRP_LAND_SUPPLY_* variables, docs/services/land_supply.md) with the value of
// the national rule as default, because provinces set some of them themselves.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "domain/types.h"
#include "nrp/core/config.h"

namespace nrp::land_supply {

// One item of the allocation catalogue (划拨用地目录, MLR Order 9, 2001).
struct CatalogueItem {
  std::string code;        // "5"
  std::string name;        // "非营利性教育设施用地"
  std::set<LandUse> uses;  // uses the item may serve
};

struct Rules {
  // Maximum grant term in years per use (暂行条例 art. 12).
  std::map<LandUse, int> max_term_years;
  // Uses that must be supplied by tender, auction or listing (Order 39 art. 4).
  std::set<LandUse> competitive_uses;
  // From this many intending users on, only tender, auction or listing (Order 39 art. 4).
  int competitive_min_intending_users = 2;
  // Days between the notice and the start of bidding, at least (Order 39 art. 10).
  int min_notice_days = 20;
  // Days a listing stays open, at least (Order 39 art. 17).
  int min_listing_days = 10;
  // Working days after the result within which the contract is signed.
  int contract_signing_working_days = 10;
  // Share of the price paid in the first installment, at least.
  double first_payment_min_share = 0.5;
  // Years after signing within which the whole price is paid.
  int payment_period_years = 1;
  // Idle land (Order 53 arts. 2, 14): full years without construction start.
  int idle_fee_years = 1;
  int take_back_years = 2;
  // Idle-land fee as a share of the price (Order 53 art. 14).
  double idle_fee_share = 0.20;
  // Started but under this share of the area developed, or of the investment
  // made, with work stopped for `work_stopped_years` full years (Order 53 art. 2).
  double developed_area_min_share = 1.0 / 3.0;
  double investment_min_share = 0.25;
  int work_stopped_years = 1;
  // An excused delay moves the start at most this many years past the
  // disposal decision (Order 53 art. 12(1)).
  int max_extension_years = 1;
  // Overlaps smaller than this are boundary slivers, not conflicts.
  double overlap_tolerance_m2 = 0.01;
  // A declared parcel area may differ from the boundary's ellipsoidal area by
  // this share at most.
  double area_tolerance_share = 0.01;
  // Uses that are urban construction and must lie inside the urban
  // development boundary.
  std::set<LandUse> urban_construction_uses;
  // Uses for which a soil pollution survey must precede the reserve
  // (土壤污染防治法 art. 59: housing and public-service uses).
  std::set<LandUse> soil_survey_required_uses;
  std::vector<CatalogueItem> allocation_catalogue;

  // Defaults of the national rules.
  static Rules Defaults();
  // Reads the NRP_LAND_SUPPLY_* variables; problems are recorded in `env`.
  static Rules FromEnv(Env& env);

  int MaxTermYears(LandUse use) const;
  const CatalogueItem* FindCatalogueItem(const std::string& code) const;
};

// Parses a land use name as written in configuration ("COMMERCIAL" or
// "LAND_USE_COMMERCIAL"); kUnspecified when unknown.
LandUse ParseLandUse(std::string_view text);

}  // namespace nrp::land_supply
