#include "nrp/protolock/catalogue.h"

#include <google/protobuf/descriptor.pb.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

namespace nrp::protolock {
namespace {

namespace pb = google::protobuf;

constexpr std::string_view kDlqSuffix = ".dlq";
constexpr std::string_view kDlqReasonHeader = "nrp_dlq_reason";
constexpr std::string_view kGeneratedNote =
    "Generated from protos/ by `protolock catalogue` (run scripts/update-contract-lock); "
    "do not edit by hand.";

// One CloudEvents header of the envelope.
struct Header {
  const char* name;
  const char* value;
  const char* meaning;
};

constexpr Header kHeaders[] = {
    {"ce_specversion", "`1.0`", "CloudEvents version."},
    {"ce_id", "UUID", "Unique per event; consumers deduplicate on it (inbox table)."},
    {"ce_source", "`/nrp/<service>/<region_code>`",
     "Producing service and the 6-digit GB/T 2260 region code from the payload's region_code."},
    {"ce_type", "`nrp.<service>.<event>.v<N>`", "Event type; selects the payload message."},
    {"ce_subject", "aggregate id", "Equal to the Kafka key (the payload field named as key)."},
    {"ce_time", "RFC 3339", "When the fact happened, e.g. `2025-03-01T08:00:00+08:00`."},
    {"content-type", "`application/protobuf`",
     "The Kafka value is the payload serialized as protobuf."},
    {"ce_dataschema", "message full name", "E.g. `nrp.mining_rights.v1.RightGranted`."},
    {"traceparent", "W3C trace context",
     "Trace of what caused the event: the call (its trace, a span of the service's), the consumed "
     "event, or the scheduled run (a trace of its own)."},
};

bool IsWellKnown(const pb::Descriptor* message) {
  return message->file()->package() == "google.protobuf";
}

std::string FileComment(const pb::FileDescriptor* file) {
  pb::FileDescriptorProto proto;
  file->CopySourceCodeInfoTo(&proto);
  for (const pb::SourceCodeInfo::Location& location : proto.source_code_info().location()) {
    if (location.path_size() == 1 &&
        location.path(0) == pb::FileDescriptorProto::kSyntaxFieldNumber) {
      return CleanComment(location.leading_comments());
    }
  }
  return {};
}

std::string Join(const std::vector<std::string>& items, std::string_view separator,
                 std::string_view if_empty) {
  if (items.empty()) return std::string(if_empty);
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::vector<std::string> Quoted(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& item : items) out.push_back("`" + item + "`");
  return out;
}

// Messages and enums reachable from the event payloads, sorted by full name.
struct PayloadTypes {
  std::map<std::string, const pb::Descriptor*> messages;
  std::map<std::string, const pb::EnumDescriptor*> enums;
};

PayloadTypes CollectPayloadTypes(const std::vector<CatalogueTopic>& topics) {
  PayloadTypes types;
  std::function<void(const pb::Descriptor*)> visit = [&](const pb::Descriptor* message) {
    for (int i = 0; i < message->field_count(); ++i) {
      const pb::FieldDescriptor* field = message->field(i);
      if (field->is_map()) field = field->message_type()->FindFieldByNumber(2);
      if (field->enum_type() != nullptr) {
        types.enums.emplace(field->enum_type()->full_name(), field->enum_type());
      } else if (const pb::Descriptor* type = field->message_type();
                 type != nullptr && !IsWellKnown(type) &&
                 types.messages.emplace(type->full_name(), type).second) {
        visit(type);
      }
    }
  };
  for (const CatalogueTopic& topic : topics) {
    for (const CatalogueEvent& event : topic.events) visit(event.message);
  }
  return types;
}

// ---------------------------------------------------------------------------------------------
// Markdown

// GitHub's heading anchor: lower case, punctuation other than '-' and '_' dropped, spaces to '-'.
std::string Anchor(std::string_view heading) {
  std::string out;
  for (char c : heading) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || u >= 0x80) {
      out += static_cast<char>(std::tolower(u));
    } else if (c == ' ') {
      out += '-';
    }
  }
  return out;
}

std::string Cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string TypeLink(const std::string& full_name) {
  return "[`" + full_name + "`](#" + Anchor(full_name) + ")";
}

