#include "domain/certificate_number.h"

#include <cstdio>

#include "domain/region.h"

namespace nrp::registration {

RegistryNames RegistryNames::Defaults() {
  RegistryNames n;
  static const std::pair<const char*, const char*> kNames[] = {
      // 河南省洛阳市 (seed 000)
      {"410300", "洛阳市"},
      {"410302", "老城区"},
      {"410303", "西工区"},
      {"410304", "瀍河回族区"},
      {"410305", "涧西区"},
      {"410307", "偃师区"},
      {"410308", "孟津区"},
      {"410311", "洛龙区"},
      {"410323", "新安县"},
      {"410324", "栾川县"},
      {"410325", "嵩县"},
      {"410326", "汝阳县"},
      {"410327", "宜阳县"},
      {"410328", "洛宁县"},
      {"410329", "伊川县"},
      // 河南省开封市 (seed 001)
      {"410200", "开封市"},
      {"410202", "龙亭区"},
      {"410203", "顺河回族区"},
      {"410204", "鼓楼区"},
      {"410205", "禹王台区"},
      {"410212", "祥符区"},
      {"410221", "杞县"},
      {"410222", "通许县"},
      {"410223", "尉氏县"},
      {"410225", "兰考县"},
      // 吉林省 (seed 002)
      {"220000", "吉林省"},
      {"220100", "长春市"},
      {"220200", "吉林市"},
      {"220300", "四平市"},
      {"220400", "辽源市"},
      {"220500", "通化市"},
      {"220600", "白山市"},
      {"220700", "松原市"},
      {"220800", "白城市"},
      {"222400", "延边州"},
      // 宁夏吴忠市 (seed 003)
      {"640300", "吴忠市"},
      {"640302", "利通区"},
      {"640303", "红寺堡区"},
      {"640323", "盐池县"},
      {"640324", "同心县"},
      {"640381", "青铜峡市"},
      // 山西省 (seed 004)
      {"140000", "山西省"},
      {"140100", "太原市"},
      {"140200", "大同市"},
      {"140300", "阳泉市"},
      {"140400", "长治市"},
      {"140500", "晋城市"},
      {"140600", "朔州市"},
      {"140700", "晋中市"},
      {"140800", "运城市"},
      {"140900", "忻州市"},
      {"141000", "临汾市"},
      {"141100", "吕梁市"},
  };
  for (const auto& [code, name] : kNames) n.Add(code, name);
  return n;
}

Status RegistryNames::AddLines(std::string_view text, std::string_view origin) {
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
      line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) continue;
    size_t sep = line.find_first_of(" \t");
    std::string where = std::string(origin) + ":" + std::to_string(line_no);
    if (sep == std::string_view::npos) {
      return Error::InvalidArgument(where, "expected '<region code> <name>'");
    }
    std::string code(line.substr(0, sep));
    std::string_view name = line.substr(sep);
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
    NRP_RETURN_IF_ERROR(ValidateRegionCode(code, where));
    if (name.empty()) return Error::InvalidArgument(where, "name is missing");
    Add(code, std::string(name));
  }
  return Ok();
}

Result<Registry> RegistryNames::RegistryFor(const std::string& region_code) const {
  auto it = names_.find(region_code);
  if (it == names_.end()) {
    return Error::FailedPrecondition("REGISTRY_UNKNOWN", "regions/" + region_code,
                                     "no registry name is configured for region " + region_code +
                                         " (NRP_REGISTRATION_REGISTRY_NAMES_FILE)");
  }
  const std::string& name = it->second;
  const bool county_level = region_code.substr(4) != "00";
  const std::string district_suffix = "区";
  const bool district = name.size() >= district_suffix.size() &&
                        name.compare(name.size() - district_suffix.size(), district_suffix.size(),
                                     district_suffix) == 0;
  if (county_level && district) {
    std::string city = region_code.substr(0, 4) + "00";
    auto c = names_.find(city);
    if (c != names_.end()) return Registry{city, c->second};
  }
  return Registry{region_code, name};
}

Result<std::string> FormatCertificateNumber(const std::string& region_code, int year,
                                            const std::string& registry_name,
                                            v1::CertificateKind kind, int64_t sequence) {
  std::string abbrev = ProvinceAbbreviation(region_code);
  if (abbrev.empty()) {
    return Error::InvalidArgument("region_code", "unknown province of " + region_code);
  }
  if (sequence < 1 || sequence > 9999999) {
    return Error::ResourceExhausted("certificate numbers of " + registry_name + " for " +
                                    std::to_string(year) + " are used up (7 digits)");
  }
  const char* word = nullptr;
  switch (kind) {
    case v1::CERTIFICATE_KIND_TITLE_CERTIFICATE:
      word = "不动产权";
      break;
    case v1::CERTIFICATE_KIND_REGISTRATION_PROOF:
      word = "不动产证明";
      break;
    default:
      return Error::InvalidArgument("kind", "no certificate number for this kind");
  }
  char digits[16];
  std::snprintf(digits, sizeof digits, "%07lld", static_cast<long long>(sequence));
  return abbrev + "(" + std::to_string(year) + ")" + registry_name + word + "第" + digits + "号";
}

}  // namespace nrp::registration
