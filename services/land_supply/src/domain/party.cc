#include "domain/party.h"

#include <cctype>

namespace nrp::land_supply {

namespace {

bool ResidentIdValid(const std::string& id) {
  if (id.size() != 18) return false;
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(id[i]))) return false;
    sum += (id[i] - '0') * kWeights[i];
  }
  return std::toupper(static_cast<unsigned char>(id[17])) == kCheck[sum % 11];
}

bool CreditCodeValid(const std::string& code) {
  static const std::string kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  if (code.size() != 18) return false;
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    auto pos = kChars.find(code[i]);
    if (pos == std::string::npos) return false;
    sum += static_cast<int>(pos) * kWeights[i];
  }
  int check = (31 - sum % 31) % 31;
  return code[17] == kChars[check];
}

}  // namespace

Status ValidateParty(const PartyInput& p, std::string_view field) {
  std::string f(field);
  if (p.kind < 1 || p.kind > 3) {
    return Error::InvalidArgument(f + ".kind",
                                  "must be a PartyKind value other than PARTY_KIND_UNSPECIFIED");
  }
  if (p.name.empty()) return Error::InvalidArgument(f + ".name", "required");
  if (p.name.size() > 400) return Error::InvalidArgument(f + ".name", "at most 400 bytes");
  if (p.id_type < 1 || p.id_type > 8) {
    return Error::InvalidArgument(
        f + ".id_type", "must be an IdDocumentType value other than ID_DOCUMENT_TYPE_UNSPECIFIED");
  }
  if (p.id_number.empty()) return Error::InvalidArgument(f + ".id_number", "required");
  if (p.id_number.size() > 64)
    return Error::InvalidArgument(f + ".id_number", "at most 64 characters");
  if (p.id_type == 1 && !ResidentIdValid(p.id_number)) {
    return Error::InvalidArgument(
        f + ".id_number", "not a valid 18-character resident identity card number (GB 11643-1999)");
  }
  if (p.id_type == 7 && !CreditCodeValid(p.id_number)) {
    return Error::InvalidArgument(
        f + ".id_number", "not a valid 18-character unified social credit code (GB 32100-2015)");
  }
  return Ok();
}

}  // namespace nrp::land_supply
