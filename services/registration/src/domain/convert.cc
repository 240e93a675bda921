#include "domain/convert.h"

namespace nrp::registration {

google::protobuf::Timestamp ToTimestamp(TimePoint t) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  google::protobuf::Timestamp ts;
  int64_t secs = ns / 1000000000;
  int64_t rem = ns % 1000000000;
  if (rem < 0) {
    rem += 1000000000;
    --secs;
  }
  ts.set_seconds(secs);
  ts.set_nanos(static_cast<int32_t>(rem));
  return ts;
}

TimePoint FromTimestamp(const google::protobuf::Timestamp& ts) {
  auto d = std::chrono::seconds(ts.seconds()) + std::chrono::nanoseconds(ts.nanos());
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(d));
}

common::v1::Date ToProtoDate(Date d) {
  common::v1::Date out;
  out.set_year(d.year());
  out.set_month(static_cast<int32_t>(d.month()));
  out.set_day(static_cast<int32_t>(d.day()));
  return out;
}

bool IsSet(const common::v1::Date& d) { return d.year() != 0 || d.month() != 0 || d.day() != 0; }

Result<Date> FromProtoDate(const common::v1::Date& d, const std::string& field) {
  if (d.year() < 1900 || d.year() > 9999 || d.month() < 1 || d.month() > 12 || d.day() < 1 ||
      d.day() > 31) {
    return Error::InvalidArgument(field, "is not a valid date (" + std::to_string(d.year()) + "-" +
                                             std::to_string(d.month()) + "-" +
                                             std::to_string(d.day()) + ")");
  }
  Date out(d.year(), static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  if (!out.ok()) {
    return Error::InvalidArgument(field, "is not a valid date (" + std::to_string(d.year()) + "-" +
                                             std::to_string(d.month()) + "-" +
                                             std::to_string(d.day()) + ")");
  }
  return out;
}

}  // namespace nrp::registration
