// The compatibility gate and the convention check on deliberately broken copies of the real
// contract: each copy is the real descriptor set with one change, and each check must report
// exactly the expected problems; a copy with pure additions must pass the gate.
#include <gmock/gmock.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "nrp/protolock/catalogue.h"
#include "nrp/protolock/contract.h"
#include "nrp/protolock/conventions.h"
#include "nrp/protolock/lock.h"

namespace nrp::protolock {
namespace {

namespace pb = google::protobuf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// Field numbers of descriptor.proto that make up SourceCodeInfo paths.
constexpr int kFileMessageType = 4;  // FileDescriptorProto.message_type
constexpr int kFileEnumType = 5;     // FileDescriptorProto.enum_type
constexpr int kFileService = 6;      // FileDescriptorProto.service
constexpr int kMessageField = 2;     // DescriptorProto.field
constexpr int kEnumValue = 2;        // EnumDescriptorProto.value
constexpr int kServiceMethod = 2;    // ServiceDescriptorProto.method

constexpr char kRegistration[] = "nrp/registration/v1/registration.proto";
constexpr char kRegistrationResources[] = "nrp/registration/v1/resources.proto";
constexpr char kRegistrationEvents[] = "nrp/registration/v1/events.proto";
constexpr char kLandSupplyEvents[] = "nrp/land_supply/v1/events.proto";

const Contract& Real() {
  static const Contract* contract = [] {
    std::string error;
    std::unique_ptr<Contract> loaded = Contract::FromFile(NRP_TEST_DESCRIPTOR_SET, &error);
    if (!loaded) ADD_FAILURE() << error;
    return loaded.release();
  }();
  return *contract;
}

// The real contract's model, read back from its rendered lock text as the gate reads the file.
LockModel LockedModel() {
  LockModel locked;
  std::string error;
  EXPECT_TRUE(ParseLock(RenderLock(BuildLockModel(Real())), &locked, &error)) << error;
  return locked;
}

template <typename T>
int IndexByName(const pb::RepeatedPtrField<T>& items, const std::string& name) {
  for (int i = 0; i < items.size(); ++i) {
    if (items.Get(i).name() == name) return i;
  }
  ADD_FAILURE() << "no element named " << name;
  return -1;
}

// A modifiable copy of the real contract's descriptor set.
class BrokenCopy {
 public:
  BrokenCopy() : set_(Real().set()) {}

  pb::FileDescriptorProto& File(const std::string& name) {
    return *set_.mutable_file(IndexByName(set_.file(), name));
  }
  pb::DescriptorProto& Message(const std::string& file, const std::string& name) {
    pb::FileDescriptorProto& f = File(file);
    return *f.mutable_message_type(IndexByName(f.message_type(), name));
  }
  pb::FieldDescriptorProto& Field(const std::string& file, const std::string& message,
                                  const std::string& name) {
    pb::DescriptorProto& m = Message(file, message);
    return *m.mutable_field(IndexByName(m.field(), name));
  }
  pb::ServiceDescriptorProto& Service(const std::string& file, const std::string& name) {
    pb::FileDescriptorProto& f = File(file);
    return *f.mutable_service(IndexByName(f.service(), name));
  }
  pb::MethodDescriptorProto& Method(const std::string& file, const std::string& service,
                                    const std::string& name) {
    pb::ServiceDescriptorProto& s = Service(file, service);
    return *s.mutable_method(IndexByName(s.method(), name));
  }
  pb::EnumDescriptorProto& Enum(const std::string& file, const std::string& name) {
    pb::FileDescriptorProto& f = File(file);
    return *f.mutable_enum_type(IndexByName(f.enum_type(), name));
  }

  void RemoveField(const std::string& file, const std::string& message, const std::string& name) {
    pb::DescriptorProto& m = Message(file, message);
    m.mutable_field()->DeleteSubrange(IndexByName(m.field(), name), 1);
  }
  void RemoveMessage(const std::string& file, const std::string& name) {
    pb::FileDescriptorProto& f = File(file);
    f.mutable_message_type()->DeleteSubrange(IndexByName(f.message_type(), name), 1);
  }

