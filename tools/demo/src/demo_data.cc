#include "demo_data.h"

#include <google/protobuf/descriptor.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace nrp::demo {
namespace {

using json = nlohmann::json;
namespace cv1 = ::nrp::common::v1;
namespace lv1 = ::nrp::land_supply::v1;
namespace mv1 = ::nrp::mining_rights::v1;
namespace pv1 = ::nrp::planning::v1;

Result<json> ReadJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error::InvalidArgument(path, "cannot be read");
  std::stringstream s;
  s << in.rdbuf();
  json j = json::parse(s.str(), nullptr, false);
  if (j.is_discarded()) return Error::InvalidArgument(path, "is not JSON");
  return j;
}

std::string Str(const json& j, const char* key, const std::string& fallback = "") {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : fallback;
}

int64_t Int(const json& j, const char* key, int64_t fallback = 0) {
  return j.contains(key) && j[key].is_number() ? j[key].get<int64_t>() : fallback;
}

double Num(const json& j, const char* key, double fallback = 0) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}

bool Bool(const json& j, const char* key) {
  return j.contains(key) && j[key].is_boolean() && j[key].get<bool>();
}

// "<PREFIX>_<name>" of `d`, e.g. ("LAND_USE", "COMMERCIAL") → LAND_USE_COMMERCIAL.
Result<int> EnumValue(const google::protobuf::EnumDescriptor* d, const std::string& prefix,
                      const std::string& name, const std::string& where) {
  const auto* v = d->FindValueByName(prefix + "_" + name);
  if (v == nullptr || v->number() == 0) {
    return Error::InvalidArgument(where, "unknown " + d->name() + " '" + name + "'");
  }
  return v->number();
}

cv1::DocumentReference Doc(const json& j) {
  cv1::DocumentReference d;
  if (!j.is_object()) return d;
  d.set_title(Str(j, "title"));
  d.set_number(Str(j, "number"));
  d.set_issuer(Str(j, "issuer"));
  return d;
}

Result<cv1::Party> Party(const json& j, const std::string& where) {
  cv1::Party p;
  NRP_ASSIGN_OR_RETURN(int kind, EnumValue(cv1::PartyKind_descriptor(), "PARTY_KIND",
                                           Str(j, "kind"), where + ".kind"));
  NRP_ASSIGN_OR_RETURN(int id_type, EnumValue(cv1::IdDocumentType_descriptor(), "ID_DOCUMENT_TYPE",
                                              Str(j, "id_type"), where + ".id_type"));
  p.set_kind(static_cast<cv1::PartyKind>(kind));
  p.set_name(Str(j, "name"));
  p.set_id_type(static_cast<cv1::IdDocumentType>(id_type));
  p.set_id_number(Str(j, "id_number"));
  p.set_legal_representative(Str(j, "legal_representative"));
  p.set_address(Str(j, "address"));
  if (p.name().empty() || p.id_number().empty()) {
    return Error::InvalidArgument(where, "a party needs name and id_number");
  }
  return p;
}

Result<Story> ParseStory(const std::string& s, const std::string& where) {
  static const std::map<std::string, Story> kStories = {{"reserve_refused", Story::kReserveRefused},
                                                        {"offer_refused", Story::kOfferRefused},
                                                        {"on_notice", Story::kOnNotice},
                                                        {"signed", Story::kSigned},
                                                        {"partly_paid", Story::kPartlyPaid},
                                                        {"delivered", Story::kDelivered}};
  auto it = kStories.find(s);
  if (it == kStories.end()) return Error::InvalidArgument(where, "unknown story '" + s + "'");
  return it->second;
}

Result<CaseTarget> ParseCaseTarget(const std::string& s, const std::string& where) {
  static const std::map<std::string, CaseTarget> kTargets = {
      {"", CaseTarget::kNone},
      {"applied", CaseTarget::kApplied},
      {"accepted", CaseTarget::kAccepted},
      {"recorded", CaseTarget::kRecorded},
      {"certificate_issued", CaseTarget::kCertificateIssued}};
  auto it = kTargets.find(s);
  if (it == kTargets.end())
    return Error::InvalidArgument(where, "unknown registration '" + s + "'");
  return it->second;
}

