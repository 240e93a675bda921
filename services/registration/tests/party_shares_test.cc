#include <gtest/gtest.h>

#include "domain/party.h"
#include "domain/shares.h"
#include "test_support.h"

namespace nrp::registration {
namespace {

using namespace testsupport;

TEST(Party, ChecksResidentIdNumbers) {
  EXPECT_TRUE(IsValidResidentIdNumber(ResidentId("11010519491231002")));
  EXPECT_TRUE(IsValidResidentIdNumber("11010519491231002X"));
  std::string bad = ResidentId("41030219800101123");
  bad[17] = bad[17] == '0' ? '1' : '0';
  EXPECT_FALSE(IsValidResidentIdNumber(bad));
  EXPECT_FALSE(IsValidResidentIdNumber(ResidentId("41030219801301123")));  // month 13
  EXPECT_FALSE(IsValidResidentIdNumber("4103021980010112"));
}

TEST(Party, ChecksSocialCreditCodes) {
  EXPECT_TRUE(IsValidSocialCreditCode("91350100M000100Y43"));
  EXPECT_FALSE(IsValidSocialCreditCode("91350100M000100Y44"));
  EXPECT_FALSE(IsValidSocialCreditCode("91350100I000100Y43"));
}

TEST(Party, RejectsEachMissingField) {
  cpb::Party p = Zhang();
  p.set_kind(cpb::PARTY_KIND_UNSPECIFIED);
  auto e = ValidateParty(p, "holder");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(e.error().message(),
            "holder.kind: must be PARTY_KIND_PERSON, PARTY_KIND_ORGANISATION or "
            "PARTY_KIND_GOVERNMENT");
  p = Zhang();
  p.set_name("");
  EXPECT_EQ(ValidateParty(p, "holder").error().message(), "holder.name: is required");
  p = Zhang();
  p.set_id_type(cpb::ID_DOCUMENT_TYPE_UNSPECIFIED);
  EXPECT_EQ(ValidateParty(p, "holder").error().message(), "holder.id_type: is required");
  p = Zhang();
  p.set_id_number("410302198001011230");
  if (IsValidResidentIdNumber(p.id_number())) p.set_id_number("410302198001011239");
  EXPECT_EQ(ValidateParty(p, "holder").error().message(),
            "holder.id_number: is not a valid resident identity number (GB 11643-1999)");
  p = Bank();
  p.set_id_number("91410300MA40ABCDE0");
  if (IsValidSocialCreditCode(p.id_number())) p.set_id_number("91410300MA40ABCDE1");
  EXPECT_EQ(ValidateParty(p, "holder").error().message(),
            "holder.id_number: is not a valid unified social credit code (GB 32100-2015)");
}

TEST(Party, MasksPersonalNumbersOnly) {
  cpb::Party p = Zhang();
  const std::string id = p.id_number();
  MaskParty(&p);
  EXPECT_EQ(p.id_number(), id.substr(0, 6) + "********" + id.substr(14));
  EXPECT_EQ(p.phone(), "138****5678");
  cpb::Party bank = Bank();
  const std::string code = bank.id_number();
  MaskParty(&bank);
  EXPECT_EQ(bank.id_number(), code);  // an organisation's credit code is public
}

v1::Right Shared(std::initializer_list<std::pair<int64_t, int64_t>> shares) {
  v1::Right r;
  r.set_right_kind(v1::RIGHT_KIND_STATE_LAND_USE_AND_HOUSE_OWNERSHIP);
  r.set_co_ownership(v1::CO_OWNERSHIP_BY_SHARES);
  const cpb::Party people[] = {Zhang(), Li(), Wang()};
  int i = 0;
  for (auto [n, d] : shares) *r.add_holders() = ShareHolder(people[i++], n, d);
  return r;
}

TEST(Shares, ThirdsSumToExactlyOne) {
  EXPECT_TRUE(ValidateHolders(Shared({{1, 3}, {1, 3}, {1, 3}}), "right").ok());
  EXPECT_TRUE(ValidateHolders(Shared({{1, 2}, {1, 3}, {1, 6}}), "right").ok());
  EXPECT_TRUE(ValidateHolders(Shared({{2, 4}, {5, 10}}), "right").ok());
}

TEST(Shares, RejectsSharesNotSummingToOne) {
  auto e = ValidateHolders(Shared({{1, 3}, {1, 3}, {1, 6}}), "right");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(e.error().message(), "right.holders: shares sum to 5/6, they must sum to exactly 1");
  e = ValidateHolders(Shared({{2, 3}, {1, 2}}), "right");
  EXPECT_EQ(e.error().message(), "right.holders: shares sum to 7/6, they must sum to exactly 1");
  // Values that floating point would round to 1.
  e = ValidateHolders(Shared({{999999999999, 1000000000000}, {1, 1000000000001}}), "right");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code(), Code::kInvalidArgument);
}

TEST(Shares, RejectsMalformedShares) {
  auto e = ValidateHolders(Shared({{0, 3}, {1, 1}}), "right");
  EXPECT_EQ(e.error().message(), "right.holders[0].share.numerator: must be at least 1, got 0");
  e = ValidateHolders(Shared({{4, 3}, {1, 3}}), "right");
  EXPECT_EQ(e.error().message(),
            "right.holders[0].share.denominator: must be at least the numerator (4), got 3");
  v1::Right r = Shared({{1, 2}, {1, 2}});
  r.mutable_holders(1)->clear_share();
  e = ValidateHolders(r, "right");
  EXPECT_EQ(e.error().message(),
            "right.holders[1].share: is required for ownership by shares (按份共有)");
}

TEST(Shares, ChecksCoOwnershipAgainstHolders) {
  v1::Right r = Shared({{1, 2}, {1, 2}});
  r.set_co_ownership(v1::CO_OWNERSHIP_SOLE);
  EXPECT_EQ(ValidateHolders(r, "right").error().message(),
            "right.co_ownership: CO_OWNERSHIP_SOLE requires exactly one holder, got 2");
  r.set_co_ownership(v1::CO_OWNERSHIP_JOINT);
  EXPECT_EQ(ValidateHolders(r, "right").error().message(),
            "right.holders[0].share: must be unset for joint ownership (共同共有)");
  r.set_co_ownership(v1::CO_OWNERSHIP_UNSPECIFIED);
  EXPECT_EQ(ValidateHolders(r, "right").error().message(),
            "right.co_ownership: must be CO_OWNERSHIP_SOLE, CO_OWNERSHIP_JOINT or "
            "CO_OWNERSHIP_BY_SHARES");
  v1::Right one;
  one.set_co_ownership(v1::CO_OWNERSHIP_BY_SHARES);
  *one.add_holders() = ShareHolder(Zhang(), 1, 1);
  EXPECT_EQ(ValidateHolders(one, "right").error().message(),
            "right.co_ownership: CO_OWNERSHIP_BY_SHARES requires at least two holders");
  v1::Right twice = Shared({{1, 2}, {1, 2}});
  *twice.mutable_holders(1)->mutable_party() = Zhang();
  EXPECT_EQ(ValidateHolders(twice, "right").error().message(),
            "right.holders[1].party: is the same party as holders[0]");
  v1::Right none;
  none.set_co_ownership(v1::CO_OWNERSHIP_SOLE);
  EXPECT_EQ(ValidateHolders(none, "right").error().message(),
            "right.holders: at least one holder is required");
}

}  // namespace
}  // namespace nrp::registration