std::string MarkdownScalarOrType(const pb::FieldDescriptor* field) {
  if (field->enum_type() != nullptr) return TypeLink(field->enum_type()->full_name());
  if (const pb::Descriptor* type = field->message_type()) {
    return IsWellKnown(type) ? "`" + type->full_name() + "`" : TypeLink(type->full_name());
  }
  return std::string("`") + field->type_name() + "`";
}

std::string MarkdownType(const pb::FieldDescriptor* field) {
  if (field->is_map()) {
    const pb::Descriptor* entry = field->message_type();
    return "map of " + MarkdownScalarOrType(entry->FindFieldByNumber(1)) + " to " +
           MarkdownScalarOrType(entry->FindFieldByNumber(2));
  }
  std::string out = MarkdownScalarOrType(field);
  if (field->is_repeated()) return "repeated " + out;
  if (field->has_optional_keyword()) return "optional " + out;
  return out;
}

void MarkdownFields(const pb::Descriptor* message, std::string* out) {
  *out += "| # | Field | Type | Description |\n| --- | --- | --- | --- |\n";
  for (int i = 0; i < message->field_count(); ++i) {
    const pb::FieldDescriptor* field = message->field(i);
    std::string description = LeadingComment(field);
    if (const pb::OneofDescriptor* oneof = field->real_containing_oneof()) {
      description += " (one of `" + oneof->name() + "`)";
    }
    *out += "| " + std::to_string(field->number()) + " | `" + field->name() + "` | " +
            MarkdownType(field) + " | " + Cell(description) + " |\n";
  }
}

std::vector<std::string> ContractServices(const Contract& contract) {
  std::set<std::string> services;
  for (const pb::FileDescriptor* file : contract.files()) {
    const std::string service = ServiceOfPackage(file->package());
    if (service != "common") services.insert(service);
  }
  return {services.begin(), services.end()};
}

}  // namespace

std::vector<CatalogueTopic> CollectTopics(const Contract& contract) {
  std::map<std::string, CatalogueTopic> topics;
  for (const pb::FileDescriptor* file : contract.files()) {
    for (int i = 0; i < file->message_type_count(); ++i) {
      const pb::Descriptor* message = file->message_type(i);
      std::optional<EventSpec> spec = contract.FindEventSpec(message);
      if (!spec) continue;
      CatalogueTopic& topic = topics[spec->topic];
      if (topic.name.empty()) {
        topic.name = spec->topic;
        topic.producer = ServiceOfPackage(file->package());
        topic.description = FileComment(file);
      }
      for (const std::string& consumer : spec->consumers) {
        if (std::find(topic.consumers.begin(), topic.consumers.end(), consumer) ==
            topic.consumers.end()) {
          topic.consumers.push_back(consumer);
        }
      }
      topic.events.push_back({message, *spec, ServiceOfPackage(file->package())});
    }
  }
  std::vector<CatalogueTopic> out;
  for (auto& [name, topic] : topics) {
    std::sort(topic.consumers.begin(), topic.consumers.end());
    out.push_back(std::move(topic));
  }
  return out;
}

