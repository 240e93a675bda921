// Handlers of other services' events (idempotent: the consumer's inbox row
// and these effects commit in one transaction).
//
// Planning's zone layers (nrp.planning.events.v1) feed the local PostGIS
// replica the spatial gate reads: ZonePublished and ZoneWithdrawn of a
// version are staged; the LayerVersionPublished marker, once the staged zone
// count, withdrawal count and checksum agree with it, makes the version
// current in one transaction. A version older than the current one changes
// nothing; a marker whose figures do not agree goes to the dead-letter topic
// (events were lost: planning re-publishes the version).
//
// Restoration's acceptance (nrp.restoration.events.v1 ProjectAccepted) credits
// the ledgers: new cultivated land → a compensation credit (占补平衡),
// reclaimed rural construction land → a linkage quota (增减挂钩).
#pragma once

#include "api/land_supply_api.h"
#include "nrp/events/consumer.h"

namespace nrp::land_supply {

class EventHandlers {
 public:
  explicit EventHandlers(Deps deps) : d_(deps) {}

  events::HandlerResult OnZonePublished(pqxx::work& tx, const events::CloudEvent& e);
  events::HandlerResult OnZoneWithdrawn(pqxx::work& tx, const events::CloudEvent& e);
  events::HandlerResult OnLayerVersionPublished(pqxx::work& tx, const events::CloudEvent& e);
  events::HandlerResult OnProjectAccepted(pqxx::work& tx, const events::CloudEvent& e);

  // Registers the handlers with the runtime's consumer.
  void Subscribe(service::Runtime& rt);

 private:
  Deps d_;
};

// SHA-256 of a zone as planning defines zone_digest (planning events.proto).
std::string ZoneDigest(const std::string& zone_id, int control_level, int srid, int encoding,
                       const std::string& geometry_text,
                       const std::map<std::string, std::string>& attributes);

}  // namespace nrp::land_supply
