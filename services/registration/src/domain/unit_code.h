// Real-estate unit code (不动产单元号), GB/T 37346-2019 不动产单元设定与代码编制规则.
//
// 28 characters:
//   county code (6 digits, GB/T 2260)            e.g. 410302
//   cadastral zone (地籍区, 3 digits)              001
//   cadastral sub-zone (地籍子区, 3 digits)        001
//   parcel feature code (宗地特征码, 2 letters)    GB
//       ownership: G state / J collective / Z undetermined
//       type: A collective ownership parcel, B construction land (surface), S above ground,
//             X underground, C homestead, D contracted arable, E contracted forest,
//             F contracted grassland, H sea area, G uninhabited island,
//             W undetermined/disputed, Y other
//   parcel sequence (宗地顺序号, 5 digits)         00012
//   fixture feature code (定着物特征码)            F building, L forest/trees, Q other, W none
//   fixture unit number (定着物单元编号, 8 digits)  00010001; 00000000 with W
// The first 19 characters are the parcel code (宗地代码).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nrp/core/status.h"
#include "nrp/registration/v1/resources.pb.h"

namespace nrp::registration {

class UnitCode {
 public:
  static constexpr size_t kLength = 28;
  static constexpr size_t kParcelCodeLength = 19;

  // Parses and validates a unit code; INVALID_ARGUMENT naming `field` and the failing part.
  static Result<UnitCode> Parse(std::string_view text, std::string_view field = "unit_code");

  const std::string& str() const { return text_; }
  std::string county_code() const { return text_.substr(0, 6); }
  std::string cadastral_zone() const { return text_.substr(6, 3); }
  std::string sub_zone() const { return text_.substr(9, 3); }
  std::string parcel_feature_code() const { return text_.substr(12, 2); }
  std::string parcel_sequence() const { return text_.substr(14, 5); }
  char fixture_code() const { return text_[19]; }
  std::string fixture_number() const { return text_.substr(20, 8); }
  std::string parcel_code() const { return text_.substr(0, kParcelCodeLength); }

  v1::LandOwnershipCode ownership() const { return ownership_; }
  v1::ParcelFeatureType parcel_type() const { return parcel_type_; }
  v1::FixtureType fixture_type() const { return fixture_type_; }

  bool operator==(const UnitCode& o) const { return text_ == o.text_; }

 private:
  UnitCode() = default;
  std::string text_;
  v1::LandOwnershipCode ownership_ = v1::LAND_OWNERSHIP_CODE_UNSPECIFIED;
  v1::ParcelFeatureType parcel_type_ = v1::PARCEL_FEATURE_TYPE_UNSPECIFIED;
  v1::FixtureType fixture_type_ = v1::FIXTURE_TYPE_UNSPECIFIED;
};

// Letters of the code and the enums they stand for.
v1::LandOwnershipCode OwnershipFromLetter(char c);
v1::ParcelFeatureType ParcelTypeFromLetter(char c);
v1::FixtureType FixtureTypeFromLetter(char c);
char OwnershipLetter(v1::LandOwnershipCode code);
char ParcelTypeLetter(v1::ParcelFeatureType type);
char FixtureLetter(v1::FixtureType type);

}  // namespace nrp::registration
