// Licence numbers (许可证号) of exploration and mining rights: permanent and unique.
//
// Current numbers: 23 characters since 2020 (矿业权登记信息管理办法; DZ/T 0443-2023 Annex A).
// The sources (design/domain.md, the contract, shared/seeds and their notes) state the
// length and the standard but not the layout of the 23 characters, so this layout is
// ASSUMED, built from what they do state (the kind letter of the older number, the GB/T
// 2260 region codes the contract uses, a year, a sequence):
//   [0]      kind: T exploration (探矿权), C mining (采矿权)
//   [1..6]   6-digit GB/T 2260 code of the registering authority's region (province 11-82)
//   [7..10]  year the number was issued, 2020 or later (the scheme starts in 2020)
//   [11..22] 12-digit sequence within region and year, from 000000000001
//
// Older exploration numbers: 18 characters (domain.md; MiningRight.legacy_licence_number):
//   T + issuing authority 2 digits + grant method 1 digit (1 first-come, 2 tender,
//   3 auction, 4 listing, 5 negotiation) + year-month 6 digits (YYYYMM, month 01-12) +
//   mineral class 2 digits (01 energy, 02 metal, 03 non-metal, 04 water/gas) + sequence
//   6 digits (from 000001).
// Accepted for existing rights only; the right gets a 23-character number at its next
// registration.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/types.h"

namespace nrp::mining_rights {

enum class LicenceFormat { kCurrent23, kLegacy18 };

class LicenceNumber {
 public:
  static constexpr int kCurrentLength = 23;
  static constexpr int kLegacyLength = 18;
  static constexpr int kFirstCurrentYear = 2020;
  static constexpr int64_t kMaxSequence = 999'999'999'999;

  // Either format; INVALID_ARGUMENT naming `field` for anything else.
  static Result<LicenceNumber> Parse(std::string_view text, std::string_view field);
  // A new 23-character number; INVALID_ARGUMENT naming the bad part ("kind", "region_code",
  // "year", "sequence").
  static Result<LicenceNumber> Generate(RightKind kind, std::string_view region_code, int year,
                                        int64_t sequence);

  const std::string& str() const { return text_; }
  LicenceFormat format() const { return format_; }
  bool legacy() const { return format_ == LicenceFormat::kLegacy18; }
  RightKind kind() const { return kind_; }
  // Current numbers: the region code; legacy numbers: the 2-digit issuing authority.
  const std::string& authority() const { return authority_; }
  int year() const { return year_; }
  // Legacy numbers only (0 otherwise).
  unsigned month() const { return month_; }
  GrantMethod grant_method() const { return grant_method_; }
  MineralClass mineral_class() const { return mineral_class_; }
  int64_t sequence() const { return sequence_; }

  bool operator==(const LicenceNumber& o) const { return text_ == o.text_; }
  auto operator<=>(const LicenceNumber& o) const { return text_ <=> o.text_; }

 private:
  LicenceNumber() = default;
  std::string text_;
  LicenceFormat format_ = LicenceFormat::kCurrent23;
  RightKind kind_ = RightKind::kUnspecified;
  std::string authority_;
  int year_ = 0;
  unsigned month_ = 0;
  GrantMethod grant_method_ = GrantMethod::kUnspecified;
  MineralClass mineral_class_ = MineralClass::kUnspecified;
  int64_t sequence_ = 0;
};

// Whether the right must be given a 23-character number at its next registration
// (extension, transfer, change, split, merge): true for an 18-character number.
bool MustReissueAtNextRegistration(const LicenceNumber& n);

// A new right is registered with a 23-character number of its kind: FAILED_PRECONDITION
// LEGACY_NUMBER_FOR_NEW_RIGHT for an 18-character one, LICENCE_KIND_MISMATCH for a number
// of the other kind.
Status CheckNumberForNewRight(const LicenceNumber& n, RightKind kind);

// The number a right carries after a registration: its own, or `fresh` when it still has
// an 18-character number. `fresh` must be a 23-character number of the same kind
// (INVALID_ARGUMENT "fresh_number" otherwise).
Result<LicenceNumber> NumberAfterRegistration(const LicenceNumber& current,
                                              const std::optional<LicenceNumber>& fresh);

// Split (分立): the part at `keeps_index` (the first when unset) keeps the original
// number, the others take the fresh numbers in order. INVALID_ARGUMENT for fewer than two
// parts ("parts"), an index out of range ("keeps_number_index"), or a wrong count of fresh
// numbers ("fresh_numbers"); FAILED_PRECONDITION LICENCE_NUMBER_NOT_UNIQUE when a fresh
// number repeats the original or another fresh number, LICENCE_KIND_MISMATCH when it is
// of the other kind or in the 18-character format.
Result<std::vector<LicenceNumber>> NumberSplitParts(const LicenceNumber& original, int part_count,
                                                    std::optional<int> keeps_index,
                                                    const std::vector<LicenceNumber>& fresh);

// Merge (合并): the earliest number survives — that of the right first granted earliest,
// ties broken by the number's text in byte order.
struct MergeCandidate {
  std::string right_id;
  std::string holder_id;
  LicenceNumber number;
  Date first_granted_on;
};
// The index of the candidate whose number survives. INVALID_ARGUMENT "right_ids" for fewer
// than two rights or a right or number named twice; FAILED_PRECONDITION
// MERGE_HOLDERS_DIFFER (rights of one holder only) or MERGE_KINDS_DIFFER (exploration and
// mining rights are not merged).
Result<size_t> SurvivingNumber(const std::vector<MergeCandidate>& rights);

}  // namespace nrp::mining_rights
