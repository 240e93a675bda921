// nrpctl's entry function against a real gRPC server on loopback: slivers of
// the planning and restoration contracts with canned replies (this tests the
// client, not the services) and grpc.health.v1 from the rpc chassis.
#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nrp/core/uuid.h"
#include "nrp/nrpctl/call.h"
#include "nrp/nrpctl/cli.h"
#include "nrp/planning/v1/planning.grpc.pb.h"
#include "nrp/restoration/v1/restoration.grpc.pb.h"
#include "nrp/rpc/errors.h"
#include "nrp/rpc/health.h"
#include "nrp/testing/infra.h"

namespace nrp::nrpctl {
namespace {

namespace planning = nrp::planning::v1;
namespace restoration = nrp::restoration::v1;
namespace common = nrp::common::v1;

class FakePlanning final : public planning::PlanningService::Service {
 public:
  grpc::Status GetZoneLayer(grpc::ServerContext* context,
                            const planning::GetZoneLayerRequest* request,
                            planning::ZoneLayer* response) override {
    auto auth = context->client_metadata().find("authorization");
    {
      std::lock_guard lock(mu_);
      authorization_ = auth == context->client_metadata().end()
                           ? ""
                           : std::string(auth->second.data(), auth->second.size());
    }
    if (request->layer_id() != "L1") {
      return rpc::ToGrpcStatus(Error::NotFound("zone layer " + request->layer_id() + " not found"));
    }
    *response = Layer(1);
    return grpc::Status::OK;
  }

  grpc::Status ListZoneLayers(grpc::ServerContext*, const planning::ListZoneLayersRequest* request,
                              planning::ListZoneLayersResponse* response) override {
    {
      std::lock_guard lock(mu_);
      filters_.push_back(request->filter());
      page_sizes_.push_back(request->page_size());
    }
    if (request->page_token().empty()) {
      *response->add_layers() = Layer(1);
      *response->add_layers() = Layer(2);
      response->set_next_page_token("p2");
    } else if (request->page_token() == "p2") {
      *response->add_layers() = Layer(3);
    } else {
      return rpc::ToGrpcStatus(Error::InvalidArgument("page_token", "unknown page token"));
    }
    return grpc::Status::OK;
  }

  grpc::Status CreateZoneLayer(grpc::ServerContext*,
                               const planning::CreateZoneLayerRequest* request,
                               planning::ZoneLayer*) override {
    {
      std::lock_guard lock(mu_);
      request_ids_.push_back(request->request_id());
    }
    Error e(Code::kInvalidArgument, "layer: 2 problems");
    e.AddField("layer.name", "must not be empty");
    e.AddField("layer.region_code", "expected 6 digits, got '41'");
    return rpc::ToGrpcStatus(e, "planning.nrp");
  }

  grpc::Status PublishLayerVersion(grpc::ServerContext*,
                                   const planning::PublishLayerVersionRequest*,
                                   planning::LayerVersion*) override {
    return rpc::ToGrpcStatus(
        Error::FailedPrecondition("LAYER_VERSION_EMPTY", "layer/L1/version/3",
                                  "a version without zones cannot be published"),
        "planning.nrp");
  }

  grpc::Status ImportZones(grpc::ServerContext*,
                           grpc::ServerReader<planning::ImportZonesRequest>* reader,
                           planning::ImportZonesResponse* response) override {
    planning::ImportZonesRequest chunk;
    while (reader->Read(&chunk)) {
      std::lock_guard lock(mu_);
      import_request_ids_.push_back(chunk.request_id());
      response->set_layer_id(chunk.layer_id());
      response->set_version(chunk.version());
      for (const auto& zone : chunk.zones()) {
        response->set_zones_received(response->zones_received() + 1);
        if (zone.geometry().text().empty()) {
          auto* r = response->add_rejections();
          r->set_zone_id(zone.zone_id());
          r->set_reason("no geometry");
        } else {
          response->set_zones_accepted(response->zones_accepted() + 1);
        }
      }
    }
    response->set_zone_count(response->zones_accepted());
    return grpc::Status::OK;
  }

