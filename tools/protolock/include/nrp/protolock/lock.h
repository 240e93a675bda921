// The compatibility gate: the public contract rendered as stable, sorted text (the lock file
// protos/contract.lock), read back, and compared with the current contract.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nrp/protolock/contract.h"

namespace nrp::protolock {

// One field of a message. label is "singular", "optional" (proto3 optional) or "repeated";
// type is a scalar name ("string"), "message:<full name>", "enum:<full name>" or
// "map<key,value>" with the value written the same way.
struct LockField {
  int number = 0;
  std::string name;
  std::string label;
  std::string type;
  std::string oneof;  // empty unless in a real oneof

  bool operator==(const LockField&) const = default;
};

struct LockMessage {
  std::string full_name;
  std::vector<LockField> fields;  // by number
  std::optional<EventSpec> event;

  bool operator==(const LockMessage&) const = default;
};

struct LockEnumValue {
  int number = 0;
  std::string name;

  bool operator==(const LockEnumValue&) const = default;
};

struct LockEnum {
  std::string full_name;
  std::vector<LockEnumValue> values;  // by number, then name

  bool operator==(const LockEnum&) const = default;
};

struct LockMethod {
  std::string name;
  std::string input;
  std::string output;
  bool client_streaming = false;
  bool server_streaming = false;

  bool operator==(const LockMethod&) const = default;
};

struct LockService {
  std::string full_name;
  std::vector<LockMethod> methods;  // by name

  bool operator==(const LockService&) const = default;
};

// An extension declared by the contract, e.g. nrp.common.v1.event on MessageOptions.
struct LockExtension {
  std::string full_name;
  int number = 0;
  std::string extendee;
  std::string label;
  std::string type;

  bool operator==(const LockExtension&) const = default;
};

// The public contract of the nrp.* packages.
struct LockModel {
  std::map<std::string, std::string> files;  // path -> package
  std::map<std::string, LockMessage> messages;
  std::map<std::string, LockEnum> enums;
  std::map<std::string, LockService> services;
  std::map<std::string, LockExtension> extensions;

  bool operator==(const LockModel&) const = default;
};

// Extracts the public contract from a descriptor set.
LockModel BuildLockModel(const Contract& contract);

// Renders the model as the lock file's text.
std::string RenderLock(const LockModel& model);

// Reads a lock file's text; false and *error (with the line number) if it is malformed.
bool ParseLock(std::string_view text, LockModel* model, std::string* error);

// Result of comparing the locked contract with the current one.
struct CompatibilityReport {
  // Changes that break existing clients or consumers; each one fails the gate.
  std::vector<std::string> problems;
  // Pure additions (and changes of documentation-only data such as consumers); they pass, but
  // the lock must be regenerated with scripts/update-contract-lock.
  std::vector<std::string> additions;

  bool ok() const { return problems.empty(); }
};

// Compares the locked contract with the current one.
CompatibilityReport CheckCompatibility(const LockModel& locked, const LockModel& current);

}  // namespace nrp::protolock
