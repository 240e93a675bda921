#include "nrp/rpc/auth.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace nrp::rpc {
namespace {

using namespace std::chrono_literals;
using testing::Claims;
using testing::json;
using testing::MintEdDsa;
using testing::MintHs256;

const std::string kSecret = "a-shared-secret-of-at-least-32-bytes!!";

std::shared_ptr<const Authenticator> Hs256(std::string issuer = "", std::string audience = "") {
  JwtOptions o;
  o.algorithm = JwtOptions::Algorithm::kHs256;
  o.key = kSecret;
  o.issuer = std::move(issuer);
  o.audience = std::move(audience);
  auto a = MakeJwtAuthenticator(o);
  EXPECT_TRUE(a.ok()) << a.error().ToString();
  return *a;
}

std::shared_ptr<const Authenticator> EdDsa(const testing::Ed25519Key& key) {
  JwtOptions o;
  o.algorithm = JwtOptions::Algorithm::kEdDsa;
  o.key = key.public_pem;
  auto a = MakeJwtAuthenticator(o);
  EXPECT_TRUE(a.ok()) << a.error().ToString();
  return *a;
}

void ExpectUnauthenticated(const Result<Caller>& r, const std::string& words) {
  ASSERT_FALSE(r.ok()) << "expected UNAUTHENTICATED containing '" << words << "'";
  EXPECT_EQ(r.error().code(), Code::kUnauthenticated) << r.error().ToString();
  EXPECT_NE(r.error().message().find(words), std::string::npos) << r.error().message();
}

TEST(Jwt, Hs256TokenGivesTheCaller) {
  auto auth = Hs256();
  json claims =
      Claims("luoyang-registration", {"registration.read", "registration.write"}, {"410300"});
  claims["jti"] = "token-7";
  auto caller = auth->Authenticate("Bearer " + MintHs256(claims, kSecret));
  ASSERT_TRUE(caller.ok()) << caller.error().ToString();
  EXPECT_EQ(caller->agency, "luoyang-registration");
  EXPECT_EQ(caller->scopes, (std::vector<std::string>{"registration.read", "registration.write"}));
  EXPECT_EQ(caller->region_prefixes, std::vector<std::string>{"410300"});
  EXPECT_EQ(caller->token_id, "token-7");
  EXPECT_EQ(auth->mode(), "jwt");
}

TEST(Jwt, Ed25519TokenAndScopesArray) {
  auto key = testing::NewEd25519Key();
  auto auth = EdDsa(key);
  json claims = Claims("henan-dnr", {}, {"41"});
  claims.erase("scope");
  claims["scopes"] = {"planning.read", "mining.read"};
  auto caller = auth->Authenticate("Bearer " + MintEdDsa(claims, key));
  ASSERT_TRUE(caller.ok()) << caller.error().ToString();
  EXPECT_EQ(caller->agency, "henan-dnr");
  EXPECT_TRUE(caller->HasScope("mining.read"));
  EXPECT_TRUE(caller->CoversRegion("410302"));
  EXPECT_FALSE(caller->CoversRegion("220100"));
  EXPECT_EQ(caller->token_id.rfind("sha256:", 0), 0u);
}

TEST(Jwt, RejectsMissingMalformedAndForgedTokens) {
  auto auth = Hs256();
  ExpectUnauthenticated(auth->Authenticate(""), "missing bearer token");
  ExpectUnauthenticated(auth->Authenticate("Basic dXNlcjpwYXNz"), "expected 'Bearer <token>'");
  ExpectUnauthenticated(auth->Authenticate("Bearer "), "expected 'Bearer <token>'");
  ExpectUnauthenticated(auth->Authenticate("Bearer abc.def"), "three dot-separated parts");
  ExpectUnauthenticated(auth->Authenticate("Bearer a*b.c.d"), "not base64url");
  ExpectUnauthenticated(auth->Authenticate("Bearer " + std::string(9000, 'a')), "longer than");

  json claims = Claims("a", {"x"}, {"41"});
  ExpectUnauthenticated(
      auth->Authenticate("Bearer " + MintHs256(claims, "another-secret-of-at-least-32-bytes!!")),
      "signature is invalid");
  // A payload changed after signing.
  std::string token = MintHs256(claims, kSecret);
  size_t dot1 = token.find('.'), dot2 = token.rfind('.');
  json forged = claims;
  forged["regions"] = {"4"};
  std::string tampered =
      token.substr(0, dot1 + 1) + Base64UrlEncode(forged.dump()) + token.substr(dot2);
  ExpectUnauthenticated(auth->Authenticate("Bearer " + tampered), "signature is invalid");
  // The token may not pick its algorithm.
  ExpectUnauthenticated(
      auth->Authenticate("Bearer " + MintHs256(claims, kSecret, {{"alg", "none"}})),
      "algorithm must be HS256");
}

TEST(Jwt, EdDsaRejectsOtherKeysAndAlgorithmConfusion) {
  auto key = testing::NewEd25519Key();
  auto other = testing::NewEd25519Key();
  auto auth = EdDsa(key);
  json claims = Claims("a", {"x"}, {"41"});
  ExpectUnauthenticated(auth->Authenticate("Bearer " + MintEdDsa(claims, other)),
                        "signature is invalid");
  // HS256 "signed" with the public key text must not pass as EdDSA.
  ExpectUnauthenticated(auth->Authenticate("Bearer " + MintHs256(claims, key.public_pem)),
                        "algorithm must be EdDSA");
}

TEST(Jwt, ChecksTimeIssuerAndAudience) {
  auto auth = Hs256("https://iam.hnzrzy.gov.cn", "nrp");
  json good = Claims("a", {"x"}, {"41"});
  good["iss"] = "https://iam.hnzrzy.gov.cn";
  good["aud"] = json::array({"other", "nrp"});
  EXPECT_TRUE(auth->Authenticate("Bearer " + MintHs256(good, kSecret)).ok());

  json expired = good;
  expired["exp"] = good["iat"].get<int64_t>() - 120;  // beyond the 30 s leeway
  ExpectUnauthenticated(auth->Authenticate("Bearer " + MintHs256(expired, kSecret)), "expired");
  json just_expired = good;
  just_expired["exp"] = good["iat"].get<int64_t>() - 5;  // within the leeway
  EXPECT_TRUE(auth->Authenticate("Bearer " + MintHs256(just_expired, kSecret)).ok());

  json early = good;
  early["nbf"] = good["iat"].get<int64_t>() + 3600;
  ExpectUnauthenticated(auth->Authenticate("Bearer " + MintHs256(early, kSecret)),
                        "not valid before");
  json no_exp = good;
  no_exp.erase("exp");
  ExpectUnauthenticated(auth->Authenticate("Bearer " + MintHs256(no_exp, kSecret)), "'exp'");
  json wrong_iss = good;
  wrong_iss["iss"] = "https://evil.example";
  ExpectUnauthenticated(auth->Authenticate("Bearer " + MintHs256(wrong_iss, kSecret)), "issuer");
  json wrong_aud = good;
  wrong_aud["aud"] = "somebody-else";
  ExpectUnauthenticated(auth->Authenticate("Bearer " + MintHs256(wrong_aud, kSecret)), "audience");
}

TEST(Jwt, RejectsBadIdentityClaims) {
  auto auth = Hs256();
  json no_agency = Claims("", {"x"}, {"41"});
  ExpectUnauthenticated(auth->Authenticate("Bearer " + MintHs256(no_agency, kSecret)), "agency");
  json bad_region = Claims("a", {"x"}, {"41ab"});
  ExpectUnauthenticated(auth->Authenticate("Bearer " + MintHs256(bad_region, kSecret)),
                        "region-code prefixes");
}

TEST(Jwt, KeysAreValidated) {
  JwtOptions weak;
  weak.algorithm = JwtOptions::Algorithm::kHs256;
  weak.key = "short";
  EXPECT_FALSE(MakeJwtAuthenticator(weak).ok());
  JwtOptions not_pem;
  not_pem.key = "hello";
  auto r = MakeJwtAuthenticator(not_pem);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("PEM public key"), std::string::npos);
}