  grpc::Status CheckConflicts(grpc::ServerContext*, const planning::CheckConflictsRequest* request,
                              planning::CheckConflictsResponse* response) override {
    {
      std::lock_guard lock(mu_);
      last_check_ = *request;
    }
    auto* result = response->mutable_result();
    result->set_verdict(common::ZONE_VERDICT_FORBIDDEN);
    result->set_intended_use(request->intended_use());
    auto* c = result->add_conflicts();
    c->set_zone_id("Z1");
    c->set_zone_name("伊洛河湿地");
    c->mutable_layer()->set_layer_id("L1");
    c->mutable_layer()->set_layer_kind(common::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE);
    c->mutable_layer()->set_version(2);
    c->set_control_level(common::ZONE_CONTROL_LEVEL_CORE_PROTECTION);
    c->mutable_overlap_area()->set_square_metres(12500);
    c->set_verdict(common::ZONE_VERDICT_FORBIDDEN);
    c->set_rule("生态保护红线核心保护区原则上禁止人为活动");
    *result->add_layers_used() = c->layer();
    return grpc::Status::OK;
  }

  static planning::ZoneLayer Layer(int n) {
    planning::ZoneLayer l;
    l.set_layer_id("L" + std::to_string(n));
    l.set_kind(common::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE);
    l.set_region_code("410300");
    l.set_name(n == 1 ? "洛阳市生态保护红线" : "红线图层" + std::to_string(n));
    l.set_current_version(n);
    return l;
  }

  std::mutex mu_;
  std::string authorization_;
  std::vector<std::string> filters_;
  std::vector<int32_t> page_sizes_;
  std::vector<std::string> request_ids_;
  std::vector<std::string> import_request_ids_;
  planning::CheckConflictsRequest last_check_;
};

// A sliver of restoration's contract with canned replies: a fund account, its ledger and
// the obligations, recording what nrpctl asked for.
class FakeRestoration final : public restoration::RestorationService::Service {
 public:
  static constexpr char kRight[] = "0190a3c2-7b1e-4c5d-9e8f-0a1b2c3d4e5f";
  static constexpr char kAccount[] = "RF-C1401002025000000000012";

  grpc::Status GetFundAccount(grpc::ServerContext*, const restoration::GetFundAccountRequest* req,
                              restoration::FundAccount* out) override {
    {
      std::lock_guard lock(mu_);
      last_account_request_ = *req;
    }
    if (req->account_id() != kAccount && req->mining_right_id() != kRight) {
      return rpc::ToGrpcStatus(Error::NotFound("fund account not found"));
    }
    out->set_account_id(kAccount);
    out->set_mining_right_id(kRight);
    out->set_licence_number("C1401002025000000000012");
    out->set_region_code("140100");
    out->mutable_holder()->set_name("太原西山煤业有限公司");
    out->mutable_balance()->set_fen(120000000);
    out->set_entry_count(2);
    return grpc::Status::OK;
  }

  grpc::Status ListFundEntries(grpc::ServerContext*, const restoration::ListFundEntriesRequest* req,
                               restoration::ListFundEntriesResponse* out) override {
    {
      std::lock_guard lock(mu_);
      filters_.push_back(req->filter());
    }
    auto* e = out->add_entries();
    e->set_entry_id("4b0c9a52-1f7e-4d0e-9a51-2b8c1c4f9d10");
    e->set_account_id(kAccount);
    e->set_sequence(2);
    e->set_kind(restoration::FUND_ENTRY_KIND_WITHDRAWAL);
    e->mutable_amount()->set_fen(30000000);
    e->mutable_balance_after()->set_fen(120000000);
    e->set_project_id("5c1d0b63-2a8f-4e1f-8b62-3c9d2d5fae21");
    e->mutable_booked_on()->set_year(2026);
    e->mutable_booked_on()->set_month(3);
    e->mutable_booked_on()->set_day(2);
    e->mutable_document()->set_number("晋财资环〔2026〕12号");
    return grpc::Status::OK;
  }

