#include "api/mining_rights_api.h"

#include "domain/minerals.h"
#include "nrp/core/uuid.h"
#include "nrp/db/transaction.h"
#include "nrp/list/list.h"
#include "nrp/service/wire_time.h"

namespace nrp::mining_rights {

namespace {

Status RequireUuid(const std::string& value, const std::string& field) {
  if (value.empty()) return Error::InvalidArgument(field, "is required");
  if (!IsUuid(value)) return Error::InvalidArgument(field, "must be a UUID, got '" + value + "'");
  return Ok();
}

// The reserve price only for the granting authority; bidders' identities masked without PII.
void Redact(const rpc::Caller& caller, v1::GrantOffer* o) {
  if (!rpc::Authorize(caller, kWriteScope, o->region_code()).ok()) o->clear_reserve_price();
  if (o->has_result() && !caller.HasScope(kPiiScope))
    MaskParty(o->mutable_result()->mutable_grantee());
}

void Redact(const rpc::Caller& caller, v1::MiningRight* r) {
  if (!caller.HasScope(kPiiScope) || !rpc::Authorize(caller, kReadScope, r->region_code()).ok()) {
    MaskParty(r->mutable_holder());
  }
}

// The abnormal list is published (公示); the holder's id number only with the PII scope.
void Redact(const rpc::Caller& caller, v1::AbnormalEntry* e) {
  if (!caller.HasScope(kPiiScope)) MaskParty(e->mutable_holder());
}

void Redact(const rpc::Caller& caller, v1::GrantContract* c) {
  if (!caller.HasScope(kPiiScope)) MaskParty(c->mutable_grantee());
}

}  // namespace

grpc::Status MiningRightsApi::CreateGrantOffer(Ctx* ctx, const v1::CreateGrantOfferRequest* req,
                                               v1::GrantOffer* out) {
  return Serve<v1::GrantOffer>(ctx, kWriteScope, out, [&](const rpc::Caller& caller) {
    return Mutate<v1::GrantOffer>(
        caller, "CreateGrantOffer", req->request_id(), *req,
        [&](pqxx::work& tx, const Authorize& a) { return app_.CreateOffer(tx, req->offer(), a); },
        [](const v1::GrantOffer& o) {
          return service::AuditSubject{o.region_code(), "grantOffers/" + o.offer_id()};
        });
  });
}

grpc::Status MiningRightsApi::GetGrantOffer(Ctx* ctx, const v1::GetGrantOfferRequest* req,
                                            v1::GrantOffer* out) {
  return Serve<v1::GrantOffer>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::GrantOffer> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->offer_id(), "offer_id"));
        NRP_ASSIGN_OR_RETURN(auto row, service::Read<store::OfferRow>(rt_, [&](pqxx::work& tx) {
                               return store::GetOffer(tx, req->offer_id(), false);
                             }));
        NRP_RETURN_IF_ERROR(ReadIn(caller)(row.offer.region_code()));
        Redact(caller, &row.offer);
        return row.offer;
      });
}

grpc::Status MiningRightsApi::ListGrantOffers(Ctx* ctx, const v1::ListGrantOffersRequest* req,
                                              v1::ListGrantOffersResponse* out) {
  return Serve<v1::ListGrantOffersResponse>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::ListGrantOffersResponse> {
        NRP_ASSIGN_OR_RETURN(auto q, list::Parse(store::OfferList(), list::RequestOf(*req)));
        NRP_ASSIGN_OR_RETURN(auto page,
                             service::Read<list::Page<v1::GrantOffer>>(rt_, [&](pqxx::work& tx) {
                               return store::ListOffers(tx, q, caller.region_prefixes);
                             }));
        v1::ListGrantOffersResponse resp;
        for (auto& o : page.items) {
          Redact(caller, &o);
          *resp.add_offers() = std::move(o);
        }
        resp.set_next_page_token(page.next_page_token);
        return resp;
      });
}

