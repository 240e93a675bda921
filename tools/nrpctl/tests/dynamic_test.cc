// JSON <-> message on contract requests, descriptor lookups, field setting
// from text and filter terms.
#include "nrp/nrpctl/dynamic.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "nrp/core/uuid.h"
#include "nrp/land_supply/v1/land_supply.pb.h"
#include "nrp/planning/v1/planning.pb.h"
#include "nrp/registration/v1/registration.pb.h"

namespace nrp::nrpctl {
namespace {

namespace pb = google::protobuf;
namespace planning = nrp::planning::v1;

// JSON -> message -> JSON -> message gives the same message.
void ExpectRoundTrip(const pb::Descriptor* type, const std::string& json, pb::Message* parsed) {
  Done first = JsonToMessage(json, parsed);
  ASSERT_TRUE(first.ok()) << first.failure().error.message();
  std::string again = MessageToJson(*parsed);
  auto second = NewMessage(type);
  Done reparsed = JsonToMessage(again, second.get());
  ASSERT_TRUE(reparsed.ok()) << reparsed.failure().error.message() << "\n" << again;
  EXPECT_TRUE(pb::util::MessageDifferencer::Equals(*parsed, *second)) << again;
}

TEST(JsonRoundTrip, CreateZoneLayerRequest) {
  planning::CreateZoneLayerRequest m;
  ExpectRoundTrip(m.GetDescriptor(),
                  R"json({"request_id":"6b0c9a52-1f7e-4d0e-9a51-2b8c1c4f9d10",
                      "layer":{"kind":"ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE","region_code":"410300",
                               "name":"洛阳市生态保护红线","description":"2023 年划定成果"}})json",
                  &m);
  EXPECT_EQ(m.layer().kind(), nrp::common::v1::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE);
  EXPECT_EQ(m.layer().name(), "洛阳市生态保护红线");
  // Output: proto field names, enums by name, defaults printed.
  std::string json = MessageToJson(m);
  EXPECT_NE(json.find("\"region_code\":\"410300\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"current_version\":\"0\""), std::string::npos) << json;
}

TEST(JsonRoundTrip, CheckConflictsRequestWithLowerCamelNames) {
  planning::CheckConflictsRequest m;
  ExpectRoundTrip(m.GetDescriptor(),
                  R"json({"geometry":{"encoding":"GEOMETRY_ENCODING_WKT",
                                  "text":"POLYGON((112.4 34.6,112.41 34.6,112.41 34.61,112.4 34.6))"},
                      "intendedUse":"SPATIAL_USE_URBAN_CONSTRUCTION","regionCode":"410300",
                      "layerKinds":["ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE",
                                    "ZONE_LAYER_KIND_PERMANENT_BASIC_FARMLAND"],
                      "asOf":"2025-03-01T00:00:00Z"})json",
                  &m);
  EXPECT_EQ(m.intended_use(), nrp::common::v1::SPATIAL_USE_URBAN_CONSTRUCTION);
  ASSERT_EQ(m.layer_kinds_size(), 2);
  EXPECT_EQ(m.as_of().seconds(), 1740787200);
}

TEST(JsonRoundTrip, ImportZonesRequestWithMapsAndInt64) {
  planning::ImportZonesRequest m;
  ExpectRoundTrip(m.GetDescriptor(),
                  R"json({"layer_id":"L1","version":"3","zones":[
                      {"zone_id":"Z1","name":"伊洛河湿地","control_level":"ZONE_CONTROL_LEVEL_CORE_PROTECTION",
                       "geometry":{"encoding":"GEOMETRY_ENCODING_GEOJSON","text":"{\"type\":\"Point\",\"coordinates\":[112.4,34.6]}"},
                       "attributes":{"bsm":"410300001","hxlx":"水源涵养"}},
                      {"zone_id":"Z2","region_code":"410323"}]})json",
                  &m);
  EXPECT_EQ(m.version(), 3);
  ASSERT_EQ(m.zones_size(), 2);
  EXPECT_EQ(m.zones(0).attributes().at("hxlx"), "水源涵养");
}