  grpc::Status ListObligations(grpc::ServerContext*, const restoration::ListObligationsRequest* req,
                               restoration::ListObligationsResponse* out) override {
    {
      std::lock_guard lock(mu_);
      filters_.push_back(req->filter());
    }
    auto* o = out->add_obligations();
    o->set_obligation_id("6d2e1c74-3b9a-4f2a-9c73-4dae3e6a0b32");
    o->set_licence_number("C1401002025000000000012");
    o->set_region_code("140100");
    o->set_mining_right_id(kRight);
    o->set_origin(restoration::OBLIGATION_ORIGIN_MINE_CLOSURE);
    o->set_state(restoration::OBLIGATION_STATE_DUE);
    o->mutable_due_date()->set_year(2027);
    o->mutable_due_date()->set_month(3);
    o->mutable_due_date()->set_day(1);
    o->mutable_damaged_area()->set_square_metres(250000);
    return grpc::Status::OK;
  }

  grpc::Status GetObligation(grpc::ServerContext*, const restoration::GetObligationRequest* req,
                             restoration::Obligation*) override {
    return rpc::ToGrpcStatus(Error::NotFound("obligation " + req->obligation_id() + " not found"));
  }

  std::mutex mu_;
  std::vector<std::string> filters_;
  restoration::GetFundAccountRequest last_account_request_;
};

// A loopback port nothing listens on.
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    health_ = std::make_unique<rpc::HealthService>(
        [this]() -> Status {
          if (healthy_.load()) return Ok();
          return Error::Unavailable("database unreachable");
        },
        std::chrono::milliseconds(20));
    health_->AddService("nrp.planning.v1.PlanningService");
    health_->Start();
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&planning_);
    builder.RegisterService(&restoration_);
    builder.RegisterService(health_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    addr_ = "127.0.0.1:" + std::to_string(port);
  }
  void TearDown() override {
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    health_->Shutdown();
  }

  Result Cli(std::vector<std::string> argv, const std::string& stdin_text = "",
             std::map<std::string, std::string> env = {}) {
    std::ostringstream out, err;
    std::istringstream in(stdin_text);
    Context ctx;
    ctx.out = &out;
    ctx.err = &err;
    ctx.in = &in;
    ctx.env = std::move(env);
    ctx.local_state_dirs = std::vector<std::string>{};
    Result r;
    r.code = nrp::nrpctl::Run(argv, ctx);
    r.out = out.str();
    r.err = err.str();
    return r;
  }

  FakePlanning planning_;
  FakeRestoration restoration_;
  std::atomic<bool> healthy_{true};
  std::unique_ptr<rpc::HealthService> health_;
  std::unique_ptr<grpc::Server> server_;
  std::string addr_;
};

