// Conversions between the contract's messages and the domain's value types.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>

#include "domain/types.h"
#include "nrp/common/v1/date.pb.h"
#include "nrp/common/v1/money.pb.h"
#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/service/wire_time.h"

namespace nrp::land_supply {

// Instants and dates as the contract carries them (nrp/service/wire_time.h, shared with the
// other services); the store writes instants as microseconds since the Unix epoch.
using service::EpochMicros;
using service::FromEpochMicros;
using service::FromTimestamp;
using service::ToProtoDate;
using service::ToTimestamp;
// nullopt for an unset date (all zero); an invalid date stays invalid so the
// domain reports it naming the field.
std::optional<Date> FromProtoDate(const nrp::common::v1::Date& d);
// The same for a message field that may be absent.
std::optional<Date> OptionalDate(bool has, const nrp::common::v1::Date& d);

nrp::common::v1::Money Fen(int64_t fen);

}  // namespace nrp::land_supply
