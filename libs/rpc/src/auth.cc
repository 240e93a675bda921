#include "nrp/rpc/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace nrp::rpc {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxTokenBytes = 8192;

Error Unauthenticated(std::string message) {
  Error e(Code::kUnauthenticated, std::move(message));
  e.WithReason("UNAUTHENTICATED");
  return e;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::string TokenId(std::string_view token) { return "sha256:" + Sha256Hex(token).substr(0, 16); }

// "Bearer <token>" -> token.
Result<std::string_view> BearerToken(std::string_view authorization) {
  if (authorization.empty()) {
    return Unauthenticated("missing bearer token: send metadata 'authorization: Bearer <token>'");
  }
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), authorization.begin(), [](char a, char b) {
        return a == std::tolower(static_cast<unsigned char>(b));
      })) {
    return Unauthenticated("malformed authorization metadata: expected 'Bearer <token>'");
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) {
    return Unauthenticated("malformed authorization metadata: the bearer token is empty");
  }
  if (token.size() > kMaxTokenBytes) {
    return Unauthenticated("malformed token: longer than " + std::to_string(kMaxTokenBytes) +
                           " bytes");
  }
  return token;
}

bool IsRegionPrefix(std::string_view s) {
  return !s.empty() && s.size() <= 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Fills agency/scopes/regions from a JSON object (JWT claims or a table entry).
Status ReadIdentity(const json& obj, Caller* caller, std::string_view what) {
  auto agency = obj.find("agency");
  if (agency == obj.end() || !agency->is_string() || agency->get<std::string>().empty()) {
    return Error(Code::kInvalidArgument,
                 std::string(what) + ": 'agency' must be a non-empty string");
  }
  caller->agency = agency->get<std::string>();
  auto scope = obj.find("scope");
  if (scope != obj.end()) {
    if (!scope->is_string()) {
      return Error(Code::kInvalidArgument,
                   std::string(what) + ": 'scope' must be a space-separated string");
    }
    std::istringstream in(scope->get<std::string>());
    std::string s;
    while (in >> s) caller->scopes.push_back(s);
  }
  auto scopes = obj.find("scopes");
  if (scopes != obj.end()) {
    if (!scopes->is_array()) {
      return Error(Code::kInvalidArgument, std::string(what) + ": 'scopes' must be an array");
    }
    for (const auto& s : *scopes) {
      if (!s.is_string() || s.get<std::string>().empty()) {
        return Error(Code::kInvalidArgument,
                     std::string(what) + ": 'scopes' must hold non-empty strings");
      }
      caller->scopes.push_back(s.get<std::string>());
    }
  }
  std::sort(caller->scopes.begin(), caller->scopes.end());
  caller->scopes.erase(std::unique(caller->scopes.begin(), caller->scopes.end()),
                       caller->scopes.end());
  auto regions = obj.find("regions");
  if (regions != obj.end()) {
    if (!regions->is_array()) {
      return Error(Code::kInvalidArgument, std::string(what) + ": 'regions' must be an array");
    }
    for (const auto& r : *regions) {
      if (!r.is_string() || !IsRegionPrefix(r.get<std::string>())) {
        return Error(
            Code::kInvalidArgument,
            std::string(what) + ": 'regions' must hold region-code prefixes of 1 to 12 digits");
      }
      caller->region_prefixes.push_back(r.get<std::string>());
    }
  }
  return Ok();
}

// ---- JWT -------------------------------------------------------------------

struct EvpPkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>;

class JwtAuthenticator final : public Authenticator {
 public:
  JwtAuthenticator(JwtOptions options, PkeyPtr public_key, const Clock& clock)
      : options_(std::move(options)), public_key_(std::move(public_key)), clock_(clock) {}

  std::string_view mode() const override { return "jwt"; }

  Result<Caller> Authenticate(std::string_view authorization) const override {
    NRP_ASSIGN_OR_RETURN(std::string_view token, BearerToken(authorization));
    size_t dot1 = token.find('.');
    size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot1 == std::string_view::npos || dot2 == std::string_view::npos ||
        token.find('.', dot2 + 1) != std::string_view::npos) {
      return Unauthenticated("malformed token: a JWT has three dot-separated parts");
    }
    auto header_b = Base64UrlDecode(token.substr(0, dot1));
    auto payload_b = Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1));
    auto sig = Base64UrlDecode(token.substr(dot2 + 1));
    if (!header_b.ok() || !payload_b.ok() || !sig.ok()) {
      return Unauthenticated("malformed token: a part is not base64url");
    }
    json header = json::parse(*header_b, nullptr, false);
    if (header.is_discarded() || !header.is_object()) {
      return Unauthenticated("malformed token: the header is not a JSON object");
    }
    auto alg = header.find("alg");
    const char* expected = options_.algorithm == JwtOptions::Algorithm::kHs256 ? "HS256" : "EdDSA";
    if (alg == header.end() || !alg->is_string() || alg->get<std::string>() != expected) {
      // Never let the token choose the algorithm (alg=none, HS256 keyed with a public key).
      return Unauthenticated(std::string("malformed token: algorithm must be ") + expected);
    }
    if (header.contains("crit")) {
      return Unauthenticated("malformed token: critical header extensions are not supported");
    }
    std::string_view signing_input = token.substr(0, dot2);
    if (!VerifySignature(signing_input, *sig)) {
      return Unauthenticated("token signature is invalid");
    }
    json claims = json::parse(*payload_b, nullptr, false);
    if (claims.is_discarded() || !claims.is_object()) {
      return Unauthenticated("malformed token: the claims are not a JSON object");
    }
    double now = std::chrono::duration<double>(clock_.Now().time_since_epoch()).count();
    double leeway = static_cast<double>(options_.leeway.count());
    auto exp = claims.find("exp");
    if (exp == claims.end() || !exp->is_number()) {
      return Unauthenticated("malformed token: 'exp' (expiry, seconds since 1970) is required");
    }
    if (now > exp->get<double>() + leeway) {
      return Unauthenticated("token expired at " + FormatRfc3339(FromSeconds(exp->get<double>())));
    }
    auto nbf = claims.find("nbf");
    if (nbf != claims.end()) {
      if (!nbf->is_number()) return Unauthenticated("malformed token: 'nbf' must be a number");
      if (now + leeway < nbf->get<double>()) {
        return Unauthenticated("token not valid before " +
                               FormatRfc3339(FromSeconds(nbf->get<double>())));
      }
    }
    if (!options_.issuer.empty()) {
      auto iss = claims.find("iss");
      if (iss == claims.end() || !iss->is_string() || iss->get<std::string>() != options_.issuer) {
        return Unauthenticated("token issuer is not '" + options_.issuer + "'");
      }
    }
    if (!options_.audience.empty() && !HasAudience(claims)) {
      return Unauthenticated("token audience does not include '" + options_.audience + "'");
    }
    Caller caller;
    Status identity = ReadIdentity(claims, &caller, "token claims");
    if (!identity.ok()) return Unauthenticated("malformed token: " + identity.error().message());
    auto jti = claims.find("jti");
    caller.token_id = jti != claims.end() && jti->is_string() && !jti->get<std::string>().empty()
                          ? jti->get<std::string>()
                          : TokenId(token);
    return caller;
  }

 private:
  static TimePoint FromSeconds(double s) {
    return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
        std::chrono::duration<double>(std::clamp(s, 0.0, 253402300799.0))));
  }

  bool HasAudience(const json& claims) const {
    auto aud = claims.find("aud");
    if (aud == claims.end()) return false;
    if (aud->is_string()) return aud->get<std::string>() == options_.audience;
    if (aud->is_array()) {
      for (const auto& a : *aud) {
        if (a.is_string() && a.get<std::string>() == options_.audience) return true;
      }
    }
    return false;
  }

  bool VerifySignature(std::string_view input, const std::string& sig) const {
    if (options_.algorithm == JwtOptions::Algorithm::kHs256) {
      unsigned char mac[EVP_MAX_MD_SIZE];
      unsigned int len = 0;
      if (HMAC(EVP_sha256(), options_.key.data(), static_cast<int>(options_.key.size()),
               reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
               &len) == nullptr) {
        return false;
      }
      return sig.size() == len && CRYPTO_memcmp(mac, sig.data(), len) == 0;
    }
    if (sig.size() != 64) return false;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (ctx == nullptr) return false;
    bool ok =
        EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, public_key_.get()) == 1 &&
        EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                         reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
  }

  JwtOptions options_;
  PkeyPtr public_key_;
  const Clock& clock_;
};

