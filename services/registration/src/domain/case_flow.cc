#include "domain/case_flow.h"

#include <cstdio>

#include "domain/convert.h"
#include "domain/party.h"
#include "domain/region.h"
#include "domain/shares.h"
#include "domain/unit_code.h"
#include "nrp/core/uuid.h"
#include "nrp/registration/v1/events.pb.h"
#include "nrp/service/calendar_proto.h"

namespace nrp::registration {

namespace cpb = nrp::common::v1;

namespace {

const std::string kCase = "registration_case";

Error WrongState(const v1::RegistrationCase& c, const std::string& action,
                 const std::string& required) {
  return Error::FailedPrecondition("CASE_STATE", "cases/" + c.case_id(),
                                   "case " + c.case_id() + " is " + StateName(c.state()) +
                                       "; only " + required + " cases can be " + action);
}

bool IsConstructionParcel(v1::ParcelFeatureType t) {
  return t == v1::PARCEL_FEATURE_TYPE_CONSTRUCTION_SURFACE ||
         t == v1::PARCEL_FEATURE_TYPE_CONSTRUCTION_ABOVE_GROUND ||
         t == v1::PARCEL_FEATURE_TYPE_CONSTRUCTION_UNDERGROUND;
}

bool IsContractedParcel(v1::ParcelFeatureType t) {
  return t == v1::PARCEL_FEATURE_TYPE_CONTRACTED_ARABLE ||
         t == v1::PARCEL_FEATURE_TYPE_CONTRACTED_FOREST ||
         t == v1::PARCEL_FEATURE_TYPE_CONTRACTED_GRASSLAND;
}

// Right kinds fit only some units (GB/T 37346-2019 feature codes). Empty when they fit.
std::string UnitMismatch(v1::RightKind kind, const UnitCode& unit) {
  const auto type = unit.parcel_type();
  const auto own = unit.ownership();
  const bool building = unit.fixture_type() == v1::FIXTURE_TYPE_BUILDING;
  const std::string feature = "unit " + unit.str() + " has parcel feature code '" +
                              unit.parcel_feature_code() + "' and fixture code '" +
                              std::string(1, unit.fixture_code()) + "'";
  switch (kind) {
    case v1::RIGHT_KIND_COLLECTIVE_LAND_OWNERSHIP:
      if (type != v1::PARCEL_FEATURE_TYPE_COLLECTIVE_OWNERSHIP)
        return "needs a collective ownership parcel (type letter A); " + feature;
      return "";
    case v1::RIGHT_KIND_STATE_CONSTRUCTION_LAND_USE:
    case v1::RIGHT_KIND_STATE_LAND_USE_AND_HOUSE_OWNERSHIP:
      if (own != v1::LAND_OWNERSHIP_CODE_STATE || !IsConstructionParcel(type))
        return "needs a state-owned construction-land parcel (G with B, S or X); " + feature;
      if (kind == v1::RIGHT_KIND_STATE_LAND_USE_AND_HOUSE_OWNERSHIP && !building)
        return "needs a building (fixture code F); " + feature;
      return "";
    case v1::RIGHT_KIND_COLLECTIVE_CONSTRUCTION_LAND_USE:
    case v1::RIGHT_KIND_COLLECTIVE_LAND_USE_AND_HOUSE_OWNERSHIP:
      if (own != v1::LAND_OWNERSHIP_CODE_COLLECTIVE || !IsConstructionParcel(type))
        return "needs a collective construction-land parcel (J with B, S or X); " + feature;
      if (kind == v1::RIGHT_KIND_COLLECTIVE_LAND_USE_AND_HOUSE_OWNERSHIP && !building)
        return "needs a building (fixture code F); " + feature;
      return "";
    case v1::RIGHT_KIND_HOMESTEAD_USE:
    case v1::RIGHT_KIND_HOMESTEAD_USE_AND_HOUSE_OWNERSHIP:
      if (type != v1::PARCEL_FEATURE_TYPE_HOMESTEAD)
        return "needs a homestead parcel (type letter C); " + feature;
      if (kind == v1::RIGHT_KIND_HOMESTEAD_USE_AND_HOUSE_OWNERSHIP && !building)
        return "needs a building (fixture code F); " + feature;
      return "";
    case v1::RIGHT_KIND_LAND_CONTRACT_MANAGEMENT:
    case v1::RIGHT_KIND_LAND_MANAGEMENT:
      if (!IsContractedParcel(type))
        return "needs a contracted arable, forest or grassland parcel (D, E or F); " + feature;
      return "";
    case v1::RIGHT_KIND_FOREST:
      if (unit.fixture_type() != v1::FIXTURE_TYPE_FOREST)
        return "needs forest or trees on the unit (fixture code L); " + feature;
      return "";
    case v1::RIGHT_KIND_SEA_AREA_USE:
      if (type != v1::PARCEL_FEATURE_TYPE_SEA_AREA)
        return "needs a sea area (type letter H); " + feature;
      return "";
    case v1::RIGHT_KIND_UNINHABITED_ISLAND_USE:
      if (type != v1::PARCEL_FEATURE_TYPE_UNINHABITED_ISLAND)
        return "needs an uninhabited island (type letter G); " + feature;
      return "";
    case v1::RIGHT_KIND_RESIDENCE:
      if (!building) return "needs a house (fixture code F, Civil Code art. 366); " + feature;
      return "";
    default:
      return "";
  }
}

Status ValidateDocuments(const v1::RegistrationCase& c) {
  if (c.documents_size() > 200) {
    return Error::InvalidArgument(kCase + ".documents", "at most 200 documents");
  }
  for (int i = 0; i < c.documents_size(); ++i) {
    const auto& d = c.documents(i);
    const std::string f = kCase + ".documents[" + std::to_string(i) + "]";
    if (d.title().empty()) return Error::InvalidArgument(f + ".title", "is required");
    if (!cpb::DocumentKind_IsValid(d.kind())) {
      return Error::InvalidArgument(f + ".kind", "is not a known document kind");
    }
  }
  return Ok();
}

Status ValidateProposedRight(const v1::RegistrationCase& c, const UnitCode& unit) {
  const std::string f = kCase + ".proposed_right";
  if (!c.has_proposed_right()) {
    return Error::InvalidArgument(f, "is required for " + KindName(c.kind()) + " registration");
  }
  const v1::Right& r = c.proposed_right();
  if (r.right_kind() != c.right_kind()) {
    return Error::InvalidArgument(f + ".right_kind", "must equal the case's right_kind " +
                                                         v1::RightKind_Name(c.right_kind()) +
                                                         ", got " +
                                                         v1::RightKind_Name(r.right_kind()));
  }
  if (!r.unit_code().empty() && r.unit_code() != c.unit_code()) {
    return Error::InvalidArgument(
        f + ".unit_code", "must equal the case's unit_code " + c.unit_code() + " or be empty");
  }
  NRP_RETURN_IF_ERROR(ValidateHolders(r, f));
  if (r.has_area() && !(r.area().square_metres() >= 0)) {
    return Error::InvalidArgument(f + ".area.square_metres", "must not be negative");
  }
  if (r.has_price() && r.price().fen() < 0) {
    return Error::InvalidArgument(f + ".price.fen", "must not be negative");
  }
  if (r.has_term_start() || r.has_term_end()) {
    if (!r.has_term_start() || !r.has_term_end()) {
      return Error::InvalidArgument(f + ".term_end", "term_start and term_end go together");
    }
    NRP_ASSIGN_OR_RETURN(Date s, FromProtoDate(r.term_start(), f + ".term_start"));
    NRP_ASSIGN_OR_RETURN(Date e, FromProtoDate(r.term_end(), f + ".term_end"));
    if (e < s) {
      return Error::InvalidArgument(f + ".term_end",
                                    "must not be before term_start " + s.ToString());
    }
  }
  if (Utf8Length(r.purpose()) > 200) {
    return Error::InvalidArgument(f + ".purpose", "must be at most 200 characters");
  }
  if (Utf8Length(r.remarks()) > 2000) {
    return Error::InvalidArgument(f + ".remarks", "must be at most 2000 characters");
  }
  const bool mortgage = c.right_kind() == v1::RIGHT_KIND_MORTGAGE;
  if (mortgage) {
    const std::string mf = f + ".mortgage";
    if (!r.has_mortgage()) return Error::InvalidArgument(mf, "is required for a mortgage");
    const auto& m = r.mortgage();
    if (m.kind() == v1::MORTGAGE_KIND_UNSPECIFIED || !v1::MortgageKind_IsValid(m.kind())) {
      return Error::InvalidArgument(
          mf + ".kind", "must be MORTGAGE_KIND_GENERAL or MORTGAGE_KIND_MAXIMUM_AMOUNT");
    }
    if (c.kind() == v1::REGISTRATION_KIND_FIRST && !IsUuid(m.mortgaged_right_id())) {
      return Error::InvalidArgument(mf + ".mortgaged_right_id",
                                    "must be the id of the mortgaged right (a UUID)");
    }
    if (m.mortgagors().empty()) {
      return Error::InvalidArgument(mf + ".mortgagors", "at least one mortgagor is required");
    }
    for (int i = 0; i < m.mortgagors_size(); ++i) {
      NRP_RETURN_IF_ERROR(
          ValidateParty(m.mortgagors(i), mf + ".mortgagors[" + std::to_string(i) + "]"));
    }
    if (!m.has_secured_amount() || m.secured_amount().fen() <= 0) {
      return Error::InvalidArgument(mf + ".secured_amount", "must be more than 0 fen");
    }
    NRP_ASSIGN_OR_RETURN(Date s, FromProtoDate(m.debt_start(), mf + ".debt_start"));
    NRP_ASSIGN_OR_RETURN(Date e, FromProtoDate(m.debt_end(), mf + ".debt_end"));
    if (e < s) {
      return Error::InvalidArgument(mf + ".debt_end",
                                    "must not be before debt_start " + s.ToString());
    }
  } else if (r.has_mortgage()) {
    return Error::InvalidArgument(f + ".mortgage", "is only for RIGHT_KIND_MORTGAGE");
  } else if (std::string why = UnitMismatch(c.right_kind(), unit); !why.empty()) {
    return Error::InvalidArgument(kCase + ".right_kind",
                                  v1::RightKind_Name(c.right_kind()) + " " + why);
  }
  return Ok();
}

Status RequireTargetRight(const v1::RegistrationCase& c) {
  if (!IsUuid(c.target_right_id())) {
    return Error::InvalidArgument(
        kCase + ".target_right_id",
        "must be the id (UUID) of the right the " + KindName(c.kind()) + " registration concerns");
  }
  return Ok();
}

Status RequireTargetEntry(const v1::RegistrationCase& c) {
  if (!IsUuid(c.target_entry_id())) {
    return Error::InvalidArgument(kCase + ".target_entry_id",
                                  "must be the id (UUID) of the register entry the " +
                                      KindName(c.kind()) + " registration concerns");
  }
  return Ok();
}

Status ValidateApplication(const v1::RegistrationCase& c) {
  NRP_RETURN_IF_ERROR(ValidateRegionCode(c.region_code(), kCase + ".region_code"));
  if (c.kind() == v1::REGISTRATION_KIND_UNSPECIFIED || !v1::RegistrationKind_IsValid(c.kind())) {
    return Error::InvalidArgument(kCase + ".kind", "must be a registration kind, not " +
                                                       std::to_string(static_cast<int>(c.kind())));
  }
  if (!v1::RightKind_IsValid(c.right_kind())) {
    return Error::InvalidArgument(kCase + ".right_kind", "is not a known right kind");
  }
  if (NeedsRightKind(c.kind()) && c.right_kind() == v1::RIGHT_KIND_UNSPECIFIED) {
    return Error::InvalidArgument(kCase + ".right_kind",
                                  "is required for " + KindName(c.kind()) + " registration");
  }
  NRP_ASSIGN_OR_RETURN(UnitCode unit, UnitCode::Parse(c.unit_code(), kCase + ".unit_code"));
  std::string prefix = c.region_code();
  while (prefix.size() > 2 && prefix.substr(prefix.size() - 2) == "00") {
    prefix.resize(prefix.size() - 2);
  }
  if (unit.county_code().rfind(prefix, 0) != 0) {
    return Error::InvalidArgument(kCase + ".unit_code", "county code " + unit.county_code() +
                                                            " lies outside the registry's region " +
                                                            c.region_code());
  }
  if (c.channel() == v1::SUBMISSION_CHANNEL_UNSPECIFIED ||
      !v1::SubmissionChannel_IsValid(c.channel())) {
    return Error::InvalidArgument(kCase + ".channel", "must be COUNTER, ONLINE or INTER_AGENCY");
  }
  if (c.applicants().empty()) {
    return Error::InvalidArgument(kCase + ".applicants", "at least one applicant is required");
  }
  if (c.applicants_size() > 100) {
    return Error::InvalidArgument(kCase + ".applicants", "at most 100 applicants");
  }
  bool entrusting = false;
  for (int i = 0; i < c.applicants_size(); ++i) {
    const std::string f = kCase + ".applicants[" + std::to_string(i) + "]";
    const auto& a = c.applicants(i);
    if (a.role() == v1::APPLICANT_ROLE_UNSPECIFIED || !v1::ApplicantRole_IsValid(a.role())) {
      return Error::InvalidArgument(f + ".role", "is required");
    }
    if (!a.has_party()) return Error::InvalidArgument(f + ".party", "is required");
    NRP_RETURN_IF_ERROR(ValidateParty(a.party(), f + ".party"));
    entrusting = entrusting || a.role() == v1::APPLICANT_ROLE_ENTRUSTING_AUTHORITY;
  }
  if (Utf8Length(c.source_reference()) > 200) {
    return Error::InvalidArgument(kCase + ".source_reference", "must be at most 200 characters");
  }
  NRP_RETURN_IF_ERROR(ValidateDocuments(c));

  switch (c.kind()) {
    case v1::REGISTRATION_KIND_FIRST:
      if (!c.target_right_id().empty()) {
        return Error::InvalidArgument(kCase + ".target_right_id",
                                      "must be empty for a first registration");
      }
      return ValidateProposedRight(c, unit);
    case v1::REGISTRATION_KIND_TRANSFER:
    case v1::REGISTRATION_KIND_CHANGE:
      NRP_RETURN_IF_ERROR(RequireTargetRight(c));
      return ValidateProposedRight(c, unit);
    case v1::REGISTRATION_KIND_CANCELLATION:
      return RequireTargetRight(c);
    case v1::REGISTRATION_KIND_CORRECTION:
      NRP_RETURN_IF_ERROR(RequireTargetEntry(c));
      return ValidateProposedRight(c, unit);
    case v1::REGISTRATION_KIND_OBJECTION: {
      const std::string f = kCase + ".objection";
      if (!c.has_objection()) return Error::InvalidArgument(f, "is required for an objection");
      NRP_RETURN_IF_ERROR(RequireTargetEntry(c));
      if (!c.objection().objected_entry_id().empty() &&
          c.objection().objected_entry_id() != c.target_entry_id()) {
        return Error::InvalidArgument(f + ".objected_entry_id",
                                      "must equal target_entry_id or be empty");
      }
      if (!c.objection().has_objector())
        return Error::InvalidArgument(f + ".objector", "is required");
      NRP_RETURN_IF_ERROR(ValidateParty(c.objection().objector(), f + ".objector"));
      if (c.objection().reason().empty())
        return Error::InvalidArgument(f + ".reason", "is required");
      return Ok();
    }
    case v1::REGISTRATION_KIND_ADVANCE_NOTICE: {
      const std::string f = kCase + ".advance_notice";
      if (!c.has_advance_notice()) {
        return Error::InvalidArgument(f, "is required for an advance-notice registration");
      }
      const auto& n = c.advance_notice();
      if (n.kind() == v1::ADVANCE_NOTICE_KIND_UNSPECIFIED ||
          !v1::AdvanceNoticeKind_IsValid(n.kind())) {
        return Error::InvalidArgument(f + ".kind", "is required");
      }
      if (n.holders().empty())
        return Error::InvalidArgument(f + ".holders", "at least one holder is required");
      for (int i = 0; i < n.holders_size(); ++i) {
        NRP_RETURN_IF_ERROR(ValidateParty(n.holders(i), f + ".holders[" + std::to_string(i) + "]"));
      }
      if (n.obligors().empty())
        return Error::InvalidArgument(f + ".obligors", "at least one obligor is required");
      for (int i = 0; i < n.obligors_size(); ++i) {
        NRP_RETURN_IF_ERROR(
            ValidateParty(n.obligors(i), f + ".obligors[" + std::to_string(i) + "]"));
      }
      return Ok();
    }
    case v1::REGISTRATION_KIND_SEIZURE:
    case v1::REGISTRATION_KIND_SEIZURE_RELEASE: {
      const std::string f = kCase + ".seizure";
      const bool release = c.kind() == v1::REGISTRATION_KIND_SEIZURE_RELEASE;
      if (!entrusting) {
        return Error::InvalidArgument(kCase + ".applicants",
                                      "a seizure or its release is entrusted by an authority: one "
                                      "applicant must have APPLICANT_ROLE_ENTRUSTING_AUTHORITY");
      }
      if (!c.has_seizure()) {
        return Error::InvalidArgument(f, release ? "is required: the release order and authority"
                                                 : "is required for a seizure registration");
      }
      const auto& s = c.seizure();
      if (s.authority().empty()) return Error::InvalidArgument(f + ".authority", "is required");
      if (!s.has_order() || s.order().title().empty()) {
        return Error::InvalidArgument(f + ".order", "the ruling or assistance notice is required");
      }
      if (release) return RequireTargetEntry(c);
      NRP_ASSIGN_OR_RETURN(Date start, FromProtoDate(s.start_date(), f + ".start_date"));
      NRP_ASSIGN_OR_RETURN(Date end, FromProtoDate(s.end_date(), f + ".end_date"));
      if (end < start) {
        return Error::InvalidArgument(f + ".end_date",
                                      "must not be before start_date " + start.ToString());
      }
      return Ok();
    }
    default:
      return Error::InvalidArgument(kCase + ".kind", "is not supported");
  }
}

void Stamp(v1::RegistrationCase& c, TimePoint now) { *c.mutable_update_time() = ToTimestamp(now); }

}  // namespace

bool PublicNoticeRequired(v1::RegistrationKind kind, v1::RightKind right_kind) {
  if (kind != v1::REGISTRATION_KIND_FIRST) return false;
  switch (right_kind) {
    case v1::RIGHT_KIND_COLLECTIVE_LAND_OWNERSHIP:
    case v1::RIGHT_KIND_COLLECTIVE_CONSTRUCTION_LAND_USE:
    case v1::RIGHT_KIND_COLLECTIVE_LAND_USE_AND_HOUSE_OWNERSHIP:
    case v1::RIGHT_KIND_HOMESTEAD_USE:
    case v1::RIGHT_KIND_HOMESTEAD_USE_AND_HOUSE_OWNERSHIP:
    case v1::RIGHT_KIND_LAND_CONTRACT_MANAGEMENT:
      return true;
    default:
      return false;
  }
}

bool NeedsRightKind(v1::RegistrationKind kind) {
  return kind != v1::REGISTRATION_KIND_SEIZURE && kind != v1::REGISTRATION_KIND_SEIZURE_RELEASE &&
         kind != v1::REGISTRATION_KIND_OBJECTION && kind != v1::REGISTRATION_KIND_ADVANCE_NOTICE;
}

bool IsOpen(v1::CaseState state) {
  return state == v1::CASE_STATE_APPLIED || state == v1::CASE_STATE_ACCEPTED ||
         state == v1::CASE_STATE_REVIEWED || state == v1::CASE_STATE_PUBLIC_NOTICE;
}

std::string StateName(v1::CaseState state) {
  std::string name = v1::CaseState_Name(state);
  const std::string prefix = "CASE_STATE_";
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  return name.empty() ? std::to_string(static_cast<int>(state)) : name;
}

std::string FormatCaseNumber(const std::string& region_code, int year, int64_t sequence) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s-%04d-%07lld", region_code.c_str(), year,
                static_cast<long long>(sequence));
  return buf;
}

