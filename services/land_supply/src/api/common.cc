#include "api/handler.h"
#include "convert/convert.h"
#include "domain/party.h"
#include "nrp/db/migrations.h"

namespace nrp::land_supply {

namespace api {

void MaskParty(const rpc::Caller& caller, nrp::common::v1::Party* party) {
  if (caller.HasScope(kPiiScope)) return;
  if (!party->id_number().empty()) party->set_id_number(log::MaskIdNumber(party->id_number()));
  if (!party->phone().empty()) party->set_phone(log::MaskIdNumber(party->phone()));
}

void RedactOffer(const rpc::Caller& caller, v1::SupplyOffer* offer) {
  if (!rpc::Authorize(caller, kWriteScope, offer->region_code()).ok()) {
    offer->clear_reserve_price();
  }
  if (offer->has_result() && offer->result().has_grantee()) {
    MaskParty(caller, offer->mutable_result()->mutable_grantee());
  }
}

nrp::common::v1::ZoneCheckResult ZoneCheckOf(const GateResult& gate,
                                             nrp::common::v1::SpatialUse use, TimePoint now) {
  nrp::common::v1::ZoneCheckResult out;
  out.set_verdict(static_cast<nrp::common::v1::ZoneVerdict>(gate.verdict));
  for (const auto& c : gate.conflicts) {
    auto* z = out.add_conflicts();
    z->set_zone_id(c.zone.zone_id);
    z->set_zone_name(c.zone.zone_name);
    z->mutable_layer()->set_layer_id(c.zone.layer_id);
    z->mutable_layer()->set_layer_kind(static_cast<nrp::common::v1::ZoneLayerKind>(c.zone.kind));
    z->mutable_layer()->set_version(c.zone.version);
    z->set_control_level(static_cast<nrp::common::v1::ZoneControlLevel>(c.zone.control_level));
    z->mutable_overlap_area()->set_square_metres(c.zone.overlap_m2);
    z->set_verdict(static_cast<nrp::common::v1::ZoneVerdict>(c.verdict));
    z->set_rule(c.rule);
  }
  for (const auto& l : gate.layers_used) {
    auto* r = out.add_layers_used();
    r->set_layer_id(l.layer_id);
    r->set_layer_kind(static_cast<nrp::common::v1::ZoneLayerKind>(l.kind));
    r->set_version(l.version);
  }
  for (const auto& f : gate.failed_rules) out.add_failed_rules(f);
  out.set_intended_use(use);
  *out.mutable_checked_at() = ToTimestamp(now);
  return out;
}

Date Today(const Clock& clock) { return DateInChina(clock.Now()); }

std::string IdentityKey(const nrp::common::v1::Party& party) {
  std::string id;
  for (char c : party.id_number())
    id += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return db::Sha256Hex(std::to_string(static_cast<int>(party.id_type())) + ":" + id);
}

}  // namespace api

Result<store::ListQuery> LandSupplyApi::ListQueryFor(const rpc::Caller& caller,
                                                     const list::Request& request,
                                                     const list::Spec& spec) {
  NRP_ASSIGN_OR_RETURN(list::Query query, list::Parse(spec, request));
  store::ListQuery q{std::move(query), {}};
  q.region_prefixes = caller.region_prefixes;
  if (q.region_prefixes.empty()) {
    return Error::PermissionDenied("the caller may act on no region")
        .WithReason("REGION_NOT_ALLOWED");
  }
  return q;
}

}  // namespace nrp::land_supply
