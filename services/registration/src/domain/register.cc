#include "domain/register.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>

#include "domain/case_flow.h"
#include "domain/convert.h"
#include "domain/party.h"
#include "domain/time_limits.h"
#include "nrp/registration/v1/events.pb.h"

namespace nrp::registration {

namespace {

using google::protobuf::util::MessageDifferencer;

std::string RightKindShort(v1::RightKind k) {
  std::string name = v1::RightKind_Name(k);
  const std::string prefix = "RIGHT_KIND_";
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  return name;
}

std::string HolderNames(const v1::Right& r) {
  std::string out;
  for (const auto& h : r.holders()) {
    if (!out.empty()) out += "、";
    out += h.party().name();
  }
  return out;
}

bool IsBurden(v1::RightKind k) { return k == v1::RIGHT_KIND_MORTGAGE; }
// Kinds of which a unit may carry several at once.
bool MayBeSeveral(v1::RightKind k) {
  return k == v1::RIGHT_KIND_MORTGAGE || k == v1::RIGHT_KIND_EASEMENT;
}

Error Seized(const UnitRegisterState& s, const SeizureRecord& seizure, const std::string& what) {
  return Error::FailedPrecondition("UNIT_SEIZED", "units/" + s.unit_code,
                                   "unit " + s.unit_code + " is seized by " +
                                       seizure.seizure.authority() + " (seizure " +
                                       seizure.seizure.seizure_id() + "); no " + what +
                                       " can be recorded until the seizure is released");
}

Result<const v1::Right*> RequireCurrent(const UnitRegisterState& s, const std::string& right_id) {
  if (const v1::Right* r = s.FindCurrent(right_id)) return r;
  auto it = s.right_states.find(right_id);
  if (it == s.right_states.end()) {
    return Error::NotFound("right " + right_id + " is not in the register of unit " + s.unit_code);
  }
  std::string state = v1::RightState_Name(it->second);
  const std::string prefix = "RIGHT_STATE_";
  if (state.rfind(prefix, 0) == 0) state = state.substr(prefix.size());
  return Error::FailedPrecondition("RIGHT_NOT_CURRENT", "rights/" + right_id,
                                   "right " + right_id + " of unit " + s.unit_code +
                                       " is no longer current (" + state +
                                       "); it cannot be transferred, changed or cancelled");
}

// A new version of a right from the case's proposal.
v1::Right NewRight(const v1::RegistrationCase& c, const RecordingContext& ctx,
                   const std::string& previous_right_id) {
  v1::Right r = c.proposed_right();
  r.set_right_id(ctx.new_id());
  r.set_unit_code(c.unit_code());
  r.set_region_code(c.unit_code().substr(0, 6));
  r.set_right_kind(c.right_kind());
  r.set_state(v1::RIGHT_STATE_CURRENT);
  *r.mutable_registered_at() = ToTimestamp(ctx.now);
  r.clear_ended_at();
  r.set_origin_case_id(c.case_id());
  r.set_previous_right_id(previous_right_id);
  r.set_certificate_number(ctx.certificate_number);
  return r;
}

v1::RegisterEntry NewEntry(const UnitRegisterState& s, RecordingPlan& plan,
                           const v1::RegistrationCase& c, const RecordingContext& ctx) {
  v1::RegisterEntry e;
  e.set_entry_id(ctx.new_id());
  e.set_unit_code(s.unit_code);
  e.set_sequence(s.last_sequence + static_cast<int64_t>(plan.entries.size()) + 1);
  e.set_registration_kind(c.kind());
  e.set_right_kind(c.right_kind());
  e.set_case_id(c.case_id());
  *e.mutable_recorded_at() = ToTimestamp(ctx.now);
  e.set_registrar(ctx.registrar);
  return e;
}

v1::Certificate NewCertificate(const v1::RegistrationCase& c, const RecordingContext& ctx,
                               const std::string& right_id,
                               const google::protobuf::RepeatedPtrField<v1::RightHolder>& holders) {
  v1::Certificate cert;
  cert.set_certificate_number(ctx.certificate_number);
  cert.set_kind(CertificateKindFor(c));
  cert.set_unit_code(c.unit_code());
  cert.set_right_id(right_id);
  *cert.mutable_holders() = holders;
  cert.set_region_code(c.region_code());
  cert.set_case_id(c.case_id());
  *cert.mutable_generated_at() = ToTimestamp(ctx.now);
  cert.set_state(v1::CERTIFICATE_STATE_GENERATED);
  return cert;
}

google::protobuf::RepeatedPtrField<v1::RightHolder> AsHolders(
    const google::protobuf::RepeatedPtrField<common::v1::Party>& parties) {
  google::protobuf::RepeatedPtrField<v1::RightHolder> out;
  for (const auto& p : parties) *out.Add()->mutable_party() = p;
  return out;
}

google::protobuf::RepeatedPtrField<v1::RightHolder> OneHolder(const common::v1::Party& p) {
  google::protobuf::RepeatedPtrField<v1::RightHolder> out;
  *out.Add()->mutable_party() = p;
  return out;
}

bool ContainsParty(const google::protobuf::RepeatedPtrField<v1::RightHolder>& holders,
                   const common::v1::Party& p) {
  return std::any_of(holders.begin(), holders.end(),
                     [&](const v1::RightHolder& h) { return SameParty(h.party(), p); });
}

bool AmongApplicants(const v1::RegistrationCase& c, const common::v1::Party& p) {
  return std::any_of(c.applicants().begin(), c.applicants().end(),
                     [&](const v1::Applicant& a) { return SameParty(a.party(), p); });
}

// Mortgages in force on `right_id`.
std::vector<const v1::Right*> MortgagesOn(const UnitRegisterState& s, const std::string& right_id) {
  std::vector<const v1::Right*> out;
  for (const auto& r : s.current_rights) {
    if (r.right_kind() == v1::RIGHT_KIND_MORTGAGE &&
        r.mortgage().mortgaged_right_id() == right_id) {
      out.push_back(&r);
    }
  }
  return out;
}

// Replace `old` by a new version (transfer, change, correction): the old becomes historical,
// its certificate void, and mortgages on it follow the new version.
void Supersede(const UnitRegisterState& s, RecordingPlan& plan, const v1::Right& old,
               const v1::Right& next) {
  plan.ended_rights.push_back({old.right_id(), v1::RIGHT_STATE_HISTORICAL});
  plan.voided_certificate_right_ids.push_back(old.right_id());
  for (const v1::Right* m : MortgagesOn(s, old.right_id())) {
    plan.mortgage_moves[m->right_id()] = next.right_id();
  }
}

Status CheckHoldersUnchanged(const v1::Right& before, const v1::Right& after) {
  bool same = before.holders_size() == after.holders_size();
  for (int i = 0; same && i < after.holders_size(); ++i) {
    same = ContainsParty(before.holders(), after.holders(i).party());
  }
  if (!same) {
    return Error::FailedPrecondition("CHANGE_REPLACES_HOLDERS", "rights/" + before.right_id(),
                                     "a change registration cannot replace the holders of right " +
                                         before.right_id() +
                                         "; a new holder needs a transfer registration");
  }
  return Ok();
}

Status PlanFirst(const UnitRegisterState& s, const v1::RegistrationCase& c,
                 const RecordingContext& ctx, Date today, RecordingPlan& plan) {
  const v1::RightKind kind = c.right_kind();
  if (kind == v1::RIGHT_KIND_MORTGAGE) {
    auto seized = s.SeizuresInForce(today);
    if (!seized.empty()) return Seized(s, seized.front(), "mortgage");
    const std::string& target = c.proposed_right().mortgage().mortgaged_right_id();
    const v1::Right* burdened = s.FindCurrent(target);
    if (burdened == nullptr || IsBurden(burdened->right_kind())) {
      return Error::FailedPrecondition("MORTGAGED_RIGHT_NOT_CURRENT", "rights/" + target,
                                       "right " + target +
                                           " is not a current ownership or use right of unit " +
                                           s.unit_code + "; only such a right can be mortgaged");
    }
    for (const auto& m : c.proposed_right().mortgage().mortgagors()) {
      if (!ContainsParty(burdened->holders(), m)) {
        return Error::FailedPrecondition("MORTGAGOR_NOT_HOLDER", "rights/" + target,
                                         "mortgagor " + m.name() + " does not hold right " +
                                             target + "; only its holders can mortgage it");
      }
    }
  } else if (!MayBeSeveral(kind)) {
    for (const auto& r : s.current_rights) {
      if (r.right_kind() == kind) {
        return Error::FailedPrecondition("RIGHT_ALREADY_REGISTERED", "units/" + s.unit_code,
                                         "unit " + s.unit_code + " already has a current " +
                                             RightKindShort(kind) + " right (" + r.right_id() +
                                             ", held by " + HolderNames(r) +
                                             "); a unit has at most one current right of a kind");
      }
    }
  }
  v1::Right right = NewRight(c, ctx, "");
  v1::RegisterEntry entry = NewEntry(s, plan, c, ctx);
  *entry.mutable_right() = right;
  entry.set_remarks(right.remarks());
  plan.certificate = NewCertificate(c, ctx, right.right_id(), right.holders());
  const std::string region = c.unit_code().substr(0, 6);
  if (kind == v1::RIGHT_KIND_MORTGAGE) {
    v1::MortgageRegistered e;
    e.set_unit_code(c.unit_code());
    e.set_region_code(region);
    *e.mutable_mortgage() = right;
    e.set_entry_id(entry.entry_id());
    e.set_case_id(c.case_id());
    *e.mutable_recorded_at() = ToTimestamp(ctx.now);
    plan.events.push_back(DomainEvent::Of(std::move(e), c.unit_code(), region));
  } else {
    v1::RightRegistered e;
    e.set_unit_code(c.unit_code());
    e.set_region_code(region);
    *e.mutable_right() = right;
    e.set_entry_id(entry.entry_id());
    e.set_case_id(c.case_id());
    *e.mutable_recorded_at() = ToTimestamp(ctx.now);
    plan.events.push_back(DomainEvent::Of(std::move(e), c.unit_code(), region));
  }
  plan.entries.push_back(std::move(entry));
  plan.new_rights.push_back(std::move(right));
  return Ok();
}

Status PlanTransfer(const UnitRegisterState& s, const v1::RegistrationCase& c,
                    const RecordingContext& ctx, Date today, RecordingPlan& plan) {
  NRP_ASSIGN_OR_RETURN(const v1::Right* old, RequireCurrent(s, c.target_right_id()));
  if (old->right_kind() != c.right_kind()) {
    return Error::FailedPrecondition(
        "RIGHT_KIND_MISMATCH", "rights/" + old->right_id(),
        "right " + old->right_id() + " is a " + RightKindShort(old->right_kind()) +
            " right; the case transfers a " + RightKindShort(c.right_kind()) + " right");
  }
  auto seized = s.SeizuresInForce(today);
  if (!seized.empty()) return Seized(s, seized.front(), "transfer");
  const v1::Right& proposed = c.proposed_right();
  for (const auto& n : s.advance_notices) {
    bool consent = true;
    for (const auto& holder : n.notice.holders()) {
      if (!ContainsParty(proposed.holders(), holder) && !AmongApplicants(c, holder)) {
        consent = false;
      }
    }
    if (!consent) {
      std::string names;
      for (const auto& h : n.notice.holders()) {
        if (!names.empty()) names += "、";
        names += h.name();
      }
      return Error::FailedPrecondition(
          "ADVANCE_NOTICE_CONSENT_MISSING", "units/" + s.unit_code,
          "unit " + s.unit_code + " has an advance notice (预告登记 " +
              n.notice.advance_notice_id() + ") held by " + names +
              "; a transfer needs their consent (Civil Code art. 221): make them applicants "
              "or the new holders");
    }
    // The notice is realised when its holders receive the right.
    bool realised = true;
    for (const auto& holder : n.notice.holders()) {
      if (!ContainsParty(proposed.holders(), holder)) realised = false;
    }
    if (realised) plan.ended_advance_notice_ids.push_back(n.notice.advance_notice_id());
  }
  v1::Right right = NewRight(c, ctx, old->right_id());
  Supersede(s, plan, *old, right);
  v1::RegisterEntry entry = NewEntry(s, plan, c, ctx);
  *entry.mutable_right() = right;
  entry.set_remarks(right.remarks());
  plan.certificate = NewCertificate(c, ctx, right.right_id(), right.holders());
  const std::string region = c.unit_code().substr(0, 6);
  v1::RightTransferred e;
  e.set_unit_code(c.unit_code());
  e.set_region_code(region);
  *e.mutable_right() = right;
  e.set_previous_right_id(old->right_id());
  *e.mutable_previous_holders() = old->holders();
  e.set_entry_id(entry.entry_id());
  e.set_case_id(c.case_id());
  *e.mutable_recorded_at() = ToTimestamp(ctx.now);
  for (const auto& [mortgage_id, _] : plan.mortgage_moves) e.add_mortgage_right_ids(mortgage_id);
  plan.events.push_back(DomainEvent::Of(std::move(e), c.unit_code(), region));
  plan.entries.push_back(std::move(entry));
  plan.new_rights.push_back(std::move(right));
  return Ok();
}

Status PlanChange(const UnitRegisterState& s, const v1::RegistrationCase& c,
                  const RecordingContext& ctx, Date today, RecordingPlan& plan) {
  NRP_ASSIGN_OR_RETURN(const v1::Right* old, RequireCurrent(s, c.target_right_id()));
  if (old->right_kind() != c.right_kind()) {
    return Error::FailedPrecondition(
        "RIGHT_KIND_MISMATCH", "rights/" + old->right_id(),
        "right " + old->right_id() + " is a " + RightKindShort(old->right_kind()) +
            " right; the case changes a " + RightKindShort(c.right_kind()) + " right");
  }
  auto seized = s.SeizuresInForce(today);
  if (!seized.empty()) return Seized(s, seized.front(), "change");
  NRP_RETURN_IF_ERROR(CheckHoldersUnchanged(*old, c.proposed_right()));
  v1::Right right = NewRight(c, ctx, old->right_id());
  std::vector<std::string> changed = ChangedFields(*old, right);
  if (changed.empty()) {
    return Error::FailedPrecondition("NOTHING_CHANGED", "rights/" + old->right_id(),
                                     "the proposed right equals right " + old->right_id() +
                                         "; a change registration must change something");
  }
  Supersede(s, plan, *old, right);
  v1::RegisterEntry entry = NewEntry(s, plan, c, ctx);
  *entry.mutable_right() = right;
  entry.set_remarks(right.remarks());
  plan.certificate = NewCertificate(c, ctx, right.right_id(), right.holders());
  const std::string region = c.unit_code().substr(0, 6);
  v1::RightChanged e;
  e.set_unit_code(c.unit_code());
  e.set_region_code(region);
  *e.mutable_right() = right;
  e.set_previous_right_id(old->right_id());
  for (auto& f : changed) e.add_changed_fields(f);
  e.set_entry_id(entry.entry_id());
  e.set_case_id(c.case_id());
  *e.mutable_recorded_at() = ToTimestamp(ctx.now);
  plan.events.push_back(DomainEvent::Of(std::move(e), c.unit_code(), region));
  plan.entries.push_back(std::move(entry));
  plan.new_rights.push_back(std::move(right));
  return Ok();
}

Status PlanCancellation(const UnitRegisterState& s, const v1::RegistrationCase& c,
                        const RecordingContext& ctx, RecordingPlan& plan) {
  NRP_ASSIGN_OR_RETURN(const v1::Right* old, RequireCurrent(s, c.target_right_id()));
  if (old->right_kind() != c.right_kind()) {
    return Error::FailedPrecondition(
        "RIGHT_KIND_MISMATCH", "rights/" + old->right_id(),
        "right " + old->right_id() + " is a " + RightKindShort(old->right_kind()) +
            " right; the case cancels a " + RightKindShort(c.right_kind()) + " right");
  }
  auto mortgages = MortgagesOn(s, old->right_id());
  if (!mortgages.empty()) {
    return Error::FailedPrecondition("MORTGAGE_IN_FORCE", "rights/" + old->right_id(),
                                     "right " + old->right_id() + " is mortgaged (mortgage " +
                                         mortgages.front()->right_id() +
                                         "); cancel the mortgage before the right");
  }
  plan.ended_rights.push_back({old->right_id(), v1::RIGHT_STATE_CANCELLED});
  plan.voided_certificate_right_ids.push_back(old->right_id());
  v1::RegisterEntry entry = NewEntry(s, plan, c, ctx);
  v1::Right ended = *old;
  ended.set_state(v1::RIGHT_STATE_CANCELLED);
  *ended.mutable_ended_at() = ToTimestamp(ctx.now);
  *entry.mutable_right() = ended;
  auto e_it = s.right_entry.find(old->right_id());
  if (e_it != s.right_entry.end()) entry.set_ends_entry_id(e_it->second);
  std::string reason = c.has_proposed_right() && !c.proposed_right().remarks().empty()
                           ? c.proposed_right().remarks()
                           : "注销登记";
  entry.set_remarks(reason);
  const std::string region = c.unit_code().substr(0, 6);
  if (old->right_kind() == v1::RIGHT_KIND_MORTGAGE) {
    v1::MortgageCancelled e;
    e.set_unit_code(c.unit_code());
    e.set_region_code(region);
    e.set_mortgage_right_id(old->right_id());
    e.set_reason(reason);
    e.set_entry_id(entry.entry_id());
    e.set_case_id(c.case_id());
    *e.mutable_recorded_at() = ToTimestamp(ctx.now);
    plan.events.push_back(DomainEvent::Of(std::move(e), c.unit_code(), region));
  } else {
    v1::RightCancelled e;
    e.set_unit_code(c.unit_code());
    e.set_region_code(region);
    e.set_right_id(old->right_id());
    e.set_right_kind(old->right_kind());
    e.set_reason(reason);
    e.set_entry_id(entry.entry_id());
    e.set_case_id(c.case_id());
    *e.mutable_recorded_at() = ToTimestamp(ctx.now);
    plan.events.push_back(DomainEvent::Of(std::move(e), c.unit_code(), region));
  }
  plan.entries.push_back(std::move(entry));
  return Ok();
}

Result<const EntryRef*> RequireEntry(const UnitRegisterState& s, const std::string& entry_id) {
  const EntryRef* ref = s.FindEntry(entry_id);
  if (ref == nullptr) {
    return Error::NotFound("entry " + entry_id + " is not in the register of unit " + s.unit_code);
  }
  return ref;
}

Status PlanCorrection(const UnitRegisterState& s, const v1::RegistrationCase& c,
                      const RecordingContext& ctx, RecordingPlan& plan) {
  NRP_ASSIGN_OR_RETURN(const EntryRef* ref, RequireEntry(s, c.target_entry_id()));
  const v1::Right* old = ref->right_id.empty() ? nullptr : s.FindCurrent(ref->right_id);
  if (old == nullptr) {
    return Error::FailedPrecondition("ENTRY_NOT_CURRENT", "entries/" + ref->entry_id,
                                     "entry " + ref->entry_id +
                                         " does not record a right in force; only the entry of a "
                                         "current right can be corrected");
  }
  if (old->right_kind() != c.right_kind()) {
    return Error::FailedPrecondition(
        "RIGHT_KIND_MISMATCH", "rights/" + old->right_id(),
        "entry " + ref->entry_id + " records a " + RightKindShort(old->right_kind()) +
            " right; the case corrects a " + RightKindShort(c.right_kind()) + " right");
  }
  v1::Right right = NewRight(c, ctx, old->right_id());
  Supersede(s, plan, *old, right);
  v1::RegisterEntry entry = NewEntry(s, plan, c, ctx);
  *entry.mutable_right() = right;
  entry.set_corrects_entry_id(ref->entry_id);
  std::vector<std::string> changed = ChangedFields(*old, right);
  std::string description = "更正: ";
  for (size_t i = 0; i < changed.size(); ++i) description += (i ? ", " : "") + changed[i];
  if (changed.empty()) description += "no field changed";
  entry.set_remarks(right.remarks().empty() ? description : right.remarks());
  plan.certificate = NewCertificate(c, ctx, right.right_id(), right.holders());
  const std::string region = c.unit_code().substr(0, 6);
  v1::CorrectionRecorded e;
  e.set_unit_code(c.unit_code());
  e.set_region_code(region);
  *e.mutable_entry() = entry;
  e.set_corrected_entry_id(ref->entry_id);
  e.set_description(description);
  e.set_case_id(c.case_id());
  plan.events.push_back(DomainEvent::Of(std::move(e), c.unit_code(), region));
  plan.entries.push_back(std::move(entry));
  plan.new_rights.push_back(std::move(right));
  return Ok();
}

Status PlanObjection(const UnitRegisterState& s, const v1::RegistrationCase& c,
                     const RecordingContext& ctx, Date today, RecordingPlan& plan) {
  NRP_ASSIGN_OR_RETURN(const EntryRef* ref, RequireEntry(s, c.target_entry_id()));
  v1::Objection o = c.objection();
  o.set_objection_id(ctx.new_id());
  o.set_objected_entry_id(ref->entry_id);
  *o.mutable_lapses_on() = ToProtoDate(today.AddDays(ctx.objection_lapse_days));
  o.set_in_force(true);
  v1::RegisterEntry entry = NewEntry(s, plan, c, ctx);
  *entry.mutable_objection() = o;
  plan.certificate = NewCertificate(c, ctx, "", OneHolder(o.objector()));
  const std::string region = c.unit_code().substr(0, 6);
  v1::ObjectionRegistered e;
  e.set_unit_code(c.unit_code());
  e.set_region_code(region);
  *e.mutable_objection() = o;
  e.set_entry_id(entry.entry_id());
  e.set_case_id(c.case_id());
  *e.mutable_recorded_at() = ToTimestamp(ctx.now);
  plan.events.push_back(DomainEvent::Of(std::move(e), c.unit_code(), region));
  plan.new_objection = ObjectionRecord{o, entry.entry_id()};
  plan.entries.push_back(std::move(entry));
  return Ok();
}

Status PlanAdvanceNotice(const UnitRegisterState& s, const v1::RegistrationCase& c,
                         const RecordingContext& ctx, RecordingPlan& plan) {
  v1::AdvanceNotice n = c.advance_notice();
  n.set_advance_notice_id(ctx.new_id());
  n.set_in_force(true);
  v1::RegisterEntry entry = NewEntry(s, plan, c, ctx);
  *entry.mutable_advance_notice() = n;
  plan.certificate = NewCertificate(c, ctx, "", AsHolders(n.holders()));
  const std::string region = c.unit_code().substr(0, 6);
  v1::AdvanceNoticeRegistered e;
  e.set_unit_code(c.unit_code());
  e.set_region_code(region);
  *e.mutable_advance_notice() = n;
  e.set_entry_id(entry.entry_id());
  e.set_case_id(c.case_id());
  *e.mutable_recorded_at() = ToTimestamp(ctx.now);
  plan.events.push_back(DomainEvent::Of(std::move(e), c.unit_code(), region));
  plan.new_advance_notice = AdvanceNoticeRecord{n, entry.entry_id()};
  plan.entries.push_back(std::move(entry));
  return Ok();
}

Status PlanSeizure(const UnitRegisterState& s, const v1::RegistrationCase& c,
                   const RecordingContext& ctx, Date today, RecordingPlan& plan) {
  v1::Seizure z = c.seizure();
  z.set_seizure_id(ctx.new_id());
  z.set_queue_position(static_cast<int32_t>(s.SeizuresInForce(today).size()));
  z.set_in_force(true);
  v1::RegisterEntry entry = NewEntry(s, plan, c, ctx);
  *entry.mutable_seizure() = z;
  if (z.queue_position() > 0) entry.set_remarks("轮候查封");
  const std::string region = c.unit_code().substr(0, 6);
  v1::SeizureRegistered e;
  e.set_unit_code(c.unit_code());
  e.set_region_code(region);
  *e.mutable_seizure() = z;
  e.set_entry_id(entry.entry_id());
  e.set_case_id(c.case_id());
  *e.mutable_recorded_at() = ToTimestamp(ctx.now);
  plan.events.push_back(DomainEvent::Of(std::move(e), c.unit_code(), region));
  plan.new_seizure = SeizureRecord{z, entry.entry_id(), entry.sequence()};
  plan.entries.push_back(std::move(entry));
  return Ok();
}

Status PlanSeizureRelease(const UnitRegisterState& s, const v1::RegistrationCase& c,
                          const RecordingContext& ctx, Date today, RecordingPlan& plan) {
  NRP_ASSIGN_OR_RETURN(const EntryRef* ref, RequireEntry(s, c.target_entry_id()));
  auto in_force = s.SeizuresInForce(today);
  auto it = std::find_if(in_force.begin(), in_force.end(),
                         [&](const SeizureRecord& r) { return r.entry_id == ref->entry_id; });
  if (it == in_force.end()) {
    return Error::FailedPrecondition(
        "SEIZURE_NOT_IN_FORCE", "entries/" + ref->entry_id,
        "entry " + ref->entry_id + " does not record a seizure in force on unit " + s.unit_code);
  }
  v1::Seizure released = it->seizure;
  released.set_in_force(false);
  plan.released_seizure_ids.push_back(released.seizure_id());
  v1::RegisterEntry entry = NewEntry(s, plan, c, ctx);
  *entry.mutable_seizure() = released;
  entry.set_ends_entry_id(ref->entry_id);
  entry.set_remarks("解除查封: " + c.seizure().authority() + " " + c.seizure().order().title());
  const std::string region = c.unit_code().substr(0, 6);
  v1::SeizureReleased e;
  e.set_unit_code(c.unit_code());
  e.set_region_code(region);
  e.set_seizure_id(released.seizure_id());
  *e.mutable_release_order() = c.seizure().order();
  e.set_still_seized(in_force.size() > 1);
  e.set_entry_id(entry.entry_id());
  e.set_case_id(c.case_id());
  *e.mutable_recorded_at() = ToTimestamp(ctx.now);
  plan.events.push_back(DomainEvent::Of(std::move(e), c.unit_code(), region));
  plan.entries.push_back(std::move(entry));
  return Ok();
}

}  // namespace

std::vector<SeizureRecord> UnitRegisterState::SeizuresInForce(Date today) const {
  std::vector<SeizureRecord> out;
  for (const auto& r : seizures) {
    if (IsSet(r.seizure.end_date())) {
      auto end = FromProtoDate(r.seizure.end_date(), "end_date");
      if (end.ok() && *end < today) continue;  // 查封期限届满
    }
    out.push_back(r);
  }
  std::sort(out.begin(), out.end(),
            [](const SeizureRecord& a, const SeizureRecord& b) { return a.sequence < b.sequence; });
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].seizure.set_queue_position(static_cast<int32_t>(i));
    out[i].seizure.set_in_force(true);
  }
  return out;
}

