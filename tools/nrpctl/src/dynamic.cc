#include "nrp/nrpctl/dynamic.h"

#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

#include "nrp/core/uuid.h"

namespace nrp::nrpctl {
namespace {

namespace pb = google::protobuf;

const pb::DescriptorPool* Pool() { return pb::DescriptorPool::generated_pool(); }

std::string Squash(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '-' || c == '_') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string Upper(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '-' || c == ' ') {
      out += '_';
    } else {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// Candidate full names of a short name, platform packages first.
std::vector<std::string> Candidates(std::string_view name) {
  std::vector<std::string> out;
  for (const auto& s : kServices) {
    out.push_back("nrp." + std::string(s.name) + ".v1." + std::string(name));
  }
  out.push_back("nrp.common.v1." + std::string(name));
  return out;
}

template <class Int>
bool ParseInt(std::string_view text, Int* out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool ParseDouble(std::string_view text, double* out) {
  std::string s(text);
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

bool ParseBool(std::string_view text, bool* out) {
  std::string t = Lower(text);
  if (t == "true" || t == "yes" || t == "1" || t == "on") {
    *out = true;
    return true;
  }
  if (t == "false" || t == "no" || t == "0" || t == "off") {
    *out = false;
    return true;
  }
  return false;
}

Failure BadValue(const pb::FieldDescriptor* field, std::string_view text,
                 std::string_view expected) {
  return Failure::Usage("'" + std::string(text) + "' is not a valid " + std::string(field->name()) +
                        " (expected " + std::string(expected) + ")");
}

Done SetMessageFromText(pb::Message* target, const pb::FieldDescriptor* field,
                        std::string_view text) {
  const std::string& type = target->GetDescriptor()->full_name();
  if (type == "google.protobuf.Timestamp") {
    pb::Timestamp ts;
    if (!pb::util::TimeUtil::FromString(std::string(text), &ts)) {
      return BadValue(field, text, "an RFC 3339 time such as 2025-03-01T08:00:00+08:00");
    }
    target->CopyFrom(ts);
    return Success();
  }
  if (type == "nrp.common.v1.Date") {
    int y = 0, m = 0, d = 0;
    std::string t(text);
    if (t.size() != 10 || t[4] != '-' || t[7] != '-' || !ParseInt(t.substr(0, 4), &y) ||
        !ParseInt(t.substr(5, 2), &m) || !ParseInt(t.substr(8, 2), &d) || m < 1 || m > 12 ||
        d < 1 || d > 31) {
      return BadValue(field, text, "a date YYYY-MM-DD");
    }
    const pb::Descriptor* desc = target->GetDescriptor();
    const pb::Reflection* r = target->GetReflection();
    r->SetInt32(target, desc->FindFieldByName("year"), y);
    r->SetInt32(target, desc->FindFieldByName("month"), m);
    r->SetInt32(target, desc->FindFieldByName("day"), d);
    return Success();
  }
  return JsonToMessage(text, target, field->name());
}

}  // namespace

const ServiceInfo* FindService(std::string_view word) {
  std::string w = Squash(word);
  for (const auto& s : kServices) {
    if (w == Squash(s.name) || w == Squash(s.full_name)) return &s;
    // "LandSupplyService" or "landsupplyservice".
    std::string_view full = s.full_name;
    if (w == Squash(full.substr(full.rfind('.') + 1))) return &s;
  }
  return nullptr;
}

std::string ServiceNames() {
  std::string out;
  for (const auto& s : kServices) {
    if (!out.empty()) out += ", ";
    out += s.cli;
  }
  return out;
}

Outcome<const pb::ServiceDescriptor*> ServiceDescriptorOf(const ServiceInfo& service) {
  const pb::ServiceDescriptor* d = Pool()->FindServiceByName(std::string(service.full_name));
  if (d == nullptr) {
    return Failure::Local("service " + std::string(service.full_name) +
                          " is not in the contract this nrpctl was built with");
  }
  return d;
}

Outcome<const pb::MethodDescriptor*> FindMethod(const pb::ServiceDescriptor* service,
                                                std::string_view name) {
  if (const pb::MethodDescriptor* m = service->FindMethodByName(std::string(name))) return m;
  std::string want = Squash(name);
  for (int i = 0; i < service->method_count(); ++i) {
    if (Squash(service->method(i)->name()) == want) return service->method(i);
  }
  std::string names;
  for (int i = 0; i < service->method_count(); ++i) {
    if (!names.empty()) names += ", ";
    names += service->method(i)->name();
  }
  return Failure::Usage("no method '" + std::string(name) + "' in " + service->full_name() +
                        "; methods: " + names);
}

namespace {

bool Lookup(const std::string& full, NamedType* out) {
  if ((out->message = Pool()->FindMessageTypeByName(full))) return true;
  if ((out->enumeration = Pool()->FindEnumTypeByName(full))) return true;
  if ((out->service = Pool()->FindServiceByName(full))) return true;
  if ((out->method = Pool()->FindMethodByName(full))) return true;
  return false;
}

}  // namespace

Outcome<NamedType> FindType(std::string_view name) {
  NamedType found;
  if (Lookup(std::string(name), &found)) return found;
  std::vector<std::string> hits;
  NamedType first;
  for (const std::string& full : Candidates(name)) {
    NamedType t;
    if (Lookup(full, &t)) {
      if (hits.empty()) first = t;
      hits.push_back(full);
    }
  }
  if (hits.size() == 1) return first;
  if (hits.empty()) {
    return Failure::Usage("no message, enum, service or method named '" + std::string(name) +
                          "' in the contract (give the full name, e.g. nrp.planning.v1.Zone)");
  }
  std::string list;
  for (const auto& h : hits) list += (list.empty() ? "" : ", ") + h;
  return Failure::Usage("'" + std::string(name) + "' is ambiguous: " + list);
}

const pb::Descriptor* FindMessageType(std::string_view full_name) {
  return Pool()->FindMessageTypeByName(std::string(full_name));
}

std::unique_ptr<pb::Message> NewMessage(const pb::Descriptor* type) {
  const pb::Message* prototype = pb::MessageFactory::generated_factory()->GetPrototype(type);
  return std::unique_ptr<pb::Message>(prototype->New());
}

Done JsonToMessage(std::string_view json, pb::Message* message, std::string_view what) {
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  std::string text = Trim(json);
  if (text.empty()) text = "{}";
  auto status = pb::util::JsonStringToMessage(text, message, options);
  if (!status.ok()) {
    return Failure::Usage("invalid " + std::string(what) + " JSON for " +
                          message->GetDescriptor()->full_name() + ": " +
                          std::string(status.message()));
  }
  return Success();
}

std::string MessageToJson(const pb::Message& message, bool pretty) {
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  options.add_whitespace = pretty;
  std::string out;
  auto status = pb::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) {
    // Only a message holding an Any of an unknown type gets here.
    return "{\"error\":\"cannot render " + message.GetDescriptor()->full_name() + " as JSON\"}";
  }
  return out;
}

std::string EnumPrefix(const pb::EnumDescriptor* type) {
  const std::string& name = type->name();
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool upper = std::isupper(static_cast<unsigned char>(c));
    if (upper && i > 0) {
      char prev = name[i - 1];
      bool next_lower =
          i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1]));
      if (std::islower(static_cast<unsigned char>(prev)) ||
          std::isdigit(static_cast<unsigned char>(prev)) ||
          (std::isupper(static_cast<unsigned char>(prev)) && next_lower)) {
        out += '_';
      }
    }
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out + "_";
}