grpc::Status MiningRightsApi::PublishGrantOffer(Ctx* ctx, const v1::PublishGrantOfferRequest* req,
                                                v1::GrantOffer* out) {
  return Serve<v1::GrantOffer>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::GrantOffer> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->offer_id(), "offer_id"));
        return Mutate<v1::GrantOffer>(
            caller, "PublishGrantOffer", req->request_id(), *req,
            [&](pqxx::work& tx, const Authorize& a) {
              return app_.PublishOffer(tx, req->offer_id(), req->notice(), a);
            },
            [](const v1::GrantOffer& o) {
              return service::AuditSubject{o.region_code(), "grantOffers/" + o.offer_id()};
            });
      });
}

grpc::Status MiningRightsApi::CancelGrantOffer(Ctx* ctx, const v1::CancelGrantOfferRequest* req,
                                               v1::GrantOffer* out) {
  return Serve<v1::GrantOffer>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::GrantOffer> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->offer_id(), "offer_id"));
        return Mutate<v1::GrantOffer>(
            caller, "CancelGrantOffer", req->request_id(), *req,
            [&](pqxx::work& tx, const Authorize& a) {
              return app_.CancelOffer(tx, req->offer_id(), req->reason(), a);
            },
            [](const v1::GrantOffer& o) {
              return service::AuditSubject{o.region_code(), "grantOffers/" + o.offer_id()};
            });
      });
}

grpc::Status MiningRightsApi::RegisterGrantBidder(Ctx* ctx,
                                                  const v1::RegisterGrantBidderRequest* req,
                                                  v1::GrantBidder* out) {
  return Serve<v1::GrantBidder>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::GrantBidder> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->offer_id(), "offer_id"));
        NRP_ASSIGN_OR_RETURN(
            auto b, Mutate<v1::GrantBidder>(
                        caller, "RegisterGrantBidder", req->request_id(), *req,
                        [&](pqxx::work& tx, const Authorize& a) {
                          return app_.RegisterBidder(tx, req->offer_id(), req->bidder(),
                                                     req->deposit_paid().fen(),
                                                     req->deposit_receipt(), a);
                        },
                        [](const v1::GrantBidder& b) {
                          return service::AuditSubject{
                              "", "grantOffers/" + b.offer_id() + "/bidders/" + b.bidder_number()};
                        }));
        if (!caller.HasScope(kPiiScope)) MaskParty(b.mutable_bidder());
        return b;
      });
}

grpc::Status MiningRightsApi::PlaceGrantBid(Ctx* ctx, const v1::PlaceGrantBidRequest* req,
                                            v1::GrantBid* out) {
  return Serve<v1::GrantBid>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::GrantBid> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->offer_id(), "offer_id"));
        if (req->bidder_number().empty())
          return Error::InvalidArgument("bidder_number", "is required");
        if (req->amount().fen() <= 0)
          return Error::InvalidArgument("amount.fen", "must be more than 0 fen");
        // The bidding engine (libs/auction): the live board's refusal first, then the offer's row
        // lock orders concurrent bids, and the board moves after the commit.
        auction::Bidding bidding(app_.board());
        NRP_RETURN_IF_ERROR(bidding.Precheck(req->offer_id(), "grant offer", req->amount().fen()));
        std::optional<auction::PlacedBid> placed;
        NRP_ASSIGN_OR_RETURN(
            auto bid, Mutate<v1::GrantBid>(
                          caller, "PlaceGrantBid", req->request_id(), *req,
                          [&](pqxx::work& tx, const Authorize& a) {
                            return app_.PlaceBid(tx, bidding, req->offer_id(), req->bidder_number(),
                                                 req->amount().fen(), a, &placed);
                          },
                          [](const v1::GrantBid& b) {
                            return service::AuditSubject{
                                "", "grantOffers/" + b.offer_id() + "/bids/" + b.bid_id()};
                          }));
        if (placed) bidding.Publish(req->offer_id(), *placed);
        return bid;
      });
}

