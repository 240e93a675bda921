#include "domain/query.h"

#include "domain/party.h"
#include "domain/region.h"

namespace nrp::registration {

Status ValidateQueryReason(const v1::QueryReason& reason, const std::string& field) {
  if (reason.purpose() == v1::QUERY_PURPOSE_UNSPECIFIED ||
      !v1::QueryPurpose_IsValid(reason.purpose())) {
    return Error::InvalidArgument(field + ".purpose",
                                  "is required: a query of personal data in the register must "
                                  "state its purpose");
  }
  if (reason.legal_basis().empty()) {
    return Error::InvalidArgument(field + ".legal_basis",
                                  "is required: a query of personal data in the register must "
                                  "name its legal basis");
  }
  if (Utf8Length(reason.legal_basis()) > 500) {
    return Error::InvalidArgument(field + ".legal_basis", "must be at most 500 characters");
  }
  switch (reason.purpose()) {
    case v1::QUERY_PURPOSE_JUDICIAL:
    case v1::QUERY_PURPOSE_SUPERVISORY:
    case v1::QUERY_PURPOSE_LAWYER_WITH_ORDER:
    case v1::QUERY_PURPOSE_INTERESTED_PARTY:
      if (reason.reference().empty()) {
        return Error::InvalidArgument(field + ".reference",
                                      "is required for " + v1::QueryPurpose_Name(reason.purpose()) +
                                          ": the case, order or proof-of-interest number");
      }
      break;
    default:
      break;
  }
  if (Utf8Length(reason.reference()) > 200) {
    return Error::InvalidArgument(field + ".reference", "must be at most 200 characters");
  }
  return Ok();
}

void MaskRight(v1::Right* right) {
  for (auto& h : *right->mutable_holders()) MaskParty(h.mutable_party());
  if (right->has_mortgage()) {
    for (auto& m : *right->mutable_mortgage()->mutable_mortgagors()) MaskParty(&m);
  }
}

void MaskEntry(v1::RegisterEntry* entry) {
  if (entry->has_right()) MaskRight(entry->mutable_right());
  if (entry->has_advance_notice()) {
    for (auto& p : *entry->mutable_advance_notice()->mutable_holders()) MaskParty(&p);
    for (auto& p : *entry->mutable_advance_notice()->mutable_obligors()) MaskParty(&p);
  }
  if (entry->has_objection()) MaskParty(entry->mutable_objection()->mutable_objector());
}

void MaskUnitRegister(v1::UnitRegister* reg) {
  for (auto& e : *reg->mutable_entries()) MaskEntry(&e);
  for (auto& r : *reg->mutable_current_rights()) MaskRight(&r);
  for (auto& r : *reg->mutable_mortgages()) MaskRight(&r);
  for (auto& n : *reg->mutable_advance_notices()) {
    for (auto& p : *n.mutable_holders()) MaskParty(&p);
    for (auto& p : *n.mutable_obligors()) MaskParty(&p);
  }
  for (auto& o : *reg->mutable_objections()) MaskParty(o.mutable_objector());
}

void MaskCase(v1::RegistrationCase* c) {
  for (auto& a : *c->mutable_applicants()) MaskParty(a.mutable_party());
  if (c->has_proposed_right()) MaskRight(c->mutable_proposed_right());
  if (c->has_advance_notice()) {
    for (auto& p : *c->mutable_advance_notice()->mutable_holders()) MaskParty(&p);
    for (auto& p : *c->mutable_advance_notice()->mutable_obligors()) MaskParty(&p);
  }
  if (c->has_objection()) MaskParty(c->mutable_objection()->mutable_objector());
}

void MaskCertificate(v1::Certificate* cert) {
  for (auto& h : *cert->mutable_holders()) MaskParty(h.mutable_party());
}

}  // namespace nrp::registration
