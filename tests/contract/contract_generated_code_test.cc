// Builds against the C++ generated once for the whole contract (target nrp_protos): constructs
// events and resources, reads the event option compiled into them, and round-trips them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <type_traits>

#include "nrp/common/v1/event_options.pb.h"
#include "nrp/land_supply/v1/events.pb.h"
#include "nrp/land_supply/v1/land_supply.grpc.pb.h"
#include "nrp/mining_rights/v1/events.pb.h"
#include "nrp/mining_rights/v1/mining_rights.grpc.pb.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/planning/v1/planning.grpc.pb.h"
#include "nrp/registration/v1/events.pb.h"
#include "nrp/registration/v1/registration.grpc.pb.h"
#include "nrp/restoration/v1/events.pb.h"
#include "nrp/restoration/v1/restoration.grpc.pb.h"

namespace {

namespace pb = google::protobuf;

// Every service has a generated stub and an async service base.
static_assert(std::is_class_v<nrp::registration::v1::RegistrationService::Stub>);
static_assert(std::is_class_v<nrp::land_supply::v1::LandSupplyService::Stub>);
static_assert(std::is_class_v<nrp::mining_rights::v1::MiningRightsService::Stub>);
static_assert(std::is_class_v<nrp::restoration::v1::RestorationService::Stub>);
static_assert(std::is_class_v<nrp::planning::v1::PlanningService::AsyncService>);

// The value of the payload field an event names as its key.
std::string KeyOf(const pb::Message& event) {
  const nrp::common::v1::EventSpec& spec =
      event.GetDescriptor()->options().GetExtension(nrp::common::v1::event);
  const pb::FieldDescriptor* field = event.GetDescriptor()->FindFieldByName(spec.key());
  if (field == nullptr) return {};
  return event.GetReflection()->GetString(event, field);
}

TEST(ContractGeneratedCodeTest, LandDeliveredCarriesItsEventOptionAndRoundTrips) {
  nrp::land_supply::v1::LandDelivered delivered;
  delivered.set_contract_id("c-2025-0012");
  delivered.set_region_code("410311");
  delivered.set_contract_kind(nrp::land_supply::v1::CONTRACT_KIND_GRANT);
  delivered.set_method(nrp::land_supply::v1::SUPPLY_METHOD_LISTING);
  delivered.set_parcel_id("p-77");
  delivered.set_location("洛阳市洛龙区 LLQ-2025-07 号地块");
  delivered.mutable_geometry()->set_encoding(nrp::common::v1::GEOMETRY_ENCODING_WKT);
  delivered.mutable_geometry()->set_text(
      "POLYGON((112.45 34.61,112.46 34.61,112.46 34.62,112.45 34.61))");
  delivered.mutable_area()->set_square_metres(31250.5);
  delivered.mutable_grantee()->set_kind(nrp::common::v1::PARTY_KIND_ORGANISATION);
  delivered.mutable_grantee()->set_name("洛阳某置业有限公司");
  delivered.set_land_use(nrp::land_supply::v1::LAND_USE_RESIDENTIAL);
  delivered.set_term_years(70);
  delivered.mutable_price()->set_fen(12'345'678'900);

  const nrp::common::v1::EventSpec& spec =
      nrp::land_supply::v1::LandDelivered::descriptor()->options().GetExtension(
          nrp::common::v1::event);
  EXPECT_EQ(spec.ce_type(), "nrp.land_supply.land_delivered.v1");
  EXPECT_EQ(spec.topic(), "nrp.land_supply.events.v1");
  EXPECT_EQ(spec.key(), "contract_id");
  EXPECT_THAT(spec.consumers(), ::testing::Contains("registration"));
  EXPECT_EQ(KeyOf(delivered), "c-2025-0012");

  const std::string wire = delivered.SerializeAsString();
  nrp::land_supply::v1::LandDelivered decoded;
  ASSERT_TRUE(decoded.ParseFromString(wire));
  EXPECT_EQ(decoded.location(), "洛阳市洛龙区 LLQ-2025-07 号地块");
  EXPECT_EQ(decoded.price().fen(), 12'345'678'900);
  EXPECT_EQ(decoded.term_years(), 70);
  EXPECT_EQ(decoded.SerializeAsString(), wire);
}

TEST(ContractGeneratedCodeTest, AcceptanceEventKnowsWhetherGrainCapacityWasAssessed) {
  nrp::restoration::v1::ProjectAccepted accepted;
  accepted.set_project_id("r-9");
  accepted.set_region_code("640302");
  auto* land = accepted.mutable_new_cultivated_land();
  land->mutable_area()->set_square_metres(120000);
  land->set_quality_grade(4);
  land->mutable_paddy_area()->set_square_metres(0);
  EXPECT_FALSE(land->has_grain_capacity_kg());
  land->set_grain_capacity_kg(0);
  EXPECT_TRUE(land->has_grain_capacity_kg());  // assessed as zero, not unknown

  nrp::restoration::v1::ProjectAccepted decoded;
  ASSERT_TRUE(decoded.ParseFromString(accepted.SerializeAsString()));
  EXPECT_TRUE(decoded.new_cultivated_land().has_grain_capacity_kg());
  EXPECT_EQ(KeyOf(decoded), "r-9");
}

TEST(ContractGeneratedCodeTest, EveryEventOfEveryServiceHasTheOption) {
  // One message per events file keeps each file linked in; the generated pool then holds them.
  const pb::Descriptor* anchors[] = {
      nrp::registration::v1::RightRegistered::descriptor(),
      nrp::land_supply::v1::LandDelivered::descriptor(),
      nrp::mining_rights::v1::RightGranted::descriptor(),
      nrp::restoration::v1::ProjectAccepted::descriptor(),
      nrp::planning::v1::LayerVersionPublished::descriptor(),
  };
  int events = 0;
  for (const pb::Descriptor* anchor : anchors) {
    const pb::FileDescriptor* file = anchor->file();
    for (int i = 0; i < file->message_type_count(); ++i) {
      const pb::Descriptor* message = file->message_type(i);
      ASSERT_TRUE(message->options().HasExtension(nrp::common::v1::event)) << message->full_name();
      const nrp::common::v1::EventSpec& spec =
          message->options().GetExtension(nrp::common::v1::event);
      EXPECT_EQ(spec.topic(),
                "nrp." + file->package().substr(4, file->package().size() - 7) + ".events.v1")
          << message->full_name();
      ++events;
    }
  }
  EXPECT_GT(events, 50);
}

TEST(ContractGeneratedCodeTest, ZoneEventsShareTheLayerKeySoTheMarkerFollowsTheZones) {
  for (const pb::Descriptor* message : {nrp::planning::v1::ZonePublished::descriptor(),
                                        nrp::planning::v1::ZoneWithdrawn::descriptor(),
                                        nrp::planning::v1::LayerVersionPublished::descriptor()}) {
    EXPECT_EQ(message->options().GetExtension(nrp::common::v1::event).key(), "layer_id")
        << message->full_name();
  }
  nrp::planning::v1::ZonePublished zone;
  zone.set_layer_id("layer-erl-410000");
  zone.set_layer_version(3);
  (*zone.mutable_attributes())["hxlx"] = "水源涵养";
  nrp::planning::v1::ZonePublished decoded;
  ASSERT_TRUE(decoded.ParseFromString(zone.SerializeAsString()));
  EXPECT_EQ(decoded.attributes().at("hxlx"), "水源涵养");
  EXPECT_EQ(KeyOf(decoded), "layer-erl-410000");
}

}  // namespace
