// The only code that knows restoration's tables (migrations/0001_restoration.sql). Every
// function works inside the caller's transaction, so a use case's reads under lock, its
// writes and its outbox events commit together; statements take their input as parameters.
// A resource is kept whole as its contract message beside the columns the service locks,
// filters, orders and indexes on, both written from the same message.
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "nrp/common/v1/geometry.pb.h"
#include "nrp/common/v1/party.pb.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"
#include "nrp/list/list.h"
#include "nrp/restoration/v1/resources.pb.h"

namespace nrp::restoration::store {

namespace v1 = ::nrp::restoration::v1;

// ---------------------------------------------------------------- geometry

// An area read by PostGIS: valid, polygonal, its area on the ellipsoid and its hex EWKB
// (EPSG:4490). INVALID_ARGUMENT naming `field` otherwise.
struct Shape {
  std::string hex_ewkb;
  double area_m2 = 0;
};
Result<Shape> ReadShape(pqxx::work& tx, const nrp::common::v1::Geometry& g,
                        const std::string& field);
// Area of `shape` outside the project's area, in m².
Result<double> OutsideProject(pqxx::work& tx, const std::string& project_id, const Shape& shape);
// Whether the interiors of the project's area and `hex_ewkb` meet.
Result<bool> ProjectMeets(pqxx::work& tx, const std::string& project_id,
                          const std::string& hex_ewkb);

// ---------------------------------------------------------------- mining rights heard of

struct KnownRight {
  std::string right_id;
  std::string region_code;
  std::string licence_number;
  int state = 0;  // nrp.mining_rights.v1.MiningRightState
  nrp::common::v1::Party holder;
  std::string hex_ewkb;  // empty when the events carried no block
};
// Inserts or replaces what restoration knows of a right.
Status UpsertRight(pqxx::work& tx, const KnownRight& r, TimePoint now);
Result<std::optional<KnownRight>> GetKnownRight(pqxx::work& tx, const std::string& right_id);

// ---------------------------------------------------------------- projects

struct ProjectRow {
  v1::Project project;
  double area_m2 = 0;  // of its geometry, on the ellipsoid
};
const list::Spec& ProjectList();
Status InsertProject(pqxx::work& tx, const v1::Project& p, const Shape& shape);
// NOT_FOUND when absent.
Result<ProjectRow> GetProject(pqxx::work& tx, const std::string& project_id, bool for_update);
// The message, its number, state and update time.
Status UpdateProject(pqxx::work& tx, const v1::Project& p);
Result<list::Page<v1::Project>> ListProjects(pqxx::work& tx, const list::Query& q,
                                             const std::vector<std::string>& region_prefixes);

// ---------------------------------------------------------------- progress reports

const list::Spec& ProgressReportList();
// The report as the project's next (1, 2, …).
Status InsertProgressReport(pqxx::work& tx, const v1::ProgressReport& r);
// The project's latest report (highest sequence), if any.
Result<std::optional<v1::ProgressReport>> LatestProgressReport(pqxx::work& tx,
                                                               const std::string& project_id);
Result<list::Page<v1::ProgressReport>> ListProgressReports(
    pqxx::work& tx, const list::Query& q, const std::vector<std::string>& region_prefixes);

// ---------------------------------------------------------------- obligations

const list::Spec& ObligationList();
// Inserts the obligation; false (nothing written) when its right has an obligation open or
// `source_event_id` opened one already.
Result<bool> InsertObligation(pqxx::work& tx, const v1::Obligation& o, const std::string& hex_ewkb);
// NOT_FOUND when absent.
Result<v1::Obligation> GetObligation(pqxx::work& tx, const std::string& obligation_id,
                                     bool for_update);
// The open obligation (ONGOING, DUE, IN_PROGRESS) of a right, locked.
Result<std::optional<v1::Obligation>> OpenObligationOf(pqxx::work& tx, const std::string& right_id);
// Whether the right has an obligation opened from the end of its mine (closure, cancellation,
// lapse), in any state: a mine ends once, so a later or replayed ending event opens none.
Result<bool> HasEndingObligation(pqxx::work& tx, const std::string& right_id);
// The obligations a project fulfils, locked.
Result<std::vector<v1::Obligation>> ObligationsOfProject(pqxx::work& tx,
                                                         const std::string& project_id);
// The message, its state, due date, project and update time.
Status UpdateObligation(pqxx::work& tx, const v1::Obligation& o, TimePoint now);
Result<list::Page<v1::Obligation>> ListObligations(
    pqxx::work& tx, const list::Query& q, const std::vector<std::string>& region_prefixes);

// ---------------------------------------------------------------- restoration funds

const list::Spec& FundAccountList();
const list::Spec& FundEntryList();
// Opens the account; false (nothing written) when the account, or an account of its right,
// exists.
Result<bool> InsertFundAccount(pqxx::work& tx, const v1::FundAccount& a);
// NOT_FOUND when absent.
Result<v1::FundAccount> GetFundAccount(pqxx::work& tx, const std::string& account_id,
                                       bool for_update);
// The account of a right, if it has one.
Result<std::optional<v1::FundAccount>> FundAccountOfRight(pqxx::work& tx,
                                                          const std::string& right_id,
                                                          bool for_update);
// The message, its right, totals, entry count and update time.
Status UpdateFundAccount(pqxx::work& tx, const v1::FundAccount& a);
Status InsertFundEntry(pqxx::work& tx, const v1::FundEntry& e);
Result<list::Page<v1::FundAccount>> ListFundAccounts(
    pqxx::work& tx, const list::Query& q, const std::vector<std::string>& region_prefixes);
Result<list::Page<v1::FundEntry>> ListFundEntries(pqxx::work& tx, const list::Query& q,
                                                  const std::vector<std::string>& region_prefixes);

// The next value of a counter, locked until the transaction ends (1 for a new counter).
Result<int64_t> NextNumber(pqxx::work& tx, const std::string& counter);

}  // namespace nrp::restoration::store