grpc::Status MiningRightsApi::ListGrantBids(Ctx* ctx, const v1::ListGrantBidsRequest* req,
                                            v1::ListGrantBidsResponse* out) {
  return Serve<v1::ListGrantBidsResponse>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::ListGrantBidsResponse> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->offer_id(), "offer_id"));
        NRP_ASSIGN_OR_RETURN(auto q,
                             list::Parse(store::BidList(), list::RequestOf(*req, req->offer_id())));
        return service::Read<v1::ListGrantBidsResponse>(
            rt_, [&](pqxx::work& tx) -> Result<v1::ListGrantBidsResponse> {
              NRP_ASSIGN_OR_RETURN(auto row, store::GetOffer(tx, req->offer_id(), false));
              NRP_RETURN_IF_ERROR(ReadIn(caller)(row.offer.region_code()));
              const auto state = row.offer.state();
              const bool closed = state == v1::GRANT_OFFER_STATE_AWARDED ||
                                  state == v1::GRANT_OFFER_STATE_FAILED ||
                                  state == v1::GRANT_OFFER_STATE_CANCELLED ||
                                  state == v1::GRANT_OFFER_STATE_CONTRACTED;
              if (!closed && row.offer.method() == v1::GRANT_METHOD_TENDER) {
                return Error::FailedPrecondition(
                    "SEALED_BIDS", row.offer.offer_id(),
                    "the sealed bids of a tender are listed once it is closed");
              }
              NRP_ASSIGN_OR_RETURN(auto page, store::ListBids(tx, req->offer_id(), q));
              v1::ListGrantBidsResponse resp;
              for (auto& b : page.items) {
                if (!closed) {
                  b.clear_bidder();
                } else if (!caller.HasScope(kPiiScope)) {
                  MaskParty(b.mutable_bidder());
                }
                *resp.add_bids() = std::move(b);
              }
              resp.set_next_page_token(page.next_page_token);
              return resp;
            });
      });
}

grpc::Status MiningRightsApi::CloseGrantOffer(Ctx* ctx, const v1::CloseGrantOfferRequest* req,
                                              v1::GrantOffer* out) {
  return Serve<v1::GrantOffer>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::GrantOffer> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->offer_id(), "offer_id"));
        NRP_ASSIGN_OR_RETURN(
            auto o,
            Mutate<v1::GrantOffer>(
                caller, "CloseGrantOffer", req->request_id(), *req,
                [&](pqxx::work& tx, const Authorize& a) {
                  return app_.CloseOffer(
                      tx, req->offer_id(), req->winning_bid_id(),
                      req->has_agreed_grantee() ? &req->agreed_grantee() : nullptr,
                      req->agreed_price().fen(), req->confirmation(), a);
                },
                [](const v1::GrantOffer& o) {
                  return service::AuditSubject{o.region_code(), "grantOffers/" + o.offer_id()};
                }));
        Redact(caller, &o);
        return o;
      });
}

grpc::Status MiningRightsApi::SignGrantContract(Ctx* ctx, const v1::SignGrantContractRequest* req,
                                                v1::GrantContract* out) {
  return Serve<v1::GrantContract>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::GrantContract> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->contract().offer_id(), "contract.offer_id"));
        NRP_ASSIGN_OR_RETURN(auto c, Mutate<v1::GrantContract>(
                                         caller, "SignGrantContract", req->request_id(), *req,
                                         [&](pqxx::work& tx, const Authorize& a) {
                                           return app_.SignContract(tx, req->contract(), a);
                                         },
                                         [](const v1::GrantContract& c) {
                                           return service::AuditSubject{
                                               c.region_code(),
                                               "grantContracts/" + c.contract_id()};
                                         }));
        Redact(caller, &c);
        return c;
      });
}

