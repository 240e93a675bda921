#include "events/subscriptions.h"

#include "nrp/events/handler.h"
#include "nrp/events/topics.h"
#include "nrp/mining_rights/v1/events.pb.h"
#include "nrp/service/wire_time.h"
#include "nrp/zones/replica.h"

namespace nrp::restoration {

namespace {

namespace mr = ::nrp::mining_rights::v1;

constexpr char kMineClosed[] = "nrp.mining_rights.mine_closed.v1";
constexpr char kRightCancelled[] = "nrp.mining_rights.right_cancelled.v1";
constexpr char kRightExpired[] = "nrp.mining_rights.right_expired.v1";

// The fields every ending event shares.
template <class M>
MineEnded EndedOf(const M& m, const events::CloudEvent& e, const char* type) {
  MineEnded x;
  x.event_id = e.id;
  x.ce_type = type;
  x.right_id = m.right_id();
  x.region_code = m.region_code();
  x.licence_number = m.licence_number();
  x.holder = m.holder();
  x.geometry = m.geometry();
  x.duty = m.restoration_duty();
  x.duty_fulfilled = m.restoration_duty_fulfilled();
  return x;
}

}  // namespace

void Subscribe(service::Runtime& rt, RestorationApp& app) {
  zones::Replica(rt.clock()).Subscribe(rt);
  using events::kMiningRightsTopic;
  using events::Typed;
  rt.Subscribe(kMiningRightsTopic, "nrp.mining_rights.right_granted.v1",
               Typed<mr::RightGranted>([&app](pqxx::work& tx, const mr::RightGranted& m,
                                              const events::CloudEvent&) {
                 return app.OnRightRegistered(tx, m.right());
               }));
  rt.Subscribe(kMiningRightsTopic, "nrp.mining_rights.right_split.v1",
               Typed<mr::RightSplit>(
                   [&app](pqxx::work& tx, const mr::RightSplit& m, const events::CloudEvent&) -> Status {
                     for (const auto& part : m.parts()) {
                       NRP_RETURN_IF_ERROR(app.OnRightRegistered(tx, part));
                     }
                     return Ok();
                   }));
  rt.Subscribe(kMiningRightsTopic, "nrp.mining_rights.rights_merged.v1",
               Typed<mr::RightsMerged>([&app](pqxx::work& tx, const mr::RightsMerged& m,
                                              const events::CloudEvent&) {
                 return app.OnRightRegistered(tx, m.right());
               }));
  rt.Subscribe(kMiningRightsTopic, "nrp.mining_rights.right_transferred.v1",
               Typed<mr::RightTransferred>([&app](pqxx::work& tx, const mr::RightTransferred& m,
                                                  const events::CloudEvent&) {
                 return app.OnRightTransferred(tx, m.right_id(), m.holder());
               }));
  rt.Subscribe(kMiningRightsTopic, kMineClosed,
               Typed<mr::MineClosed>([&app](pqxx::work& tx, const mr::MineClosed& m,
                                            const events::CloudEvent& e) -> Status {
                 MineEnded x = EndedOf(m, e, kMineClosed);
                 NRP_ASSIGN_OR_RETURN(x.ended_on, service::DateOf(m.closed_on(), "closed_on"));
                 return app.OnMineEnded(tx, x);
               }));
  rt.Subscribe(kMiningRightsTopic, kRightCancelled,
               Typed<mr::RightCancelled>([&app](pqxx::work& tx, const mr::RightCancelled& m,
                                                const events::CloudEvent& e) -> Status {
                 MineEnded x = EndedOf(m, e, kRightCancelled);
                 x.ended_on = ChinaCivilDate(service::FromTimestamp(m.cancelled_at()));
                 return app.OnMineEnded(tx, x);
               }));
  rt.Subscribe(kMiningRightsTopic, kRightExpired,
               Typed<mr::RightExpired>([&app](pqxx::work& tx, const mr::RightExpired& m,
                                              const events::CloudEvent& e) -> Status {
                 MineEnded x = EndedOf(m, e, kRightExpired);
                 NRP_ASSIGN_OR_RETURN(x.ended_on, service::DateOf(m.valid_to(), "valid_to"));
                 return app.OnMineEnded(tx, x);
               }));
}

}  // namespace nrp::restoration