Result<Application> Application::Validate(const v1::RegistrationCase& application) {
  NRP_RETURN_IF_ERROR(ValidateApplication(application));
  return Application(application);
}

Result<CaseTransition> Submit(const v1::RegistrationCase& application, const std::string& case_id,
                              const std::string& case_number, const FlowContext& ctx) {
  NRP_ASSIGN_OR_RETURN(Application valid, Application::Validate(application));
  return Submit(valid, case_id, case_number, ctx);
}

CaseTransition Submit(const Application& valid, const std::string& case_id,
                      const std::string& case_number, const FlowContext& ctx) {
  const v1::RegistrationCase& application = valid.get();
  CaseTransition t;
  v1::RegistrationCase& c = t.next;
  // Only the application's input fields are kept; output-only fields are ignored.
  c.set_region_code(application.region_code());
  c.set_kind(application.kind());
  c.set_right_kind(application.right_kind());
  c.set_unit_code(application.unit_code());
  *c.mutable_applicants() = application.applicants();
  switch (application.application_case()) {
    case v1::RegistrationCase::kProposedRight: {
      v1::Right r = application.proposed_right();
      // Output-only fields of the right are assigned at recording.
      r.clear_right_id();
      r.clear_state();
      r.clear_certificate_number();
      r.clear_registered_at();
      r.clear_ended_at();
      r.clear_origin_case_id();
      r.clear_previous_right_id();
      r.set_unit_code(application.unit_code());
      r.set_region_code(application.unit_code().substr(0, 6));
      *c.mutable_proposed_right() = std::move(r);
      break;
    }
    case v1::RegistrationCase::kSeizure: {
      v1::Seizure s = application.seizure();
      s.clear_seizure_id();
      s.clear_queue_position();
      s.clear_in_force();
      *c.mutable_seizure() = std::move(s);
      break;
    }
    case v1::RegistrationCase::kAdvanceNotice: {
      v1::AdvanceNotice n = application.advance_notice();
      n.clear_advance_notice_id();
      n.clear_in_force();
      *c.mutable_advance_notice() = std::move(n);
      break;
    }
    case v1::RegistrationCase::kObjection: {
      v1::Objection o = application.objection();
      o.clear_objection_id();
      o.clear_lapses_on();
      o.clear_in_force();
      o.set_objected_entry_id(application.target_entry_id());
      *c.mutable_objection() = std::move(o);
      break;
    }
    default:
      break;
  }
  c.set_target_right_id(application.target_right_id());
  c.set_target_entry_id(application.target_entry_id());
  *c.mutable_documents() = application.documents();
  c.set_channel(application.channel());
  c.set_source_reference(application.source_reference());
  c.set_case_id(case_id);
  c.set_case_number(case_number);
  c.set_state(v1::CASE_STATE_APPLIED);
  c.set_public_notice_required(PublicNoticeRequired(c.kind(), c.right_kind()));
  *c.mutable_submitted_at() = ToTimestamp(ctx.now);
  Stamp(c, ctx.now);

  v1::CaseSubmitted e;
  e.set_case_id(c.case_id());
  e.set_case_number(c.case_number());
  e.set_region_code(c.region_code());
  e.set_kind(c.kind());
  e.set_right_kind(c.right_kind());
  e.set_unit_code(c.unit_code());
  e.set_channel(c.channel());
  e.set_source_reference(c.source_reference());
  *e.mutable_submitted_at() = c.submitted_at();
  t.events.push_back(DomainEvent::Of(std::move(e), c.case_id(), c.region_code()));
  return t;
}