Result<std::vector<pv1::Zone>> Zones(const json& fc, const std::string& where) {
  std::vector<pv1::Zone> out;
  if (!fc.contains("features") || !fc["features"].is_array()) {
    return Error::InvalidArgument(where, "not a FeatureCollection");
  }
  int i = 0;
  for (const auto& f : fc["features"]) {
    std::string w = where + ".features[" + std::to_string(i++) + "]";
    const json& props = f.contains("properties") ? f["properties"] : json::object();
    pv1::Zone z;
    z.set_zone_id(f.contains("id") && f["id"].is_string() ? f["id"].get<std::string>()
                                                          : Str(props, "zone_code"));
    if (z.zone_id().empty()) return Error::InvalidArgument(w, "a zone needs an id");
    z.set_name(Str(props, "name", z.zone_id()));
    std::string level = Str(props, "control_level", "UNIFORM");
    NRP_ASSIGN_OR_RETURN(int lv, EnumValue(cv1::ZoneControlLevel_descriptor(), "ZONE_CONTROL_LEVEL",
                                           level, w + ".properties.control_level"));
    z.set_control_level(static_cast<cv1::ZoneControlLevel>(lv));
    z.set_region_code(Str(props, "region_code"));
    for (const auto& [k, v] : props.items()) {
      if (k == "name" || k == "control_level" || k == "region_code") continue;
      (*z.mutable_attributes())[k] = v.is_string() ? v.get<std::string>() : v.dump();
    }
    if (!f.contains("geometry") || !f["geometry"].is_object()) {
      return Error::InvalidArgument(w, "a zone needs a geometry");
    }
    z.mutable_geometry()->set_encoding(cv1::GEOMETRY_ENCODING_GEOJSON);
    z.mutable_geometry()->set_text(f["geometry"].dump());
    z.mutable_geometry()->set_srid(4490);
    out.push_back(std::move(z));
  }
  return out;
}

Result<SupplySpec> Supply(const json& j, const std::string& where) {
  SupplySpec s;
  NRP_ASSIGN_OR_RETURN(int method, EnumValue(lv1::SupplyMethod_descriptor(), "SUPPLY_METHOD",
                                             Str(j, "method"), where + ".method"));
  s.method = static_cast<lv1::SupplyMethod>(method);
  s.term_years = static_cast<int>(Int(j, "term_years"));
  s.starting_price_yuan = Int(j, "starting_price_yuan");
  s.reserve_price_yuan = Int(j, "reserve_price_yuan");
  s.bid_increment_yuan = Int(j, "bid_increment_yuan");
  s.deposit_yuan = Int(j, "deposit_yuan");
  s.intending_users = static_cast<int>(Int(j, "intending_users", 1));
  s.allocation_catalogue_item = Str(j, "allocation_catalogue_item");
  s.grantor = Str(j, "grantor");
  s.agreed_investment_yuan = Int(j, "agreed_investment_yuan");
  s.agreed_price_yuan = Int(j, "agreed_price_yuan");
  int i = 0;
  if (j.contains("bidders")) {
    for (const auto& b : j["bidders"]) {
      NRP_ASSIGN_OR_RETURN(auto p, Party(b, where + ".bidders[" + std::to_string(i++) + "]"));
      s.bidders.push_back(std::move(p));
    }
  }
  if (j.contains("bids")) {
    for (const auto& b : j["bids"]) {
      if (!b.is_array() || b.size() != 2) {
        return Error::InvalidArgument(where + ".bids", "each bid is [bidder index, yuan]");
      }
      s.bids.push_back({b[0].get<int>(), b[1].get<int64_t>()});
    }
  }
  if (j.contains("agreed_grantee")) {
    NRP_ASSIGN_OR_RETURN(auto p, Party(j["agreed_grantee"], where + ".agreed_grantee"));
    s.agreed_grantee = std::move(p);
  }
  return s;
}

