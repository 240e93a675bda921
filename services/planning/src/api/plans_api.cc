// Plans, indicators, reported values and progress.
#include <cmath>

#include "api/planning_api.h"
#include "convert/convert.h"
#include "nrp/core/uuid.h"
#include "nrp/db/transaction.h"
#include "nrp/rpc/auth.h"
#include "nrp/service/call.h"
#include "store/plan_store.h"

namespace nrp::planning::api {

namespace {

Result<store::PlanRow> LoadPlan(pqxx::work& tx, const std::string& plan_id,
                                bool for_update = false) {
  NRP_ASSIGN_OR_RETURN(auto p, store::GetPlan(tx, plan_id, for_update));
  if (!p) return Error::NotFound("plan " + plan_id + " does not exist");
  return *p;
}

Result<store::IndicatorRow> LoadIndicator(pqxx::work& tx, const std::string& id,
                                          bool for_update = false) {
  NRP_ASSIGN_OR_RETURN(auto i, store::GetIndicator(tx, id, for_update));
  if (!i) return Error::NotFound("indicator " + id + " does not exist");
  return *i;
}

Status CheckId(const std::string& id, std::string_view field) {
  if (id.empty() || id.size() > 128) {
    return Error::InvalidArgument(std::string(field), "must be 1 to 128 characters");
  }
  for (char c : id) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return Error::InvalidArgument(std::string(field), "must be printable ASCII without spaces");
    }
  }
  return Ok();
}

}  // namespace

grpc::Status PlanningApi::CreatePlan(grpc::ServerContext* ctx, const v1::CreatePlanRequest* req,
                                     v1::Plan* resp) {
  return service::Serve<v1::Plan>(
      rt_, ctx, kWriteScope, kErrorDomain, resp,
      [&](const rpc::Caller& caller) -> Result<v1::Plan> {
        const auto& p = req->plan();
        if (p.name().empty() || p.name().size() > 500) {
          return Error::InvalidArgument("plan.name", "must be 1 to 500 bytes");
        }
        NRP_RETURN_IF_ERROR(CheckRegionCode(p.region_code(), "plan.region_code"));
        if (p.period_start_year() < 1949 || p.period_start_year() > 2200) {
          return Error::InvalidArgument("plan.period_start_year", "must be a year such as 2021");
        }
        if (p.period_end_year() < p.period_start_year() ||
            p.period_end_year() - p.period_start_year() > 20) {
          return Error::InvalidArgument(
              "plan.period_end_year",
              "must be at or after the start year and at most 20 years later");
        }
        if (p.base_year() >= p.period_start_year() || p.base_year() < p.period_start_year() - 10) {
          return Error::InvalidArgument("plan.base_year",
                                        "must precede the period (at most 10 years before)");
        }
        NRP_RETURN_IF_ERROR(rpc::Authorize(caller, kWriteScope, p.region_code()));
        return service::Mutate<v1::Plan>(
            rt_, caller, {kServiceName, "CreatePlan"}, req->request_id(), *req,
            [&](pqxx::work& tx, service::AuditSubject& audit) -> Result<v1::Plan> {
              store::PlanRow row;
              row.plan_id = NewUuidV7();
              row.name = p.name();
              row.region_code = p.region_code();
              row.period_start_year = p.period_start_year();
              row.period_end_year = p.period_end_year();
              row.base_year = p.base_year();
              if (p.has_document()) p.document().SerializeToString(&row.document);
              row.state = store::PlanState::kDraft;
              row.create_time = row.update_time = rt_.clock().Now();
              NRP_RETURN_IF_ERROR(store::InsertPlan(tx, row));
              NRP_ASSIGN_OR_RETURN(auto stored, LoadPlan(tx, row.plan_id));
              audit = {row.region_code, row.plan_id};
              return ToProto(stored);
            });
      });
}

grpc::Status PlanningApi::GetPlan(grpc::ServerContext* ctx, const v1::GetPlanRequest* req,
                                  v1::Plan* resp) {
  return service::Serve<v1::Plan>(
      rt_, ctx, kReadScope, kErrorDomain, resp, [&](const rpc::Caller&) -> Result<v1::Plan> {
        NRP_RETURN_IF_ERROR(CheckId(req->plan_id(), "plan_id"));
        NRP_ASSIGN_OR_RETURN(auto row, db::Transact(rt_.db(), [&](pqxx::work& tx) {
                               return LoadPlan(tx, req->plan_id());
                             }));
        return ToProto(row);
      });
}

