#include "nrp/service/deadlines.h"

#include "nrp/core/log.h"
#include "nrp/db/transaction.h"

namespace nrp::service {

void Deadlines::Put(pqxx::dbtransaction& tx, std::string_view subject, std::string_view name,
                    const DeadlineRule& rule, const Deadline& deadline, TimePoint now) {
  tx.exec_params0(
      "INSERT INTO deadlines (subject, name, rule, due, calendar, provisional, calendar_digest, "
      "first_year, last_year, open, created_at) "
      "VALUES ($1, $2, $3, $4::date, $5, $6, $7, $8, $9, true, $10::timestamptz) "
      "ON CONFLICT (subject, name) DO UPDATE SET rule = EXCLUDED.rule, due = EXCLUDED.due, "
      "calendar = EXCLUDED.calendar, provisional = EXCLUDED.provisional, "
      "calendar_digest = EXCLUDED.calendar_digest, first_year = EXCLUDED.first_year, "
      "last_year = EXCLUDED.last_year, open = true, recounted_at = NULL",
      std::string(subject), std::string(name), rule.ToString(), deadline.date.ToString(),
      deadline.basis.label, deadline.basis.provisional(), deadline.basis.digest,
      deadline.basis.first_year, deadline.basis.last_year, FormatRfc3339(now));
}

void Deadlines::Close(pqxx::dbtransaction& tx, std::string_view subject, std::string_view name) {
  if (name.empty()) {
    tx.exec_params0("UPDATE deadlines SET open = false WHERE subject = $1 AND open",
                    std::string(subject));
  } else {
    tx.exec_params0("UPDATE deadlines SET open = false WHERE subject = $1 AND name = $2 AND open",
                    std::string(subject), std::string(name));
  }
}

void Deadlines::Handle(std::string prefix, DeadlineApplier applier) {
  appliers_[std::move(prefix)] = std::move(applier);
}

Result<RecountReport> Deadlines::Recount(const WorkingCalendar& calendar) {
  RecountReport report;
  // Page through the open deadlines by key; each stale one is recounted in a transaction of
  // its own, so one that fails (its subject's applier refuses) holds up no other.
  std::string after_subject, after_name;
  constexpr int kPage = 500;
  while (true) {
    struct Row {
      std::string subject, name, digest;
      int first_year, last_year;
    };
    std::vector<Row> rows;
    auto page = db::Transact(pool_, [&](pqxx::work& tx) -> Status {
      rows.clear();
      auto r = tx.exec_params(
          "SELECT subject, name, calendar_digest, first_year, last_year FROM deadlines "
          "WHERE open AND (subject, name) > ($1, $2) ORDER BY subject, name LIMIT $3",
          after_subject, after_name, kPage);
      for (const auto& row : r) {
        rows.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                        row[2].as<std::string>(), row[3].as<int>(), row[4].as<int>()});
      }
      return Ok();
    });
    if (!page.ok()) return std::move(page.error());
    for (const Row& row : rows) {
      ++report.examined;
      if (calendar.BasisFor(row.first_year, row.last_year).digest == row.digest) continue;
      auto one = RecountOne(calendar, row.subject, row.name, report);
      if (!one.ok()) {
        ++report.failed;
        log::Error(
            "deadline recount failed; it is tried again on the next recount",
            {{"subject", row.subject}, {"deadline", row.name}, {"error", one.error().ToString()}});
      }
    }
    if (int(rows.size()) < kPage) break;
    after_subject = rows.back().subject;
    after_name = rows.back().name;
  }
  if (report.recounted > 0 || report.failed > 0) {
    log::Info("deadlines recounted", {{"examined", report.examined},
                                      {"recounted", report.recounted},
                                      {"moved", report.moved},
                                      {"closed", report.closed},
                                      {"failed", report.failed}});
  }
  return report;
}

Status Deadlines::RecountOne(const WorkingCalendar& calendar, const std::string& subject,
                             const std::string& name, RecountReport& report) {
  const DeadlineApplier* applier = nullptr;
  for (const auto& [prefix, fn] : appliers_) {
    if (subject.rfind(prefix, 0) == 0) applier = &fn;
  }
  if (applier == nullptr) {
    return Error::Internal("no recount applier for deadline subject '" + subject + "'");
  }
  enum class Outcome { kSkipped, kRecounted, kMoved, kClosed };
  auto outcome = db::Transact(pool_, [&](pqxx::work& tx) -> Result<Outcome> {
    auto r = tx.exec_params(
        "SELECT rule, due::text, calendar, calendar_digest, first_year, last_year FROM deadlines "
        "WHERE subject = $1 AND name = $2 AND open FOR UPDATE SKIP LOCKED",
        subject, name);
    if (r.empty()) return Outcome::kSkipped;  // another replica has it, or it closed
    const auto& row = r[0];
    if (calendar.BasisFor(row[4].as<int>(), row[5].as<int>()).digest == row[3].as<std::string>()) {
      return Outcome::kSkipped;  // recounted meanwhile
    }
    DeadlineChange change;
    change.subject = subject;
    change.name = name;
    NRP_ASSIGN_OR_RETURN(change.rule, DeadlineRule::Parse(row[0].as<std::string>()));
    NRP_ASSIGN_OR_RETURN(change.old_date, Date::Parse(row[1].as<std::string>()));
    change.old_calendar = row[2].as<std::string>();
    NRP_ASSIGN_OR_RETURN(change.now, calendar.Compute(change.rule));
    NRP_ASSIGN_OR_RETURN(bool still_open, (*applier)(tx, change));
    if (!still_open) {
      Close(tx, subject, name);
      return Outcome::kClosed;
    }
    tx.exec_params0(
        "UPDATE deadlines SET due = $3::date, calendar = $4, provisional = $5, "
        "calendar_digest = $6, first_year = $7, last_year = $8, recounted_at = $9::timestamptz "
        "WHERE subject = $1 AND name = $2",
        subject, name, change.now.date.ToString(), change.now.basis.label,
        change.now.basis.provisional(), change.now.basis.digest, change.now.basis.first_year,
        change.now.basis.last_year, FormatRfc3339(clock_.Now()));
    if (change.moved()) {
      log::Info("deadline moved by the calendar", {{"subject", subject},
                                                   {"deadline", name},
                                                   {"old", change.old_date.ToString()},
                                                   {"new", change.now.date.ToString()},
                                                   {"calendar", change.now.basis.label}});
    }
    return change.moved() ? Outcome::kMoved : Outcome::kRecounted;
  });
  if (!outcome.ok()) return std::move(outcome.error());
  switch (*outcome) {
    case Outcome::kSkipped:
      break;
    case Outcome::kRecounted:
      ++report.recounted;
      break;
    case Outcome::kMoved:
      ++report.recounted;
      ++report.moved;
      break;
    case Outcome::kClosed:
      ++report.recounted;
      ++report.closed;
      break;
  }
  return Ok();
}

}  // namespace nrp::service