Result<ParcelSpec> Parcel(const json& f, const std::string& where) {
  ParcelSpec p;
  const json& props = f["properties"];
  lv1::Parcel& in = p.input;
  in.set_parcel_code(Str(props, "parcel_code"));
  in.set_region_code(Str(props, "region_code"));
  in.set_name(Str(props, "name"));
  in.set_location(Str(props, "location"));
  in.set_land_use_code(Str(props, "land_use_code"));
  NRP_ASSIGN_OR_RETURN(int use, EnumValue(lv1::LandUse_descriptor(), "LAND_USE",
                                          Str(props, "planned_use"), where + ".planned_use"));
  in.set_planned_use(static_cast<lv1::LandUse>(use));
  NRP_ASSIGN_OR_RETURN(int soil,
                       EnumValue(lv1::SoilPollutionStatus_descriptor(), "SOIL_POLLUTION_STATUS",
                                 Str(props, "soil_status", "CLEAN"), where + ".soil_status"));
  in.set_soil_status(static_cast<lv1::SoilPollutionStatus>(soil));
  in.mutable_soil_survey()->set_title("土壤污染状况调查报告");
  if (props.contains("planning_conditions")) {
    const json& c = props["planning_conditions"];
    auto* pc = in.mutable_planning_conditions();
    pc->set_plot_ratio_min(Num(c, "plot_ratio_min"));
    pc->set_plot_ratio_max(Num(c, "plot_ratio_max"));
    pc->set_building_density_max(Num(c, "building_density_max"));
    pc->set_green_ratio_min(Num(c, "green_ratio_min"));
    pc->set_building_height_max_m(Num(c, "building_height_max_m"));
    pc->mutable_basis()->set_title("规划条件通知书");
  }
  if (!f.contains("geometry") || !f["geometry"].is_object()) {
    return Error::InvalidArgument(where, "a parcel needs a geometry");
  }
  in.mutable_geometry()->set_encoding(cv1::GEOMETRY_ENCODING_GEOJSON);
  in.mutable_geometry()->set_text(f["geometry"].dump());
  in.mutable_geometry()->set_srid(4490);
  NRP_ASSIGN_OR_RETURN(p.story, ParseStory(Str(props, "story"), where + ".story"));
  p.expect_refusal = Str(props, "expect_refusal");
  if (props.contains("supply")) {
    NRP_ASSIGN_OR_RETURN(auto s, Supply(props["supply"], where + ".supply"));
    p.supply = std::move(s);
  }
  NRP_ASSIGN_OR_RETURN(p.registration,
                       ParseCaseTarget(Str(props, "registration"), where + ".registration"));
  return p;
}

// An enum value named in `j[key]`, or 0 when the key is absent.
Result<int> OptionalEnum(const google::protobuf::EnumDescriptor* d, const std::string& prefix,
                         const json& j, const char* key, const std::string& where) {
  if (!j.contains(key)) return 0;
  return EnumValue(d, prefix, Str(j, key), where + "." + key);
}

Result<MineStory> ParseMineStory(const std::string& s, const std::string& where) {
  static const std::map<std::string, MineStory> kStories = {
      {"existing", MineStory::kExisting},
      {"extended", MineStory::kExtended},
      {"lapses", MineStory::kLapses},
      {"on_notice", MineStory::kOnNotice},
      {"overlap_refused", MineStory::kOverlapRefused}};
  auto it = kStories.find(s);
  if (it == kStories.end()) return Error::InvalidArgument(where, "unknown story '" + s + "'");
  return it->second;
}

Result<mv1::ProductionScale> Scale(const json& j, const std::string& where) {
  mv1::ProductionScale out;
  out.set_annual_output(Num(j, "annual_output"));
  NRP_ASSIGN_OR_RETURN(int unit, EnumValue(mv1::OutputUnit_descriptor(), "OUTPUT_UNIT",
                                           Str(j, "unit"), where + ".unit"));
  out.set_unit(static_cast<mv1::OutputUnit>(unit));
  return out;
}

