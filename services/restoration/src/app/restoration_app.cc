#include "app/restoration_app.h"

#include <cmath>

#include "domain/acceptance.h"
#include "domain/flow.h"
#include "domain/fund.h"
#include "nrp/core/log.h"
#include "nrp/core/uuid.h"
#include "nrp/restoration/v1/events.pb.h"
#include "nrp/service/publish.h"
#include "nrp/service/wire_time.h"
#include "nrp/zones/replica.h"
#include "store/store.h"

namespace nrp::restoration {

using service::DateOf;
using service::ToProtoDate;
using service::ToTimestamp;

namespace {

namespace cpb = ::nrp::common::v1;
namespace mr = ::nrp::mining_rights::v1;

Status CheckRegion(const std::string& code, const std::string& field) {
  if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string::npos) {
    return Error::InvalidArgument(field, "must be a 6-digit GB/T 2260 code, got '" + code + "'");
  }
  return Ok();
}

Status RequireDocument(const cpb::DocumentReference& d, const std::string& field) {
  if (d.document_id().empty() && d.number().empty() && d.title().empty()) {
    return Error::InvalidArgument(field, "is required (its document_id, number or title)");
  }
  return Ok();
}

Status RequireText(const std::string& s, const std::string& field, size_t max = 500) {
  if (s.empty()) return Error::InvalidArgument(field, "is required");
  if (s.size() > max) {
    return Error::InvalidArgument(field, "is longer than " + std::to_string(max) + " bytes");
  }
  return Ok();
}

Status CheckArea(const cpb::Area& a, const std::string& field) {
  if (!std::isfinite(a.square_metres()) || a.square_metres() < 0) {
    return Error::InvalidArgument(field, "must be an area of zero or more square metres");
  }
  return Ok();
}

Status CheckMoney(const cpb::Money& m, const std::string& field, bool positive) {
  if (m.fen() < 0 || (positive && m.fen() == 0)) {
    return Error::InvalidArgument(field, positive ? "must be positive" : "must not be negative");
  }
  return Ok();
}

Status RequireUuid(const std::string& v, const std::string& field) {
  if (v.empty()) return Error::InvalidArgument(field, "is required");
  if (!IsUuid(v)) return Error::InvalidArgument(field, "must be a UUID, got '" + v + "'");
  return Ok();
}

void MaskParty(cpb::Party* p) {
  if (!p->id_number().empty()) p->set_id_number(log::MaskIdNumber(p->id_number()));
  if (!p->phone().empty()) p->set_phone(log::MaskIdNumber(p->phone()));
}

ProjectState StateOf(const v1::Project& p) { return static_cast<ProjectState>(p.state()); }
ObligationState StateOf(const v1::Obligation& o) {
  return static_cast<ObligationState>(o.state());
}

// The region a township code (统计用区划代码, 9 digits) lies in: its first 6 digits; a city or
// province region covers it by its leading digits.
bool TownshipIn(const std::string& township, const std::string& region) {
  return zones::Covers(region, township.substr(0, 6));
}

Status CheckNotAfter(const Date& d, const Date& today, const std::string& field) {
  if (d > today) {
    return Error::InvalidArgument(field, "is " + d.ToString() + ", after today (" +
                                             today.ToString() + ")");
  }
  return Ok();
}

Status CheckNotBefore(const Date& d, const Date& first, const std::string& field,
                      const std::string& what) {
  if (d < first) {
    return Error::InvalidArgument(field, "is " + d.ToString() + ", before " + what + " (" +
                                             first.ToString() + ")");
  }
  return Ok();
}

Result<Date> ProtoDate(const cpb::Date& d, const std::string& field) { return DateOf(d, field); }

}  // namespace

RestorationConfig RestorationConfig::FromEnv(Env& env) {
  RestorationConfig c;
  c.rules.obligation_due_days =
      static_cast<int>(env.Int("NRP_RESTORATION_OBLIGATION_DUE_DAYS", 365, 30, 3650));
  return c;
}

RestorationApp::RestorationApp(service::Runtime& rt, RestorationConfig config)
    : rt_(rt), config_(std::move(config)) {}

Status RestorationApp::Publish(pqxx::dbtransaction& tx, const google::protobuf::Message& event,
                               const std::string& region_code) {
  return service::Publish(rt_, tx, event, region_code);
}

Date RestorationApp::Today() const { return ChinaCivilDate(rt_.clock().Now()); }

// ---------------------------------------------------------------- projects

