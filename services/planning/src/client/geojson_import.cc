#include "client/geojson_import.h"

#include "domain/layer_import.h"
#include "nrp/rpc/errors.h"

namespace nrp::planning::client {

Result<v1::ImportZonesResponse> ImportGeoJson(v1::PlanningService::StubInterface& stub,
                                              grpc::ClientContext* context,
                                              const GeoJsonImport& import,
                                              std::string_view geojson) {
  NRP_ASSIGN_OR_RETURN(auto features, ParseFeatures(geojson, 0, import.kind));
  if (features.empty()) return Error::InvalidArgument("geojson", "holds no feature");
  v1::ImportZonesResponse response;
  auto writer = stub.ImportZones(context, &response);
  v1::ImportZonesRequest msg;
  bool first = true;
  auto flush = [&]() -> Status {
    if (msg.zones_size() == 0) return Ok();
    if (first) msg.set_request_id(import.request_id);
    first = false;
    if (!writer->Write(msg)) return Error::Unavailable("the stream closed while sending zones");
    msg.Clear();
    return Ok();
  };
  for (const ZoneFeature& f : features) {
    if (msg.zones_size() == 0) {
      msg.set_layer_id(import.layer_id);
      msg.set_version(import.version);
    }
    auto* z = msg.add_zones();
    z->set_zone_id(f.code);
    z->set_name(f.name);
    z->set_control_level(static_cast<nrp::common::v1::ZoneControlLevel>(static_cast<int>(f.level)));
    z->mutable_geometry()->set_encoding(nrp::common::v1::GEOMETRY_ENCODING_GEOJSON);
    z->mutable_geometry()->set_text(f.geometry_json);
    z->mutable_geometry()->set_srid(4490);
    for (const auto& [k, v] : f.attributes) (*z->mutable_attributes())[k] = v;
    if (msg.ByteSizeLong() >= import.max_message_bytes) NRP_RETURN_IF_ERROR(flush());
  }
  NRP_RETURN_IF_ERROR(flush());
  writer->WritesDone();
  grpc::Status st = writer->Finish();
  if (!st.ok()) {
    auto err = rpc::FromGrpcStatus(st);
    return err.ok() ? Error(Code::kUnknown, "import failed") : err.error();
  }
  return response;
}

}  // namespace nrp::planning::client
