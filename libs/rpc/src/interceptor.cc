#include "nrp/rpc/interceptor.h"

#include <array>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <random>
#include <unordered_map>

#include "nrp/rpc/errors.h"

namespace nrp::rpc {
namespace {

using SteadyClock = std::chrono::steady_clock;

// What the interceptor learned about one call, shared with the handler.
struct CallState {
  std::string method;
  std::string trace_id;
  std::string traceparent;  // of this call: the caller's trace, a span of its own
  bool is_public = false;
  std::optional<Result<Caller>> auth;  // set once the client metadata arrived
  std::atomic<bool> consulted{false};  // RequireCaller was called
};

// Calls in progress, keyed by their server context. Sharded to keep the
// lock per call short and uncontended.
class CallRegistry {
 public:
  void Add(const grpc::ServerContextBase* ctx, std::shared_ptr<CallState> s) {
    Shard& sh = ShardOf(ctx);
    std::lock_guard lock(sh.mu);
    sh.calls[ctx] = std::move(s);
  }
  void Remove(const grpc::ServerContextBase* ctx) {
    Shard& sh = ShardOf(ctx);
    std::lock_guard lock(sh.mu);
    sh.calls.erase(ctx);
  }
  std::shared_ptr<CallState> Find(const grpc::ServerContextBase* ctx) {
    Shard& sh = ShardOf(ctx);
    std::lock_guard lock(sh.mu);
    auto it = sh.calls.find(ctx);
    return it == sh.calls.end() ? nullptr : it->second;
  }

 private:
  struct Shard {
    std::mutex mu;
    std::unordered_map<const grpc::ServerContextBase*, std::shared_ptr<CallState>> calls;
  };
  Shard& ShardOf(const grpc::ServerContextBase* ctx) {
    return shards_[(reinterpret_cast<uintptr_t>(ctx) >> 6) % shards_.size()];
  }
  std::array<Shard, 16> shards_;
};

CallRegistry& Calls() {
  static CallRegistry* r = new CallRegistry();
  return *r;
}

std::string_view Lookup(const std::multimap<grpc::string_ref, grpc::string_ref>& md,
                        std::string_view key) {
  auto it = md.find(grpc::string_ref(key.data(), key.size()));
  if (it == md.end()) return {};
  return std::string_view(it->second.data(), it->second.size());
}

// "/pkg.Service/Method" -> "pkg.Service".
std::string_view ServiceOf(std::string_view method) {
  if (!method.empty() && method.front() == '/') method.remove_prefix(1);
  return method.substr(0, method.find('/'));
}

class ChassisInterceptor final : public grpc::experimental::Interceptor {
 public:
  ChassisInterceptor(grpc::experimental::ServerRpcInfo* info,
                     std::shared_ptr<const InterceptorConfig> config,
                     metrics::Family<metrics::Counter>* requests,
                     metrics::Family<metrics::Histogram>* duration)
      : ctx_(info->server_context()),
        config_(std::move(config)),
        requests_(requests),
        duration_(duration),
        state_(std::make_shared<CallState>()),
        start_(SteadyClock::now()) {
    state_->method = info->method() != nullptr ? info->method() : "";
    for (const auto& p : config_->public_method_prefixes) {
      if (state_->method.starts_with(p)) state_->is_public = true;
    }
    std::string_view service = ServiceOf(state_->method);
    metric_method_ = config_->known_services.count(std::string(service)) > 0
                         ? state_->method.substr(1)
                         : "unknown";
    Calls().Add(ctx_, state_);
  }

  ~ChassisInterceptor() override {
    Calls().Remove(ctx_);
    if (!finished_) Finish(Code::kCancelled, "the call ended before a status was sent");
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      OnMetadata(*methods->GetRecvInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      auto* md = methods->GetSendInitialMetadata();
      if (md != nullptr && !state_->trace_id.empty()) md->emplace("trace-id", state_->trace_id);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      if (status.ok() && !state_->is_public && !state_->consulted.load()) {
        bool authenticated = state_->auth.has_value() && state_->auth->ok();
        log::Error("handler did not call RequireCaller", {{"method", state_->method}});
        if (!authenticated) {
          Error e = state_->auth.has_value()
                        ? state_->auth->error()
                        : Error::Unauthenticated("no credentials were checked");
          status = ToGrpcStatus(e);
          methods->ModifySendStatus(status);
          // A unary response travels in the same batch: send an empty message
          // instead, so nothing the handler produced reaches the caller.
          if (methods->QueryInterceptionHookPoint(
                  grpc::experimental::InterceptionHookPoints::PRE_SEND_MESSAGE)) {
            if (auto* buffer = methods->GetSerializedSendMessage()) buffer->Clear();
          }
        }
      }
      Finish(static_cast<Code>(status.error_code()), status.error_message());
    }
    methods->Proceed();
  }