std::string ShortEnumName(const pb::EnumValueDescriptor* value) {
  std::string prefix = EnumPrefix(value->type());
  const std::string& name = value->name();
  if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0) {
    return name.substr(prefix.size());
  }
  return name;
}

Outcome<const pb::EnumValueDescriptor*> ParseEnum(const pb::EnumDescriptor* type,
                                                  std::string_view text) {
  std::string t = Trim(text);
  int number = 0;
  if (ParseInt(t, &number)) {
    if (const auto* v = type->FindValueByNumber(number)) return v;
  }
  if (const auto* v = type->FindValueByName(t)) return v;
  std::string upper = Upper(t);
  if (const auto* v = type->FindValueByName(upper)) return v;
  if (const auto* v = type->FindValueByName(EnumPrefix(type) + upper)) return v;
  return Failure::Usage("'" + t + "' is not a " + type->name() + "; one of: " + EnumChoices(type));
}

std::string EnumChoices(const pb::EnumDescriptor* type) {
  std::string out;
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() == 0) continue;
    if (!out.empty()) out += ", ";
    out += Lower(ShortEnumName(type->value(i)));
  }
  return out;
}

const pb::FieldDescriptor* FieldAtPath(const pb::Descriptor* type, std::string_view path) {
  const pb::FieldDescriptor* field = nullptr;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string part(path.substr(start, dot == std::string_view::npos ? path.npos : dot - start));
    if (type == nullptr) return nullptr;
    field = type->FindFieldByName(part);
    if (field == nullptr) return nullptr;
    if (dot == std::string_view::npos) return field;
    if (field->is_repeated() || field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      return nullptr;
    }
    type = field->message_type();
    start = dot + 1;
  }
}