  // Appends a top-level message with a leading comment; returns its index.
  int AppendMessage(const std::string& file, const std::string& name) {
    pb::FileDescriptorProto& f = File(file);
    f.add_message_type()->set_name(name);
    const int index = f.message_type_size() - 1;
    Comment(f, {kFileMessageType, index}, " " + name + " for the test.\n");
    return index;
  }

  // Appends a field; type_name is for message fields (".pkg.Type"). With commented false the
  // field gets no leading comment.
  void AppendField(const std::string& file, const std::string& message, const std::string& name,
                   int number, pb::FieldDescriptorProto::Type type,
                   pb::FieldDescriptorProto::Label label = pb::FieldDescriptorProto::LABEL_OPTIONAL,
                   const std::string& type_name = "", bool commented = true) {
    pb::FileDescriptorProto& f = File(file);
    const int message_index = IndexByName(f.message_type(), message);
    pb::DescriptorProto& m = *f.mutable_message_type(message_index);
    pb::FieldDescriptorProto& field = *m.add_field();
    field.set_name(name);
    field.set_number(number);
    field.set_type(type);
    field.set_label(label);
    if (!type_name.empty()) field.set_type_name(type_name);
    field.set_json_name(name);
    if (commented) {
      Comment(f, {kFileMessageType, message_index, kMessageField, m.field_size() - 1},
              " The " + name + ".\n");
    }
  }

  void AppendMethod(const std::string& file, const std::string& service, const std::string& name,
                    const std::string& input, const std::string& output) {
    pb::FileDescriptorProto& f = File(file);
    const int service_index = IndexByName(f.service(), service);
    pb::ServiceDescriptorProto& s = *f.mutable_service(service_index);
    pb::MethodDescriptorProto& m = *s.add_method();
    m.set_name(name);
    m.set_input_type(input);
    m.set_output_type(output);
    Comment(f, {kFileService, service_index, kServiceMethod, s.method_size() - 1},
            " " + name + " for the test.\n");
  }

  void AppendEnumValue(const std::string& file, const std::string& enum_name,
                       const std::string& name, int number) {
    pb::FileDescriptorProto& f = File(file);
    const int enum_index = IndexByName(f.enum_type(), enum_name);
    pb::EnumDescriptorProto& e = *f.mutable_enum_type(enum_index);
    pb::EnumValueDescriptorProto& v = *e.add_value();
    v.set_name(name);
    v.set_number(number);
    Comment(f, {kFileEnumType, enum_index, kEnumValue, e.value_size() - 1}, " " + name + ".\n");
  }

  // Replaces the (nrp.common.v1.event) option of a message.
  void SetEvent(const std::string& file, const std::string& message, const EventSpec& spec) {
    const int option_number =
        Real().pool().FindExtensionByName(std::string(kEventOptionName))->number();
    pb::DescriptorProto& m = Message(file, message);
    std::string bytes;
    ASSERT_TRUE(m.options().SerializeToString(&bytes));
    pb::UnknownFieldSet fields;
    ASSERT_TRUE(fields.ParseFromString(bytes));
    pb::UnknownFieldSet kept;
    for (int i = 0; i < fields.field_count(); ++i) {
      if (fields.field(i).number() != option_number) kept.AddField(fields.field(i));
    }
    // EventSpec: 1 ce_type, 2 key, 3 topic, 4 consumers.
    pb::UnknownFieldSet event;
    event.AddLengthDelimited(1, spec.ce_type);
    event.AddLengthDelimited(2, spec.key);
    event.AddLengthDelimited(3, spec.topic);
    for (const std::string& consumer : spec.consumers) event.AddLengthDelimited(4, consumer);
    std::string event_bytes;
    ASSERT_TRUE(event.SerializeToString(&event_bytes));
    kept.AddLengthDelimited(option_number, event_bytes);
    std::string options;
    ASSERT_TRUE(kept.SerializeToString(&options));
    m.mutable_options()->Clear();
    ASSERT_TRUE(m.mutable_options()->ParseFromString(options));
  }

