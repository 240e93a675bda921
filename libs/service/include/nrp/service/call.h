// The call wrapper every handler of every service goes through, written once: the caller
// authenticated and authorised for the method's scope and admitted by its agency's rate limit;
// for a mutation, once per request_id with its effects and its audit row in one transaction,
// and a refusal audited too, with its code; the call's trace context in force for everything
// the call publishes; the error mapped to the status, details and domain a caller sees.
//
//   grpc::Status LandSupplyApi::PlaceBid(Ctx* ctx, const v1::PlaceBidRequest* req, v1::Bid* out) {
//     return service::Serve<v1::Bid>(rt, ctx, kWriteScope, kErrorDomain, out,
//         [&](const rpc::Caller& caller) {
//           return service::Mutate<v1::Bid>(rt, caller, {kServiceName, "PlaceBid"},
//                                           req->request_id(), *req,
//                                           [&](pqxx::work& tx, service::AuditSubject& audit) {
//                                             ...; audit = {region, subject}; return bid;
//                                           });
//         });
//   }
#pragma once

#include <grpcpp/server_context.h>

#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "nrp/core/log.h"
#include "nrp/core/status.h"
#include "nrp/rpc/auth.h"
#include "nrp/rpc/errors.h"
#include "nrp/rpc/interceptor.h"
#include "nrp/service/audit.h"
#include "nrp/service/idempotency.h"
#include "nrp/service/runtime.h"

namespace nrp::service {

// The method a mutation is: its service's full name and the method's ("PlaceBid"). The method
// alone scopes request ids (request_log); both name it in the audit log.
struct MethodName {
  std::string_view service;  // "nrp.land_supply.v1.LandSupplyService"
  std::string_view method;   // "PlaceBid"
  std::string Full() const;  // "/nrp.land_supply.v1.LandSupplyService/PlaceBid"
};

// What a mutation's audit row names: the region and the aggregate the call concerned (never a
// personal id in clear).
struct AuditSubject {
  std::string region_code;
  std::string subject;
};

// The caller of `ctx` holding `scope`, within its agency's rate limit: UNAUTHENTICATED,
// PERMISSION_DENIED or RESOURCE_EXHAUSTED otherwise.
Result<rpc::Caller> Enter(Runtime& rt, const grpc::ServerContextBase* ctx, std::string_view scope);

// The status a caller sees for `error`, in the service's error domain; errors the caller
// cannot act on (INTERNAL, UNAVAILABLE) are logged here.
grpc::Status Reply(const Error& error, std::string_view error_domain);

// The audit row's outcome of a refusal: its code, and its reason when it has one
// ("FAILED_PRECONDITION BIDDER_NOT_REGISTERED"); never the message, which may name a party.
std::string RefusalOutcome(const Error& error);

namespace internal {
// Writes the audit row of a refused mutation in a transaction of its own (best effort: a
// failure is logged, never returned, so the caller still sees the refusal itself).
void AuditRefusal(Runtime& rt, const rpc::Caller& caller, const MethodName& method,
                  const AuditSubject& subject, const Error& error);
}  // namespace internal

// A mutation: runs `work` once per request_id (a retry gets the first answer), with its audit
// row in the same transaction; a refusal — by `work`, by the request id check or by the
// database — is audited with its code. `work` fills `subject` as soon as it knows it.
template <class Resp>
Result<Resp> Mutate(Runtime& rt, const rpc::Caller& caller, const MethodName& method,
                    std::string_view request_id, const google::protobuf::Message& request,
                    const std::function<Result<Resp>(pqxx::work&, AuditSubject&)>& work) {
  AuditSubject subject;
  const std::string trace_id = trace::TraceIdOf(trace::Current());
  Result<Resp> result = Idempotent<Resp>(
      rt, method.method, request_id, request, caller.agency, [&](pqxx::work& tx) -> Result<Resp> {
        subject = {};
        NRP_ASSIGN_OR_RETURN(Resp response, work(tx, subject));
        AuditRecord record;
        record.method = method.Full();
        record.region_code = subject.region_code;
        record.subject = subject.subject;
        record.trace_id = trace_id;
        NRP_RETURN_IF_ERROR(Audit(tx, caller, record));
        return response;
      });
  if (!result.ok()) internal::AuditRefusal(rt, caller, method, subject, result.error());
  return result;
}

// Who may act on a region: the check a use case makes once it knows the region of the resource
// it acts on (a mutation's caller, for the write scope).
using RegionCheck = std::function<Status(const std::string& region_code)>;

// A mutation whose region is known only inside the work (the resource is read first): Mutate,
// with `work` given the caller's check for `write_scope` on a region, the audit row naming
// that region, and `subject` naming the aggregate from the answer (its region, when empty,
// being the one checked).
template <class Resp>
Result<Resp> MutateInRegion(Runtime& rt, const rpc::Caller& caller, const MethodName& method,
                            std::string_view write_scope, std::string_view request_id,
                            const google::protobuf::Message& request,
                            const std::function<Result<Resp>(pqxx::work&, const RegionCheck&)>& work,
                            const std::function<AuditSubject(const Resp&)>& subject) {
  return Mutate<Resp>(rt, caller, method, request_id, request,
                      [&](pqxx::work& tx, AuditSubject& audit) -> Result<Resp> {
                        std::string region;
                        const RegionCheck check = [&](const std::string& r) {
                          region = r;
                          audit.region_code = r;
                          return rpc::Authorize(caller, write_scope, r);
                        };
                        NRP_ASSIGN_OR_RETURN(Resp resp, work(tx, check));
                        audit = subject(resp);
                        if (audit.region_code.empty()) audit.region_code = region;
                        return resp;
                      });
}

// A read in one transaction.
template <class Resp>
Result<Resp> Read(Runtime& rt, const std::function<Result<Resp>(pqxx::work&)>& work) {
  return db::Transact(rt.db(), [&](pqxx::work& tx) -> Result<Resp> { return work(tx); });
}

// A unary call: the call's log fields and trace context in force, Enter, `fn`, Reply.
template <class Resp>
grpc::Status Serve(Runtime& rt, grpc::ServerContext* ctx, std::string_view scope,
                   std::string_view error_domain, Resp* out,
                   const std::function<Result<Resp>(const rpc::Caller&)>& fn) {
  rpc::CallLogScope log_scope(ctx);
  auto caller = Enter(rt, ctx, scope);
  if (!caller.ok()) return Reply(caller.error(), error_domain);
  Result<Resp> result = fn(*caller);
  if (!result.ok()) return Reply(result.error(), error_domain);
  *out = std::move(*result);
  return grpc::Status::OK;
}

}  // namespace nrp::service
