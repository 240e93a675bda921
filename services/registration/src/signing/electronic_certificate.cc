#include "signing/electronic_certificate.h"

#include <nlohmann/json.hpp>

#include "domain/convert.h"
#include "domain/party.h"
#include "nrp/core/clock.h"
#include "nrp/core/log.h"

namespace nrp::registration {

namespace {

constexpr std::string_view kUriPrefix = "data:application/vnd.nrp.certificate+json;base64,";

nlohmann::json PartyJson(const common::v1::Party& p, const std::string& certificate_number) {
  nlohmann::json j;
  j["name"] = p.name();
  j["kind"] = common::v1::PartyKind_Name(p.kind());
  j["id_type"] = common::v1::IdDocumentType_Name(p.id_type());
  const std::string id = NormaliseIdNumber(p.id_number());
  if (IsPersonalIdDocument(p)) {
    j["id_number_masked"] = log::MaskIdNumber(id);
    j["id_number_sha256"] = Sha256HexOf(certificate_number + ":" + id);
  } else {
    j["id_number"] = id;
  }
  return j;
}

std::string DateText(const common::v1::Date& d) {
  if (!IsSet(d)) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year(), d.month(), d.day());
  return buf;
}

}  // namespace

std::string CertificateDocument(const v1::Certificate& cert, const v1::Right* right,
                                const std::string& registry_name) {
  nlohmann::json j;
  j["format"] = "nrp.registration.certificate.v1";
  j["certificate_number"] = cert.certificate_number();
  j["kind"] = v1::CertificateKind_Name(cert.kind());
  j["registry"] = registry_name;
  j["region_code"] = cert.region_code();
  j["unit_code"] = cert.unit_code();
  j["case_id"] = cert.case_id();
  j["generated_at"] = FormatRfc3339(FromTimestamp(cert.generated_at()));
  nlohmann::json holders = nlohmann::json::array();
  for (const auto& h : cert.holders()) {
    nlohmann::json hj = PartyJson(h.party(), cert.certificate_number());
    if (h.has_share()) {
      hj["share"] =
          std::to_string(h.share().numerator()) + "/" + std::to_string(h.share().denominator());
    }
    holders.push_back(std::move(hj));
  }
  j["holders"] = std::move(holders);
  if (right != nullptr) {
    nlohmann::json r;
    r["right_id"] = right->right_id();
    r["right_kind"] = v1::RightKind_Name(right->right_kind());
    r["co_ownership"] = v1::CoOwnership_Name(right->co_ownership());
    r["purpose"] = right->purpose();
    r["acquisition_basis"] = right->acquisition_basis();
    r["term_start"] = DateText(right->term_start());
    r["term_end"] = DateText(right->term_end());
    if (right->has_area()) r["area_square_metres"] = right->area().square_metres();
    r["remarks"] = right->remarks();
    if (right->has_mortgage()) {
      const auto& m = right->mortgage();
      nlohmann::json mj;
      mj["kind"] = v1::MortgageKind_Name(m.kind());
      mj["mortgaged_right_id"] = m.mortgaged_right_id();
      mj["secured_amount_fen"] = m.secured_amount().fen();
      mj["debt_start"] = DateText(m.debt_start());
      mj["debt_end"] = DateText(m.debt_end());
      r["mortgage"] = std::move(mj);
    }
    j["right"] = std::move(r);
  }
  // nlohmann::json objects keep keys sorted: the text is canonical for the same content.
  return j.dump();
}

std::string VerificationCodeOf(std::string_view signature) {
  std::string hex = Sha256HexOf(signature).substr(0, 16);
  for (char& c : hex) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  return hex;
}

Result<ElectronicCertificate> SignCertificate(const DocumentSigner& signer, std::string document) {
  NRP_ASSIGN_OR_RETURN(std::string signature, signer.Sign(document));
  ElectronicCertificate out;
  out.document = std::move(document);
  out.signature = std::move(signature);
  out.algorithm = AlgorithmName(signer.algorithm());
  out.key_id = signer.key_id();
  out.verification_code = VerificationCodeOf(out.signature);
  nlohmann::json env;
  env["document"] = out.document;
  env["signature"] = Base64Encode(out.signature);
  env["algorithm"] = out.algorithm;
  env["key_id"] = out.key_id;
  if (signer.algorithm() == SignatureAlgorithm::kSm2WithSm3) {
    env["sm2_id"] = std::string(kSm2DistinguishingId);
  }
  out.uri = std::string(kUriPrefix) + Base64Encode(env.dump());
  return out;
}

Result<ParsedCertificate> ParseCertificateUri(std::string_view uri) {
  if (uri.substr(0, kUriPrefix.size()) != kUriPrefix) {
    return Error::InvalidArgument("electronic_certificate_uri",
                                  "is not an electronic certificate data URI");
  }
  NRP_ASSIGN_OR_RETURN(std::string envelope, Base64Decode(uri.substr(kUriPrefix.size())));
  auto j = nlohmann::json::parse(envelope, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("document") || !j.contains("signature") ||
      !j["document"].is_string() || !j["signature"].is_string()) {
    return Error::InvalidArgument("electronic_certificate_uri", "envelope is malformed");
  }
  ParsedCertificate p;
  p.document = j["document"].get<std::string>();
  NRP_ASSIGN_OR_RETURN(p.signature, Base64Decode(j["signature"].get<std::string>()));
  if (j.contains("algorithm") && j["algorithm"].is_string())
    p.algorithm = j["algorithm"].get<std::string>();
  if (j.contains("key_id") && j["key_id"].is_string()) p.key_id = j["key_id"].get<std::string>();
  return p;
}

Status VerifyCertificateUri(std::string_view public_key_pem, std::string_view uri) {
  NRP_ASSIGN_OR_RETURN(ParsedCertificate p, ParseCertificateUri(uri));
  return VerifyDocument(public_key_pem, p.document, p.signature);
}

}  // namespace nrp::registration