grpc::Status MiningRightsApi::GetGrantContract(Ctx* ctx, const v1::GetGrantContractRequest* req,
                                               v1::GrantContract* out) {
  return Serve<v1::GrantContract>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::GrantContract> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->contract_id(), "contract_id"));
        NRP_ASSIGN_OR_RETURN(auto c, service::Read<v1::GrantContract>(rt_, [&](pqxx::work& tx) {
                               return store::GetContract(tx, req->contract_id(), false);
                             }));
        NRP_RETURN_IF_ERROR(ReadIn(caller)(c.region_code()));
        Redact(caller, &c);
        return c;
      });
}

grpc::Status MiningRightsApi::ListGrantContracts(Ctx* ctx, const v1::ListGrantContractsRequest* req,
                                                 v1::ListGrantContractsResponse* out) {
  return Serve<v1::ListGrantContractsResponse>(
      ctx, kReadScope, out,
      [&](const rpc::Caller& caller) -> Result<v1::ListGrantContractsResponse> {
        NRP_ASSIGN_OR_RETURN(auto q, list::Parse(store::ContractList(), list::RequestOf(*req)));
        NRP_ASSIGN_OR_RETURN(auto page,
                             service::Read<list::Page<v1::GrantContract>>(rt_, [&](pqxx::work& tx) {
                               return store::ListContracts(tx, q, caller.region_prefixes);
                             }));
        v1::ListGrantContractsResponse resp;
        for (auto& c : page.items) {
          Redact(caller, &c);
          *resp.add_contracts() = std::move(c);
        }
        resp.set_next_page_token(page.next_page_token);
        return resp;
      });
}

grpc::Status MiningRightsApi::GrantRight(Ctx* ctx, const v1::GrantRightRequest* req,
                                         v1::MiningRight* out) {
  return Serve<v1::MiningRight>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::MiningRight> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->contract_id(), "contract_id"));
        NRP_ASSIGN_OR_RETURN(
            auto r, Mutate<v1::MiningRight>(
                        caller, "GrantRight", req->request_id(), *req,
                        [&](pqxx::work& tx, const Authorize& a) {
                          return app_.GrantRight(tx, req->contract_id(), req->valid_from(),
                                                 req->scale_class(), req->gas_outburst(), a);
                        },
                        [](const v1::MiningRight& r) {
                          return service::AuditSubject{r.region_code(), "rights/" + r.right_id()};
                        }));
        Redact(caller, &r);
        return r;
      });
}

grpc::Status MiningRightsApi::GetRight(Ctx* ctx, const v1::GetRightRequest* req,
                                       v1::MiningRight* out) {
  return Serve<v1::MiningRight>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::MiningRight> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->right_id(), "right_id"));
        NRP_ASSIGN_OR_RETURN(auto r, service::Read<v1::MiningRight>(rt_, [&](pqxx::work& tx) {
                               return store::GetRight(tx, req->right_id(), false);
                             }));
        // Valid rights are public (domain.md); the others are the region's.
        if (r.state() != v1::MINING_RIGHT_STATE_VALID) {
          NRP_RETURN_IF_ERROR(ReadIn(caller)(r.region_code()));
        }
        Redact(caller, &r);
        return r;
      });
}

grpc::Status MiningRightsApi::ListRights(Ctx* ctx, const v1::ListRightsRequest* req,
                                         v1::ListRightsResponse* out) {
  return Serve<v1::ListRightsResponse>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::ListRightsResponse> {
        NRP_ASSIGN_OR_RETURN(auto q, list::Parse(store::RightList(), list::RequestOf(*req)));
        NRP_ASSIGN_OR_RETURN(auto page,
                             service::Read<list::Page<v1::MiningRight>>(rt_, [&](pqxx::work& tx) {
                               // No region of its own: the register only.
                               return store::ListRights(tx, q,
                                                        caller.region_prefixes.empty()
                                                            ? std::vector<std::string>{"-"}
                                                            : caller.region_prefixes);
                             }));
        v1::ListRightsResponse resp;
        for (auto& r : page.items) {
          Redact(caller, &r);
          *resp.add_rights() = std::move(r);
        }
        resp.set_next_page_token(page.next_page_token);
        return resp;
      });
}

