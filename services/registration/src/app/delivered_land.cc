// Land supply's delivery (交地) opens the first registration of the state construction-land
// use right for the grantee, prefilled from the contract (地证同交).
#include "app/registration_app.h"
#include "domain/real_estate_unit.h"
#include "domain/unit_code.h"
#include "nrp/core/log.h"
#include "store/store.h"

namespace nrp::registration {

namespace lpb = nrp::land_supply::v1;

namespace {

std::string AcquisitionBasis(const lpb::LandDelivered& d) {
  std::string how;
  switch (d.method()) {
    case lpb::SUPPLY_METHOD_ALLOCATION:
      how = "划拨";
      break;
    case lpb::SUPPLY_METHOD_NEGOTIATED:
      how = "协议出让";
      break;
    case lpb::SUPPLY_METHOD_TENDER:
      how = "招标出让";
      break;
    case lpb::SUPPLY_METHOD_AUCTION:
      how = "拍卖出让";
      break;
    case lpb::SUPPLY_METHOD_LISTING:
      how = "挂牌出让";
      break;
    case lpb::SUPPLY_METHOD_LEASE:
      how = "租赁";
      break;
    default:
      how = "出让";
      break;
  }
  return how + "，合同 " + d.contract_number();
}

std::string Purpose(const lpb::LandDelivered& d) {
  std::string use = lpb::LandUse_Name(d.land_use());
  const std::string prefix = "LAND_USE_";
  if (use.rfind(prefix, 0) == 0) use = use.substr(prefix.size());
  return d.land_use_code().empty() ? use : d.land_use_code() + " " + use;
}

}  // namespace

Result<std::optional<v1::RegistrationCase>> RegistrationApp::OpenDeliveredLandCase(
    pqxx::work& tx, const lpb::LandDelivered& d) const {
  if (d.contract_id().empty()) {
    return Error::InvalidArgument("contract_id", "LandDelivered without contract_id");
  }
  NRP_ASSIGN_OR_RETURN(
      auto existing, store::FindInterAgencyCase(tx, v1::REGISTRATION_KIND_FIRST, d.contract_id()));
  if (existing) return std::optional<v1::RegistrationCase>();
  if (d.parcel_code().empty()) {
    return Error::InvalidArgument(
        "parcel_code", "LandDelivered of contract " + d.contract_id() +
                           " carries no parcel code (宗地代码); a real-estate unit cannot be set "
                           "up without it");
  }
  // The parcel without fixtures: parcel code + fixture code W + 00000000.
  NRP_ASSIGN_OR_RETURN(UnitCode code,
                       UnitCode::Parse(d.parcel_code() + "W00000000", "parcel_code"));
  NRP_ASSIGN_OR_RETURN(auto unit, store::GetUnit(tx, code.str(), /*for_update=*/true));
  if (!unit) {
    v1::RealEstateUnit input;
    input.set_unit_code(code.str());
    input.set_location(d.location().empty() ? d.contract_number() : d.location());
    *input.mutable_geometry() = d.geometry();
    if (d.has_area()) *input.mutable_land_area() = d.area();
    input.set_land_use_code(d.land_use_code());
    input.set_source_parcel_id(d.parcel_id());
    NRP_ASSIGN_OR_RETURN(auto fresh, NewRealEstateUnit(input, rt_.clock().Now()));
    NRP_RETURN_IF_ERROR(store::InsertUnit(tx, std::move(fresh)));
  }
  v1::RegistrationCase app;
  app.set_region_code(d.region_code());
  app.set_kind(v1::REGISTRATION_KIND_FIRST);
  app.set_right_kind(v1::RIGHT_KIND_STATE_CONSTRUCTION_LAND_USE);
  app.set_unit_code(code.str());
  v1::Applicant* a = app.add_applicants();
  *a->mutable_party() = d.grantee();
  a->set_role(v1::APPLICANT_ROLE_RIGHT_HOLDER);
  v1::Right* r = app.mutable_proposed_right();
  r->set_right_kind(v1::RIGHT_KIND_STATE_CONSTRUCTION_LAND_USE);
  *r->add_holders()->mutable_party() = d.grantee();
  r->set_co_ownership(v1::CO_OWNERSHIP_SOLE);
  r->set_purpose(Purpose(d));
  r->set_acquisition_basis(AcquisitionBasis(d));
  if (d.has_term_start() && d.has_term_end() && d.term_years() > 0) {
    *r->mutable_term_start() = d.term_start();
    *r->mutable_term_end() = d.term_end();
  }
  if (d.has_area()) *r->mutable_area() = d.area();
  if (d.has_price()) *r->mutable_price() = d.price();
  for (const auto* doc : {&d.contract_document(), &d.handover_record()}) {
    if (!doc->title().empty()) *app.add_documents() = *doc;
  }
  app.set_channel(v1::SUBMISSION_CHANNEL_INTER_AGENCY);
  app.set_source_reference(d.contract_id());
  NRP_ASSIGN_OR_RETURN(Application valid, Application::Validate(app));
  NRP_ASSIGN_OR_RETURN(auto opened, OpenCase(tx, valid));
  log::Info("first registration opened from land delivery", {{"case_id", opened.case_id()},
                                                             {"contract_id", d.contract_id()},
                                                             {"unit_code", opened.unit_code()}});
  return std::optional<v1::RegistrationCase>(std::move(opened));
}

}  // namespace nrp::registration
