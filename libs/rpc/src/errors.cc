#include "nrp/rpc/errors.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace nrp::rpc {

grpc::Status ToGrpcStatus(const Error& error, std::string_view domain) {
  if (error.code() == Code::kOk) return grpc::Status::OK;
  google::rpc::Status st;
  st.set_code(static_cast<int>(error.code()));
  st.set_message(error.message());
  if (!error.field_violations().empty()) {
    google::rpc::BadRequest bad;
    for (const auto& f : error.field_violations()) {
      auto* v = bad.add_field_violations();
      v->set_field(f.field);
      v->set_description(f.description);
    }
    st.add_details()->PackFrom(bad);
  }
  if (!error.rule_violations().empty()) {
    google::rpc::PreconditionFailure pf;
    for (const auto& r : error.rule_violations()) {
      auto* v = pf.add_violations();
      v->set_type(r.type);
      v->set_subject(r.subject);
      v->set_description(r.description);
    }
    st.add_details()->PackFrom(pf);
  }
  if (!error.reason().empty() || !error.metadata().empty()) {
    google::rpc::ErrorInfo info;
    info.set_reason(error.reason());
    info.set_domain(std::string(domain));
    for (const auto& [k, v] : error.metadata()) (*info.mutable_metadata())[k] = v;
    st.add_details()->PackFrom(info);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(error.code()), error.message(),
                      st.SerializeAsString());
}

grpc::Status ToGrpcStatus(const Status& status, std::string_view domain) {
  if (status.ok()) return grpc::Status::OK;
  return ToGrpcStatus(status.error(), domain);
}

Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return Ok();
  int code = static_cast<int>(status.error_code());
  Error e(code >= 0 && code <= 16 ? static_cast<Code>(code) : Code::kUnknown,
          status.error_message());
  google::rpc::Status st;
  if (!status.error_details().empty() && st.ParseFromString(status.error_details())) {
    for (const auto& any : st.details()) {
      if (any.Is<google::rpc::BadRequest>()) {
        google::rpc::BadRequest bad;
        if (!any.UnpackTo(&bad)) continue;
        for (const auto& v : bad.field_violations()) e.AddField(v.field(), v.description());
      } else if (any.Is<google::rpc::PreconditionFailure>()) {
        google::rpc::PreconditionFailure pf;
        if (!any.UnpackTo(&pf)) continue;
        for (const auto& v : pf.violations()) e.AddRule(v.type(), v.subject(), v.description());
      } else if (any.Is<google::rpc::ErrorInfo>()) {
        google::rpc::ErrorInfo info;
        if (!any.UnpackTo(&info)) continue;
        e.WithReason(info.reason());
        for (const auto& [k, v] : info.metadata()) e.WithMetadata(k, v);
      }
    }
  }
  return e;
}

}  // namespace nrp::rpc