Result<v1::Project> RestorationApp::ProposeProject(pqxx::work& tx, const v1::Project& input,
                                                   const Authorize& authorize) {
  v1::Project p;
  p.set_region_code(input.region_code());
  p.set_name(input.name());
  p.set_kind(input.kind());
  p.set_township_code(input.township_code());
  p.set_programme(input.programme());
  *p.mutable_geometry() = input.geometry();
  *p.mutable_planned_area() = input.planned_area();
  *p.mutable_planned_new_cultivated_area() = input.planned_new_cultivated_area();
  *p.mutable_planned_reclaimed_construction_area() = input.planned_reclaimed_construction_area();
  *p.mutable_measures() = input.measures();
  p.set_responsibility(input.responsibility());
  if (input.has_responsible_party()) *p.mutable_responsible_party() = input.responsible_party();
  p.set_ownerless(input.ownerless());
  p.set_mining_right_id(input.mining_right_id());
  p.set_land_offer_id(input.land_offer_id());
  if (input.has_budget()) *p.mutable_budget() = input.budget();

  NRP_RETURN_IF_ERROR(CheckRegion(p.region_code(), "project.region_code"));
  NRP_RETURN_IF_ERROR(authorize(p.region_code()));
  NRP_RETURN_IF_ERROR(RequireText(p.name(), "project.name", 300));
  if (p.kind() == v1::PROJECT_KIND_UNSPECIFIED || !v1::ProjectKind_IsValid(p.kind())) {
    return Error::InvalidArgument("project.kind", "must be a ProjectKind");
  }
  if (p.kind() == v1::PROJECT_KIND_LAND_CONSOLIDATION && p.township_code().empty()) {
    return Error::InvalidArgument("project.township_code",
                                  "is required: whole-area land consolidation is planned per "
                                  "township (全域土地综合整治)");
  }
  if (!p.township_code().empty()) {
    if (p.township_code().size() != 9 ||
        p.township_code().find_first_not_of("0123456789") != std::string::npos) {
      return Error::InvalidArgument("project.township_code",
                                    "must be a 9-digit township code (统计用区划代码), got '" +
                                        p.township_code() + "'");
    }
    if (!TownshipIn(p.township_code(), p.region_code())) {
      return Error::InvalidArgument("project.township_code", "township " + p.township_code() +
                                                                 " is not in region " +
                                                                 p.region_code());
    }
  }
  if (p.programme().size() > 300) {
    return Error::InvalidArgument("project.programme", "is longer than 300 bytes");
  }
  NRP_ASSIGN_OR_RETURN(store::Shape shape, store::ReadShape(tx, p.geometry(), "project.geometry"));
  NRP_RETURN_IF_ERROR(CheckArea(p.planned_area(), "project.planned_area"));
  NRP_RETURN_IF_ERROR(CheckArea(p.planned_new_cultivated_area(),
                                "project.planned_new_cultivated_area"));
  NRP_RETURN_IF_ERROR(CheckArea(p.planned_reclaimed_construction_area(),
                                "project.planned_reclaimed_construction_area"));
  const double planned = p.planned_area().square_metres();
  if (!(planned > 0)) return Error::InvalidArgument("project.planned_area", "must be positive");
  if (planned > shape.area_m2 + config_.rules.ToleranceFor(shape.area_m2)) {
    return Error::InvalidArgument("project.planned_area",
                                  "is more than the project area of " +
                                      std::to_string(static_cast<int64_t>(shape.area_m2)) + " m²");
  }
  if (p.planned_new_cultivated_area().square_metres() > planned ||
      p.planned_reclaimed_construction_area().square_metres() > planned) {
    return Error::InvalidArgument(p.planned_new_cultivated_area().square_metres() > planned
                                      ? "project.planned_new_cultivated_area"
                                      : "project.planned_reclaimed_construction_area",
                                  "is more than the planned area");
  }
  for (int i = 0; i < p.measures_size(); ++i) {
    if (p.measures(i) == v1::RESTORATION_MEASURE_UNSPECIFIED ||
        !v1::RestorationMeasure_IsValid(p.measures(i))) {
      return Error::InvalidArgument("project.measures[" + std::to_string(i) + "]",
                                    "must be a RestorationMeasure");
    }
  }
  if (p.responsibility() == v1::RESPONSIBILITY_UNSPECIFIED ||
      !v1::Responsibility_IsValid(p.responsibility())) {
    return Error::InvalidArgument("project.responsibility", "must be a Responsibility");
  }
  if (p.has_responsible_party()) {
    NRP_RETURN_IF_ERROR(RequireText(p.responsible_party().name(), "project.responsible_party.name"));
  }
  if (!p.mining_right_id().empty()) {
    NRP_RETURN_IF_ERROR(RequireUuid(p.mining_right_id(), "project.mining_right_id"));
  }
  if (!p.land_offer_id().empty()) {
    NRP_RETURN_IF_ERROR(RequireUuid(p.land_offer_id(), "project.land_offer_id"));
  }
  NRP_RETURN_IF_ERROR(CheckProjectParties({
      .kind = static_cast<ProjectKind>(p.kind()),
      .responsibility = static_cast<Responsibility>(p.responsibility()),
      .ownerless = p.ownerless(),
      .has_responsible_party = p.has_responsible_party(),
      .has_mining_right = !p.mining_right_id().empty(),
      .has_land_offer = !p.land_offer_id().empty(),
  }));
  if (!p.mining_right_id().empty()) {
    NRP_ASSIGN_OR_RETURN(auto right, store::GetKnownRight(tx, p.mining_right_id()));
    if (!right) {
      return Error::FailedPrecondition(
          "RIGHT_UNKNOWN", p.mining_right_id(),
          "mining right " + p.mining_right_id() +
              " is not known to restoration (its registration event has not arrived)");
    }
    if (!zones::Covers(p.region_code(), right->region_code)) {
      return Error::InvalidArgument("project.region_code", "right " + right->licence_number +
                                                               " lies in region " +
                                                               right->region_code);
    }
    if (p.responsibility() == v1::RESPONSIBILITY_MINE_HOLDER &&
        p.responsible_party().name() != right->holder.name()) {
      return Error::InvalidArgument("project.responsible_party",
                                    "right " + right->licence_number + " is held by " +
                                        right->holder.name() +
                                        "; the holder restores its own damage (谁破坏、谁治理)");
    }
  }
  if (p.has_budget()) NRP_RETURN_IF_ERROR(CheckMoney(p.budget(), "project.budget", false));

  const TimePoint now = rt_.clock().Now();
  p.set_project_id(NewUuidV4());
  p.set_state(v1::PROJECT_STATE_PROPOSED);
  *p.mutable_create_time() = ToTimestamp(now);
  *p.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::InsertProject(tx, p, shape));

  v1::ProjectProposed ev;
  ev.set_project_id(p.project_id());
  ev.set_region_code(p.region_code());
  ev.set_name(p.name());
  ev.set_kind(p.kind());
  *ev.mutable_geometry() = p.geometry();
  *ev.mutable_planned_area() = p.planned_area();
  ev.set_responsibility(p.responsibility());
  NRP_RETURN_IF_ERROR(Publish(tx, ev, p.region_code()));
  return p;
}

Result<v1::Project> RestorationApp::ApproveProject(pqxx::work& tx, const std::string& project_id,
                                                   const cpb::Money& budget,
                                                   const cpb::DocumentReference& approval,
                                                   const Authorize& authorize) {
  NRP_ASSIGN_OR_RETURN(auto row, store::GetProject(tx, project_id, true));
  v1::Project& p = row.project;
  NRP_RETURN_IF_ERROR(authorize(p.region_code()));
  NRP_RETURN_IF_ERROR(CheckProjectStep(project_id, StateOf(p), ProjectStep::kApprove));
  NRP_RETURN_IF_ERROR(CheckMoney(budget, "budget", true));
  NRP_RETURN_IF_ERROR(RequireDocument(approval, "approval"));
  const TimePoint now = rt_.clock().Now();
  const Date today = ChinaCivilDate(now);
  const std::string year = std::to_string(today.year());
  NRP_ASSIGN_OR_RETURN(int64_t seq, store::NextNumber(tx, "project:" + p.region_code() + ":" + year));
  char number[40];
  std::snprintf(number, sizeof number, "XF%s-%s-%04lld", p.region_code().c_str(), year.c_str(),
                static_cast<long long>(seq));
  p.set_project_number(number);
  *p.mutable_budget() = budget;
  *p.mutable_approval() = approval;
  *p.mutable_approved_at() = ToTimestamp(now);
  p.set_state(v1::PROJECT_STATE_APPROVED);
  *p.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateProject(tx, p));

  v1::ProjectApproved ev;
  ev.set_project_id(p.project_id());
  ev.set_region_code(p.region_code());
  ev.set_project_number(p.project_number());
  *ev.mutable_budget() = budget;
  *ev.mutable_approval() = approval;
  *ev.mutable_approved_at() = p.approved_at();
  NRP_RETURN_IF_ERROR(Publish(tx, ev, p.region_code()));
  return p;
}

namespace {

// Adds `funding` to the project, refusing a total beyond the budget; the event to publish.
Result<v1::ProjectFunded> AddFunding(v1::Project& p, v1::Funding funding, TimePoint now) {
  NRP_ASSIGN_OR_RETURN(int64_t total,
                       AddFen(p.funded().fen(), funding.amount().fen(), "funding.amount"));
  if (total > p.budget().fen()) {
    return Error::FailedPrecondition(
        "FUNDING_EXCEEDS_BUDGET", p.project_id(),
        "project " + p.project_id() + " has " + Yuan(p.funded().fen()) + " committed of its " +
            Yuan(p.budget().fen()) + " budget; " + Yuan(funding.amount().fen()) +
            " more would exceed it");
  }
  *funding.mutable_recorded_at() = ToTimestamp(now);
  *p.add_funding() = funding;
  p.mutable_funded()->set_fen(total);
  p.set_state(static_cast<v1::ProjectState>(
      StateAfterFunding(StateOf(p), total, p.budget().fen())));
  *p.mutable_update_time() = ToTimestamp(now);
  v1::ProjectFunded ev;
  ev.set_project_id(p.project_id());
  ev.set_region_code(p.region_code());
  *ev.mutable_funding() = funding;
  MaskParty(ev.mutable_funding()->mutable_funder());
  ev.mutable_funded_total()->set_fen(total);
  ev.set_budget_covered(total >= p.budget().fen());
  return ev;
}

}  // namespace

