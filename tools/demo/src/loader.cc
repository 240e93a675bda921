#include "loader.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <set>
#include <thread>

#include "nrp/core/clock.h"
#include "nrp/rpc/client.h"
#include "nrp/rpc/errors.h"

namespace nrp::demo {
namespace {

using namespace std::chrono_literals;
namespace cv1 = ::nrp::common::v1;
namespace lv1 = ::nrp::land_supply::v1;
namespace mv1 = ::nrp::mining_rights::v1;
namespace pv1 = ::nrp::planning::v1;
namespace rv1 = ::nrp::registration::v1;
using Clock = std::chrono::system_clock;
using PStub = pv1::PlanningService::Stub;
using LStub = lv1::LandSupplyService::Stub;
using RStub = rv1::RegistrationService::Stub;
using MStub = mv1::MiningRightsService::Stub;

// One unary call with a deadline. A service still starting (UNAVAILABLE) and
// the per-agency rate limit (RESOURCE_EXHAUSTED) are waited out with backoff;
// every mutation carries its request id, so a retry has one effect.
template <class Stub, class Req, class Resp>
Status Call(Stub* stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
            const Req& req, Resp* resp) {
  grpc::Status st;
  for (int attempt = 0; attempt < 12; ++attempt) {
    grpc::ClientContext ctx;
    ctx.set_deadline(Clock::now() + 30s);
    st = (stub->*method)(&ctx, req, resp);
    if (st.error_code() != grpc::StatusCode::UNAVAILABLE &&
        st.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250) * (attempt + 1));
  }
  return rpc::FromGrpcStatus(st);
}

std::string Why(const Status& st) { return st.ok() ? "OK" : st.error().ToString(); }

bool Eventually(const std::function<bool()>& probe, std::chrono::milliseconds timeout,
                std::chrono::milliseconds step = 500ms) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (probe()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(step);
  }
}

// The platform's clock: shifted like the services' when NRP_CLOCK_OFFSET_SECONDS is set (an
// end-to-end run on another day), so that notice and bidding windows agree with theirs.
// gRPC deadlines stay on the system clock.
Clock::time_point Now() {
  static const nrp::Clock* clock =
      nrp::ProcessClockFromEnvironment().value_or(&nrp::SystemClock::Instance());
  return clock->Now();
}

std::chrono::sys_days TodayInChina() { return std::chrono::floor<std::chrono::days>(Now() + 8h); }

cv1::Date ProtoDate(std::chrono::sys_days d) {
  std::chrono::year_month_day ymd(d);
  cv1::Date out;
  out.set_year(static_cast<int>(ymd.year()));
  out.set_month(static_cast<int>(static_cast<unsigned>(ymd.month())));
  out.set_day(static_cast<int>(static_cast<unsigned>(ymd.day())));
  return out;
}

google::protobuf::Timestamp Ts(Clock::time_point t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
  return ts;
}

Clock::time_point FromTs(const google::protobuf::Timestamp& ts) {
  return Clock::time_point(std::chrono::seconds(ts.seconds()));
}

cv1::DocumentReference Doc(const std::string& title) {
  cv1::DocumentReference d;
  d.set_title(title);
  return d;
}

std::string Fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string Yuan(int64_t fen) { return Fmt("%.2f", static_cast<double>(fen) / 100) + " 元"; }

bool OfferLive(const lv1::SupplyOffer& o) {
  return o.state() != lv1::OFFER_STATE_CANCELLED && o.state() != lv1::OFFER_STATE_FAILED;
}

bool GrantOfferLive(const mv1::GrantOffer& o) {
  return o.state() != mv1::GRANT_OFFER_STATE_CANCELLED &&
         o.state() != mv1::GRANT_OFFER_STATE_FAILED;
}