TEST_F(ServerTest, CallWithJsonPrintsTheResponseAsJson) {
  Result r = Cli({"call", "planning", "GetZoneLayer", "--addr", addr_, "--token", "s3cret",
                  "--json", "--data", R"json({"layer_id":"L1"})json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["layer_id"], "L1");
  EXPECT_EQ(j["kind"], "ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE");
  EXPECT_EQ(j["name"], "洛阳市生态保护红线");
  EXPECT_EQ(j["current_version"], "1");
  std::lock_guard lock(planning_.mu_);
  EXPECT_EQ(planning_.authorization_, "Bearer s3cret");
}

TEST_F(ServerTest, CallReadsStdinAndPrintsATreeForPeople) {
  Result r =
      Cli({"call", "planning", "get-zone-layer", "--addr", addr_}, R"json({"layerId":"L1"})json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "layer_id: L1\n"
            "kind: ECOLOGICAL_RED_LINE\n"
            "region_code: 410300\n"
            "name: 洛阳市生态保护红线\n"
            "current_version: 1\n");
}

TEST_F(ServerTest, FriendlyListPrintsATableAndBuildsTheFilter) {
  Result r = Cli({"planning", "layers", "list", "--addr", addr_, "--kind", "ecological_red_line",
                  "--region", "410300", "--page-size", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "LAYER_ID  KIND                 REGION  NAME                VERSION\n"
            "L1        ECOLOGICAL_RED_LINE  410300  洛阳市生态保护红线  1\n"
            "L2        ECOLOGICAL_RED_LINE  410300  红线图层2           2\n"
            "\n"
            "More layers: add --page-token p2 (or --all)\n");
  std::lock_guard lock(planning_.mu_);
  ASSERT_EQ(planning_.filters_.size(), 1u);
  EXPECT_EQ(planning_.filters_[0],
            "kind = ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE AND region_code = \"410300\"");
  EXPECT_EQ(planning_.page_sizes_[0], 2);
}

TEST_F(ServerTest, FriendlyListFollowsEveryPageWithAll) {
  Result r = Cli({"planning", "layers", "list", "--addr", addr_, "--all"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("L3        ECOLOGICAL_RED_LINE  410300  红线图层3"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("More layers"), std::string::npos) << r.out;

  Result j = Cli({"planning", "layers", "list", "--addr", addr_, "--all", "--json"});
  ASSERT_EQ(j.code, 0) << j.err;
  auto doc = nlohmann::json::parse(j.out);
  ASSERT_EQ(doc["layers"].size(), 3u);
  EXPECT_EQ(doc["layers"][2]["layer_id"], "L3");
  EXPECT_EQ(doc["next_page_token"], "");
}

TEST_F(ServerTest, RestorationFundLedgerOfTheAccountNamed) {
  Result r = Cli({"restoration", "fund", "entries", FakeRestoration::kAccount, "--kind",
                  "withdrawal", "--addr", addr_});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "SEQ  KIND        AMOUNT        BALANCE_AFTER  BOOKED_ON   PROJECT_ID"
            "                            DOCUMENT\n"
            "2    WITHDRAWAL  300000.00 元  1200000.00 元  2026-03-02  "
            "5c1d0b63-2a8f-4e1f-8b62-3c9d2d5fae21  晋财资环〔2026〕12号\n");
  std::lock_guard lock(restoration_.mu_);
  ASSERT_EQ(restoration_.filters_.size(), 1u);
  EXPECT_EQ(restoration_.filters_[0],
            "account_id = \"RF-C1401002025000000000012\" AND kind = FUND_ENTRY_KIND_WITHDRAWAL");
}

TEST_F(ServerTest, RestorationFundAccountByNumberOrByRight) {
  Result by_right = Cli({"restoration", "fund", "get", "--right", FakeRestoration::kRight, "--addr",
                         addr_, "--json"});
  ASSERT_EQ(by_right.code, 0) << by_right.err;
  auto j = nlohmann::json::parse(by_right.out);
  EXPECT_EQ(j["account_id"], FakeRestoration::kAccount);
  EXPECT_EQ(j["entry_count"], "2");
  {
    std::lock_guard lock(restoration_.mu_);
    EXPECT_EQ(restoration_.last_account_request_.account_id(), "");
    EXPECT_EQ(restoration_.last_account_request_.mining_right_id(), FakeRestoration::kRight);
  }
  Result by_number =
      Cli({"restoration", "fund", "get", FakeRestoration::kAccount, "--addr", addr_});
  ASSERT_EQ(by_number.code, 0) << by_number.err;
  EXPECT_NE(by_number.out.find("holder:\n  name: 太原西山煤业有限公司"), std::string::npos)
      << by_number.out;
  std::lock_guard lock(restoration_.mu_);
  EXPECT_EQ(restoration_.last_account_request_.account_id(), FakeRestoration::kAccount);
}

TEST_F(ServerTest, RestorationObligationsListAndTheGenericCall) {
  Result r = Cli({"restoration", "obligations", "list", "--state", "due", "--right",
                  FakeRestoration::kRight, "--region", "140100", "--addr", addr_});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("MINE_CLOSURE  DUE    2027-03-01  25 ha"), std::string::npos) << r.out;
  {
    std::lock_guard lock(restoration_.mu_);
    ASSERT_EQ(restoration_.filters_.size(), 1u);
    EXPECT_EQ(restoration_.filters_[0],
              "region_code = \"140100\" AND state = OBLIGATION_STATE_DUE AND mining_right_id = "
              "\"0190a3c2-7b1e-4c5d-9e8f-0a1b2c3d4e5f\"");
  }
  Result call = Cli({"call", "restoration", "GetObligation", "--addr", addr_, "--data",
                     R"json({"obligation_id":"6d2e1c74-3b9a-4f2a-9c73-4dae3e6a0b32"})json"});
  EXPECT_EQ(call.code, kExitServer);
  EXPECT_EQ(call.err,
            "nrpctl: NOT_FOUND: obligation 6d2e1c74-3b9a-4f2a-9c73-4dae3e6a0b32 not found\n");
}

TEST_F(ServerTest, ErrorsShowEveryFieldViolationAndExitThree) {
  Result r = Cli({"call", "planning", "CreateZoneLayer", "--addr", addr_, "--data",
                  R"json({"layer":{"name":""}})json"});
  EXPECT_EQ(r.code, kExitServer);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "nrpctl: INVALID_ARGUMENT: layer: 2 problems\n"
            "  field layer.name: must not be empty\n"
            "  field layer.region_code: expected 6 digits, got '41'\n");
  {
    std::lock_guard lock(planning_.mu_);
    ASSERT_EQ(planning_.request_ids_.size(), 1u);
    EXPECT_TRUE(IsUuid(planning_.request_ids_[0])) << "the mutation got a request_id";
  }
  Result j = Cli({"call", "planning", "CreateZoneLayer", "--addr", addr_, "--json", "--data",
                  R"json({"request_id":"6b0c9a52-1f7e-4d0e-9a51-2b8c1c4f9d10"})json"});
  EXPECT_EQ(j.code, kExitServer);
  auto e = nlohmann::json::parse(j.err);
  EXPECT_EQ(e["error"]["code"], "INVALID_ARGUMENT");
  ASSERT_EQ(e["error"]["field_violations"].size(), 2u);
  EXPECT_EQ(e["error"]["field_violations"][0]["field"], "layer.name");
  std::lock_guard lock(planning_.mu_);
  EXPECT_EQ(planning_.request_ids_.back(), "6b0c9a52-1f7e-4d0e-9a51-2b8c1c4f9d10");
}

TEST_F(ServerTest, PreconditionViolationsAndNotFound) {
  Result r = Cli({"call", "planning", "PublishLayerVersion", "--addr", addr_, "--data",
                  R"json({"layer_id":"L1","version":3})json"});
  EXPECT_EQ(r.code, kExitServer);
  EXPECT_EQ(
      r.err,
      "nrpctl: FAILED_PRECONDITION: a version without zones cannot be published\n"
      "  precondition LAYER_VERSION_EMPTY (layer/L1/version/3): a version without zones cannot be "
      "published\n"
      "  reason: LAYER_VERSION_EMPTY\n");
  Result missing = Cli({"planning", "layer", "get", "L9", "--addr", addr_});
  EXPECT_EQ(missing.code, kExitServer);
  EXPECT_EQ(missing.err, "nrpctl: NOT_FOUND: zone layer L9 not found\n");
}

TEST_F(ServerTest, HealthInTheFormDeployLocalStatusUses) {
  Result ok = Cli({"--addr", addr_, "health"});
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(ok.out, "SERVING\n");
  Result named = Cli({"health", "--service", "planning", "--addr", addr_, "--json"});
  EXPECT_EQ(named.code, 0) << named.err;
  EXPECT_EQ(nlohmann::json::parse(named.out)["service"], "nrp.planning.v1.PlanningService");

  healthy_ = false;
  Result down;
  ASSERT_TRUE(nrp::testing::WaitFor(
      [&] {
        down = Cli({"--addr", addr_, "health"});
        return down.code != 0;
      },
      std::chrono::seconds(10)));
  EXPECT_EQ(down.code, kExitServer);
  EXPECT_EQ(down.err, "NOT_SERVING\n");
  EXPECT_EQ(down.out, "");

  Result unreachable = Cli({"--addr", "127.0.0.1:" + std::to_string(ClosedPort()), "health"});
  EXPECT_EQ(unreachable.code, kExitConnection);
  EXPECT_EQ(unreachable.err.rfind("cannot reach 127.0.0.1:", 0), 0u) << unreachable.err;
  EXPECT_EQ(std::count(unreachable.err.begin(), unreachable.err.end(), '\n'), 1) << "one line";
}

TEST_F(ServerTest, HealthOfEveryServiceAsATable) {
  std::string closed = "127.0.0.1:" + std::to_string(ClosedPort());
  std::map<std::string, std::string> env = {{"NRP_PLANNING_ADDR", addr_}};
  for (const char* name : {"NRP_REGISTRATION_ADDR", "NRP_LAND_SUPPLY_ADDR",
                           "NRP_MINING_RIGHTS_ADDR", "NRP_RESTORATION_ADDR"}) {
    env[name] = closed;
  }
  Result r = Cli({"health"}, "", env);
  EXPECT_EQ(r.code, kExitConnection) << "the worst of the five";
  std::istringstream lines(r.out);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 6u) << r.out;
  EXPECT_EQ(rows[0].rfind("SERVICE", 0), 0u);
  size_t width = std::max(closed.size(), addr_.size());
  auto padded = [&](const std::string& a) { return a + std::string(width - a.size(), ' '); };
  EXPECT_EQ(rows[1], "registration   " + padded(closed) + "  UNREACHABLE  Connection refused");
  EXPECT_EQ(rows[5], "planning       " + padded(addr_) + "  SERVING");

  env["NRP_REGISTRATION_ADDR"] = env["NRP_LAND_SUPPLY_ADDR"] = env["NRP_MINING_RIGHTS_ADDR"] =
      env["NRP_RESTORATION_ADDR"] = addr_;
  Result all = Cli({"health", "--json"}, "", env);
  EXPECT_EQ(all.code, 0) << all.out;
  auto j = nlohmann::json::parse(all.out);
  ASSERT_EQ(j.size(), 5u);
  for (const auto& s : j) EXPECT_EQ(s["status"], "SERVING") << s.dump();
}

TEST_F(ServerTest, ClientStreamingFromNdjson) {
  std::string ndjson =
      R"json({"layer_id":"L1","version":"2","zones":[{"zone_id":"Z1","geometry":{"text":"POINT(1 2)"}},{"zone_id":"Z2"}]})json"
      "\n\n"
      R"json({"layer_id":"L1","version":"2","zones":[{"zone_id":"Z3","geometry":{"text":"POINT(3 4)"}}]})json"
      "\n";
  Result r = Cli({"call", "planning", "ImportZones", "--addr", addr_, "--json"}, ndjson);
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["zones_received"], "3");
  EXPECT_EQ(j["zones_accepted"], "2");
  EXPECT_EQ(j["rejections"][0]["zone_id"], "Z2");
  std::lock_guard lock(planning_.mu_);
  ASSERT_EQ(planning_.import_request_ids_.size(), 2u);
  EXPECT_TRUE(IsUuid(planning_.import_request_ids_[0]));
  EXPECT_EQ(planning_.import_request_ids_[1], "") << "set on the first message only";
}