Result<v1::Project> RestorationApp::RecordFunding(pqxx::work& tx, const std::string& project_id,
                                                  const v1::Funding& funding,
                                                  const Authorize& authorize) {
  NRP_ASSIGN_OR_RETURN(auto row, store::GetProject(tx, project_id, true));
  v1::Project& p = row.project;
  NRP_RETURN_IF_ERROR(authorize(p.region_code()));
  NRP_RETURN_IF_ERROR(CheckProjectStep(project_id, StateOf(p), ProjectStep::kRecordFunding));
  if (funding.source() == v1::FUNDING_SOURCE_UNSPECIFIED ||
      !v1::FundingSource_IsValid(funding.source())) {
    return Error::InvalidArgument("funding.source", "must be a FundingSource");
  }
  if (funding.source() == v1::FUNDING_SOURCE_HOLDER_FUND) {
    return Error::InvalidArgument("funding.source",
                                  "the holder's restoration fund is drawn with WithdrawFromFund, "
                                  "which books it on the fund's ledger");
  }
  NRP_RETURN_IF_ERROR(CheckMoney(funding.amount(), "funding.amount", true));
  if (funding.source() == v1::FUNDING_SOURCE_SOCIAL_CAPITAL) {
    NRP_RETURN_IF_ERROR(RequireText(funding.funder().name(), "funding.funder.name"));
  }
  NRP_RETURN_IF_ERROR(RequireDocument(funding.document(), "funding.document"));
  NRP_ASSIGN_OR_RETURN(auto ev, AddFunding(p, funding, rt_.clock().Now()));
  NRP_RETURN_IF_ERROR(store::UpdateProject(tx, p));
  NRP_RETURN_IF_ERROR(Publish(tx, ev, p.region_code()));
  return p;
}

Result<v1::Project> RestorationApp::AssessRisk(pqxx::work& tx, const std::string& project_id,
                                               const v1::RiskAssessment& assessment,
                                               const Authorize& authorize) {
  NRP_ASSIGN_OR_RETURN(auto row, store::GetProject(tx, project_id, true));
  v1::Project& p = row.project;
  NRP_RETURN_IF_ERROR(authorize(p.region_code()));
  NRP_RETURN_IF_ERROR(CheckProjectStep(project_id, StateOf(p), ProjectStep::kAssessRisk));
  if (assessment.level() == v1::RISK_LEVEL_UNSPECIFIED ||
      !v1::RiskLevel_IsValid(assessment.level())) {
    return Error::InvalidArgument("assessment.level", "must be a RiskLevel");
  }
  if (assessment.level() != v1::RISK_LEVEL_LOW && assessment.summary().empty()) {
    return Error::InvalidArgument("assessment.summary",
                                  "names the risks and their mitigations for a medium or high "
                                  "risk");
  }
  if (assessment.summary().size() > 4000) {
    return Error::InvalidArgument("assessment.summary", "is longer than 4000 bytes");
  }
  NRP_RETURN_IF_ERROR(RequireDocument(assessment.report(), "assessment.report"));
  const TimePoint now = rt_.clock().Now();
  *p.mutable_risk_assessment() = assessment;
  *p.mutable_risk_assessment()->mutable_assessed_at() = ToTimestamp(now);
  *p.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateProject(tx, p));
  return p;
}

Result<v1::Project> RestorationApp::StartProject(pqxx::work& tx, const std::string& project_id,
                                                 const cpb::Date& started_on,
                                                 const Authorize& authorize) {
  NRP_ASSIGN_OR_RETURN(auto row, store::GetProject(tx, project_id, true));
  v1::Project& p = row.project;
  NRP_RETURN_IF_ERROR(authorize(p.region_code()));
  NRP_RETURN_IF_ERROR(CheckProjectStep(project_id, StateOf(p), ProjectStep::kStart));
  if (!p.has_risk_assessment()) {
    return Error::FailedPrecondition("RISK_NOT_ASSESSED", project_id,
                                     "project " + project_id +
                                         " has no risk assessment; works start after it "
                                         "(Kaifeng 001.md §3D)");
  }
  NRP_ASSIGN_OR_RETURN(Date on, ProtoDate(started_on, "started_on"));
  NRP_RETURN_IF_ERROR(CheckNotAfter(on, Today(), "started_on"));
  NRP_RETURN_IF_ERROR(CheckNotBefore(on, ChinaCivilDate(service::FromTimestamp(p.approved_at())),
                                     "started_on", "the approval"));
  const TimePoint now = rt_.clock().Now();
  p.set_state(v1::PROJECT_STATE_IN_PROGRESS);
  *p.mutable_started_on() = ToProtoDate(on);
  *p.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateProject(tx, p));
  v1::ProjectStarted ev;
  ev.set_project_id(p.project_id());
  ev.set_region_code(p.region_code());
  *ev.mutable_started_on() = p.started_on();
  NRP_RETURN_IF_ERROR(Publish(tx, ev, p.region_code()));
  return p;
}

Result<v1::ProgressReport> RestorationApp::ReportProgress(pqxx::work& tx,
                                                          const v1::ProgressReport& input,
                                                          const Authorize& authorize) {
  NRP_RETURN_IF_ERROR(RequireUuid(input.project_id(), "report.project_id"));
  NRP_ASSIGN_OR_RETURN(auto row, store::GetProject(tx, input.project_id(), true));
  v1::Project& p = row.project;
  NRP_RETURN_IF_ERROR(authorize(p.region_code()));
  NRP_RETURN_IF_ERROR(CheckProjectStep(p.project_id(), StateOf(p), ProjectStep::kReportProgress));
  v1::ProgressReport r;
  r.set_project_id(p.project_id());
  *r.mutable_reported_on() = input.reported_on();
  r.set_percent_complete(input.percent_complete());
  *r.mutable_restored_area_to_date() = input.restored_area_to_date();
  *r.mutable_spent() = input.spent();
  r.set_description(input.description());
  r.set_issues(input.issues());
  *r.mutable_document() = input.document();

  NRP_ASSIGN_OR_RETURN(Date on, ProtoDate(r.reported_on(), "report.reported_on"));
  NRP_RETURN_IF_ERROR(CheckNotAfter(on, Today(), "report.reported_on"));
  NRP_ASSIGN_OR_RETURN(Date started, ProtoDate(p.started_on(), "started_on"));
  NRP_RETURN_IF_ERROR(CheckNotBefore(on, started, "report.reported_on", "the start of works"));
  if (!std::isfinite(r.percent_complete()) || r.percent_complete() < 0 ||
      r.percent_complete() > 100) {
    return Error::InvalidArgument("report.percent_complete", "must be 0 to 100");
  }
  NRP_RETURN_IF_ERROR(CheckArea(r.restored_area_to_date(), "report.restored_area_to_date"));
  if (r.restored_area_to_date().square_metres() >
      row.area_m2 + config_.rules.ToleranceFor(row.area_m2)) {
    return Error::InvalidArgument("report.restored_area_to_date",
                                  "is more than the project area");
  }
  NRP_RETURN_IF_ERROR(CheckMoney(r.spent(), "report.spent", false));
  NRP_RETURN_IF_ERROR(RequireText(r.description(), "report.description", 4000));
  if (r.issues().size() > 4000) {
    return Error::InvalidArgument("report.issues", "is longer than 4000 bytes");
  }
  NRP_ASSIGN_OR_RETURN(auto last, store::LatestProgressReport(tx, p.project_id()));
  if (last) {
    NRP_ASSIGN_OR_RETURN(Date last_on, ProtoDate(last->reported_on(), "reported_on"));
    NRP_RETURN_IF_ERROR(
        CheckNotBefore(on, last_on, "report.reported_on", "the previous report"));
    if (r.percent_complete() < last->percent_complete()) {
      return Error::InvalidArgument("report.percent_complete",
                                    "goes back from the previous report's " +
                                        std::to_string(last->percent_complete()) + "%");
    }
    if (r.restored_area_to_date().square_metres() <
        last->restored_area_to_date().square_metres()) {
      return Error::InvalidArgument("report.restored_area_to_date",
                                    "goes back from the previous report's");
    }
  }
  const TimePoint now = rt_.clock().Now();
  r.set_report_id(NewUuidV4());
  *r.mutable_recorded_at() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::InsertProgressReport(tx, r));
  p.set_percent_complete(r.percent_complete());
  *p.mutable_restored_area_to_date() = r.restored_area_to_date();
  *p.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateProject(tx, p));

  v1::ProgressReported ev;
  ev.set_project_id(p.project_id());
  ev.set_region_code(p.region_code());
  ev.set_report_id(r.report_id());
  *ev.mutable_reported_on() = r.reported_on();
  ev.set_percent_complete(r.percent_complete());
  *ev.mutable_restored_area_to_date() = r.restored_area_to_date();
  NRP_RETURN_IF_ERROR(Publish(tx, ev, p.region_code()));
  return r;
}

