// The audit table (architecture §6): every mutating call and every query of
// personal data, with the caller, written in the same transaction as the
// call's effects (or on its own for queries).
#pragma once

#include <pqxx/pqxx>
#include <string>

#include "nrp/core/status.h"
#include "nrp/rpc/auth.h"

namespace nrp::service {

struct AuditRecord {
  std::string method;       // "/nrp.registration.v1.RegistrationService/SearchRights"
  std::string region_code;
  std::string subject;      // aggregate or party the call concerned (never an id number in clear)
  std::string purpose;      // why (required for personal data)
  std::string legal_basis;  // on what legal basis
  std::string trace_id;
  std::string outcome = "ok";
};

Status Audit(pqxx::transaction_base& tx, const rpc::Caller& caller, const AuditRecord& record);

}  // namespace nrp::service
