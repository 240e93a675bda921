#include "nrp/service/audit.h"

#include "nrp/db/pool.h"

namespace nrp::service {

Status Audit(pqxx::transaction_base& tx, const rpc::Caller& caller, const AuditRecord& r) {
  try {
    tx.exec_params(
        "INSERT INTO audit_log (agency, token_id, method, region_code, subject, purpose, "
        "legal_basis, trace_id, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        caller.agency, caller.token_id, r.method, r.region_code, r.subject, r.purpose,
        r.legal_basis, r.trace_id, r.outcome);
    return Ok();
  } catch (const std::exception& e) {
    return db::MapException(e);
  }
}

}  // namespace nrp::service