Result<v1::Project> RestorationApp::CompleteProject(pqxx::work& tx, const std::string& project_id,
                                                    const cpb::Date& completed_on,
                                                    const cpb::DocumentReference& report,
                                                    const Authorize& authorize) {
  NRP_ASSIGN_OR_RETURN(auto row, store::GetProject(tx, project_id, true));
  v1::Project& p = row.project;
  NRP_RETURN_IF_ERROR(authorize(p.region_code()));
  NRP_RETURN_IF_ERROR(CheckProjectStep(project_id, StateOf(p), ProjectStep::kComplete));
  NRP_ASSIGN_OR_RETURN(Date on, ProtoDate(completed_on, "completed_on"));
  NRP_RETURN_IF_ERROR(CheckNotAfter(on, Today(), "completed_on"));
  NRP_ASSIGN_OR_RETURN(Date started, ProtoDate(p.started_on(), "started_on"));
  NRP_RETURN_IF_ERROR(CheckNotBefore(on, started, "completed_on", "the start of works"));
  NRP_RETURN_IF_ERROR(RequireDocument(report, "report"));
  NRP_ASSIGN_OR_RETURN(auto last, store::LatestProgressReport(tx, project_id));
  if (!last) {
    return Error::FailedPrecondition("NOT_SUPERVISED", project_id,
                                     "project " + project_id +
                                         " has no progress report; works are supervised "
                                         "(过程监管, Kaifeng 001.md §3D) before completion");
  }
  const TimePoint now = rt_.clock().Now();
  p.set_state(v1::PROJECT_STATE_COMPLETED);
  *p.mutable_completed_on() = ToProtoDate(on);
  *p.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateProject(tx, p));
  v1::ProjectCompleted ev;
  ev.set_project_id(p.project_id());
  ev.set_region_code(p.region_code());
  *ev.mutable_completed_on() = p.completed_on();
  NRP_RETURN_IF_ERROR(Publish(tx, ev, p.region_code()));
  return p;
}

Result<v1::Project> RestorationApp::RecordAcceptance(pqxx::work& tx, const std::string& project_id,
                                                     const v1::AcceptanceResult& result,
                                                     const Authorize& authorize) {
  NRP_ASSIGN_OR_RETURN(auto row, store::GetProject(tx, project_id, true));
  v1::Project& p = row.project;
  NRP_RETURN_IF_ERROR(authorize(p.region_code()));
  NRP_RETURN_IF_ERROR(CheckProjectStep(project_id, StateOf(p), ProjectStep::kRecordAcceptance));
  if (result.outcome() == v1::ACCEPTANCE_OUTCOME_UNSPECIFIED ||
      !v1::AcceptanceOutcome_IsValid(result.outcome())) {
    return Error::InvalidArgument("result.outcome", "must be PASSED or FAILED");
  }
  NRP_ASSIGN_OR_RETURN(Date on, ProtoDate(result.accepted_on(), "result.accepted_on"));
  NRP_RETURN_IF_ERROR(CheckNotAfter(on, Today(), "result.accepted_on"));
  NRP_ASSIGN_OR_RETURN(Date completed, ProtoDate(p.completed_on(), "completed_on"));
  NRP_RETURN_IF_ERROR(CheckNotBefore(on, completed, "result.accepted_on", "completion"));
  NRP_RETURN_IF_ERROR(RequireText(result.accepted_by(), "result.accepted_by", 300));
  NRP_RETURN_IF_ERROR(RequireDocument(result.report(), "result.report"));
  const TimePoint now = rt_.clock().Now();

  if (result.outcome() == v1::ACCEPTANCE_OUTCOME_FAILED) {
    if (result.failure_reasons_size() == 0) {
      return Error::InvalidArgument("result.failure_reasons", "name why the acceptance failed");
    }
    v1::AcceptanceResult kept;
    kept.set_outcome(result.outcome());
    *kept.mutable_accepted_on() = result.accepted_on();
    kept.set_accepted_by(result.accepted_by());
    *kept.mutable_report() = result.report();
    *kept.mutable_failure_reasons() = result.failure_reasons();
    *p.mutable_acceptance() = kept;
    p.set_state(v1::PROJECT_STATE_ACCEPTANCE_FAILED);
    *p.mutable_update_time() = ToTimestamp(now);
    NRP_RETURN_IF_ERROR(store::UpdateProject(tx, p));
    v1::ProjectAcceptanceFailed ev;
    ev.set_project_id(p.project_id());
    ev.set_region_code(p.region_code());
    *ev.mutable_accepted_on() = result.accepted_on();
    *ev.mutable_failure_reasons() = result.failure_reasons();
    NRP_RETURN_IF_ERROR(Publish(tx, ev, p.region_code()));
    return p;
  }

  if (result.failure_reasons_size() > 0) {
    return Error::InvalidArgument("result.failure_reasons", "are given only when it failed");
  }
  NRP_RETURN_IF_ERROR(CheckArea(result.total_restored_area(), "result.total_restored_area"));
  AcceptanceFigures f;
  f.project_area_m2 = row.area_m2;
  f.total_restored_m2 = result.total_restored_area().square_metres();
  for (const auto& a : result.restored_areas()) {
    f.restored_by_kind.emplace_back(static_cast<int>(a.kind()), a.area().square_metres());
  }
  std::optional<store::Shape> new_land;
  if (result.has_new_cultivated_land()) {
    const auto& n = result.new_cultivated_land();
    NRP_ASSIGN_OR_RETURN(new_land,
                         store::ReadShape(tx, n.geometry(), "result.new_cultivated_land.geometry"));
    NRP_ASSIGN_OR_RETURN(double outside, store::OutsideProject(tx, project_id, *new_land));
    f.new_cultivated = YieldGeometry{n.area().square_metres(), new_land->area_m2, outside};
    f.quality_grade = n.quality_grade();
    f.paddy_m2 = n.paddy_area().square_metres();
    if (n.has_grain_capacity_kg()) f.grain_capacity_kg = n.grain_capacity_kg();
  }
  if (result.has_reclaimed_construction_land()) {
    NRP_ASSIGN_OR_RETURN(auto shape,
                         store::ReadShape(tx, result.reclaimed_construction_geometry(),
                                          "result.reclaimed_construction_geometry"));
    NRP_ASSIGN_OR_RETURN(double outside, store::OutsideProject(tx, project_id, shape));
    f.reclaimed_construction =
        YieldGeometry{result.reclaimed_construction_land().square_metres(), shape.area_m2, outside};
  } else if (result.has_reclaimed_construction_geometry()) {
    return Error::InvalidArgument("result.reclaimed_construction_land",
                                  "is required with its geometry");
  }
  NRP_RETURN_IF_ERROR(CheckPassedAcceptance(f, config_.rules));
  if (new_land) {
    NRP_ASSIGN_OR_RETURN(
        auto overlaps,
        zones::Overlapping(tx, new_land->hex_ewkb,
                           {.region_code = p.region_code(),
                            .kinds = {static_cast<int>(cpb::ZONE_LAYER_KIND_CULTIVATED_LAND)}}));
    std::vector<CultivatedOverlap> cultivated;
    for (const auto& o : overlaps) {
      cultivated.push_back({o.layer_id, o.version, o.zone_id, o.overlap_m2});
    }
    NRP_RETURN_IF_ERROR(
        CheckNewCultivatedIsNew(cultivated, f.new_cultivated->claimed_m2, config_.rules));
  }

  v1::AcceptanceResult kept = result;
  *p.mutable_acceptance() = kept;
  p.set_state(v1::PROJECT_STATE_ACCEPTED);
  *p.mutable_restored_area_to_date() = result.total_restored_area();
  *p.mutable_update_time() = ToTimestamp(now);

  v1::ProjectAccepted ev;
  NRP_ASSIGN_OR_RETURN(auto obligations, store::ObligationsOfProject(tx, project_id));
  for (auto& o : obligations) {
    if (StateOf(o) != ObligationState::kInProgress) continue;  // released or closed before
    o.set_state(v1::OBLIGATION_STATE_FULFILLED);
    *o.mutable_closed_at() = ToTimestamp(now);
    NRP_RETURN_IF_ERROR(store::UpdateObligation(tx, o, now));
    ev.add_fulfilled_obligation_ids(o.obligation_id());
    v1::ObligationFulfilled fe;
    fe.set_obligation_id(o.obligation_id());
    fe.set_region_code(o.region_code());
    fe.set_mining_right_id(o.mining_right_id());
    fe.set_project_id(project_id);
    *fe.mutable_fulfilled_on() = result.accepted_on();
    NRP_RETURN_IF_ERROR(Publish(tx, fe, o.region_code()));
  }
  NRP_RETURN_IF_ERROR(store::UpdateProject(tx, p));

  ev.set_project_id(p.project_id());
  ev.set_region_code(p.region_code());
  ev.set_project_number(p.project_number());
  ev.set_name(p.name());
  ev.set_kind(p.kind());
  ev.set_township_code(p.township_code());
  *ev.mutable_geometry() = p.geometry();
  ev.set_responsibility(p.responsibility());
  ev.set_mining_right_id(p.mining_right_id());
  *ev.mutable_accepted_on() = result.accepted_on();
  *ev.mutable_total_restored_area() = result.total_restored_area();
  *ev.mutable_restored_areas() = result.restored_areas();
  if (result.has_new_cultivated_land()) {
    *ev.mutable_new_cultivated_land() = result.new_cultivated_land();
  }
  if (result.has_reclaimed_construction_land()) {
    *ev.mutable_reclaimed_construction_land() = result.reclaimed_construction_land();
  }
  *ev.mutable_report() = result.report();
  NRP_RETURN_IF_ERROR(Publish(tx, ev, p.region_code()));
  return p;
}