Result<MineSpec> Mine(const json& f, const std::string& where) {
  MineSpec m;
  const json& props = f.contains("properties") ? f["properties"] : json::object();
  m.key = f.contains("id") && f["id"].is_string() ? f["id"].get<std::string>() : "";
  if (m.key.empty()) return Error::InvalidArgument(where + ".id", "a mine needs an id");
  NRP_ASSIGN_OR_RETURN(m.story, ParseMineStory(Str(props, "story"), where + ".story"));
  if (!f.contains("geometry") || !f["geometry"].is_object()) {
    return Error::InvalidArgument(where, "a mine needs a geometry");
  }
  cv1::Geometry geometry;
  geometry.set_encoding(cv1::GEOMETRY_ENCODING_GEOJSON);
  geometry.set_text(f["geometry"].dump());
  geometry.set_srid(4490);
  NRP_ASSIGN_OR_RETURN(int kind, EnumValue(mv1::MiningRightKind_descriptor(), "MINING_RIGHT_KIND",
                                           Str(props, "kind"), where + ".kind"));
  NRP_ASSIGN_OR_RETURN(int method, OptionalEnum(mv1::MiningMethod_descriptor(), "MINING_METHOD",
                                                props, "mining_method", where));
  NRP_ASSIGN_OR_RETURN(int deposit, OptionalEnum(mv1::ScaleClass_descriptor(), "SCALE_CLASS", props,
                                                 "deposit_scale", where));
  if (m.is_right()) {
    mv1::MiningRight& r = m.right;
    r.set_licence_number(Str(props, "licence_number"));
    r.set_kind(static_cast<mv1::MiningRightKind>(kind));
    r.set_region_code(Str(props, "region_code"));
    NRP_ASSIGN_OR_RETURN(*r.mutable_holder(),
                         Party(props.value("holder", json::object()), where + ".holder"));
    r.set_project_name(Str(props, "project_name"));
    r.mutable_main_mineral()->set_code(Str(props, "main_mineral"));
    for (const auto& code : props.value("associated_minerals", json::array())) {
      if (!code.is_string()) {
        return Error::InvalidArgument(where + ".associated_minerals", "are mineral codes");
      }
      r.add_associated_minerals()->set_code(code.get<std::string>());
    }
    *r.mutable_geometry() = geometry;
    r.set_top_elevation_m(Num(props, "top_elevation_m"));
    r.set_bottom_elevation_m(Num(props, "bottom_elevation_m"));
    r.set_mining_method(static_cast<mv1::MiningMethod>(method));
    if (props.contains("production_scale")) {
      NRP_ASSIGN_OR_RETURN(*r.mutable_production_scale(),
                           Scale(props["production_scale"], where + ".production_scale"));
    }
    NRP_ASSIGN_OR_RETURN(int scale, OptionalEnum(mv1::ScaleClass_descriptor(), "SCALE_CLASS", props,
                                                 "scale_class", where));
    r.set_scale_class(static_cast<mv1::ScaleClass>(scale));
    r.set_deposit_scale(static_cast<mv1::ScaleClass>(deposit));
    NRP_ASSIGN_OR_RETURN(int grant, EnumValue(mv1::GrantMethod_descriptor(), "GRANT_METHOD",
                                              Str(props, "grant_method"), where + ".grant_method"));
    r.set_grant_method(static_cast<mv1::GrantMethod>(grant));
    r.set_gas_outburst(Bool(props, "gas_outburst"));
    r.set_extension_count(static_cast<int>(Int(props, "extension_count")));
    const json& duty = props.value("restoration_duty", json::object());
    auto* d = r.mutable_restoration_duty();
    d->set_plan_summary(Str(duty, "plan_summary"));
    if (duty.contains("plan")) *d->mutable_plan() = Doc(duty["plan"]);
    d->mutable_estimated_cost()->set_fen(Int(duty, "estimated_cost_yuan") * 100);
    d->mutable_damaged_area()->set_square_metres(Num(duty, "damaged_area_square_metres"));
    const json& validity = props.value("validity", json::object());
    if (!validity.contains("ends_in_days") || !validity.contains("term_years")) {
      return Error::InvalidArgument(where + ".validity",
                                    "an existing right needs ends_in_days and term_years");
    }
    m.ends_in_days = static_cast<int>(Int(validity, "ends_in_days"));
    m.term_years = static_cast<int>(Int(validity, "term_years"));
    m.extend_years = static_cast<int>(Int(props, "extend_years"));
    for (const auto& doc : props.value("extension_documents", json::array())) {
      m.extension_documents.push_back(Doc(doc));
    }
    return m;
  }
  mv1::GrantOffer& o = m.offer;
  o.set_region_code(Str(props, "region_code"));
  o.set_kind(static_cast<mv1::MiningRightKind>(kind));
  o.set_project_name(Str(props, "project_name"));
  o.mutable_main_mineral()->set_code(Str(props, "main_mineral"));
  *o.mutable_geometry() = geometry;
  o.set_top_elevation_m(Num(props, "top_elevation_m"));
  o.set_bottom_elevation_m(Num(props, "bottom_elevation_m"));
  o.set_mining_method(static_cast<mv1::MiningMethod>(method));
  if (props.contains("planned_scale")) {
    NRP_ASSIGN_OR_RETURN(*o.mutable_planned_scale(),
                         Scale(props["planned_scale"], where + ".planned_scale"));
  }
  o.set_deposit_scale(static_cast<mv1::ScaleClass>(deposit));
  NRP_ASSIGN_OR_RETURN(int grant, EnumValue(mv1::GrantMethod_descriptor(), "GRANT_METHOD",
                                            Str(props, "method"), where + ".method"));
  o.set_method(static_cast<mv1::GrantMethod>(grant));
  o.set_clean_grant(Bool(props, "clean_grant"));
  o.set_term_years(static_cast<int>(Int(props, "term_years")));
  o.mutable_starting_price()->set_fen(Int(props, "starting_price_yuan") * 100);
  o.mutable_reserve_price()->set_fen(Int(props, "reserve_price_yuan") * 100);
  o.mutable_bid_increment()->set_fen(Int(props, "bid_increment_yuan") * 100);
  o.mutable_deposit()->set_fen(Int(props, "deposit_yuan") * 100);
  o.set_restoration_requirements(Str(props, "restoration_requirements"));
  m.notice = Doc(props.value("notice", json::object()));
  int i = 0;
  for (const auto& b : props.value("bidders", json::array())) {
    NRP_ASSIGN_OR_RETURN(auto p, Party(b, where + ".bidders[" + std::to_string(i++) + "]"));
    m.bidders.push_back(std::move(p));
  }
  m.expect_refusal = Str(props, "expect_refusal");
  m.overlaps = Str(props, "overlaps");
  return m;
}

