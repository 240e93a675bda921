#include "certificate_check.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

namespace nrp::e2e {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

std::string BioText(BIO* b) {
  char* data = nullptr;
  long len = BIO_get_mem_data(b, &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  if (e == 0) return "no OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

bool Base64Decode(const std::string& in, std::string* out) {
  if (in.size() % 4 != 0) return false;
  std::string buf(in.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(buf.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0) return false;
  size_t pad = 0;
  if (!in.empty() && in.back() == '=') ++pad;
  if (in.size() > 1 && in[in.size() - 2] == '=') ++pad;
  buf.resize(static_cast<size_t>(n) - pad);
  *out = std::move(buf);
  return true;
}

}  // namespace

KeyPair GenerateSm2KeyPair() {
  KeyPair kp;
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2"));
  if (!key) return kp;
  Bio priv(BIO_new(BIO_s_mem()));
  Bio pub(BIO_new(BIO_s_mem()));
  if (!priv || !pub) return kp;
  if (PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(pub.get(), key.get()) != 1) {
    return kp;
  }
  kp.private_pem = BioText(priv.get());
  kp.public_pem = BioText(pub.get());
  return kp;
}

bool ParseCertificateUri(const std::string& uri, ElectronicCertificate* out, std::string* error) {
  const std::string prefix = "data:application/vnd.nrp.certificate+json;base64,";
  if (uri.rfind(prefix, 0) != 0) {
    *error = "not a data URI of media type application/vnd.nrp.certificate+json";
    return false;
  }
  std::string envelope;
  if (!Base64Decode(uri.substr(prefix.size()), &envelope)) {
    *error = "the envelope is not base64";
    return false;
  }
  auto j = nlohmann::json::parse(envelope, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    *error = "the envelope is not a JSON object";
    return false;
  }
  for (const char* k : {"document", "signature", "algorithm", "key_id"}) {
    if (!j.contains(k) || !j[k].is_string()) {
      *error = std::string("the envelope lacks the string '") + k + "'";
      return false;
    }
  }
  out->document = j["document"].get<std::string>();
  out->algorithm = j["algorithm"].get<std::string>();
  out->key_id = j["key_id"].get<std::string>();
  out->sm2_id = j.contains("sm2_id") && j["sm2_id"].is_string() ? j["sm2_id"].get<std::string>()
                                                                : std::string();
  if (!Base64Decode(j["signature"].get<std::string>(), &out->signature)) {
    *error = "the signature is not base64";
    return false;
  }
  return true;
}

bool VerifySignature(const std::string& public_pem, const std::string& algorithm,
                     const std::string& sm2_id, const std::string& document,
                     const std::string& signature, std::string* error) {
  Bio bio(BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size())));
  Pkey key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) {
    *error = "not a PEM public key: " + OpenSslError();
    return false;
  }
  MdCtx ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  const char* md = nullptr;
  if (algorithm == "SM2-with-SM3") {
    md = "SM3";
  } else if (algorithm != "Ed25519") {
    *error = "unknown algorithm '" + algorithm + "'";
    return false;
  }
  if (!ctx ||
      EVP_DigestVerifyInit_ex(ctx.get(), &pctx, md, nullptr, nullptr, key.get(), nullptr) != 1) {
    *error = "verify init: " + OpenSslError();
    return false;
  }
  if (md != nullptr &&
      EVP_PKEY_CTX_set1_id(pctx, sm2_id.data(), static_cast<int>(sm2_id.size())) != 1) {
    *error = "SM2 distinguishing id: " + OpenSslError();
    return false;
  }
  int rc = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char*>(document.data()), document.size());
  if (rc != 1) {
    *error = "the signature does not verify: " + OpenSslError();
    return false;
  }
  return true;
}

std::string Sha256HexUpper(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  std::string out;
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02X", md[i]);
    out += buf;
  }
  return out;
}

}  // namespace nrp::e2e