  // The next field number after the highest one of a message.
  int NextFieldNumber(const std::string& file, const std::string& message) {
    int highest = 0;
    for (const pb::FieldDescriptorProto& field : Message(file, message).field()) {
      highest = std::max(highest, field.number());
    }
    return highest + 1;
  }
  // The next value number after the highest one of an enum.
  int NextEnumNumber(const std::string& file, const std::string& enum_name) {
    int highest = 0;
    for (const pb::EnumValueDescriptorProto& value : Enum(file, enum_name).value()) {
      highest = std::max(highest, value.number());
    }
    return highest + 1;
  }

  pb::FileDescriptorSet& set() { return set_; }

  std::unique_ptr<Contract> Build() {
    std::string error;
    std::unique_ptr<Contract> contract = Contract::FromSet(set_, &error);
    EXPECT_NE(contract, nullptr) << error;
    return contract;
  }

  CompatibilityReport Gate() {
    std::unique_ptr<Contract> contract = Build();
    if (!contract) return {{"copy does not build"}, {}};
    return CheckCompatibility(LockedModel(), BuildLockModel(*contract));
  }

  std::vector<std::string> Conventions() {
    std::unique_ptr<Contract> contract = Build();
    if (!contract) return {"copy does not build"};
    return CheckConventions(*contract);
  }

 private:
  static void Comment(pb::FileDescriptorProto& file, std::vector<int> path,
                      const std::string& text) {
    pb::SourceCodeInfo::Location& location = *file.mutable_source_code_info()->add_location();
    for (int p : path) location.add_path(p);
    for (int s : {0, 0, 0}) location.add_span(s);
    location.set_leading_comments(text);
  }