Result<MonitoringPlanSpec> Monitoring(const json& j, const std::string& where) {
  MonitoringPlanSpec m;
  m.plan.set_name(Str(j, "name"));
  m.plan.set_region_code(Str(j, "region_code"));
  m.plan.set_period_start_year(static_cast<int>(Int(j, "period_start_year")));
  m.plan.set_period_end_year(static_cast<int>(Int(j, "period_end_year")));
  m.plan.set_base_year(static_cast<int>(Int(j, "base_year")));
  if (j.contains("document")) *m.plan.mutable_document() = Doc(j["document"]);
  int i = 0;
  for (const auto& d : j.value("indicators", json::array())) {
    std::string w = where + ".indicators[" + std::to_string(i) + "]";
    pv1::Indicator ind;
    ind.set_code(Str(d, "code"));
    ind.set_name(Str(d, "name"));
    ind.set_category(Str(d, "category"));
    ind.set_unit(Str(d, "unit"));
    ind.set_position(++i);
    if (d.contains("base_value")) ind.set_base_value(Num(d, "base_value"));
    NRP_ASSIGN_OR_RETURN(int metric, EnumValue(pv1::ComputedMetric_descriptor(), "COMPUTED_METRIC",
                                               Str(d, "metric"), w + ".metric"));
    ind.set_metric(static_cast<pv1::ComputedMetric>(metric));
    NRP_ASSIGN_OR_RETURN(int nature,
                         EnumValue(pv1::IndicatorNature_descriptor(), "INDICATOR_NATURE",
                                   Str(d, "nature"), w + ".nature"));
    ind.set_nature(static_cast<pv1::IndicatorNature>(nature));
    const json& t = d.value("target", json::object());
    NRP_ASSIGN_OR_RETURN(int cmp, EnumValue(pv1::TargetComparator_descriptor(), "TARGET_COMPARATOR",
                                            Str(t, "comparator"), w + ".target.comparator"));
    ind.mutable_target()->set_comparator(static_cast<pv1::TargetComparator>(cmp));
    ind.mutable_target()->set_value(Num(t, "value"));
    ind.mutable_target()->set_text(Str(t, "text"));
    ind.mutable_target()->set_target_year(m.plan.period_end_year());
    ind.set_source_note("演示监测方案（合成）");
    m.indicators.push_back(std::move(ind));
  }
  for (const auto& r : j.value("stock_reports", json::array())) {
    StockReport s;
    s.indicator_code = Str(r, "indicator_code");
    std::string d = Str(r, "as_of");
    int y = 0, mo = 0, da = 0;
    if (std::sscanf(d.c_str(), "%d-%d-%d", &y, &mo, &da) != 3) {
      return Error::InvalidArgument(where + ".stock_reports", "as_of is YYYY-MM-DD");
    }
    s.as_of.set_year(y);
    s.as_of.set_month(mo);
    s.as_of.set_day(da);
    s.stock_square_metres = Num(r, "stock_area_square_metres");
    s.source_note = Str(r, "source_note");
    m.stock_reports.push_back(std::move(s));
  }
  return m;
}