std::string RenderEventsMarkdown(const Contract& contract) {
  const std::vector<CatalogueTopic> topics = CollectTopics(contract);
  std::string out;
  out += "# Events catalogue\n\n";
  out += "<!-- " + std::string(kGeneratedNote) + " -->\n\n";
  out +=
      "Every state change of the platform is published as an event on the Kafka topic of the "
      "service that owns the data, from that service's transactional outbox and in commit "
      "order. This catalogue lists every topic, event type (`ce_type`), key, payload message, "
      "producer and known consumer. It is rendered from the descriptor set of `protos/`; a "
      "test fails when this file differs from what the protos say.\n\n";
  out +=
      "A subscriber in another agency needs only a Kafka client and `protos/`: read the topic, "
      "use the `ce_type` header to choose the payload message, and decode the Kafka value as "
      "that protobuf message. The same information in machine-readable form is "
      "`protos/asyncapi.yaml` (AsyncAPI 2.6.0).\n\n";

  out += "## Envelope: CloudEvents 1.0 in Kafka binary mode\n\n";
  out +=
      "The envelope travels as Kafka headers; the payload carries no envelope fields.\n\n"
      "| Header | Value | Meaning |\n| --- | --- | --- |\n";
  for (const Header& h : kHeaders) {
    out += std::string("| `") + h.name + "` | " + h.value + " | " + h.meaning + " |\n";
  }
  out +=
      "\n- Kafka key: the aggregate id, taken from the payload field listed as *Key* below, so "
      "the events of one aggregate stay in order on one partition.\n"
      "- Kafka value: the payload message serialized as protobuf (binary wire format).\n"
      "- Delivery is at least once. Consumers record `ce_id` in an inbox table in the same "
      "database transaction as their effects, so a redelivered event changes nothing, and "
      "commit offsets only after that transaction.\n"
      "- Payloads only gain fields within a version; a breaking change is a new `v2` event type "
      "on a new `v2` topic, checked by the compatibility gate (`protos/contract.lock`).\n\n";

  out += "## Dead-letter topics\n\n";
  out += "Every topic `T` has a dead-letter topic `T" + std::string(kDlqSuffix) +
         "`. A consumer that can never apply an event (undecodable, unknown `ce_type` or version, "
         "violates an invariant) publishes it there unchanged, with the original key, value and "
         "headers plus the header `" +
         std::string(kDlqReasonHeader) +
         "` (UTF-8 text saying why), and moves on. A transient failure (database down) is retried "
         "with backoff and never dead-lettered.\n\n";
  out += "| Topic | Dead-letter topic | Written by |\n| --- | --- | --- |\n";
  for (const CatalogueTopic& topic : topics) {
    out += "| `" + topic.name + "` | `" + topic.name + std::string(kDlqSuffix) + "` | " +
           Join(Quoted(topic.consumers), ", ", "none (no known consumer)") + " |\n";
  }

  out += "\n## Topics\n\n";
  out += "| Topic | Producer | Event types | Known consumers |\n| --- | --- | --- | --- |\n";
  for (const CatalogueTopic& topic : topics) {
    out += "| [`" + topic.name + "`](#" + Anchor(topic.name) + ") | `" + topic.producer + "` | " +
           std::to_string(topic.events.size()) + " | " +
           Join(Quoted(topic.consumers), ", ", "none") + " |\n";
  }

  out += "\n## Consumers\n\n";
  out += "| Service | Consumes |\n| --- | --- |\n";
  for (const std::string& service : ContractServices(contract)) {
    std::vector<std::string> consumed;
    for (const CatalogueTopic& topic : topics) {
      for (const CatalogueEvent& event : topic.events) {
        if (std::find(event.spec.consumers.begin(), event.spec.consumers.end(), service) !=
            event.spec.consumers.end()) {
          consumed.push_back("[`" + event.spec.ce_type + "`](#" + Anchor(event.spec.ce_type) + ")");
        }
      }
    }
    out += "| `" + service + "` | " + Join(consumed, "<br>", "nothing") + " |\n";
  }

  for (const CatalogueTopic& topic : topics) {
    out += "\n## " + topic.name + "\n\n";
    if (!topic.description.empty()) out += topic.description + "\n\n";
    const pb::FileDescriptor* file = topic.events.front().message->file();
    out += "- Producer: `" + topic.producer + "` (package `" + file->package() + "`, `protos/" +
           file->name() + "`)\n";
    out += "- Dead-letter topic: `" + topic.name + std::string(kDlqSuffix) + "`\n";
    out += "- Known consumers: " + Join(Quoted(topic.consumers), ", ", "none") + "\n\n";
    out += "| Event type (`ce_type`) | Payload | Key | Known consumers |\n";
    out += "| --- | --- | --- | --- |\n";
    for (const CatalogueEvent& event : topic.events) {
      out += "| [`" + event.spec.ce_type + "`](#" + Anchor(event.spec.ce_type) + ") | `" +
             event.message->full_name() + "` | `" + event.spec.key + "` | " +
             Join(Quoted(event.spec.consumers), ", ", "none") + " |\n";
    }
    for (const CatalogueEvent& event : topic.events) {
      out += "\n### " + event.spec.ce_type + "\n\n";
      const std::string comment = LeadingComment(event.message);
      if (!comment.empty()) out += comment + "\n\n";
      out += "- Payload: `" + event.message->full_name() + "`\n";
      out += "- Key and `ce_subject`: `" + event.spec.key + "`\n";
      out += "- Producer: `" + event.producer +
             "`; known consumers: " + Join(Quoted(event.spec.consumers), ", ", "none") + "\n\n";
      MarkdownFields(event.message, &out);
    }
  }

  const PayloadTypes types = CollectPayloadTypes(topics);
  out += "\n## Payload types\n\n";
  out +=
      "Messages and enums used inside the payloads above, by full name. "
      "`google.protobuf.Timestamp` is an instant (seconds and nanos since the Unix epoch); "
      "`nrp.common.v1.Date` is a calendar date in China Standard Time.\n";
  std::map<std::string, std::string> sections;
  for (const auto& [name, message] : types.messages) {
    std::string section = "\n### " + name + "\n\n";
    const std::string comment = LeadingComment(message);
    if (!comment.empty()) section += comment + "\n\n";
    MarkdownFields(message, &section);
    sections[name] = std::move(section);
  }
  for (const auto& [name, type] : types.enums) {
    std::string section = "\n### " + name + "\n\n";
    const std::string comment = LeadingComment(type);
    if (!comment.empty()) section += comment + "\n\n";
    section += "| Number | Value | Description |\n| --- | --- | --- |\n";
    for (int i = 0; i < type->value_count(); ++i) {
      const pb::EnumValueDescriptor* value = type->value(i);
      section += "| " + std::to_string(value->number()) + " | `" + value->name() + "` | " +
                 Cell(LeadingComment(value)) + " |\n";
    }
    sections[name] = std::move(section);
  }
  for (const auto& [name, section] : sections) out += section;
  return out;
}

