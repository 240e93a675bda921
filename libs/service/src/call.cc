#include "nrp/service/call.h"

#include "nrp/db/transaction.h"

namespace nrp::service {

std::string MethodName::Full() const {
  return "/" + std::string(service) + "/" + std::string(method);
}

Result<rpc::Caller> Enter(Runtime& rt, const grpc::ServerContextBase* ctx,
                          std::string_view scope) {
  NRP_ASSIGN_OR_RETURN(rpc::Caller caller, rpc::RequireCaller(ctx, scope));
  NRP_RETURN_IF_ERROR(rt.Admit(caller));
  return caller;
}

grpc::Status Reply(const Error& error, std::string_view error_domain) {
  if (error.code() == Code::kInternal || error.code() == Code::kUnavailable) {
    log::Error("call failed", {{"error", error.ToString()}});
  }
  return rpc::ToGrpcStatus(error, error_domain);
}

std::string RefusalOutcome(const Error& error) {
  std::string out = CodeName(error.code());
  if (!error.reason().empty()) out += " " + error.reason();
  return out;
}

namespace internal {

void AuditRefusal(Runtime& rt, const rpc::Caller& caller, const MethodName& method,
                  const AuditSubject& subject, const Error& error) {
  AuditRecord record;
  record.method = method.Full();
  record.region_code = subject.region_code;
  record.subject = subject.subject;
  record.trace_id = trace::TraceIdOf(trace::Current());
  record.outcome = RefusalOutcome(error);
  auto st = db::Transact(
      rt.db(), [&](pqxx::work& tx) { return Audit(tx, caller, record); }, {.attempts = 1});
  if (!st.ok()) {
    log::Warn("refusal not audited", {{"method", record.method},
                                      {"outcome", record.outcome},
                                      {"error", st.error().ToString()}});
  }
}

}  // namespace internal
}  // namespace nrp::service