// A mine's story has what it needs; numbers and keys are unique in the jurisdiction.
void CheckMines(const Jurisdiction& j, std::vector<std::string>* problems) {
  std::set<std::string> keys, numbers;
  for (const auto& m : j.mines) {
    if (m.is_right()) numbers.insert(m.right.licence_number());
  }
  std::set<std::string> seen_numbers;
  for (const auto& m : j.mines) {
    const std::string w = j.name + " mine " + m.key + ": ";
    auto problem = [&](const std::string& what) { problems->push_back(w + what); };
    if (!keys.insert(m.key).second) problem("key used twice");
    const std::string& region = m.is_right() ? m.right.region_code() : m.offer.region_code();
    if (region.size() != 6 || region.compare(0, 2, j.region_code.substr(0, 2)) != 0) {
      problem("the region code lies outside the jurisdiction's province");
    }
    const bool refusal = m.story == MineStory::kOverlapRefused;
    if (refusal != !m.expect_refusal.empty()) {
      problem("a refusal story names the refusal it expects, and only it");
    }
    if (m.is_right()) {
      const std::string& number = m.right.licence_number();
      if (!seen_numbers.insert(number).second) problem("licence number used twice");
      if (number.size() != 23 && number.size() != 18) {
        problem("a licence number has 23 characters (18 for an older exploration number)");
      }
      if (m.term_years < 1) problem("a right needs a term of at least one year");
      if (m.story == MineStory::kLapses && m.ends_in_days != 0) {
        problem("a right that lapses tonight ends on the day of loading (ends_in_days 0)");
      }
      // An extension is applied for at least 30 days before the last day (the legal floor).
      if (m.story == MineStory::kExtended && (m.ends_in_days <= 30 || m.extend_years < 1)) {
        problem("an extended right ends more than 30 days after loading and names extend_years");
      }
      if (m.story == MineStory::kExisting && m.ends_in_days < 1) {
        problem("an existing right is valid after the day of loading");
      }
      continue;
    }
    if (m.offer.starting_price().fen() <= 0 || m.offer.term_years() < 1) {
      problem("an offer needs its starting price and term");
    }
    if (m.story == MineStory::kOnNotice && m.bidders.empty()) {
      problem("an offer on notice needs a bidder");
    }
    if (refusal && !numbers.count(m.overlaps)) {
      problem("overlaps names no right of the jurisdiction's data");
    }
  }
}

}  // namespace

const char* StoryName(Story s) {
  switch (s) {
    case Story::kReserveRefused:
      return "reserve refused";
    case Story::kOfferRefused:
      return "notice refused";
    case Story::kOnNotice:
      return "on notice";
    case Story::kSigned:
      return "contract signed";
    case Story::kPartlyPaid:
      return "first instalment paid";
    case Story::kDelivered:
      return "delivered";
  }
  return "?";
}