grpc::Status MiningRightsApi::ExtendRight(Ctx* ctx, const v1::ExtendRightRequest* req,
                                          v1::MiningRight* out) {
  return Serve<v1::MiningRight>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::MiningRight> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->right_id(), "right_id"));
        NRP_ASSIGN_OR_RETURN(
            auto r, Mutate<v1::MiningRight>(
                        caller, "ExtendRight", req->request_id(), *req,
                        [&](pqxx::work& tx, const Authorize& a) {
                          return app_.ExtendRight(
                              tx, req->right_id(), req->applied_on(), req->new_valid_to(),
                              req->has_retained_geometry() ? &req->retained_geometry() : nullptr,
                              req->proven_reserves(), a);
                        },
                        [](const v1::MiningRight& r) {
                          return service::AuditSubject{r.region_code(), "rights/" + r.right_id()};
                        }));
        Redact(caller, &r);
        return r;
      });
}

grpc::Status MiningRightsApi::CloseMine(Ctx* ctx, const v1::CloseMineRequest* req,
                                        v1::MiningRight* out) {
  return Serve<v1::MiningRight>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::MiningRight> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->right_id(), "right_id"));
        NRP_ASSIGN_OR_RETURN(
            auto r, Mutate<v1::MiningRight>(
                        caller, "CloseMine", req->request_id(), *req,
                        [&](pqxx::work& tx, const Authorize& a) {
                          return app_.CloseMine(tx, req->right_id(), req->closed_on(),
                                                req->closure_report(),
                                                req->restoration_duty_fulfilled(), a);
                        },
                        [](const v1::MiningRight& r) {
                          return service::AuditSubject{r.region_code(), "rights/" + r.right_id()};
                        }));
        Redact(caller, &r);
        return r;
      });
}

grpc::Status MiningRightsApi::CancelRight(Ctx* ctx, const v1::CancelRightRequest* req,
                                          v1::MiningRight* out) {
  return Serve<v1::MiningRight>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::MiningRight> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->right_id(), "right_id"));
        NRP_ASSIGN_OR_RETURN(
            auto r, Mutate<v1::MiningRight>(
                        caller, "CancelRight", req->request_id(), *req,
                        [&](pqxx::work& tx, const Authorize& a) {
                          return app_.CancelRight(tx, req->right_id(), req->reason(),
                                                  req->restoration_duty_fulfilled(), a);
                        },
                        [](const v1::MiningRight& r) {
                          return service::AuditSubject{r.region_code(), "rights/" + r.right_id()};
                        }));
        Redact(caller, &r);
        return r;
      });
}

grpc::Status MiningRightsApi::TransferRight(Ctx* ctx, const v1::TransferRightRequest* req,
                                            v1::MiningRight* out) {
  return Serve<v1::MiningRight>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::MiningRight> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->right_id(), "right_id"));
        NRP_ASSIGN_OR_RETURN(
            auto r, Mutate<v1::MiningRight>(
                        caller, "TransferRight", req->request_id(), *req,
                        [&](pqxx::work& tx, const Authorize& a) {
                          return app_.TransferRight(tx, req->right_id(), req->new_holder(),
                                                    req->price(), a);
                        },
                        [](const v1::MiningRight& r) {
                          return service::AuditSubject{r.region_code(), "rights/" + r.right_id()};
                        }));
        Redact(caller, &r);
        return r;
      });
}

grpc::Status MiningRightsApi::ChangeRight(Ctx* ctx, const v1::ChangeRightRequest* req,
                                          v1::MiningRight* out) {
  return Serve<v1::MiningRight>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::MiningRight> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->right().right_id(), "right.right_id"));
        NRP_ASSIGN_OR_RETURN(
            auto r, Mutate<v1::MiningRight>(
                        caller, "ChangeRight", req->request_id(), *req,
                        [&](pqxx::work& tx, const Authorize& a) {
                          return app_.ChangeRight(tx, req->right(), req->update_mask(),
                                                  req->reason(), a);
                        },
                        [](const v1::MiningRight& r) {
                          return service::AuditSubject{r.region_code(), "rights/" + r.right_id()};
                        }));
        Redact(caller, &r);
        return r;
      });
}

