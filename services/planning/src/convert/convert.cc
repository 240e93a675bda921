#include "convert/convert.h"

#include <cmath>

namespace nrp::planning {

void ToProto(TimePoint t, google::protobuf::Timestamp* out) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  int64_t secs = ns / 1000000000;
  int64_t rem = ns % 1000000000;
  if (rem < 0) {
    rem += 1000000000;
    --secs;
  }
  out->set_seconds(secs);
  out->set_nanos(static_cast<int32_t>(rem));
}

TimePoint FromProto(const google::protobuf::Timestamp& t) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::seconds(t.seconds()) + std::chrono::nanoseconds(t.nanos())));
}

void ToProto(const Date& d, common::Date* out) {
  out->set_year(d.year());
  out->set_month(static_cast<int32_t>(d.month()));
  out->set_day(static_cast<int32_t>(d.day()));
}

Result<Date> DateFromProto(const common::Date& d, std::string_view field) {
  if (d.year() < 1900 || d.year() > 2200 || d.month() < 1 || d.month() > 12 || d.day() < 1 ||
      d.day() > 31) {
    return Error::InvalidArgument(std::string(field), "is not a valid date");
  }
  Date out(d.year(), static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  if (!out.ok()) return Error::InvalidArgument(std::string(field), "is not a valid date");
  return out;
}

v1::ZoneLayer ToProto(const store::LayerRow& l) {
  v1::ZoneLayer out;
  out.set_layer_id(l.layer_id);
  out.set_kind(static_cast<common::ZoneLayerKind>(static_cast<int>(l.kind)));
  out.set_region_code(l.region_code);
  out.set_name(l.name);
  out.set_description(l.description);
  out.set_current_version(l.current_version);
  ToProto(l.create_time, out.mutable_create_time());
  ToProto(l.update_time, out.mutable_update_time());
  return out;
}

v1::LayerVersion ToProto(const store::VersionRow& v) {
  v1::LayerVersion out;
  out.set_layer_id(v.layer_id);
  out.set_version(v.version);
  out.set_state(static_cast<v1::LayerVersionState>(static_cast<int>(v.state)));
  out.set_zone_count(v.zone_count);
  out.mutable_total_area()->set_square_metres(v.total_area_m2);
  out.set_checksum(v.checksum);
  if (!v.approval.empty()) out.mutable_approval()->ParseFromString(v.approval);
  if (v.effective_from) ToProto(*v.effective_from, out.mutable_effective_from());
  out.set_note(v.note);
  if (v.published_at) ToProto(*v.published_at, out.mutable_published_at());
  ToProto(v.create_time, out.mutable_create_time());
  return out;
}

v1::Zone ToProto(const store::ZoneRow& z) {
  v1::Zone out;
  out.set_zone_id(z.zone_id);
  out.set_layer_id(z.layer_id);
  out.set_layer_kind(static_cast<common::ZoneLayerKind>(static_cast<int>(z.kind)));
  out.set_layer_version(z.version);
  out.set_name(z.name);
  out.set_control_level(static_cast<common::ZoneControlLevel>(static_cast<int>(z.level)));
  out.mutable_geometry()->set_encoding(common::GEOMETRY_ENCODING_WKT);
  out.mutable_geometry()->set_text(z.wkt);
  out.mutable_geometry()->set_srid(4490);
  out.mutable_area()->set_square_metres(z.area_m2);
  for (const auto& [k, v] : z.attributes) (*out.mutable_attributes())[k] = v;
  out.set_region_code(z.region_code);
  out.set_zone_digest(z.digest);
  return out;
}

void ToProto(const Target& t, const std::string& as_written, int target_year, v1::Target* out) {
  switch (t.kind()) {
    case TargetKind::kAtLeast:
    case TargetKind::kGreaterThan:
      out->set_comparator(v1::TARGET_COMPARATOR_AT_LEAST);
      out->set_value(t.value());
      out->set_strict(t.kind() == TargetKind::kGreaterThan);
      break;
    case TargetKind::kAtMost:
    case TargetKind::kLessThan:
      out->set_comparator(v1::TARGET_COMPARATOR_AT_MOST);
      out->set_value(t.value());
      out->set_strict(t.kind() == TargetKind::kLessThan);
      break;
    case TargetKind::kEqual:
      out->set_comparator(v1::TARGET_COMPARATOR_EQUAL);
      out->set_value(t.value());
      break;
    case TargetKind::kRange:
      out->set_comparator(v1::TARGET_COMPARATOR_RANGE);
      out->set_lower(t.low());
      out->set_upper(t.high());
      break;
    case TargetKind::kText:
      out->set_comparator(v1::TARGET_COMPARATOR_TEXT);
      break;
  }
  out->set_text(as_written.empty() ? (t.numeric() ? t.ToString() : t.text()) : as_written);
  out->set_target_year(target_year);
}

Result<Target> TargetFromProto(const v1::Target& t, std::string_view field) {
  const std::string f(field);
  switch (t.comparator()) {
    case v1::TARGET_COMPARATOR_AT_LEAST:
      return Target::Compare(t.strict() ? TargetKind::kGreaterThan : TargetKind::kAtLeast,
                             t.value(), f + ".value");
    case v1::TARGET_COMPARATOR_AT_MOST:
      return Target::Compare(t.strict() ? TargetKind::kLessThan : TargetKind::kAtMost, t.value(),
                             f + ".value");
    case v1::TARGET_COMPARATOR_EQUAL:
      if (t.strict())
        return Error::InvalidArgument(f + ".strict", "applies only to AT_LEAST and AT_MOST");
      return Target::Compare(TargetKind::kEqual, t.value(), f + ".value");
    case v1::TARGET_COMPARATOR_RANGE:
      if (t.strict())
        return Error::InvalidArgument(f + ".strict", "applies only to AT_LEAST and AT_MOST");
      return Target::Range(t.lower(), t.upper(), f);
    case v1::TARGET_COMPARATOR_TEXT:
      if (t.text().empty())
        return Error::InvalidArgument(f + ".text", "a text target needs its text");
      return Target::Text(t.text(), f + ".text");
    case v1::TARGET_COMPARATOR_UNSPECIFIED:
      return Error::InvalidArgument(f + ".comparator", "must be set");
    default:
      return Error::InvalidArgument(f + ".comparator",
                                    "unknown comparator " + std::to_string(t.comparator()));
  }
}

v1::ProgressStatus StatusToProto(ProgressStatus status, bool has_value) {
  if (!has_value) return v1::PROGRESS_STATUS_NO_DATA;
  switch (status) {
    case ProgressStatus::kNotAssessed:
      return v1::PROGRESS_STATUS_NOT_MEASURABLE;
    case ProgressStatus::kOnTrack:
      return v1::PROGRESS_STATUS_ON_TRACK;
    case ProgressStatus::kAtRisk:
      return v1::PROGRESS_STATUS_AT_RISK;
    case ProgressStatus::kBreached:
      return v1::PROGRESS_STATUS_BREACHED;
    case ProgressStatus::kAchieved:
      return v1::PROGRESS_STATUS_ACHIEVED;
  }
  return v1::PROGRESS_STATUS_UNSPECIFIED;
}

ProgressStatus StatusFromNumber(int n) {
  switch (n) {
    case v1::PROGRESS_STATUS_ON_TRACK:
      return ProgressStatus::kOnTrack;
    case v1::PROGRESS_STATUS_AT_RISK:
      return ProgressStatus::kAtRisk;
    case v1::PROGRESS_STATUS_BREACHED:
      return ProgressStatus::kBreached;
    case v1::PROGRESS_STATUS_ACHIEVED:
      return ProgressStatus::kAchieved;
    default:
      return ProgressStatus::kNotAssessed;
  }
}

v1::ComputedMetric MetricOf(const Measure& m) {
  switch (m.kind) {
    case MeasureKind::kSolidMineCount:
      return v1::COMPUTED_METRIC_SOLID_MINERAL_MINE_COUNT;
    case MeasureKind::kLargeMediumMineShare:
      return v1::COMPUTED_METRIC_LARGE_MEDIUM_MINE_SHARE;
    case MeasureKind::kGreenMineShare:
      return v1::COMPUTED_METRIC_GREEN_MINE_SHARE;
    case MeasureKind::kHistoricalMineRestored:
      return v1::COMPUTED_METRIC_HISTORICAL_MINE_AREA_RESTORED;
    case MeasureKind::kMineEnvironmentRestored:
      return v1::COMPUTED_METRIC_MINE_AREA_RESTORED;
    case MeasureKind::kStockLandRevitalisedRate:
      return v1::COMPUTED_METRIC_STOCK_LAND_REVITALISATION_RATE;
    case MeasureKind::kStockLandRevitalised:
      return v1::COMPUTED_METRIC_STOCK_LAND_REVITALISED_AREA;
    case MeasureKind::kUnsuppliedIdleLandDisposedRate:
      return v1::COMPUTED_METRIC_STOCK_LAND_DISPOSAL_RATE;
    case MeasureKind::kUnsuppliedIdleLandDisposedArea:
      return v1::COMPUTED_METRIC_STOCK_LAND_DISPOSED_AREA;
    case MeasureKind::kNewCultivatedLand:
      return v1::COMPUTED_METRIC_NEW_CULTIVATED_LAND_AREA;
    case MeasureKind::kNewConstructionLand:
      return v1::COMPUTED_METRIC_NEW_CONSTRUCTION_LAND_AREA;
    case MeasureKind::kLayerArea:
      if (m.layer_kind == LayerKind::kPermanentBasicFarmland) {
        return v1::COMPUTED_METRIC_PERMANENT_BASIC_FARMLAND_AREA;
      }
      if (m.layer_kind == LayerKind::kEcologicalRedLine)
        return v1::COMPUTED_METRIC_ECOLOGICAL_RED_LINE_AREA;
      if (m.layer_kind == LayerKind::kCultivatedLand)
        return v1::COMPUTED_METRIC_CULTIVATED_LAND_AREA;
      return v1::COMPUTED_METRIC_UNSPECIFIED;
    default:
      return v1::COMPUTED_METRIC_UNSPECIFIED;
  }
}

Measure MeasureOf(v1::ComputedMetric metric) {
  Measure m;
  switch (metric) {
    case v1::COMPUTED_METRIC_SOLID_MINERAL_MINE_COUNT:
      m.kind = MeasureKind::kSolidMineCount;
      break;
    case v1::COMPUTED_METRIC_LARGE_MEDIUM_MINE_SHARE:
      m.kind = MeasureKind::kLargeMediumMineShare;
      break;
    case v1::COMPUTED_METRIC_GREEN_MINE_SHARE:
      m.kind = MeasureKind::kGreenMineShare;
      break;
    case v1::COMPUTED_METRIC_HISTORICAL_MINE_AREA_RESTORED:
      m.kind = MeasureKind::kHistoricalMineRestored;
      break;
    case v1::COMPUTED_METRIC_MINE_AREA_RESTORED:
      m.kind = MeasureKind::kMineEnvironmentRestored;
      break;
    case v1::COMPUTED_METRIC_STOCK_LAND_REVITALISATION_RATE:
      m.kind = MeasureKind::kStockLandRevitalisedRate;
      break;
    case v1::COMPUTED_METRIC_STOCK_LAND_DISPOSED_AREA:
      m.kind = MeasureKind::kUnsuppliedIdleLandDisposedArea;
      break;
    case v1::COMPUTED_METRIC_NEW_CULTIVATED_LAND_AREA:
      m.kind = MeasureKind::kNewCultivatedLand;
      break;
    case v1::COMPUTED_METRIC_NEW_CONSTRUCTION_LAND_AREA:
      m.kind = MeasureKind::kNewConstructionLand;
      break;
    case v1::COMPUTED_METRIC_PERMANENT_BASIC_FARMLAND_AREA:
      m.kind = MeasureKind::kLayerArea;
      m.layer_kind = LayerKind::kPermanentBasicFarmland;
      break;
    case v1::COMPUTED_METRIC_ECOLOGICAL_RED_LINE_AREA:
      m.kind = MeasureKind::kLayerArea;
      m.layer_kind = LayerKind::kEcologicalRedLine;
      break;
    case v1::COMPUTED_METRIC_CULTIVATED_LAND_AREA:
      m.kind = MeasureKind::kLayerArea;
      m.layer_kind = LayerKind::kCultivatedLand;
      break;
    case v1::COMPUTED_METRIC_STOCK_LAND_REVITALISED_AREA:
      m.kind = MeasureKind::kStockLandRevitalised;
      break;
    case v1::COMPUTED_METRIC_STOCK_LAND_DISPOSAL_RATE:
      m.kind = MeasureKind::kUnsuppliedIdleLandDisposedRate;
      break;
    default:
      m.kind = MeasureKind::kReported;
      break;
  }
  return m;
}

Result<Attribute> NatureFromProto(int nature, std::string_view field) {
  switch (nature) {
    case v1::INDICATOR_NATURE_BINDING:
      return Attribute::kBinding;
    case v1::INDICATOR_NATURE_EXPECTED:
      return Attribute::kExpected;
    case v1::INDICATOR_NATURE_NOT_STATED:
      return Attribute::kUnstated;
    case v1::INDICATOR_NATURE_UNSPECIFIED:
      return Error::InvalidArgument(std::string(field), "must be set");
    default:
      return Error::InvalidArgument(std::string(field), "unknown nature " + std::to_string(nature));
  }
}

v1::IndicatorNature NatureToProto(Attribute a) {
  switch (a) {
    case Attribute::kBinding:
      return v1::INDICATOR_NATURE_BINDING;
    case Attribute::kExpected:
      return v1::INDICATOR_NATURE_EXPECTED;
    case Attribute::kUnstated:
      return v1::INDICATOR_NATURE_NOT_STATED;
  }
  return v1::INDICATOR_NATURE_UNSPECIFIED;
}

v1::Plan ToProto(const store::PlanRow& p) {
  v1::Plan out;
  out.set_plan_id(p.plan_id);
  out.set_name(p.name);
  out.set_region_code(p.region_code);
  out.set_period_start_year(p.period_start_year);
  out.set_period_end_year(p.period_end_year);
  out.set_base_year(p.base_year);
  if (!p.document.empty()) out.mutable_document()->ParseFromString(p.document);
  out.set_state(static_cast<v1::PlanState>(static_cast<int>(p.state)));
  ToProto(p.create_time, out.mutable_create_time());
  ToProto(p.update_time, out.mutable_update_time());
  return out;
}

v1::Indicator ToProto(const store::IndicatorRow& i) {
  v1::Indicator out;
  out.set_indicator_id(i.indicator_id);
  out.set_plan_id(i.plan_id);
  out.set_region_code(i.region_code);
  out.set_code(i.code);
  out.set_name(i.name);
  out.set_category(i.category);
  out.set_unit(i.unit);
  if (i.base_value) out.set_base_value(*i.base_value);
  ToProto(i.target, i.target_as_written, i.target_year, out.mutable_target());
  out.set_nature(NatureToProto(i.nature));
  out.set_metric(MetricOf(i.measure));
  out.set_source_note(i.source_note);
  out.set_position(i.position);
  if (i.latest_value) out.set_latest_value(*i.latest_value);
  if (i.latest_as_of) ToProto(*i.latest_as_of, out.mutable_latest_as_of());
  out.set_status(static_cast<v1::ProgressStatus>(i.status));
  ToProto(i.create_time, out.mutable_create_time());
  ToProto(i.update_time, out.mutable_update_time());
  return out;
}

v1::IndicatorValue ToProto(const store::ValueRow& v) {
  v1::IndicatorValue out;
  out.set_value_id(v.value_id);
  out.set_indicator_id(v.indicator_id);
  out.set_value(v.value);
  out.set_text_value(v.text_value);
  ToProto(v.as_of, out.mutable_as_of());
  out.set_origin(static_cast<v1::ValueOrigin>(v.origin));
  if (!v.source.empty()) out.mutable_source()->ParseFromString(v.source);
  out.set_source_note(v.source_note);
  out.set_reported_by(v.reported_by);
  ToProto(v.recorded_at, out.mutable_recorded_at());
  if (v.stock_area_m2) out.mutable_stock_area()->set_square_metres(*v.stock_area_m2);
  return out;
}

}  // namespace nrp::planning
