// Client side of a GeoJSON import: reads a FeatureCollection (or one Feature,
// or an array of Features), checks every feature cheaply (ids, levels,
// coordinates; see domain/layer_import.h) and streams the zones into a draft
// version through ImportZones, in messages of at most `max_message_bytes`.
// Used by the nrp-planning-import tool and the tests.
#pragma once

#include <string>
#include <string_view>

#include "domain/zone.h"
#include "nrp/core/status.h"
#include "nrp/planning/v1/planning.grpc.pb.h"

namespace nrp::planning::client {

struct GeoJsonImport {
  std::string layer_id;
  int64_t version = 0;
  LayerKind kind = LayerKind::kPermanentBasicFarmland;
  std::string request_id;  // the import's idempotency key
  size_t max_message_bytes = 3 << 20;
};

// INVALID_ARGUMENT naming the features a local check refuses (nothing is
// sent then); otherwise the service's response (which lists the zones it
// refused) or the call's error.
Result<v1::ImportZonesResponse> ImportGeoJson(v1::PlanningService::StubInterface& stub,
                                              grpc::ClientContext* context,
                                              const GeoJsonImport& import,
                                              std::string_view geojson);

}  // namespace nrp::planning::client