 private:
  void OnMetadata(const std::multimap<grpc::string_ref, grpc::string_ref>& md) {
    state_->traceparent = trace::Continue(Lookup(md, "traceparent"));
    state_->trace_id = trace::TraceIdOf(state_->traceparent);
    std::string_view authorization = Lookup(md, "authorization");
    if (config_->authenticator) {
      // Public methods still identify a caller who sent a token (for the log),
      // but never fail for it.
      if (!state_->is_public || !authorization.empty()) {
        state_->auth = config_->authenticator->Authenticate(authorization);
      }
    } else if (!state_->is_public) {
      state_->auth =
          Result<Caller>(Error::Unauthenticated("this server has no authenticator configured"));
    }
  }

  void Finish(Code code, const std::string& message) {
    finished_ = true;
    double seconds = std::chrono::duration<double>(SteadyClock::now() - start_).count();
    requests_->WithLabels({metric_method_, CodeName(code)}).Inc();
    duration_->WithLabels({metric_method_}).Observe(seconds);
    std::string agency, token_id;
    if (state_->auth.has_value() && state_->auth->ok()) {
      agency = state_->auth->value().agency;
      token_id = state_->auth->value().token_id;
    }
    bool server_fault =
        code == Code::kInternal || code == Code::kUnknown || code == Code::kDataLoss;
    log::Write(server_fault ? log::Level::kError : log::Level::kInfo, "rpc",
               {{"method", state_->method},
                {"code", CodeName(code)},
                {"duration_us", static_cast<int64_t>(seconds * 1e6)},
                {"peer", ctx_->peer()},
                {"agency", agency},
                {"token_id", token_id},
                {"trace_id", state_->trace_id},
                {"error", code == Code::kOk ? std::string() : message}});
  }

  grpc::ServerContextBase* ctx_;
  std::shared_ptr<const InterceptorConfig> config_;
  metrics::Family<metrics::Counter>* requests_;
  metrics::Family<metrics::Histogram>* duration_;
  std::shared_ptr<CallState> state_;
  SteadyClock::time_point start_;
  std::string metric_method_;
  bool finished_ = false;
};

}  // namespace

Result<Caller> RequireCaller(const grpc::ServerContextBase* context, std::string_view scope,
                             std::string_view region_code) {
  auto state = Calls().Find(context);
  if (state == nullptr) {
    return Error::Unauthenticated(
        "no authentication ran for this call (chassis interceptor not installed)");
  }
  state->consulted.store(true);
  if (!state->auth.has_value()) {
    return Error::Unauthenticated("no credentials were checked for this call");
  }
  if (!state->auth->ok()) return state->auth->error();
  const Caller& caller = state->auth->value();
  NRP_RETURN_IF_ERROR(Authorize(caller, scope, region_code));
  return caller;
}

std::string TraceIdOf(const grpc::ServerContextBase* context) {
  auto state = Calls().Find(context);
  return state == nullptr ? std::string() : state->trace_id;
}

std::string TraceparentOf(const grpc::ServerContextBase* context) {
  auto state = Calls().Find(context);
  return state == nullptr ? std::string() : state->traceparent;
}

namespace {
std::string AgencyOf(const grpc::ServerContextBase* context) {
  auto state = Calls().Find(context);
  if (state == nullptr || !state->auth.has_value() || !state->auth->ok()) return "";
  return state->auth->value().agency;
}
}  // namespace

CallLogScope::CallLogScope(const grpc::ServerContextBase* context)
    : scope_{log::Field("trace_id", TraceIdOf(context)), log::Field("agency", AgencyOf(context))},
      trace_(TraceparentOf(context)) {}

ChassisInterceptorFactory::ChassisInterceptorFactory(
    std::shared_ptr<const InterceptorConfig> config)
    : config_(std::move(config)) {
  requests_ = &config_->registry->AddCounter("nrp_grpc_requests_total",
                                             "gRPC calls handled, by method and status code.",
                                             {"method", "code"});
  duration_ = &config_->registry->AddHistogram("nrp_grpc_request_duration_seconds",
                                               "Time from receiving a call to sending its status.",
                                               {"method"});
}

grpc::experimental::Interceptor* ChassisInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new ChassisInterceptor(info, config_, requests_, duration_);
}

}  // namespace nrp::rpc