TEST(StaticTokens, TableLookups) {
  auto auth = MakeStaticTokenAuthenticator(R"({
    "dev-registration-token-0001": {"agency": "luoyang-registration",
                                    "scopes": ["registration.read"], "regions": ["4103"]},
    "dev-planning-token-0002": {"agency": "henan-planning", "scope": "planning.read planning.write",
                                "regions": ["41"]}
  })");
  ASSERT_TRUE(auth.ok()) << auth.error().ToString();
  auto c = (*auth)->Authenticate("Bearer dev-planning-token-0002");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->agency, "henan-planning");
  EXPECT_TRUE(c->HasScope("planning.write"));
  EXPECT_EQ(c->token_id.rfind("sha256:", 0), 0u);
  EXPECT_EQ(c->token_id.find("dev-planning"), std::string::npos);
  ExpectUnauthenticated((*auth)->Authenticate("Bearer nope"), "unknown token");
  ExpectUnauthenticated((*auth)->Authenticate(""), "missing bearer token");
  EXPECT_EQ((*auth)->mode(), "static");

  auto bad = MakeStaticTokenAuthenticator(R"({"t": {"scopes": []}})", "tokens.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("agency"), std::string::npos);
  EXPECT_FALSE(MakeStaticTokenAuthenticator("[]").ok());
  EXPECT_FALSE(MakeStaticTokenAuthenticator("{}").ok());
}

