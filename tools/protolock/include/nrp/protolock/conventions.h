// The convention check of the public contract (protolock conventions).
//
// Rules, each reported as one line "<file>: <element>: <problem>":
//  - files are proto3, in package nrp.<service>.v<N> (nrp.common.v<N> for shared types), stored
//    under nrp/<service>/v<N>/;
//  - messages, services and rpcs are UpperCamelCase; services end in "Service"; fields are
//    snake_case; enum values are UPPER_SNAKE_CASE, start with the enum's name in UPPER_SNAKE_CASE
//    and the first one is <ENUM_NAME>_UNSPECIFIED = 0;
//  - every message, field, enum, enum value, service, rpc and extension has a leading comment;
//  - a field named region_code is a singular string;
//  - the request of rpc X is named XRequest;
//  - read rpcs start with Get, List, Search, Check or Watch; every other rpc is a mutation and its
//    request has a singular `string request_id`;
//  - List* and Search* requests have `int32 page_size`, `string page_token`, `string filter` and
//    `string order_by`; their response is named XResponse and has `string next_page_token`;
//  - every top-level message of an events.proto has the (nrp.common.v1.event) option, with
//    ce_type "nrp.<service>.<message name in snake_case>.v<N>" unique in the contract, topic
//    "nrp.<service>.events.v<N>", a key naming a singular string field (dotted path allowed),
//    known consumers other than the producer; and the message has a string region_code (ce_source).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nrp/protolock/contract.h"

namespace nrp::protolock {

// How the conventions classify an rpc by its name.
enum class MethodKind {
  kRead,      // Get*, Check*, Watch*
  kList,      // List*, Search*: read with paging
  kMutation,  // everything else: needs request_id
};

MethodKind ClassifyMethod(std::string_view rpc_name);

// All convention violations of the contract, in file and declaration order; empty if none.
std::vector<std::string> CheckConventions(const Contract& contract);

}  // namespace nrp::protolock
