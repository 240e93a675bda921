// Who is calling and what they may do (architecture §6).
//
// Every call carries `authorization: Bearer <token>`. Two ways to check it:
//   jwt    — a JWT signed with HS256 (shared secret file) or EdDSA/Ed25519
//            (public key PEM), with exp required, nbf honoured (both with a
//            small leeway) and iss/aud checked when configured. Claims:
//              agency   string, required
//              scope    space-separated scopes (OAuth style), and/or
//              scopes   array of scopes
//              regions  array of region-code prefixes, e.g. ["41"] (Henan) or
//                       ["410300"] (Luoyang); absent = no regional access
//              jti      optional token id (logged; else a hash of the token)
//   static — a token table file for the local stack:
//              {"<token>": {"agency": "...", "scopes": [...], "regions": [...]}}
//            Tokens are kept only as SHA-256 digests; lookups compare digests.
//
// Handlers then call Authorize(caller, "registration.write", region_code): a
// missing scope or a region outside the caller's prefixes is
// PERMISSION_DENIED naming what is missing.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nrp/core/clock.h"
#include "nrp/core/config.h"
#include "nrp/core/status.h"

namespace nrp::rpc {

struct Caller {
  std::string agency;
  std::vector<std::string> scopes;
  std::vector<std::string> region_prefixes;
  std::string token_id;  // jti, or "sha256:<first 16 hex>" of the token; never the token

  bool HasScope(std::string_view scope) const;
  // True when `region_code` starts with one of the caller's prefixes.
  bool CoversRegion(std::string_view region_code) const;
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // `authorization` is the metadata value ("Bearer <token>"), empty when the
  // call had none. UNAUTHENTICATED with a message saying what is wrong:
  // missing, malformed, bad signature, expired, not yet valid, wrong
  // issuer/audience, unknown token.
  virtual Result<Caller> Authenticate(std::string_view authorization) const = 0;
  virtual std::string_view mode() const = 0;
};

struct JwtOptions {
  enum class Algorithm { kHs256, kEdDsa };
  Algorithm algorithm = Algorithm::kEdDsa;
  // HS256: the shared secret (≥ 32 bytes). EdDSA: the Ed25519 public key PEM.
  std::string key;
  std::string issuer;    // required `iss` when not empty
  std::string audience;  // required in `aud` when not empty
  std::chrono::seconds leeway{30};
};

Result<std::shared_ptr<const Authenticator>> MakeJwtAuthenticator(
    JwtOptions options, const Clock& clock = SystemClock::Instance());

// `json` is the token table; `origin` names it in errors.
Result<std::shared_ptr<const Authenticator>> MakeStaticTokenAuthenticator(
    std::string_view json, std::string_view origin = "token table");

// NRP_AUTH_MODE     jwt | static (default static)
// static: NRP_AUTH_TOKENS_FILE (required)
// jwt:    NRP_JWT_ALG (EdDSA | HS256, default EdDSA), NRP_JWT_KEY_FILE
//         (required: Ed25519 public key PEM, or the HS256 secret),
//         NRP_JWT_ISSUER, NRP_JWT_AUDIENCE (optional), NRP_JWT_LEEWAY (30s)
// Errors name the variable.
Result<std::shared_ptr<const Authenticator>> MakeAuthenticatorFromEnv(
    Env& env, const Clock& clock = SystemClock::Instance());

// PERMISSION_DENIED (reason MISSING_SCOPE or REGION_NOT_ALLOWED) naming the
// missing scope or the region. An empty `scope` or `region_code` is not checked.
Status Authorize(const Caller& caller, std::string_view scope, std::string_view region_code);

// Helpers shared with tests and tools.
std::string Base64UrlEncode(std::string_view bytes);
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace nrp::rpc
