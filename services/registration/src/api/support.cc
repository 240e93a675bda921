#include <fstream>

#include "api/internal.h"
#include "domain/convert.h"
#include "domain/party.h"
#include "domain/region.h"
#include "nrp/core/trace.h"
#include "nrp/core/uuid.h"
#include "nrp/db/transaction.h"
#include "store/store.h"

namespace nrp::registration {

RegistrationApi::RegistrationApi(service::Runtime& rt, RegistrationConfig config,
                                 std::shared_ptr<const DocumentSigner> signer)
    : rt_(rt),
      app_(rt, std::move(config)),
      signer_(std::move(signer)),
      unit_cache_(rt.redis(), app_.config().cache_prefix + "unit:", app_.config().cache_ttl),
      register_cache_(rt.redis(),
                      app_.config().cache_prefix + "register:", app_.config().cache_ttl) {}

Status RegistrationApi::LogQuery(const rpc::Caller& caller, const std::string& method,
                                 const v1::QueryReason& reason, const std::string& target,
                                 int result_count, const std::string& region_code) {
  v1::QueryLogEntry e;
  e.set_query_id(NewUuidV7());
  e.set_method(method);
  e.set_caller(caller.token_id);
  e.set_agency(caller.agency);
  *e.mutable_reason() = reason;
  e.set_target(target);
  e.set_result_count(result_count);
  e.set_region_code(region_code);
  *e.mutable_queried_at() = ToTimestamp(rt_.clock().Now());
  service::AuditRecord record;
  record.method = MethodName(method);
  record.region_code = region_code;
  record.subject = target;
  record.purpose = v1::QueryPurpose_Name(reason.purpose());
  record.legal_basis = reason.legal_basis();
  record.trace_id = trace::TraceIdOf(trace::Current());
  return db::Transact(rt_.db(), [&](pqxx::work& tx) -> Status {
    NRP_RETURN_IF_ERROR(store::InsertQueryLog(tx, e));
    return service::Audit(tx, caller, record);
  });
}

Result<v1::RealEstateUnit> RegistrationApi::LoadUnit(const std::string& unit_code) {
  NRP_ASSIGN_OR_RETURN(
      std::string bytes, unit_cache_.GetOrLoad(unit_code, [&]() -> Result<std::string> {
        auto unit =
            db::Transact(rt_.db(), [&](pqxx::work& tx) { return store::GetUnit(tx, unit_code); });
        if (!unit.ok()) return std::move(unit.error());
        if (!*unit) return Error::NotFound("unit " + unit_code + " not found");
        std::string out;
        (*unit)->SerializeToString(&out);
        return out;
      }));
  v1::RealEstateUnit unit;
  if (!unit.ParseFromString(bytes)) return Error::Internal("cached unit cannot be read");
  return unit;
}

Result<v1::UnitRegister> RegistrationApi::CurrentRegister(const v1::RealEstateUnit& unit) {
  NRP_ASSIGN_OR_RETURN(std::string bytes,
                       register_cache_.GetOrLoad(unit.unit_code(), [&]() -> Result<std::string> {
                         auto reg = db::Transact(rt_.db(), [&](pqxx::work& tx) {
                           return store::LoadUnitRegister(tx, unit, rt_.clock().Now());
                         });
                         if (!reg.ok()) return std::move(reg.error());
                         std::string out;
                         reg->SerializeToString(&out);
                         return out;
                       }));
  v1::UnitRegister reg;
  if (!reg.ParseFromString(bytes)) return Error::Internal("cached register cannot be read");
  return reg;
}

void RegistrationApi::InvalidateUnit(const std::string& unit_code) {
  for (auto* c : {&unit_cache_, &register_cache_}) {
    auto s = c->Invalidate(unit_code);
    if (!s.ok()) {
      log::Warn("cache invalidation failed; the entry expires with its TTL",
                {{"unit_code", unit_code}, {"error", s.error().message()}});
    }
  }
}

Result<std::shared_ptr<const DocumentSigner>> LoadSigner(service::Runtime& rt,
                                                         const RegistrationConfig& config) {
  std::shared_ptr<const DocumentSigner> signer;
  bool generated = false;
  if (!config.signing_key_file.empty()) {
    std::ifstream in(config.signing_key_file);
    if (!in) {
      return Error::InvalidArgument("NRP_REGISTRATION_SIGNING_KEY_FILE",
                                    "cannot read " + config.signing_key_file);
    }
    std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto s = DocumentSigner::FromPrivateKeyPem(pem);
    if (!s.ok()) {
      return Error::InvalidArgument("NRP_REGISTRATION_SIGNING_KEY_FILE", s.error().message());
    }
    if (s->algorithm() != config.algorithm) {
      return Error::InvalidArgument("NRP_REGISTRATION_SIGNING_KEY_FILE",
                                    std::string("holds an ") + AlgorithmName(s->algorithm()) +
                                        " key but NRP_REGISTRATION_SIGNATURE_ALGORITHM is " +
                                        AlgorithmName(config.algorithm));
    }
    signer = std::make_shared<const DocumentSigner>(std::move(s).value());
  } else {
    auto stored = db::Transact(rt.db(), [&](pqxx::work& tx) {
      return store::GeneratedSigningKey(tx, AlgorithmName(config.algorithm));
    });
    if (!stored.ok()) return std::move(stored.error());
    if (*stored) {
      NRP_ASSIGN_OR_RETURN(auto s, DocumentSigner::FromPrivateKeyPem((*stored)->private_key_pem));
      signer = std::make_shared<const DocumentSigner>(std::move(s));
    } else {
      NRP_ASSIGN_OR_RETURN(auto s, DocumentSigner::Generate(config.algorithm));
      signer = std::make_shared<const DocumentSigner>(std::move(s));
      generated = true;
    }
    log::Warn(
        "using a signing key generated and kept in the database; configure "
        "NRP_REGISTRATION_SIGNING_KEY_FILE in production",
        {{"key_id", signer->key_id()}});
  }
  NRP_ASSIGN_OR_RETURN(std::string private_pem, signer->PrivateKeyPem());
  store::SigningKeyRow row{signer->key_id(), AlgorithmName(signer->algorithm()),
                           signer->public_key_pem(), generated ? private_pem : ""};
  NRP_RETURN_IF_ERROR(db::Transact(rt.db(), [&](pqxx::work& tx) {
    return store::RecordSigningKey(tx, row, config.signing_key_file.empty());
  }));
  if (!config.public_key_out.empty()) {
    std::ofstream out(config.public_key_out, std::ios::trunc);
    out << signer->public_key_pem();
    if (!out) {
      return Error::InvalidArgument("NRP_REGISTRATION_PUBLIC_KEY_OUT",
                                    "cannot write " + config.public_key_out);
    }
  }
  log::Info("certificate signing key ready",
            {{"key_id", signer->key_id()}, {"algorithm", AlgorithmName(signer->algorithm())}});
  return signer;
}

}  // namespace nrp::registration
