#include "domain/unit_code.h"

#include "domain/region.h"

namespace nrp::registration {

namespace {

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

v1::LandOwnershipCode OwnershipFromLetter(char c) {
  switch (c) {
    case 'G':
      return v1::LAND_OWNERSHIP_CODE_STATE;
    case 'J':
      return v1::LAND_OWNERSHIP_CODE_COLLECTIVE;
    case 'Z':
      return v1::LAND_OWNERSHIP_CODE_UNDETERMINED;
    default:
      return v1::LAND_OWNERSHIP_CODE_UNSPECIFIED;
  }
}

v1::ParcelFeatureType ParcelTypeFromLetter(char c) {
  switch (c) {
    case 'A':
      return v1::PARCEL_FEATURE_TYPE_COLLECTIVE_OWNERSHIP;
    case 'B':
      return v1::PARCEL_FEATURE_TYPE_CONSTRUCTION_SURFACE;
    case 'S':
      return v1::PARCEL_FEATURE_TYPE_CONSTRUCTION_ABOVE_GROUND;
    case 'X':
      return v1::PARCEL_FEATURE_TYPE_CONSTRUCTION_UNDERGROUND;
    case 'C':
      return v1::PARCEL_FEATURE_TYPE_HOMESTEAD;
    case 'D':
      return v1::PARCEL_FEATURE_TYPE_CONTRACTED_ARABLE;
    case 'E':
      return v1::PARCEL_FEATURE_TYPE_CONTRACTED_FOREST;
    case 'F':
      return v1::PARCEL_FEATURE_TYPE_CONTRACTED_GRASSLAND;
    case 'H':
      return v1::PARCEL_FEATURE_TYPE_SEA_AREA;
    case 'G':
      return v1::PARCEL_FEATURE_TYPE_UNINHABITED_ISLAND;
    case 'W':
      return v1::PARCEL_FEATURE_TYPE_UNDETERMINED;
    case 'Y':
      return v1::PARCEL_FEATURE_TYPE_OTHER;
    default:
      return v1::PARCEL_FEATURE_TYPE_UNSPECIFIED;
  }
}

v1::FixtureType FixtureTypeFromLetter(char c) {
  switch (c) {
    case 'F':
      return v1::FIXTURE_TYPE_BUILDING;
    case 'L':
      return v1::FIXTURE_TYPE_FOREST;
    case 'Q':
      return v1::FIXTURE_TYPE_OTHER;
    case 'W':
      return v1::FIXTURE_TYPE_NONE;
    default:
      return v1::FIXTURE_TYPE_UNSPECIFIED;
  }
}

char OwnershipLetter(v1::LandOwnershipCode code) {
  switch (code) {
    case v1::LAND_OWNERSHIP_CODE_STATE:
      return 'G';
    case v1::LAND_OWNERSHIP_CODE_COLLECTIVE:
      return 'J';
    case v1::LAND_OWNERSHIP_CODE_UNDETERMINED:
      return 'Z';
    default:
      return '?';
  }
}

char ParcelTypeLetter(v1::ParcelFeatureType type) {
  static const char kLetters[] = "?ABSXCDEFHGWY";
  int i = static_cast<int>(type);
  return (i >= 0 && i < 13) ? kLetters[i] : '?';
}

char FixtureLetter(v1::FixtureType type) {
  static const char kLetters[] = "?FLQW";
  int i = static_cast<int>(type);
  return (i >= 0 && i < 5) ? kLetters[i] : '?';
}

Result<UnitCode> UnitCode::Parse(std::string_view text, std::string_view field_view) {
  std::string field(field_view);
  if (text.empty()) return Error::InvalidArgument(field, "is required");
  size_t chars = Utf8Length(text);
  if (text.size() != kLength || chars != kLength) {
    return Error::InvalidArgument(
        field, "must be 28 characters (GB/T 37346-2019), got " + std::to_string(chars));
  }
  std::string_view county = text.substr(0, 6);
  if (!AllDigits(county, 6)) {
    return Error::InvalidArgument(
        field, "county code " + Quote(county) + " (characters 1-6) must be 6 digits");
  }
  if (ProvinceAbbreviation(county).empty()) {
    return Error::InvalidArgument(field, "county code " + Quote(county) +
                                             " (characters 1-6) has no GB/T 2260 province '" +
                                             std::string(county.substr(0, 2)) + "'");
  }
  std::string_view zone = text.substr(6, 3);
  if (!AllDigits(zone, 3)) {
    return Error::InvalidArgument(
        field, "cadastral zone " + Quote(zone) + " (characters 7-9) must be 3 digits");
  }
  std::string_view sub_zone = text.substr(9, 3);
  if (!AllDigits(sub_zone, 3)) {
    return Error::InvalidArgument(
        field, "cadastral sub-zone " + Quote(sub_zone) + " (characters 10-12) must be 3 digits");
  }
  std::string_view feature = text.substr(12, 2);
  auto ownership = OwnershipFromLetter(feature[0]);
  if (ownership == v1::LAND_OWNERSHIP_CODE_UNSPECIFIED) {
    return Error::InvalidArgument(
        field, "parcel feature code " + Quote(feature) + " (characters 13-14): ownership letter " +
                   Quote(feature.substr(0, 1)) +
                   " must be G (state), J (collective) or Z (undetermined)");
  }
  auto type = ParcelTypeFromLetter(feature[1]);
  if (type == v1::PARCEL_FEATURE_TYPE_UNSPECIFIED) {
    return Error::InvalidArgument(field, "parcel feature code " + Quote(feature) +
                                             " (characters 13-14): type letter " +
                                             Quote(feature.substr(1, 1)) +
                                             " must be one of A, B, S, X, C, D, E, F, H, G, W, Y");
  }
  if (type == v1::PARCEL_FEATURE_TYPE_COLLECTIVE_OWNERSHIP &&
      ownership != v1::LAND_OWNERSHIP_CODE_COLLECTIVE) {
    return Error::InvalidArgument(field, "parcel feature code " + Quote(feature) +
                                             ": type A (collective land ownership parcel) "
                                             "requires ownership letter J (collective)");
  }
  if ((type == v1::PARCEL_FEATURE_TYPE_SEA_AREA ||
       type == v1::PARCEL_FEATURE_TYPE_UNINHABITED_ISLAND) &&
      ownership == v1::LAND_OWNERSHIP_CODE_COLLECTIVE) {
    // 海域使用管理法 art. 3, 海岛保护法 art. 4: sea areas and uninhabited islands are state-owned.
    return Error::InvalidArgument(field, "parcel feature code " + Quote(feature) +
                                             ": sea areas (H) and uninhabited islands (G) are "
                                             "state-owned and cannot have ownership letter J");
  }
  std::string_view sequence = text.substr(14, 5);
  if (!AllDigits(sequence, 5)) {
    return Error::InvalidArgument(
        field, "parcel sequence " + Quote(sequence) + " (characters 15-19) must be 5 digits");
  }
  if (sequence == "00000") {
    return Error::InvalidArgument(
        field, "parcel sequence '00000' (characters 15-19) must be 00001 to 99999");
  }
  char fixture_letter = text[19];
  auto fixture = FixtureTypeFromLetter(fixture_letter);
  if (fixture == v1::FIXTURE_TYPE_UNSPECIFIED) {
    return Error::InvalidArgument(
        field, "fixture feature code " + Quote(text.substr(19, 1)) +
                   " (character 20) must be F (building), L (forest/trees), Q (other) or W (none)");
  }
  std::string_view number = text.substr(20, 8);
  if (!AllDigits(number, 8)) {
    return Error::InvalidArgument(
        field, "fixture unit number " + Quote(number) + " (characters 21-28) must be 8 digits");
  }
  if (fixture == v1::FIXTURE_TYPE_NONE && number != "00000000") {
    return Error::InvalidArgument(field, "fixture unit number " + Quote(number) +
                                             " must be 00000000 when the fixture feature code "
                                             "is W (no fixture)");
  }
  if (fixture != v1::FIXTURE_TYPE_NONE && number == "00000000") {
    return Error::InvalidArgument(field,
                                  "fixture unit number '00000000' is only valid with fixture "
                                  "feature code W (no fixture), not " +
                                      Quote(text.substr(19, 1)));
  }
  UnitCode code;
  code.text_ = std::string(text);
  code.ownership_ = ownership;
  code.parcel_type_ = type;
  code.fixture_type_ = fixture;
  return code;
}

}  // namespace nrp::registration