const char* MineStoryName(MineStory s) {
  switch (s) {
    case MineStory::kExisting:
      return "entered as the register holds it";
    case MineStory::kExtended:
      return "entered and extended";
    case MineStory::kLapses:
      return "entered on its last day, lapses at midnight";
    case MineStory::kOnNotice:
      return "listing on notice";
    case MineStory::kOverlapRefused:
      return "offer refused over a valid right";
  }
  return "?";
}

bool MineSpec::is_right() const {
  return story == MineStory::kExisting || story == MineStory::kExtended ||
         story == MineStory::kLapses;
}

Validity ValidityOn(const MineSpec& mine, Date today) {
  Validity v;
  v.to = today.AddDays(mine.ends_in_days);
  // term_years back from the day after the last day: first + term_years years is that day (or
  // the last day itself where 29 February gives way to 28), never before the last day, and
  // first + (term_years - 1) years is a year before it.
  v.from = v.to.AddDays(1).AddYears(-mine.term_years);
  return v;
}

bool SupplySpec::competitive() const {
  return method == lv1::SUPPLY_METHOD_LISTING || method == lv1::SUPPLY_METHOD_AUCTION ||
         method == lv1::SUPPLY_METHOD_TENDER;
}

Result<DemoData> LoadDemoData(const std::string& dir) {
  NRP_ASSIGN_OR_RETURN(json manifest, ReadJson(dir + "/demo.json"));
  DemoData data;
  int ji = 0;
  for (const auto& jj : manifest.value("jurisdictions", json::array())) {
    std::string where = "demo.json.jurisdictions[" + std::to_string(ji++) + "]";
    Jurisdiction j;
    j.region_code = Str(jj, "region_code");
    j.name = Str(jj, "name");
    j.reference_plan_id = Str(jj, "reference_plan_id");
    for (const auto& lj : jj.value("layers", json::array())) {
      LayerSpec l;
      std::string kind = Str(lj, "kind");
      NRP_ASSIGN_OR_RETURN(int k, EnumValue(
                                      cv1::ZoneLayerKind_descriptor(), "ZONE_LAYER_KIND",
                                      [&] {
                                        std::string up;
                                        for (char c : kind)
                                          up += static_cast<char>(std::toupper(c));
                                        return up;
                                      }(),
                                      where + ".layers.kind"));
      l.kind = static_cast<cv1::ZoneLayerKind>(k);
      l.slug = kind;
      for (char& c : l.slug) {
        if (c == '_') c = '-';
      }
      l.name = Str(lj, "name");
      for (const auto& vj : lj.value("versions", json::array())) {
        LayerVersionSpec v;
        v.file = Str(vj, "file");
        v.note = Str(vj, "note");
        v.approval = Doc(vj.value("approval", json::object()));
        NRP_ASSIGN_OR_RETURN(json fc, ReadJson(dir + "/" + v.file));
        NRP_ASSIGN_OR_RETURN(v.zones, Zones(fc, v.file));
        l.versions.push_back(std::move(v));
      }
      j.layers.push_back(std::move(l));
    }
    std::string parcels_file = Str(jj, "parcels");
    if (!parcels_file.empty()) {
      NRP_ASSIGN_OR_RETURN(json fc, ReadJson(dir + "/" + parcels_file));
      int pi = 0;
      for (const auto& f : fc.value("features", json::array())) {
        NRP_ASSIGN_OR_RETURN(auto p,
                             Parcel(f, parcels_file + ".features[" + std::to_string(pi++) + "]"));
        j.parcels.push_back(std::move(p));
      }
    }
    for (const auto& bj : jj.value("batches", json::array())) {
      BatchSpec b;
      b.name = Str(bj, "name");
      b.region_code = Str(bj, "region_code");
      b.year = static_cast<int>(Int(bj, "year"));
      for (const auto& c : bj.value("parcels", json::array()))
        b.parcel_codes.push_back(c.get<std::string>());
      b.agricultural_share = Num(bj, "agricultural_share");
      b.approval = Doc(bj.value("approval", json::object()));
      b.expropriation = Doc(bj.value("expropriation", json::object()));
      j.batches.push_back(std::move(b));
    }
    std::string mines_file = Str(jj, "mines");
    if (!mines_file.empty()) {
      NRP_ASSIGN_OR_RETURN(json fc, ReadJson(dir + "/" + mines_file));
      int mi = 0;
      for (const auto& f : fc.value("features", json::array())) {
        NRP_ASSIGN_OR_RETURN(auto m,
                             Mine(f, mines_file + ".features[" + std::to_string(mi++) + "]"));
        j.mines.push_back(std::move(m));
      }
    }
    if (jj.contains("monitoring_plan")) {
      NRP_ASSIGN_OR_RETURN(auto m, Monitoring(jj["monitoring_plan"], where + ".monitoring_plan"));
      j.monitoring = std::move(m);
    }
    data.jurisdictions.push_back(std::move(j));
  }
  if (data.jurisdictions.empty()) {
    return Error::InvalidArgument(dir + "/demo.json", "names no jurisdiction");
  }
  return data;
}

