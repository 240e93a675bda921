// The registry's signing key, made the way an operator makes it, and the
// check anyone holding only the registry's public key can make of an
// electronic certificate (docs/services/registration.md, "Certificates"):
// OpenSSL directly, not the registration service's code.
#pragma once

#include <string>

namespace nrp::e2e {

struct KeyPair {
  std::string private_pem;
  std::string public_pem;
};

// A fresh SM2 key pair (GB/T 32918), PEM encoded; empty strings on failure.
KeyPair GenerateSm2KeyPair();

struct ElectronicCertificate {
  std::string document;   // the signed bytes (canonical JSON)
  std::string signature;  // raw signature bytes
  std::string algorithm;  // "SM2-with-SM3" or "Ed25519"
  std::string key_id;
  std::string sm2_id;
};

// Reads `data:application/vnd.nrp.certificate+json;base64,<envelope>`; false
// with `error` when it is not that.
bool ParseCertificateUri(const std::string& uri, ElectronicCertificate* out, std::string* error);

// Verifies `signature` over `document` with the public key: SM2 with SM3 and
// the distinguishing id, or Ed25519. False with `error` when it does not hold.
bool VerifySignature(const std::string& public_pem, const std::string& algorithm,
                     const std::string& sm2_id, const std::string& document,
                     const std::string& signature, std::string* error);

// Upper-case hex of SHA-256.
std::string Sha256HexUpper(const std::string& data);

}  // namespace nrp::e2e
