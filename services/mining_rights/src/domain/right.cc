#include "domain/right.h"

#include <algorithm>
#include <map>

#include "domain/terms.h"

namespace nrp::mining_rights {

namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

Error StateError(const MiningRight& r, std::string_view needed, std::string_view action) {
  return Error::FailedPrecondition(
      "RIGHT_STATE", r.right_id,
      "right " + r.right_id + " is " + std::string(RightStateName(r.state)) + "; only a " +
          std::string(needed) + " right can be " + std::string(action));
}

Status RequireValid(const MiningRight& r, std::string_view action) {
  if (r.state != RightState::kValid) return StateError(r, "VALID", action);
  return Ok();
}

Status RequireNotLapsed(const MiningRight& r, TimePoint now, std::string_view action) {
  if (IsLapsed(r, now)) {
    return Error::FailedPrecondition("RIGHT_LAPSED", r.right_id,
                                     "right " + r.right_id + " lapsed at the end of " +
                                         r.valid_to.ToString() + " (China time) and cannot be " +
                                         std::string(action));
  }
  return Ok();
}

Transition Cancelled(MiningRight r, std::vector<RightEvent> events) {
  r.state = RightState::kCancelled;
  r.restoration_pending = false;
  r.pending_cancellation.reset();
  events.push_back(RightEvent::kCancelled);
  return {std::move(r), std::move(events)};
}

}  // namespace

TimePoint LapsesAt(const MiningRight& r) { return LapseInstant(r.valid_to); }

bool IsLapsed(const MiningRight& r, TimePoint now) { return now >= LapsesAt(r); }

Result<MiningRight> GrantRight(const GrantRightCommand& c) {
  NRP_RETURN_IF_ERROR(CheckTerm(c.kind, c.scale_class, c.term_years));
  if (c.holder_id.empty()) return Error::InvalidArgument("holder", "is required");
  MiningRight r;
  r.right_id = c.right_id;
  r.kind = c.kind;
  r.holder_id = c.holder_id;
  r.state = RightState::kValid;
  r.scale_class = c.scale_class;
  r.valid_from = c.valid_from;
  r.valid_to = TermEnd(c.valid_from, c.term_years);
  return r;
}

Result<Transition> Apply(const MiningRight& r, const RightCommand& command, TimePoint now,
                         const Rules& rules) {
  return std::visit(
      Overloaded{
          [&](const ExtendCommand& c) -> Result<Transition> {
            NRP_RETURN_IF_ERROR(RequireValid(r, "extended"));
            if (c.applied_on > DateInChina(now)) {
              return Error::InvalidArgument("applied_on", c.applied_on.ToString() +
                                                              " is after today (" +
                                                              DateInChina(now).ToString() + ")");
            }
            // A right whose extension was applied for in time stays extendable while the
            // application is decided, even past valid_to.
            NRP_RETURN_IF_ERROR(CheckExtension(
                {r.right_id, r.kind, r.scale_class, r.valid_to, c.applied_on, c.new_valid_to},
                rules));
            MiningRight next = r;
            next.valid_to = c.new_valid_to;
            next.extension_count++;
            return Transition{std::move(next), {RightEvent::kExtended}};
          },
          [&](const TransferCommand& c) -> Result<Transition> {
            NRP_RETURN_IF_ERROR(RequireValid(r, "transferred"));
            NRP_RETURN_IF_ERROR(RequireNotLapsed(r, now, "transferred"));
            if (c.new_holder_id.empty()) return Error::InvalidArgument("new_holder", "is required");
            if (c.new_holder_id == r.holder_id) {
              return Error::InvalidArgument("new_holder",
                                            c.new_holder_id + " already holds right " + r.right_id);
            }
            MiningRight next = r;
            next.holder_id = c.new_holder_id;
            return Transition{std::move(next), {RightEvent::kTransferred}};
          },
          [&](const ChangeCommand&) -> Result<Transition> {
            NRP_RETURN_IF_ERROR(RequireValid(r, "changed"));
            NRP_RETURN_IF_ERROR(RequireNotLapsed(r, now, "changed"));
            return Transition{r, {RightEvent::kChanged}};
          },
          [&](const SplitCommand&) -> Result<Transition> {
            NRP_RETURN_IF_ERROR(RequireValid(r, "split"));
            NRP_RETURN_IF_ERROR(RequireNotLapsed(r, now, "split"));
            MiningRight next = r;
            next.state = RightState::kSuperseded;
            return Transition{std::move(next), {RightEvent::kSplit}};
          },
          [&](const MergeCommand&) -> Result<Transition> {
            NRP_RETURN_IF_ERROR(RequireValid(r, "merged"));
            NRP_RETURN_IF_ERROR(RequireNotLapsed(r, now, "merged"));
            MiningRight next = r;
            next.state = RightState::kSuperseded;
            return Transition{std::move(next), {RightEvent::kMerged}};
          },
          [&](const CloseMineCommand& c) -> Result<Transition> {
            if (r.kind != RightKind::kMining) {
              return Error::FailedPrecondition(
                  "NOT_A_MINING_RIGHT", r.right_id,
                  "right " + r.right_id + " is an exploration right; only a mine is closed (闭坑)");
            }
            NRP_RETURN_IF_ERROR(RequireValid(r, "closed"));
            MiningRight next = r;
            next.state = RightState::kClosed;
            next.restoration_pending = !c.restoration_fulfilled;
            std::vector<RightEvent> events = {RightEvent::kMineClosed};
            if (next.restoration_pending) events.push_back(RightEvent::kAwaitingRestoration);
            return Transition{std::move(next), std::move(events)};
          },
          [&](const CancelCommand& c) -> Result<Transition> {
            if (c.reason == CancellationReason::kUnspecified) {
              return Error::InvalidArgument("reason", "is required");
            }
            if (r.state != RightState::kValid && r.state != RightState::kClosed) {
              return StateError(r, "VALID or CLOSED", "cancelled");
            }
            if ((c.reason == CancellationReason::kMineClosure && r.kind != RightKind::kMining) ||
                (c.reason == CancellationReason::kExplorationEnded &&
                 r.kind != RightKind::kExploration)) {
              return Error::FailedPrecondition("CANCELLATION_REASON_KIND", r.right_id,
                                               "right " + r.right_id + " is a " +
                                                   std::string(RightKindName(r.kind)) +
                                                   " right and is not cancelled for " +
                                                   std::string(CancellationReasonName(c.reason)));
            }
            if (c.restoration_fulfilled) return Cancelled(r, {});
            MiningRight next = r;
            next.state = RightState::kClosed;
            next.restoration_pending = true;
            next.pending_cancellation = c.reason;
            return Transition{std::move(next), {RightEvent::kAwaitingRestoration}};
          },
          [&](const RestorationFulfilledCommand&) -> Result<Transition> {
            if (r.state != RightState::kClosed || !r.restoration_pending) {
              return Error::FailedPrecondition("NO_RESTORATION_PENDING", r.right_id,
                                               "right " + r.right_id + " is " +
                                                   std::string(RightStateName(r.state)) +
                                                   " and does not wait for its restoration duty");
            }
            if (r.pending_cancellation) return Cancelled(r, {RightEvent::kRestorationFulfilled});
            MiningRight next = r;
            next.restoration_pending = false;
            return Transition{std::move(next), {RightEvent::kRestorationFulfilled}};
          },
          [&](const LapseCommand& c) -> Result<Transition> {
            NRP_RETURN_IF_ERROR(RequireValid(r, "lapsed"));
            if (!IsLapsed(r, now)) {
              return Error::FailedPrecondition("NOT_YET_LAPSED", r.right_id,
                                               "right " + r.right_id + " is valid to " +
                                                   r.valid_to.ToString() + " and lapses at " +
                                                   FormatRfc3339(LapsesAt(r)) + ", not before");
            }
            if (c.extension_pending) {
              return Error::FailedPrecondition(
                  "EXTENSION_PENDING", r.right_id,
                  "right " + r.right_id +
                      " has an extension applied for in time and still being decided");
            }
            MiningRight next = r;
            next.state = RightState::kExpired;
            return Transition{std::move(next), {RightEvent::kExpired}};
          },
      },
      command);
}