Result<CaseTransition> Accept(const v1::RegistrationCase& c, const FlowContext& ctx) {
  if (c.state() != v1::CASE_STATE_APPLIED) return WrongState(c, "accepted", "APPLIED");
  const Date today = ChinaDate(ctx.now);
  const int days = ctx.limits->DaysFor(c.kind());
  const DeadlineRule rule = DueRule(today, days);
  NRP_ASSIGN_OR_RETURN(Deadline due, ctx.calendar->Compute(rule));
  CaseTransition t{c, {}};
  t.next.set_state(v1::CASE_STATE_ACCEPTED);
  *t.next.mutable_accepted_at() = ToTimestamp(ctx.now);
  *t.next.mutable_due_date() = ToProtoDate(due.date);
  service::FillCalendar(due.basis, t.next.mutable_due_date_calendar());
  t.next.set_time_limit_working_days(days);
  t.deadlines.push_back({"due_date", rule, due});
  Stamp(t.next, ctx.now);
  v1::CaseAccepted e;
  e.set_case_id(c.case_id());
  e.set_case_number(c.case_number());
  e.set_region_code(c.region_code());
  e.set_kind(c.kind());
  e.set_unit_code(c.unit_code());
  *e.mutable_accepted_at() = t.next.accepted_at();
  *e.mutable_due_date() = t.next.due_date();
  *e.mutable_due_date_calendar() = t.next.due_date_calendar();
  t.events.push_back(DomainEvent::Of(std::move(e), c.case_id(), c.region_code()));
  return t;
}

