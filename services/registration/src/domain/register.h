// The register (不动产登记簿) of one unit and what recording a case does to it.
//
// Invariants (不动产登记暂行条例 arts. 8-9; 实施细则; Civil Code arts. 209-223, 406):
//  - append-only: recording adds entries, never edits one; a correction (更正登记) is a new
//    entry pointing at the corrected one;
//  - at most one current ownership/use right of a kind per unit (easements and mortgages may
//    be several);
//  - co-owners by shares (按份共有) hold shares summing to exactly 1 (see shares.h);
//  - a seized unit (查封) accepts no transfer, mortgage or change until released;
//  - an advance notice (预告登记) blocks a transfer without the consent of its holders
//    (Civil Code art. 221);
//  - a mortgaged right may be transferred and the mortgage follows it (Civil Code art. 406).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/events.h"
#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"
#include "nrp/registration/v1/resources.pb.h"

namespace nrp::registration {

struct SeizureRecord {
  v1::Seizure seizure;  // as recorded; in_force/queue_position recomputed by the state
  std::string entry_id;
  int64_t sequence = 0;
};

struct AdvanceNoticeRecord {
  v1::AdvanceNotice notice;
  std::string entry_id;
};

struct ObjectionRecord {
  v1::Objection objection;
  std::string entry_id;
};

// What an entry recorded, for corrections, objections and releases that point at it.
struct EntryRef {
  std::string entry_id;
  v1::RegistrationKind kind = v1::REGISTRATION_KIND_UNSPECIFIED;
  std::string right_id;    // the right the entry recorded, if any
  std::string seizure_id;  // the seizure the entry recorded, if any
};

// The register of one unit as the store loaded it, under the unit's row lock.
struct UnitRegisterState {
  std::string unit_code;
  bool unit_active = true;
  // Rights in force (including mortgages).
  std::vector<v1::Right> current_rights;
  // State of every right ever recorded on the unit, by id.
  std::map<std::string, v1::RightState> right_states;
  // Entry that recorded each right, by right id.
  std::map<std::string, std::string> right_entry;
  // Seizures not released, in the order they were recorded.
  std::vector<SeizureRecord> seizures;
  std::vector<AdvanceNoticeRecord> advance_notices;  // in force
  std::vector<ObjectionRecord> objections;           // not lapsed or withdrawn
  std::vector<EntryRef> entries;
  int64_t last_sequence = 0;

  // Seizures that bind today: not released and not past their end date, first = effective.
  std::vector<SeizureRecord> SeizuresInForce(Date today) const;
  const v1::Right* FindCurrent(const std::string& right_id) const;
  const EntryRef* FindEntry(const std::string& entry_id) const;
};

// What recording a case needs besides the case and the register.
struct RecordingContext {
  TimePoint now;
  std::string registrar;                // 登簿人: the caller recording the case
  std::string certificate_number;       // from CertificateKindFor; empty when none
  std::function<std::string()> new_id;  // fresh UUIDs for rights, entries, seizures …
  int objection_lapse_days = 15;        // Civil Code art. 220
};

struct RightEnd {
  std::string right_id;
  v1::RightState state = v1::RIGHT_STATE_HISTORICAL;
};

// Everything one recording writes, for the store to apply in the recording transaction.
struct RecordingPlan {
  std::vector<v1::RegisterEntry> entries;
  std::vector<v1::Right> new_rights;
  std::vector<RightEnd> ended_rights;
  // Mortgage right id → the right it now burdens (the mortgage follows a transfer).
  std::map<std::string, std::string> mortgage_moves;
  std::optional<SeizureRecord> new_seizure;
  std::vector<std::string> released_seizure_ids;
  std::optional<AdvanceNoticeRecord> new_advance_notice;
  std::vector<std::string> ended_advance_notice_ids;
  std::optional<ObjectionRecord> new_objection;
  // The certificate or proof generated at recording (number set; signature by the store).
  std::optional<v1::Certificate> certificate;
  // Rights whose certificates become void.
  std::vector<std::string> voided_certificate_right_ids;
  DomainEvents events;

  std::vector<std::string> EntryIds() const;
};

// Which document recording a case produces (实施细则 art. 20): a title certificate for
// ownership and use rights, a registration proof for mortgages, easements, advance notices
// and objections, none for cancellations and seizures.
v1::CertificateKind CertificateKindFor(const v1::RegistrationCase& c);

// Checks the register's rules and plans the recording of `c` (which the case flow already
// found recordable). FAILED_PRECONDITION with a rule type (UNIT_SEIZED, RIGHT_NOT_CURRENT,
// ADVANCE_NOTICE_CONSENT_MISSING, RIGHT_ALREADY_REGISTERED …) when a rule blocks it.
Result<RecordingPlan> PlanRecording(const UnitRegisterState& state, const v1::RegistrationCase& c,
                                    const RecordingContext& ctx);

// Names of the Right fields that differ between two versions, e.g. {"purpose", "area"}.
std::vector<std::string> ChangedFields(const v1::Right& before, const v1::Right& after);

}  // namespace nrp::registration
