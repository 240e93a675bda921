#include "signing/document_signer.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <vector>

namespace nrp::registration {

namespace {

std::string OpenSslError(std::string_view what) {
  std::string out(what);
  unsigned long e = ERR_get_error();
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += ": ";
    out += buf;
  }
  ERR_clear_error();
  return out;
}

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;

std::shared_ptr<EVP_PKEY> Own(EVP_PKEY* k) { return std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free); }

std::string BioString(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

Result<SignatureAlgorithm> AlgorithmOf(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "SM2")) return SignatureAlgorithm::kSm2WithSm3;
  if (EVP_PKEY_is_a(key, "ED25519")) return SignatureAlgorithm::kEd25519;
  return Error::InvalidArgument("signing key", "must be an SM2 or Ed25519 key");
}

// Initialises `ctx` for signing or verifying with the key's algorithm.
Status InitDigest(EVP_MD_CTX* ctx, EVP_PKEY* key, SignatureAlgorithm algorithm, bool sign) {
  EVP_PKEY_CTX* pctx = nullptr;
  const char* md = algorithm == SignatureAlgorithm::kSm2WithSm3 ? "SM3" : nullptr;
  int rc = sign ? EVP_DigestSignInit_ex(ctx, &pctx, md, nullptr, nullptr, key, nullptr)
                : EVP_DigestVerifyInit_ex(ctx, &pctx, md, nullptr, nullptr, key, nullptr);
  if (rc != 1) return Error::Internal(OpenSslError(sign ? "sign init" : "verify init"));
  if (algorithm == SignatureAlgorithm::kSm2WithSm3) {
    if (EVP_PKEY_CTX_set1_id(pctx, kSm2DistinguishingId.data(),
                             static_cast<int>(kSm2DistinguishingId.size())) != 1) {
      return Error::Internal(OpenSslError("set SM2 distinguishing id"));
    }
  }
  return Ok();
}

}  // namespace

const char* AlgorithmName(SignatureAlgorithm a) {
  return a == SignatureAlgorithm::kSm2WithSm3 ? "SM2-with-SM3" : "Ed25519";
}

Result<SignatureAlgorithm> ParseAlgorithm(std::string_view name) {
  if (name == "SM2-with-SM3" || name == "sm2" || name == "SM2")
    return SignatureAlgorithm::kSm2WithSm3;
  if (name == "Ed25519" || name == "ed25519") return SignatureAlgorithm::kEd25519;
  return Error::InvalidArgument("algorithm",
                                "must be SM2-with-SM3 or Ed25519, got '" + std::string(name) + "'");
}

Status DocumentSigner::Init() {
  NRP_ASSIGN_OR_RETURN(algorithm_, AlgorithmOf(key_.get()));
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
    return Error::Internal(OpenSslError("write public key"));
  }
  public_pem_ = BioString(bio.get());
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key_.get(), &der);
  if (n <= 0) return Error::Internal(OpenSslError("encode public key"));
  std::string der_bytes(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  key_id_ = Sha256HexOf(der_bytes).substr(0, 16);
  return Ok();
}

Result<DocumentSigner> DocumentSigner::FromPrivateKeyPem(std::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (key == nullptr) {
    return Error::InvalidArgument("signing key", OpenSslError("not a readable PEM private key"));
  }
  DocumentSigner s;
  s.key_ = Own(key);
  NRP_RETURN_IF_ERROR(s.Init());
  return s;
}

Result<DocumentSigner> DocumentSigner::Generate(SignatureAlgorithm algorithm) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(
      nullptr, nullptr, algorithm == SignatureAlgorithm::kSm2WithSm3 ? "SM2" : "ED25519");
  if (key == nullptr) return Error::Internal(OpenSslError("key generation"));
  DocumentSigner s;
  s.key_ = Own(key);
  NRP_RETURN_IF_ERROR(s.Init());
  return s;
}

Result<std::string> DocumentSigner::PrivateKeyPem() const {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Error::Internal(OpenSslError("write private key"));
  }
  return BioString(bio.get());
}

Result<std::string> DocumentSigner::Sign(std::string_view document) const {
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) return Error::Internal("out of memory");
  NRP_RETURN_IF_ERROR(InitDigest(ctx.get(), key_.get(), algorithm_, true));
  size_t len = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(document.data());
  if (EVP_DigestSign(ctx.get(), nullptr, &len, data, document.size()) != 1) {
    return Error::Internal(OpenSslError("signature size"));
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, data,
                     document.size()) != 1) {
    return Error::Internal(OpenSslError("sign"));
  }
  sig.resize(len);
  return sig;
}

Status VerifyDocument(std::string_view public_key_pem, std::string_view document,
                      std::string_view signature) {
  Bio bio(BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size())));
  EVP_PKEY* raw = bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (raw == nullptr) {
    return Error::InvalidArgument("public_key", OpenSslError("not a readable PEM public key"));
  }
  auto key = Own(raw);
  NRP_ASSIGN_OR_RETURN(SignatureAlgorithm algorithm, AlgorithmOf(key.get()));
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) return Error::Internal("out of memory");
  NRP_RETURN_IF_ERROR(InitDigest(ctx.get(), key.get(), algorithm, false));
  int rc = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char*>(document.data()), document.size());
  ERR_clear_error();
  if (rc != 1) {
    return Error::FailedPrecondition(
        "SIGNATURE_INVALID", "certificate",
        std::string("the ") + AlgorithmName(algorithm) + " signature does not match the document");
  }
  return Ok();
}

std::string Base64Encode(std::string_view bytes) {
  if (bytes.empty()) return "";
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  if (text.empty()) return std::string();
  if (text.size() % 4 != 0)
    return Error::InvalidArgument("base64", "length is not a multiple of 4");
  std::string out(3 * text.size() / 4, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return Error::InvalidArgument("base64", "is not valid base64");
  size_t pad = 0;
  if (text.back() == '=') ++pad;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string Sha256HexOf(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 15]);
  }
  return out;
}

}  // namespace nrp::registration