Date DateOf(const cv1::Date& d) {
  return Date(d.year(), static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

std::string DateText(const cv1::Date& d) { return DateOf(d).ToString(); }

// "MINING_RIGHT_STATE_VALID" → "VALID".
std::string RightState(const mv1::MiningRight& r) {
  return mv1::MiningRightState_Name(r.state()).substr(19);
}

// The legal notice before the bidding of a mining-right grant, in days (the service's floor:
// configuration may raise it, never lower).
constexpr int kGrantNoticeDays = 20;

}  // namespace

std::string StepRequestId(const std::string& step, const std::string& stack) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::string in = "nrp-demo-load:" + stack + ":" + step;
  EVP_Digest(in.data(), in.size(), md, &len, EVP_sha256(), nullptr);
  md[6] = static_cast<unsigned char>((md[6] & 0x0f) | 0x50);  // name-based
  md[8] = static_cast<unsigned char>((md[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", md[0],
                md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8], md[9], md[10], md[11],
                md[12], md[13], md[14], md[15]);
  return out;
}

Loader::Loader(LoaderOptions options, DemoData data, std::ostream& out)
    : options_(std::move(options)), data_(std::move(data)), out_(out) {
  stack_ = StepRequestId(options_.token).substr(0, 8);
  auto channel = [&](const std::string& target) {
    rpc::ChannelOptions o;
    o.target = target;
    o.bearer_token = options_.token;
    return rpc::MakeChannel(o);
  };
  planning_ = pv1::PlanningService::NewStub(channel(options_.planning));
  land_ = lv1::LandSupplyService::NewStub(channel(options_.land_supply));
  registration_ = rv1::RegistrationService::NewStub(channel(options_.registration));
  mining_ = mv1::MiningRightsService::NewStub(channel(options_.mining_rights));
}

void Loader::Line(const std::string& who, const std::string& what) {
  out_ << "  " << who << ": " << what << "\n";
  out_.flush();
}

void Loader::Fail(const std::string& who, const std::string& what) {
  ++failures_;
  out_ << "! " << who << ": " << what << "\n";
  out_.flush();
}

int Loader::Run() {
  struct Step {
    const char* title;
    void (Loader::*run)();
  };
  const Step steps[] = {
      {"planning: the five plans' reference data", &Loader::ReferencePlans},
      {"planning: zone layers", &Loader::Layers},
      {"planning: monitoring plans of the current period", &Loader::MonitoringPlans},
      {"land supply: parcels", &Loader::Parcels},
      {"land supply: approval batches", &Loader::Batches},
      {"land supply: land reserve", &Loader::Reserve},
      {"land supply: offers, bids, contracts, payments, deliveries", &Loader::Supply},
      {"registration: first registrations opened by the deliveries", &Loader::Registrations},
      {"mining rights: existing rights, an extension, a listing on notice, a refused overlap",
       &Loader::Mines},
      {"what the province looks like now", &Loader::Summary},
  };
  for (const auto& s : steps) {
    out_ << "== " << s.title << "\n";
    out_.flush();
    (this->*s.run)();
  }
  out_ << (failures_ == 0 ? "demo province loaded\n"
                          : std::to_string(failures_) + " step(s) failed; see the lines with !\n");
  out_.flush();
  return failures_ == 0 ? 0 : 1;
}

// ------------------------------------------------------------------ planning

void Loader::ReferencePlans() {
  for (const auto& j : data_.jurisdictions) {
    pv1::GetPlanRequest req;
    req.set_plan_id(j.reference_plan_id);
    pv1::Plan plan;
    Status st = Call(planning_.get(), &PStub::GetPlan, req, &plan);
    if (!st.ok()) {
      Fail(j.name, "planning has not loaded plan " + j.reference_plan_id + ": " + Why(st));
      continue;
    }
    pv1::ListIndicatorsRequest list;
    list.set_filter("plan_id = \"" + plan.plan_id() + "\"");
    list.set_page_size(1000);
    pv1::ListIndicatorsResponse inds;
    st = Call(planning_.get(), &PStub::ListIndicators, list, &inds);
    int computed = 0;
    for (const auto& i : inds.indicators())
      computed += i.metric() != pv1::COMPUTED_METRIC_UNSPECIFIED;
    Line(j.name, plan.name() + " (" + plan.plan_id() + "), " +
                     std::to_string(inds.indicators_size()) + " indicators, " +
                     std::to_string(computed) + " computed by planning");
  }
}

void Loader::Layers() {
  for (const auto& j : data_.jurisdictions) {
    for (const auto& spec : j.layers) {
      const std::string layer_id = j.region_code + "-" + spec.slug;
      pv1::GetZoneLayerRequest get;
      get.set_layer_id(layer_id);
      pv1::ZoneLayer layer;
      Status st = Call(planning_.get(), &PStub::GetZoneLayer, get, &layer);
      if (!st.ok() && st.error().code() == Code::kNotFound) {
        pv1::CreateZoneLayerRequest req;
        req.set_request_id(Rid("layer:" + layer_id));
        req.mutable_layer()->set_kind(spec.kind);
        req.mutable_layer()->set_region_code(j.region_code);
        req.mutable_layer()->set_name(spec.name);
        req.mutable_layer()->set_description("演示数据（合成几何，非正式划定成果）");
        st = Call(planning_.get(), &PStub::CreateZoneLayer, req, &layer);
      }
      if (!st.ok()) {
        Fail(layer_id, Why(st));
        continue;
      }
      for (size_t i = 0; i < spec.versions.size(); ++i) {
        const LayerVersionSpec& v = spec.versions[i];
        const int64_t number = static_cast<int64_t>(i) + 1;
        const std::string step = "layer:" + layer_id + ":v" + std::to_string(number);
        if (layer.current_version() >= number) {
          Line(layer_id, "version " + std::to_string(number) + " published before");
          continue;
        }
        // A draft left by an interrupted run is imported into and published.
        pv1::ListLayerVersionsRequest drafts;
        drafts.set_layer_id(layer_id);
        drafts.set_filter("state = LAYER_VERSION_STATE_DRAFT");
        pv1::ListLayerVersionsResponse found;
        st = Call(planning_.get(), &PStub::ListLayerVersions, drafts, &found);
        if (!st.ok()) {
          Fail(layer_id, Why(st));
          break;
        }
        int64_t draft = found.versions_size() > 0 ? found.versions(0).version() : 0;
        if (draft == 0) {
          pv1::CreateLayerVersionRequest req;
          req.set_request_id(Rid(step + ":create"));
          req.set_layer_id(layer_id);
          *req.mutable_approval() = v.approval;
          req.set_note(v.note);
          pv1::LayerVersion created;
          st = Call(planning_.get(), &PStub::CreateLayerVersion, req, &created);
          if (!st.ok()) {
            Fail(layer_id, Why(st));
            break;
          }
          draft = created.version();
        }
        grpc::ClientContext ctx;
        ctx.set_deadline(Clock::now() + 120s);
        pv1::ImportZonesResponse imported;
        auto writer = planning_->ImportZones(&ctx, &imported);
        pv1::ImportZonesRequest chunk;
        chunk.set_request_id(Rid(step + ":import:" + std::to_string(draft)));
        chunk.set_layer_id(layer_id);
        chunk.set_version(draft);
        for (const auto& z : v.zones) *chunk.add_zones() = z;
        writer->Write(chunk);
        writer->WritesDone();
        st = rpc::FromGrpcStatus(writer->Finish());
        if (!st.ok() || imported.rejections_size() > 0) {
          Fail(layer_id, "import into version " + std::to_string(draft) + ": " +
                             (st.ok() ? imported.rejections(0).reason() : Why(st)));
          break;
        }
        pv1::PublishLayerVersionRequest pub;
        pub.set_request_id(Rid(step + ":publish:" + std::to_string(draft)));
        pub.set_layer_id(layer_id);
        pub.set_version(draft);
        pv1::LayerVersion published;
        st = Call(planning_.get(), &PStub::PublishLayerVersion, pub, &published);
        if (!st.ok()) {
          Fail(layer_id, Why(st));
          break;
        }
        layer.set_current_version(published.version());
        Line(layer_id, "version " + std::to_string(published.version()) +
                           " published: " + std::to_string(published.zone_count()) + " zones, " +
                           Fmt("%.2f", published.total_area().square_metres() / 1e6) + " km²" +
                           (v.note.empty() ? "" : " (" + v.note + ")"));
      }
    }
  }
}

void Loader::MonitoringPlans() {
  for (const auto& j : data_.jurisdictions) {
    if (!j.monitoring) continue;
    const MonitoringPlanSpec& m = *j.monitoring;
    const std::string who = j.name + " monitoring";
    pv1::ListPlansRequest list;
    list.set_filter("region_code = \"" + m.plan.region_code() + "\"");
    list.set_page_size(1000);
    pv1::ListPlansResponse plans;
    Status st = Call(planning_.get(), &PStub::ListPlans, list, &plans);
    if (!st.ok()) {
      Fail(who, Why(st));
      continue;
    }
    pv1::Plan plan;
    for (const auto& p : plans.plans()) {
      if (p.name() == m.plan.name()) plan = p;
    }
    if (plan.plan_id().empty()) {
      pv1::CreatePlanRequest req;
      req.set_request_id(Rid("plan:" + m.plan.region_code() + ":" + m.plan.name()));
      *req.mutable_plan() = m.plan;
      st = Call(planning_.get(), &PStub::CreatePlan, req, &plan);
      if (!st.ok()) {
        Fail(who, Why(st));
        continue;
      }
    }
    pv1::ListIndicatorsRequest ilist;
    ilist.set_filter("plan_id = \"" + plan.plan_id() + "\"");
    ilist.set_page_size(1000);
    pv1::ListIndicatorsResponse existing;
    st = Call(planning_.get(), &PStub::ListIndicators, ilist, &existing);
    if (!st.ok()) {
      Fail(who, Why(st));
      continue;
    }
    std::map<std::string, std::string> id_of;
    for (const auto& i : existing.indicators()) id_of[i.code()] = i.indicator_id();
    for (const auto& spec : m.indicators) {
      if (id_of.count(spec.code())) continue;
      pv1::CreateIndicatorRequest req;
      req.set_request_id(Rid("indicator:" + plan.plan_id() + ":" + spec.code()));
      *req.mutable_indicator() = spec;
      req.mutable_indicator()->set_plan_id(plan.plan_id());
      pv1::Indicator created;
      st = Call(planning_.get(), &PStub::CreateIndicator, req, &created);
      if (!st.ok()) {
        Fail(who, spec.name() + ": " + Why(st));
        continue;
      }
      id_of[spec.code()] = created.indicator_id();
    }
    if (plan.state() == pv1::PLAN_STATE_DRAFT) {
      pv1::ApprovePlanRequest req;
      req.set_request_id(Rid("plan-approve:" + plan.plan_id()));
      req.set_plan_id(plan.plan_id());
      *req.mutable_document() = m.plan.document();
      st = Call(planning_.get(), &PStub::ApprovePlan, req, &plan);
      if (!st.ok()) {
        Fail(who, "approve: " + Why(st));
        continue;
      }
    }
    for (const auto& r : m.stock_reports) {
      const std::string id = id_of[r.indicator_code];
      pv1::ListIndicatorValuesRequest vlist;
      vlist.set_filter("indicator_id = \"" + id + "\" AND origin = VALUE_ORIGIN_REPORTED");
      pv1::ListIndicatorValuesResponse values;
      st = Call(planning_.get(), &PStub::ListIndicatorValues, vlist, &values);
      if (st.ok() && values.values_size() > 0) continue;
      pv1::ReportIndicatorValueRequest req;
      req.set_request_id(Rid("stock:" + id + ":" + std::to_string(r.as_of.year())));
      pv1::IndicatorValue* v = req.mutable_value();
      v->set_indicator_id(id);
      *v->mutable_as_of() = r.as_of;
      v->mutable_stock_area()->set_square_metres(r.stock_square_metres);
      v->set_source_note(r.source_note);
      pv1::IndicatorValue out;
      st = Call(planning_.get(), &PStub::ReportIndicatorValue, req, &out);
      if (!st.ok()) Fail(who, "stock report: " + Why(st));
    }
    for (const auto& [code, id] : id_of) monitoring_indicators_[j.region_code].push_back(id);
    Line(who, plan.name() + " (" + plan.plan_id() + "), " + std::to_string(id_of.size()) +
                  " indicators, " + pv1::PlanState_Name(plan.state()));
  }
}

// ------------------------------------------------------------------ land supply

void Loader::Parcels() {
  for (const auto& j : data_.jurisdictions) {
    for (const auto& p : j.parcels) {
      const std::string& code = p.input.parcel_code();
      lv1::ListParcelsRequest list;
      list.set_filter("parcel_code = \"" + code + "\"");
      lv1::ListParcelsResponse found;
      Status st = Call(land_.get(), &LStub::ListParcels, list, &found);
      if (!st.ok()) {
        Fail(code, Why(st));
        continue;
      }
      if (found.parcels_size() > 0) {
        parcels_[code] = found.parcels(0);
        continue;
      }
      lv1::CreateParcelRequest req;
      req.set_request_id(Rid("parcel:" + code));
      *req.mutable_parcel() = p.input;
      lv1::Parcel created;
      st = Call(land_.get(), &LStub::CreateParcel, req, &created);
      if (!st.ok()) {
        Fail(code, Why(st));
        continue;
      }
      parcels_[code] = created;
      Line(code, p.input.name() + ", " + Fmt("%.2f", created.area().square_metres() / 1e4) +
                     " 公顷, registered");
    }
  }
  Line("parcels", std::to_string(parcels_.size()) + " known to land supply");
}

void Loader::Batches() {
  for (const auto& j : data_.jurisdictions) {
    for (const auto& b : j.batches) {
      std::vector<const lv1::Parcel*> members;
      for (const auto& c : b.parcel_codes) {
        if (parcels_.count(c)) members.push_back(&parcels_[c]);
      }
      if (members.size() != b.parcel_codes.size()) {
        Fail(b.name, "a parcel of the batch is missing");
        continue;
      }
      lv1::ApprovalBatch batch;
      Status st = Ok();
      const std::string existing = members.front()->approval_batch_id();
      if (!existing.empty()) {
        lv1::GetApprovalBatchRequest get;
        get.set_batch_id(existing);
        st = Call(land_.get(), &LStub::GetApprovalBatch, get, &batch);
      } else {
        double total = 0;
        for (const auto* p : members) total += p->area().square_metres();
        lv1::CreateApprovalBatchRequest req;
        req.set_request_id(Rid("batch:" + b.name));
        lv1::ApprovalBatch* in = req.mutable_batch();
        in->set_region_code(b.region_code);
        in->set_name(b.name);
        in->set_year(b.year);
        for (const auto* p : members) in->add_parcel_ids(p->parcel_id());
        in->mutable_total_area()->set_square_metres(total);
        in->mutable_agricultural_land_area()->set_square_metres(total * b.agricultural_share);
        in->mutable_plan_quota_area()->set_square_metres(total * b.agricultural_share);
        st = Call(land_.get(), &LStub::CreateApprovalBatch, req, &batch);
      }
      if (!st.ok()) {
        Fail(b.name, Why(st));
        continue;
      }
      if (batch.state() == lv1::BATCH_STATE_APPLIED) {
        lv1::ApproveBatchRequest req;
        req.set_request_id(Rid("batch-approve:" + batch.batch_id()));
        req.set_batch_id(batch.batch_id());
        req.set_authority(lv1::APPROVAL_AUTHORITY_PROVINCE);
        *req.mutable_approval() = b.approval;
        st = Call(land_.get(), &LStub::ApproveBatch, req, &batch);
        if (!st.ok()) {
          Fail(b.name, "approve: " + Why(st));
          continue;
        }
      }
      if (batch.state() == lv1::BATCH_STATE_APPROVED) {
        lv1::RecordBatchExpropriationRequest req;
        req.set_request_id(Rid("batch-expropriate:" + batch.batch_id()));
        req.set_batch_id(batch.batch_id());
        *req.add_documents() = b.expropriation;
        st = Call(land_.get(), &LStub::RecordBatchExpropriation, req, &batch);
        if (!st.ok()) {
          Fail(b.name, "expropriation: " + Why(st));
          continue;
        }
      }
      Line(b.name, lv1::BatchState_Name(batch.state()) + ", " +
                       Fmt("%.2f", batch.total_area().square_metres() / 1e4) + " 公顷");
      // The members' stock stage changed with the batch.
      for (const auto& c : b.parcel_codes) {
        lv1::GetParcelRequest get;
        get.set_parcel_id(parcels_[c].parcel_id());
        lv1::Parcel fresh;
        if (Call(land_.get(), &LStub::GetParcel, get, &fresh).ok()) parcels_[c] = fresh;
      }
    }
  }
}

void Loader::Reserve() {
  for (const auto& j : data_.jurisdictions) {
    for (const auto& spec : j.parcels) {
      const std::string& code = spec.input.parcel_code();
      if (!parcels_.count(code)) continue;
      lv1::Parcel& p = parcels_[code];
      if (p.state() == lv1::PARCEL_STATE_REGISTERED) {
        lv1::ReserveParcelRequest req;
        req.set_request_id(Rid("reserve:" + code));
        req.set_parcel_id(p.parcel_id());
        *req.mutable_reserve_decision() = Doc("国有建设用地收储决定");
        Status st = Error::Unavailable("not tried");
        // The replica of planning's layers may still be on its way.
        Eventually(
            [&] {
              lv1::Parcel out;
              st = Call(land_.get(), &LStub::ReserveParcel, req, &out);
              if (st.ok()) p = out;
              return st.ok() || st.error().reason() != "ZONE_LAYER_MISSING";
            },
            options_.wait, 1s);
        if (spec.story == Story::kReserveRefused) {
          if (!st.ok() && st.error().reason() == spec.expect_refusal) {
            Line(code, "reserve refused as the story says (" + st.error().reason() +
                           "): " + st.error().message());
          } else {
            Fail(code, "expected the reserve to be refused with " + spec.expect_refusal + ", got " +
                           Why(st));
          }
          continue;
        }
        if (!st.ok()) {
          Fail(code, "reserve: " + Why(st));
          continue;
        }
      } else if (spec.story == Story::kReserveRefused) {
        Fail(code, "is " + lv1::ParcelState_Name(p.state()) + ", the story expects it refused");
        continue;
      }
      if (p.state() == lv1::PARCEL_STATE_RESERVED) {
        lv1::ClearParcelRequest req;
        req.set_request_id(Rid("clear:" + code));
        req.set_parcel_id(p.parcel_id());
        *req.mutable_evidence() = Doc("净地证明（补偿安置完成、地上物已拆除）");
        Status st = Call(land_.get(), &LStub::ClearParcel, req, &p);
        if (!st.ok()) {
          Fail(code, "clear: " + Why(st));
          continue;
        }
        Line(code, "in the reserve and clear (净地), stock stage " +
                       lv1::StockLandStage_Name(p.stock_stage()));
      }
    }
  }
}

void Loader::Supply() {
  struct Sale {
    const ParcelSpec* spec = nullptr;
    const Jurisdiction* jurisdiction = nullptr;
    lv1::SupplyOffer offer;
    bool short_schedule = false;  // bidding opens and closes while the loader runs
  };
  std::vector<Sale> sales;
  const Clock::time_point now = Now();
  const Clock::time_point short_start = now + std::chrono::seconds(options_.notice_seconds);
  const Clock::time_point short_end = short_start + std::chrono::seconds(options_.bidding_seconds);
  const std::chrono::sys_days today = TodayInChina();

  auto create_offer = [&](const ParcelSpec& spec, int attempt, bool with_schedule,
                          Clock::time_point start, Clock::time_point end, lv1::SupplyOffer* out) {
    const SupplySpec& s = *spec.supply;
    const lv1::Parcel& p = parcels_[spec.input.parcel_code()];
    lv1::CreateOfferRequest req;
    req.set_request_id(Rid("offer:" + spec.input.parcel_code() + ":" + std::to_string(attempt)));
    lv1::SupplyOffer* o = req.mutable_offer();
    o->set_region_code(p.region_code().substr(0, 4) + "00");
    o->set_parcel_id(p.parcel_id());
    o->set_method(s.method);
    o->set_land_use(p.planned_use());
    o->set_term_years(s.term_years);
    o->mutable_starting_price()->set_fen(s.starting_price_yuan * 100);
    o->mutable_reserve_price()->set_fen(s.reserve_price_yuan * 100);
    o->mutable_bid_increment()->set_fen(s.bid_increment_yuan * 100);
    o->mutable_deposit()->set_fen(s.deposit_yuan * 100);
    o->set_intending_users(s.intending_users);
    o->set_allocation_catalogue_item(s.allocation_catalogue_item);
    *o->mutable_planning_conditions() = p.planning_conditions();
    if (with_schedule) {
      *o->mutable_bidding_start() = Ts(start);
      *o->mutable_bidding_end() = Ts(end);
    }
    return Call(land_.get(), &LStub::CreateOffer, req, out);
  };
  auto publish = [&](const std::string& offer_id, lv1::SupplyOffer* out) {
    lv1::PublishOfferRequest req;
    req.set_request_id(Rid("publish:" + offer_id));
    req.set_offer_id(offer_id);
    *req.mutable_notice() = Doc("国有建设用地使用权出让公告");
    return Call(land_.get(), &LStub::PublishOffer, req, out);
  };
  auto register_bidders = [&](const Sale& sale) {
    for (size_t i = 0; i < sale.spec->supply->bidders.size(); ++i) {
      lv1::RegisterBidderRequest req;
      req.set_request_id(Rid("bidder:" + sale.offer.offer_id() + ":" + std::to_string(i)));
      req.set_offer_id(sale.offer.offer_id());
      *req.mutable_bidder() = sale.spec->supply->bidders[i];
      req.mutable_deposit_paid()->set_fen(sale.spec->supply->deposit_yuan * 100);
      *req.mutable_deposit_receipt() = Doc("竞买保证金缴款凭证");
      lv1::BidderRegistration out;
      Status st = Call(land_.get(), &LStub::RegisterBidder, req, &out);
      if (!st.ok()) Fail(sale.spec->input.parcel_code(), "register bidder: " + Why(st));
    }
  };
  auto get_offer = [&](const std::string& id, lv1::SupplyOffer* out) {
    lv1::GetOfferRequest req;
    req.set_offer_id(id);
    return Call(land_.get(), &LStub::GetOffer, req, out);
  };

  // 1. Offers: found, or drafted and published.
  for (const auto& j : data_.jurisdictions) {
    for (const auto& spec : j.parcels) {
      const std::string& code = spec.input.parcel_code();
      if (!spec.supply || spec.story == Story::kReserveRefused || !parcels_.count(code)) continue;
      const lv1::Parcel& p = parcels_[code];
      if (p.state() == lv1::PARCEL_STATE_REGISTERED || p.state() == lv1::PARCEL_STATE_RESERVED) {
        continue;  // the reserve step reported why
      }
      lv1::ListOffersRequest list;
      list.set_filter("parcel_id = \"" + p.parcel_id() + "\"");
      list.set_page_size(100);
      lv1::ListOffersResponse offers;
      Status st = Call(land_.get(), &LStub::ListOffers, list, &offers);
      if (!st.ok()) {
        Fail(code, Why(st));
        continue;
      }
      Sale sale{&spec, &j, {}, false};
      int attempts = offers.offers_size();
      for (const auto& o : offers.offers()) {
        if (OfferLive(o)) sale.offer = o;
      }
      const SupplySpec& s = *spec.supply;
      // A draft whose bidding would start before its notice is replaced.
      if (!sale.offer.offer_id().empty() && sale.offer.state() == lv1::OFFER_STATE_DRAFT &&
          s.competitive() && spec.story != Story::kOfferRefused &&
          FromTs(sale.offer.bidding_start()) < Now() + 5s) {
        lv1::CancelOfferRequest cancel;
        cancel.set_request_id(Rid("cancel:" + sale.offer.offer_id()));
        cancel.set_offer_id(sale.offer.offer_id());
        cancel.set_reason("演示：公告前竞价期已过，重新拟定");
        lv1::SupplyOffer cancelled;
        st = Call(land_.get(), &LStub::CancelOffer, cancel, &cancelled);
        if (!st.ok()) {
          Fail(code, "cancel a stale draft: " + Why(st));
          continue;
        }
        sale.offer.Clear();
      }
      if (sale.offer.offer_id().empty()) {
        bool weeks_ahead = spec.story == Story::kOnNotice || spec.story == Story::kOfferRefused;
        Clock::time_point start = weeks_ahead ? now + std::chrono::hours(24 * 25) : short_start;
        Clock::time_point end = weeks_ahead ? now + std::chrono::hours(24 * 35) : short_end;
        st = create_offer(spec, ++attempts, s.competitive(), start, end, &sale.offer);
        if (!st.ok() && st.error().reason() == "LISTING_PERIOD_TOO_SHORT" && !weeks_ahead) {
          Line(code, "the stack enforces the legal listing period; this sale stays on notice");
          st = create_offer(spec, ++attempts, true, now + std::chrono::hours(24 * 25),
                            now + std::chrono::hours(24 * 35), &sale.offer);
        }
        if (!st.ok()) {
          Fail(code, "draft offer: " + Why(st));
          continue;
        }
        sale.short_schedule =
            s.competitive() && !weeks_ahead && FromTs(sale.offer.bidding_end()) <= short_end + 1s;
      } else {
        sale.short_schedule =
            s.competitive() && sale.offer.has_bidding_end() &&
            FromTs(sale.offer.bidding_end()) - FromTs(sale.offer.bidding_start()) <
                std::chrono::hours(24);
      }
      if (sale.offer.state() == lv1::OFFER_STATE_DRAFT) {
        lv1::SupplyOffer published;
        st = publish(sale.offer.offer_id(), &published);
        if (spec.story == Story::kOfferRefused) {
          if (!st.ok() && st.error().reason() == spec.expect_refusal) {
            Line(code, "notice refused as the story says (" + st.error().reason() +
                           "): " + st.error().message());
          } else {
            Fail(code, "expected the notice to be refused with " + spec.expect_refusal + ", got " +
                           Why(st));
          }
          continue;
        }
        if (!st.ok() && st.error().reason() == "NOTICE_PERIOD_TOO_SHORT") {
          Line(code, "the stack enforces the legal notice period; this sale stays on notice");
          lv1::CancelOfferRequest cancel;
          cancel.set_request_id(Rid("cancel:" + sale.offer.offer_id()));
          cancel.set_offer_id(sale.offer.offer_id());
          cancel.set_reason("演示：公告期不足，重新拟定");
          lv1::SupplyOffer cancelled;
          st = Call(land_.get(), &LStub::CancelOffer, cancel, &cancelled);
          if (st.ok()) {
            st = create_offer(spec, ++attempts, true, now + std::chrono::hours(24 * 25),
                              now + std::chrono::hours(24 * 35), &sale.offer);
          }
          if (st.ok()) st = publish(sale.offer.offer_id(), &published);
          sale.short_schedule = false;
        }
        if (!st.ok()) {
          Fail(code, "publish: " + Why(st));
          continue;
        }
        sale.offer = published;
        Line(code, std::string(lv1::SupplyMethod_Name(s.method)) + " offer " +
                       sale.offer.offer_id() + " published" +
                       (s.competitive()
                            ? ", bidding " + FormatRfc3339(FromTs(sale.offer.bidding_start())) +
                                  " to " + FormatRfc3339(FromTs(sale.offer.bidding_end()))
                            : std::string()));
      } else if (spec.story == Story::kOfferRefused) {
        Fail(code, "the story expects its notice refused, the offer is " +
                       lv1::OfferState_Name(sale.offer.state()));
        continue;
      }
      if (s.competitive() && (sale.offer.state() == lv1::OFFER_STATE_PUBLISHED ||
                              sale.offer.state() == lv1::OFFER_STATE_BIDDING)) {
        register_bidders(sale);
      }
      sales.push_back(std::move(sale));
    }
  }

  // 2. Bids, in the window of the sales made now.
  bool any_short = false;
  Clock::time_point latest_end = now;
  for (const auto& sale : sales) {
    if (!sale.short_schedule || sale.spec->story == Story::kOnNotice) continue;
    if (sale.offer.state() != lv1::OFFER_STATE_PUBLISHED &&
        sale.offer.state() != lv1::OFFER_STATE_BIDDING) {
      continue;
    }
    any_short = true;
    latest_end = std::max(latest_end, FromTs(sale.offer.bidding_end()));
  }
  if (any_short) {
    Clock::time_point open = Now();
    for (const auto& sale : sales) {
      if (sale.short_schedule) open = std::max(open, FromTs(sale.offer.bidding_start()));
    }
    Line("bidding", "waiting for bidding to open at " + FormatRfc3339(open));
    std::this_thread::sleep_for(open + 500ms - Now());
    for (auto& sale : sales) {
      if (!sale.short_schedule || sale.spec->story == Story::kOnNotice) continue;
      if (Now() >= FromTs(sale.offer.bidding_end())) continue;
      lv1::GetBidBoardRequest breq;
      breq.set_offer_id(sale.offer.offer_id());
      lv1::BidBoard board;
      Status st = Call(land_.get(), &LStub::GetBidBoard, breq, &board);
      if (!st.ok()) {
        Fail(sale.spec->input.parcel_code(), "bid board: " + Why(st));
        continue;
      }
      // Bidder numbers in the order of registration: 001, 002, ...
      const auto& bids = sale.spec->supply->bids;
      for (size_t i = static_cast<size_t>(board.bid_count()); i < bids.size(); ++i) {
        lv1::PlaceBidRequest req;
        req.set_request_id(Rid("bid:" + sale.offer.offer_id() + ":" + std::to_string(i)));
        req.set_offer_id(sale.offer.offer_id());
        char number[16];
        std::snprintf(number, sizeof number, "%03d", bids[i].bidder + 1);
        req.set_bidder_number(number);
        req.mutable_amount()->set_fen(bids[i].yuan * 100);
        lv1::Bid out;
        st = Call(land_.get(), &LStub::PlaceBid, req, &out);
        if (!st.ok()) {
          Fail(sale.spec->input.parcel_code(), "bid " + std::to_string(i) + ": " + Why(st));
          break;
        }
      }
      Line(sale.spec->input.parcel_code(),
           std::to_string(bids.size()) + " bids, highest " + Yuan(bids.back().yuan * 100));
    }
    Line("bidding", "waiting for bidding to close at " + FormatRfc3339(latest_end));
  }
  // Every sale made now is closed by land supply's scheduler at its end.
  for (auto& sale : sales) {
    if (!sale.spec->supply->competitive() || sale.spec->story == Story::kOnNotice) continue;
    if (!sale.short_schedule) continue;
    bool closed = Eventually(
        [&] {
          lv1::SupplyOffer o;
          if (!get_offer(sale.offer.offer_id(), &o).ok()) return false;
          sale.offer = o;
          return o.state() != lv1::OFFER_STATE_PUBLISHED && o.state() != lv1::OFFER_STATE_BIDDING;
        },
        std::chrono::duration_cast<std::chrono::milliseconds>(latest_end - Now()) + options_.wait);
    if (!closed) Fail(sale.spec->input.parcel_code(), "the sale was not closed after its bidding");
  }

  // 3. Agreed supplies close on publication; every sold parcel gets its contract.
  for (auto& sale : sales) {
    const ParcelSpec& spec = *sale.spec;
    const SupplySpec& s = *spec.supply;
    const std::string& code = spec.input.parcel_code();
    if (spec.story == Story::kOnNotice || spec.story == Story::kOfferRefused) {
      Line(code, "on notice (" + lv1::OfferState_Name(sale.offer.state()) + ")");
      continue;
    }
    if (!s.competitive() && sale.offer.state() == lv1::OFFER_STATE_PUBLISHED) {
      lv1::CloseOfferRequest req;
      req.set_request_id(Rid("close:" + sale.offer.offer_id()));
      req.set_offer_id(sale.offer.offer_id());
      *req.mutable_agreed_grantee() = *s.agreed_grantee;
      req.mutable_agreed_price()->set_fen(s.agreed_price_yuan * 100);
      *req.mutable_confirmation() =
          Doc(s.method == lv1::SUPPLY_METHOD_ALLOCATION ? "国有建设用地划拨决定"
                                                        : "国有建设用地使用权协议出让确认书");
      Status st = Call(land_.get(), &LStub::CloseOffer, req, &sale.offer);
      if (!st.ok()) {
        Fail(code, "close: " + Why(st));
        continue;
      }
    }
    if (sale.offer.state() == lv1::OFFER_STATE_PUBLISHED ||
        sale.offer.state() == lv1::OFFER_STATE_BIDDING) {
      Line(code, "on notice until " + FormatRfc3339(FromTs(sale.offer.bidding_end())) +
                     " (the stack's notice period)");
      continue;
    }
    if (sale.offer.state() != lv1::OFFER_STATE_AWARDED &&
        sale.offer.state() != lv1::OFFER_STATE_CONTRACTED) {
      Fail(code, "offer " + sale.offer.offer_id() + " ended " +
                     lv1::OfferState_Name(sale.offer.state()) +
                     (sale.offer.result().failure_reason().empty()
                          ? ""
                          : ": " + sale.offer.result().failure_reason()));
      continue;
    }
    const int64_t price = sale.offer.result().price().fen();
    lv1::GrantContract contract;
    if (sale.offer.state() == lv1::OFFER_STATE_CONTRACTED) {
      lv1::ListContractsRequest list;
      list.set_filter("offer_id = \"" + sale.offer.offer_id() + "\"");
      lv1::ListContractsResponse found;
      Status st = Call(land_.get(), &LStub::ListContracts, list, &found);
      if (!st.ok() || found.contracts_size() != 1) {
        Fail(code, "contract of offer " + sale.offer.offer_id() + ": " + Why(st));
        continue;
      }
      contract = found.contracts(0);
    } else {
      lv1::SignContractRequest req;
      req.set_request_id(Rid("contract:" + sale.offer.offer_id()));
      lv1::GrantContract* c = req.mutable_contract();
      c->set_offer_id(sale.offer.offer_id());
      const int year = static_cast<int>(std::chrono::year_month_day(today).year());
      c->set_contract_number(spec.input.region_code() + "-" + std::to_string(year) + "-" +
                             code.substr(14));
      c->set_grantor(s.grantor);
      *c->mutable_agreed_delivery_date() = ProtoDate(today + std::chrono::days(30));
      *c->mutable_agreed_construction_start() = ProtoDate(today + std::chrono::days(180));
      *c->mutable_agreed_completion_date() = ProtoDate(today + std::chrono::days(180 + 3 * 365));
      c->mutable_agreed_investment()->set_fen(s.agreed_investment_yuan * 100);
      if (price > 0) {
        auto* first = c->add_installments();
        *first->mutable_due_date() = ProtoDate(today + std::chrono::days(30));
        first->mutable_amount()->set_fen(price / 2 + price % 2);
        auto* second = c->add_installments();
        *second->mutable_due_date() = ProtoDate(today + std::chrono::days(300));
        second->mutable_amount()->set_fen(price / 2);
      }
      *c->mutable_document() =
          Doc(s.method == lv1::SUPPLY_METHOD_ALLOCATION ? "国有建设用地划拨决定书"
                                                        : "国有建设用地使用权出让合同");
      Status st = Call(land_.get(), &LStub::SignContract, req, &contract);
      if (!st.ok()) {
        Fail(code, "sign: " + Why(st));
        continue;
      }
      Line(code, "contract " + contract.contract_number() + " signed with " +
                     contract.grantee().name() + ", " + Yuan(price));
    }
    // Payments: the deposit converted, the rest of the first instalment, the second.
    std::vector<std::pair<lv1::PaymentKind, int64_t>> plan;
    const int64_t first = price / 2 + price % 2;
    const int64_t deposit = s.competitive() ? std::min(s.deposit_yuan * 100, first) : 0;
    if (deposit > 0) plan.push_back({lv1::PAYMENT_KIND_DEPOSIT_CONVERTED, deposit});
    if (first - deposit > 0) plan.push_back({lv1::PAYMENT_KIND_PRICE, first - deposit});
    const size_t due_now = spec.story == Story::kSigned       ? 0
                           : spec.story == Story::kPartlyPaid ? plan.size()
                                                              : plan.size() + 1;
    if (price / 2 > 0) plan.push_back({lv1::PAYMENT_KIND_PRICE, price / 2});
    lv1::ListPaymentsRequest plist;
    plist.set_filter("contract_id = \"" + contract.contract_id() + "\"");
    lv1::ListPaymentsResponse paid;
    Status st = Call(land_.get(), &LStub::ListPayments, plist, &paid);
    if (!st.ok()) {
      Fail(code, "payments: " + Why(st));
      continue;
    }
    for (size_t i = static_cast<size_t>(paid.payments_size()); i < std::min(due_now, plan.size());
         ++i) {
      lv1::RecordPaymentRequest req;
      req.set_request_id(Rid("payment:" + contract.contract_id() + ":" + std::to_string(i)));
      lv1::Payment* pay = req.mutable_payment();
      pay->set_contract_id(contract.contract_id());
      pay->set_kind(plan[i].first);
      pay->mutable_amount()->set_fen(plan[i].second);
      *pay->mutable_paid_on() = ProtoDate(today);
      *pay->mutable_receipt() = Doc("非税收入缴款凭证");
      lv1::Payment out;
      st = Call(land_.get(), &LStub::RecordPayment, req, &out);
      if (!st.ok()) {
        Fail(code, "payment " + std::to_string(i) + ": " + Why(st));
        break;
      }
    }
    lv1::GetContractRequest cget;
    cget.set_contract_id(contract.contract_id());
    if (st = Call(land_.get(), &LStub::GetContract, cget, &contract); !st.ok()) {
      Fail(code, "contract: " + Why(st));
      continue;
    }
    if (spec.story == Story::kDelivered && contract.state() == lv1::CONTRACT_STATE_FULLY_PAID) {
      lv1::DeliverLandRequest req;
      req.set_request_id(Rid("deliver:" + contract.contract_id()));
      req.set_contract_id(contract.contract_id());
      *req.mutable_delivered_on() = ProtoDate(today);
      *req.mutable_handover_record() = Doc("国有建设用地交地确认书");
      st = Call(land_.get(), &LStub::DeliverLand, req, &contract);
      if (!st.ok()) {
        Fail(code, "deliver: " + Why(st));
        continue;
      }
    }
    contracts_[code] = contract;
    Line(code, "contract " + contract.contract_number() + ": " +
                   lv1::ContractState_Name(contract.state()) + ", paid " +
                   Yuan(contract.paid().fen()) + " of " + Yuan(contract.price().fen()));
  }
}

// ------------------------------------------------------------------ registration

void Loader::Registrations() {
  for (const auto& j : data_.jurisdictions) {
    for (const auto& spec : j.parcels) {
      const std::string& code = spec.input.parcel_code();
      if (spec.registration == CaseTarget::kNone || !contracts_.count(code)) continue;
      const lv1::GrantContract& contract = contracts_[code];
      if (contract.state() != lv1::CONTRACT_STATE_DELIVERED) continue;
      rv1::RegistrationCase c;
      rv1::ListCasesRequest list;
      list.set_filter("source_reference = \"" + contract.contract_id() + "\"");
      bool opened = Eventually(
          [&] {
            rv1::ListCasesResponse found;
            if (!Call(registration_.get(), &RStub::ListCases, list, &found).ok()) return false;
            if (found.cases_size() == 0) return false;
            c = found.cases(0);
            return true;
          },
          options_.wait, 1s);
      if (!opened) {
        Fail(code, "registration opened no case for the delivery of contract " +
                       contract.contract_number());
        continue;
      }
      auto step = [&](const char* name, auto method, auto req) {
        req.set_request_id(Rid(std::string("case:") + c.case_id() + ":" + name));
        req.set_case_id(c.case_id());
        Status st = Call(registration_.get(), method, req, &c);
        if (!st.ok()) Fail(code, std::string(name) + ": " + Why(st));
        return st.ok();
      };
      bool ok = true;
      if (spec.registration >= CaseTarget::kAccepted && c.state() == rv1::CASE_STATE_APPLIED) {
        rv1::AcceptCaseRequest req;
        req.set_comment("材料齐全，予以受理");
        ok = step("accept", &RStub::AcceptCase, req);
      }
      if (ok && spec.registration >= CaseTarget::kRecorded &&
          c.state() == rv1::CASE_STATE_ACCEPTED) {
        rv1::ReviewCaseRequest req;
        req.set_outcome(rv1::REVIEW_OUTCOME_APPROVED);
        req.set_opinion("权属来源清楚，价款已缴清，符合首次登记条件");
        ok = step("review", &RStub::ReviewCase, req);
      }
      if (ok && spec.registration >= CaseTarget::kRecorded &&
          c.state() == rv1::CASE_STATE_REVIEWED) {
        ok = step("record", &RStub::RecordCase, rv1::RecordCaseRequest());
      }
      if (ok && spec.registration >= CaseTarget::kCertificateIssued &&
          c.state() == rv1::CASE_STATE_RECORDED) {
        rv1::IssueCertificateRequest req;
        req.set_delivery(rv1::CERTIFICATE_DELIVERY_PAPER_AND_ELECTRONIC);
        // The grantee as the data names it (the contract masks personal numbers).
        const SupplySpec& s = *spec.supply;
        *req.mutable_recipient() =
            s.competitive() ? s.bidders[s.bids.back().bidder] : *s.agreed_grantee;
        ok = step("issue", &RStub::IssueCertificate, req);
      }
      Line(code,
           "case " + c.case_number() + " (" + rv1::CaseState_Name(c.state()) + ")" +
               (c.certificate_number().empty() ? "" : ", certificate " + c.certificate_number()));
    }
  }
}

// ------------------------------------------------------------------ mining rights

void Loader::Mines() {
  mv1::MineralClassification classification;
  Status st = Call(mining_.get(), &MStub::GetMineralClassification,
                   mv1::GetMineralClassificationRequest(), &classification);
  if (!st.ok()) {
    Fail("mining rights", "the mineral classification: " + Why(st));
    return;
  }
  for (const auto& m : classification.minerals()) minerals_[m.code()] = m;
  Line("mining rights", std::to_string(minerals_.size()) + " minerals in the classification (" +
                            classification.source() + ")");
  // Every mineral the data names is one of the service's classification.
  bool known = true;
  for (const auto& j : data_.jurisdictions) {
    for (const auto& m : j.mines) {
      std::vector<std::string> codes;
      if (m.is_right()) {
        codes.push_back(m.right.main_mineral().code());
        for (const auto& a : m.right.associated_minerals()) codes.push_back(a.code());
      } else {
        codes.push_back(m.offer.main_mineral().code());
      }
      for (const auto& c : codes) {
        if (minerals_.count(c)) continue;
        Fail(m.key, "mineral " + c + " is not in the service's classification");
        known = false;
      }
    }
  }
  if (!known) return;
  const Date today = Date::FromSysDays(TodayInChina());
  // Rights first: the offers are placed against them.
  for (const auto& j : data_.jurisdictions) {
    for (const auto& m : j.mines) {
      if (m.is_right()) EnterRight(m, today);
    }
  }
  for (const auto& j : data_.jurisdictions) {
    for (const auto& m : j.mines) {
      if (m.story == MineStory::kOnNotice) OfferOnNotice(m);
      if (m.story == MineStory::kOverlapRefused) OverlapRefused(m);
    }
  }
}

void Loader::EnterRight(const MineSpec& mine, Date today) {
  const std::string& number = mine.right.licence_number();
  mv1::ListRightsRequest list;
  list.set_filter("licence_number = \"" + number + "\"");
  mv1::ListRightsResponse found;
  Status st = Call(mining_.get(), &MStub::ListRights, list, &found);
  if (!st.ok()) {
    Fail(number, Why(st));
    return;
  }
  mv1::MiningRight right;
  if (found.rights_size() > 0) {
    right = found.rights(0);
    Line(number, right.project_name() + ": entered before, " + RightState(right) + ", valid " +
                     DateText(right.valid_from()) + " to " + DateText(right.valid_to()));
  } else {
    // The validity placed around today: the data names its end in days from now and its term.
    const Validity v = ValidityOn(mine, today);
    mv1::RegisterExistingRightRequest req;
    req.set_request_id(Rid("mine:" + number + ":" + v.to.ToString()));
    mv1::MiningRight* in = req.mutable_right();
    *in = mine.right;
    *in->mutable_valid_from() = ProtoDate(v.from.sys_days());
    *in->mutable_valid_to() = ProtoDate(v.to.sys_days());
    for (auto& a : *in->mutable_associated_minerals()) {
      const mv1::MineralInfo& info = minerals_.at(a.code());
      a.set_name(info.name());
      a.set_mineral_class(info.mineral_class());
    }
    st = Call(mining_.get(), &MStub::RegisterExistingRight, req, &right);
    if (!st.ok() && st.error().code() == Code::kAlreadyExists) {
      // Carried before: the right has taken a 23-character number at a registration since.
      Line(number, "entered before (" + st.error().message() + ")");
      return;
    }
    if (!st.ok()) {
      Fail(number, "enter: " + Why(st));
      return;
    }
    Line(number, right.project_name() + " (" + right.main_mineral().name() + ", " +
                     mv1::MiningRightKind_Name(right.kind()).substr(18) +
                     (right.scale_class() != mv1::SCALE_CLASS_UNSPECIFIED
                          ? ", " + mv1::ScaleClass_Name(right.scale_class()).substr(12)
                          : std::string()) +
                     "): entered as the register holds it, " + RightState(right) + ", valid " +
                     DateText(right.valid_from()) + " to " + DateText(right.valid_to()) + ", " +
                     Fmt("%.2f", right.area().square_metres() / 1e6) + " km², fund account " +
                     right.restoration_duty().fund_account());
  }
  rights_[number] = right;
  if (mine.story == MineStory::kExtended) {
    if (right.extension_count() > mine.right.extension_count()) {
      Line(number, "extended before (" + std::to_string(right.extension_count()) +
                       " extensions), valid to " + DateText(right.valid_to()));
      return;
    }
    if (right.state() != mv1::MINING_RIGHT_STATE_VALID) {
      Fail(number, "is " + RightState(right) + "; the story extends it");
      return;
    }
    const Date last = DateOf(right.valid_to());
    mv1::ExtendRightRequest req;
    req.set_request_id(
        Rid("extend:" + right.right_id() + ":" + std::to_string(right.extension_count())));
    req.set_right_id(right.right_id());
    *req.mutable_applied_on() = ProtoDate(today.sys_days());
    *req.mutable_new_valid_to() = ProtoDate(last.AddYears(mine.extend_years).sys_days());
    for (const auto& d : mine.extension_documents) *req.add_documents() = d;
    mv1::MiningRight extended;
    st = Call(mining_.get(), &MStub::ExtendRight, req, &extended);
    if (!st.ok()) {
      Fail(number, "extend: " + Why(st));
      return;
    }
    rights_[number] = extended;
    Line(number, "extension (延续) applied for on " + today.ToString() + ", " +
                     std::to_string((last.sys_days() - today.sys_days()).count()) +
                     " days before its last day " + last.ToString() + ": valid to " +
                     DateText(extended.valid_to()) + ", extension " +
                     std::to_string(extended.extension_count()) +
                     (extended.licence_number() != number
                          ? ", licence number now " + extended.licence_number()
                          : std::string()));
  }
  if (mine.story == MineStory::kLapses) {
    const Date last = DateOf(right.valid_to());
    if (right.state() == mv1::MINING_RIGHT_STATE_VALID) {
      Line(number, "valid to " + last.ToString() + " (today, China time, is " + today.ToString() +
                       "): not extended, it lapses (自行废止) by the service's scheduled pass at "
                       "00:00 China time on " +
                       last.AddDays(1).ToString() + ", told as RightExpired");
    } else if (right.state() == mv1::MINING_RIGHT_STATE_EXPIRED) {
      Line(number, "lapsed (自行废止) after its last day " + last.ToString() + ": EXPIRED");
    } else {
      Fail(number, "is " + RightState(right) + "; the story expects it VALID until " +
                       last.ToString() + " and EXPIRED after");
    }
  }
}

mv1::GrantOffer Loader::DraftOffer(const MineSpec& mine) const {
  mv1::GrantOffer o = mine.offer;
  // Bidding weeks ahead, like land supply's sales on notice: the grant notice at least 20 days
  // before bidding, a listing open at least 10 days (the service's legal floors).
  const Clock::time_point now = Now();
  *o.mutable_bidding_start() = Ts(now + std::chrono::hours(24 * (kGrantNoticeDays + 5)));
  *o.mutable_bidding_end() = Ts(now + std::chrono::hours(24 * (kGrantNoticeDays + 16)));
  return o;
}

void Loader::OfferOnNotice(const MineSpec& mine) {
  const std::string& who = mine.key;
  mv1::ListGrantOffersRequest list;
  list.set_filter("region_code = \"" + mine.offer.region_code() + "\" AND main_mineral.code = \"" +
                  mine.offer.main_mineral().code() + "\"");
  list.set_page_size(100);
  mv1::ListGrantOffersResponse found;
  Status st = Call(mining_.get(), &MStub::ListGrantOffers, list, &found);
  if (!st.ok()) {
    Fail(who, Why(st));
    return;
  }
  mv1::GrantOffer offer;
  int attempts = 0;
  for (const auto& o : found.offers()) {
    if (o.project_name() != mine.offer.project_name()) continue;
    ++attempts;
    if (GrantOfferLive(o)) offer = o;
  }
  // A draft left by an interrupted run whose bidding would start within the notice period is
  // replaced.
  if (!offer.offer_id().empty() && offer.state() == mv1::GRANT_OFFER_STATE_DRAFT &&
      FromTs(offer.bidding_start()) < Now() + std::chrono::hours(24 * kGrantNoticeDays) + 1h) {
    mv1::CancelGrantOfferRequest cancel;
    cancel.set_request_id(Rid("grant-cancel:" + offer.offer_id()));
    cancel.set_offer_id(offer.offer_id());
    cancel.set_reason("演示：公告前竞价期已不足法定公告期，重新拟定");
    mv1::GrantOffer cancelled;
    st = Call(mining_.get(), &MStub::CancelGrantOffer, cancel, &cancelled);
    if (!st.ok()) {
      Fail(who, "cancel a stale draft: " + Why(st));
      return;
    }
    offer.Clear();
  }
  if (offer.offer_id().empty()) {
    mv1::CreateGrantOfferRequest req;
    req.set_request_id(Rid("grant-offer:" + mine.key + ":" + std::to_string(++attempts)));
    *req.mutable_offer() = DraftOffer(mine);
    // The replica of planning's layers may still be on its way.
    Eventually(
        [&] {
          st = Call(mining_.get(), &MStub::CreateGrantOffer, req, &offer);
          return st.ok() || st.error().reason() != "ZONE_LAYER_MISSING";
        },
        options_.wait, 1s);
    if (!st.ok()) {
      Fail(who, "draft offer: " + Why(st));
      return;
    }
  }
  if (offer.state() == mv1::GRANT_OFFER_STATE_DRAFT) {
    mv1::PublishGrantOfferRequest req;
    req.set_request_id(Rid("grant-publish:" + offer.offer_id()));
    req.set_offer_id(offer.offer_id());
    *req.mutable_notice() = mine.notice;
    mv1::GrantOffer published;
    st = Call(mining_.get(), &MStub::PublishGrantOffer, req, &published);
    if (!st.ok()) {
      Fail(who, "publish: " + Why(st));
      return;
    }
    offer = published;
    Line(who, offer.project_name() + ": " + mv1::GrantMethod_Name(offer.method()).substr(13) +
                  (offer.clean_grant() ? " (净矿出让)" : "") + " offer " + offer.offer_id() +
                  " published, " + Fmt("%.2f", offer.area().square_metres() / 1e6) +
                  " km², bidding " + FormatRfc3339(FromTs(offer.bidding_start())) + " to " +
                  FormatRfc3339(FromTs(offer.bidding_end())));
  }
  if (offer.state() == mv1::GRANT_OFFER_STATE_PUBLISHED ||
      offer.state() == mv1::GRANT_OFFER_STATE_BIDDING) {
    for (size_t i = 0; i < mine.bidders.size(); ++i) {
      mv1::RegisterGrantBidderRequest req;
      req.set_request_id(Rid("grant-bidder:" + offer.offer_id() + ":" + std::to_string(i)));
      req.set_offer_id(offer.offer_id());
      *req.mutable_bidder() = mine.bidders[i];
      *req.mutable_deposit_paid() = offer.deposit();
      *req.mutable_deposit_receipt() = Doc("竞买保证金缴款凭证");
      mv1::GrantBidder out;
      st = Call(mining_.get(), &MStub::RegisterGrantBidder, req, &out);
      if (!st.ok() && st.error().code() != Code::kAlreadyExists) {
        Fail(who, "register bidder: " + Why(st));
      }
    }
  }
  grant_offers_[mine.key] = offer;
  Line(who, "on notice (" + mv1::GrantOfferState_Name(offer.state()).substr(18) +
                "): bidding opens " + FormatRfc3339(FromTs(offer.bidding_start())) +
                ", after the legal notice period, long after this load");
}

void Loader::OverlapRefused(const MineSpec& mine) {
  const std::string& who = mine.key;
  mv1::CreateGrantOfferRequest req;
  // A refused offer records nothing, so the same step asks again on every run.
  req.set_request_id(Rid("grant-offer:" + mine.key));
  *req.mutable_offer() = DraftOffer(mine);
  mv1::GrantOffer created;
  Status st = Error::Unavailable("not tried");
  Eventually(
      [&] {
        st = Call(mining_.get(), &MStub::CreateGrantOffer, req, &created);
        return st.ok() || st.error().reason() != "ZONE_LAYER_MISSING";
      },
      options_.wait, 1s);
  // The right overlapped, by the number it carries now.
  auto it = rights_.find(mine.overlaps);
  const std::string named = it != rights_.end() ? it->second.licence_number() : mine.overlaps;
  if (!st.ok() && st.error().code() == Code::kFailedPrecondition &&
      st.error().reason() == mine.expect_refusal &&
      st.error().message().find(named) != std::string::npos &&
      st.error().message().find(" m² of overlap") != std::string::npos) {
    Line(who,
         "offer refused as the story says (" + st.error().reason() + "): " + st.error().message());
    return;
  }
  Fail(who, "expected the offer to be refused with " + mine.expect_refusal + " naming right " +
                named + " and the overlap area, got " +
                (st.ok() ? "offer " + created.offer_id() : Why(st)));
}

// ------------------------------------------------------------------ summary

void Loader::Summary() {
  // Planning consumes land supply's events: wait (bounded) until the stock-land
  // indicators of the monitoring plans carry a value.
  for (const auto& [region, ids] : monitoring_indicators_) {
    for (const auto& id : ids) {
      pv1::GetIndicatorRequest req;
      req.set_indicator_id(id);
      Eventually(
          [&] {
            pv1::Indicator ind;
            if (!Call(planning_.get(), &PStub::GetIndicator, req, &ind).ok()) return false;
            return ind.has_latest_value() ||
                   ind.metric() != pv1::COMPUTED_METRIC_STOCK_LAND_REVITALISED_AREA;
          },
          std::min<std::chrono::milliseconds>(options_.wait, 60s), 1s);
    }
  }
  // Planning counts the mines from mining rights' events: wait (bounded) until the reference
  // plans' mine counts include the valid mines entered.
  for (const auto& j : data_.jurisdictions) {
    int mines = 0;
    for (const auto& m : j.mines) {
      auto it = m.is_right() ? rights_.find(m.right.licence_number()) : rights_.end();
      mines += it != rights_.end() && it->second.kind() == mv1::MINING_RIGHT_KIND_MINING &&
               it->second.state() == mv1::MINING_RIGHT_STATE_VALID;
    }
    if (mines == 0) continue;
    pv1::ListIndicatorsRequest req;
    req.set_filter("plan_id = \"" + j.reference_plan_id + "\"");
    req.set_page_size(1000);
    Eventually(
        [&] {
          pv1::ListIndicatorsResponse inds;
          if (!Call(planning_.get(), &PStub::ListIndicators, req, &inds).ok()) return false;
          for (const auto& i : inds.indicators()) {
            if (i.metric() != pv1::COMPUTED_METRIC_SOLID_MINERAL_MINE_COUNT) continue;
            if (!i.has_latest_value() || i.latest_value() < mines) return false;
          }
          return true;
        },
        std::min<std::chrono::milliseconds>(options_.wait, 60s), 1s);
  }
  for (const auto& j : data_.jurisdictions) {
    out_ << "-- " << j.name << " (" << j.region_code << ")\n";
    std::vector<std::string> plan_ids = {j.reference_plan_id};
    pv1::ListPlansRequest plans_req;
    plans_req.set_filter("region_code = \"" + j.region_code + "\"");
    pv1::ListPlansResponse plans;
    if (Call(planning_.get(), &PStub::ListPlans, plans_req, &plans).ok()) {
      for (const auto& p : plans.plans()) {
        if (p.region_code() == j.region_code && p.plan_id() != j.reference_plan_id) {
          plan_ids.push_back(p.plan_id());
        }
      }
    }
    for (const auto& plan_id : plan_ids) {
      pv1::ListIndicatorsRequest req;
      req.set_filter("plan_id = \"" + plan_id + "\"");
      req.set_page_size(1000);
      pv1::ListIndicatorsResponse inds;
      if (!Call(planning_.get(), &PStub::ListIndicators, req, &inds).ok()) continue;
      for (const auto& i : inds.indicators()) {
        if (i.metric() == pv1::COMPUTED_METRIC_UNSPECIFIED) continue;
        std::string value =
            i.has_latest_value() ? Fmt("%.4g", i.latest_value()) + " " + i.unit() : "—";
        out_ << "   " << plan_id << "  " << i.name() << ": " << value << "  target "
             << i.target().text() << "  " << pv1::ProgressStatus_Name(i.status()).substr(16)
             << "\n";
      }
    }
    for (const auto& spec : j.parcels) {
      const std::string& code = spec.input.parcel_code();
      lv1::GetParcelRequest req;
      if (!parcels_.count(code)) continue;
      req.set_parcel_id(parcels_[code].parcel_id());
      lv1::Parcel p;
      if (!Call(land_.get(), &LStub::GetParcel, req, &p).ok()) continue;
      out_ << "   parcel " << code << "  " << p.name() << "  "
           << lv1::ParcelState_Name(p.state()).substr(13) << "  (" << StoryName(spec.story)
           << ")\n";
    }
    for (const auto& m : j.mines) {
      if (m.is_right()) {
        auto it = rights_.find(m.right.licence_number());
        if (it == rights_.end()) continue;
        mv1::GetRightRequest req;
        req.set_right_id(it->second.right_id());
        mv1::MiningRight r;
        if (!Call(mining_.get(), &MStub::GetRight, req, &r).ok()) continue;
        out_ << "   mine " << r.licence_number() << "  " << r.project_name() << "  "
             << r.main_mineral().name() << "  " << RightState(r) << " to " << DateText(r.valid_to())
             << "  (" << MineStoryName(m.story) << ")\n";
      } else if (grant_offers_.count(m.key)) {
        mv1::GetGrantOfferRequest req;
        req.set_offer_id(grant_offers_[m.key].offer_id());
        mv1::GrantOffer o;
        if (!Call(mining_.get(), &MStub::GetGrantOffer, req, &o).ok()) continue;
        out_ << "   grant offer " << o.offer_id() << "  " << o.project_name() << "  "
             << mv1::GrantOfferState_Name(o.state()).substr(18) << "  (" << MineStoryName(m.story)
             << ")\n";
      }
    }
  }
  out_.flush();
}

}  // namespace nrp::demo