const v1::Right* UnitRegisterState::FindCurrent(const std::string& right_id) const {
  for (const auto& r : current_rights) {
    if (r.right_id() == right_id) return &r;
  }
  return nullptr;
}

const EntryRef* UnitRegisterState::FindEntry(const std::string& entry_id) const {
  for (const auto& e : entries) {
    if (e.entry_id == entry_id) return &e;
  }
  return nullptr;
}

std::vector<std::string> RecordingPlan::EntryIds() const {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.entry_id());
  return out;
}

v1::CertificateKind CertificateKindFor(const v1::RegistrationCase& c) {
  switch (c.kind()) {
    case v1::REGISTRATION_KIND_FIRST:
    case v1::REGISTRATION_KIND_TRANSFER:
    case v1::REGISTRATION_KIND_CHANGE:
    case v1::REGISTRATION_KIND_CORRECTION:
      return (c.right_kind() == v1::RIGHT_KIND_MORTGAGE ||
              c.right_kind() == v1::RIGHT_KIND_EASEMENT)
                 ? v1::CERTIFICATE_KIND_REGISTRATION_PROOF
                 : v1::CERTIFICATE_KIND_TITLE_CERTIFICATE;
    case v1::REGISTRATION_KIND_OBJECTION:
    case v1::REGISTRATION_KIND_ADVANCE_NOTICE:
      return v1::CERTIFICATE_KIND_REGISTRATION_PROOF;
    default:
      return v1::CERTIFICATE_KIND_UNSPECIFIED;
  }
}