std::vector<std::string> CheckDemoData(const DemoData& data) {
  std::vector<std::string> problems;
  std::set<std::string> codes;
  for (const auto& j : data.jurisdictions) {
    std::set<std::string> here;
    for (const auto& p : j.parcels) {
      const std::string& code = p.input.parcel_code();
      const std::string w = j.name + " " + code + ": ";
      if (!codes.insert(code).second) problems.push_back(w + "parcel code used twice");
      here.insert(code);
      if (code.size() != 19 || code.compare(0, 6, p.input.region_code()) != 0) {
        problems.push_back(w + "a parcel code is 19 characters starting with the region code");
      }
      if (p.input.region_code().compare(0, 2, j.region_code.substr(0, 2)) != 0) {
        problems.push_back(w + "lies outside the jurisdiction's province");
      }
      bool refusal = p.story == Story::kReserveRefused || p.story == Story::kOfferRefused;
      if (refusal != !p.expect_refusal.empty()) {
        problems.push_back(w + "a refusal story names the refusal it expects, and only it");
      }
      bool sold = p.story == Story::kSigned || p.story == Story::kPartlyPaid ||
                  p.story == Story::kDelivered;
      if ((sold || p.story == Story::kOnNotice || p.story == Story::kOfferRefused) && !p.supply) {
        problems.push_back(w + "the story needs a supply");
      }
      if (p.registration != CaseTarget::kNone && p.story != Story::kDelivered) {
        problems.push_back(w + "only a delivered parcel is registered");
      }
      if (!p.supply || !sold) continue;
      const SupplySpec& s = *p.supply;
      if (s.competitive()) {
        if (s.bids.empty()) problems.push_back(w + "a sale by competition needs bids");
        int64_t last = 0;
        for (size_t i = 0; i < s.bids.size(); ++i) {
          const BidSpec& b = s.bids[i];
          if (b.bidder < 0 || b.bidder >= static_cast<int>(s.bidders.size())) {
            problems.push_back(w + "bid " + std::to_string(i) + " names no bidder");
          }
          int64_t minimum = i == 0 ? s.starting_price_yuan : last + s.bid_increment_yuan;
          if (b.yuan < minimum) {
            problems.push_back(w + "bid " + std::to_string(i) + " is below " +
                               std::to_string(minimum));
          }
          last = b.yuan;
        }
        if (last < s.reserve_price_yuan)
          problems.push_back(w + "the highest bid misses the reserve");
      } else if (!s.agreed_grantee || s.agreed_price_yuan < s.reserve_price_yuan) {
        problems.push_back(w + "an agreed supply needs the grantee and a price at the reserve");
      }
    }
    for (const auto& b : j.batches) {
      for (const auto& c : b.parcel_codes) {
        if (!here.count(c)) problems.push_back(j.name + " batch " + b.name + ": no parcel " + c);
      }
    }
    CheckMines(j, &problems);
    if (j.monitoring) {
      for (const auto& r : j.monitoring->stock_reports) {
        bool found = false;
        for (const auto& i : j.monitoring->indicators)
          found = found || i.code() == r.indicator_code;
        if (!found)
          problems.push_back(j.name + ": stock report of unknown indicator " + r.indicator_code);
      }
    }
  }
  return problems;
}

}  // namespace nrp::demo