Result<v1::Project> RestorationApp::StartMaintenance(pqxx::work& tx, const std::string& project_id,
                                                     const cpb::Date& until,
                                                     const cpb::Party& maintainer,
                                                     const Authorize& authorize) {
  NRP_ASSIGN_OR_RETURN(auto row, store::GetProject(tx, project_id, true));
  v1::Project& p = row.project;
  NRP_RETURN_IF_ERROR(authorize(p.region_code()));
  NRP_RETURN_IF_ERROR(CheckProjectStep(project_id, StateOf(p), ProjectStep::kStartMaintenance));
  NRP_ASSIGN_OR_RETURN(Date last, ProtoDate(until, "maintenance_until"));
  NRP_ASSIGN_OR_RETURN(Date accepted, ProtoDate(p.acceptance().accepted_on(), "accepted_on"));
  if (!(last > accepted)) {
    return Error::InvalidArgument("maintenance_until", "must be after the acceptance (" +
                                                           accepted.ToString() + ")");
  }
  NRP_RETURN_IF_ERROR(RequireText(maintainer.name(), "maintainer.name", 300));
  const TimePoint now = rt_.clock().Now();
  p.set_state(v1::PROJECT_STATE_MAINTENANCE);
  *p.mutable_maintenance_until() = ToProtoDate(last);
  *p.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateProject(tx, p));
  v1::MaintenanceStarted ev;
  ev.set_project_id(p.project_id());
  ev.set_region_code(p.region_code());
  *ev.mutable_maintenance_until() = p.maintenance_until();
  *ev.mutable_maintainer() = maintainer;
  MaskParty(ev.mutable_maintainer());
  NRP_RETURN_IF_ERROR(Publish(tx, ev, p.region_code()));
  return p;
}

Result<v1::Project> RestorationApp::CancelProject(pqxx::work& tx, const std::string& project_id,
                                                  const std::string& reason,
                                                  const Authorize& authorize) {
  NRP_ASSIGN_OR_RETURN(auto row, store::GetProject(tx, project_id, true));
  v1::Project& p = row.project;
  NRP_RETURN_IF_ERROR(authorize(p.region_code()));
  NRP_RETURN_IF_ERROR(CheckProjectStep(project_id, StateOf(p), ProjectStep::kCancel));
  NRP_RETURN_IF_ERROR(RequireText(reason, "reason", 2000));
  const TimePoint now = rt_.clock().Now();
  NRP_ASSIGN_OR_RETURN(auto obligations, store::ObligationsOfProject(tx, project_id));
  for (auto& o : obligations) {
    if (StateOf(o) != ObligationState::kInProgress) continue;
    o.set_state(o.has_due_date() ? v1::OBLIGATION_STATE_DUE : v1::OBLIGATION_STATE_ONGOING);
    o.clear_project_id();
    NRP_RETURN_IF_ERROR(store::UpdateObligation(tx, o, now));
  }
  p.clear_obligation_ids();
  p.set_state(v1::PROJECT_STATE_CANCELLED);
  *p.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateProject(tx, p));
  v1::ProjectCancelled ev;
  ev.set_project_id(p.project_id());
  ev.set_region_code(p.region_code());
  ev.set_reason(reason);
  *ev.mutable_cancelled_at() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(Publish(tx, ev, p.region_code()));
  return p;
}

// ---------------------------------------------------------------- obligations

namespace {

// The events of an obligation just opened: ObligationOpened (holder masked), and ObligationDue
// when it is due.
Status PublishOpened(service::Runtime& rt, pqxx::work& tx, const v1::Obligation& o) {
  v1::ObligationOpened ev;
  ev.set_obligation_id(o.obligation_id());
  ev.set_region_code(o.region_code());
  *ev.mutable_obligation() = o;
  MaskParty(ev.mutable_obligation()->mutable_holder());
  NRP_RETURN_IF_ERROR(service::Publish(rt, tx, ev, o.region_code()));
  if (o.state() != v1::OBLIGATION_STATE_DUE) return Ok();
  v1::ObligationDue due;
  due.set_obligation_id(o.obligation_id());
  due.set_region_code(o.region_code());
  due.set_mining_right_id(o.mining_right_id());
  due.set_origin(o.origin());
  *due.mutable_due_date() = o.due_date();
  return service::Publish(rt, tx, due, o.region_code());
}

}  // namespace

