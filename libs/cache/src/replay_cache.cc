#include "nrp/cache/replay_cache.h"

#include "nrp/core/uuid.h"

namespace nrp::cache {
namespace {

Status CheckIds(std::string_view scope, std::string_view request_id) {
  if (scope.empty()) return Error::InvalidArgument("scope", "must not be empty");
  if (request_id.empty()) return Error::InvalidArgument("request_id", "must not be empty");
  if (request_id.size() > 200) {
    return Error::InvalidArgument("request_id", "must be at most 200 characters");
  }
  return Ok();
}

// KEYS[1]; ARGV: in-flight value, ttl ms. Returns {0} when claimed, else {1, value}.
const Script& BeginScript() {
  static const Script* s = new Script(R"lua(
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {0}
end
return {1, v}
)lua");
  return *s;
}

// KEYS[1]; ARGV: the in-flight value to remove. Returns 1 when removed.
const Script& AbandonScript() {
  static const Script* s = new Script(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
)lua");
  return *s;
}

}  // namespace

std::string ReplayCache::Key(std::string_view scope, std::string_view request_id) {
  std::string k = "nrp:";
  k += scope;
  k += ":req:";
  k += request_id;
  return k;
}

Result<ReplayState> ReplayCache::Begin(std::string_view scope, std::string_view request_id,
                                       std::chrono::milliseconds in_flight_ttl) {
  NRP_RETURN_IF_ERROR(CheckIds(scope, request_id));
  if (in_flight_ttl.count() <= 0) return Error::InvalidArgument("ttl", "must be positive");
  std::string token = NewUuidV4();
  NRP_ASSIGN_OR_RETURN(Reply r, redis_.EvalSha(BeginScript(), {Key(scope, request_id)},
                                               {"I" + token, std::to_string(in_flight_ttl.count())},
                                               Idempotency::kNotIdempotent));
  if (r.type != Reply::Type::kArray || r.elements.empty()) {
    return Error::Internal("replay cache: unexpected script reply from redis " + redis_.address());
  }
  ReplayState st;
  if (r.elements[0].integer == 0) {
    st.kind = ReplayState::Kind::kFresh;
    st.claim_token = std::move(token);
    return st;
  }
  if (r.elements.size() < 2 || r.elements[1].type != Reply::Type::kString ||
      r.elements[1].str.empty()) {
    return Error::Internal("replay cache: malformed entry for " + Key(scope, request_id));
  }
  const std::string& v = r.elements[1].str;
  if (v[0] == 'C') {
    st.kind = ReplayState::Kind::kCompleted;
    st.response = v.substr(1);
  } else if (v[0] == 'I') {
    st.kind = ReplayState::Kind::kInFlight;
  } else {
    return Error::Internal("replay cache: malformed entry for " + Key(scope, request_id));
  }
  return st;
}

Status ReplayCache::Complete(std::string_view scope, std::string_view request_id,
                             std::string_view response_bytes, std::chrono::milliseconds ttl) {
  NRP_RETURN_IF_ERROR(CheckIds(scope, request_id));
  if (ttl.count() <= 0) return Error::InvalidArgument("ttl", "must be positive");
  std::string value;
  value.reserve(response_bytes.size() + 1);
  value += 'C';
  value += response_bytes;
  NRP_ASSIGN_OR_RETURN(bool stored, redis_.Set(Key(scope, request_id), value, ttl));
  (void)stored;
  return Ok();
}

Result<bool> ReplayCache::Abandon(std::string_view scope, std::string_view request_id,
                                  std::string_view claim_token) {
  NRP_RETURN_IF_ERROR(CheckIds(scope, request_id));
  NRP_ASSIGN_OR_RETURN(Reply r,
                       redis_.EvalSha(AbandonScript(), {Key(scope, request_id)},
                                      {"I" + std::string(claim_token)}, Idempotency::kIdempotent));
  return r.integer == 1;
}

}  // namespace nrp::cache
