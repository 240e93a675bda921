// nrp-planning-import: streams a GeoJSON file of zones into a zone layer of
// the planning service, opening a draft version unless one is named, and
// publishes it on request.
//
//   nrp-planning-import --target=127.0.0.1:50055
//       --layer=410300-ecological-red-line [--version=N] [--publish] zones.geojson
//   nrp-planning-import --kind=ecological_red_line --region=410300 --name=洛阳市生态保护红线 ...
//       creates the layer first when it does not exist yet
//
// The bearer token comes from NRP_CLIENT_TOKEN_FILE (TLS settings: NRP_CLIENT_*).
// Exit status: 0 imported (and published), 1 refused or failed, 2 usage.
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "client/geojson_import.h"
#include "nrp/core/config.h"
#include "nrp/core/uuid.h"
#include "nrp/rpc/client.h"
#include "nrp/rpc/errors.h"

namespace {

namespace v1 = nrp::planning::v1;

int Fail(const std::string& what, const grpc::Status& st) {
  std::cerr << what << ": " << st.error_message() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string target = "127.0.0.1:50055", layer, file, kind_name, region, name;
  int64_t version = 0;
  bool publish = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--target=", 0) == 0)
      target = a.substr(9);
    else if (a.rfind("--layer=", 0) == 0)
      layer = a.substr(8);
    else if (a.rfind("--version=", 0) == 0)
      version = std::atoll(a.c_str() + 10);
    else if (a == "--publish")
      publish = true;
    else if (a.rfind("--kind=", 0) == 0)
      kind_name = a.substr(7);
    else if (a.rfind("--region=", 0) == 0)
      region = a.substr(9);
    else if (a.rfind("--name=", 0) == 0)
      name = a.substr(7);
    else if (a.rfind("--", 0) != 0 && file.empty())
      file = a;
    else {
      std::cerr << "unknown argument " << a << "\n";
      return 2;
    }
  }
  std::optional<nrp::planning::LayerKind> kind;
  for (nrp::planning::LayerKind k : nrp::planning::kAllLayerKinds) {
    if (kind_name == nrp::planning::Name(k)) kind = k;
  }
  if (!kind_name.empty() && (!kind || region.empty())) {
    std::cerr
        << "--kind must name a layer kind (permanent_basic_farmland, ecological_red_line, "
           "urban_development_boundary, protected_area, mineral_planning, cultivated_land) and "
           "comes with --region\n";
    return 2;
  }
  if ((layer.empty() && !kind) || file.empty()) {
    std::cerr << "usage: nrp-planning-import --target=HOST:PORT (--layer=LAYER_ID | --kind=KIND "
                 "--region=CODE "
                 "[--name=NAME]) [--version=N] [--publish] FILE\n";
    return 2;
  }
  nrp::Env env;
  auto options = nrp::rpc::ChannelOptions::FromEnv(env, target);
  if (auto st = env.Check(); !st.ok() || !options.ok()) {
    std::cerr << (st.ok() ? options.error().message() : st.error().message()) << "\n";
    return 2;
  }
  options->max_message_bytes = 16 << 20;
  auto stub = v1::PlanningService::NewStub(nrp::rpc::MakeChannel(*options));
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << file << "\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();

  v1::ZoneLayer zone_layer;
  if (kind) {
    grpc::ClientContext ctx;
    v1::CreateZoneLayerRequest req;
    req.set_request_id(nrp::NewUuidV4());
    req.mutable_layer()->set_kind(
        static_cast<nrp::common::v1::ZoneLayerKind>(static_cast<int>(*kind)));
    req.mutable_layer()->set_region_code(region);
    req.mutable_layer()->set_name(name.empty() ? region + " " + kind_name : name);
    auto st = stub->CreateZoneLayer(&ctx, req, &zone_layer);
    if (!st.ok() && st.error_code() != grpc::StatusCode::ALREADY_EXISTS)
      return Fail("new layer", st);
    if (st.ok()) layer = zone_layer.layer_id();
    if (layer.empty()) {
      std::string k(nrp::planning::Name(*kind));
      for (char& c : k) c = c == '_' ? '-' : c;
      layer = region + "-" + k;
    }
  }
  {
    grpc::ClientContext ctx;
    v1::GetZoneLayerRequest req;
    req.set_layer_id(layer);
    if (auto st = stub->GetZoneLayer(&ctx, req, &zone_layer); !st.ok()) return Fail("layer", st);
  }
  if (version == 0) {
    grpc::ClientContext ctx;
    v1::CreateLayerVersionRequest req;
    req.set_request_id(nrp::NewUuidV4());
    req.set_layer_id(layer);
    req.set_note("imported from " + file);
    v1::LayerVersion v;
    if (auto st = stub->CreateLayerVersion(&ctx, req, &v); !st.ok()) return Fail("new version", st);
    version = v.version();
  }
  nrp::planning::client::GeoJsonImport import;
  import.layer_id = layer;
  import.version = version;
  import.kind = static_cast<nrp::planning::LayerKind>(static_cast<int>(zone_layer.kind()));
  import.request_id = nrp::NewUuidV4();
  grpc::ClientContext ctx;
  auto result = nrp::planning::client::ImportGeoJson(*stub, &ctx, import, text.str());
  if (!result.ok()) {
    std::cerr << result.error().ToString() << "\n";
    for (const auto& f : result.error().field_violations())
      std::cerr << "  " << f.field << ": " << f.description << "\n";
    return 1;
  }
  std::cout << "layer " << layer << " version " << version << ": " << result->zones_accepted()
            << " of " << result->zones_received() << " zones accepted, " << result->zone_count()
            << " in the draft\n";
  for (const auto& r : result->rejections()) std::cout << "  refused " << r.reason() << "\n";
  if (result->rejections_size() > 0) return 1;
  if (publish) {
    grpc::ClientContext pctx;
    v1::PublishLayerVersionRequest req;
    req.set_request_id(nrp::NewUuidV4());
    req.set_layer_id(layer);
    req.set_version(version);
    v1::LayerVersion v;
    if (auto st = stub->PublishLayerVersion(&pctx, req, &v); !st.ok()) return Fail("publish", st);
    std::cout << "published version " << v.version() << ": " << v.zone_count()
              << " zones, checksum " << v.checksum() << "\n";
  }
  return 0;
}