TEST_F(ServerTest, ImportZonesFromGeoJson) {
  auto path = std::filesystem::temp_directory_path() / ("nrpctl-zones-" + NewUuidV4() + ".geojson");
  std::ofstream(path) << R"json({"type":"FeatureCollection","features":[
    {"type":"Feature","id":"Z1","properties":{"name":"伊洛河湿地"},"geometry":{"type":"Point","coordinates":[112.4,34.6]}},
    {"type":"Feature","id":"Z2","properties":{},"geometry":{"type":"Point","coordinates":[112.5,34.6]}},
    {"type":"Feature","id":"Z3","properties":{},"geometry":{"type":"Point","coordinates":[112.6,34.6]}}]})json";
  Result r = Cli({"planning", "import-zones", path.string(), "--layer", "L1", "--version", "2",
                  "--chunk-size", "2", "--addr", addr_});
  std::filesystem::remove(path);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "layer_id: L1\n"
            "version: 2\n"
            "zones_received: 3\n"
            "zones_accepted: 3\n"
            "zone_count: 3\n");
  std::lock_guard lock(planning_.mu_);
  ASSERT_EQ(planning_.import_request_ids_.size(), 2u);
  EXPECT_TRUE(IsUuid(planning_.import_request_ids_[0]));
  EXPECT_EQ(planning_.import_request_ids_[1], planning_.import_request_ids_[0]);
}

