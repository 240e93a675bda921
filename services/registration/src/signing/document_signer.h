// Signing of electronic certificates (电子证照) with OpenSSL 3: SM2 with SM3 (GB/T 32918,
// GB/T 32905; distinguishing id "1234567812345678" of GB/T 35276-2017) where the province uses
// the national algorithms (国密), Ed25519 otherwise. Anyone holding the public key can verify a
// document with this code or with the openssl command line (see docs/services/registration.md).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "nrp/core/status.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace nrp::registration {

enum class SignatureAlgorithm { kSm2WithSm3, kEd25519 };

// "SM2-with-SM3" or "Ed25519".
const char* AlgorithmName(SignatureAlgorithm a);
Result<SignatureAlgorithm> ParseAlgorithm(std::string_view name);

// The SM2 distinguishing id (用户身份标识) used for every SM2 signature here.
inline constexpr std::string_view kSm2DistinguishingId = "1234567812345678";

class DocumentSigner {
 public:
  // A PEM private key ("-----BEGIN PRIVATE KEY-----"); its type decides the algorithm.
  static Result<DocumentSigner> FromPrivateKeyPem(std::string_view pem);
  // A fresh key (development stacks and tests).
  static Result<DocumentSigner> Generate(SignatureAlgorithm algorithm);

  SignatureAlgorithm algorithm() const { return algorithm_; }
  // Raw signature bytes (DER-encoded (r, s) for SM2; 64 bytes for Ed25519).
  Result<std::string> Sign(std::string_view document) const;
  const std::string& public_key_pem() const { return public_pem_; }
  Result<std::string> PrivateKeyPem() const;
  // Lower-case hex SHA-256 of the DER public key, first 16 characters.
  const std::string& key_id() const { return key_id_; }

 private:
  DocumentSigner() = default;
  Status Init();
  std::shared_ptr<EVP_PKEY> key_;
  SignatureAlgorithm algorithm_ = SignatureAlgorithm::kEd25519;
  std::string public_pem_;
  std::string key_id_;
};

// Verifies `signature` over `document` with a PEM public key. OK when valid;
// INVALID_ARGUMENT for an unreadable key; FAILED_PRECONDITION SIGNATURE_INVALID when the
// signature does not match (a tampered document).
Status VerifyDocument(std::string_view public_key_pem, std::string_view document,
                      std::string_view signature);

// Base64 (standard alphabet, padded) and back.
std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);
// Lower-case hex SHA-256.
std::string Sha256HexOf(std::string_view data);

}  // namespace nrp::registration