grpc::Status MiningRightsApi::RegisterExistingRight(Ctx* ctx,
                                                    const v1::RegisterExistingRightRequest* req,
                                                    v1::MiningRight* out) {
  return Serve<v1::MiningRight>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::MiningRight> {
        NRP_ASSIGN_OR_RETURN(
            auto r, Mutate<v1::MiningRight>(
                        caller, "RegisterExistingRight", req->request_id(), *req,
                        [&](pqxx::work& tx, const Authorize& a) {
                          return app_.RegisterExistingRight(tx, req->right(), a);
                        },
                        [](const v1::MiningRight& r) {
                          return service::AuditSubject{r.region_code(), "rights/" + r.right_id()};
                        }));
        Redact(caller, &r);
        return r;
      });
}

grpc::Status MiningRightsApi::SplitRight(Ctx* ctx, const v1::SplitRightRequest* req,
                                         v1::SplitRightResponse* out) {
  return Serve<v1::SplitRightResponse>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::SplitRightResponse> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->right_id(), "right_id"));
        NRP_ASSIGN_OR_RETURN(
            auto resp,
            Mutate<v1::SplitRightResponse>(
                caller, "SplitRight", req->request_id(), *req,
                [&](pqxx::work& tx, const Authorize& a) -> Result<v1::SplitRightResponse> {
                  NRP_ASSIGN_OR_RETURN(auto parts,
                                       app_.SplitRight(tx, req->right_id(),
                                                       {req->parts().begin(), req->parts().end()},
                                                       req->keeps_number_index(), a));
                  v1::SplitRightResponse r;
                  for (auto& p : parts) *r.add_rights() = std::move(p);
                  return r;
                },
                [&](const v1::SplitRightResponse& r) {
                  return service::AuditSubject{r.rights_size() > 0 ? r.rights(0).region_code() : "",
                                               "rights/" + req->right_id()};
                }));
        for (auto& r : *resp.mutable_rights()) Redact(caller, &r);
        return resp;
      });
}

grpc::Status MiningRightsApi::MergeRights(Ctx* ctx, const v1::MergeRightsRequest* req,
                                          v1::MiningRight* out) {
  return Serve<v1::MiningRight>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::MiningRight> {
        for (int i = 0; i < req->right_ids_size(); ++i) {
          NRP_RETURN_IF_ERROR(
              RequireUuid(req->right_ids(i), "right_ids[" + std::to_string(i) + "]"));
        }
        NRP_ASSIGN_OR_RETURN(
            auto r, Mutate<v1::MiningRight>(
                        caller, "MergeRights", req->request_id(), *req,
                        [&](pqxx::work& tx, const Authorize& a) {
                          return app_.MergeRights(
                              tx, {req->right_ids().begin(), req->right_ids().end()},
                              req->project_name(), req->production_scale(), req->scale_class(), a);
                        },
                        [](const v1::MiningRight& r) {
                          return service::AuditSubject{r.region_code(), "rights/" + r.right_id()};
                        }));
        Redact(caller, &r);
        return r;
      });
}

grpc::Status MiningRightsApi::DesignateGreenMine(Ctx* ctx, const v1::DesignateGreenMineRequest* req,
                                                 v1::MiningRight* out) {
  return Serve<v1::MiningRight>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::MiningRight> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->right_id(), "right_id"));
        NRP_ASSIGN_OR_RETURN(
            auto r, Mutate<v1::MiningRight>(
                        caller, "DesignateGreenMine", req->request_id(), *req,
                        [&](pqxx::work& tx, const Authorize& a) {
                          return app_.DesignateGreenMine(tx, req->right_id(), req->assessment(), a);
                        },
                        [](const v1::MiningRight& r) {
                          return service::AuditSubject{r.region_code(), "rights/" + r.right_id()};
                        }));
        Redact(caller, &r);
        return r;
      });
}

