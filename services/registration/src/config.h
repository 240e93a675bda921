// The registration service's own settings (NRP_REGISTRATION_*), with domain.md's values as
// defaults. The platform settings (database, Redis, Kafka, gRPC, auth) are read by
// nrp::service::RuntimeOptions.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "domain/certificate_number.h"
#include "domain/time_limits.h"
#include "nrp/core/calendar.h"
#include "nrp/core/config.h"
#include "nrp/core/status.h"
#include "signing/document_signer.h"

namespace nrp::registration {

struct RegistrationConfig {
  // NRP_REGISTRATION_TIME_LIMIT_DAYS (5), NRP_REGISTRATION_TIME_LIMITS
  // ("SEIZURE=0,SEIZURE_RELEASE=0"), NRP_REGISTRATION_NOTICE_MIN_DAYS (15).
  TimeLimits limits = TimeLimits::Defaults();
  // NRP_REGISTRATION_OBJECTION_LAPSE_DAYS (15, Civil Code art. 220).
  int objection_lapse_days = 15;
  // NRP_REGISTRATION_KEY_AREAS_FIRST (true): non-key natural-resource units wait for the
  // region's key-area units.
  bool key_areas_first = true;
  // NRP_REGISTRATION_SIGNATURE_ALGORITHM (SM2-with-SM3 | Ed25519; default SM2-with-SM3, the
  // national algorithms).
  SignatureAlgorithm algorithm = SignatureAlgorithm::kSm2WithSm3;
  // NRP_REGISTRATION_SIGNING_KEY_FILE: PEM private key of the registry. Empty: a key is
  // generated once and kept in the database (development stacks only).
  std::string signing_key_file;
  // NRP_REGISTRATION_PUBLIC_KEY_OUT: where to write the public key PEM at start (optional).
  std::string public_key_out;
  // NRP_REGISTRATION_REGISTRY_NAMES_FILE: "<region code> <name>" lines added to the built-in
  // registry names used in certificate numbers.
  RegistryNames registries = RegistryNames::Defaults();
  // NRP_REGISTRATION_OVERDUE_INTERVAL (60s), NRP_REGISTRATION_OVERDUE_BATCH (100).
  std::chrono::milliseconds overdue_interval{60000};
  int overdue_batch = 100;
  // NRP_REGISTRATION_CACHE_TTL (5m): unit and current-register lookups in Redis.
  std::chrono::milliseconds cache_ttl{300000};
  // NRP_REGISTRATION_CACHE_PREFIX ("nrp:registration:"): Redis key prefix of the caches.
  std::string cache_prefix = "nrp:registration:";
  // The working-day calendar is the runtime's (NRP_CALENDAR_DIR, reloaded while running).

  static Result<RegistrationConfig> FromEnv(Env& env);
};

}  // namespace nrp::registration
