// Tables, trees and errors as people and scripts see them.
#include "nrp/nrpctl/format.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "nrp/nrpctl/call.h"
#include "nrp/planning/v1/planning.pb.h"
#include "nrp/rpc/errors.h"

namespace nrp::nrpctl {
namespace {

namespace planning = nrp::planning::v1;
namespace common = nrp::common::v1;

TEST(DisplayWidth, CountsWideCharactersTwice) {
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("河南省"), 6);
  EXPECT_EQ(DisplayWidth("洛阳 410300"), 11);
  EXPECT_EQ(DisplayWidth("〔2022〕"), 8);
  EXPECT_EQ(DisplayWidth("e\xcc\x81"), 1) << "combining accent";
  EXPECT_EQ(DisplayWidth(""), 0);
}

TEST(Truncate, CutsToWidthWithEllipsis) {
  EXPECT_EQ(Truncate("abcdef", 10), "abcdef");
  EXPECT_EQ(Truncate("abcdef", 4), "abc…");
  EXPECT_EQ(Truncate("河南省生态保护红线", 7), "河南省…");
  EXPECT_EQ(Truncate("a\nb", 10), "a b");
}

TEST(RenderTable, AlignsByDisplayWidth) {
  Table t{{"NAME", "REGION"}, {{"河南省生态保护红线", "410000"}, {"Luoyang", "410300"}}};
  std::ostringstream out;
  RenderTable(t, out);
  EXPECT_EQ(out.str(),
            "NAME                REGION\n"
            "河南省生态保护红线  410000\n"
            "Luoyang             410300\n");
}

TEST(RenderTable, TruncatesLongCellsAndIndents) {
  Table t{{"A", "B"}, {{std::string(60, 'x'), "y"}}};
  std::ostringstream out;
  RenderTable(t, out, "  ", 10);
  EXPECT_EQ(out.str(), "  A           B\n  xxxxxxxxx…  y\n");
}

planning::ListZoneLayersResponse Layers() {
  planning::ListZoneLayersResponse r;
  auto* a = r.add_layers();
  a->set_layer_id("L1");
  a->set_kind(common::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE);
  a->set_region_code("410300");
  a->set_name("洛阳市生态保护红线");
  a->set_current_version(2);
  a->mutable_update_time()->set_seconds(1740787200);
  auto* b = r.add_layers();
  b->set_layer_id("L2");
  b->set_kind(common::ZONE_LAYER_KIND_URBAN_DEVELOPMENT_BOUNDARY);
  b->set_region_code("410200");
  b->set_name("开封市城镇开发边界");
  r.set_next_page_token("p2");
  return r;
}

TEST(MessageTable, ExplicitColumnsWithEnumsWithoutPrefixAndTimes) {
  auto r = Layers();
  std::vector<const google::protobuf::Message*> rows = {&r.layers(0), &r.layers(1)};
  std::ostringstream out;
  RenderTable(MessageTable(rows, {{"layer_id", "LAYER_ID"},
                                  {"kind", "KIND"},
                                  {"name", ""},
                                  {"current_version", "VERSION"},
                                  {"update_time", "UPDATED"}}),
              out);
  EXPECT_EQ(
      out.str(),
      "LAYER_ID  KIND                        NAME                VERSION  UPDATED\n"
      "L1        ECOLOGICAL_RED_LINE         洛阳市生态保护红线  2        2025-03-01T00:00:00Z\n"
      "L2        URBAN_DEVELOPMENT_BOUNDARY  开封市城镇开发边界  0\n");
}

TEST(MessageTable, DefaultColumnsAreTheFieldsSetInSomeRow) {
  auto r = Layers();
  std::vector<const google::protobuf::Message*> rows = {&r.layers(0), &r.layers(1)};
  Table t = MessageTable(rows);
  EXPECT_EQ(t.headers, (std::vector<std::string>{"LAYER_ID", "KIND", "REGION_CODE", "NAME",
                                                 "CURRENT_VERSION", "UPDATE_TIME"}));
}

TEST(FormatField, DomainUnits) {
  planning::LayerVersion v;
  v.mutable_total_area()->set_square_metres(1771350000);  // 1771.35 km²
  v.mutable_effective_from()->set_year(2025);
  v.mutable_effective_from()->set_month(3);
  v.mutable_effective_from()->set_day(1);
  EXPECT_EQ(FormatPath(v, "total_area"), "177135 ha");
  EXPECT_EQ(FormatPath(v, "effective_from"), "2025-03-01");
  EXPECT_EQ(FormatPath(v, "approval.number"), "") << "unset message on the way";
  common::Geometry g;
  g.set_encoding(common::GEOMETRY_ENCODING_WKT);
  g.set_text("POLYGON((" + std::string(200, '1') + "))");
  planning::Zone z;
  *z.mutable_geometry() = g;
  std::string shown = FormatPath(z, "geometry");
  EXPECT_EQ(shown.rfind("WKT POLYGON((111", 0), 0u) << shown;
  EXPECT_NE(shown.find("[211 bytes]"), std::string::npos) << shown;
}

TEST(RenderTree, NestedMessagesRepeatedAsTablesAndMaps) {
  planning::CheckConflictsResponse r;
  auto* result = r.mutable_result();
  result->set_verdict(common::ZONE_VERDICT_FORBIDDEN);
  result->set_intended_use(common::SPATIAL_USE_URBAN_CONSTRUCTION);
  auto* c = result->add_conflicts();
  c->set_zone_id("Z1");
  c->set_zone_name("伊洛河湿地");
  c->mutable_layer()->set_layer_kind(common::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE);
  c->mutable_layer()->set_version(2);
  c->mutable_overlap_area()->set_square_metres(25000);
  c->set_verdict(common::ZONE_VERDICT_FORBIDDEN);
  result->add_failed_rules("城镇建设不得占用生态保护红线");
  std::ostringstream out;
  RenderTree(r, out);
  EXPECT_EQ(out.str(),
            "result:\n"
            "  verdict: FORBIDDEN\n"
            "  conflicts: (1)\n"
            "    ZONE_ID  ZONE_NAME   LAYER.LAYER_KIND     LAYER.VERSION  OVERLAP_AREA  VERDICT\n"
            "    Z1       伊洛河湿地  ECOLOGICAL_RED_LINE  2              2.5 ha        FORBIDDEN\n"
            "  intended_use: URBAN_CONSTRUCTION\n"
            "  failed_rules:\n"
            "    - 城镇建设不得占用生态保护红线\n");

  planning::Zone z;
  z.set_zone_id("Z1");
  (*z.mutable_attributes())["hxlx"] = "水源涵养";
  (*z.mutable_attributes())["bsm"] = "4103";
  std::ostringstream zout;
  RenderTree(z, zout);
  EXPECT_EQ(zout.str(), "zone_id: Z1\nattributes:\n  bsm: 4103\n  hxlx: 水源涵养\n");
}

Error RichError() {
  Error e(Code::kInvalidArgument, "layer: 2 problems");
  e.AddField("layer.name", "must not be empty");
  e.AddField("layer.region_code", "expected 6 digits, got '4103'");
  e.AddRule("ZONE_FORBIDDEN", "parcel/P1", "城镇建设不得占用生态保护红线");
  e.WithReason("VALIDATION_FAILED");
  e.WithMetadata("layer_id", "L1");
  return e;
}

TEST(FormatError, EveryViolationOnItsOwnLine) {
  EXPECT_EQ(FormatErrorText(RichError()),
            "INVALID_ARGUMENT: layer: 2 problems\n"
            "  field layer.name: must not be empty\n"
            "  field layer.region_code: expected 6 digits, got '4103'\n"
            "  precondition ZONE_FORBIDDEN (parcel/P1): 城镇建设不得占用生态保护红线\n"
            "  reason: VALIDATION_FAILED\n"
            "  layer_id: L1");
}

TEST(FormatError, JsonForScripts) {
  auto j = nlohmann::json::parse(FormatErrorJson(RichError()));
  EXPECT_EQ(j["error"]["code"], "INVALID_ARGUMENT");
  ASSERT_EQ(j["error"]["field_violations"].size(), 2u);
  EXPECT_EQ(j["error"]["field_violations"][1]["field"], "layer.region_code");
  EXPECT_EQ(j["error"]["precondition_violations"][0]["type"], "ZONE_FORBIDDEN");
  EXPECT_EQ(j["error"]["reason"], "VALIDATION_FAILED");
  EXPECT_EQ(j["error"]["metadata"]["layer_id"], "L1");
}

// The details a server sends in grpc-status-details-bin come back whole.
TEST(FormatError, ServerStatusDetailsAreDecoded) {
  grpc::Status status = rpc::ToGrpcStatus(RichError(), "planning.nrp");
  Failure f = FailureFromStatus(status, nullptr, "127.0.0.1:50055");
  EXPECT_EQ(f.exit_code, kExitServer);
  EXPECT_EQ(FormatErrorText(f.error), FormatErrorText(RichError()));
  Failure plain =
      FailureFromStatus(grpc::Status(grpc::StatusCode::NOT_FOUND, "no layer L9"), nullptr, "x");
  EXPECT_EQ(FormatErrorText(plain.error), "NOT_FOUND: no layer L9");
}

TEST(Base64, Rfc4648) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64(std::string("\xff\x00\x01", 3)), "/wAB");
}

}  // namespace
}  // namespace nrp::nrpctl
