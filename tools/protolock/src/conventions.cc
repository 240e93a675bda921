#include "nrp/protolock/conventions.h"

#include <cctype>
#include <map>
#include <regex>
#include <set>

namespace nrp::protolock {
namespace {

namespace pb = google::protobuf;

bool StartsWithWord(std::string_view name, std::string_view word) {
  if (name.substr(0, word.size()) != word) return false;
  return name.size() == word.size() ||
         std::isupper(static_cast<unsigned char>(name[word.size()])) != 0;
}

std::string Basename(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

class Checker {
 public:
  explicit Checker(const Contract& contract) : contract_(contract) {
    for (const pb::FileDescriptor* file : contract.files()) {
      const std::string service = ServiceOfPackage(file->package());
      if (service != "common") services_.insert(service);
    }
  }

  std::vector<std::string> Run() {
    for (const pb::FileDescriptor* file : contract_.files()) CheckFile(file);
    return std::move(problems_);
  }

 private:
  void Report(const pb::FileDescriptor* file, const std::string& element,
              const std::string& problem) {
    problems_.push_back(file->name() + ": " + element + ": " + problem);
  }

  template <typename D>
  void RequireComment(const pb::FileDescriptor* file, const D* d, const std::string& element,
                      std::string_view what) {
    if (LeadingComment(d).empty()) {
      Report(file, element, std::string(what) + " has no leading comment");
    }
  }

  void CheckFile(const pb::FileDescriptor* file) {
    static const std::regex kPackage(R"(nrp\.([a-z][a-z0-9_]*)\.(v[1-9][0-9]*))");
    std::smatch match;
    const std::string& package = file->package();
    if (!std::regex_match(package, match, kPackage)) {
      Report(file, package, "package is not nrp.<service>.v<N>");
    } else {
      const std::string dir = "nrp/" + match[1].str() + "/" + match[2].str() + "/";
      if (file->name().compare(0, dir.size(), dir) != 0) {
        Report(file, package, "file is not stored under " + dir);
      }
    }
    if (file->syntax() != pb::FileDescriptor::SYNTAX_PROTO3) {
      Report(file, package, "file is not proto3");
    }
    const bool events_file = Basename(file->name()) == "events.proto";
    for (int i = 0; i < file->message_type_count(); ++i) {
      const pb::Descriptor* message = file->message_type(i);
      CheckMessage(file, message);
      std::optional<EventSpec> event = contract_.FindEventSpec(message);
      if (event) {
        CheckEvent(file, message, *event);
      } else if (events_file) {
        Report(file, message->full_name(),
               "message in events.proto has no (nrp.common.v1.event) option");
      }
    }
    for (int i = 0; i < file->enum_type_count(); ++i) CheckEnum(file, file->enum_type(i));
    for (int i = 0; i < file->extension_count(); ++i) {
      const pb::FieldDescriptor* extension = file->extension(i);
      RequireComment(file, extension, extension->full_name(), "extension");
    }
    for (int i = 0; i < file->service_count(); ++i) CheckService(file, file->service(i));
  }

  void CheckMessage(const pb::FileDescriptor* file, const pb::Descriptor* message) {
    if (message->options().map_entry()) return;
    const std::string& name = message->full_name();
    if (!IsUpperCamel(message->name())) Report(file, name, "message name is not UpperCamelCase");
    RequireComment(file, message, name, "message");
    for (int i = 0; i < message->field_count(); ++i) {
      const pb::FieldDescriptor* field = message->field(i);
      const std::string element = name + "." + field->name();
      if (!IsLowerSnake(field->name())) Report(file, element, "field name is not snake_case");
      RequireComment(file, field, element, "field");
      if (field->name() == "region_code" &&
          (field->type() != pb::FieldDescriptor::TYPE_STRING || field->is_repeated())) {
        Report(file, element, "region_code is not a singular string (6-digit GB/T 2260 code)");
      }
    }
    for (int i = 0; i < message->nested_type_count(); ++i) {
      CheckMessage(file, message->nested_type(i));
    }
    for (int i = 0; i < message->enum_type_count(); ++i) CheckEnum(file, message->enum_type(i));
    for (int i = 0; i < message->extension_count(); ++i) {
      const pb::FieldDescriptor* extension = message->extension(i);
      RequireComment(file, extension, extension->full_name(), "extension");
    }
  }

  void CheckEnum(const pb::FileDescriptor* file, const pb::EnumDescriptor* type) {
    const std::string& name = type->full_name();
    if (!IsUpperCamel(type->name())) Report(file, name, "enum name is not UpperCamelCase");
    RequireComment(file, type, name, "enum");
    const std::string prefix = UpperSnake(type->name()) + "_";
    const std::string zero = prefix + "UNSPECIFIED";
    const pb::EnumValueDescriptor* first = type->value(0);
    if (first->number() != 0 || first->name() != zero) {
      Report(file, name,
             "first value must be " + zero + " = 0 (found " + first->name() + " = " +
                 std::to_string(first->number()) + ")");
    }
    for (int i = 0; i < type->value_count(); ++i) {
      const pb::EnumValueDescriptor* value = type->value(i);
      const std::string element = name + "." + value->name();
      if (!IsUpperSnake(value->name())) {
        Report(file, element, "enum value is not UPPER_SNAKE_CASE");
      }
      if (value->name().compare(0, prefix.size(), prefix) != 0) {
        Report(file, element, "enum value does not start with " + prefix);
      }
      RequireComment(file, value, element, "enum value");
    }
  }

  // A singular field of the given type, or a reason why not.
  static bool HasField(const pb::Descriptor* message, const std::string& field_name,
                       pb::FieldDescriptor::Type type) {
    const pb::FieldDescriptor* field = message->FindFieldByName(field_name);
    return field != nullptr && field->type() == type && !field->is_repeated() &&
           field->real_containing_oneof() == nullptr;
  }

  void CheckService(const pb::FileDescriptor* file, const pb::ServiceDescriptor* service) {
    const std::string& name = service->full_name();
    const std::string& short_name = service->name();
    if (!IsUpperCamel(short_name) || short_name.size() <= 7 ||
        short_name.compare(short_name.size() - 7, 7, "Service") != 0) {
      Report(file, name, "service name is not UpperCamelCase ending in Service");
    }
    RequireComment(file, service, name, "service");
    for (int i = 0; i < service->method_count(); ++i) {
      const pb::MethodDescriptor* method = service->method(i);
      const std::string element = name + "." + method->name();
      if (!IsUpperCamel(method->name())) Report(file, element, "rpc name is not UpperCamelCase");
      RequireComment(file, method, element, "rpc");
      const pb::Descriptor* request = method->input_type();
      const pb::Descriptor* response = method->output_type();
      if (request->name() != method->name() + "Request") {
        Report(
            file, element,
            "request type is " + request->full_name() + ", expected " + method->name() + "Request");
      }
      switch (ClassifyMethod(method->name())) {
        case MethodKind::kMutation:
          if (!HasField(request, "request_id", pb::FieldDescriptor::TYPE_STRING)) {
            Report(file, element,
                   "mutation request " + request->full_name() + " has no string request_id");
          }
          break;
        case MethodKind::kList:
          CheckPaging(file, element, method, request, response);
          break;
        case MethodKind::kRead:
          break;
      }
    }
  }

  void CheckPaging(const pb::FileDescriptor* file, const std::string& element,
                   const pb::MethodDescriptor* method, const pb::Descriptor* request,
                   const pb::Descriptor* response) {
    const std::pair<const char*, pb::FieldDescriptor::Type> wanted[] = {
        {"page_size", pb::FieldDescriptor::TYPE_INT32},
        {"page_token", pb::FieldDescriptor::TYPE_STRING},
        {"filter", pb::FieldDescriptor::TYPE_STRING},
        {"order_by", pb::FieldDescriptor::TYPE_STRING},
    };
    for (const auto& [field, type] : wanted) {
      if (!HasField(request, field, type)) {
        Report(file, element,
               "list request " + request->full_name() + " has no " +
                   pb::FieldDescriptor::TypeName(type) + " " + field);
      }
    }
    if (response->name() != method->name() + "Response") {
      Report(file, element,
             "list response type is " + response->full_name() + ", expected " + method->name() +
                 "Response");
    }
    if (!HasField(response, "next_page_token", pb::FieldDescriptor::TYPE_STRING)) {
      Report(file, element,
             "list response " + response->full_name() + " has no string next_page_token");
    }
  }

  // Resolves a dotted key path to its last field, or nullptr.
  static const pb::FieldDescriptor* ResolveKey(const pb::Descriptor* message,
                                               const std::string& path) {
    const pb::FieldDescriptor* field = nullptr;
    size_t start = 0;
    while (true) {
      if (message == nullptr) return nullptr;
      const size_t dot = path.find('.', start);
      field = message->FindFieldByName(path.substr(start, dot - start));
      if (field == nullptr || field->is_repeated()) return nullptr;
      if (dot == std::string::npos) return field;
      message = field->message_type();
      start = dot + 1;
    }
  }

  void CheckEvent(const pb::FileDescriptor* file, const pb::Descriptor* message,
                  const EventSpec& event) {
    const std::string& name = message->full_name();
    const std::string service = ServiceOfPackage(file->package());
    const std::string version = VersionOfPackage(file->package());
    const std::string expected_type =
        "nrp." + service + "." + LowerSnake(message->name()) + "." + version;
    if (event.ce_type != expected_type) {
      Report(file, name, "event ce_type is " + event.ce_type + ", expected " + expected_type);
    }
    auto [seen, inserted] = ce_types_.emplace(event.ce_type, name);
    if (!inserted) {
      Report(file, name, "event ce_type " + event.ce_type + " is also used by " + seen->second);
    }
    const std::string expected_topic = "nrp." + service + ".events." + version;
    if (event.topic != expected_topic) {
      Report(file, name, "event topic is " + event.topic + ", expected " + expected_topic);
    }
    const pb::FieldDescriptor* key = ResolveKey(message, event.key);
    if (key == nullptr || key->type() != pb::FieldDescriptor::TYPE_STRING) {
      Report(file, name, "event key " + event.key + " does not name a singular string field");
    }
    if (!HasField(message, "region_code", pb::FieldDescriptor::TYPE_STRING)) {
      Report(file, name, "event has no string region_code (needed for ce_source)");
    }
    for (const std::string& consumer : event.consumers) {
      if (consumer == service) {
        Report(file, name, "event consumer " + consumer + " is the producer itself");
      } else if (services_.count(consumer) == 0) {
        Report(file, name, "event consumer " + consumer + " is not a service of the contract");
      }
    }
  }

  const Contract& contract_;
  std::set<std::string> services_;
  std::map<std::string, std::string> ce_types_;
  std::vector<std::string> problems_;
};

}  // namespace

MethodKind ClassifyMethod(std::string_view rpc_name) {
  if (StartsWithWord(rpc_name, "List") || StartsWithWord(rpc_name, "Search")) {
    return MethodKind::kList;
  }
  if (StartsWithWord(rpc_name, "Get") || StartsWithWord(rpc_name, "Check") ||
      StartsWithWord(rpc_name, "Watch")) {
    return MethodKind::kRead;
  }
  return MethodKind::kMutation;
}

std::vector<std::string> CheckConventions(const Contract& contract) {
  return Checker(contract).Run();
}

}  // namespace nrp::protolock
