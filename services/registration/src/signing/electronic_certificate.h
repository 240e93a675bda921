// The electronic certificate (电子证照) generated in the recording transaction: a canonical
// JSON document of the certificate, signed with the registry's key. The signed record travels
// as a data URI in Certificate.electronic_certificate_uri:
//
//   data:application/vnd.nrp.certificate+json;base64,<base64 of the envelope>
//   envelope = {"document": "<the signed JSON text>", "signature": "<base64>",
//               "algorithm": "SM2-with-SM3" | "Ed25519", "key_id": "<16 hex>",
//               "sm2_id": "1234567812345678" (SM2 only)}
//
// The document carries no personal id number in clear: each holder's number appears masked
// and as SHA-256("<certificate number>:<id number>"), so a holder's number can be checked
// against it without the document disclosing it.
#pragma once

#include <string>
#include <string_view>

#include "nrp/core/status.h"
#include "nrp/registration/v1/resources.pb.h"
#include "signing/document_signer.h"

namespace nrp::registration {

struct ElectronicCertificate {
  std::string document;   // the signed bytes (canonical JSON)
  std::string signature;  // raw signature bytes
  std::string algorithm;  // AlgorithmName
  std::string key_id;
  std::string verification_code;  // printed on the certificate (一证一码)
  std::string uri;                // the data URI above
};

// The canonical document of a certificate; `right` may be null (advance notice, objection).
std::string CertificateDocument(const v1::Certificate& cert, const v1::Right* right,
                                const std::string& registry_name);

// Signs the document and builds the envelope and verification code.
Result<ElectronicCertificate> SignCertificate(const DocumentSigner& signer, std::string document);

struct ParsedCertificate {
  std::string document;
  std::string signature;
  std::string algorithm;
  std::string key_id;
};
// Reads the data URI back; INVALID_ARGUMENT when it is not one of ours.
Result<ParsedCertificate> ParseCertificateUri(std::string_view uri);

// Verifies an electronic certificate URI with the registry's public key (PEM).
Status VerifyCertificateUri(std::string_view public_key_pem, std::string_view uri);

// The verification code of a signature: 16 upper-case hex characters of its SHA-256.
std::string VerificationCodeOf(std::string_view signature);

}  // namespace nrp::registration
