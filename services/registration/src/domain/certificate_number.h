// Certificate numbers (不动产权证书号 / 不动产登记证明号), 不动产登记暂行条例实施细则 and the
// certificate format of the Ministry:
//   <province abbreviation>(<year>)<city/county>不动产权第<7 digits>号     title certificate
//   <province abbreviation>(<year>)<city/county>不动产证明第<7 digits>号   registration proof
// e.g. "豫(2026)洛阳市不动产权第0000123号". Numbers run per registry, year and kind without gaps.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "nrp/core/status.h"
#include "nrp/registration/v1/resources.pb.h"

namespace nrp::registration {

// The registry that numbers certificates for a region: a county-level city or county numbers
// its own; a city district (市辖区) is served by its city's registry.
struct Registry {
  std::string code;  // 6-digit code the counter runs under
  std::string name;  // printed in the number, e.g. "洛阳市", "栾川县"
};

class RegistryNames {
 public:
  // The built-in names of the five plan areas' cities and counties.
  static RegistryNames Defaults();
  // Adds or replaces names from "<code><TAB or space><name>" lines ('#' comments).
  Status AddLines(std::string_view text, std::string_view origin);
  void Add(std::string code, std::string name) { names_[std::move(code)] = std::move(name); }

  // FAILED_PRECONDITION REGISTRY_UNKNOWN when no name is configured for the region.
  Result<Registry> RegistryFor(const std::string& region_code) const;
  size_t size() const { return names_.size(); }

 private:
  std::map<std::string, std::string> names_;
};

// The number for `sequence` (1..9999999); RESOURCE_EXHAUSTED beyond.
Result<std::string> FormatCertificateNumber(const std::string& region_code, int year,
                                            const std::string& registry_name,
                                            v1::CertificateKind kind, int64_t sequence);

}  // namespace nrp::registration