Done SetField(pb::Message* message, std::string_view path, std::string_view text) {
  pb::Message* target = message;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string part(path.substr(start, dot == std::string_view::npos ? path.npos : dot - start));
    const pb::Descriptor* desc = target->GetDescriptor();
    const pb::FieldDescriptor* field = desc->FindFieldByName(part);
    if (field == nullptr) {
      return Failure::Usage("no field '" + part + "' in " + desc->full_name());
    }
    const pb::Reflection* r = target->GetReflection();
    if (dot != std::string_view::npos) {
      if (field->is_repeated() || field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) {
        return Failure::Usage("field path '" + std::string(path) + "': " + part +
                              " is not a singular message");
      }
      target = r->MutableMessage(target, field);
      start = dot + 1;
      continue;
    }
    bool rep = field->is_repeated();
    if (field->is_map()) {
      return Failure::Usage("map field '" + part + "' cannot be set from text");
    }
    switch (field->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_INT32: {
        int32_t v = 0;
        if (!ParseInt(Trim(text), &v)) return BadValue(field, text, "an integer");
        rep ? r->AddInt32(target, field, v) : r->SetInt32(target, field, v);
        break;
      }
      case pb::FieldDescriptor::CPPTYPE_INT64: {
        int64_t v = 0;
        if (!ParseInt(Trim(text), &v)) return BadValue(field, text, "an integer");
        rep ? r->AddInt64(target, field, v) : r->SetInt64(target, field, v);
        break;
      }
      case pb::FieldDescriptor::CPPTYPE_UINT32: {
        uint32_t v = 0;
        if (!ParseInt(Trim(text), &v)) return BadValue(field, text, "a non-negative integer");
        rep ? r->AddUInt32(target, field, v) : r->SetUInt32(target, field, v);
        break;
      }
      case pb::FieldDescriptor::CPPTYPE_UINT64: {
        uint64_t v = 0;
        if (!ParseInt(Trim(text), &v)) return BadValue(field, text, "a non-negative integer");
        rep ? r->AddUInt64(target, field, v) : r->SetUInt64(target, field, v);
        break;
      }
      case pb::FieldDescriptor::CPPTYPE_DOUBLE: {
        double v = 0;
        if (!ParseDouble(Trim(text), &v)) return BadValue(field, text, "a number");
        rep ? r->AddDouble(target, field, v) : r->SetDouble(target, field, v);
        break;
      }
      case pb::FieldDescriptor::CPPTYPE_FLOAT: {
        double v = 0;
        if (!ParseDouble(Trim(text), &v)) return BadValue(field, text, "a number");
        rep ? r->AddFloat(target, field, static_cast<float>(v))
            : r->SetFloat(target, field, static_cast<float>(v));
        break;
      }
      case pb::FieldDescriptor::CPPTYPE_BOOL: {
        bool v = false;
        if (!ParseBool(text, &v)) return BadValue(field, text, "true or false");
        rep ? r->AddBool(target, field, v) : r->SetBool(target, field, v);
        break;
      }
      case pb::FieldDescriptor::CPPTYPE_ENUM: {
        auto v = ParseEnum(field->enum_type(), text);
        if (!v.ok()) return std::move(v.failure());
        rep ? r->AddEnum(target, field, v.value()) : r->SetEnum(target, field, v.value());
        break;
      }
      case pb::FieldDescriptor::CPPTYPE_STRING:
        rep ? r->AddString(target, field, std::string(text))
            : r->SetString(target, field, std::string(text));
        break;
      case pb::FieldDescriptor::CPPTYPE_MESSAGE: {
        pb::Message* sub = rep ? r->AddMessage(target, field) : r->MutableMessage(target, field);
        return SetMessageFromText(sub, field, text);
      }
    }
    return Success();
  }
}

