// Queries of the register (登记资料查询): each needs a purpose and legal basis, is logged
// with the caller before the answer leaves, and masks personal id numbers unless the caller
// holds registration.pii.
#include "api/internal.h"
#include "domain/convert.h"
#include "domain/party.h"
#include "domain/query.h"
#include "domain/unit_code.h"
#include "nrp/core/uuid.h"
#include "nrp/db/transaction.h"
#include "store/store.h"

namespace nrp::registration {

namespace {

// The region a caller's query covers, for the log: its first prefix as a 6-digit code.
std::string ScopeRegion(const rpc::Caller& caller) {
  std::string r = caller.region_prefixes.empty() ? "" : caller.region_prefixes.front();
  if (r.size() < 6) r.append(6 - r.size(), '0');
  return r.substr(0, 6);
}

}  // namespace

grpc::Status RegistrationApi::GetUnitRegister(grpc::ServerContext* ctx,
                                              const v1::GetUnitRegisterRequest* req,
                                              v1::UnitRegister* out) {
  return Serve<v1::UnitRegister>(
      ctx, kScopeRead, out, [&](const rpc::Caller& caller) -> Result<v1::UnitRegister> {
        v1::UnitRegister resp;
        auto code = UnitCode::Parse(req->unit_code());
        if (!code.ok()) return code.error();
        auto reason = ValidateQueryReason(req->reason());
        if (!reason.ok()) return reason.error();
        const TimePoint now = rt_.clock().Now();
        if (req->has_as_of() && FromTimestamp(req->as_of()) > now) {
          return Error::InvalidArgument("as_of", "must not be in the future");
        }
        auto unit = LoadUnit(code->str());
        if (!unit.ok()) return unit.error();
        auto allowed = rpc::Authorize(caller, "", unit->region_code());
        if (!allowed.ok()) return allowed.error();
        Result<v1::UnitRegister> reg =
            req->has_as_of() ? db::Transact(rt_.db(),
                                            [&](pqxx::work& tx) {
                                              return store::LoadUnitRegister(
                                                  tx, *unit, FromTimestamp(req->as_of()));
                                            })
                             : CurrentRegister(*unit);
        if (!reg.ok()) return reg.error();
        if (!req->has_as_of()) *reg->mutable_as_of() = ToTimestamp(now);
        auto logged = LogQuery(caller, "GetUnitRegister", req->reason(), unit->unit_code(),
                               reg->entries_size(), unit->region_code());
        if (!logged.ok()) return logged.error();
        if (!SeesPii(caller)) MaskUnitRegister(&reg.value());
        resp = std::move(reg).value();
        return resp;
      });
}

grpc::Status RegistrationApi::ListRegisterEntries(grpc::ServerContext* ctx,
                                                  const v1::ListRegisterEntriesRequest* req,
                                                  v1::ListRegisterEntriesResponse* out) {
  return Serve<v1::ListRegisterEntriesResponse>(
      ctx, kScopeRead, out,
      [&](const rpc::Caller& caller) -> Result<v1::ListRegisterEntriesResponse> {
        v1::ListRegisterEntriesResponse resp;
        auto code = UnitCode::Parse(req->unit_code());
        if (!code.ok()) return code.error();
        auto reason = ValidateQueryReason(req->reason());
        if (!reason.ok()) return reason.error();
        auto query = list::Parse(
            store::EntryList(),
            list::RequestOf(
                *req, req->unit_code() + "|" +
                          (req->has_as_of() ? FormatRfc3339(FromTimestamp(req->as_of())) : "")));
        if (!query.ok()) return query.error();
        const TimePoint as_of = req->has_as_of() ? FromTimestamp(req->as_of()) : rt_.clock().Now();
        auto unit = LoadUnit(code->str());
        if (!unit.ok()) return unit.error();
        auto allowed = rpc::Authorize(caller, "", unit->region_code());
        if (!allowed.ok()) return allowed.error();
        auto rows = db::Transact(rt_.db(), [&](pqxx::work& tx) {
          return store::ListEntries(tx, unit->unit_code(), as_of, *query);
        });
        if (!rows.ok()) return rows.error();
        const size_t n = rows->items.size();
        auto logged = LogQuery(caller, "ListRegisterEntries", req->reason(), unit->unit_code(),
                               static_cast<int>(n), unit->region_code());
        if (!logged.ok()) return logged.error();
        resp.set_next_page_token(rows->next_page_token);
        for (size_t i = 0; i < n; ++i) {
          v1::RegisterEntry* e = resp.add_entries();
          *e = std::move(rows->items[i]);
          if (!SeesPii(caller)) MaskEntry(e);
        }
        return resp;
      });
}

grpc::Status RegistrationApi::GetRight(grpc::ServerContext* ctx, const v1::GetRightRequest* req,
                                       v1::Right* out) {
  return Serve<v1::Right>(
      ctx, kScopeRead, out, [&](const rpc::Caller& caller) -> Result<v1::Right> {
        v1::Right resp;
        if (!IsUuid(req->right_id())) {
          return Error::InvalidArgument("right_id",
                                        "must be a UUID, got '" + req->right_id() + "'");
        }
        auto reason = ValidateQueryReason(req->reason());
        if (!reason.ok()) return reason.error();
        auto right = db::Transact(
            rt_.db(), [&](pqxx::work& tx) { return store::GetRight(tx, req->right_id()); });
        if (!right.ok()) return right.error();
        if (!*right) return Error::NotFound("right " + req->right_id() + " not found");
        auto allowed = rpc::Authorize(caller, "", (*right)->region_code());
        if (!allowed.ok()) return allowed.error();
        auto logged = LogQuery(caller, "GetRight", req->reason(), "rights/" + req->right_id(), 1,
                               (*right)->region_code());
        if (!logged.ok()) return logged.error();
        resp = std::move(**right);
        if (!SeesPii(caller)) MaskRight(&resp);
        return resp;
      });
}

grpc::Status RegistrationApi::SearchRights(grpc::ServerContext* ctx,
                                           const v1::SearchRightsRequest* req,
                                           v1::SearchRightsResponse* out) {
  return Serve<v1::SearchRightsResponse>(
      ctx, kScopeRead, out, [&](const rpc::Caller& caller) -> Result<v1::SearchRightsResponse> {
        v1::SearchRightsResponse resp;
        if (req->party_id_type() == common::v1::ID_DOCUMENT_TYPE_UNSPECIFIED ||
            !common::v1::IdDocumentType_IsValid(req->party_id_type())) {
          return Error::InvalidArgument("party_id_type", "is required");
        }
        const std::string id_number = NormaliseIdNumber(req->party_id_number());
        if (id_number.empty()) return Error::InvalidArgument("party_id_number", "is required");
        auto reason = ValidateQueryReason(req->reason());
        if (!reason.ok()) return reason.error();
        auto query = list::Parse(
            store::RightSearch(),
            list::RequestOf(*req, std::to_string(req->party_id_type()) + "|" + id_number + "|" +
                                      (req->include_ended() ? "ended" : "") + "|" +
                                      req->party_name()));
        if (!query.ok()) return query.error();
        auto rows = db::Transact(rt_.db(), [&](pqxx::work& tx) {
          return store::SearchRightsByParty(tx, static_cast<int>(req->party_id_type()), id_number,
                                            req->include_ended(), caller.region_prefixes, *query);
        });
        if (!rows.ok()) return rows.error();
        std::vector<v1::Right> found;
        for (size_t i = 0; i < rows->items.size(); ++i) {
          v1::Right& r = rows->items[i];
          if (!req->party_name().empty()) {
            bool name_matches = false;
            for (const auto& h : r.holders()) {
              if (NormaliseIdNumber(h.party().id_number()) == id_number &&
                  h.party().name() == req->party_name()) {
                name_matches = true;
              }
            }
            if (!name_matches) continue;
          }
          found.push_back(std::move(r));
        }
        common::v1::Party target;
        target.set_kind(common::v1::PARTY_KIND_PERSON);
        target.set_id_type(req->party_id_type());
        target.set_id_number(id_number);
        MaskParty(&target);
        auto logged = LogQuery(caller, "SearchRights", req->reason(),
                               "party/" + common::v1::IdDocumentType_Name(req->party_id_type()) +
                                   "/" + target.id_number(),
                               static_cast<int>(found.size()), ScopeRegion(caller));
        if (!logged.ok()) return logged.error();
        resp.set_next_page_token(rows->next_page_token);
        for (auto& r : found) {
          if (!SeesPii(caller)) MaskRight(&r);
          *resp.add_rights() = std::move(r);
        }
        return resp;
      });
}

grpc::Status RegistrationApi::GetCertificate(grpc::ServerContext* ctx,
                                             const v1::GetCertificateRequest* req,
                                             v1::Certificate* out) {
  return Serve<v1::Certificate>(
      ctx, kScopeRead, out, [&](const rpc::Caller& caller) -> Result<v1::Certificate> {
        v1::Certificate resp;
        if (req->certificate_number().empty()) {
          return Error::InvalidArgument("certificate_number", "is required");
        }
        const bool presented = !req->verification_code().empty();
        if (!presented) {
          auto reason = ValidateQueryReason(req->reason());
          if (!reason.ok()) return reason.error();
        }
        auto stored = db::Transact(rt_.db(), [&](pqxx::work& tx) {
          return store::GetCertificate(tx, req->certificate_number());
        });
        if (!stored.ok()) return stored.error();
        if (!*stored ||
            (presented && (*stored)->certificate.verification_code() != req->verification_code())) {
          return Error::NotFound(presented
                                     ? "no certificate " + req->certificate_number() +
                                           " with that verification code"
                                     : "certificate " + req->certificate_number() + " not found");
        }
        v1::Certificate cert = (*stored)->certificate;
        v1::QueryReason reason = req->reason();
        if (!presented) {
          auto allowed = rpc::Authorize(caller, "", cert.region_code());
          if (!allowed.ok()) return allowed.error();
        } else if (reason.legal_basis().empty()) {
          reason.set_legal_basis("verification code presented (一证一码)");
        }
        // The stored signature must still match the stored document.
        auto key = db::Transact(
            rt_.db(), [&](pqxx::work& tx) { return store::GetSigningKey(tx, (*stored)->key_id); });
        if (!key.ok()) return key.error();
        if (!*key) {
          return Error::Internal("signing key " + (*stored)->key_id + " of certificate " +
                                 cert.certificate_number() + " is unknown");
        }
        auto verified =
            VerifyDocument((*key)->public_key_pem, (*stored)->document, (*stored)->signature);
        if (!verified.ok()) {
          return Error(Code::kDataLoss,
                       "certificate " + cert.certificate_number() +
                           " fails its signature check: " + verified.error().message());
        }
        auto logged = LogQuery(caller, "GetCertificate", reason,
                               "certificates/" + cert.certificate_number(), 1, cert.region_code());
        if (!logged.ok()) return logged.error();
        if (!SeesPii(caller)) MaskCertificate(&cert);
        resp = std::move(cert);
        return resp;
      });
}

grpc::Status RegistrationApi::ListQueryLogEntries(grpc::ServerContext* ctx,
                                                  const v1::ListQueryLogEntriesRequest* req,
                                                  v1::ListQueryLogEntriesResponse* out) {
  return Serve<v1::ListQueryLogEntriesResponse>(
      ctx, kScopeRead, out,
      [&](const rpc::Caller& caller) -> Result<v1::ListQueryLogEntriesResponse> {
        v1::ListQueryLogEntriesResponse resp;
        auto query = list::Parse(store::QueryLogList(), list::RequestOf(*req));
        if (!query.ok()) return query.error();
        auto rows = db::Transact(rt_.db(), [&](pqxx::work& tx) {
          return store::ListQueryLog(tx, caller.region_prefixes, *query);
        });
        if (!rows.ok()) return rows.error();
        resp.set_next_page_token(rows->next_page_token);
        for (size_t i = 0; i < rows->items.size(); ++i) {
          *resp.add_entries() = std::move(rows->items[i]);
        }
        return resp;
      });
}

}  // namespace nrp::registration