Result<CaseTransition> Refuse(const v1::RegistrationCase& c, const std::string& reason,
                              const FlowContext& ctx) {
  if (reason.empty()) {
    return Error::InvalidArgument("reason", "is required: the applicant is told why (不予受理)");
  }
  if (Utf8Length(reason) > 2000)
    return Error::InvalidArgument("reason", "must be at most 2000 characters");
  if (c.state() != v1::CASE_STATE_APPLIED) return WrongState(c, "refused", "APPLIED");
  CaseTransition t{c, {}};
  t.next.set_state(v1::CASE_STATE_REFUSED);
  t.next.set_refusal_reason(reason);
  Stamp(t.next, ctx.now);
  v1::CaseRefused e;
  e.set_case_id(c.case_id());
  e.set_region_code(c.region_code());
  e.set_unit_code(c.unit_code());
  e.set_reason(reason);
  *e.mutable_refused_at() = ToTimestamp(ctx.now);
  t.events.push_back(DomainEvent::Of(std::move(e), c.case_id(), c.region_code()));
  return t;
}

Result<CaseTransition> Review(const v1::RegistrationCase& c, v1::ReviewOutcome outcome,
                              const std::string& opinion, const FlowContext& ctx) {
  if (outcome != v1::REVIEW_OUTCOME_APPROVED && outcome != v1::REVIEW_OUTCOME_REJECTED) {
    return Error::InvalidArgument("outcome",
                                  "must be REVIEW_OUTCOME_APPROVED or REVIEW_OUTCOME_REJECTED");
  }
  if (outcome == v1::REVIEW_OUTCOME_REJECTED && opinion.empty()) {
    return Error::InvalidArgument("opinion", "is required when rejecting (不予登记)");
  }
  if (Utf8Length(opinion) > 2000)
    return Error::InvalidArgument("opinion", "must be at most 2000 characters");
  if (c.state() != v1::CASE_STATE_ACCEPTED) return WrongState(c, "reviewed", "ACCEPTED");
  CaseTransition t{c, {}};
  const bool approved = outcome == v1::REVIEW_OUTCOME_APPROVED;
  t.next.set_state(approved ? v1::CASE_STATE_REVIEWED : v1::CASE_STATE_REJECTED);
  t.next.set_review_opinion(opinion);
  if (!approved) t.next.set_refusal_reason(opinion);
  Stamp(t.next, ctx.now);
  v1::CaseReviewed e;
  e.set_case_id(c.case_id());
  e.set_region_code(c.region_code());
  e.set_unit_code(c.unit_code());
  e.set_outcome(outcome);
  e.set_opinion(opinion);
  e.set_public_notice_required(approved && c.public_notice_required());
  *e.mutable_reviewed_at() = ToTimestamp(ctx.now);
  t.events.push_back(DomainEvent::Of(std::move(e), c.case_id(), c.region_code()));
  return t;
}

