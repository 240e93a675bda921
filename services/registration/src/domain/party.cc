#include "domain/party.h"

#include <chrono>

#include "domain/region.h"
#include "nrp/core/log.h"

namespace nrp::registration {

namespace cpb = nrp::common::v1;

bool IsValidResidentIdNumber(std::string_view id) {
  if (id.size() != 18) return false;
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    if (id[i] < '0' || id[i] > '9') return false;
    sum += (id[i] - '0') * kWeights[i];
  }
  char last = id[17] == 'x' ? 'X' : id[17];
  if (last != kCheck[sum % 11]) return false;
  int year = std::stoi(std::string(id.substr(6, 4)));
  unsigned month = static_cast<unsigned>(std::stoi(std::string(id.substr(10, 2))));
  unsigned day = static_cast<unsigned>(std::stoi(std::string(id.substr(12, 2))));
  std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                                  std::chrono::day(day)};
  return ymd.ok() && year >= 1880;
}

bool IsValidSocialCreditCode(std::string_view code) {
  if (code.size() != 18) return false;
  static const std::string_view kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    size_t v = kChars.find(code[i]);
    if (v == std::string_view::npos) return false;
    sum += static_cast<int>(v) * kWeights[i];
  }
  int check = 31 - sum % 31;
  if (check == 31) check = 0;
  return code[17] == kChars[check];
}

std::string NormaliseIdNumber(std::string_view id) {
  size_t b = 0, e = id.size();
  while (b < e && (id[b] == ' ' || id[b] == '\t')) ++b;
  while (e > b && (id[e - 1] == ' ' || id[e - 1] == '\t')) --e;
  std::string out(id.substr(b, e - b));
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

Status ValidateParty(const cpb::Party& party, const std::string& field) {
  if (party.kind() == cpb::PARTY_KIND_UNSPECIFIED || !cpb::PartyKind_IsValid(party.kind())) {
    return Error::InvalidArgument(field + ".kind",
                                  "must be PARTY_KIND_PERSON, PARTY_KIND_ORGANISATION or "
                                  "PARTY_KIND_GOVERNMENT");
  }
  if (party.name().empty()) return Error::InvalidArgument(field + ".name", "is required");
  if (Utf8Length(party.name()) > 200) {
    return Error::InvalidArgument(field + ".name", "must be at most 200 characters");
  }
  if (party.id_type() == cpb::ID_DOCUMENT_TYPE_UNSPECIFIED ||
      !cpb::IdDocumentType_IsValid(party.id_type())) {
    return Error::InvalidArgument(field + ".id_type", "is required");
  }
  std::string id = NormaliseIdNumber(party.id_number());
  if (id.empty()) return Error::InvalidArgument(field + ".id_number", "is required");
  if (id.size() > 64) return Error::InvalidArgument(field + ".id_number", "is too long");
  if (party.id_type() == cpb::ID_DOCUMENT_TYPE_RESIDENT_ID_CARD && !IsValidResidentIdNumber(id)) {
    return Error::InvalidArgument(field + ".id_number",
                                  "is not a valid resident identity number (GB 11643-1999)");
  }
  if (party.id_type() == cpb::ID_DOCUMENT_TYPE_UNIFIED_SOCIAL_CREDIT_CODE &&
      !IsValidSocialCreditCode(id)) {
    return Error::InvalidArgument(field + ".id_number",
                                  "is not a valid unified social credit code (GB 32100-2015)");
  }
  if (party.kind() == cpb::PARTY_KIND_PERSON &&
      party.id_type() == cpb::ID_DOCUMENT_TYPE_UNIFIED_SOCIAL_CREDIT_CODE) {
    return Error::InvalidArgument(field + ".id_type",
                                  "a natural person cannot be identified by a unified social "
                                  "credit code");
  }
  return Ok();
}

bool IsPersonalIdDocument(const cpb::Party& party) {
  return party.kind() == cpb::PARTY_KIND_PERSON ||
         party.id_type() != cpb::ID_DOCUMENT_TYPE_UNIFIED_SOCIAL_CREDIT_CODE;
}

std::string MaskPhone(std::string_view phone) {
  if (phone.size() <= 7) return std::string(phone.size(), '*');
  std::string out(phone.substr(0, 3));
  out.append(phone.size() - 7, '*');
  out.append(phone.substr(phone.size() - 4));
  return out;
}

void MaskParty(cpb::Party* party) {
  if (!IsPersonalIdDocument(*party)) return;
  if (!party->id_number().empty()) party->set_id_number(log::MaskIdNumber(party->id_number()));
  if (!party->phone().empty()) party->set_phone(MaskPhone(party->phone()));
}

bool SameParty(const cpb::Party& a, const cpb::Party& b) {
  return a.id_type() == b.id_type() &&
         NormaliseIdNumber(a.id_number()) == NormaliseIdNumber(b.id_number());
}

}  // namespace nrp::registration