grpc::Status PlanningApi::ListPlans(grpc::ServerContext* ctx, const v1::ListPlansRequest* req,
                                    v1::ListPlansResponse* resp) {
  return service::Serve<v1::ListPlansResponse>(
      rt_, ctx, kReadScope, kErrorDomain, resp,
      [&](const rpc::Caller&) -> Result<v1::ListPlansResponse> {
        NRP_ASSIGN_OR_RETURN(auto query, list::Parse(store::PlanList(), list::RequestOf(*req)));
        NRP_ASSIGN_OR_RETURN(auto page, db::Transact(rt_.db(), [&](pqxx::work& tx) {
                               return store::ListPlans(tx, query);
                             }));
        v1::ListPlansResponse out;
        for (const auto& p : page.items) *out.add_plans() = ToProto(p);
        out.set_next_page_token(page.next_page_token);
        return out;
      });
}

grpc::Status PlanningApi::ApprovePlan(grpc::ServerContext* ctx, const v1::ApprovePlanRequest* req,
                                      v1::Plan* resp) {
  return service::Serve<v1::Plan>(
      rt_, ctx, kWriteScope, kErrorDomain, resp,
      [&](const rpc::Caller& caller) -> Result<v1::Plan> {
        NRP_RETURN_IF_ERROR(CheckId(req->plan_id(), "plan_id"));
        std::string document;
        if (req->has_document()) req->document().SerializeToString(&document);
        return service::Mutate<v1::Plan>(
            rt_, caller, {kServiceName, "ApprovePlan"}, req->request_id(), *req,
            [&](pqxx::work& tx, service::AuditSubject& audit) -> Result<v1::Plan> {
              NRP_ASSIGN_OR_RETURN(auto plan, LoadPlan(tx, req->plan_id(), /*for_update=*/true));
              NRP_RETURN_IF_ERROR(rpc::Authorize(caller, kWriteScope, plan.region_code));
              if (plan.state != store::PlanState::kDraft) {
                return Error::FailedPrecondition(
                    "PLAN_NOT_DRAFT", plan.plan_id,
                    "plan " + plan.plan_id + " is not a draft; only a draft can be approved");
              }
              NRP_RETURN_IF_ERROR(store::SetPlanState(tx, plan.plan_id, store::PlanState::kInForce,
                                                      document, rt_.clock().Now()));
              // Its indicators are monitored from now on.
              NRP_ASSIGN_OR_RETURN(auto inds, store::IndicatorsOfPlan(tx, plan.plan_id));
              for (const auto& i : inds)
                NRP_RETURN_IF_ERROR(progress_.Recompute(tx, i.indicator_id));
              audit = {plan.region_code, plan.plan_id};
              NRP_ASSIGN_OR_RETURN(auto after, LoadPlan(tx, plan.plan_id));
              return ToProto(after);
            });
      });
}

