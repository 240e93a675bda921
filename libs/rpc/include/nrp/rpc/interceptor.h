// Per-call chassis: authentication, trace id, one log line and metrics for
// every call, installed on the server as one interceptor.
//
// gRPC 1.51 server interceptors cannot end a call themselves. So:
//   1. the interceptor authenticates when the client metadata arrives and
//      records the outcome (a Caller or the UNAUTHENTICATED error) for the call;
//   2. handlers start with RequireCaller(context, scope, region), which returns
//      that recorded UNAUTHENTICATED error, or the PERMISSION_DENIED of
//      Authorize(), or the Caller — "authorize → validate → domain → store";
//   3. as a backstop, if a handler of a protected method never asked and the
//      caller was not authenticated, the interceptor replaces the OK status
//      with the UNAUTHENTICATED one before it is sent and, for unary calls,
//      replaces the response with an empty message; it logs an error naming
//      the method either way. (Messages a streaming handler already sent
//      cannot be recalled: streaming handlers must call RequireCaller first.)
// Methods under a public prefix (health, reflection) need no token.
//
// Trace id: the trace-id of a W3C `traceparent` request header, else a new
// random one; sent back in the response header `trace-id` and logged.
// Metrics: nrp_grpc_requests_total{method,code} and
// nrp_grpc_request_duration_seconds{method}; methods of unregistered services
// are counted as "unknown" so clients cannot grow the label set.
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "nrp/core/log.h"
#include "nrp/core/status.h"
#include "nrp/core/trace.h"
#include "nrp/metrics/metrics.h"
#include "nrp/rpc/auth.h"

namespace nrp::rpc {

// The caller, authorized for `scope` in `region_code` (either may be empty to
// skip that check).
Result<Caller> RequireCaller(const grpc::ServerContextBase* context, std::string_view scope,
                             std::string_view region_code = {});

// The call's trace id ("" outside a call handled by the chassis interceptor).
std::string TraceIdOf(const grpc::ServerContextBase* context);

// Adds trace_id and agency to every log line this thread writes in a handler, and puts the
// call's traceparent in force (trace::Current) so that the events the call publishes carry it.
class CallLogScope {
 public:
  explicit CallLogScope(const grpc::ServerContextBase* context);

 private:
  log::ScopedContext scope_;
  trace::Scope trace_;
};

// The call's W3C traceparent: the caller's trace with a span of this call, or a trace of its
// own with the call's trace id ("" outside a call handled by the chassis interceptor).
std::string TraceparentOf(const grpc::ServerContextBase* context);

// Parses a W3C traceparent; "" when invalid (nrp/core/trace.h).
inline std::string TraceIdFromTraceparent(std::string_view traceparent) {
  return trace::TraceIdOf(traceparent);
}

struct InterceptorConfig {
  std::shared_ptr<const Authenticator> authenticator;  // null: every protected call is refused
  std::vector<std::string> public_method_prefixes;     // e.g. "/grpc.health.v1.Health/"
  std::set<std::string> known_services;                // full names, for metric labels
  metrics::Registry* registry = &metrics::Registry::Default();
};

class ChassisInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit ChassisInterceptorFactory(std::shared_ptr<const InterceptorConfig> config);
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  std::shared_ptr<const InterceptorConfig> config_;
  metrics::Family<metrics::Counter>* requests_;
  metrics::Family<metrics::Histogram>* duration_;
};

}  // namespace nrp::rpc
