// The use cases of registration that more than one entry point runs: opening a case (a
// SubmitCase call, or land supply's delivery of a contract), publishing a transition's
// events, the zone controls of natural-resource units, the overdue pass and the recount of
// deadlines after a calendar change. The gRPC handlers (api/) and the consumers and jobs
// (events/, the wiring) call it; it knows neither gRPC nor the consumer.
#pragma once

#include <optional>
#include <string>

#include "config.h"
#include "domain/case_flow.h"
#include "domain/events.h"
#include "nrp/land_supply/v1/events.pb.h"
#include "nrp/registration/v1/resources.pb.h"
#include "nrp/service/deadlines.h"
#include "nrp/service/runtime.h"
#include "nrp/zones/replica.h"

namespace nrp::registration {

class RegistrationApp {
 public:
  RegistrationApp(service::Runtime& rt, RegistrationConfig config);

  service::Runtime& runtime() const { return rt_; }
  const RegistrationConfig& config() const { return config_; }
  // The clock's now, the calendar in force and the time limits, for one operation.
  FlowContext Flow() const;

  // Publishes a transition's events through the outbox inside `tx`, in the trace context in
  // force (the call's, or the event's being consumed).
  Status PublishAll(pqxx::dbtransaction& tx, const DomainEvents& events) const;

  // Opens a case from a validated application inside `tx`: the acceptance number drawn, the
  // case stored, CaseSubmitted published. NOT_FOUND when the unit does not exist.
  Result<v1::RegistrationCase> OpenCase(pqxx::work& tx, const Application& application) const;

  // First registration of the state construction-land use right for the grantee of a
  // delivered contract (地证同交), prefilled from it: the parcel's unit set up when it is new,
  // the case opened. One case per contract: nullopt when the contract has one already.
  // INVALID_ARGUMENT when the delivery cannot make a case (no contract id, no parcel code).
  Result<std::optional<v1::RegistrationCase>> OpenDeliveredLandCase(
      pqxx::work& tx, const land_supply::v1::LandDelivered& delivery) const;

  // The unit with the public control requirements of the zones it overlaps today.
  Result<v1::NaturalResourceUnit> RefreshZoneControls(pqxx::work& tx,
                                                      v1::NaturalResourceUnit unit) const;
  // A zone layer version came into force in the replica: the region's draft units get the
  // controls of the zones they now overlap, in the switch's transaction.
  Status OnZoneLayerSwitched(pqxx::work& tx, const zones::SwitchedLayer& layer) const;

  // One pass of the overdue scheduler (超期): open cases past their due date are flagged and
  // raise CaseOverdue once (SKIP LOCKED: replicas never raise one twice). Returns how many.
  Result<int> RaiseOverdueCases() const;

  // A calendar change recounted a case's deadline or a unit's notice end (the runtime's
  // Deadlines): the record updated and its event published. False when nothing changed.
  Result<bool> ApplyCaseDeadline(pqxx::work& tx, const service::DeadlineChange& change) const;
  Result<bool> ApplyUnitNotice(pqxx::work& tx, const service::DeadlineChange& change) const;

 private:
  service::Runtime& rt_;
  RegistrationConfig config_;
};

}  // namespace nrp::registration