grpc::Status PlanningApi::CreateIndicator(grpc::ServerContext* ctx,
                                          const v1::CreateIndicatorRequest* req,
                                          v1::Indicator* resp) {
  return service::Serve<v1::Indicator>(
      rt_, ctx, kWriteScope, kErrorDomain, resp,
      [&](const rpc::Caller& caller) -> Result<v1::Indicator> {
        const auto& in = req->indicator();
        NRP_RETURN_IF_ERROR(CheckId(in.plan_id(), "indicator.plan_id"));
        NRP_RETURN_IF_ERROR(CheckId(in.code(), "indicator.code"));
        if (in.name().empty() || in.name().size() > 300) {
          return Error::InvalidArgument("indicator.name", "must be 1 to 300 bytes");
        }
        if (in.unit().size() > 50)
          return Error::InvalidArgument("indicator.unit", "is longer than 50 bytes");
        if (in.has_base_value() && !std::isfinite(in.base_value())) {
          return Error::InvalidArgument("indicator.base_value", "must be a finite number");
        }
        NRP_ASSIGN_OR_RETURN(auto target, TargetFromProto(in.target(), "indicator.target"));
        NRP_ASSIGN_OR_RETURN(auto nature, NatureFromProto(in.nature(), "indicator.nature"));
        if (!v1::ComputedMetric_IsValid(in.metric())) {
          return Error::InvalidArgument("indicator.metric",
                                        "unknown metric " + std::to_string(in.metric()));
        }
        Measure measure = MeasureOf(in.metric());
        if (IsAreaMeasure(measure.kind) && !SquareMetresToUnit(1, in.unit()).ok()) {
          return Error::InvalidArgument("indicator.unit",
                                        "a computed area needs an area unit (平方米, 亩, 万亩, "
                                        "公顷, 万公顷, 平方公里), got '" +
                                            in.unit() + "'");
        }
        if (in.position() < 0)
          return Error::InvalidArgument("indicator.position", "must not be negative");
        return service::Mutate<v1::Indicator>(
            rt_, caller, {kServiceName, "CreateIndicator"}, req->request_id(), *req,
            [&](pqxx::work& tx, service::AuditSubject& audit) -> Result<v1::Indicator> {
              NRP_ASSIGN_OR_RETURN(auto plan, LoadPlan(tx, in.plan_id(), /*for_update=*/true));
              NRP_RETURN_IF_ERROR(rpc::Authorize(caller, kWriteScope, plan.region_code));
              if (plan.state == store::PlanState::kClosed) {
                return Error::FailedPrecondition("PLAN_CLOSED", plan.plan_id,
                                                 "plan " + plan.plan_id + " is closed");
              }
              const int target_year =
                  in.target().target_year() == 0 ? plan.period_end_year : in.target().target_year();
              if (target_year < plan.period_start_year || target_year > plan.period_end_year) {
                return Error::InvalidArgument("indicator.target.target_year",
                                              "must lie within the plan period " +
                                                  std::to_string(plan.period_start_year) + "–" +
                                                  std::to_string(plan.period_end_year));
              }
              store::IndicatorRow row;
              row.indicator_id = NewUuidV7();
              row.plan_id = plan.plan_id;
              row.code = in.code();
              NRP_ASSIGN_OR_RETURN(auto existing, store::IndicatorsOfPlan(tx, plan.plan_id));
              row.position =
                  in.position() > 0 ? in.position() : static_cast<int>(existing.size()) + 1;
              row.name = in.name();
              row.category = in.category();
              row.unit = in.unit();
              if (in.has_base_value()) row.base_value = in.base_value();
              row.target = target;
              row.target_as_written = in.target().text();
              row.target_year = target_year;
              row.nature = nature;
              row.measure = measure;
              row.annual = IsYearly(measure.kind);
              row.source_note = in.source_note();
              row.status = v1::PROGRESS_STATUS_NO_DATA;
              row.create_time = row.update_time = rt_.clock().Now();
              NRP_RETURN_IF_ERROR(store::InsertIndicator(tx, row));
              NRP_RETURN_IF_ERROR(progress_.Recompute(tx, row.indicator_id));
              audit = {plan.region_code, row.indicator_id};
              NRP_ASSIGN_OR_RETURN(auto stored, LoadIndicator(tx, row.indicator_id));
              return ToProto(stored);
            });
      });
}

grpc::Status PlanningApi::GetIndicator(grpc::ServerContext* ctx, const v1::GetIndicatorRequest* req,
                                       v1::Indicator* resp) {
  return service::Serve<v1::Indicator>(
      rt_, ctx, kReadScope, kErrorDomain, resp, [&](const rpc::Caller&) -> Result<v1::Indicator> {
        NRP_RETURN_IF_ERROR(CheckId(req->indicator_id(), "indicator_id"));
        NRP_ASSIGN_OR_RETURN(auto row, db::Transact(rt_.db(), [&](pqxx::work& tx) {
                               return LoadIndicator(tx, req->indicator_id());
                             }));
        return ToProto(row);
      });
}

