// Conversions between the contract's messages and the domain's and store's
// values. Requests are validated here field by field: every refusal is
// INVALID_ARGUMENT naming the request field.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>

#include "domain/indicator.h"
#include "domain/zone.h"
#include "nrp/common/v1/date.pb.h"
#include "nrp/common/v1/zone.pb.h"
#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/planning/v1/planning.pb.h"
#include "store/plan_store.h"
#include "store/zone_store.h"

namespace nrp::planning {

namespace common = ::nrp::common::v1;

void ToProto(TimePoint t, google::protobuf::Timestamp* out);
TimePoint FromProto(const google::protobuf::Timestamp& t);
void ToProto(const Date& d, common::Date* out);
// INVALID_ARGUMENT naming `field` for an impossible date.
Result<Date> DateFromProto(const common::Date& d, std::string_view field);

v1::ZoneLayer ToProto(const store::LayerRow& layer);
v1::LayerVersion ToProto(const store::VersionRow& version);
v1::Zone ToProto(const store::ZoneRow& zone);

// The contract's target: comparator, value or bounds, strict, the text as
// written and the target year.
void ToProto(const Target& target, const std::string& as_written, int target_year, v1::Target* out);
// The domain's target from a request's; INVALID_ARGUMENT naming `field`.
Result<Target> TargetFromProto(const v1::Target& target, std::string_view field);

// The status as the contract numbers it; `has_value` false gives NO_DATA.
v1::ProgressStatus StatusToProto(ProgressStatus status, bool has_value);
// The stored number back to the domain's status (NO_DATA and
// NOT_MEASURABLE are both "not assessed").
ProgressStatus StatusFromNumber(int number);

// The contract's computed metric of a domain measure; UNSPECIFIED for the
// measures the contract has no value for yet.
v1::ComputedMetric MetricOf(const Measure& measure);
// The domain's measure of a request's metric (UNSPECIFIED = reported).
Measure MeasureOf(v1::ComputedMetric metric);

v1::IndicatorNature NatureToProto(Attribute a);
Result<Attribute> NatureFromProto(int nature, std::string_view field);

v1::Plan ToProto(const store::PlanRow& plan);
v1::Indicator ToProto(const store::IndicatorRow& indicator);
v1::IndicatorValue ToProto(const store::ValueRow& value);

}  // namespace nrp::planning
