#include "nrp/service/idempotency.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "nrp/db/migrations.h"

namespace nrp::service {

std::string RequestHash(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  if (const auto* f = copy->GetDescriptor()->FindFieldByName("request_id");
      f && f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_STRING &&
      !f->is_repeated()) {
    copy->GetReflection()->ClearField(copy.get(), f);
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  return db::Sha256Hex(copy->GetDescriptor()->full_name() + "\n" + bytes);
}

Status CheckRequestId(std::string_view id) {
  if (id.empty()) {
    return Error::InvalidArgument("request_id",
                                  "required: a unique id per mutation (e.g. a UUID) so a retry "
                                  "is applied once");
  }
  if (id.size() > 128) return Error::InvalidArgument("request_id", "longer than 128 characters");
  for (unsigned char c : id) {
    if (c < 0x21 || c > 0x7e) {
      return Error::InvalidArgument("request_id", "only printable ASCII without spaces");
    }
  }
  return Ok();
}

namespace internal {
namespace {
std::string CacheScope(Runtime& rt, std::string_view scope) {
  return rt.service() + ":" + std::string(scope);
}
Error Reused(std::string_view request_id) {
  return Error::InvalidArgument("request_id", "'" + std::string(request_id) +
                                                  "' was already used for a different request");
}
}  // namespace

Result<Replay> FindRequest(pqxx::transaction_base& tx, std::string_view scope,
                           std::string_view request_id, std::string_view hash) {
  auto rows = tx.exec_params(
      "SELECT request_hash, response FROM request_log WHERE scope = $1 AND request_id = $2",
      std::string(scope), std::string(request_id));
  if (rows.empty()) return Replay{};
  if (rows[0][0].as<std::string>() != hash) return Reused(request_id);
  pqxx::binarystring bytes(rows[0][1]);
  return Replay{true, bytes.str()};
}

Status RecordRequest(pqxx::transaction_base& tx, std::string_view scope,
                     std::string_view request_id, std::string_view hash,
                     std::string_view response, std::string_view agency) {
  pqxx::binarystring bytes(response.data(), response.size());
  auto r = tx.exec_params(
      "INSERT INTO request_log (scope, request_id, request_hash, response, agency) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
      std::string(scope), std::string(request_id), std::string(hash), bytes,
      std::string(agency));
  if (r.affected_rows() == 0) {
    return Error::Aborted("request " + std::string(request_id) + " was completed concurrently");
  }
  return Ok();
}

Result<Replay> CachedReplay(Runtime& rt, std::string_view scope, std::string_view request_id,
                            std::string_view hash, std::string* claim) {
  auto state = rt.replay().Begin(CacheScope(rt, scope), request_id, std::chrono::seconds(30));
  if (!state.ok()) {
    log::Warn("replay cache unavailable; relying on the database",
              {{"error", state.error().message()}});
    return Replay{};
  }
  switch (state->kind) {
    case cache::ReplayState::Kind::kFresh:
      *claim = state->claim_token;
      return Replay{};
    case cache::ReplayState::Kind::kInFlight:
      return Error::Aborted("request " + std::string(request_id) +
                            " is still being processed; retry shortly");
    case cache::ReplayState::Kind::kCompleted: {
      const std::string& v = state->response;
      auto nl = v.find('\n');
      if (nl == std::string::npos) return Replay{};
      if (v.substr(0, nl) != hash) return Reused(request_id);
      return Replay{true, v.substr(nl + 1)};
    }
  }
  return Replay{};
}

void CacheResponse(Runtime& rt, std::string_view scope, std::string_view request_id,
                   std::string_view hash, std::string_view response) {
  std::string value = std::string(hash) + "\n" + std::string(response);
  auto s = rt.replay().Complete(CacheScope(rt, scope), request_id, value, rt.options().replay_ttl);
  if (!s.ok()) log::Warn("replay cache not updated", {{"error", s.error().message()}});
}

void ReleaseClaim(Runtime& rt, std::string_view scope, std::string_view request_id,
                  std::string_view claim) {
  auto r = rt.replay().Abandon(CacheScope(rt, scope), request_id, claim);
  if (!r.ok()) log::Warn("replay claim not released", {{"error", r.error().message()}});
}

}  // namespace internal
}  // namespace nrp::service
