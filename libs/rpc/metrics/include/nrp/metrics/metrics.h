// Process-wide Prometheus metrics: counters, gauges and histograms with label
// sets, rendered in the text exposition format 0.0.4. No gRPC here: the events
// library publishes outbox backlog and consumer lag through the same registry.
//
// Hot path: register families once at start-up, resolve a labelled series
// once (`auto& c = family.WithLabels({"OK"});`) and update it with one atomic
// operation. WithLabels itself takes a shared lock and a map lookup, so it is
// also fine per call; new label values take an exclusive lock once.
//
// Registration is idempotent: the same name with the same type and label names
// returns the existing family. A different type or label set under a taken
// name, or an invalid name, is a programming error reported on stderr followed
// by abort() at start-up, where tests catch it.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace nrp::metrics {

class Counter {
 public:
  // `v` must be ≥ 0 (negative increments are ignored: counters only go up).
  void Inc(double v = 1.0) {
    if (v > 0) value_.fetch_add(v, std::memory_order_relaxed);
  }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Inc(double v = 1.0) { value_.fetch_add(v, std::memory_order_relaxed); }
  void Dec(double v = 1.0) { value_.fetch_sub(v, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `bounds`: strictly increasing upper bounds; +Inf is implicit.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf
    uint64_t count = 0;
    double sum = 0;
  };
  Snapshot Take() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1
  std::atomic<double> sum_{0};
};

// Latency buckets in seconds, 1 ms .. 10 s.
const std::vector<double>& DefaultLatencyBuckets();

enum class Type { kCounter, kGauge, kHistogram };

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, Type type, std::vector<std::string> label_names)
      : name_(std::move(name)),
        help_(std::move(help)),
        type_(type),
        label_names_(std::move(label_names)) {}
  virtual ~FamilyBase() = default;
  const std::string& name() const { return name_; }
  Type type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  virtual void Render(std::string& out) const = 0;

 protected:
  // Brings a label-value list to the declared length (logs a mismatch once).
  std::vector<std::string> Normalize(std::vector<std::string> values) const;

  std::string name_;
  std::string help_;
  Type type_;
  std::vector<std::string> label_names_;
  mutable std::atomic<bool> warned_{false};
};

// All series of one metric name, one per distinct label-value list.
template <class M>
class Family final : public FamilyBase {
 public:
  Family(std::string name, std::string help, Type type, std::vector<std::string> label_names,
         std::vector<double> bounds = {});
  // The series for these label values (in label-name order). The reference
  // stays valid for the life of the process.
  M& WithLabels(std::vector<std::string> values);
  void Render(std::string& out) const override;

 private:
  std::unique_ptr<M> Make() const;

  std::vector<double> bounds_;
  mutable std::shared_mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<M>> series_;
};

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The process-wide registry the metrics endpoint serves.
  static Registry& Default();

  Family<Counter>& AddCounter(std::string name, std::string help,
                              std::vector<std::string> label_names = {});
  Family<Gauge>& AddGauge(std::string name, std::string help,
                          std::vector<std::string> label_names = {});
  Family<Histogram>& AddHistogram(std::string name, std::string help,
                                  std::vector<std::string> label_names = {},
                                  std::vector<double> bounds = DefaultLatencyBuckets());

  // Text exposition format 0.0.4, families sorted by name.
  std::string Render() const;

 private:
  FamilyBase* Find(const std::string& name, Type type, const std::vector<std::string>& labels);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<FamilyBase>> families_;
};

// "text/plain; version=0.0.4; charset=utf-8"
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

// Formatting helpers, exposed for tests.
std::string FormatValue(double v);
std::string EscapeLabelValue(std::string_view v);
bool IsValidMetricName(std::string_view name);
bool IsValidLabelName(std::string_view name);

}  // namespace nrp::metrics