Result<v1::Obligation> RestorationApp::CreateObligation(pqxx::work& tx, const v1::Obligation& input,
                                                        const Authorize& authorize) {
  v1::Obligation o;
  o.set_region_code(input.region_code());
  o.set_mining_right_id(input.mining_right_id());
  o.set_licence_number(input.licence_number());
  *o.mutable_holder() = input.holder();
  o.set_origin(input.origin());
  if (input.has_geometry()) *o.mutable_geometry() = input.geometry();
  *o.mutable_damaged_area() = input.damaged_area();
  *o.mutable_estimated_cost() = input.estimated_cost();
  if (input.has_due_date()) *o.mutable_due_date() = input.due_date();
  if (input.has_basis()) *o.mutable_basis() = input.basis();

  NRP_RETURN_IF_ERROR(CheckRegion(o.region_code(), "obligation.region_code"));
  NRP_RETURN_IF_ERROR(authorize(o.region_code()));
  if (o.origin() == v1::OBLIGATION_ORIGIN_UNSPECIFIED ||
      !v1::ObligationOrigin_IsValid(o.origin())) {
    return Error::InvalidArgument("obligation.origin", "must be an ObligationOrigin");
  }
  NRP_RETURN_IF_ERROR(RequireText(o.holder().name(), "obligation.holder.name", 300));
  NRP_RETURN_IF_ERROR(CheckArea(o.damaged_area(), "obligation.damaged_area"));
  NRP_RETURN_IF_ERROR(CheckMoney(o.estimated_cost(), "obligation.estimated_cost", false));
  const ObligationState opening = OpeningState(static_cast<ObligationOrigin>(o.origin()));
  if (opening == ObligationState::kOngoing && o.has_due_date()) {
    return Error::InvalidArgument("obligation.due_date",
                                  "a grant duty runs with the mine and has no due date");
  }
  if (opening == ObligationState::kDue) {
    NRP_ASSIGN_OR_RETURN(Date due, ProtoDate(o.due_date(), "obligation.due_date"));
    (void)due;
  }
  if (o.origin() == v1::OBLIGATION_ORIGIN_ENFORCEMENT_ORDER) {
    NRP_RETURN_IF_ERROR(RequireDocument(o.basis(), "obligation.basis"));
  }
  std::string hex;
  if (o.has_geometry()) {
    NRP_ASSIGN_OR_RETURN(auto shape, store::ReadShape(tx, o.geometry(), "obligation.geometry"));
    hex = shape.hex_ewkb;
  }
  if (!o.mining_right_id().empty()) {
    NRP_RETURN_IF_ERROR(RequireUuid(o.mining_right_id(), "obligation.mining_right_id"));
    NRP_ASSIGN_OR_RETURN(auto right, store::GetKnownRight(tx, o.mining_right_id()));
    if (right) {
      if (right->region_code != o.region_code()) {
        return Error::InvalidArgument("obligation.region_code", "right " + right->licence_number +
                                                                    " lies in region " +
                                                                    right->region_code);
      }
      if (o.licence_number().empty()) o.set_licence_number(right->licence_number);
      if (hex.empty() && !right->hex_ewkb.empty()) hex = right->hex_ewkb;
    }
    NRP_ASSIGN_OR_RETURN(auto account, store::FundAccountOfRight(tx, o.mining_right_id(), false));
    if (account) o.set_fund_account(account->account_id());
  }
  const TimePoint now = rt_.clock().Now();
  o.set_obligation_id(NewUuidV4());
  o.set_state(static_cast<v1::ObligationState>(opening));
  *o.mutable_opened_at() = ToTimestamp(now);
  NRP_ASSIGN_OR_RETURN(bool inserted, store::InsertObligation(tx, o, hex));
  if (!inserted) {
    NRP_ASSIGN_OR_RETURN(auto open, store::OpenObligationOf(tx, o.mining_right_id()));
    return Error::FailedPrecondition(
        "OBLIGATION_OPEN", o.mining_right_id(),
        "right " + o.mining_right_id() + " has obligation " +
            (open ? open->obligation_id() : std::string("(unknown)")) +
            " open; a right has one open obligation");
  }
  NRP_RETURN_IF_ERROR(PublishOpened(rt_, tx, o));
  return o;
}

Result<v1::Obligation> RestorationApp::AssignObligationProject(pqxx::work& tx,
                                                               const std::string& obligation_id,
                                                               const std::string& project_id,
                                                               const Authorize& authorize) {
  NRP_ASSIGN_OR_RETURN(auto o, store::GetObligation(tx, obligation_id, true));
  NRP_RETURN_IF_ERROR(authorize(o.region_code()));
  NRP_RETURN_IF_ERROR(CheckObligationStep(obligation_id, StateOf(o), ObligationStep::kAssign));
  NRP_ASSIGN_OR_RETURN(auto row, store::GetProject(tx, project_id, true));
  v1::Project& p = row.project;
  NRP_RETURN_IF_ERROR(authorize(p.region_code()));
  NRP_RETURN_IF_ERROR(CheckProjectStep(project_id, StateOf(p), ProjectStep::kTakeObligation));
  if (!zones::Covers(p.region_code(), o.region_code())) {
    return Error::FailedPrecondition("PROJECT_REGION", project_id,
                                     "project " + project_id + " is in region " + p.region_code() +
                                         ", the obligation in " + o.region_code());
  }
  if (!o.mining_right_id().empty() &&
      (p.responsibility() != v1::RESPONSIBILITY_MINE_HOLDER ||
       p.mining_right_id() != o.mining_right_id())) {
    return Error::FailedPrecondition(
        "PROJECT_NOT_THE_HOLDERS", project_id,
        "project " + project_id + " is not the holder's restoration of right " +
            o.mining_right_id() +
            "; the holder restores its own damage (谁破坏、谁治理), or the government assumes "
            "the obligation when the holder no longer exists");
  }
  if (o.has_geometry() && !o.geometry().text().empty()) {
    NRP_ASSIGN_OR_RETURN(auto shape, store::ReadShape(tx, o.geometry(), "obligation.geometry"));
    NRP_ASSIGN_OR_RETURN(bool meets, store::ProjectMeets(tx, project_id, shape.hex_ewkb));
    if (!meets) {
      return Error::FailedPrecondition("PROJECT_OUTSIDE_OBLIGATION", project_id,
                                       "project " + project_id +
                                           " does not meet the area of obligation " +
                                           obligation_id);
    }
  }
  const TimePoint now = rt_.clock().Now();
  o.set_state(v1::OBLIGATION_STATE_IN_PROGRESS);
  o.set_project_id(project_id);
  NRP_RETURN_IF_ERROR(store::UpdateObligation(tx, o, now));
  p.add_obligation_ids(obligation_id);
  *p.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateProject(tx, p));
  v1::ObligationAssigned ev;
  ev.set_obligation_id(obligation_id);
  ev.set_region_code(o.region_code());
  ev.set_project_id(project_id);
  NRP_RETURN_IF_ERROR(Publish(tx, ev, o.region_code()));
  return o;
}

