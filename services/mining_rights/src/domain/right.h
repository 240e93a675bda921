// The lifecycle of a right (MiningRightState) as functions from (right, command, now) to
// the right after the command and what happened, or an error:
//
//   GrantRight ──> VALID ──Extend / Transfer / Change──> VALID
//                  VALID ──Split / Merge──> SUPERSEDED (the parts or the merged right are new)
//                  VALID ──Lapse (on the day after valid_to)──> EXPIRED (自行废止)
//                  VALID ──CloseMine──> CLOSED (闭坑, cancellation pending)
//          VALID / CLOSED ──Cancel, restoration duty fulfilled──> CANCELLED (注销)
//          VALID / CLOSED ──Cancel, duty unfulfilled──> CLOSED awaiting restoration
//   CLOSED awaiting restoration ──RestorationFulfilled──> CANCELLED when a cancellation
//                  waits, else CLOSED
//
// "Awaiting restoration" is the contract's CLOSED with restoration_pending: closure or
// cancellation of a right whose restoration duty is unfulfilled waits there and completes
// only when the obligation is reported fulfilled (domain.md: "cancellation or closure …
// with the duty unfulfilled creates a restoration obligation").
//
// And the annual report (年度信息公示): due by 30 June of the following year; a right
// without it is listed abnormal (异常名录) on 1 July and removed when it reports.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "domain/rules.h"
#include "domain/types.h"

namespace nrp::mining_rights {

struct MiningRight {
  std::string right_id;
  RightKind kind = RightKind::kUnspecified;
  std::string holder_id;
  RightState state = RightState::kUnspecified;
  ScaleClass scale_class = ScaleClass::kUnspecified;  // of a mine's production
  Date valid_from;                                    // first day of validity
  Date valid_to;                                      // last day of validity
  int extension_count = 0;
  // CLOSED and waiting for the restoration duty to be fulfilled.
  bool restoration_pending = false;
  // A cancellation asked for while the duty was unfulfilled; done on fulfilment.
  std::optional<CancellationReason> pending_cancellation;
};

// The instant a right not extended lapses: 00:00 China time on the day after valid_to.
TimePoint LapsesAt(const MiningRight& r);
// Whether, at `now`, a right's validity has run out (whatever its recorded state).
bool IsLapsed(const MiningRight& r, TimePoint now);

struct GrantRightCommand {
  std::string right_id;
  RightKind kind = RightKind::kUnspecified;
  std::string holder_id;
  ScaleClass scale_class = ScaleClass::kUnspecified;
  Date valid_from;
  int term_years = 0;
};
// A VALID right from valid_from for the term (CheckTerm's errors; INVALID_ARGUMENT
// "holder" when none).
Result<MiningRight> GrantRight(const GrantRightCommand& c);

struct ExtendCommand {
  Date applied_on;
  Date new_valid_to;
};
struct TransferCommand {
  std::string new_holder_id;
};
struct ChangeCommand {};
struct SplitCommand {};
struct MergeCommand {};
struct CloseMineCommand {
  Date closed_on;
  bool restoration_fulfilled = false;
};
struct CancelCommand {
  CancellationReason reason = CancellationReason::kUnspecified;
  bool restoration_fulfilled = false;
};
struct RestorationFulfilledCommand {};
struct LapseCommand {
  // An extension applied for in time is still being decided.
  bool extension_pending = false;
};
using RightCommand =
    std::variant<ExtendCommand, TransferCommand, ChangeCommand, SplitCommand, MergeCommand,
                 CloseMineCommand, CancelCommand, RestorationFulfilledCommand, LapseCommand>;

// What a command did, for the events the service publishes.
enum class RightEvent {
  kExtended,
  kTransferred,
  kChanged,
  kSplit,
  kMerged,
  kMineClosed,
  kAwaitingRestoration,  // closure or cancellation waits for the restoration duty
  kRestorationFulfilled,
  kCancelled,
  kExpired,
};

struct Transition {
  MiningRight right;
  std::vector<RightEvent> events;
};

// Refusals (FAILED_PRECONDITION): RIGHT_STATE (the command needs another state),
// RIGHT_LAPSED (a VALID right past its lapse instant cannot be transferred, changed, split
// or merged), the extension's (terms.h: EXTENSION_APPLIED_TOO_LATE, EXTENSION_TOO_LONG),
// NOT_A_MINING_RIGHT (closure of an exploration right), CANCELLATION_REASON_KIND (mine
// closure for an exploration right, end of exploration for a mining right),
// NO_RESTORATION_PENDING, NOT_YET_LAPSED, EXTENSION_PENDING. INVALID_ARGUMENT for an
// application dated after `now` ("applied_on"), a transfer to nobody or to the holder
// ("new_holder"), a cancellation without a reason ("reason").
Result<Transition> Apply(const MiningRight& r, const RightCommand& c, TimePoint now,
                         const Rules& rules);

// ---------------------------------------------------------------- annual reports

// The report on `year` is due by 30 June of the next year (China date, inclusive).
Date AnnualReportDueDate(int year);
// A right without the report is listed abnormal on 1 July of the next year.
Date AbnormalListingDate(int year);
// Whether a report on `year` submitted at `submitted_at` came after the due date.
bool IsReportLate(int year, TimePoint submitted_at);

// Accepts a report on `year` submitted at `submitted_at` and says whether it is late.
// FAILED_PRECONDITION REPORT_YEAR_NOT_ENDED (the year is not over in China),
// REPORT_YEAR_BEFORE_GRANT (the year ended before the right began), RIGHT_STATE (the right
// is neither VALID nor CLOSED).
Result<bool> CheckAnnualReport(const MiningRight& r, int year, TimePoint submitted_at);

struct ReportingRight {
  MiningRight right;
  std::set<int> reported_years;
};
struct AbnormalListing {
  std::string right_id;
  int year = 0;
  bool operator==(const AbnormalListing&) const = default;
  auto operator<=>(const AbnormalListing&) const = default;
};

// Every (right, year) that is abnormal on the China date `today`: a VALID or CLOSED right
// without a report on a year Y from `first_year` (when the platform began to collect
// reports) on, within the right's validity (valid_from's year to valid_to's year), with
// AbnormalListingDate(Y) on or before today. Sorted by right id, then year.
std::vector<AbnormalListing> AbnormalOn(const std::vector<ReportingRight>& rights, Date today,
                                        int first_year);

struct AbnormalListChanges {
  std::vector<AbnormalListing> to_list;    // abnormal and not yet listed
  std::vector<AbnormalListing> to_remove;  // listed, and the right has reported since
};
// What the abnormal list must gain and lose on `today`, given the entries listed now.
AbnormalListChanges ReconcileAbnormalList(const std::vector<AbnormalListing>& listed,
                                          const std::vector<ReportingRight>& rights, Date today,
                                          int first_year);

}  // namespace nrp::mining_rights