std::vector<std::string> ChangedFields(const v1::Right& before, const v1::Right& after) {
  std::vector<std::string> out;
  auto differ = [](const google::protobuf::Message& a, const google::protobuf::Message& b) {
    return !MessageDifferencer::Equals(a, b);
  };
  if (before.holders_size() != after.holders_size()) {
    out.push_back("holders");
  } else {
    for (int i = 0; i < before.holders_size(); ++i) {
      if (differ(before.holders(i), after.holders(i))) {
        out.push_back("holders");
        break;
      }
    }
  }
  if (before.co_ownership() != after.co_ownership()) out.push_back("co_ownership");
  if (before.purpose() != after.purpose()) out.push_back("purpose");
  if (before.acquisition_basis() != after.acquisition_basis()) out.push_back("acquisition_basis");
  if (differ(before.term_start(), after.term_start())) out.push_back("term_start");
  if (differ(before.term_end(), after.term_end())) out.push_back("term_end");
  if (differ(before.area(), after.area())) out.push_back("area");
  if (differ(before.price(), after.price())) out.push_back("price");
  if (differ(before.mortgage(), after.mortgage())) out.push_back("mortgage");
  if (before.remarks() != after.remarks()) out.push_back("remarks");
  return out;
}

Result<RecordingPlan> PlanRecording(const UnitRegisterState& s, const v1::RegistrationCase& c,
                                    const RecordingContext& ctx) {
  if (!s.unit_active) {
    return Error::FailedPrecondition(
        "UNIT_EXTINGUISHED", "units/" + s.unit_code,
        "unit " + s.unit_code + " has ceased to exist (灭失); nothing can be recorded on it");
  }
  if (CertificateKindFor(c) != v1::CERTIFICATE_KIND_UNSPECIFIED && ctx.certificate_number.empty()) {
    return Error::Internal("recording case " + c.case_id() + " needs a certificate number");
  }
  const Date today = ChinaDate(ctx.now);
  RecordingPlan plan;
  Status st;
  switch (c.kind()) {
    case v1::REGISTRATION_KIND_FIRST:
      st = PlanFirst(s, c, ctx, today, plan);
      break;
    case v1::REGISTRATION_KIND_TRANSFER:
      st = PlanTransfer(s, c, ctx, today, plan);
      break;
    case v1::REGISTRATION_KIND_CHANGE:
      st = PlanChange(s, c, ctx, today, plan);
      break;
    case v1::REGISTRATION_KIND_CANCELLATION:
      st = PlanCancellation(s, c, ctx, plan);
      break;
    case v1::REGISTRATION_KIND_CORRECTION:
      st = PlanCorrection(s, c, ctx, plan);
      break;
    case v1::REGISTRATION_KIND_OBJECTION:
      st = PlanObjection(s, c, ctx, today, plan);
      break;
    case v1::REGISTRATION_KIND_ADVANCE_NOTICE:
      st = PlanAdvanceNotice(s, c, ctx, plan);
      break;
    case v1::REGISTRATION_KIND_SEIZURE:
      st = PlanSeizure(s, c, ctx, today, plan);
      break;
    case v1::REGISTRATION_KIND_SEIZURE_RELEASE:
      st = PlanSeizureRelease(s, c, ctx, today, plan);
      break;
    default:
      return Error::InvalidArgument("registration_case.kind", "is not supported");
  }
  if (!st.ok()) return std::move(st.error());
  return plan;
}

}  // namespace nrp::registration
