#include "config.h"

#include <fstream>
#include <sstream>

namespace nrp::registration {

Result<RegistrationConfig> RegistrationConfig::FromEnv(Env& env) {
  RegistrationConfig c;
  c.limits.default_days = static_cast<int>(env.Int("NRP_REGISTRATION_TIME_LIMIT_DAYS", 5, 0, 60));
  std::string per_kind = env.String("NRP_REGISTRATION_TIME_LIMITS", "SEIZURE=0,SEIZURE_RELEASE=0");
  c.limits.min_notice_days =
      static_cast<int>(env.Int("NRP_REGISTRATION_NOTICE_MIN_DAYS", 15, 1, 250));
  c.objection_lapse_days =
      static_cast<int>(env.Int("NRP_REGISTRATION_OBJECTION_LAPSE_DAYS", 15, 1, 365));
  c.key_areas_first = env.Bool("NRP_REGISTRATION_KEY_AREAS_FIRST", true);
  std::string algorithm = env.OneOf("NRP_REGISTRATION_SIGNATURE_ALGORITHM", "SM2-with-SM3",
                                    {"SM2-with-SM3", "Ed25519"});
  c.signing_key_file = env.String("NRP_REGISTRATION_SIGNING_KEY_FILE", "");
  c.public_key_out = env.String("NRP_REGISTRATION_PUBLIC_KEY_OUT", "");
  std::string names_file = env.String("NRP_REGISTRATION_REGISTRY_NAMES_FILE", "");
  c.overdue_interval = env.Duration("NRP_REGISTRATION_OVERDUE_INTERVAL", std::chrono::seconds(60));
  c.overdue_batch = static_cast<int>(env.Int("NRP_REGISTRATION_OVERDUE_BATCH", 100, 1, 10000));
  c.cache_ttl = env.Duration("NRP_REGISTRATION_CACHE_TTL", std::chrono::minutes(5));
  c.cache_prefix = env.String("NRP_REGISTRATION_CACHE_PREFIX", "nrp:registration:");
  NRP_RETURN_IF_ERROR(env.Check());

  c.limits.per_kind.clear();
  NRP_RETURN_IF_ERROR(c.limits.ParsePerKind(per_kind, "NRP_REGISTRATION_TIME_LIMITS"));
  NRP_ASSIGN_OR_RETURN(c.algorithm, ParseAlgorithm(algorithm));
  if (!names_file.empty()) {
    std::ifstream in(names_file);
    if (!in) {
      return Error::InvalidArgument("NRP_REGISTRATION_REGISTRY_NAMES_FILE",
                                    "cannot read " + names_file);
    }
    std::stringstream text;
    text << in.rdbuf();
    NRP_RETURN_IF_ERROR(c.registries.AddLines(text.str(), names_file));
  }
  return c;
}

}  // namespace nrp::registration
