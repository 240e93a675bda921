#include "app/registration_app.h"

#include "domain/natural_resource_unit.h"
#include "nrp/core/log.h"
#include "nrp/core/uuid.h"
#include "nrp/service/publish.h"
#include "store/store.h"

namespace nrp::registration {

RegistrationApp::RegistrationApp(service::Runtime& rt, RegistrationConfig config)
    : rt_(rt), config_(std::move(config)) {}

FlowContext RegistrationApp::Flow() const {
  return FlowContext{rt_.clock().Now(), rt_.Calendar(), &config_.limits};
}

Status RegistrationApp::PublishAll(pqxx::dbtransaction& tx, const DomainEvents& events) const {
  for (const auto& e : events) {
    NRP_RETURN_IF_ERROR(service::Publish(rt_, tx, *e.payload, e.region_code));
  }
  return Ok();
}

Result<v1::RegistrationCase> RegistrationApp::OpenCase(pqxx::work& tx,
                                                       const Application& application) const {
  const v1::RegistrationCase& app = application.get();
  NRP_ASSIGN_OR_RETURN(auto unit, store::GetUnit(tx, app.unit_code()));
  if (!unit) {
    return Error::NotFound("unit " + app.unit_code() +
                           " not found; create it with CreateRealEstateUnit first");
  }
  const FlowContext flow = Flow();
  const int year = ChinaDate(flow.now).year();
  NRP_ASSIGN_OR_RETURN(
      int64_t seq, store::NextValue(tx, "case:" + app.region_code() + ":" + std::to_string(year)));
  CaseTransition t =
      Submit(application, NewUuidV7(), FormatCaseNumber(app.region_code(), year, seq), flow);
  NRP_RETURN_IF_ERROR(store::InsertCase(tx, t.next));
  NRP_RETURN_IF_ERROR(PublishAll(tx, t.events));
  return t.next;
}

Result<v1::NaturalResourceUnit> RegistrationApp::RefreshZoneControls(
    pqxx::work& tx, v1::NaturalResourceUnit unit) const {
  NRP_ASSIGN_OR_RETURN(auto zones, store::OverlappingZones(tx, unit.unit_id()));
  AttachZoneControls(&unit, zones);
  return unit;
}

Status RegistrationApp::OnZoneLayerSwitched(pqxx::work& tx,
                                            const zones::SwitchedLayer& layer) const {
  NRP_ASSIGN_OR_RETURN(auto drafts, store::DraftUnitsTouchingLayer(tx, layer.layer_id));
  for (const auto& id : drafts) {
    NRP_ASSIGN_OR_RETURN(auto unit, store::GetNaturalResourceUnit(tx, id, /*for_update=*/true));
    if (!unit) continue;
    NRP_ASSIGN_OR_RETURN(auto refreshed, RefreshZoneControls(tx, std::move(*unit)));
    NRP_RETURN_IF_ERROR(store::UpdateNaturalResourceUnit(tx, std::move(refreshed), false));
  }
  log::Info("draft units refreshed from the zone layer",
            {{"layer_id", layer.layer_id},
             {"version", static_cast<int64_t>(layer.version)},
             {"draft_units_refreshed", static_cast<int64_t>(drafts.size())}});
  return Ok();
}

}  // namespace nrp::registration