grpc::Status PlanningApi::ListIndicators(grpc::ServerContext* ctx,
                                         const v1::ListIndicatorsRequest* req,
                                         v1::ListIndicatorsResponse* resp) {
  return service::Serve<v1::ListIndicatorsResponse>(
      rt_, ctx, kReadScope, kErrorDomain, resp,
      [&](const rpc::Caller&) -> Result<v1::ListIndicatorsResponse> {
        NRP_ASSIGN_OR_RETURN(auto query,
                             list::Parse(store::IndicatorList(), list::RequestOf(*req)));
        NRP_ASSIGN_OR_RETURN(auto page, db::Transact(rt_.db(), [&](pqxx::work& tx) {
                               return store::ListIndicators(tx, query);
                             }));
        v1::ListIndicatorsResponse out;
        for (const auto& i : page.items) *out.add_indicators() = ToProto(i);
        out.set_next_page_token(page.next_page_token);
        return out;
      });
}

grpc::Status PlanningApi::ReportIndicatorValue(grpc::ServerContext* ctx,
                                               const v1::ReportIndicatorValueRequest* req,
                                               v1::IndicatorValue* resp) {
  return service::Serve<v1::IndicatorValue>(
      rt_, ctx, kWriteScope, kErrorDomain, resp,
      [&](const rpc::Caller& caller) -> Result<v1::IndicatorValue> {
        const auto& in = req->value();
        NRP_RETURN_IF_ERROR(CheckId(in.indicator_id(), "value.indicator_id"));
        if (!std::isfinite(in.value()))
          return Error::InvalidArgument("value.value", "must be a finite number");
        if (!in.has_as_of()) return Error::InvalidArgument("value.as_of", "must be set");
        NRP_ASSIGN_OR_RETURN(auto as_of, DateFromProto(in.as_of(), "value.as_of"));
        const bool has_source = (in.has_source() && (!in.source().document_id().empty() ||
                                                     !in.source().title().empty())) ||
                                !in.source_note().empty();
        if (!has_source) {
          return Error::InvalidArgument(
              "value.source_note", "a reported value needs its source (source or source_note)");
        }
        if (in.source_note().size() > 2000 || in.text_value().size() > 2000) {
          return Error::InvalidArgument("value.source_note",
                                        "source_note and text_value are limited to 2000 bytes");
        }
        if (as_of > progress_.Today()) {
          return Error::InvalidArgument("value.as_of", "lies in the future");
        }
        return service::Mutate<v1::IndicatorValue>(
            rt_, caller, {kServiceName, "ReportIndicatorValue"}, req->request_id(), *req,
            [&](pqxx::work& tx, service::AuditSubject& audit) -> Result<v1::IndicatorValue> {
              NRP_ASSIGN_OR_RETURN(auto ind,
                                   LoadIndicator(tx, in.indicator_id(), /*for_update=*/true));
              NRP_RETURN_IF_ERROR(rpc::Authorize(caller, kWriteScope, ind.region_code));
              const bool rate = IsAnnualRate(ind.measure.kind);
              if (in.has_stock_area() && !rate) {
                return Error::InvalidArgument(
                    "value.stock_area",
                    "is only for indicators computed as a yearly rate of stock land");
              }
              if (rate && !in.has_stock_area()) {
                return Error::FailedPrecondition(
                    "INDICATOR_COMPUTED", ind.indicator_id,
                    "indicator " + ind.indicator_id + " (" + ind.name +
                        ") is computed by planning as a yearly rate; "
                        "report the stock of land at the start of the year in value.stock_area");
              }
              if (ind.measure.kind != MeasureKind::kReported && !rate) {
                return Error::FailedPrecondition("INDICATOR_COMPUTED", ind.indicator_id,
                                                 "indicator " + ind.indicator_id + " (" + ind.name +
                                                     ") is computed by planning from " +
                                                     std::string(Name(ind.measure.kind)) +
                                                     "; it takes no reported values");
              }
              if (rate && (!std::isfinite(in.stock_area().square_metres()) ||
                           in.stock_area().square_metres() <= 0)) {
                return Error::InvalidArgument("value.stock_area",
                                              "must be a positive area in square metres");
              }
              if (rate && in.value() != 0) {
                return Error::InvalidArgument(
                    "value.value", "a stock report carries no value; the rate is computed");
              }
              if (ind.plan_state != store::PlanState::kInForce) {
                return Error::FailedPrecondition("PLAN_NOT_IN_FORCE", ind.plan_id,
                                                 "plan " + ind.plan_id +
                                                     " is not in force; values are reported for "
                                                     "plans in force");
              }
              if (as_of.year() <= ind.plan_base_year - 1) {
                return Error::InvalidArgument(
                    "value.as_of",
                    "lies before the plan's base year " + std::to_string(ind.plan_base_year));
              }
              if (!rate && !ind.target.numeric() && in.text_value().empty()) {
                return Error::InvalidArgument(
                    "value.text_value",
                    "the indicator has a text target; say in words what was reached");
              }
              store::ValueRow v;
              v.value_id = NewUuidV7();
              v.indicator_id = ind.indicator_id;
              v.value = in.value();
              v.text_value = in.text_value();
              v.as_of = as_of;
              v.origin = v1::VALUE_ORIGIN_REPORTED;
              if (in.has_source()) in.source().SerializeToString(&v.source);
              v.source_note = in.source_note();
              v.reported_by = caller.agency;
              v.recorded_at = rt_.clock().Now();
              if (rate) v.stock_area_m2 = in.stock_area().square_metres();
              NRP_RETURN_IF_ERROR(store::InsertValue(tx, v));
              NRP_RETURN_IF_ERROR(progress_.Recompute(tx, ind.indicator_id));
              audit = {ind.region_code, ind.indicator_id};
              return ToProto(v);
            });
      });
}

