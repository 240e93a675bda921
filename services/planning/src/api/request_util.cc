#include "api/request_util.h"

#include <cctype>

#include "api/planning_api.h"
#include "nrp/rpc/auth.h"
#include "nrp/rpc/errors.h"
#include "nrp/rpc/interceptor.h"
#include "nrp/service/call.h"

namespace nrp::planning::api {

Result<int> PageSize(int requested) {
  if (requested < 0) return Error::InvalidArgument("page_size", "must not be negative");
  if (requested == 0) return 50;
  return std::min(requested, 1000);
}

std::string EncodePageToken(std::string_view key) {
  return rpc::Base64UrlEncode("p1:" + std::string(key));
}

Result<std::string> DecodePageToken(std::string_view token) {
  if (token.empty()) return std::string();
  auto raw = rpc::Base64UrlDecode(token);
  if (!raw.ok() || raw->rfind("p1:", 0) != 0) {
    return Error::InvalidArgument("page_token", "is not a token returned by this service");
  }
  return raw->substr(3);
}

namespace {
std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}
}  // namespace

Result<std::map<std::string, std::string>> ParseFilter(std::string_view filter,
                                                       const std::set<std::string>& allowed) {
  std::map<std::string, std::string> out;
  std::string_view rest = Trim(filter);
  auto bad = [&](const std::string& why) {
    std::string fields;
    for (const auto& f : allowed) fields += (fields.empty() ? "" : ", ") + f;
    return Error::InvalidArgument("filter", why +
                                                " (supported: terms `field = value` joined by AND "
                                                "on " +
                                                fields + ")");
  };
  while (!rest.empty()) {
    size_t and_at = std::string_view::npos;
    // Split on " AND " outside quotes.
    bool quoted = false;
    for (size_t i = 0; i + 5 <= rest.size(); ++i) {
      if (rest[i] == '"') quoted = !quoted;
      if (!quoted && rest.substr(i, 5) == " AND ") {
        and_at = i;
        break;
      }
    }
    std::string_view term = Trim(rest.substr(0, and_at));
    rest = and_at == std::string_view::npos ? std::string_view() : Trim(rest.substr(and_at + 5));
    size_t eq = term.find('=');
    if (eq == std::string_view::npos || eq == 0 || term.find("!=") != std::string_view::npos ||
        term.find("<") != std::string_view::npos || term.find(">") != std::string_view::npos) {
      return bad("'" + std::string(term) + "' is not a `field = value` term");
    }
    std::string field(Trim(term.substr(0, eq)));
    std::string value(Trim(term.substr(eq + 1)));
    if (!allowed.count(field)) return bad("unknown field '" + field + "'");
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (value.empty()) return bad("empty value for '" + field + "'");
    out[field] = value;
  }
  return out;
}

Result<rpc::Caller> Admit(service::Runtime& rt, const grpc::ServerContextBase* ctx,
                          std::string_view scope) {
  return service::Enter(rt, ctx, scope);
}

grpc::Status ToGrpc(const Error& error) { return service::Reply(error, kErrorDomain); }
grpc::Status ToGrpc(const Status& status) {
  return status.ok() ? grpc::Status::OK : service::Reply(status.error(), kErrorDomain);
}

}  // namespace nrp::planning::api