Result<CaseTransition> StartNotice(const v1::RegistrationCase& c, const common::v1::Date& start_pb,
                                   int working_days, const FlowContext& ctx) {
  const int min_days = ctx.limits->min_notice_days;
  if (working_days == 0) working_days = min_days;
  if (working_days < min_days) {
    return Error::InvalidArgument("working_days", "must be at least " + std::to_string(min_days) +
                                                      " working days, got " +
                                                      std::to_string(working_days));
  }
  if (working_days > 250) return Error::InvalidArgument("working_days", "must be at most 250");
  NRP_ASSIGN_OR_RETURN(Date start, FromProtoDate(start_pb, "notice_start"));
  const Date today = ChinaDate(ctx.now);
  if (start < today) {
    return Error::InvalidArgument("notice_start",
                                  "must not be before today (" + today.ToString() + ")");
  }
  if (c.state() != v1::CASE_STATE_REVIEWED)
    return WrongState(c, "put on public notice", "REVIEWED");
  if (!c.public_notice_required()) {
    return Error::FailedPrecondition("NOTICE_NOT_REQUIRED", "cases/" + c.case_id(),
                                     "case " + c.case_id() + " (" + KindName(c.kind()) + " of " +
                                         v1::RightKind_Name(c.right_kind()) +
                                         ") needs no public notice; record it directly");
  }
  const DeadlineRule notice_rule = NoticeRule(start, working_days);
  NRP_ASSIGN_OR_RETURN(Deadline end, ctx.calendar->Compute(notice_rule));
  CaseTransition t{c, {}};
  t.next.set_state(v1::CASE_STATE_PUBLIC_NOTICE);
  *t.next.mutable_notice_start() = ToProtoDate(start);
  *t.next.mutable_notice_end() = ToProtoDate(end.date);
  service::FillCalendar(end.basis, t.next.mutable_notice_end_calendar());
  t.deadlines.push_back({"notice_end", notice_rule, end});
  // The notice period does not count against the time limit: the due date is counted from
  // the acceptance day by the time limit, then the notice's working days.
  if (IsSet(c.due_date())) {
    const int days = c.time_limit_working_days() > 0 ? c.time_limit_working_days()
                                                     : ctx.limits->DaysFor(c.kind());
    const DeadlineRule due_rule = DueRule(ChinaDate(FromTimestamp(c.accepted_at())), days)
                                      .Then(WorkingDayStep::Kind::kAfter, working_days);
    NRP_ASSIGN_OR_RETURN(Deadline moved, ctx.calendar->Compute(due_rule));
    *t.next.mutable_due_date() = ToProtoDate(moved.date);
    service::FillCalendar(moved.basis, t.next.mutable_due_date_calendar());
    t.deadlines.push_back({"due_date", due_rule, moved});
  }
  Stamp(t.next, ctx.now);
  v1::CasePublicNoticeStarted e;
  e.set_case_id(c.case_id());
  e.set_region_code(c.region_code());
  e.set_unit_code(c.unit_code());
  *e.mutable_notice_start() = t.next.notice_start();
  *e.mutable_notice_end() = t.next.notice_end();
  *e.mutable_notice_end_calendar() = t.next.notice_end_calendar();
  t.events.push_back(DomainEvent::Of(std::move(e), c.case_id(), c.region_code()));
  return t;
}