TEST(JsonRoundTrip, LandSupplyAndRegistrationRequests) {
  nrp::land_supply::v1::CreateOfferRequest offer;
  ExpectRoundTrip(offer.GetDescriptor(),
                  R"json({"offer":{"region_code":"410200","parcel_id":"P1","term_years":50,
                               "starting_price":{"fen":"1250000000"}}})json",
                  &offer);
  EXPECT_EQ(offer.offer().starting_price().fen(), 1250000000);
  nrp::registration::v1::SubmitCaseRequest submit;
  ExpectRoundTrip(
      submit.GetDescriptor(),
      R"json({"registration_case":{"region_code":"410302","unit_code":"410302001001GB00001F00010001"}})json",
      &submit);
  EXPECT_EQ(submit.registration_case().unit_code(), "410302001001GB00001F00010001");
}

TEST(JsonToMessage, RejectsUnknownFieldsAndBadValuesNamingThem) {
  planning::GetZoneLayerRequest m;
  Done unknown = JsonToMessage(R"json({"layer":"x"})json", &m);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.failure().exit_code, kExitUsage);
  EXPECT_NE(unknown.failure().error.message().find("layer"), std::string::npos);
  planning::ZoneLayer layer;
  Done bad_enum = JsonToMessage(R"json({"kind":"ZONE_LAYER_KIND_FOREST"})json", &layer, "layer");
  ASSERT_FALSE(bad_enum.ok());
  EXPECT_NE(
      bad_enum.failure().error.message().find("invalid layer JSON for nrp.planning.v1.ZoneLayer"),
      std::string::npos);
  EXPECT_TRUE(JsonToMessage("  ", &m).ok()) << "empty input is an empty request";
}

TEST(Lookup, ServicesMethodsAndTypes) {
  ASSERT_NE(FindService("land-supply"), nullptr);
  EXPECT_EQ(FindService("land_supply")->full_name, "nrp.land_supply.v1.LandSupplyService");
  EXPECT_EQ(FindService("LandSupplyService")->name, "land_supply");
  EXPECT_EQ(FindService("nrp.planning.v1.PlanningService")->name, "planning");
  EXPECT_EQ(FindService("forestry"), nullptr);
  for (const auto& s : kServices) {
    auto d = ServiceDescriptorOf(s);
    ASSERT_TRUE(d.ok()) << s.full_name;
    EXPECT_GT(d.value()->method_count(), 5);
  }
  auto sd = ServiceDescriptorOf(*FindService("planning")).value();
  EXPECT_EQ(FindMethod(sd, "list-zone-layers").value()->name(), "ListZoneLayers");
  EXPECT_EQ(FindMethod(sd, "getzonelayer").value()->name(), "GetZoneLayer");
  EXPECT_EQ(MethodKind(FindMethod(sd, "ImportZones").value()), "client-streaming");
  EXPECT_FALSE(FindMethod(sd, "DropLayer").ok());

  auto zone = FindType("Zone");
  ASSERT_TRUE(zone.ok());
  EXPECT_EQ(zone.value().message->full_name(), "nrp.planning.v1.Zone");
  EXPECT_EQ(FindType("Geometry").value().message->full_name(), "nrp.common.v1.Geometry");
  EXPECT_NE(FindType("nrp.planning.v1.PlanningService.CheckConflicts").value().method, nullptr);
  auto ambiguous = FindType("GetRightRequest");
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_NE(ambiguous.failure().error.message().find("ambiguous"), std::string::npos);
  // Every event payload of every topic is in the generated pool.
  EXPECT_NE(FindMessageType("nrp.registration.v1.CertificateIssued"), nullptr);
  EXPECT_NE(FindMessageType("nrp.restoration.v1.ProjectAccepted"), nullptr);
}

