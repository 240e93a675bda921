#include "nrp/nrpctl/contract.h"

#include <google/protobuf/descriptor.pb.h>

#include <algorithm>

#include "nrp/common/v1/event_options.pb.h"

extern "C" const char nrpctl_contract_descriptor_set[];
extern "C" const char nrpctl_contract_descriptor_set_end[];

namespace nrp::nrpctl {
namespace {

namespace pb = google::protobuf;

std::string TrimComment(std::string text) {
  // Each line of a comment starts with the space after "//".
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (!line.empty() && line[0] == ' ') line.erase(0, 1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (!out.empty() || !line.empty()) out += line + "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

template <class D>
std::string LeadingComment(const D* d) {
  if (d == nullptr) return "";
  pb::SourceLocation loc;
  if (!d->GetSourceLocation(&loc)) return "";
  return TrimComment(loc.leading_comments);
}

}  // namespace

const Contract& Contract::Get() {
  static const Contract* contract = new Contract();
  return *contract;
}

Contract::Contract() : pool_(std::make_unique<pb::DescriptorPool>()) {
  pb::FileDescriptorSet set;
  const size_t size =
      static_cast<size_t>(nrpctl_contract_descriptor_set_end - nrpctl_contract_descriptor_set);
  if (!set.ParseFromArray(nrpctl_contract_descriptor_set, static_cast<int>(size))) return;
  // --include_imports lists every file after its dependencies.
  for (const auto& file : set.file()) pool_->BuildFile(file);
  for (const auto& file : set.file()) {
    for (const auto& message : file.message_type()) {
      if (!message.options().HasExtension(nrp::common::v1::event)) continue;
      const auto& spec = message.options().GetExtension(nrp::common::v1::event);
      EventType e;
      e.ce_type = spec.ce_type();
      e.topic = spec.topic();
      e.key = spec.key();
      e.message = file.package().empty() ? message.name() : file.package() + "." + message.name();
      e.consumers.assign(spec.consumers().begin(), spec.consumers().end());
      events_.push_back(std::move(e));
    }
  }
  std::sort(events_.begin(), events_.end(), [](const EventType& a, const EventType& b) {
    return a.topic != b.topic ? a.topic < b.topic : a.ce_type < b.ce_type;
  });
}

std::string Contract::Comment(std::string_view full_name) const {
  std::string n(full_name);
  if (auto* d = pool_->FindMessageTypeByName(n)) return LeadingComment(d);
  if (auto* d = pool_->FindFieldByName(n)) return LeadingComment(d);
  if (auto* d = pool_->FindEnumTypeByName(n)) return LeadingComment(d);
  if (auto* d = pool_->FindEnumValueByName(n)) return LeadingComment(d);
  if (auto* d = pool_->FindServiceByName(n)) return LeadingComment(d);
  if (auto* d = pool_->FindMethodByName(n)) return LeadingComment(d);
  return "";
}

std::string Contract::Summary(std::string_view full_name) const {
  std::string c = Comment(full_name);
  std::replace(c.begin(), c.end(), '\n', ' ');
  // The first sentence; "e.g. " and "i.e. " do not end one.
  size_t pos = 0;
  while ((pos = c.find(". ", pos)) != std::string::npos) {
    bool abbreviation =
        pos >= 3 && (c.compare(pos - 3, 3, "e.g") == 0 || c.compare(pos - 3, 3, "i.e") == 0);
    if (!abbreviation) return c.substr(0, pos + 1);
    pos += 2;
  }
  return c;
}

const EventType* Contract::FindEvent(std::string_view ce_type) const {
  for (const auto& e : events_) {
    if (e.ce_type == ce_type) return &e;
  }
  return nullptr;
}

}  // namespace nrp::nrpctl