grpc::Status MiningRightsApi::RevokeGreenMine(Ctx* ctx, const v1::RevokeGreenMineRequest* req,
                                              v1::MiningRight* out) {
  return Serve<v1::MiningRight>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::MiningRight> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->right_id(), "right_id"));
        NRP_ASSIGN_OR_RETURN(
            auto r, Mutate<v1::MiningRight>(
                        caller, "RevokeGreenMine", req->request_id(), *req,
                        [&](pqxx::work& tx, const Authorize& a) {
                          return app_.RevokeGreenMine(tx, req->right_id(), req->reason(), a);
                        },
                        [](const v1::MiningRight& r) {
                          return service::AuditSubject{r.region_code(), "rights/" + r.right_id()};
                        }));
        Redact(caller, &r);
        return r;
      });
}

grpc::Status MiningRightsApi::SubmitAnnualReport(Ctx* ctx, const v1::SubmitAnnualReportRequest* req,
                                                 v1::AnnualReport* out) {
  return Serve<v1::AnnualReport>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::AnnualReport> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->report().right_id(), "report.right_id"));
        return Mutate<v1::AnnualReport>(
            caller, "SubmitAnnualReport", req->request_id(), *req,
            [&](pqxx::work& tx, const Authorize& a) {
              return app_.SubmitAnnualReport(tx, req->report(), a);
            },
            [](const v1::AnnualReport& r) {
              return service::AuditSubject{
                  "", "rights/" + r.right_id() + "/annualReports/" + std::to_string(r.year())};
            });
      });
}

grpc::Status MiningRightsApi::ListAnnualReports(Ctx* ctx, const v1::ListAnnualReportsRequest* req,
                                                v1::ListAnnualReportsResponse* out) {
  return Serve<v1::ListAnnualReportsResponse>(
      ctx, kReadScope, out, [&](const rpc::Caller&) -> Result<v1::ListAnnualReportsResponse> {
        NRP_ASSIGN_OR_RETURN(auto q, list::Parse(store::AnnualReportList(), list::RequestOf(*req)));
        // The reports are published (年度信息公示): every region's to any reader.
        NRP_ASSIGN_OR_RETURN(
            auto page, service::Read<list::Page<v1::AnnualReport>>(
                           rt_, [&](pqxx::work& tx) { return store::ListAnnualReports(tx, q); }));
        v1::ListAnnualReportsResponse resp;
        for (auto& r : page.items) *resp.add_reports() = std::move(r);
        resp.set_next_page_token(page.next_page_token);
        return resp;
      });
}

grpc::Status MiningRightsApi::ListAbnormalEntries(Ctx* ctx,
                                                  const v1::ListAbnormalEntriesRequest* req,
                                                  v1::ListAbnormalEntriesResponse* out) {
  return Serve<v1::ListAbnormalEntriesResponse>(
      ctx, kReadScope, out,
      [&](const rpc::Caller& caller) -> Result<v1::ListAbnormalEntriesResponse> {
        NRP_ASSIGN_OR_RETURN(auto q,
                             list::Parse(store::AbnormalEntryList(), list::RequestOf(*req)));
        // The abnormal list is published (异常名录): every region's to any reader.
        NRP_ASSIGN_OR_RETURN(
            auto page, service::Read<list::Page<v1::AbnormalEntry>>(
                           rt_, [&](pqxx::work& tx) { return store::ListAbnormalEntries(tx, q); }));
        v1::ListAbnormalEntriesResponse resp;
        for (auto& e : page.items) {
          Redact(caller, &e);
          *resp.add_entries() = std::move(e);
        }
        resp.set_next_page_token(page.next_page_token);
        return resp;
      });
}