TEST_F(ServerTest, PlanningCheckShowsVerdictAndConflicts) {
  Result r = Cli({"planning", "check", "--addr", addr_, "--use", "urban_construction", "--wkt",
                  "POLYGON((112.40 34.60, 112.41 34.60, 112.41 34.61, 112.40 34.60))", "--region",
                  "410300"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(
      r.out,
      "verdict: FORBIDDEN  (use URBAN_CONSTRUCTION)\n"
      "conflicts:\n"
      "  ZONE_ID  ZONE        LAYER                VERSION  LEVEL            OVERLAP  VERDICT    "
      "RULE\n"
      "  Z1       伊洛河湿地  ECOLOGICAL_RED_LINE  2        CORE_PROTECTION  1.25 ha  FORBIDDEN  "
      "生态保护红线核心保护区原则上禁止人为活动\n"
      "layers used:\n"
      "  KIND                 LAYER_ID  VERSION\n"
      "  ECOLOGICAL_RED_LINE  L1        2\n");
  std::lock_guard lock(planning_.mu_);
  EXPECT_EQ(planning_.last_check_.intended_use(), common::SPATIAL_USE_URBAN_CONSTRUCTION);
  EXPECT_EQ(planning_.last_check_.geometry().encoding(), common::GEOMETRY_ENCODING_WKT);
  EXPECT_EQ(planning_.last_check_.region_code(), "410300");
}

// No rpc of the contract streams responses today; grpc.health.v1.Health/Watch
// does, and goes through the same generic path.
TEST_F(ServerTest, ServerStreamingThroughTheGenericCall) {
  const auto* method = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
      "grpc.health.v1.Health.Watch");
  ASSERT_NE(method, nullptr);
  auto request = std::make_unique<grpc::health::v1::HealthCheckRequest>();
  request->set_service("nrp.planning.v1.PlanningService");
  std::vector<std::unique_ptr<google::protobuf::Message>> requests;
  requests.push_back(std::move(request));
  std::vector<std::string> statuses;
  auto channel = grpc::CreateChannel(addr_, grpc::InsecureChannelCredentials());
  Done done =
      Invoke(channel, addr_, method, requests, std::chrono::milliseconds(800),
             [&](const google::protobuf::Message& m) {
               statuses.push_back(
                   static_cast<const grpc::health::v1::HealthCheckResponse&>(m).ServingStatus_Name(
                       static_cast<const grpc::health::v1::HealthCheckResponse&>(m).status()));
             });
  ASSERT_FALSE(statuses.empty());
  EXPECT_EQ(statuses.front(), "SERVING");
  // Watch never ends by itself: the deadline does.
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.failure().exit_code, kExitServer);
  EXPECT_EQ(done.failure().error.code(), Code::kDeadlineExceeded);
}

TEST_F(ServerTest, UnreachableServerExitsFour) {
  Result r =
      Cli({"call", "planning", "GetZoneLayer", "--addr",
           "127.0.0.1:" + std::to_string(ClosedPort()), "--data", R"json({"layer_id":"L1"})json"});
  EXPECT_EQ(r.code, kExitConnection);
  EXPECT_EQ(r.err.rfind("nrpctl: cannot reach 127.0.0.1:", 0), 0u) << r.err;
}

}  // namespace
}  // namespace nrp::nrpctl
