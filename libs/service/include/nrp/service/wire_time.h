// Instants and legal dates as the contract carries them (google.protobuf.Timestamp,
// nrp.common.v1.Date), converted to and from libs/core's TimePoint and Date. Header-only,
// usable from domain code (nrp_calendar_proto).
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <optional>
#include <string>

#include "nrp/common/v1/date.pb.h"
#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"

namespace nrp::service {

// Microseconds since the Unix epoch, exactly (how stores write instants).
inline int64_t EpochMicros(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}
inline TimePoint FromEpochMicros(int64_t us) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(us)));
}

inline google::protobuf::Timestamp ToTimestamp(TimePoint t) {
  const int64_t us = EpochMicros(t);
  const int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
  google::protobuf::Timestamp ts;
  ts.set_seconds(secs);
  ts.set_nanos(static_cast<int32_t>((us - secs * 1000000) * 1000));
  return ts;
}
inline TimePoint FromTimestamp(const google::protobuf::Timestamp& t) {
  return FromEpochMicros(t.seconds() * 1000000 + t.nanos() / 1000);
}

inline common::v1::Date ToProtoDate(const Date& d) {
  common::v1::Date out;
  out.set_year(d.year());
  out.set_month(static_cast<int32_t>(d.month()));
  out.set_day(static_cast<int32_t>(d.day()));
  return out;
}
// The date, or INVALID_ARGUMENT naming `field` when it is unset or not a calendar date.
inline Result<Date> DateOf(const common::v1::Date& d, const std::string& field) {
  if (d.year() == 0 && d.month() == 0 && d.day() == 0) {
    return Error::InvalidArgument(field, "is required");
  }
  if (d.year() < 1900 || d.year() > 9999 || d.month() < 1 || d.month() > 12 || d.day() < 1 ||
      d.day() > 31) {
    return Error::InvalidArgument(field, "must be a calendar date, got " +
                                             std::to_string(d.year()) + "-" +
                                             std::to_string(d.month()) + "-" +
                                             std::to_string(d.day()));
  }
  Date out(d.year(), static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  if (!out.ok()) {
    return Error::InvalidArgument(field, "must be a calendar date, got " + out.ToString());
  }
  return out;
}

}  // namespace nrp::service
