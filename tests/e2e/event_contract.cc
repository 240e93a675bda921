#include "event_contract.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/unknown_field_set.h>

#include <regex>

#include "nrp/common/v1/event_options.pb.h"
#include "nrp/core/clock.h"
#include "nrp/land_supply/v1/events.pb.h"
#include "nrp/mining_rights/v1/events.pb.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/registration/v1/events.pb.h"
#include "nrp/restoration/v1/events.pb.h"

namespace nrp::e2e {
namespace {

namespace gp = google::protobuf;

// The value of a string field at a dotted path ("unit_code", "a.b"); false
// when the path does not lead to a singular string field.
bool StringAt(const gp::Message& m, const std::string& path, std::string* out) {
  const gp::Message* cur = &m;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string name =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const gp::FieldDescriptor* f = cur->GetDescriptor()->FindFieldByName(name);
    if (f == nullptr || f->is_repeated()) return false;
    if (dot == std::string::npos) {
      if (f->type() != gp::FieldDescriptor::TYPE_STRING) return false;
      *out = cur->GetReflection()->GetString(*cur, f);
      return true;
    }
    if (f->type() != gp::FieldDescriptor::TYPE_MESSAGE) return false;
    cur = &cur->GetReflection()->GetMessage(*cur, f);
    start = dot + 1;
  }
}

}  // namespace

void RegisterEventMessages() {
  // One message of each events.proto: referencing it links the file, whose
  // descriptors then sit in the generated pool.
  static const gp::Descriptor* const kFiles[] = {
      nrp::land_supply::v1::LandDelivered::descriptor(),
      nrp::planning::v1::ZonePublished::descriptor(),
      nrp::registration::v1::CaseRecorded::descriptor(),
      nrp::mining_rights::v1::RightGranted::descriptor(),
      nrp::restoration::v1::ProjectAccepted::descriptor(),
  };
  (void)kFiles;
}

std::string DecodedEvent::Field(const std::string& name) const {
  std::string v;
  if (payload && StringAt(*payload, name, &v)) return v;
  return "";
}

DecodedEvent CheckEventContract(const KafkaRecord& r, const std::string& topic_prefix,
                                std::chrono::system_clock::time_point not_before,
                                std::chrono::system_clock::time_point not_after,
                                std::vector<std::string>* problems) {
  DecodedEvent e;
  e.record = r;
  const std::string where =
      r.topic + "[" + std::to_string(r.partition) + "]@" + std::to_string(r.offset) + ": ";
  auto problem = [&](const std::string& what) { problems->push_back(where + what); };

  if (r.topic.rfind(topic_prefix, 0) != 0) problem("topic lacks the prefix " + topic_prefix);
  e.base_topic = r.topic.substr(std::min(topic_prefix.size(), r.topic.size()));

  auto header = [&](const char* name) -> std::string {
    auto v = r.Header(name);
    if (!v) {
      problem(std::string("header ") + name + " is missing");
      return "";
    }
    if (v->empty()) problem(std::string("header ") + name + " is empty");
    return *v;
  };
  if (header("ce_specversion") != "1.0") problem("ce_specversion is not 1.0");
  e.id = header("ce_id");
  e.source = header("ce_source");
  e.type = header("ce_type");
  e.subject = header("ce_subject");
  e.time = header("ce_time");
  std::string content_type = header("content-type");
  e.dataschema = header("ce_dataschema");

  static const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  if (!std::regex_match(e.id, kUuid)) problem("ce_id '" + e.id + "' is not a UUID");
  static const std::regex kType("^nrp\\.([a-z_]+)\\.([a-z_]+)\\.v([0-9]+)$");
  std::smatch tm;
  if (std::regex_match(e.type, tm, kType)) {
    e.service = tm[1];
  } else {
    problem("ce_type '" + e.type + "' is not nrp.<service>.<event>.v<N>");
  }
  if (content_type != "application/protobuf") {
    problem("content-type is '" + content_type + "', not application/protobuf");
  }
  static const std::regex kRfc3339(
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})"
      "$");
  if (!std::regex_match(e.time, kRfc3339)) {
    problem("ce_time '" + e.time + "' is not RFC 3339");
  } else if (auto t = ParseRfc3339(e.time); !t.ok()) {
    problem("ce_time '" + e.time + "' does not parse: " + t.error().message());
  } else if (*t < not_before || *t > not_after) {
    problem("ce_time " + e.time + " lies outside the test run");
  }
  if (auto tp = r.Header("traceparent"); tp) {
    static const std::regex kTrace("^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");
    if (!tp->empty() && !std::regex_match(*tp, kTrace)) {
      problem("traceparent '" + *tp + "' is not W3C trace context");
    }
  }
  if (e.subject != r.key)
    problem("ce_subject '" + e.subject + "' differs from the key '" + r.key + "'");

  // The payload, decoded with nothing but the descriptors of protos/.
  const gp::Descriptor* d =
      gp::DescriptorPool::generated_pool()->FindMessageTypeByName(e.dataschema);
  if (d == nullptr) {
    problem("ce_dataschema '" + e.dataschema + "' names no message of protos/");
    return e;
  }
  const gp::Message* prototype = gp::MessageFactory::generated_factory()->GetPrototype(d);
  std::shared_ptr<gp::Message> m(prototype->New());
  if (!m->ParseFromString(r.value)) {
    problem("value does not parse as " + e.dataschema);
    return e;
  }
  if (!m->GetReflection()->GetUnknownFields(*m).empty()) {
    problem("value has fields " + e.dataschema + " does not know");
  }
  e.payload = m;
  if (!d->options().HasExtension(nrp::common::v1::event)) {
    problem(e.dataschema + " is not an event message (no nrp.common.v1.event option)");
    return e;
  }
  const auto& spec = d->options().GetExtension(nrp::common::v1::event);
  if (spec.ce_type() != e.type) {
    problem("ce_type '" + e.type + "' but " + e.dataschema + " declares '" + spec.ce_type() + "'");
  }
  if (spec.topic() != e.base_topic) {
    problem(e.dataschema + " belongs on " + spec.topic() + ", read from " + e.base_topic);
  }
  std::string key;
  if (!StringAt(*m, spec.key(), &key)) {
    problem("key field '" + spec.key() + "' of " + e.dataschema + " is not a string");
  } else if (key != r.key) {
    problem("Kafka key '" + r.key + "' differs from the payload's " + spec.key() + " '" + key +
            "'");
  }
  std::string region;
  if (StringAt(*m, "region_code", &region) && !region.empty()) {
    std::string want = "/nrp/" + e.service + "/" + region;
    if (e.source != want) problem("ce_source '" + e.source + "', expected '" + want + "'");
  } else if (e.source.rfind("/nrp/" + e.service + "/", 0) != 0) {
    problem("ce_source '" + e.source + "' does not start with /nrp/" + e.service + "/");
  }
  return e;
}

}  // namespace nrp::e2e