Result<std::optional<CaseTransition>> RecountCaseDeadline(
    const v1::RegistrationCase& c, const std::string& name, const Date& old_date,
    const std::string& old_calendar, const Deadline& now, const FlowContext& ctx) {
  const bool open = c.state() == v1::CASE_STATE_ACCEPTED || c.state() == v1::CASE_STATE_REVIEWED ||
                    c.state() == v1::CASE_STATE_PUBLIC_NOTICE;
  if (!open) return std::optional<CaseTransition>();
  if (name == "notice_end" && c.state() != v1::CASE_STATE_PUBLIC_NOTICE) {
    return std::optional<CaseTransition>();
  }
  if (name != "due_date" && name != "notice_end") {
    return Error::InvalidArgument("deadline", "a case has no deadline '" + name + "'");
  }
  CaseTransition t{c, {}};
  if (name == "due_date") {
    *t.next.mutable_due_date() = ToProtoDate(now.date);
    service::FillCalendar(now.basis, t.next.mutable_due_date_calendar());
  } else {
    *t.next.mutable_notice_end() = ToProtoDate(now.date);
    service::FillCalendar(now.basis, t.next.mutable_notice_end_calendar());
  }
  if (!(old_date == now.date)) {
    Stamp(t.next, ctx.now);
    v1::CaseDeadlineMoved e;
    e.set_case_id(c.case_id());
    e.set_region_code(c.region_code());
    e.set_unit_code(c.unit_code());
    e.set_deadline(name);
    *e.mutable_old_date() = ToProtoDate(old_date);
    *e.mutable_new_date() = ToProtoDate(now.date);
    e.set_old_calendar(old_calendar);
    service::FillCalendar(now.basis, e.mutable_calendar());
    *e.mutable_moved_at() = ToTimestamp(ctx.now);
    t.events.push_back(DomainEvent::Of(std::move(e), c.case_id(), c.region_code()));
  }
  return std::optional<CaseTransition>(std::move(t));
}