// ---------------------------------------------------------------------------------------------
// AsyncAPI

namespace {

std::string YamlQuote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\x%02x", u);
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

class Yaml {
 public:
  // "key:" opening a mapping or sequence.
  void Open(int indent, std::string_view key) { Line(indent, std::string(key) + ":"); }
  // "key: value" with the value written as given (numbers, booleans, flow collections).
  void Raw(int indent, std::string_view key, std::string_view value) {
    Line(indent, std::string(key) + ": " + std::string(value));
  }
  // "key: "value"" with the value quoted.
  void String(int indent, std::string_view key, std::string_view value) {
    Raw(indent, key, YamlQuote(value));
  }
  // A text: quoted on one line, or a literal block if it spans lines.
  void Text(int indent, std::string_view key, std::string_view text) {
    if (text.find('\n') == std::string_view::npos) {
      String(indent, key, text);
      return;
    }
    Raw(indent, key, "|-");
    while (true) {
      const size_t end = text.find('\n');
      const std::string_view line = text.substr(0, end);
      if (line.empty()) {
        out_ += "\n";
      } else {
        Line(indent + 2, line);
      }
      if (end == std::string_view::npos) break;
      text = text.substr(end + 1);
    }
  }
  // "- value" item of a sequence.
  void Item(int indent, std::string_view value) { Line(indent, "- " + std::string(value)); }
  // A flow sequence of quoted strings.
  static std::string Flow(const std::vector<std::string>& items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += ", ";
      out += YamlQuote(items[i]);
    }
    return out + "]";
  }
  void Comment(std::string_view text) { out_ += "# " + std::string(text) + "\n"; }
  void Blank() { out_ += "\n"; }
  const std::string& str() const { return out_; }

 private:
  void Line(int indent, std::string_view text) {
    out_.append(static_cast<size_t>(indent), ' ');
    out_ += text;
    out_ += '\n';
  }
  std::string out_;
};

// The first sentence of a comment, on one line.
std::string FirstSentence(const std::string& comment) {
  const std::string line = OneLine(comment);
  const size_t end = line.find(". ");
  return end == std::string::npos ? line : line.substr(0, end + 1);
}

std::string SchemaRef(const std::string& name) { return YamlQuote("#/components/schemas/" + name); }