TEST(Authorize, NamesTheMissingScopeOrTheRegion) {
  Caller c{"luoyang-registration", {"registration.read"}, {"4103"}, "t"};
  EXPECT_TRUE(Authorize(c, "registration.read", "410302").ok());
  EXPECT_TRUE(Authorize(c, "", "").ok());
  auto scope = Authorize(c, "registration.write", "410302");
  ASSERT_FALSE(scope.ok());
  EXPECT_EQ(scope.error().code(), Code::kPermissionDenied);
  EXPECT_NE(scope.error().message().find("registration.write"), std::string::npos);
  EXPECT_EQ(scope.error().reason(), "MISSING_SCOPE");
  auto region = Authorize(c, "registration.read", "410200");
  ASSERT_FALSE(region.ok());
  EXPECT_EQ(region.error().code(), Code::kPermissionDenied);
  EXPECT_NE(region.error().message().find("410200"), std::string::npos);
  EXPECT_NE(region.error().message().find("4103"), std::string::npos);
  EXPECT_EQ(region.error().reason(), "REGION_NOT_ALLOWED");
}

TEST(AuthFromEnv, BuildsEitherModeAndNamesBadVariables) {
  testing::TempDir dir;
  std::string tokens = dir.Write("tokens.json", R"({"tok-1": {"agency": "a", "regions": ["41"]}})");
  Env env(std::map<std::string, std::string>{{"NRP_AUTH_TOKENS_FILE", tokens}});
  auto a = MakeAuthenticatorFromEnv(env);
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  EXPECT_EQ((*a)->mode(), "static");

  auto key = testing::NewEd25519Key();
  std::string pem = dir.Write("jwt.pub", key.public_pem);
  Env jwt_env(std::map<std::string, std::string>{
      {"NRP_AUTH_MODE", "jwt"}, {"NRP_JWT_KEY_FILE", pem}, {"NRP_JWT_LEEWAY", "10s"}});
  auto j = MakeAuthenticatorFromEnv(jwt_env);
  ASSERT_TRUE(j.ok()) << j.error().ToString();
  EXPECT_TRUE((*j)->Authenticate("Bearer " + MintEdDsa(Claims("a", {}, {}), key)).ok());

  std::string secret = dir.Write("hs.secret", kSecret + "\n");
  Env hs_env(std::map<std::string, std::string>{
      {"NRP_AUTH_MODE", "jwt"}, {"NRP_JWT_ALG", "HS256"}, {"NRP_JWT_KEY_FILE", secret}});
  auto h = MakeAuthenticatorFromEnv(hs_env);
  ASSERT_TRUE(h.ok()) << h.error().ToString();
  EXPECT_TRUE((*h)->Authenticate("Bearer " + MintHs256(Claims("a", {}, {}), kSecret)).ok());

  Env missing(std::map<std::string, std::string>{{"NRP_AUTH_MODE", "jwt"}});
  auto m = MakeAuthenticatorFromEnv(missing);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("NRP_JWT_KEY_FILE"), std::string::npos);

  Env unreadable(std::map<std::string, std::string>{{"NRP_AUTH_TOKENS_FILE", "/nonexistent"}});
  auto u = MakeAuthenticatorFromEnv(unreadable);
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().field_violations().at(0).field, "NRP_AUTH_TOKENS_FILE");
}

TEST(Base64Url, RoundTrips) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00"}) {
    auto d = Base64UrlDecode(Base64UrlEncode(s));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, s);
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_FALSE(Base64UrlDecode("a").ok());
}

}  // namespace
}  // namespace nrp::rpc