Status CheckRecordable(const v1::RegistrationCase& c, const FlowContext& ctx) {
  if (c.state() == v1::CASE_STATE_REVIEWED) {
    if (c.public_notice_required()) {
      return Error::FailedPrecondition(
          "NOTICE_REQUIRED", "cases/" + c.case_id(),
          "case " + c.case_id() + " needs a public notice of at least " +
              std::to_string(ctx.limits->min_notice_days) +
              " working days before it can be recorded (实施细则 art. 17)");
    }
    return Ok();
  }
  if (c.state() == v1::CASE_STATE_PUBLIC_NOTICE) {
    NRP_ASSIGN_OR_RETURN(Date end, FromProtoDate(c.notice_end(), "notice_end"));
    const Date today = ChinaDate(ctx.now);
    if (!(end < today)) {
      return Error::FailedPrecondition("NOTICE_NOT_ENDED", "cases/" + c.case_id(),
                                       "the public notice of case " + c.case_id() + " runs until " +
                                           end.ToString() + "; it can be recorded from " +
                                           end.AddDays(1).ToString());
    }
    return Ok();
  }
  return WrongState(c, "recorded", "REVIEWED or PUBLIC_NOTICE");
}

Result<CaseTransition> MarkRecorded(const v1::RegistrationCase& c,
                                    const std::vector<std::string>& entry_ids,
                                    const std::string& certificate_number, const FlowContext& ctx) {
  NRP_RETURN_IF_ERROR(CheckRecordable(c, ctx));
  CaseTransition t{c, {}};
  t.next.set_state(v1::CASE_STATE_RECORDED);
  *t.next.mutable_recorded_at() = ToTimestamp(ctx.now);
  t.next.clear_entry_ids();
  for (const auto& id : entry_ids) t.next.add_entry_ids(id);
  t.next.set_certificate_number(certificate_number);
  bool late = false;
  if (IsSet(c.due_date())) {
    auto due = FromProtoDate(c.due_date(), "due_date");
    late = due.ok() && *due < ChinaDate(ctx.now);
  }
  t.next.set_overdue(c.overdue() || late);
  Stamp(t.next, ctx.now);
  v1::CaseRecorded e;
  e.set_case_id(c.case_id());
  e.set_region_code(c.region_code());
  e.set_unit_code(c.unit_code());
  e.set_kind(c.kind());
  e.set_right_kind(c.right_kind());
  for (const auto& id : entry_ids) e.add_entry_ids(id);
  e.set_certificate_number(certificate_number);
  *e.mutable_recorded_at() = t.next.recorded_at();
  e.set_overdue(t.next.overdue());
  t.events.push_back(DomainEvent::Of(std::move(e), c.case_id(), c.region_code()));
  return t;
}

