// The platform's contract as read from a descriptor set (protoc --descriptor_set_out
// --include_imports --include_source_info), with the helpers every protolock check shares.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nrp::protolock {

// Packages of the public contract start with this prefix; everything else in the descriptor set
// (google.protobuf, google.rpc, grpc.health) is a dependency and not checked.
inline constexpr std::string_view kContractPackagePrefix = "nrp.";

// Full name of the message option that marks an event message.
inline constexpr std::string_view kEventOptionName = "nrp.common.v1.event";

// What an event message declares in its (nrp.common.v1.event) option.
struct EventSpec {
  std::string ce_type;
  std::string key;
  std::string topic;
  std::vector<std::string> consumers;

  bool operator==(const EventSpec&) const = default;
};

// A descriptor set with the pool built from it.
class Contract {
 public:
  // Reads and builds the descriptor set stored at path; nullptr and *error on failure.
  static std::unique_ptr<Contract> FromFile(const std::string& path, std::string* error);
  // Builds a descriptor set held in memory (e.g. a deliberately modified copy in a test).
  static std::unique_ptr<Contract> FromSet(google::protobuf::FileDescriptorSet set,
                                           std::string* error);

  Contract(const Contract&) = delete;
  Contract& operator=(const Contract&) = delete;

  const google::protobuf::FileDescriptorSet& set() const { return set_; }
  const google::protobuf::DescriptorPool& pool() const { return *pool_; }
  // The files of the public contract (package nrp.*), in descriptor-set order.
  const std::vector<const google::protobuf::FileDescriptor*>& files() const { return files_; }

  // The event option of a message, or nullopt if the message is not an event.
  std::optional<EventSpec> FindEventSpec(const google::protobuf::Descriptor* message) const;

 private:
  Contract() = default;

  google::protobuf::FileDescriptorSet set_;
  std::unique_ptr<google::protobuf::DescriptorPool> pool_;
  std::vector<const google::protobuf::FileDescriptor*> files_;
};

// True if the package belongs to the public contract.
bool IsContractPackage(std::string_view package);

// A comment as protoc records it, with comment markers removed and each line trimmed; lines
// are joined by '\n' and blank lines at either end dropped.
std::string CleanComment(std::string_view raw);

// The leading comment of a descriptor, cleaned; empty if there is none (or the set was built
// without source info).
template <typename D>
std::string LeadingComment(const D* descriptor) {
  google::protobuf::SourceLocation location;
  if (!descriptor->GetSourceLocation(&location)) return {};
  return CleanComment(location.leading_comments);
}

// The comment on one line (line breaks replaced by spaces).
std::string OneLine(std::string_view comment);

// "GeometryEncoding" -> "GEOMETRY_ENCODING".
std::string UpperSnake(std::string_view camel);
// "RightRegistered" -> "right_registered".
std::string LowerSnake(std::string_view camel);
// True for "snake_case_names" (lower-case letters and digits, single underscores).
bool IsLowerSnake(std::string_view name);
// True for "UPPER_SNAKE_NAMES".
bool IsUpperSnake(std::string_view name);
// True for "UpperCamelCase".
bool IsUpperCamel(std::string_view name);

// The service a contract package belongs to: "nrp.land_supply.v1" -> "land_supply".
std::string ServiceOfPackage(std::string_view package);
// The major version suffix of a contract package: "nrp.land_supply.v1" -> "v1".
std::string VersionOfPackage(std::string_view package);

}  // namespace nrp::protolock
