#include "domain/rules.h"

#include <algorithm>
#include <sstream>

namespace nrp::land_supply {

namespace {

struct UseName {
  LandUse use;
  const char* name;
};
constexpr UseName kUseNames[] = {
    {LandUse::kResidential, "RESIDENTIAL"},
    {LandUse::kAffordableHousing, "AFFORDABLE_HOUSING"},
    {LandUse::kCommercial, "COMMERCIAL"},
    {LandUse::kTourism, "TOURISM"},
    {LandUse::kEntertainment, "ENTERTAINMENT"},
    {LandUse::kIndustrial, "INDUSTRIAL"},
    {LandUse::kEducationScienceCultureHealthSport, "EDUCATION_SCIENCE_CULTURE_HEALTH_SPORT"},
    {LandUse::kPublicAdministration, "PUBLIC_ADMINISTRATION"},
    {LandUse::kInfrastructure, "INFRASTRUCTURE"},
    {LandUse::kMixed, "MIXED"},
    {LandUse::kOther, "OTHER"},
};

std::vector<std::string> UseNames(const std::set<LandUse>& uses) {
  std::vector<std::string> out;
  for (const auto& n : kUseNames) {
    if (uses.count(n.use)) out.push_back(n.name);
  }
  return out;
}

std::set<LandUse> ReadUses(Env& env, std::string_view var, const std::set<LandUse>& defaults) {
  std::set<LandUse> out;
  for (const auto& item : env.List(var, UseNames(defaults))) {
    LandUse use = ParseLandUse(item);
    if (use == LandUse::kUnspecified) {
      // Records the problem (naming the variable) through Env's check.
      std::vector<std::string> all;
      for (const auto& n : kUseNames) all.push_back(n.name);
      env.OneOf(var, "", all);
      continue;
    }
    out.insert(use);
  }
  return out;
}

std::vector<CatalogueItem> DefaultCatalogue() {
  using U = LandUse;
  const std::set<U> social = {U::kEducationScienceCultureHealthSport};
  const std::set<U> infra = {U::kInfrastructure};
  return {
      {"1", "党政机关和人民团体用地", {U::kPublicAdministration}},
      {"2", "军事用地", {U::kPublicAdministration, U::kOther}},
      {"3", "城市基础设施用地", {U::kInfrastructure, U::kPublicAdministration}},
      {"4", "非营利性邮政设施用地", {U::kPublicAdministration, U::kInfrastructure}},
      {"5", "非营利性教育设施用地", social},
      {"6", "公益性科研机构用地", social},
      {"7", "非营利性体育设施用地", social},
      {"8", "非营利性公共文化设施用地", social},
      {"9", "非营利性医疗卫生设施用地", social},
      {"10", "非营利性社会福利设施用地", {U::kPublicAdministration}},
      {"11", "石油天然气设施用地", infra},
      {"12", "煤炭设施用地", infra},
      {"13", "电力设施用地", infra},
      {"14", "水利设施用地", infra},
      {"15", "铁路交通设施用地", infra},
      {"16", "公路交通设施用地", infra},
      {"17", "水路交通设施用地", infra},
      {"18", "民用机场设施用地", infra},
      {"19", "特殊用地", {U::kPublicAdministration, U::kOther}},
      // 法律、行政法规规定的其他用地: 经济适用住房 (经济适用住房管理办法 art. 7).
      {"20", "保障性住房用地", {U::kAffordableHousing}},
  };
}

}  // namespace

LandUse ParseLandUse(std::string_view text) {
  std::string t(text);
  if (t.rfind("LAND_USE_", 0) == 0) t = t.substr(9);
  for (const auto& n : kUseNames) {
    if (t == n.name) return n.use;
  }
  return LandUse::kUnspecified;
}

Rules Rules::Defaults() {
  using U = LandUse;
  Rules r;
  r.max_term_years = {
      {U::kResidential, 70},    {U::kAffordableHousing, 70},
      {U::kIndustrial, 50},     {U::kEducationScienceCultureHealthSport, 50},
      {U::kCommercial, 40},     {U::kTourism, 40},
      {U::kEntertainment, 40},  {U::kPublicAdministration, 50},
      {U::kInfrastructure, 50}, {U::kMixed, 50},
      {U::kOther, 50},
  };
  r.competitive_uses = {U::kCommercial, U::kTourism, U::kEntertainment, U::kResidential,
                        U::kIndustrial};
  r.urban_construction_uses = {U::kResidential,
                               U::kAffordableHousing,
                               U::kCommercial,
                               U::kTourism,
                               U::kEntertainment,
                               U::kIndustrial,
                               U::kEducationScienceCultureHealthSport,
                               U::kPublicAdministration,
                               U::kMixed,
                               U::kOther};
  r.soil_survey_required_uses = {U::kResidential, U::kAffordableHousing,
                                 U::kEducationScienceCultureHealthSport, U::kPublicAdministration};
  r.allocation_catalogue = DefaultCatalogue();
  return r;
}

Rules Rules::FromEnv(Env& env) {
  Rules r = Defaults();
  struct TermVar {
    const char* var;
    std::vector<LandUse> uses;
  };
  const TermVar terms[] = {
      {"NRP_LAND_SUPPLY_MAX_TERM_RESIDENTIAL",
       {LandUse::kResidential, LandUse::kAffordableHousing}},
      {"NRP_LAND_SUPPLY_MAX_TERM_INDUSTRIAL", {LandUse::kIndustrial}},
      {"NRP_LAND_SUPPLY_MAX_TERM_SOCIAL", {LandUse::kEducationScienceCultureHealthSport}},
      {"NRP_LAND_SUPPLY_MAX_TERM_COMMERCIAL",
       {LandUse::kCommercial, LandUse::kTourism, LandUse::kEntertainment}},
      {"NRP_LAND_SUPPLY_MAX_TERM_OTHER",
       {LandUse::kMixed, LandUse::kOther, LandUse::kPublicAdministration,
        LandUse::kInfrastructure}},
  };
  for (const auto& t : terms) {
    int years = static_cast<int>(env.Int(t.var, r.max_term_years[t.uses.front()], 1, 99));
    for (LandUse u : t.uses) r.max_term_years[u] = years;
  }
  r.competitive_uses = ReadUses(env, "NRP_LAND_SUPPLY_COMPETITIVE_USES", r.competitive_uses);
  r.competitive_min_intending_users =
      static_cast<int>(env.Int("NRP_LAND_SUPPLY_COMPETITIVE_MIN_INTENDING_USERS", 2, 2, 1000));
  r.min_notice_days = static_cast<int>(env.Int("NRP_LAND_SUPPLY_MIN_NOTICE_DAYS", 20, 0, 365));
  r.min_listing_days = static_cast<int>(env.Int("NRP_LAND_SUPPLY_MIN_LISTING_DAYS", 10, 0, 365));
  r.contract_signing_working_days =
      static_cast<int>(env.Int("NRP_LAND_SUPPLY_CONTRACT_SIGNING_WORKING_DAYS", 10, 1, 365));
  r.first_payment_min_share = env.Double("NRP_LAND_SUPPLY_FIRST_PAYMENT_MIN_SHARE", 0.5, 0, 1);
  r.payment_period_years =
      static_cast<int>(env.Int("NRP_LAND_SUPPLY_PAYMENT_PERIOD_YEARS", 1, 1, 10));
  r.idle_fee_years = static_cast<int>(env.Int("NRP_LAND_SUPPLY_IDLE_FEE_YEARS", 1, 1, 10));
  r.take_back_years = static_cast<int>(env.Int("NRP_LAND_SUPPLY_TAKE_BACK_YEARS", 2, 1, 10));
  if (r.take_back_years <= r.idle_fee_years) {
    env.Int("NRP_LAND_SUPPLY_TAKE_BACK_YEARS", 2, r.idle_fee_years + 1, 10);
  }
  r.idle_fee_share = env.Double("NRP_LAND_SUPPLY_IDLE_FEE_SHARE", 0.20, 0, 1);
  r.developed_area_min_share =
      env.Double("NRP_LAND_SUPPLY_IDLE_DEVELOPED_AREA_MIN_SHARE", 1.0 / 3.0, 0, 1);
  r.investment_min_share = env.Double("NRP_LAND_SUPPLY_IDLE_INVESTMENT_MIN_SHARE", 0.25, 0, 1);
  r.work_stopped_years =
      static_cast<int>(env.Int("NRP_LAND_SUPPLY_IDLE_WORK_STOPPED_YEARS", 1, 1, 10));
  r.max_extension_years =
      static_cast<int>(env.Int("NRP_LAND_SUPPLY_IDLE_MAX_EXTENSION_YEARS", 1, 1, 10));
  r.overlap_tolerance_m2 = env.Double("NRP_LAND_SUPPLY_OVERLAP_TOLERANCE_M2", 0.01, 0, 1e6);
  r.area_tolerance_share = env.Double("NRP_LAND_SUPPLY_AREA_TOLERANCE_SHARE", 0.01, 0, 1);
  r.urban_construction_uses =
      ReadUses(env, "NRP_LAND_SUPPLY_URBAN_CONSTRUCTION_USES", r.urban_construction_uses);
  r.soil_survey_required_uses =
      ReadUses(env, "NRP_LAND_SUPPLY_SOIL_SURVEY_REQUIRED_USES", r.soil_survey_required_uses);
  // Catalogue: "code=USE|USE:名称;code=USE:名称".
  std::string catalogue = env.String("NRP_LAND_SUPPLY_ALLOCATION_CATALOGUE", "");
  if (!catalogue.empty()) {
    std::vector<CatalogueItem> items;
    std::stringstream in(catalogue);
    std::string entry;
    bool bad = false;
    while (std::getline(in, entry, ';')) {
      if (entry.empty()) continue;
      auto eq = entry.find('=');
      auto colon = entry.find(':', eq == std::string::npos ? 0 : eq);
      if (eq == std::string::npos || colon == std::string::npos) {
        bad = true;
        break;
      }
      CatalogueItem item;
      item.code = entry.substr(0, eq);
      item.name = entry.substr(colon + 1);
      std::stringstream uses(entry.substr(eq + 1, colon - eq - 1));
      std::string u;
      while (std::getline(uses, u, '|')) {
        LandUse use = ParseLandUse(u);
        if (use == LandUse::kUnspecified) bad = true;
        item.uses.insert(use);
      }
      if (item.code.empty() || item.uses.empty()) bad = true;
      items.push_back(std::move(item));
    }
    if (bad || items.empty()) {
      env.OneOf("NRP_LAND_SUPPLY_ALLOCATION_CATALOGUE", "", {"code=USE|USE:name;..."});
    } else {
      r.allocation_catalogue = std::move(items);
    }
  }
  return r;
}

int Rules::MaxTermYears(LandUse use) const {
  auto it = max_term_years.find(use);
  return it == max_term_years.end() ? 50 : it->second;
}

const CatalogueItem* Rules::FindCatalogueItem(const std::string& code) const {
  for (const auto& item : allocation_catalogue) {
    if (item.code == code) return &item;
  }
  return nullptr;
}

}  // namespace nrp::land_supply
