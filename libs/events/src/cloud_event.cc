#include "nrp/events/cloud_event.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <cctype>

#include "nrp/core/trace.h"
#include "nrp/core/uuid.h"

namespace nrp::events {
namespace {

bool IsLowerIdent(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

bool IsValidSource(std::string_view s) {
  // "/nrp/<service>/<region_code>"
  auto parts = Split(s, '/');
  if (parts.size() != 4 || !parts[0].empty() || parts[1] != "nrp") return false;
  if (!IsLowerIdent(parts[2]) || parts[3].empty()) return false;
  for (char c : parts[3]) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsValidType(std::string_view s) {
  // "nrp.<service>.<event>.v<major>"
  auto parts = Split(s, '.');
  if (parts.size() != 4 || parts[0] != "nrp") return false;
  if (!IsLowerIdent(parts[1]) || !IsLowerIdent(parts[2])) return false;
  return TypeVersion(s) >= 0;
}


// Collects violations and turns them into one INVALID_ARGUMENT error.
class Problems {
 public:
  void Add(std::string_view field, std::string description) {
    fields_.push_back({std::string(field), std::move(description)});
  }
  bool empty() const { return fields_.empty(); }
  Error ToError(std::string_view what) const {
    std::string message(what);
    message += ": ";
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (i > 0) message += "; ";
      message += fields_[i].field + ": " + fields_[i].description;
    }
    Error error(Code::kInvalidArgument, std::move(message));
    for (const auto& f : fields_) error.AddField(f.field, f.description);
    error.WithReason("INVALID_CLOUD_EVENT");
    return error;
  }

 private:
  std::vector<FieldViolation> fields_;
};

void CheckAttributes(const CloudEvent& e, Problems& p) {
  if (e.id.empty()) {
    p.Add(kHeaderId, "missing");
  } else if (!IsUuid(e.id)) {
    p.Add(kHeaderId, "not a UUID: '" + e.id + "'");
  }
  if (e.source.empty()) {
    p.Add(kHeaderSource, "missing");
  } else if (!IsValidSource(e.source)) {
    p.Add(kHeaderSource, "expected /nrp/<service>/<region-code>, got '" + e.source + "'");
  }
  if (e.type.empty()) {
    p.Add(kHeaderType, "missing");
  } else if (!IsValidType(e.type)) {
    p.Add(kHeaderType, "expected nrp.<service>.<event>.v<major>, got '" + e.type + "'");
  }
  if (e.subject.empty()) p.Add(kHeaderSubject, "missing");
  if (e.time.empty()) {
    p.Add(kHeaderTime, "missing");
  } else if (!ParseRfc3339(e.time).ok()) {
    p.Add(kHeaderTime, "not an RFC 3339 time: '" + e.time + "'");
  }
  if (e.datacontenttype.empty()) p.Add(kHeaderContentType, "missing");
  if (e.dataschema.empty() && e.datacontenttype == kProtobufContentType) {
    p.Add(kHeaderDataSchema, "missing (required for application/protobuf)");
  }
  if (!e.traceparent.empty() && !trace::IsValidTraceparent(e.traceparent)) {
    p.Add(kHeaderTraceparent, "not a W3C traceparent: '" + e.traceparent + "'");
  }
}

}  // namespace

const std::string* FindHeader(const Headers& headers, std::string_view name) {
  const std::string* found = nullptr;
  for (const auto& [k, v] : headers) {
    if (k == name) found = &v;
  }
  return found;
}

std::string MakeSource(std::string_view service, std::string_view region_code) {
  std::string out = "/nrp/";
  out += service;
  out += '/';
  out += region_code;
  return out;
}

int TypeVersion(std::string_view type) {
  size_t dot = type.rfind('.');
  if (dot == std::string_view::npos || dot + 2 > type.size() || type[dot + 1] != 'v') return -1;
  std::string_view digits = type.substr(dot + 2);
  if (digits.empty() || digits.size() > 6) return -1;
  int v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

Status Validate(const CloudEvent& event) {
  Problems p;
  CheckAttributes(event, p);
  if (event.key.empty())
    p.Add("key", "missing (the aggregate id keeps one aggregate's events in order)");
  if (!p.empty()) return p.ToError("invalid event");
  return Ok();
}

Result<CloudEvent> NewEvent(std::string payload, std::string dataschema, EventMeta meta,
                            const Clock& clock) {
  CloudEvent e;
  e.id = NewUuidV7();
  e.source = std::move(meta.source);
  e.type = std::move(meta.type);
  e.key = meta.key.empty() ? meta.subject : std::move(meta.key);
  e.subject = std::move(meta.subject);
  e.time = FormatRfc3339(clock.Now());
  e.dataschema = std::move(dataschema);
  e.traceparent = std::move(meta.traceparent);
  e.payload = std::move(payload);
  NRP_RETURN_IF_ERROR(Validate(e));
  return e;
}

Result<CloudEvent> NewEvent(const google::protobuf::Message& payload, EventMeta meta,
                            const Clock& clock) {
  std::string bytes;
  if (!payload.SerializeToString(&bytes)) {
    return Error::InvalidArgument(
        "payload", "cannot serialize " + payload.GetTypeName() + " (required fields missing?)");
  }
  return NewEvent(std::move(bytes), payload.GetDescriptor()->full_name(), std::move(meta), clock);
}

Headers EncodeHeaders(const CloudEvent& e) {
  Headers h;
  h.reserve(9);
  h.emplace_back(kHeaderSpecVersion, kSpecVersion);
  h.emplace_back(kHeaderId, e.id);
  h.emplace_back(kHeaderSource, e.source);
  h.emplace_back(kHeaderType, e.type);
  h.emplace_back(kHeaderSubject, e.subject);
  h.emplace_back(kHeaderTime, e.time);
  h.emplace_back(kHeaderContentType, e.datacontenttype);
  h.emplace_back(kHeaderDataSchema, e.dataschema);
  if (!e.traceparent.empty()) h.emplace_back(kHeaderTraceparent, e.traceparent);
  return h;
}

Result<CloudEvent> DecodeEvent(const Headers& headers, std::string key, std::string payload) {
  Problems p;
  auto get = [&](std::string_view name) -> std::string {
    const std::string* v = FindHeader(headers, name);
    return v ? *v : std::string();
  };
  const std::string* spec = FindHeader(headers, kHeaderSpecVersion);
  if (!spec) {
    p.Add(kHeaderSpecVersion, "missing");
  } else if (*spec != kSpecVersion) {
    p.Add(kHeaderSpecVersion, "unsupported CloudEvents version '" + *spec + "', expected 1.0");
  }
  CloudEvent e;
  e.id = get(kHeaderId);
  e.source = get(kHeaderSource);
  e.type = get(kHeaderType);
  e.subject = get(kHeaderSubject);
  e.time = get(kHeaderTime);
  e.datacontenttype = get(kHeaderContentType);
  e.dataschema = get(kHeaderDataSchema);
  e.traceparent = get(kHeaderTraceparent);
  e.key = std::move(key);
  e.payload = std::move(payload);
  CheckAttributes(e, p);
  if (!p.empty()) return p.ToError("undecodable event envelope");
  return e;
}

Status ParsePayload(const CloudEvent& event, google::protobuf::Message* message) {
  const std::string& expected = message->GetDescriptor()->full_name();
  if (event.dataschema != expected) {
    return Error::InvalidArgument(
        std::string(kHeaderDataSchema),
        "event carries '" + event.dataschema + "', expected '" + expected + "'");
  }
  if (!message->ParseFromString(event.payload)) {
    return Error::InvalidArgument("payload", "bytes do not parse as " + expected);
  }
  return Ok();
}

}  // namespace nrp::events
