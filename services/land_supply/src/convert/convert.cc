#include "convert/convert.h"

namespace nrp::land_supply {

google::protobuf::Timestamp ToTimestamp(TimePoint t) {
  int64_t us = EpochMicros(t);
  int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
  google::protobuf::Timestamp ts;
  ts.set_seconds(secs);
  ts.set_nanos(static_cast<int32_t>((us - secs * 1000000) * 1000));
  return ts;
}

TimePoint FromTimestamp(const google::protobuf::Timestamp& t) {
  return FromEpochMicros(t.seconds() * 1000000 + t.nanos() / 1000);
}

int64_t EpochMicros(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

TimePoint FromEpochMicros(int64_t us) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(us)));
}

nrp::common::v1::Date ToProtoDate(const Date& d) {
  nrp::common::v1::Date out;
  out.set_year(d.year());
  out.set_month(static_cast<int32_t>(d.month()));
  out.set_day(static_cast<int32_t>(d.day()));
  return out;
}

std::optional<Date> FromProtoDate(const nrp::common::v1::Date& d) {
  if (d.year() == 0 && d.month() == 0 && d.day() == 0) return std::nullopt;
  if (d.month() < 0 || d.day() < 0) return Date(d.year(), 13, 1);  // invalid
  return Date(d.year(), static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

std::optional<Date> OptionalDate(bool has, const nrp::common::v1::Date& d) {
  if (!has) return std::nullopt;
  return FromProtoDate(d);
}

nrp::common::v1::Money Fen(int64_t fen) {
  nrp::common::v1::Money m;
  m.set_fen(fen);
  return m;
}

}  // namespace nrp::land_supply
