// The only code that knows the registration tables. Every function works inside the
// caller's transaction, so a handler composes them into one unit of work: state rows,
// register entries, certificate, request record and outbox rows commit together.
// Statements are prepared and take their input as parameters.
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "domain/events.h"
#include "domain/natural_resource_unit.h"
#include "domain/register.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"
#include "nrp/list/list.h"
#include "nrp/registration/v1/resources.pb.h"
#include "signing/electronic_certificate.h"

namespace nrp::registration::store {

// ---- lists (libs/list grammar): what each filters and orders on ----
const list::Spec& UnitList();
const list::Spec& CaseList();
const list::Spec& EntryList();
const list::Spec& RightSearch();
const list::Spec& QueryLogList();
const list::Spec& NaturalResourceUnitList();

// ---- counters ----
Result<int64_t> NextValue(pqxx::work& txn, const std::string& counter);

// ---- real-estate units ----
// Validates the geometry with PostGIS and inserts the unit; land area from the geometry on
// the ellipsoid when the caller gave none. ALREADY_EXISTS for a taken code.
Result<v1::RealEstateUnit> InsertUnit(pqxx::work& txn, v1::RealEstateUnit unit);
Result<std::optional<v1::RealEstateUnit>> GetUnit(pqxx::work& txn, const std::string& unit_code,
                                                  bool for_update = false);
Result<list::Page<v1::RealEstateUnit>> ListUnits(pqxx::work& txn,
                                                 const std::vector<std::string>& prefixes,
                                                 const list::Query& q);

// ---- cases ----
Status InsertCase(pqxx::work& txn, const v1::RegistrationCase& c);
Status UpdateCase(pqxx::work& txn, const v1::RegistrationCase& c, bool overdue_raised = false);
// Lets the overdue scheduler look at the case again (its due date moved).
Status ClearOverdueRaised(pqxx::work& txn, const std::string& case_id);
Result<std::optional<v1::RegistrationCase>> GetCase(pqxx::work& txn, const std::string& case_id,
                                                    bool for_update = false);
Result<std::optional<v1::RegistrationCase>> FindInterAgencyCase(pqxx::work& txn,
                                                                v1::RegistrationKind kind,
                                                                const std::string& source);
Result<list::Page<v1::RegistrationCase>> ListCases(pqxx::work& txn,
                                                   const std::vector<std::string>& prefixes,
                                                   const list::Query& q);
// Open cases past their due date and not yet flagged, locked with SKIP LOCKED so that several
// replicas share the work without raising an event twice.
Result<std::vector<v1::RegistrationCase>> LockOverdueCandidates(pqxx::work& txn, Date today,
                                                                int limit);

// ---- the register ----
Result<UnitRegisterState> LoadRegisterState(pqxx::work& txn, const std::string& unit_code,
                                            Date today);
Status ApplyPlan(pqxx::work& txn, const RecordingPlan& plan, TimePoint now);
// The register of a unit as of `as_of`.
Result<v1::UnitRegister> LoadUnitRegister(pqxx::work& txn, const v1::RealEstateUnit& unit,
                                          TimePoint as_of);
Result<list::Page<v1::RegisterEntry>> ListEntries(pqxx::work& txn, const std::string& unit_code,
                                                  TimePoint as_of, const list::Query& q);
Result<std::optional<v1::Right>> GetRight(pqxx::work& txn, const std::string& right_id);
Result<list::Page<v1::Right>> SearchRightsByParty(pqxx::work& txn, int id_type,
                                                  const std::string& id_number, bool include_ended,
                                                  const std::vector<std::string>& prefixes,
                                                  const list::Query& q);

// ---- certificates ----
Status InsertCertificate(pqxx::work& txn, const v1::Certificate& cert,
                         const ElectronicCertificate& ec);
struct StoredCertificate {
  v1::Certificate certificate;
  std::string document;
  std::string signature;
  std::string algorithm;
  std::string key_id;
};
Result<std::optional<StoredCertificate>> GetCertificate(pqxx::work& txn, const std::string& number);
Status UpdateCertificate(pqxx::work& txn, const v1::Certificate& cert);

// ---- signing keys ----
struct SigningKeyRow {
  std::string key_id;
  std::string algorithm;
  std::string public_key_pem;
  std::string private_key_pem;  // only for generated keys
};
Result<std::optional<SigningKeyRow>> GeneratedSigningKey(pqxx::work& txn,
                                                         const std::string& algorithm);
Status RecordSigningKey(pqxx::work& txn, const SigningKeyRow& key, bool generated);
Result<std::optional<SigningKeyRow>> GetSigningKey(pqxx::work& txn, const std::string& key_id);

// ---- query log ----
Status InsertQueryLog(pqxx::work& txn, const v1::QueryLogEntry& entry);
Result<list::Page<v1::QueryLogEntry>> ListQueryLog(pqxx::work& txn,
                                                   const std::vector<std::string>& prefixes,
                                                   const list::Query& q);

// ---- natural-resource units ----
// Validates the boundary with PostGIS; area on the ellipsoid when the caller gave none.
Result<v1::NaturalResourceUnit> InsertNaturalResourceUnit(pqxx::work& txn,
                                                          v1::NaturalResourceUnit unit);
Result<v1::NaturalResourceUnit> UpdateNaturalResourceUnit(pqxx::work& txn,
                                                          v1::NaturalResourceUnit unit,
                                                          bool geometry_changed);
Result<std::optional<v1::NaturalResourceUnit>> GetNaturalResourceUnit(pqxx::work& txn,
                                                                      const std::string& unit_id,
                                                                      bool for_update = false);
Result<list::Page<v1::NaturalResourceUnit>> ListNaturalResourceUnits(
    pqxx::work& txn, const std::vector<std::string>& prefixes, const list::Query& q);
Result<int64_t> CountUnregisteredKeyUnits(pqxx::work& txn, const std::string& region_code);
Status InsertNaturalResourceRegisterVersion(pqxx::work& txn, const v1::NaturalResourceUnit& unit);
// Zones of the replica the unit's boundary overlaps (current layer versions).
Result<std::vector<OverlappingZone>> OverlappingZones(pqxx::work& txn, const std::string& unit_id);
// Ids of DRAFT units whose boundary overlaps the layer's current zones or previously had
// controls from the layer.
Result<std::vector<std::string>> DraftUnitsTouchingLayer(pqxx::work& txn,
                                                         const std::string& layer_id);

}  // namespace nrp::registration::store
