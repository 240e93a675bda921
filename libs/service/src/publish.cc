#include "nrp/service/publish.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "nrp/common/v1/event_options.pb.h"
#include "nrp/core/trace.h"
#include "nrp/events/cloud_event.h"
#include "nrp/service/runtime.h"

namespace nrp::service {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

Result<EventSpecView> SpecOf(const Message& payload) {
  const auto& options = payload.GetDescriptor()->options();
  if (!options.HasExtension(nrp::common::v1::event)) {
    return Error::InvalidArgument("event", payload.GetDescriptor()->full_name() +
                                               " is not an event message (no event option)");
  }
  const auto& spec = options.GetExtension(nrp::common::v1::event);
  return EventSpecView{spec.ce_type(), spec.topic(), spec.key()};
}

Result<std::string> FieldText(const Message& message, std::string_view path) {
  const Message* m = &message;
  std::string rest(path);
  while (true) {
    auto dot = rest.find('.');
    std::string name = rest.substr(0, dot);
    const FieldDescriptor* f = m->GetDescriptor()->FindFieldByName(name);
    if (f == nullptr || f->is_repeated()) {
      return Error::InvalidArgument(std::string(path), "no such singular field in " +
                                                           message.GetDescriptor()->full_name());
    }
    const auto* r = m->GetReflection();
    if (dot != std::string::npos) {
      if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
        return Error::InvalidArgument(std::string(path), name + " is not a message");
      }
      m = &r->GetMessage(*m, f);
      rest = rest.substr(dot + 1);
      continue;
    }
    std::string out;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: out = r->GetString(*m, f); break;
      case FieldDescriptor::CPPTYPE_INT64: out = std::to_string(r->GetInt64(*m, f)); break;
      case FieldDescriptor::CPPTYPE_INT32: out = std::to_string(r->GetInt32(*m, f)); break;
      case FieldDescriptor::CPPTYPE_UINT64: out = std::to_string(r->GetUInt64(*m, f)); break;
      case FieldDescriptor::CPPTYPE_UINT32: out = std::to_string(r->GetUInt32(*m, f)); break;
      default:
        return Error::InvalidArgument(std::string(path), "key field must be text or an integer");
    }
    if (out.empty()) return Error::InvalidArgument(std::string(path), "key field is empty");
    return out;
  }
}

Result<events::OutboxEvent> BuildEvent(const Message& payload, std::string_view service,
                                       std::string_view topic_prefix,
                                       std::string_view region_code, std::string_view traceparent,
                                       const Clock& clock) {
  NRP_ASSIGN_OR_RETURN(EventSpecView spec, SpecOf(payload));
  NRP_ASSIGN_OR_RETURN(std::string key, FieldText(payload, spec.key_field));
  events::EventMeta meta;
  meta.type = spec.ce_type;
  meta.source = events::MakeSource(service, region_code);
  meta.subject = key;
  meta.traceparent = std::string(traceparent);
  NRP_ASSIGN_OR_RETURN(events::CloudEvent event, events::NewEvent(payload, std::move(meta), clock));
  return events::OutboxEvent{std::string(topic_prefix) + spec.topic, std::move(event)};
}

Status Publish(Runtime& runtime, pqxx::dbtransaction& tx, const Message& payload,
               std::string_view region_code, std::string_view traceparent) {
  // The trace of the call, event or job being served unless the caller names another.
  NRP_ASSIGN_OR_RETURN(
      events::OutboxEvent event,
      BuildEvent(payload, runtime.service(), runtime.options().topic_prefix, region_code,
                 traceparent.empty() ? std::string_view(trace::Current()) : traceparent,
                 runtime.clock()));
  return events::Outbox::Append(tx, event);
}

}  // namespace nrp::service