grpc::Status PlanningApi::ListIndicatorValues(grpc::ServerContext* ctx,
                                              const v1::ListIndicatorValuesRequest* req,
                                              v1::ListIndicatorValuesResponse* resp) {
  return service::Serve<v1::ListIndicatorValuesResponse>(
      rt_, ctx, kReadScope, kErrorDomain, resp,
      [&](const rpc::Caller&) -> Result<v1::ListIndicatorValuesResponse> {
        NRP_ASSIGN_OR_RETURN(auto query, list::Parse(store::ValueList(), list::RequestOf(*req)));
        NRP_ASSIGN_OR_RETURN(auto page, db::Transact(rt_.db(), [&](pqxx::work& tx) {
                               return store::ListValues(tx, query);
                             }));
        v1::ListIndicatorValuesResponse out;
        for (const auto& v : page.items) *out.add_values() = ToProto(v);
        out.set_next_page_token(page.next_page_token);
        return out;
      });
}

grpc::Status PlanningApi::GetIndicatorProgress(grpc::ServerContext* ctx,
                                               const v1::GetIndicatorProgressRequest* req,
                                               v1::IndicatorProgress* resp) {
  return service::Serve<v1::IndicatorProgress>(
      rt_, ctx, kReadScope, kErrorDomain, resp,
      [&](const rpc::Caller&) -> Result<v1::IndicatorProgress> {
        NRP_RETURN_IF_ERROR(CheckId(req->indicator_id(), "indicator_id"));
        return db::Transact(rt_.db(), [&](pqxx::work& tx) -> Result<v1::IndicatorProgress> {
          NRP_ASSIGN_OR_RETURN(auto ind, LoadIndicator(tx, req->indicator_id()));
          NRP_ASSIGN_OR_RETURN(app::Progress p, progress_.Evaluate(tx, ind));
          NRP_ASSIGN_OR_RETURN(auto series, store::ValueSeries(tx, ind.indicator_id));
          v1::IndicatorProgress out;
          out.set_indicator_id(ind.indicator_id);
          out.set_plan_id(ind.plan_id);
          if (ind.base_value) out.set_base_value(*ind.base_value);
          ToProto(ind.target, ind.target_as_written, ind.target_year, out.mutable_target());
          if (p.value) {
            out.set_current_value(*p.value);
            ToProto(*p.as_of, out.mutable_as_of());
            if (auto ratio = ProgressRatio(ind.target, p.base, *p.value))
              out.set_progress_ratio(*ratio);
            if (auto projected = ProjectedValue(p.base, *p.value, p.elapsed))
              out.set_projected_value(*projected);
          }
          out.set_elapsed_ratio(p.elapsed);
          out.set_status(StatusToProto(p.result.status, p.value.has_value()));
          for (const auto& v : series) {
            if (v.stock_area_m2) continue;
            auto* pt = out.add_points();
            ToProto(v.as_of, pt->mutable_as_of());
            pt->set_value(v.value);
            pt->set_origin(static_cast<v1::ValueOrigin>(v.origin));
          }
          return out;
        });
      });
}

}  // namespace nrp::planning::api
