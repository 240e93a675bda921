// Parties who bid, are granted land or hold it (竞买人、受让人、土地使用者).
#pragma once

#include <string>
#include <string_view>

#include "nrp/core/status.h"

namespace nrp::land_supply {

struct PartyInput {
  int kind = 0;  // nrp.common.v1.PartyKind
  std::string name;
  int id_type = 0;  // nrp.common.v1.IdDocumentType
  std::string id_number;
};

// INVALID_ARGUMENT naming "<field>.<member>": kind and id type set, a name,
// an id number; a resident identity card number has 18 characters and a
// valid check digit (GB 11643-1999); a unified social credit code has 18
// characters and a valid check character (GB 32100-2015).
Status ValidateParty(const PartyInput& p, std::string_view field);

}  // namespace nrp::land_supply
