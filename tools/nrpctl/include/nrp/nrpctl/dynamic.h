// The contract as the CLI sees it: every message and service of protos/ comes
// from the generated descriptor pool (nrp_protos is linked whole), so any rpc
// can be called and any event decoded without code written for it.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nrp/nrpctl/context.h"

namespace nrp::nrpctl {

struct ServiceInfo {
  std::string_view name;       // "land_supply": package, topic and variable names
  std::string_view cli;        // "land-supply": the command word
  std::string_view full_name;  // "nrp.land_supply.v1.LandSupplyService"
  int default_port;            // on the local stack (deploy/local)
};

// The platform's services in the order of the architecture's table.
inline constexpr std::array<ServiceInfo, 5> kServices = {{
    {"registration", "registration", "nrp.registration.v1.RegistrationService", 50051},
    {"land_supply", "land-supply", "nrp.land_supply.v1.LandSupplyService", 50052},
    {"mining_rights", "mining-rights", "nrp.mining_rights.v1.MiningRightsService", 50053},
    {"restoration", "restoration", "nrp.restoration.v1.RestorationService", 50054},
    {"planning", "planning", "nrp.planning.v1.PlanningService", 50055},
}};

// A service by its name, command word or full proto name; null if none.
const ServiceInfo* FindService(std::string_view word);
// "registration, land-supply, …" for messages.
std::string ServiceNames();

// The service's descriptor from the generated pool.
Outcome<const google::protobuf::ServiceDescriptor*> ServiceDescriptorOf(const ServiceInfo& service);

// A method by exact name, or ignoring case, '-' and '_' ("list-zone-layers").
Outcome<const google::protobuf::MethodDescriptor*> FindMethod(
    const google::protobuf::ServiceDescriptor* service, std::string_view name);

// A message, enum or service by full name, or by its short name in one of the
// platform's packages (nrp.<service>.v1, nrp.common.v1); a short name found in
// several packages is a usage failure naming them all.
struct NamedType {
  const google::protobuf::Descriptor* message = nullptr;
  const google::protobuf::EnumDescriptor* enumeration = nullptr;
  const google::protobuf::ServiceDescriptor* service = nullptr;
  const google::protobuf::MethodDescriptor* method = nullptr;
};
Outcome<NamedType> FindType(std::string_view name);

// A message type of the generated pool by full name, or null.
const google::protobuf::Descriptor* FindMessageType(std::string_view full_name);

// A new, empty message of the type (generated class).
std::unique_ptr<google::protobuf::Message> NewMessage(const google::protobuf::Descriptor* type);

// JSON (proto3 JSON mapping; proto or lowerCamel field names) into `message`.
// Unknown fields are rejected. The failure (kExitUsage) names `what`.
Done JsonToMessage(std::string_view json, google::protobuf::Message* message,
                   std::string_view what = "request");

// Proto3 JSON with proto field names, enums as names, and fields at their
// default values printed (so scripts find every field). Compact unless `pretty`.
std::string MessageToJson(const google::protobuf::Message& message, bool pretty = false);

// "ZONE_LAYER_KIND_" for enum ZoneLayerKind.
std::string EnumPrefix(const google::protobuf::EnumDescriptor* type);
// The value's name without its enum's prefix: "ECOLOGICAL_RED_LINE".
std::string ShortEnumName(const google::protobuf::EnumValueDescriptor* value);
// An enum value from its full name, its name without the prefix, in any case
// with '-' for '_' ("ecological-red-line"), or its number.
Outcome<const google::protobuf::EnumValueDescriptor*> ParseEnum(
    const google::protobuf::EnumDescriptor* type, std::string_view text);
// "ecological_red_line, permanent_basic_farmland, …" (short lower-case names).
std::string EnumChoices(const google::protobuf::EnumDescriptor* type);

// The field at a dotted path of singular message fields ("target.text"), or null.
const google::protobuf::FieldDescriptor* FieldAtPath(const google::protobuf::Descriptor* type,
                                                     std::string_view path);

// Sets the field at `path` from text: numbers, bools, enums (ParseEnum),
// strings, google.protobuf.Timestamp (RFC 3339) and nrp.common.v1.Date
// (YYYY-MM-DD); a repeated field gets the value appended.
Done SetField(google::protobuf::Message* message, std::string_view path, std::string_view text);

// One term of an AIP-160 filter on a field of `type`: `region_code = "410300"`,
// `state = OFFER_STATE_PUBLISHED`, `version = 2`. Strings are quoted with
// backslash escapes; enum text is resolved with ParseEnum.
Outcome<std::string> FilterTerm(const google::protobuf::Descriptor* type, std::string_view path,
                                std::string_view text);

// Sets a top-level string field `request_id` to a fresh UUID when the message
// has one and it is empty (every mutation of the contract carries one).
// Returns whether it did.
bool FillRequestId(google::protobuf::Message* message);

// "unary", "client-streaming", "server-streaming" or "bidi-streaming".
std::string MethodKind(const google::protobuf::MethodDescriptor* method);

}  // namespace nrp::nrpctl
