// Parties (权利人、申请人、义务人): validation of identity documents and masking of
// personal data for callers without the registration.pii scope.
#pragma once

#include <string>
#include <string_view>

#include "nrp/common/v1/party.pb.h"
#include "nrp/core/status.h"

namespace nrp::registration {

// GB 11643-1999 resident identity number: 17 digits + check character (0-9 or X) with a
// valid birth date in characters 7-14.
bool IsValidResidentIdNumber(std::string_view id);
// GB 32100-2015 unified social credit code: 18 characters with its check character.
bool IsValidSocialCreditCode(std::string_view code);

// INVALID_ARGUMENT naming `field` + ".kind", ".name", ".id_type" or ".id_number".
Status ValidateParty(const common::v1::Party& party, const std::string& field);

// True when the party's id number is personal data (a natural person's document).
bool IsPersonalIdDocument(const common::v1::Party& party);

// "138****5678": keeps the first 3 and last 4 characters.
std::string MaskPhone(std::string_view phone);

// Masks id_number (first 6 and last 4 kept) and phone of a natural person in place.
void MaskParty(common::v1::Party* party);

// Same party: same document type and number (case-insensitive X).
bool SameParty(const common::v1::Party& a, const common::v1::Party& b);

// Canonical form of an id number for lookups: trimmed, upper case.
std::string NormaliseIdNumber(std::string_view id);

}  // namespace nrp::registration
