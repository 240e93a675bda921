// W3C trace context (https://www.w3.org/TR/trace-context/) of the work a thread is doing: the
// gRPC call it serves, the event it consumes or the scheduled job it runs. Whatever publishes
// an event on that thread stamps the event with it (service::Publish), so a subscriber can
// follow a fact back to the call that caused it, through every service in between.
//
//   trace::Scope scope(trace::Continue(incoming_traceparent));   // for as long as the work runs
//   ... trace::Current() ...
#pragma once

#include <string>
#include <string_view>

namespace nrp::trace {

// The trace id of a valid traceparent ("00-<32 hex>-<16 hex>-<2 hex>", lower-case, ids not
// all zero, version not ff; later versions may append fields); "" when it is not one.
std::string TraceIdOf(std::string_view traceparent);
bool IsValidTraceparent(std::string_view traceparent);

// 32 / 16 lower-case hex digits, random, never all zero.
std::string NewTraceId();
std::string NewSpanId();

// The traceparent of work caused by `parent`: its trace id and flags with a new span id. When
// `parent` is not valid: `trace_id` (when 32 hex digits) or a new trace, sampled.
std::string Continue(std::string_view parent, std::string_view trace_id = {});

// The traceparent in force on this thread; "" outside any Scope.
const std::string& Current();

// Puts a traceparent in force on this thread until destroyed (the previous one is restored).
class Scope {
 public:
  explicit Scope(std::string traceparent);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  std::string previous_;
};

}  // namespace nrp::trace
