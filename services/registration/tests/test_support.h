// Builders shared by the registration tests: valid identity numbers, parties, units, cases.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "domain/convert.h"
#include "domain/time_limits.h"
#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/registration/v1/registration.pb.h"

namespace nrp::registration::testsupport {

namespace v1 = nrp::registration::v1;
namespace cpb = nrp::common::v1;

// A GB 11643-1999 number from its first 17 digits (check character computed).
inline std::string ResidentId(const std::string& first17) {
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return first17 + kCheck[sum % 11];
}

// A GB 32100-2015 code from its first 17 characters.
inline std::string CreditCode(const std::string& first17) {
  static const std::string kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += static_cast<int>(kChars.find(first17[i])) * kWeights[i];
  int check = 31 - sum % 31;
  if (check == 31) check = 0;
  return first17 + kChars[check];
}

inline cpb::Party Person(const std::string& name, const std::string& first17) {
  cpb::Party p;
  p.set_kind(cpb::PARTY_KIND_PERSON);
  p.set_name(name);
  p.set_id_type(cpb::ID_DOCUMENT_TYPE_RESIDENT_ID_CARD);
  p.set_id_number(ResidentId(first17));
  p.set_phone("13812345678");
  return p;
}

inline cpb::Party Organisation(const std::string& name, const std::string& first17) {
  cpb::Party p;
  p.set_kind(cpb::PARTY_KIND_ORGANISATION);
  p.set_name(name);
  p.set_id_type(cpb::ID_DOCUMENT_TYPE_UNIFIED_SOCIAL_CREDIT_CODE);
  p.set_id_number(CreditCode(first17));
  return p;
}

inline cpb::Party Zhang() { return Person("张三", "41030219800101123"); }
inline cpb::Party Li() { return Person("李四", "41030219850505234"); }
inline cpb::Party Wang() { return Person("王五", "41030219900909345"); }
inline cpb::Party Bank() {
  return Organisation("中国工商银行股份有限公司洛阳分行", "91410300MA40ABCDE");
}
inline cpb::Party Court() { return Organisation("洛阳市中级人民法院", "11410300MB1234567"); }

inline const char* kUnit = "410302001001GB00012F00010001";
inline const char* kRegion = "410302";

inline cpb::Date PDate(int y, int m, int d) {
  cpb::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

// 10:00 China time on the day.
inline TimePoint At(int y, unsigned m, unsigned d, int hour = 10) {
  return ChinaMidnight(Date(y, m, d)) + std::chrono::hours(hour);
}

// The shipped calendar as a service loading it in mid-2026 has it: official 2025 and 2026,
// provisional 2027 to 2036.
inline const WorkingCalendar& Calendar() {
  static const WorkingCalendar cal = [] {
    auto c = WorkingCalendar::LoadDirectory(NRP_SOURCE_CALENDAR_DIR, Date(2026, 6, 1));
    if (!c.ok()) std::abort();
    return std::move(c).value();
  }();
  return cal;
}

// The same calendar as FlowContext holds it.
inline std::shared_ptr<const WorkingCalendar> CalendarPtr() {
  return std::shared_ptr<const WorkingCalendar>(&Calendar(), [](const WorkingCalendar*) {});
}

inline v1::RightHolder Holder(const cpb::Party& p) {
  v1::RightHolder h;
  *h.mutable_party() = p;
  return h;
}

inline v1::RightHolder ShareHolder(const cpb::Party& p, int64_t n, int64_t d) {
  v1::RightHolder h = Holder(p);
  h.mutable_share()->set_numerator(n);
  h.mutable_share()->set_denominator(d);
  return h;
}

inline v1::Right HouseRight(const cpb::Party& holder) {
  v1::Right r;
  r.set_right_kind(v1::RIGHT_KIND_STATE_LAND_USE_AND_HOUSE_OWNERSHIP);
  *r.add_holders() = Holder(holder);
  r.set_co_ownership(v1::CO_OWNERSHIP_SOLE);
  r.set_purpose("城镇住宅用地/住宅");
  r.set_acquisition_basis("出让");
  *r.mutable_term_start() = PDate(2020, 1, 1);
  *r.mutable_term_end() = PDate(2089, 12, 31);
  r.mutable_area()->set_square_metres(120.5);
  return r;
}

inline v1::Applicant Applicant(const cpb::Party& p, v1::ApplicantRole role) {
  v1::Applicant a;
  *a.mutable_party() = p;
  a.set_role(role);
  return a;
}

inline v1::RegistrationCase FirstCase(const cpb::Party& holder) {
  v1::RegistrationCase c;
  c.set_region_code(kRegion);
  c.set_kind(v1::REGISTRATION_KIND_FIRST);
  c.set_right_kind(v1::RIGHT_KIND_STATE_LAND_USE_AND_HOUSE_OWNERSHIP);
  c.set_unit_code(kUnit);
  *c.add_applicants() = Applicant(holder, v1::APPLICANT_ROLE_RIGHT_HOLDER);
  *c.mutable_proposed_right() = HouseRight(holder);
  c.set_channel(v1::SUBMISSION_CHANNEL_COUNTER);
  return c;
}

inline v1::RegistrationCase TransferCase(const std::string& target_right_id, const cpb::Party& from,
                                         const cpb::Party& to) {
  v1::RegistrationCase c = FirstCase(to);
  c.set_kind(v1::REGISTRATION_KIND_TRANSFER);
  c.set_target_right_id(target_right_id);
  *c.add_applicants() = Applicant(from, v1::APPLICANT_ROLE_OBLIGOR);
  return c;
}

inline v1::RegistrationCase MortgageCase(const std::string& mortgaged_right_id,
                                         const cpb::Party& mortgagor, const cpb::Party& bank) {
  v1::RegistrationCase c;
  c.set_region_code(kRegion);
  c.set_kind(v1::REGISTRATION_KIND_FIRST);
  c.set_right_kind(v1::RIGHT_KIND_MORTGAGE);
  c.set_unit_code(kUnit);
  *c.add_applicants() = Applicant(bank, v1::APPLICANT_ROLE_RIGHT_HOLDER);
  *c.add_applicants() = Applicant(mortgagor, v1::APPLICANT_ROLE_OBLIGOR);
  v1::Right* r = c.mutable_proposed_right();
  r->set_right_kind(v1::RIGHT_KIND_MORTGAGE);
  *r->add_holders() = Holder(bank);
  r->set_co_ownership(v1::CO_OWNERSHIP_SOLE);
  auto* m = r->mutable_mortgage();
  m->set_kind(v1::MORTGAGE_KIND_GENERAL);
  m->set_mortgaged_right_id(mortgaged_right_id);
  *m->add_mortgagors() = mortgagor;
  m->mutable_secured_amount()->set_fen(100000000);
  *m->mutable_debt_start() = PDate(2026, 1, 1);
  *m->mutable_debt_end() = PDate(2036, 1, 1);
  c.set_channel(v1::SUBMISSION_CHANNEL_COUNTER);
  return c;
}

inline v1::RegistrationCase SeizureCase() {
  v1::RegistrationCase c;
  c.set_region_code(kRegion);
  c.set_kind(v1::REGISTRATION_KIND_SEIZURE);
  c.set_unit_code(kUnit);
  *c.add_applicants() = Applicant(Court(), v1::APPLICANT_ROLE_ENTRUSTING_AUTHORITY);
  auto* s = c.mutable_seizure();
  s->set_authority("洛阳市中级人民法院");
  s->mutable_order()->set_title("(2026)豫03执123号 协助执行通知书");
  s->mutable_order()->set_kind(cpb::DOCUMENT_KIND_COURT_ORDER);
  *s->mutable_start_date() = PDate(2026, 1, 1);
  *s->mutable_end_date() = PDate(2028, 12, 31);
  c.set_channel(v1::SUBMISSION_CHANNEL_INTER_AGENCY);
  return c;
}

}  // namespace nrp::registration::testsupport