TEST(Enums, PrefixesAndParsing) {
  const pb::EnumDescriptor* kind = nrp::common::v1::ZoneLayerKind_descriptor();
  EXPECT_EQ(EnumPrefix(kind), "ZONE_LAYER_KIND_");
  EXPECT_EQ(EnumPrefix(nrp::common::v1::IdDocumentType_descriptor()), "ID_DOCUMENT_TYPE_");
  EXPECT_EQ(ShortEnumName(kind->FindValueByNumber(2)), "ECOLOGICAL_RED_LINE");
  for (const char* text : {"ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE", "ECOLOGICAL_RED_LINE",
                           "ecological_red_line", "ecological-red-line", "2"}) {
    auto v = ParseEnum(kind, text);
    ASSERT_TRUE(v.ok()) << text;
    EXPECT_EQ(v.value()->number(), 2) << text;
  }
  auto bad = ParseEnum(kind, "forest");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.failure().error.message().find("ecological_red_line"), std::string::npos);
}

TEST(SetField, FromTextByPath) {
  planning::CheckConflictsRequest m;
  ASSERT_TRUE(SetField(&m, "geometry.encoding", "wkt").ok());
  ASSERT_TRUE(SetField(&m, "geometry.text", "POINT(112.4 34.6)").ok());
  ASSERT_TRUE(SetField(&m, "geometry.srid", "4490").ok());
  ASSERT_TRUE(SetField(&m, "intended_use", "urban_construction").ok());
  ASSERT_TRUE(SetField(&m, "layer_kinds", "ecological_red_line").ok());
  ASSERT_TRUE(SetField(&m, "layer_kinds", "permanent_basic_farmland").ok());
  ASSERT_TRUE(SetField(&m, "as_of", "2025-03-01T08:00:00+08:00").ok());
  EXPECT_EQ(m.geometry().encoding(), nrp::common::v1::GEOMETRY_ENCODING_WKT);
  EXPECT_EQ(m.geometry().srid(), 4490);
  EXPECT_EQ(m.intended_use(), nrp::common::v1::SPATIAL_USE_URBAN_CONSTRUCTION);
  EXPECT_EQ(m.layer_kinds_size(), 2);
  EXPECT_EQ(m.as_of().seconds(), 1740787200);

  planning::CreateLayerVersionRequest v;
  ASSERT_TRUE(SetField(&v, "effective_from", "2025-03-01").ok());
  EXPECT_EQ(v.effective_from().month(), 3);
  ASSERT_TRUE(SetField(&v, "approval", R"json({"number":"豫政文〔2023〕1号"})json").ok())
      << "other messages as JSON";

  planning::ListZonesRequest z;
  EXPECT_FALSE(SetField(&z, "version", "two").ok());
  EXPECT_FALSE(SetField(&z, "colour", "red").ok());
  EXPECT_FALSE(SetField(&v, "effective_from", "1 March").ok());
  EXPECT_FALSE(SetField(&m, "geometry.colour", "red").ok());
}

TEST(FilterTerm, QuotesStringsAndResolvesEnums) {
  const pb::Descriptor* layer = planning::ZoneLayer::descriptor();
  EXPECT_EQ(FilterTerm(layer, "region_code", "410300").value(), "region_code = \"410300\"");
  EXPECT_EQ(FilterTerm(layer, "name", "a\"b\\c").value(), "name = \"a\\\"b\\\\c\"");
  EXPECT_EQ(FilterTerm(layer, "kind", "ecological-red-line").value(),
            "kind = ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE");
  EXPECT_EQ(FilterTerm(layer, "current_version", "2").value(), "current_version = 2");
  EXPECT_FALSE(FilterTerm(layer, "current_version", "two").ok());
  EXPECT_FALSE(FilterTerm(layer, "kind", "forest").ok());
  EXPECT_EQ(FilterTerm(planning::Indicator::descriptor(), "target.text", "≥5649").value(),
            "target.text = \"≥5649\"");
}

TEST(FillRequestId, OnlyWhenPresentAndEmpty) {
  planning::CreateZoneLayerRequest create;
  EXPECT_TRUE(FillRequestId(&create));
  EXPECT_TRUE(IsUuid(create.request_id()));
  std::string first = create.request_id();
  EXPECT_FALSE(FillRequestId(&create));
  EXPECT_EQ(create.request_id(), first);
  planning::GetZoneLayerRequest get;
  EXPECT_FALSE(FillRequestId(&get));
}

}  // namespace
}  // namespace nrp::nrpctl
