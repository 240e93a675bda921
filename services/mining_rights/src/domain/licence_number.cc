#include "domain/licence_number.h"

#include <cstdio>
#include <set>

namespace nrp::mining_rights {

namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int64_t ToInt(std::string_view s) {
  int64_t v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

RightKind KindOfLetter(char c) {
  if (c == 'T') return RightKind::kExploration;
  if (c == 'C') return RightKind::kMining;
  return RightKind::kUnspecified;
}

char LetterOfKind(RightKind k) { return k == RightKind::kExploration ? 'T' : 'C'; }

// Six digits with a province part 11 to 82 (GB/T 2260).
bool IsRegionCode(std::string_view s) {
  if (s.size() != 6 || !AllDigits(s)) return false;
  int64_t province = ToInt(s.substr(0, 2));
  return province >= 11 && province <= 82;
}

}  // namespace

Result<LicenceNumber> LicenceNumber::Parse(std::string_view text, std::string_view field) {
  const std::string f(field);
  const std::string t(text);
  LicenceNumber n;
  n.text_ = t;
  if (text.size() == kCurrentLength) {
    n.format_ = LicenceFormat::kCurrent23;
    n.kind_ = KindOfLetter(text[0]);
    if (n.kind_ == RightKind::kUnspecified) {
      return Error::InvalidArgument(
          f, "a licence number starts with T (exploration) or C (mining), got '" + t + "'");
    }
    std::string_view region = text.substr(1, 6), year = text.substr(7, 4),
                     seq = text.substr(11, 12);
    if (!AllDigits(text.substr(1))) {
      return Error::InvalidArgument(
          f, "characters 2 to 23 of a licence number are digits, got '" + t + "'");
    }
    if (!IsRegionCode(region)) {
      return Error::InvalidArgument(
          f, "characters 2 to 7 are not a GB/T 2260 region code in '" + t + "'");
    }
    n.authority_ = std::string(region);
    n.year_ = static_cast<int>(ToInt(year));
    if (n.year_ < kFirstCurrentYear) {
      return Error::InvalidArgument(f, "the year " + std::string(year) + " in '" + t +
                                           "' is before 2020, when 23-character numbers began");
    }
    n.sequence_ = ToInt(seq);
    if (n.sequence_ == 0) {
      return Error::InvalidArgument(f, "the sequence of '" + t + "' is zero; sequences start at 1");
    }
    return n;
  }
  if (text.size() == kLegacyLength) {
    n.format_ = LicenceFormat::kLegacy18;
    if (text[0] != 'T') {
      return Error::InvalidArgument(
          f, "an 18-character licence number is an exploration number and starts with T, got '" +
                 t + "'");
    }
    n.kind_ = RightKind::kExploration;
    if (!AllDigits(text.substr(1))) {
      return Error::InvalidArgument(
          f, "characters 2 to 18 of a licence number are digits, got '" + t + "'");
    }
    n.authority_ = std::string(text.substr(1, 2));
    int method = text[3] - '0';
    if (method < 1 || method > kGrantMethodMax) {
      return Error::InvalidArgument(
          f,
          "character 4 of '" + t + "' is the grant method, 1 to 5, got " + std::string(1, text[3]));
    }
    n.grant_method_ = static_cast<GrantMethod>(method);
    n.year_ = static_cast<int>(ToInt(text.substr(4, 4)));
    n.month_ = static_cast<unsigned>(ToInt(text.substr(8, 2)));
    if (n.month_ < 1 || n.month_ > 12) {
      return Error::InvalidArgument(f, "characters 9 to 10 of '" + t +
                                           "' are the month, 01 to 12, got " +
                                           std::string(text.substr(8, 2)));
    }
    int cls = static_cast<int>(ToInt(text.substr(10, 2)));
    if (cls < 1 || cls > 4) {
      return Error::InvalidArgument(f, "characters 11 to 12 of '" + t +
                                           "' are the mineral class, 01 to 04, got " +
                                           std::string(text.substr(10, 2)));
    }
    n.mineral_class_ = static_cast<MineralClass>(cls);
    n.sequence_ = ToInt(text.substr(12, 6));
    if (n.sequence_ == 0) {
      return Error::InvalidArgument(f, "the sequence of '" + t + "' is zero; sequences start at 1");
    }
    return n;
  }
  return Error::InvalidArgument(f,
                                "a licence number has 23 characters (18 for an older "
                                "exploration number), got " +
                                    std::to_string(text.size()) + " in '" + t + "'");
}

Result<LicenceNumber> LicenceNumber::Generate(RightKind kind, std::string_view region_code,
                                              int year, int64_t sequence) {
  if (kind != RightKind::kExploration && kind != RightKind::kMining) {
    return Error::InvalidArgument("kind", "must be EXPLORATION or MINING");
  }
  if (!IsRegionCode(region_code)) {
    return Error::InvalidArgument("region_code", "expected a 6-digit GB/T 2260 region code, got '" +
                                                     std::string(region_code) + "'");
  }
  if (year < kFirstCurrentYear || year > 9999) {
    return Error::InvalidArgument("year",
                                  "must lie between 2020 and 9999, got " + std::to_string(year));
  }
  if (sequence < 1 || sequence > kMaxSequence) {
    return Error::InvalidArgument(
        "sequence", "must lie between 1 and 999999999999, got " + std::to_string(sequence));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%c%.6s%04d%012lld", LetterOfKind(kind),
                std::string(region_code).c_str(), year, static_cast<long long>(sequence));
  return Parse(buf, "licence_number");
}

bool MustReissueAtNextRegistration(const LicenceNumber& n) { return n.legacy(); }

Status CheckNumberForNewRight(const LicenceNumber& n, RightKind kind) {
  if (n.legacy()) {
    return Error::FailedPrecondition(
        "LEGACY_NUMBER_FOR_NEW_RIGHT", n.str(),
        "licence number " + n.str() +
            " is an 18-character exploration number, valid only for rights registered before "
            "2020; a new right gets a 23-character number");
  }
  if (n.kind() != kind) {
    return Error::FailedPrecondition(
        "LICENCE_KIND_MISMATCH", n.str(),
        "licence number " + n.str() + " is a number of a " + std::string(RightKindName(n.kind())) +
            " right, not of a " + std::string(RightKindName(kind)) + " right");
  }
  return Ok();
}

Result<LicenceNumber> NumberAfterRegistration(const LicenceNumber& current,
                                              const std::optional<LicenceNumber>& fresh) {
  if (!MustReissueAtNextRegistration(current)) return current;
  if (!fresh) {
    return Error::InvalidArgument("fresh_number", "licence number " + current.str() +
                                                      " is an 18-character number and is "
                                                      "replaced at this registration; none given");
  }
  if (fresh->legacy() || fresh->kind() != current.kind()) {
    return Error::InvalidArgument("fresh_number", "the replacement of " + current.str() +
                                                      " must be a 23-character " +
                                                      std::string(RightKindName(current.kind())) +
                                                      " number, got " + fresh->str());
  }
  return *fresh;
}

Result<std::vector<LicenceNumber>> NumberSplitParts(const LicenceNumber& original, int part_count,
                                                    std::optional<int> keeps_index,
                                                    const std::vector<LicenceNumber>& fresh) {
  if (part_count < 2) {
    return Error::InvalidArgument(
        "parts", "a split makes at least two parts, got " + std::to_string(part_count));
  }
  int keep = keeps_index.value_or(0);
  if (keep < 0 || keep >= part_count) {
    return Error::InvalidArgument("keeps_number_index",
                                  "must name one of the " + std::to_string(part_count) +
                                      " parts (0 to " + std::to_string(part_count - 1) + "), got " +
                                      std::to_string(keep));
  }
  if (static_cast<int>(fresh.size()) != part_count - 1) {
    return Error::InvalidArgument("fresh_numbers",
                                  "a split into " + std::to_string(part_count) + " parts needs " +
                                      std::to_string(part_count - 1) + " new numbers, got " +
                                      std::to_string(fresh.size()));
  }
  std::set<std::string> seen = {original.str()};
  for (const auto& n : fresh) {
    if (n.legacy() || n.kind() != original.kind()) {
      return Error::FailedPrecondition("LICENCE_KIND_MISMATCH", n.str(),
                                       "the parts of " + original.str() + " take 23-character " +
                                           std::string(RightKindName(original.kind())) +
                                           " numbers; " + n.str() + " is not one");
    }
    if (!seen.insert(n.str()).second) {
      return Error::FailedPrecondition(
          "LICENCE_NUMBER_NOT_UNIQUE", n.str(),
          "licence number " + n.str() + " is given to two rights; numbers are unique");
    }
  }
  std::vector<LicenceNumber> out;
  out.reserve(part_count);
  size_t next = 0;
  for (int i = 0; i < part_count; ++i) out.push_back(i == keep ? original : fresh[next++]);
  return out;
}

Result<size_t> SurvivingNumber(const std::vector<MergeCandidate>& rights) {
  if (rights.size() < 2) {
    return Error::InvalidArgument(
        "right_ids", "a merge joins at least two rights, got " + std::to_string(rights.size()));
  }
  std::set<std::string> ids, numbers;
  for (const auto& r : rights) {
    if (!ids.insert(r.right_id).second) {
      return Error::InvalidArgument("right_ids", "right " + r.right_id + " is named twice");
    }
    if (!numbers.insert(r.number.str()).second) {
      return Error::InvalidArgument("right_ids",
                                    "licence number " + r.number.str() + " is named twice");
    }
  }
  const MergeCandidate& first = rights.front();
  for (const auto& r : rights) {
    if (r.holder_id != first.holder_id) {
      return Error::FailedPrecondition("MERGE_HOLDERS_DIFFER", r.right_id,
                                       "right " + r.right_id + " is held by " + r.holder_id +
                                           ", right " + first.right_id + " by " + first.holder_id +
                                           "; only rights of one holder are merged");
    }
    if (r.number.kind() != first.number.kind()) {
      return Error::FailedPrecondition("MERGE_KINDS_DIFFER", r.right_id,
                                       "right " + r.right_id + " is a " +
                                           std::string(RightKindName(r.number.kind())) +
                                           " right, right " + first.right_id + " a " +
                                           std::string(RightKindName(first.number.kind())) +
                                           " right; only rights of one kind are merged");
    }
  }
  size_t best = 0;
  for (size_t i = 1; i < rights.size(); ++i) {
    const auto& a = rights[i];
    const auto& b = rights[best];
    if (a.first_granted_on < b.first_granted_on ||
        (a.first_granted_on == b.first_granted_on && a.number.str() < b.number.str())) {
      best = i;
    }
  }
  return best;
}

}  // namespace nrp::mining_rights
