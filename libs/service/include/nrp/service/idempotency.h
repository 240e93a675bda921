// request_id idempotency for mutations (architecture §4, §5): Redis answers
// a quick retry, PostgreSQL is the record. The mutation's effects and its
// request_log row commit in one transaction, so a retry — even after a crash
// or with Redis down — returns the first response and changes nothing, and a
// request_id reused for a different request is refused.
#pragma once

#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "nrp/core/log.h"
#include "nrp/core/status.h"
#include "nrp/db/transaction.h"
#include "nrp/service/runtime.h"

namespace nrp::service {

// SHA-256 of the request's deterministic serialization with `request_id`
// cleared, so only the request's content is compared.
std::string RequestHash(const google::protobuf::Message& request);

// INVALID_ARGUMENT unless 1..128 printable ASCII characters.
Status CheckRequestId(std::string_view request_id);

namespace internal {
struct Replay {
  bool found = false;
  std::string response;
};
// Looks the request up in request_log; INVALID_ARGUMENT when the id was used
// for a different request.
Result<Replay> FindRequest(pqxx::transaction_base& tx, std::string_view scope,
                           std::string_view request_id, std::string_view hash);
// ABORTED when another transaction recorded the same id first.
Status RecordRequest(pqxx::transaction_base& tx, std::string_view scope,
                     std::string_view request_id, std::string_view hash,
                     std::string_view response, std::string_view agency);
// Redis front: what the replay cache knows, with the hash check applied.
Result<Replay> CachedReplay(Runtime& rt, std::string_view scope, std::string_view request_id,
                           std::string_view hash, std::string* claim);
void CacheResponse(Runtime& rt, std::string_view scope, std::string_view request_id,
                   std::string_view hash, std::string_view response);
void ReleaseClaim(Runtime& rt, std::string_view scope, std::string_view request_id,
                  std::string_view claim);
}  // namespace internal

// Runs `work` once per (scope, request_id). `scope` names the operation,
// e.g. "RecordCase". `work` returns the response message to store.
template <class Response>
Result<Response> Idempotent(Runtime& rt, std::string_view scope, std::string_view request_id,
                            const google::protobuf::Message& request, std::string_view agency,
                            const std::function<Result<Response>(pqxx::work&)>& work) {
  NRP_RETURN_IF_ERROR(CheckRequestId(request_id));
  const std::string hash = RequestHash(request);
  std::string claim;
  NRP_ASSIGN_OR_RETURN(internal::Replay cached,
                       internal::CachedReplay(rt, scope, request_id, hash, &claim));
  if (cached.found) {
    Response out;
    if (out.ParseFromString(cached.response)) return out;
  }
  auto result = db::Transact(rt.db(), [&](pqxx::work& tx) -> Result<Response> {
    NRP_ASSIGN_OR_RETURN(internal::Replay stored,
                         internal::FindRequest(tx, scope, request_id, hash));
    if (stored.found) {
      Response out;
      if (!out.ParseFromString(stored.response)) {
        return Error::Internal("stored response of request " + std::string(request_id) +
                               " cannot be read");
      }
      return out;
    }
    NRP_ASSIGN_OR_RETURN(Response response, work(tx));
    std::string bytes;
    response.SerializeToString(&bytes);
    NRP_RETURN_IF_ERROR(internal::RecordRequest(tx, scope, request_id, hash, bytes, agency));
    return response;
  });
  if (result.ok()) {
    std::string bytes;
    result->SerializeToString(&bytes);
    internal::CacheResponse(rt, scope, request_id, hash, bytes);
  } else if (!claim.empty()) {
    internal::ReleaseClaim(rt, scope, request_id, claim);
  }
  return result;
}

}  // namespace nrp::service