Result<CaseTransition> Issue(const v1::RegistrationCase& c, v1::CertificateDelivery delivery,
                             const common::v1::Party& recipient, const FlowContext& ctx) {
  if (delivery == v1::CERTIFICATE_DELIVERY_UNSPECIFIED ||
      !v1::CertificateDelivery_IsValid(delivery)) {
    return Error::InvalidArgument("delivery", "must be PAPER, ELECTRONIC or PAPER_AND_ELECTRONIC");
  }
  NRP_RETURN_IF_ERROR(ValidateParty(recipient, "recipient"));
  if (c.state() != v1::CASE_STATE_RECORDED) return WrongState(c, "given a certificate", "RECORDED");
  if (c.certificate_number().empty()) {
    return Error::FailedPrecondition(
        "NO_CERTIFICATE", "cases/" + c.case_id(),
        "a " + KindName(c.kind()) + " registration produces no certificate or proof");
  }
  CaseTransition t{c, {}};
  t.next.set_state(v1::CASE_STATE_CERTIFICATE_ISSUED);
  *t.next.mutable_certificate_issued_at() = ToTimestamp(ctx.now);
  Stamp(t.next, ctx.now);
  return t;
}

Result<CaseTransition> Withdraw(const v1::RegistrationCase& c, const std::string& reason,
                                const FlowContext& ctx) {
  if (reason.empty()) return Error::InvalidArgument("reason", "is required");
  if (Utf8Length(reason) > 2000)
    return Error::InvalidArgument("reason", "must be at most 2000 characters");
  if (!IsOpen(c.state())) {
    return WrongState(c, "withdrawn", "APPLIED, ACCEPTED, REVIEWED or PUBLIC_NOTICE");
  }
  CaseTransition t{c, {}};
  t.next.set_state(v1::CASE_STATE_WITHDRAWN);
  t.next.set_withdrawal_reason(reason);
  Stamp(t.next, ctx.now);
  v1::CaseWithdrawn e;
  e.set_case_id(c.case_id());
  e.set_region_code(c.region_code());
  e.set_unit_code(c.unit_code());
  e.set_reason(reason);
  *e.mutable_withdrawn_at() = ToTimestamp(ctx.now);
  t.events.push_back(DomainEvent::Of(std::move(e), c.case_id(), c.region_code()));
  return t;
}

std::optional<CaseTransition> DetectOverdue(const v1::RegistrationCase& c, const FlowContext& ctx) {
  if (c.overdue()) return std::nullopt;
  if (c.state() != v1::CASE_STATE_ACCEPTED && c.state() != v1::CASE_STATE_REVIEWED &&
      c.state() != v1::CASE_STATE_PUBLIC_NOTICE) {
    return std::nullopt;
  }
  if (!IsSet(c.due_date())) return std::nullopt;
  auto due = FromProtoDate(c.due_date(), "due_date");
  if (!due.ok() || !(*due < ChinaDate(ctx.now))) return std::nullopt;
  CaseTransition t{c, {}};
  t.next.set_overdue(true);
  Stamp(t.next, ctx.now);
  v1::CaseOverdue e;
  e.set_case_id(c.case_id());
  e.set_case_number(c.case_number());
  e.set_region_code(c.region_code());
  e.set_unit_code(c.unit_code());
  e.set_kind(c.kind());
  e.set_state(c.state());
  *e.mutable_due_date() = c.due_date();
  *e.mutable_due_date_calendar() = c.due_date_calendar();
  *e.mutable_detected_at() = ToTimestamp(ctx.now);
  t.events.push_back(DomainEvent::Of(std::move(e), c.case_id(), c.region_code()));
  return t;
}

}  // namespace nrp::registration