// ---- static table ----------------------------------------------------------

class StaticTokenAuthenticator final : public Authenticator {
 public:
  explicit StaticTokenAuthenticator(std::map<std::string, Caller> by_digest)
      : by_digest_(std::move(by_digest)) {}

  std::string_view mode() const override { return "static"; }

  Result<Caller> Authenticate(std::string_view authorization) const override {
    NRP_ASSIGN_OR_RETURN(std::string_view token, BearerToken(authorization));
    auto it = by_digest_.find(Sha256Hex(token));
    if (it == by_digest_.end()) return Unauthenticated("unknown token");
    return it->second;
  }

 private:
  std::map<std::string, Caller> by_digest_;  // SHA-256 hex of the token -> caller
};

Result<std::string> ReadFile(const std::string& path, std::string_view variable) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error::InvalidArgument(std::string(variable), "cannot read '" + path + "'");
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

bool Caller::HasScope(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

bool Caller::CoversRegion(std::string_view region_code) const {
  return std::any_of(region_prefixes.begin(), region_prefixes.end(),
                     [&](const std::string& p) { return region_code.starts_with(p); });
}

Status Authorize(const Caller& caller, std::string_view scope, std::string_view region_code) {
  if (!scope.empty() && !caller.HasScope(scope)) {
    Error e(Code::kPermissionDenied,
            "agency '" + caller.agency + "' lacks scope '" + std::string(scope) + "'");
    e.WithReason("MISSING_SCOPE").WithMetadata("scope", std::string(scope));
    return e;
  }
  if (!region_code.empty() && !caller.CoversRegion(region_code)) {
    std::string allowed;
    for (const auto& p : caller.region_prefixes) allowed += (allowed.empty() ? "" : ", ") + p;
    Error e(Code::kPermissionDenied, "region " + std::string(region_code) +
                                         " is outside the regions of agency '" + caller.agency +
                                         "' (" + (allowed.empty() ? "none" : allowed) + ")");
    e.WithReason("REGION_NOT_ALLOWED").WithMetadata("region_code", std::string(region_code));
    return e;
  }
  return Ok();
}

std::string Base64UrlEncode(std::string_view bytes) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (bytes.size() - i == 1) {
    uint32_t v = byte(i) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (bytes.size() - i == 2) {
    uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return Error::InvalidArgument("base64url", "bad length");
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '-') {
      v = 62;
    } else if (c == '_') {
      v = 63;
    } else {
      return Error::InvalidArgument("base64url", "invalid character");
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

Result<std::shared_ptr<const Authenticator>> MakeJwtAuthenticator(JwtOptions options,
                                                                  const Clock& clock) {
  PkeyPtr key;
  if (options.algorithm == JwtOptions::Algorithm::kHs256) {
    if (options.key.size() < 32) {
      return Error::InvalidArgument("jwt key", "an HS256 secret must have at least 32 bytes");
    }
  } else {
    BIO* bio = BIO_new_mem_buf(options.key.data(), static_cast<int>(options.key.size()));
    if (bio == nullptr) return Error::Internal("jwt key: out of memory");
    key.reset(PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr));
    BIO_free(bio);
    if (!key) {
      return Error::InvalidArgument("jwt key", "not a PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
      return Error::InvalidArgument("jwt key", "EdDSA needs an Ed25519 public key");
    }
  }
  if (options.leeway.count() < 0 || options.leeway.count() > 300) {
    return Error::InvalidArgument("jwt leeway", "must be between 0 and 300 seconds");
  }
  return std::shared_ptr<const Authenticator>(
      std::make_shared<JwtAuthenticator>(std::move(options), std::move(key), clock));
}

Result<std::shared_ptr<const Authenticator>> MakeStaticTokenAuthenticator(std::string_view text,
                                                                          std::string_view origin) {
  json table = json::parse(text, nullptr, false);
  std::string where(origin);
  if (table.is_discarded() || !table.is_object()) {
    return Error::InvalidArgument(where, "expected a JSON object {\"<token>\": {\"agency\": ...}}");
  }
  std::map<std::string, Caller> by_digest;
  size_t index = 0;
  for (const auto& [token, entry] : table.items()) {
    ++index;
    std::string what = where + " entry " + std::to_string(index);
    if (token.empty()) return Error::InvalidArgument(where, what + ": empty token");
    if (!entry.is_object()) return Error::InvalidArgument(where, what + ": expected an object");
    Caller caller;
    Status st = ReadIdentity(entry, &caller, what);
    if (!st.ok()) return Error::InvalidArgument(where, st.error().message());
    caller.token_id = TokenId(token);
    by_digest.emplace(Sha256Hex(token), std::move(caller));
  }
  if (by_digest.empty()) return Error::InvalidArgument(where, "holds no tokens");
  return std::shared_ptr<const Authenticator>(
      std::make_shared<StaticTokenAuthenticator>(std::move(by_digest)));
}

Result<std::shared_ptr<const Authenticator>> MakeAuthenticatorFromEnv(Env& env,
                                                                      const Clock& clock) {
  std::string mode = env.OneOf("NRP_AUTH_MODE", "static", {"jwt", "static"});
  if (mode == "static") {
    std::string path = env.Required("NRP_AUTH_TOKENS_FILE");
    if (path.empty()) {
      return Error::InvalidArgument("NRP_AUTH_TOKENS_FILE",
                                    "is required when NRP_AUTH_MODE=static");
    }
    NRP_ASSIGN_OR_RETURN(std::string text, ReadFile(path, "NRP_AUTH_TOKENS_FILE"));
    auto a = MakeStaticTokenAuthenticator(text, "NRP_AUTH_TOKENS_FILE " + path);
    if (!a.ok()) {
      return Error::InvalidArgument("NRP_AUTH_TOKENS_FILE", a.error().message());
    }
    return a;
  }
  JwtOptions o;
  std::string alg = env.OneOf("NRP_JWT_ALG", "EdDSA", {"EdDSA", "HS256"});
  o.algorithm = alg == "HS256" ? JwtOptions::Algorithm::kHs256 : JwtOptions::Algorithm::kEdDsa;
  std::string key_file = env.Required("NRP_JWT_KEY_FILE");
  o.issuer = env.String("NRP_JWT_ISSUER", "");
  o.audience = env.String("NRP_JWT_AUDIENCE", "");
  o.leeway = std::chrono::duration_cast<std::chrono::seconds>(
      env.Duration("NRP_JWT_LEEWAY", std::chrono::seconds(30)));
  if (key_file.empty()) {
    return Error::InvalidArgument("NRP_JWT_KEY_FILE", "is required when NRP_AUTH_MODE=jwt");
  }
  NRP_ASSIGN_OR_RETURN(o.key, ReadFile(key_file, "NRP_JWT_KEY_FILE"));
  if (o.algorithm == JwtOptions::Algorithm::kHs256) {
    // A trailing newline from `echo secret > file` is not part of the secret.
    while (!o.key.empty() && (o.key.back() == '\n' || o.key.back() == '\r')) o.key.pop_back();
  }
  auto a = MakeJwtAuthenticator(std::move(o), clock);
  if (!a.ok()) return Error::InvalidArgument("NRP_JWT_KEY_FILE", a.error().message());
  return a;
}

}  // namespace nrp::rpc