Result<v1::Obligation> RestorationApp::AssumeObligation(pqxx::work& tx,
                                                        const std::string& obligation_id,
                                                        const cpb::DocumentReference& evidence,
                                                        const Authorize& authorize) {
  NRP_ASSIGN_OR_RETURN(auto o, store::GetObligation(tx, obligation_id, true));
  NRP_RETURN_IF_ERROR(authorize(o.region_code()));
  NRP_RETURN_IF_ERROR(CheckObligationStep(obligation_id, StateOf(o), ObligationStep::kAssume));
  NRP_RETURN_IF_ERROR(RequireDocument(evidence, "evidence"));
  const TimePoint now = rt_.clock().Now();
  o.set_state(v1::OBLIGATION_STATE_ASSUMED_BY_GOVERNMENT);
  *o.mutable_closed_at() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateObligation(tx, o, now));
  v1::ObligationAssumed ev;
  ev.set_obligation_id(obligation_id);
  ev.set_region_code(o.region_code());
  ev.set_mining_right_id(o.mining_right_id());
  *ev.mutable_evidence() = evidence;
  NRP_RETURN_IF_ERROR(Publish(tx, ev, o.region_code()));
  return o;
}

// ---------------------------------------------------------------- restoration funds

namespace {

Ledger LedgerOf(const v1::FundAccount& a) {
  return {a.balance().fen(), a.deposited_total().fen(), a.withdrawn_total().fen(),
          a.entry_count()};
}

void SetLedger(v1::FundAccount& a, const Ledger& l) {
  a.mutable_balance()->set_fen(l.balance_fen);
  a.mutable_deposited_total()->set_fen(l.deposited_fen);
  a.mutable_withdrawn_total()->set_fen(l.withdrawn_fen);
  a.set_entry_count(l.entry_count);
}

Status RequireAccountId(const std::string& id) {
  if (id.empty()) return Error::InvalidArgument("account_id", "is required");
  if (id.size() > 64) return Error::InvalidArgument("account_id", "is longer than 64 bytes");
  return Ok();
}

}  // namespace

Result<v1::FundEntry> RestorationApp::Deposit(pqxx::work& tx, const std::string& account_id,
                                              const cpb::Money& amount, const cpb::Date& booked_on,
                                              const cpb::DocumentReference& receipt,
                                              const Authorize& authorize) {
  NRP_RETURN_IF_ERROR(RequireAccountId(account_id));
  NRP_ASSIGN_OR_RETURN(auto a, store::GetFundAccount(tx, account_id, true));
  NRP_RETURN_IF_ERROR(authorize(a.region_code()));
  NRP_ASSIGN_OR_RETURN(Ledger l, restoration::Deposit(LedgerOf(a), amount.fen()));
  NRP_ASSIGN_OR_RETURN(Date on, ProtoDate(booked_on, "booked_on"));
  NRP_RETURN_IF_ERROR(CheckNotAfter(on, Today(), "booked_on"));
  NRP_RETURN_IF_ERROR(RequireDocument(receipt, "receipt"));
  const TimePoint now = rt_.clock().Now();
  v1::FundEntry e;
  e.set_entry_id(NewUuidV4());
  e.set_account_id(account_id);
  e.set_sequence(l.entry_count);
  e.set_kind(v1::FUND_ENTRY_KIND_DEPOSIT);
  *e.mutable_amount() = amount;
  e.mutable_balance_after()->set_fen(l.balance_fen);
  *e.mutable_booked_on() = ToProtoDate(on);
  *e.mutable_document() = receipt;
  *e.mutable_recorded_at() = ToTimestamp(now);
  SetLedger(a, l);
  *a.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateFundAccount(tx, a));
  NRP_RETURN_IF_ERROR(store::InsertFundEntry(tx, e));
  v1::FundEntryBooked ev;
  ev.set_mining_right_id(a.mining_right_id());
  ev.set_region_code(a.region_code());
  *ev.mutable_entry() = e;
  NRP_RETURN_IF_ERROR(Publish(tx, ev, a.region_code()));
  return e;
}

Result<v1::FundEntry> RestorationApp::Withdraw(pqxx::work& tx, const std::string& account_id,
                                               const cpb::Money& amount,
                                               const std::string& project_id,
                                               const cpb::Date& booked_on,
                                               const cpb::DocumentReference& voucher,
                                               const Authorize& authorize) {
  NRP_RETURN_IF_ERROR(RequireAccountId(account_id));
  NRP_RETURN_IF_ERROR(RequireUuid(project_id, "project_id"));
  NRP_ASSIGN_OR_RETURN(auto a, store::GetFundAccount(tx, account_id, true));
  NRP_RETURN_IF_ERROR(authorize(a.region_code()));
  NRP_ASSIGN_OR_RETURN(auto row, store::GetProject(tx, project_id, true));
  v1::Project& p = row.project;
  if (p.mining_right_id() != a.mining_right_id()) {
    return Error::FailedPrecondition(
        "PROJECT_NOT_OF_THIS_RIGHT", project_id,
        "fund " + account_id + " is drawn only for the restoration of right " +
            a.licence_number() + "; project " + project_id +
            (p.mining_right_id().empty() ? std::string(" restores no mining right")
                                         : " restores right " + p.mining_right_id()));
  }
  NRP_RETURN_IF_ERROR(CheckProjectStep(project_id, StateOf(p), ProjectStep::kDrawFund));
  NRP_ASSIGN_OR_RETURN(Date on, ProtoDate(booked_on, "booked_on"));
  NRP_RETURN_IF_ERROR(CheckNotAfter(on, Today(), "booked_on"));
  NRP_RETURN_IF_ERROR(RequireDocument(voucher, "voucher"));
  NRP_ASSIGN_OR_RETURN(Ledger l, restoration::Withdraw(LedgerOf(a), amount.fen(), account_id));
  const TimePoint now = rt_.clock().Now();
  v1::Funding funding;
  funding.set_source(v1::FUNDING_SOURCE_HOLDER_FUND);
  *funding.mutable_amount() = amount;
  *funding.mutable_funder() = a.holder();
  *funding.mutable_document() = voucher;
  NRP_ASSIGN_OR_RETURN(auto funded, AddFunding(p, funding, now));

  v1::FundEntry e;
  e.set_entry_id(NewUuidV4());
  e.set_account_id(account_id);
  e.set_sequence(l.entry_count);
  e.set_kind(v1::FUND_ENTRY_KIND_WITHDRAWAL);
  *e.mutable_amount() = amount;
  e.mutable_balance_after()->set_fen(l.balance_fen);
  e.set_project_id(project_id);
  NRP_ASSIGN_OR_RETURN(auto obligations, store::ObligationsOfProject(tx, project_id));
  for (const auto& o : obligations) {
    if (o.mining_right_id() == a.mining_right_id()) e.set_obligation_id(o.obligation_id());
  }
  *e.mutable_booked_on() = ToProtoDate(on);
  *e.mutable_document() = voucher;
  *e.mutable_recorded_at() = ToTimestamp(now);
  SetLedger(a, l);
  *a.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateFundAccount(tx, a));
  NRP_RETURN_IF_ERROR(store::InsertFundEntry(tx, e));
  NRP_RETURN_IF_ERROR(store::UpdateProject(tx, p));
  v1::FundEntryBooked ev;
  ev.set_mining_right_id(a.mining_right_id());
  ev.set_region_code(a.region_code());
  *ev.mutable_entry() = e;
  NRP_RETURN_IF_ERROR(Publish(tx, ev, a.region_code()));
  NRP_RETURN_IF_ERROR(Publish(tx, funded, p.region_code()));
  return e;
}

// ---------------------------------------------------------------- from mining rights' events