Outcome<std::string> FilterTerm(const pb::Descriptor* type, std::string_view path,
                                std::string_view text) {
  const pb::FieldDescriptor* field = FieldAtPath(type, path);
  if (field == nullptr) {
    return Failure::Local("no field '" + std::string(path) + "' in " + type->full_name());
  }
  std::string lhs(path);
  std::string t = Trim(text);
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_STRING: {
      std::string quoted = "\"";
      for (char c : t) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
      }
      return lhs + " = " + quoted + "\"";
    }
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      NRPCTL_ASSIGN_OR_RETURN(const pb::EnumValueDescriptor* v, ParseEnum(field->enum_type(), t));
      return lhs + " = " + v->name();
    }
    case pb::FieldDescriptor::CPPTYPE_BOOL: {
      bool v = false;
      if (!ParseBool(t, &v)) return BadValue(field, t, "true or false");
      return lhs + " = " + (v ? "true" : "false");
    }
    case pb::FieldDescriptor::CPPTYPE_INT32:
    case pb::FieldDescriptor::CPPTYPE_INT64:
    case pb::FieldDescriptor::CPPTYPE_UINT32:
    case pb::FieldDescriptor::CPPTYPE_UINT64: {
      int64_t v = 0;
      if (!ParseInt(t, &v)) return BadValue(field, t, "an integer");
      return lhs + " = " + std::to_string(v);
    }
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
    case pb::FieldDescriptor::CPPTYPE_FLOAT: {
      double v = 0;
      if (!ParseDouble(t, &v)) return BadValue(field, t, "a number");
      return lhs + " = " + t;
    }
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return Failure::Local("field '" + lhs + "' cannot be filtered on from a flag");
}

bool FillRequestId(pb::Message* message) {
  const pb::FieldDescriptor* field = message->GetDescriptor()->FindFieldByName("request_id");
  if (field == nullptr || field->is_repeated() ||
      field->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING) {
    return false;
  }
  const pb::Reflection* r = message->GetReflection();
  if (!r->GetString(*message, field).empty()) return false;
  r->SetString(message, field, NewUuidV4());
  return true;
}

std::string MethodKind(const pb::MethodDescriptor* method) {
  if (method->client_streaming() && method->server_streaming()) return "bidi-streaming";
  if (method->client_streaming()) return "client-streaming";
  if (method->server_streaming()) return "server-streaming";
  return "unary";
}

}  // namespace nrp::nrpctl
