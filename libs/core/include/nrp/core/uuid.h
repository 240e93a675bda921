// UUIDs for event ids, resource ids and request ids.
#pragma once

#include <string>
#include <string_view>

namespace nrp {

// Random UUID (RFC 9562 version 4), lower-case canonical text.
std::string NewUuidV4();
// Time-ordered UUID (RFC 9562 version 7): sorts by creation time, good as a
// primary key.
std::string NewUuidV7();
// True for the canonical 8-4-4-4-12 hexadecimal form.
bool IsUuid(std::string_view text);

}  // namespace nrp