// ---------------------------------------------------------------- annual reports

Date AnnualReportDueDate(int year) { return Date(year + 1, 6, 30); }

Date AbnormalListingDate(int year) { return Date(year + 1, 7, 1); }

bool IsReportLate(int year, TimePoint submitted_at) {
  return DateInChina(submitted_at) > AnnualReportDueDate(year);
}

Result<bool> CheckAnnualReport(const MiningRight& r, int year, TimePoint submitted_at) {
  if (r.state != RightState::kValid && r.state != RightState::kClosed) {
    return StateError(r, "VALID or CLOSED", "reported on");
  }
  const Date today = DateInChina(submitted_at);
  if (year >= today.year()) {
    return Error::FailedPrecondition("REPORT_YEAR_NOT_ENDED", r.right_id,
                                     "the report on " + std::to_string(year) +
                                         " is made once the year is over; today is " +
                                         today.ToString() + " in China");
  }
  if (year < r.valid_from.year()) {
    return Error::FailedPrecondition("REPORT_YEAR_BEFORE_GRANT", r.right_id,
                                     "right " + r.right_id + " is valid from " +
                                         r.valid_from.ToString() + "; there is no report on " +
                                         std::to_string(year));
  }
  return IsReportLate(year, submitted_at);
}

std::vector<AbnormalListing> AbnormalOn(const std::vector<ReportingRight>& rights, Date today,
                                        int first_year) {
  std::vector<AbnormalListing> out;
  for (const auto& rr : rights) {
    const MiningRight& r = rr.right;
    if (r.state != RightState::kValid && r.state != RightState::kClosed) continue;
    const int from = std::max(first_year, r.valid_from.year());
    for (int y = from; y <= r.valid_to.year(); ++y) {
      if (AbnormalListingDate(y) > today) break;
      if (!rr.reported_years.count(y)) out.push_back({r.right_id, y});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

AbnormalListChanges ReconcileAbnormalList(const std::vector<AbnormalListing>& listed,
                                          const std::vector<ReportingRight>& rights, Date today,
                                          int first_year) {
  AbnormalListChanges out;
  std::set<AbnormalListing> current(listed.begin(), listed.end());
  for (auto& a : AbnormalOn(rights, today, first_year)) {
    if (!current.count(a)) out.to_list.push_back(a);
  }
  std::map<std::string, const ReportingRight*> by_id;
  for (const auto& rr : rights) by_id[rr.right.right_id] = &rr;
  for (const auto& a : current) {
    auto it = by_id.find(a.right_id);
    if (it != by_id.end() && it->second->reported_years.count(a.year)) out.to_remove.push_back(a);
  }
  return out;
}

}  // namespace nrp::mining_rights