grpc::Status MiningRightsApi::RemoveFromAbnormalList(Ctx* ctx,
                                                     const v1::RemoveFromAbnormalListRequest* req,
                                                     v1::AbnormalEntry* out) {
  return Serve<v1::AbnormalEntry>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::AbnormalEntry> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->entry_id(), "entry_id"));
        NRP_ASSIGN_OR_RETURN(
            auto e, Mutate<v1::AbnormalEntry>(
                        caller, "RemoveFromAbnormalList", req->request_id(), *req,
                        [&](pqxx::work& tx, const Authorize& a) {
                          return app_.RemoveFromAbnormalList(tx, req->entry_id(), req->reason(), a);
                        },
                        [](const v1::AbnormalEntry& e) {
                          return service::AuditSubject{"", "abnormalEntries/" + e.entry_id()};
                        }));
        Redact(caller, &e);
        return e;
      });
}

grpc::Status MiningRightsApi::GetGrantBidBoard(Ctx* ctx, const v1::GetGrantBidBoardRequest* req,
                                               v1::GrantBidBoard* out) {
  return Serve<v1::GrantBidBoard>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::GrantBidBoard> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->offer_id(), "offer_id"));
        NRP_ASSIGN_OR_RETURN(auto row, service::Read<store::OfferRow>(rt_, [&](pqxx::work& tx) {
                               return store::GetOffer(tx, req->offer_id(), false);
                             }));
        const v1::GrantOffer& o = row.offer;
        NRP_RETURN_IF_ERROR(ReadIn(caller)(o.region_code()));
        const auction::Lot lot = app_.LotOf(o);
        auction::Board board = row.board;
        // The live board when it is as recent as the row just read; else the record, and
        // the live board is brought up to it.
        auto live = app_.board().Read(o.offer_id());
        if (live.ok() && live->has_value() && (*live)->board.seq >= board.seq) {
          board = (*live)->board;
        } else if (auction::IsAscending(lot.method) && board.seq > 0) {
          auction::LiveBoardState s{board, lot.method, lot.bid_increment_fen,
                                    lot.starting_price_fen};
          (void)app_.board().Advance(o.offer_id(), s);
        }
        v1::GrantBidBoard b;
        b.set_offer_id(o.offer_id());
        b.set_region_code(o.region_code());
        b.set_state(o.state());
        b.set_method(o.method());
        b.set_bid_count(board.seq);
        if (auction::IsAscending(lot.method) && board.seq > 0) {
          b.mutable_highest_bid()->set_fen(board.highest_fen);
          b.set_highest_bidder_number(board.highest_bidder_number);
        }
        b.mutable_minimum_next_bid()->set_fen(auction::MinimumAcceptableBid(lot, board));
        *b.mutable_bid_increment() = o.bid_increment();
        if (o.has_bidding_start()) *b.mutable_bidding_start() = o.bidding_start();
        if (o.has_bidding_end()) *b.mutable_bidding_end() = o.bidding_end();
        *b.mutable_as_of() = service::ToTimestamp(rt_.clock().Now());
        return b;
      });
}

grpc::Status MiningRightsApi::GetMineralClassification(Ctx* ctx,
                                                       const v1::GetMineralClassificationRequest*,
                                                       v1::MineralClassification* out) {
  return Serve<v1::MineralClassification>(
      ctx, kReadScope, out, [&](const rpc::Caller&) -> Result<v1::MineralClassification> {
        v1::MineralClassification resp;
        for (const Mineral& m : Minerals()) {
          v1::MineralInfo* i = resp.add_minerals();
          i->set_code(std::string(m.code));
          i->set_name(std::string(m.name));
          i->set_name_en(std::string(m.name_en));
          i->set_mineral_class(static_cast<v1::MineralClass>(m.mineral_class));
          i->set_rare_earth(m.rare_earth);
          i->set_radioactive(m.radioactive);
          i->set_ordinary_sand_gravel_clay(m.ordinary_sand_gravel_clay);
          i->set_construction_stone(m.construction_stone);
          i->set_coal(m.coal);
        }
        resp.set_source(std::string(kMineralSource));
        return resp;
      });
}

}  // namespace nrp::mining_rights