Status RestorationApp::OnRightRegistered(pqxx::work& tx, const mr::MiningRight& right) {
  NRP_RETURN_IF_ERROR(RequireUuid(right.right_id(), "right.right_id"));
  NRP_RETURN_IF_ERROR(CheckRegion(right.region_code(), "right.region_code"));
  store::KnownRight k;
  k.right_id = right.right_id();
  k.region_code = right.region_code();
  k.licence_number = right.licence_number();
  k.state = static_cast<int>(right.state());
  k.holder = right.holder();
  if (!right.geometry().text().empty()) {
    NRP_ASSIGN_OR_RETURN(auto shape, store::ReadShape(tx, right.geometry(), "right.geometry"));
    k.hex_ewkb = shape.hex_ewkb;
  }
  const TimePoint now = rt_.clock().Now();
  NRP_RETURN_IF_ERROR(store::UpsertRight(tx, k, now));
  const std::string& number = right.restoration_duty().fund_account();
  if (number.empty()) return Ok();
  auto existing = store::GetFundAccount(tx, number, true);
  if (existing.ok()) {
    v1::FundAccount a = *existing;
    if (a.mining_right_id() == right.right_id()) return Ok();  // heard before
    // A split's part keeping the number, or a merged right carrying the earliest one: the
    // account, its balance and its ledger move to it.
    NRP_ASSIGN_OR_RETURN(auto other, store::FundAccountOfRight(tx, right.right_id(), false));
    if (other) return Ok();
    a.set_mining_right_id(right.right_id());
    a.set_licence_number(right.licence_number());
    *a.mutable_holder() = right.holder();
    *a.mutable_update_time() = ToTimestamp(now);
    return store::UpdateFundAccount(tx, a);
  }
  if (existing.error().code() != Code::kNotFound) return existing.error();
  v1::FundAccount a;
  a.set_account_id(number);
  a.set_mining_right_id(right.right_id());
  a.set_licence_number(right.licence_number());
  a.set_region_code(right.region_code());
  *a.mutable_holder() = right.holder();
  SetLedger(a, {});
  *a.mutable_estimated_cost() = right.restoration_duty().estimated_cost();
  *a.mutable_opened_at() = ToTimestamp(now);
  *a.mutable_update_time() = ToTimestamp(now);
  NRP_ASSIGN_OR_RETURN(bool inserted, store::InsertFundAccount(tx, a));
  if (!inserted) return Ok();  // the right has an account under another number
  v1::FundAccountOpened ev;
  ev.set_mining_right_id(a.mining_right_id());
  ev.set_region_code(a.region_code());
  ev.set_account_id(a.account_id());
  ev.set_licence_number(a.licence_number());
  *ev.mutable_estimated_cost() = a.estimated_cost();
  return Publish(tx, ev, a.region_code());
}

Status RestorationApp::OnRightTransferred(pqxx::work& tx, const std::string& right_id,
                                          const cpb::Party& holder) {
  NRP_RETURN_IF_ERROR(RequireUuid(right_id, "right_id"));
  NRP_ASSIGN_OR_RETURN(auto known, store::GetKnownRight(tx, right_id));
  const TimePoint now = rt_.clock().Now();
  if (known) {
    known->holder = holder;
    NRP_RETURN_IF_ERROR(store::UpsertRight(tx, *known, now));
  }
  NRP_ASSIGN_OR_RETURN(auto account, store::FundAccountOfRight(tx, right_id, true));
  if (!account) return Ok();
  *account->mutable_holder() = holder;
  *account->mutable_update_time() = ToTimestamp(now);
  return store::UpdateFundAccount(tx, *account);
}

Status RestorationApp::OnMineEnded(pqxx::work& tx, const MineEnded& m) {
  NRP_RETURN_IF_ERROR(RequireUuid(m.right_id, "right_id"));
  NRP_RETURN_IF_ERROR(CheckRegion(m.region_code, "region_code"));
  const ObligationOrigin origin = OriginOfMiningEvent(m.ce_type);
  if (origin == ObligationOrigin::kUnspecified) {
    return Error::InvalidArgument("ce_type", "does not end a mine: " + m.ce_type);
  }
  const TimePoint now = rt_.clock().Now();
  std::string hex;
  if (!m.geometry.text().empty()) {
    NRP_ASSIGN_OR_RETURN(auto shape, store::ReadShape(tx, m.geometry, "geometry"));
    hex = shape.hex_ewkb;
  }
  NRP_ASSIGN_OR_RETURN(auto known, store::GetKnownRight(tx, m.right_id));
  store::KnownRight k = known ? *known : store::KnownRight{};
  k.right_id = m.right_id;
  k.region_code = m.region_code;
  k.licence_number = m.licence_number;
  k.state = origin == ObligationOrigin::kMineClosure   ? mr::MINING_RIGHT_STATE_CLOSED
            : origin == ObligationOrigin::kRightExpiry ? mr::MINING_RIGHT_STATE_EXPIRED
                                                       : mr::MINING_RIGHT_STATE_CANCELLED;
  if (!m.holder.name().empty()) k.holder = m.holder;
  if (!hex.empty()) k.hex_ewkb = hex;
  NRP_RETURN_IF_ERROR(store::UpsertRight(tx, k, now));
  if (m.duty_fulfilled) return Ok();

  const Date due = m.ended_on.AddDays(config_.rules.obligation_due_days);
  NRP_ASSIGN_OR_RETURN(auto open, store::OpenObligationOf(tx, m.right_id));
  if (open) {
    if (open->has_due_date()) return Ok();  // due already
    // The grant duty that ran with the mine falls due, also while a project is on it.
    *open->mutable_due_date() = ToProtoDate(due);
    open->set_state(open->project_id().empty() ? v1::OBLIGATION_STATE_DUE
                                               : v1::OBLIGATION_STATE_IN_PROGRESS);
    NRP_RETURN_IF_ERROR(store::UpdateObligation(tx, *open, now));
    v1::ObligationDue ev;
    ev.set_obligation_id(open->obligation_id());
    ev.set_region_code(open->region_code());
    ev.set_mining_right_id(m.right_id);
    ev.set_origin(static_cast<v1::ObligationOrigin>(origin));
    *ev.mutable_due_date() = open->due_date();
    return Publish(tx, ev, open->region_code());
  }
  // A mine ends once: the cancellation after a closure, or any ending event read again (a
  // replay into a fresh consumer), finds the obligation the end opened, fulfilled or not.
  NRP_ASSIGN_OR_RETURN(bool ended_before, store::HasEndingObligation(tx, m.right_id));
  if (ended_before) return Ok();
  v1::Obligation o;
  o.set_obligation_id(NewUuidV4());
  o.set_region_code(m.region_code);
  o.set_mining_right_id(m.right_id);
  o.set_licence_number(m.licence_number);
  *o.mutable_holder() = m.holder;
  o.set_origin(static_cast<v1::ObligationOrigin>(origin));
  o.set_state(v1::OBLIGATION_STATE_DUE);
  if (!m.geometry.text().empty()) *o.mutable_geometry() = m.geometry;
  *o.mutable_damaged_area() = m.duty.damaged_area();
  *o.mutable_estimated_cost() = m.duty.estimated_cost();
  o.set_fund_account(m.duty.fund_account());
  *o.mutable_due_date() = ToProtoDate(due);
  o.set_source_event_id(m.event_id);
  if (m.duty.has_plan()) *o.mutable_basis() = m.duty.plan();
  *o.mutable_opened_at() = ToTimestamp(now);
  NRP_ASSIGN_OR_RETURN(bool inserted, store::InsertObligation(tx, o, hex));
  if (!inserted) return Ok();  // opened by this event, or by another one, before
  return PublishOpened(rt_, tx, o);
}

}  // namespace nrp::restoration
