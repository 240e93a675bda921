// Queries of personal data in the register (登记资料查询): they need a purpose and a legal
// basis and are logged (不动产登记资料查询暂行办法; Kaifeng plan 001.md §3A.2: prevent misuse
// of register queries). Personal id numbers are masked for callers without registration.pii.
#pragma once

#include <string>

#include "nrp/core/status.h"
#include "nrp/registration/v1/resources.pb.h"

namespace nrp::registration {

// INVALID_ARGUMENT naming `field`.purpose / .legal_basis / .reference. Judicial, supervisory,
// lawyer and interested-party queries must also name their matter (case or order number).
Status ValidateQueryReason(const v1::QueryReason& reason, const std::string& field = "reason");

// Mask personal id numbers and phone numbers in place.
void MaskRight(v1::Right* right);
void MaskEntry(v1::RegisterEntry* entry);
void MaskUnitRegister(v1::UnitRegister* reg);
void MaskCase(v1::RegistrationCase* c);
void MaskCertificate(v1::Certificate* cert);

}  // namespace nrp::registration
