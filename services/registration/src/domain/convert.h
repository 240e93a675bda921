// Conversions between the contract's time and date messages and the core types.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <string>

#include "nrp/common/v1/date.pb.h"
#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"

namespace nrp::registration {

google::protobuf::Timestamp ToTimestamp(TimePoint t);
TimePoint FromTimestamp(const google::protobuf::Timestamp& ts);
common::v1::Date ToProtoDate(Date d);
// INVALID_ARGUMENT naming `field` for an impossible date.
Result<Date> FromProtoDate(const common::v1::Date& d, const std::string& field);
bool IsSet(const common::v1::Date& d);

}  // namespace nrp::registration
