#include "nrp/protolock/contract.h"

#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/unknown_field_set.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <utility>

namespace nrp::protolock {
namespace {

namespace pb = google::protobuf;

// Collects the errors of DescriptorPool::BuildFile.
class CollectingErrors : public pb::DescriptorPool::ErrorCollector {
 public:
  void AddError(const std::string& filename, const std::string& element_name, const pb::Message*,
                ErrorLocation, const std::string& message) override {
    if (!text_.empty()) text_ += "; ";
    text_ += filename + ": " + element_name + ": " + message;
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace

bool IsContractPackage(std::string_view package) {
  return package.substr(0, kContractPackagePrefix.size()) == kContractPackagePrefix;
}

std::unique_ptr<Contract> Contract::FromFile(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open descriptor set " + path;
    return nullptr;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  pb::FileDescriptorSet set;
  if (!set.ParseFromString(bytes.str())) {
    *error = "cannot parse descriptor set " + path;
    return nullptr;
  }
  return FromSet(std::move(set), error);
}

std::unique_ptr<Contract> Contract::FromSet(pb::FileDescriptorSet set, std::string* error) {
  std::unique_ptr<Contract> contract(new Contract());
  contract->set_ = std::move(set);
  contract->pool_ = std::make_unique<pb::DescriptorPool>();
  // protoc writes --include_imports sets in dependency order, so every import is built first.
  for (const pb::FileDescriptorProto& file : contract->set_.file()) {
    CollectingErrors errors;
    const pb::FileDescriptor* built = contract->pool_->BuildFileCollectingErrors(file, &errors);
    if (built == nullptr) {
      *error = "cannot build " + file.name() + ": " + errors.text();
      return nullptr;
    }
    if (IsContractPackage(built->package())) contract->files_.push_back(built);
  }
  return contract;
}

std::optional<EventSpec> Contract::FindEventSpec(const pb::Descriptor* message) const {
  const pb::FieldDescriptor* extension = pool_->FindExtensionByName(std::string(kEventOptionName));
  if (extension == nullptr || extension->message_type() == nullptr) return std::nullopt;
  // The option is stored in MessageOptions as an extension this binary may not have compiled in;
  // it then sits among the unknown fields. Serializing and re-reading it works either way.
  std::string options;
  if (!message->options().SerializeToString(&options)) return std::nullopt;
  pb::UnknownFieldSet fields;
  if (!fields.ParseFromString(options)) return std::nullopt;
  const std::string* payload = nullptr;
  for (int i = 0; i < fields.field_count(); ++i) {
    const pb::UnknownField& field = fields.field(i);
    if (field.number() == extension->number() &&
        field.type() == pb::UnknownField::TYPE_LENGTH_DELIMITED) {
      payload = &field.length_delimited();
    }
  }
  if (payload == nullptr) return std::nullopt;
  pb::DynamicMessageFactory factory(pool_.get());
  std::unique_ptr<pb::Message> spec(factory.GetPrototype(extension->message_type())->New());
  if (!spec->ParseFromString(*payload)) return std::nullopt;
  const pb::Reflection* reflection = spec->GetReflection();
  const pb::Descriptor* type = spec->GetDescriptor();
  EventSpec out;
  auto string_field = [&](const char* name) -> std::string {
    const pb::FieldDescriptor* field = type->FindFieldByName(name);
    if (field == nullptr || field->is_repeated()) return {};
    return reflection->GetString(*spec, field);
  };
  out.ce_type = string_field("ce_type");
  out.key = string_field("key");
  out.topic = string_field("topic");
  if (const pb::FieldDescriptor* consumers = type->FindFieldByName("consumers");
      consumers != nullptr && consumers->is_repeated()) {
    for (int i = 0; i < reflection->FieldSize(*spec, consumers); ++i) {
      out.consumers.push_back(reflection->GetRepeatedString(*spec, consumers, i));
    }
  }
  return out;
}

std::string CleanComment(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    if (!out.empty()) out += '\n';
    out += line;
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  while (!out.empty() && out.front() == '\n') out.erase(out.begin());
  return out;
}

std::string OneLine(std::string_view comment) {
  std::string out;
  for (char c : comment) out += c == '\n' ? ' ' : c;
  return out;
}

std::string UpperSnake(std::string_view camel) {
  std::string out;
  for (size_t i = 0; i < camel.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(camel[i]);
    if (std::isupper(c) && i > 0) {
      const unsigned char prev = static_cast<unsigned char>(camel[i - 1]);
      const bool next_lower =
          i + 1 < camel.size() && std::islower(static_cast<unsigned char>(camel[i + 1]));
      if (std::islower(prev) || std::isdigit(prev) || (std::isupper(prev) && next_lower)) {
        out += '_';
      }
    }
    out += static_cast<char>(std::toupper(c));
  }
  return out;
}

std::string LowerSnake(std::string_view camel) {
  std::string out = UpperSnake(camel);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsLowerSnake(std::string_view name) {
  if (name.empty() || !std::islower(static_cast<unsigned char>(name.front()))) return false;
  if (name.back() == '_') return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c == '_') {
      if (name[i - 1] == '_') return false;
    } else if (!std::islower(c) && !std::isdigit(c)) {
      return false;
    }
  }
  return true;
}

bool IsUpperSnake(std::string_view name) {
  if (name.empty() || !std::isupper(static_cast<unsigned char>(name.front()))) return false;
  if (name.back() == '_') return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c == '_') {
      if (name[i - 1] == '_') return false;
    } else if (!std::isupper(c) && !std::isdigit(c)) {
      return false;
    }
  }
  return true;
}

bool IsUpperCamel(std::string_view name) {
  if (name.empty() || !std::isupper(static_cast<unsigned char>(name.front()))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string ServiceOfPackage(std::string_view package) {
  if (!IsContractPackage(package)) return {};
  std::string_view rest = package.substr(kContractPackagePrefix.size());
  const size_t dot = rest.rfind('.');
  return std::string(dot == std::string_view::npos ? rest : rest.substr(0, dot));
}

std::string VersionOfPackage(std::string_view package) {
  const size_t dot = package.rfind('.');
  return dot == std::string_view::npos ? std::string() : std::string(package.substr(dot + 1));
}

}  // namespace nrp::protolock