  pb::FileDescriptorSet set_;
};

EventSpec LandDeliveredSpec() {
  return {"nrp.land_supply.land_delivered.v1",
          "contract_id",
          "nrp.land_supply.events.v1",
          {"registration", "planning"}};
}

TEST(ContractGateTest, UnchangedCopyPasses) {
  BrokenCopy copy;
  const CompatibilityReport report = copy.Gate();
  EXPECT_THAT(report.problems, IsEmpty());
  EXPECT_THAT(report.additions, IsEmpty());
  EXPECT_THAT(copy.Conventions(), IsEmpty());
}

TEST(ContractGateTest, RemovedFieldFails) {
  BrokenCopy copy;
  copy.RemoveField(kRegistrationResources, "Right", "remarks");
  const CompatibilityReport report = copy.Gate();
  EXPECT_FALSE(report.ok());
  EXPECT_THAT(report.problems, ElementsAre("field nrp.registration.v1.Right.remarks (20) removed"));
  EXPECT_THAT(report.additions, IsEmpty());
}

TEST(ContractGateTest, RenumberedFieldFails) {
  BrokenCopy copy;
  copy.Field(kLandSupplyEvents, "LandDelivered", "price").set_number(40);
  EXPECT_THAT(copy.Gate().problems,
              ElementsAre("field nrp.land_supply.v1.LandDelivered.price (17) renumbered to 40"));
}

TEST(ContractGateTest, ScalarTypeChangeFails) {
  BrokenCopy copy;
  copy.Field("nrp/common/v1/money.proto", "Money", "fen")
      .set_type(pb::FieldDescriptorProto::TYPE_INT32);
  EXPECT_THAT(copy.Gate().problems,
              ElementsAre("field nrp.common.v1.Money.fen (1) type changed from int64 to int32"));
}

TEST(ContractGateTest, MessageTypeChangeFails) {
  BrokenCopy copy;
  copy.Field(kLandSupplyEvents, "LandDelivered", "area").set_type_name(".nrp.common.v1.Money");
  EXPECT_THAT(copy.Gate().problems,
              ElementsAre("field nrp.land_supply.v1.LandDelivered.area (10) type changed from "
                          "message:nrp.common.v1.Area to message:nrp.common.v1.Money"));
}

TEST(ContractGateTest, LabelChangeFails) {
  BrokenCopy copy;
  copy.Field("nrp/mining_rights/v1/resources.proto", "MiningRight", "associated_minerals")
      .set_label(pb::FieldDescriptorProto::LABEL_OPTIONAL);
  EXPECT_THAT(copy.Gate().problems,
              ElementsAre("field nrp.mining_rights.v1.MiningRight.associated_minerals (9) label "
                          "changed from repeated to singular"));
}

TEST(ContractGateTest, RenamedFieldFailsAndBreaksConventions) {
  BrokenCopy copy;
  copy.Field(kRegistrationResources, "RegistrationCase", "case_number").set_name("caseNumber");
  EXPECT_THAT(
      copy.Gate().problems,
      ElementsAre(
          "field nrp.registration.v1.RegistrationCase.case_number (2) renamed to caseNumber"));
  EXPECT_THAT(copy.Conventions(),
              ElementsAre("nrp/registration/v1/resources.proto: "
                          "nrp.registration.v1.RegistrationCase.caseNumber: field name is not "
                          "snake_case"));
}

TEST(ContractGateTest, RemovedMessageFails) {
  BrokenCopy copy;
  copy.RemoveMessage(kRegistrationEvents, "CorrectionRecorded");
  EXPECT_THAT(copy.Gate().problems,
              ElementsAre("message nrp.registration.v1.CorrectionRecorded removed"));
}

TEST(ContractGateTest, RemovedMethodFails) {
  BrokenCopy copy;
  pb::ServiceDescriptorProto& service =
      copy.Service("nrp/planning/v1/planning.proto", "PlanningService");
  service.mutable_method()->DeleteSubrange(IndexByName(service.method(), "CheckConflicts"), 1);
  EXPECT_THAT(copy.Gate().problems,
              ElementsAre("rpc nrp.planning.v1.PlanningService.CheckConflicts removed"));
}

TEST(ContractGateTest, RemovedServiceFails) {
  BrokenCopy copy;
  copy.File("nrp/restoration/v1/restoration.proto").clear_service();
  EXPECT_THAT(copy.Gate().problems,
              ElementsAre("service nrp.restoration.v1.RestorationService removed"));
}

TEST(ContractGateTest, MethodResponseTypeChangeFails) {
  BrokenCopy copy;
  copy.Method(kRegistration, "RegistrationService", "GetCase")
      .set_output_type(".nrp.registration.v1.Right");
  EXPECT_THAT(copy.Gate().problems,
              ElementsAre("rpc nrp.registration.v1.RegistrationService.GetCase response type "
                          "changed from nrp.registration.v1.RegistrationCase to "
                          "nrp.registration.v1.Right"));
}

TEST(ContractGateTest, StreamingChangeFails) {
  BrokenCopy copy;
  copy.Method("nrp/planning/v1/planning.proto", "PlanningService", "ImportZones")
      .set_client_streaming(false);
  EXPECT_THAT(copy.Gate().problems,
              ElementsAre("rpc nrp.planning.v1.PlanningService.ImportZones streaming changed "
                          "from client-streaming, unary response to unary request, unary "
                          "response"));
}

TEST(ContractGateTest, RemovedEnumValueFails) {
  BrokenCopy copy;
  pb::EnumDescriptorProto& states = copy.Enum(kRegistrationResources, "CaseState");
  states.mutable_value()->DeleteSubrange(IndexByName(states.value(), "CASE_STATE_WITHDRAWN"), 1);
  EXPECT_THAT(copy.Gate().problems,
              ElementsAre("enum value nrp.registration.v1.CaseState.CASE_STATE_WITHDRAWN (9) "
                          "removed"));
}

TEST(ContractGateTest, RenumberedEnumValueFails) {
  BrokenCopy copy;
  pb::EnumDescriptorProto& states = copy.Enum(kRegistrationResources, "CaseState");
  states.mutable_value(IndexByName(states.value(), "CASE_STATE_WITHDRAWN"))->set_number(12);
  EXPECT_THAT(copy.Gate().problems,
              ElementsAre("enum value nrp.registration.v1.CaseState.CASE_STATE_WITHDRAWN (9) "
                          "renumbered to 12"));
}

TEST(ContractGateTest, RenamedEnumZeroValueFailsGateAndConventions) {
  BrokenCopy copy;
  copy.Enum(kRegistrationResources, "CaseState").mutable_value(0)->set_name("CASE_STATE_NONE");
  EXPECT_THAT(copy.Gate().problems,
              ElementsAre("enum value nrp.registration.v1.CaseState.CASE_STATE_UNSPECIFIED (0) "
                          "renamed to CASE_STATE_NONE"));
  EXPECT_THAT(copy.Conventions(),
              ElementsAre("nrp/registration/v1/resources.proto: nrp.registration.v1.CaseState: "
                          "first value must be CASE_STATE_UNSPECIFIED = 0 (found "
                          "CASE_STATE_NONE = 0)"));
}

TEST(ContractGateTest, ChangedEventKeyFails) {
  BrokenCopy copy;
  EventSpec spec = LandDeliveredSpec();
  spec.key = "parcel_id";
  copy.SetEvent(kLandSupplyEvents, "LandDelivered", spec);
  EXPECT_THAT(copy.Gate().problems,
              ElementsAre("event nrp.land_supply.v1.LandDelivered key changed from contract_id "
                          "to parcel_id"));
  EXPECT_THAT(copy.Conventions(), IsEmpty());
}

TEST(ContractGateTest, RemovedEventOptionFailsGateAndConventions) {
  BrokenCopy copy;
  copy.Message(kLandSupplyEvents, "LandDelivered").clear_options();
  EXPECT_THAT(copy.Gate().problems,
              ElementsAre("event option removed from nrp.land_supply.v1.LandDelivered"));
  EXPECT_THAT(copy.Conventions(),
              ElementsAre("nrp/land_supply/v1/events.proto: nrp.land_supply.v1.LandDelivered: "
                          "message in events.proto has no (nrp.common.v1.event) option"));
}

TEST(ContractConventionsTest, ListWithoutPagingIsReported) {
  BrokenCopy copy;
  copy.AppendMessage(kRegistration, "ListArchivedCasesRequest");
  copy.AppendField(kRegistration, "ListArchivedCasesRequest", "filter", 1,
                   pb::FieldDescriptorProto::TYPE_STRING);
  copy.AppendField(kRegistration, "ListArchivedCasesRequest", "order_by", 2,
                   pb::FieldDescriptorProto::TYPE_STRING);
  copy.AppendMessage(kRegistration, "ListArchivedCasesResponse");
  copy.AppendField(kRegistration, "ListArchivedCasesResponse", "cases", 1,
                   pb::FieldDescriptorProto::TYPE_MESSAGE, pb::FieldDescriptorProto::LABEL_REPEATED,
                   ".nrp.registration.v1.RegistrationCase");
  copy.AppendMethod(kRegistration, "RegistrationService", "ListArchivedCases",
                    ".nrp.registration.v1.ListArchivedCasesRequest",
                    ".nrp.registration.v1.ListArchivedCasesResponse");
  const std::string where =
      "nrp/registration/v1/registration.proto: "
      "nrp.registration.v1.RegistrationService.ListArchivedCases: ";
  EXPECT_THAT(
      copy.Conventions(),
      ElementsAre(where + "list request nrp.registration.v1.ListArchivedCasesRequest has no "
                          "int32 page_size",
                  where + "list request nrp.registration.v1.ListArchivedCasesRequest has no "
                          "string page_token",
                  where + "list response nrp.registration.v1.ListArchivedCasesResponse has no "
                          "string next_page_token"));
  EXPECT_TRUE(copy.Gate().ok());  // an addition: the gate alone would let it through
}

TEST(ContractConventionsTest, MutationWithoutRequestIdIsReported) {
  BrokenCopy copy;
  copy.AppendMessage(kRegistration, "ArchiveCaseRequest");
  copy.AppendField(kRegistration, "ArchiveCaseRequest", "case_id", 1,
                   pb::FieldDescriptorProto::TYPE_STRING);
  copy.AppendMethod(kRegistration, "RegistrationService", "ArchiveCase",
                    ".nrp.registration.v1.ArchiveCaseRequest",
                    ".nrp.registration.v1.RegistrationCase");
  EXPECT_THAT(copy.Conventions(),
              ElementsAre("nrp/registration/v1/registration.proto: "
                          "nrp.registration.v1.RegistrationService.ArchiveCase: mutation request "
                          "nrp.registration.v1.ArchiveCaseRequest has no string request_id"));
}

TEST(ContractConventionsTest, FieldWithoutCommentIsReported) {
  BrokenCopy copy;
  copy.AppendField(kRegistrationResources, "RegistrationCase", "archive_reason",
                   copy.NextFieldNumber(kRegistrationResources, "RegistrationCase"),
                   pb::FieldDescriptorProto::TYPE_STRING, pb::FieldDescriptorProto::LABEL_OPTIONAL,
                   "", /*commented=*/false);
  EXPECT_THAT(copy.Conventions(),
              ElementsAre("nrp/registration/v1/resources.proto: "
                          "nrp.registration.v1.RegistrationCase.archive_reason: field has no "
                          "leading comment"));
}

TEST(ContractConventionsTest, EnumValueWithoutPrefixIsReported) {
  BrokenCopy copy;
  copy.AppendEnumValue(kRegistrationResources, "CaseState", "ARCHIVED",
                       copy.NextEnumNumber(kRegistrationResources, "CaseState"));
  EXPECT_THAT(copy.Conventions(),
              ElementsAre("nrp/registration/v1/resources.proto: "
                          "nrp.registration.v1.CaseState.ARCHIVED: enum value does not start "
                          "with CASE_STATE_"));
}

TEST(ContractConventionsTest, WrongEventTypeAndTopicAreReported) {
  BrokenCopy copy;
  EventSpec spec = LandDeliveredSpec();
  spec.ce_type = "nrp.land_supply.delivered.v1";
  spec.topic = "nrp.land_supply.v1";
  copy.SetEvent(kLandSupplyEvents, "LandDelivered", spec);
  const std::string where = "nrp/land_supply/v1/events.proto: nrp.land_supply.v1.LandDelivered: ";
  EXPECT_THAT(copy.Conventions(),
              ElementsAre(where + "event ce_type is nrp.land_supply.delivered.v1, expected "
                                  "nrp.land_supply.land_delivered.v1",
                          where + "event topic is nrp.land_supply.v1, expected "
                                  "nrp.land_supply.events.v1"));
}

TEST(ContractConventionsTest, EventKeyAndConsumersAreChecked) {
  BrokenCopy copy;
  EventSpec spec = LandDeliveredSpec();
  spec.key = "delivery_id";
  spec.consumers = {"registration", "tax_bureau", "land_supply"};
  copy.SetEvent(kLandSupplyEvents, "LandDelivered", spec);
  const std::string where = "nrp/land_supply/v1/events.proto: nrp.land_supply.v1.LandDelivered: ";
  EXPECT_THAT(copy.Conventions(),
              ElementsAre(where + "event key delivery_id does not name a singular string field",
                          where + "event consumer tax_bureau is not a service of the contract",
                          where + "event consumer land_supply is the producer itself"));
}

TEST(ContractConventionsTest, DuplicateEventTypeIsReported) {
  BrokenCopy copy;
  copy.SetEvent(
      kLandSupplyEvents, "ParcelCleared",
      {"nrp.land_supply.parcel_reserved.v1", "parcel_id", "nrp.land_supply.events.v1", {}});
  const std::string where = "nrp/land_supply/v1/events.proto: nrp.land_supply.v1.ParcelCleared: ";
  EXPECT_THAT(copy.Conventions(),
              ElementsAre(where + "event ce_type is nrp.land_supply.parcel_reserved.v1, expected "
                                  "nrp.land_supply.parcel_cleared.v1",
                          where + "event ce_type nrp.land_supply.parcel_reserved.v1 is also used "
                                  "by nrp.land_supply.v1.ParcelReserved"));
}

TEST(ContractConventionsTest, PackageOutsideTheLayoutIsReported) {
  BrokenCopy copy;
  pb::FileDescriptorProto& file = *copy.set().add_file();
  file.set_name("nrp/extra/v1/extra.proto");
  file.set_package("nrp.extra");
  file.set_syntax("proto3");
  copy.AppendMessage("nrp/extra/v1/extra.proto", "Extra");
  copy.AppendField("nrp/extra/v1/extra.proto", "Extra", "name", 1,
                   pb::FieldDescriptorProto::TYPE_STRING);
  EXPECT_THAT(
      copy.Conventions(),
      ElementsAre("nrp/extra/v1/extra.proto: nrp.extra: package is not nrp.<service>.v<N>"));
}

TEST(ContractGateTest, PureAdditionsPassAndRequireANewLock) {
  BrokenCopy copy;
  // A new field, enum value, rpc with its request, and a new event.
  const int field_number = copy.NextFieldNumber(kRegistrationResources, "RegistrationCase");
  const int value_number = copy.NextEnumNumber(kRegistrationResources, "CaseState");
  copy.AppendField(kRegistrationResources, "RegistrationCase", "archived_at", field_number,
                   pb::FieldDescriptorProto::TYPE_MESSAGE, pb::FieldDescriptorProto::LABEL_OPTIONAL,
                   ".google.protobuf.Timestamp");
  copy.AppendEnumValue(kRegistrationResources, "CaseState", "CASE_STATE_ARCHIVED", value_number);
  copy.AppendMessage(kRegistration, "GetCaseHistoryRequest");
  copy.AppendField(kRegistration, "GetCaseHistoryRequest", "case_id", 1,
                   pb::FieldDescriptorProto::TYPE_STRING);
  copy.AppendMethod(kRegistration, "RegistrationService", "GetCaseHistory",
                    ".nrp.registration.v1.GetCaseHistoryRequest",
                    ".nrp.registration.v1.RegistrationCase");
  copy.AppendMessage(kRegistrationEvents, "CaseArchived");
  copy.AppendField(kRegistrationEvents, "CaseArchived", "case_id", 1,
                   pb::FieldDescriptorProto::TYPE_STRING);
  copy.AppendField(kRegistrationEvents, "CaseArchived", "region_code", 2,
                   pb::FieldDescriptorProto::TYPE_STRING);
  copy.SetEvent(
      kRegistrationEvents, "CaseArchived",
      {"nrp.registration.case_archived.v1", "case_id", "nrp.registration.events.v1", {"planning"}});

  const CompatibilityReport report = copy.Gate();
  EXPECT_TRUE(report.ok());
  EXPECT_THAT(report.problems, IsEmpty());
  EXPECT_THAT(
      report.additions,
      UnorderedElementsAre("field nrp.registration.v1.RegistrationCase.archived_at (" +
                               std::to_string(field_number) + ") added",
                           "message nrp.registration.v1.CaseArchived added",
                           "message nrp.registration.v1.GetCaseHistoryRequest added",
                           "enum value nrp.registration.v1.CaseState.CASE_STATE_ARCHIVED (" +
                               std::to_string(value_number) + ") added",
                           "rpc nrp.registration.v1.RegistrationService.GetCaseHistory added"));
  EXPECT_THAT(copy.Conventions(), IsEmpty());

  std::unique_ptr<Contract> extended = copy.Build();
  ASSERT_NE(extended, nullptr);
  // The committed lock no longer matches: scripts/update-contract-lock must regenerate it, and
  // the new event shows up in the catalogue.
  EXPECT_NE(RenderLock(BuildLockModel(*extended)), RenderLock(BuildLockModel(Real())));
  EXPECT_NE(RenderEventsMarkdown(*extended).find("\n### nrp.registration.case_archived.v1\n"),
            std::string::npos);
  // Regenerated, the lock accepts the extended contract without notes.
  LockModel relocked;
  std::string error;
  ASSERT_TRUE(ParseLock(RenderLock(BuildLockModel(*extended)), &relocked, &error)) << error;
  const CompatibilityReport again = CheckCompatibility(relocked, BuildLockModel(*extended));
  EXPECT_THAT(again.problems, IsEmpty());
  EXPECT_THAT(again.additions, IsEmpty());
}

}  // namespace
}  // namespace nrp::protolock
