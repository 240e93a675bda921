// The registration case (登记业务) and its flow (不动产登记暂行条例 arts. 16-22; 实施细则):
//
//   APPLIED ─accept─► ACCEPTED ─review(approved)─► REVIEWED ─[notice ≥ 15 working days]─►
//   PUBLIC_NOTICE ─record─► RECORDED ─issue─► CERTIFICATE_ISSUED
//   APPLIED ─refuse─► REFUSED;  ACCEPTED ─review(rejected)─► REJECTED;
//   APPLIED/ACCEPTED/REVIEWED/PUBLIC_NOTICE ─withdraw─► WITHDRAWN
//
// Every function takes the case as it is and a command and returns the case as it becomes
// with the events to publish, or the error the caller sees. No I/O.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "domain/events.h"
#include "domain/time_limits.h"
#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"
#include "nrp/registration/v1/resources.pb.h"

namespace nrp::registration {

struct CaseTransition {
  v1::RegistrationCase next;
  DomainEvents events;
  // Deadlines the transition set, to keep with their rules.
  std::vector<DeadlineSet> deadlines = {};
};

// What the flow needs besides the case: the time, the calendar and the time limits.
struct FlowContext {
  TimePoint now;
  // The calendar in force when the operation began (held for the whole operation).
  std::shared_ptr<const WorkingCalendar> calendar;
  const TimeLimits* limits = nullptr;
};

// Whether the law asks for a public notice before recording (实施细则 art. 17): first
// registration of collective land ownership, homestead use rights (with houses), collective
// construction-land use rights (with buildings) and land contract management rights.
bool PublicNoticeRequired(v1::RegistrationKind kind, v1::RightKind right_kind);

// Whether a kind of registration needs a right kind on the case (all but seizure, its release,
// objection and advance notice).
bool NeedsRightKind(v1::RegistrationKind kind);

// An application that passed its checks (field names start with "registration_case."):
// the only way to open a case, so an application is validated once, before anything is drawn
// or stored for it.
class Application {
 public:
  static Result<Application> Validate(const v1::RegistrationCase& application);
  const v1::RegistrationCase& get() const { return application_; }

 private:
  explicit Application(const v1::RegistrationCase& a) : application_(a) {}
  v1::RegistrationCase application_;
};

// Opens the case in APPLIED with the given id and acceptance number. Event: CaseSubmitted.
CaseTransition Submit(const Application& application, const std::string& case_id,
                      const std::string& case_number, const FlowContext& ctx);
// Validate, then Submit.
Result<CaseTransition> Submit(const v1::RegistrationCase& application, const std::string& case_id,
                              const std::string& case_number, const FlowContext& ctx);

// "<region>-<year>-<7-digit sequence>", e.g. "410302-2026-0000123".
std::string FormatCaseNumber(const std::string& region_code, int year, int64_t sequence);

// APPLIED → ACCEPTED; the due date is the kind's time limit in working days after the
// acceptance day, with the calendar that counted it. Event: CaseAccepted.
Result<CaseTransition> Accept(const v1::RegistrationCase& c, const FlowContext& ctx);
// APPLIED → REFUSED with the reason (required). Event: CaseRefused.
Result<CaseTransition> Refuse(const v1::RegistrationCase& c, const std::string& reason,
                              const FlowContext& ctx);
// ACCEPTED → REVIEWED (approved) or REJECTED (opinion required). Event: CaseReviewed.
Result<CaseTransition> Review(const v1::RegistrationCase& c, v1::ReviewOutcome outcome,
                              const std::string& opinion, const FlowContext& ctx);
// REVIEWED (notice required) → PUBLIC_NOTICE from `start` (not before today) for
// `working_days` (0 = the minimum, never less than it). The notice time does not count
// against the time limit: the due date moves by the notice's working days.
// Event: CasePublicNoticeStarted.
Result<CaseTransition> StartNotice(const v1::RegistrationCase& c, const common::v1::Date& start,
                                   int working_days, const FlowContext& ctx);
// FAILED_PRECONDITION unless the case may be recorded now: REVIEWED without a required
// notice, or PUBLIC_NOTICE after the notice's last day.
Status CheckRecordable(const v1::RegistrationCase& c, const FlowContext& ctx);
// → RECORDED with the entries and certificate number produced by the register.
// Event: CaseRecorded.
Result<CaseTransition> MarkRecorded(const v1::RegistrationCase& c,
                                    const std::vector<std::string>& entry_ids,
                                    const std::string& certificate_number, const FlowContext& ctx);
// RECORDED → CERTIFICATE_ISSUED; FAILED_PRECONDITION for kinds without certificate. The
// CertificateIssued event is built by the caller from the certificate.
Result<CaseTransition> Issue(const v1::RegistrationCase& c, v1::CertificateDelivery delivery,
                             const common::v1::Party& recipient, const FlowContext& ctx);
// Open case → WITHDRAWN with the reason (required). Event: CaseWithdrawn.
Result<CaseTransition> Withdraw(const v1::RegistrationCase& c, const std::string& reason,
                                const FlowContext& ctx);
// The case passed its due date unrecorded and has not been flagged yet: flags it and returns
// the CaseOverdue event; nullopt otherwise (raised once per case).
std::optional<CaseTransition> DetectOverdue(const v1::RegistrationCase& c, const FlowContext& ctx);

// True for APPLIED, ACCEPTED, REVIEWED and PUBLIC_NOTICE.
bool IsOpen(v1::CaseState state);
// Short state name for messages: "ACCEPTED".
std::string StateName(v1::CaseState state);

}  // namespace nrp::registration

namespace nrp::registration {
// Applies a recount of the case's deadline `name` ("due_date" or "notice_end") after a
// calendar change. nullopt when the case no longer waits on it (closed, or the notice is
// over); otherwise the case as it becomes and, when the date moved, CaseDeadlineMoved.
Result<std::optional<CaseTransition>> RecountCaseDeadline(
    const v1::RegistrationCase& c, const std::string& name, const Date& old_date,
    const std::string& old_calendar, const Deadline& now, const FlowContext& ctx);
}  // namespace nrp::registration