std::string OperationId(const std::string& topic) {
  std::string out = "receive";
  bool upper = true;
  for (char c : topic) {
    if (c == '.' || c == '_') {
      upper = true;
    } else {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return out;
}

// The JSON-schema description of one field value (without repetition), following the proto3 JSON
// mapping for the types.
void ValueSchema(Yaml& y, int indent, const pb::FieldDescriptor* field) {
  if (field->enum_type() != nullptr) {
    y.Open(indent, "allOf");
    y.Item(indent + 2, "$ref: " + SchemaRef(field->enum_type()->full_name()));
    return;
  }
  if (const pb::Descriptor* type = field->message_type()) {
    if (type->full_name() == "google.protobuf.Timestamp") {
      y.Raw(indent, "type", "string");
      y.Raw(indent, "format", "date-time");
    } else if (type->full_name() == "google.protobuf.FieldMask") {
      y.Raw(indent, "type", "string");
      y.String(indent, "description", "Comma-separated field paths (FieldMask).");
    } else if (IsWellKnown(type)) {
      y.Raw(indent, "type", "object");
    } else {
      y.Open(indent, "allOf");
      y.Item(indent + 2, "$ref: " + SchemaRef(type->full_name()));
    }
    return;
  }
  switch (field->type()) {
    case pb::FieldDescriptor::TYPE_DOUBLE:
    case pb::FieldDescriptor::TYPE_FLOAT:
      y.Raw(indent, "type", "number");
      y.Raw(indent, "format", field->type_name());
      break;
    case pb::FieldDescriptor::TYPE_INT64:
    case pb::FieldDescriptor::TYPE_SINT64:
    case pb::FieldDescriptor::TYPE_SFIXED64:
    case pb::FieldDescriptor::TYPE_UINT64:
    case pb::FieldDescriptor::TYPE_FIXED64:
      y.Raw(indent, "type", "string");
      y.Raw(indent, "format", field->type_name());
      break;
    case pb::FieldDescriptor::TYPE_INT32:
    case pb::FieldDescriptor::TYPE_SINT32:
    case pb::FieldDescriptor::TYPE_SFIXED32:
    case pb::FieldDescriptor::TYPE_UINT32:
    case pb::FieldDescriptor::TYPE_FIXED32:
      y.Raw(indent, "type", "integer");
      y.Raw(indent, "format", field->type_name());
      break;
    case pb::FieldDescriptor::TYPE_BOOL:
      y.Raw(indent, "type", "boolean");
      break;
    case pb::FieldDescriptor::TYPE_BYTES:
      y.Raw(indent, "type", "string");
      y.Raw(indent, "format", "byte");
      break;
    default:
      y.Raw(indent, "type", "string");
      break;
  }
}

void FieldSchema(Yaml& y, int indent, const pb::FieldDescriptor* field) {
  y.Open(indent, field->name());
  const int in = indent + 2;
  std::string description = LeadingComment(field);
  if (const pb::OneofDescriptor* oneof = field->real_containing_oneof()) {
    description += " (one of " + oneof->name() + ")";
  }
  y.Text(in, "description", description);
  y.Raw(in, "x-protobuf-field-number", std::to_string(field->number()));
  if (field->is_map()) {
    y.Raw(in, "type", "object");
    y.Open(in, "additionalProperties");
    ValueSchema(y, in + 2, field->message_type()->FindFieldByNumber(2));
  } else if (field->is_repeated()) {
    y.Raw(in, "type", "array");
    y.Open(in, "items");
    ValueSchema(y, in + 2, field);
  } else {
    ValueSchema(y, in, field);
  }
}

void MessageSchema(Yaml& y, int indent, const pb::Descriptor* message) {
  y.Open(indent, YamlQuote(message->full_name()));
  const int in = indent + 2;
  y.Raw(in, "type", "object");
  y.Text(in, "description", LeadingComment(message));
  y.String(in, "x-protobuf-message", message->full_name());
  if (message->field_count() == 0) return;
  y.Open(in, "properties");
  for (int i = 0; i < message->field_count(); ++i) FieldSchema(y, in + 2, message->field(i));
}

void EnumSchema(Yaml& y, int indent, const pb::EnumDescriptor* type) {
  y.Open(indent, YamlQuote(type->full_name()));
  const int in = indent + 2;
  y.Raw(in, "type", "string");
  std::string description = LeadingComment(type);
  for (int i = 0; i < type->value_count(); ++i) {
    description += "\n" + type->value(i)->name() + " (" + std::to_string(type->value(i)->number()) +
                   "): " + OneLine(LeadingComment(type->value(i)));
  }
  y.Text(in, "description", description);
  y.String(in, "x-protobuf-enum", type->full_name());
  y.Open(in, "enum");
  for (int i = 0; i < type->value_count(); ++i) y.Item(in + 2, YamlQuote(type->value(i)->name()));
}

void HeaderSchemas(Yaml& y, int indent) {
  y.Open(indent, "CloudEventsHeaders");
  int in = indent + 2;
  y.Raw(in, "type", "object");
  y.String(in, "description",
           "CloudEvents 1.0 attributes carried as Kafka headers (binary content mode).");
  y.Raw(in, "required",
        Yaml::Flow({"ce_specversion", "ce_id", "ce_source", "ce_type", "ce_subject", "ce_time",
                    "content-type", "ce_dataschema"}));
  y.Open(in, "properties");
  in += 2;
  for (const Header& h : kHeaders) {
    y.Open(in, h.name);
    const int p = in + 2;
    y.Raw(p, "type", "string");
    y.String(p, "description", h.meaning);
    const std::string name = h.name;
    if (name == "ce_specversion") y.String(p, "const", "1.0");
    if (name == "ce_id") y.Raw(p, "format", "uuid");
    if (name == "ce_source") y.String(p, "pattern", "^/nrp/[a-z_]+/[0-9]{6}$");
    if (name == "ce_type") y.String(p, "pattern", "^nrp\\.[a-z_]+\\.[a-z0-9_]+\\.v[0-9]+$");
    if (name == "ce_time") y.Raw(p, "format", "date-time");
    if (name == "content-type") y.String(p, "const", "application/protobuf");
    if (name == "traceparent") {
      y.String(p, "pattern", "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");
    }
  }
  y.Open(indent, "DeadLetterHeaders");
  in = indent + 2;
  y.String(in, "description",
           "Headers of a dead letter: the original event's headers plus the reason.");
  y.Open(in, "allOf");
  y.Item(in + 2, "$ref: " + SchemaRef("CloudEventsHeaders"));
  y.Item(in + 2, "type: object");
  y.Raw(in + 4, "required", Yaml::Flow({std::string(kDlqReasonHeader)}));
  y.Open(in + 4, "properties");
  y.Open(in + 6, std::string(kDlqReasonHeader));
  y.Raw(in + 8, "type", "string");
  y.String(in + 8, "description",
           "Why the consumer could never apply the event (UTF-8 text), e.g. "
           "\"undecodable payload\" or \"unknown ce_type\".");
}

}  // namespace

std::string RenderAsyncApi(const Contract& contract) {
  const std::vector<CatalogueTopic> topics = CollectTopics(contract);
  Yaml y;
  y.Comment(kGeneratedNote);
  y.Raw(0, "asyncapi", "2.6.0");
  y.String(0, "id", "urn:nrp:events");
  y.Open(0, "info");
  y.String(2, "title", "Natural Resources Platform events");
  y.String(2, "version", "v1");
  y.Text(2, "description",
         "Events of the Natural Resources Platform's five services (registration, land_supply,\n"
         "mining_rights, restoration, planning), one Kafka topic per service.\n"
         "CloudEvents 1.0 in Kafka binary mode: the envelope is in Kafka headers (see\n"
         "components.schemas.CloudEventsHeaders), the Kafka key is the aggregate id and the Kafka\n"
         "value is the payload message serialized as protobuf. Payload schemas describe the\n"
         "protobuf messages of protos/ in their proto3 JSON mapping; x-protobuf-message names\n"
         "the message to decode the value with. Every topic T has a dead-letter topic T.dlq.");
  y.Raw(0, "defaultContentType", "application/protobuf");
  y.Open(0, "tags");
  for (const CatalogueTopic& topic : topics) {
    y.Item(2, "name: " + YamlQuote(topic.producer));
    y.String(4, "description",
             "Events published by the " + topic.producer + " service on " + topic.name + ".");
  }
  y.Open(0, "channels");
  for (const CatalogueTopic& topic : topics) {
    y.Open(2, YamlQuote(topic.name));
    y.Text(4, "description",
           topic.description.empty() ? "Events published by " + topic.producer + "."
                                     : topic.description);
    y.Open(4, "subscribe");
    y.String(6, "operationId", OperationId(topic.name));
    y.String(6, "summary", "Events published by the " + topic.producer + " service.");
    y.Open(6, "message");
    y.Open(8, "oneOf");
    for (const CatalogueEvent& event : topic.events) {
      y.Item(10, "$ref: " + YamlQuote("#/components/messages/" + event.message->full_name()));
    }
    y.Open(4, "bindings");
    y.Open(6, "kafka");
    y.String(8, "topic", topic.name);
    y.String(8, "bindingVersion", "0.4.0");
    y.String(4, "x-nrp-producer", topic.producer);
    y.Raw(4, "x-nrp-consumers", Yaml::Flow(topic.consumers));
    y.String(4, "x-nrp-dead-letter-topic", topic.name + std::string(kDlqSuffix));

    const std::string dlq = topic.name + std::string(kDlqSuffix);
    y.Open(2, YamlQuote(dlq));
    y.String(4, "description",
             "Dead letters of " + topic.name +
                 ": events a consumer could never apply, unchanged, with the header " +
                 std::string(kDlqReasonHeader) + ".");
    y.Open(4, "subscribe");
    y.String(6, "operationId", OperationId(dlq));
    y.String(6, "summary", "Dead letters written by the consumers of " + topic.name + ".");
    y.Open(6, "message");
    y.Raw(8, "$ref", YamlQuote("#/components/messages/DeadLetter"));
    y.Open(4, "bindings");
    y.Open(6, "kafka");
    y.String(8, "topic", dlq);
    y.String(8, "bindingVersion", "0.4.0");
    y.Raw(4, "x-nrp-producers", Yaml::Flow(topic.consumers));
  }

  y.Open(0, "components");
  y.Open(2, "messages");
  for (const CatalogueTopic& topic : topics) {
    for (const CatalogueEvent& event : topic.events) {
      const pb::Descriptor* message = event.message;
      y.Open(4, YamlQuote(message->full_name()));
      const std::string comment = LeadingComment(message);
      y.String(6, "messageId", message->full_name());
      y.String(6, "name", message->name());
      y.String(6, "title", event.spec.ce_type);
      y.String(6, "summary", FirstSentence(comment));
      y.Text(6, "description", comment);
      y.Raw(6, "contentType", "application/protobuf");
      y.Open(6, "headers");
      y.Open(8, "allOf");
      y.Item(10, "$ref: " + SchemaRef("CloudEventsHeaders"));
      y.Item(10, "type: object");
      y.Open(12, "properties");
      y.Open(14, "ce_type");
      y.String(16, "const", event.spec.ce_type);
      y.Open(14, "ce_dataschema");
      y.String(16, "const", message->full_name());
      y.Open(6, "payload");
      y.Raw(8, "$ref", SchemaRef(message->full_name()));
      y.Open(6, "bindings");
      y.Open(8, "kafka");
      y.Open(10, "key");
      y.Raw(12, "type", "string");
      y.String(12, "description",
               "Aggregate id: the payload field " + event.spec.key + " (also ce_subject).");
      y.String(10, "bindingVersion", "0.4.0");
      y.Open(6, "tags");
      y.Item(8, "name: " + YamlQuote(event.producer));
      y.String(6, "x-nrp-key", event.spec.key);
      y.String(6, "x-nrp-producer", event.producer);
      y.Raw(6, "x-nrp-consumers", Yaml::Flow(event.spec.consumers));
    }
  }
  y.Open(4, "DeadLetter");
  y.String(6, "name", "DeadLetter");
  y.String(6, "title", "Dead letter");
  y.String(6, "summary", "An event a consumer could never apply, as it was received.");
  y.Raw(6, "contentType", "application/protobuf");
  y.Open(6, "headers");
  y.Raw(8, "$ref", SchemaRef("DeadLetterHeaders"));
  y.Open(6, "payload");
  y.Raw(8, "type", "string");
  y.Raw(8, "format", "binary");
  y.String(8, "description",
           "The original Kafka value, byte for byte; its ce_dataschema header names the message.");

  y.Open(2, "schemas");
  HeaderSchemas(y, 4);
  const PayloadTypes types = CollectPayloadTypes(topics);
  std::map<std::string, std::function<void()>> schemas;
  for (const CatalogueTopic& topic : topics) {
    for (const CatalogueEvent& event : topic.events) {
      schemas[event.message->full_name()] = [&y, m = event.message] { MessageSchema(y, 4, m); };
    }
  }
  for (const auto& [name, message] : types.messages) {
    schemas[name] = [&y, m = message] { MessageSchema(y, 4, m); };
  }
  for (const auto& [name, type] : types.enums) {
    schemas[name] = [&y, t = type] { EnumSchema(y, 4, t); };
  }
  for (const auto& [name, render] : schemas) render();
  return y.str();
}

}  // namespace nrp::protolock
