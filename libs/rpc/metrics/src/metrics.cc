#include "nrp/metrics/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace nrp::metrics {
namespace {

[[noreturn]] void Fatal(const std::string& message) {
  std::fprintf(stderr, "nrp::metrics: %s\n", message.c_str());
  std::fflush(stderr);
  std::abort();
}

void AppendEscapedHelp(std::string& out, std::string_view s) {
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void AppendHeader(std::string& out, const std::string& name, const std::string& help,
                  const char* type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  AppendEscapedHelp(out, help);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

// {a="x",b="y"} plus an optional extra label (le for buckets).
void AppendLabels(std::string& out, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, std::string_view extra_name = {},
                  std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out += '{';
  bool first = true;
  for (size_t i = 0; i < names.size(); ++i) {
    if (!first) out += ',';
    first = false;
    out += names[i];
    out += "=\"";
    out += EscapeLabelValue(values[i]);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

void AppendSample(std::string& out, const std::string& name, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, double v) {
  out += name;
  AppendLabels(out, names, values);
  out += ' ';
  out += FormatValue(v);
  out += '\n';
}

}  // namespace

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return "NaN";
  return std::string(buf, end);
}

std::string EscapeLabelValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

bool IsValidMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty() || name.starts_with("__")) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

const std::vector<double>& DefaultLatencyBuckets() {
  static const std::vector<double> buckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                           0.25,  0.5,    1,     2.5,  5,     10};
  return buckets;
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(double v) {
  size_t i =
      static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Take() const {
  Snapshot s;
  s.bounds = bounds_;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

std::vector<std::string> FamilyBase::Normalize(std::vector<std::string> values) const {
  if (values.size() != label_names_.size()) {
    if (!warned_.exchange(true)) {
      std::fprintf(stderr,
                   "nrp::metrics: %s expects %zu label values, got %zu (padded/truncated)\n",
                   name_.c_str(), label_names_.size(), values.size());
    }
    values.resize(label_names_.size());
  }
  return values;
}

template <class M>
Family<M>::Family(std::string name, std::string help, Type type,
                  std::vector<std::string> label_names, std::vector<double> bounds)
    : FamilyBase(std::move(name), std::move(help), type, std::move(label_names)),
      bounds_(std::move(bounds)) {
  if (label_names_.empty()) series_.emplace(std::vector<std::string>{}, Make());
}

template <class M>
std::unique_ptr<M> Family<M>::Make() const {
  if constexpr (std::is_same_v<M, Histogram>) {
    return std::make_unique<Histogram>(bounds_);
  } else {
    return std::make_unique<M>();
  }
}

template <class M>
M& Family<M>::WithLabels(std::vector<std::string> values) {
  if (values.size() != label_names_.size()) values = Normalize(std::move(values));
  {
    std::shared_lock lock(mu_);
    auto it = series_.find(values);
    if (it != series_.end()) return *it->second;
  }
  std::unique_lock lock(mu_);
  auto [it, inserted] = series_.try_emplace(std::move(values));
  if (inserted) it->second = Make();
  return *it->second;
}

template <class M>
void Family<M>::Render(std::string& out) const {
  const char* type_name = type_ == Type::kCounter ? "counter"
                          : type_ == Type::kGauge ? "gauge"
                                                  : "histogram";
  AppendHeader(out, name_, help_, type_name);
  std::shared_lock lock(mu_);
  for (const auto& [values, metric] : series_) {
    if constexpr (std::is_same_v<M, Histogram>) {
      Histogram::Snapshot s = metric->Take();
      std::string bucket = name_ + "_bucket";
      for (size_t i = 0; i <= s.bounds.size(); ++i) {
        out += bucket;
        AppendLabels(out, label_names_, values, "le",
                     i < s.bounds.size() ? FormatValue(s.bounds[i]) : "+Inf");
        out += ' ';
        out += std::to_string(s.cumulative[i]);
        out += '\n';
      }
      AppendSample(out, name_ + "_sum", label_names_, values, s.sum);
      AppendSample(out, name_ + "_count", label_names_, values, static_cast<double>(s.count));
    } else {
      AppendSample(out, name_, label_names_, values, metric->Value());
    }
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

Registry& Registry::Default() {
  static Registry* r = new Registry();
  return *r;
}

FamilyBase* Registry::Find(const std::string& name, Type type,
                           const std::vector<std::string>& labels) {
  if (!IsValidMetricName(name)) Fatal("invalid metric name '" + name + "'");
  for (const auto& l : labels) {
    if (!IsValidLabelName(l)) Fatal("invalid label name '" + l + "' of " + name);
  }
  auto it = families_.find(name);
  if (it == families_.end()) return nullptr;
  if (it->second->type() != type || it->second->label_names() != labels) {
    Fatal("metric " + name + " registered twice with a different type or label set");
  }
  return it->second.get();
}

Family<Counter>& Registry::AddCounter(std::string name, std::string help,
                                      std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  if (auto* f = Find(name, Type::kCounter, label_names)) return static_cast<Family<Counter>&>(*f);
  auto f = std::make_unique<Family<Counter>>(name, std::move(help), Type::kCounter,
                                             std::move(label_names));
  auto& ref = *f;
  families_.emplace(std::move(name), std::move(f));
  return ref;
}

Family<Gauge>& Registry::AddGauge(std::string name, std::string help,
                                  std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  if (auto* f = Find(name, Type::kGauge, label_names)) return static_cast<Family<Gauge>&>(*f);
  auto f =
      std::make_unique<Family<Gauge>>(name, std::move(help), Type::kGauge, std::move(label_names));
  auto& ref = *f;
  families_.emplace(std::move(name), std::move(f));
  return ref;
}

Family<Histogram>& Registry::AddHistogram(std::string name, std::string help,
                                          std::vector<std::string> label_names,
                                          std::vector<double> bounds) {
  for (size_t i = 1; i < bounds.size(); ++i) {
    if (!(bounds[i] > bounds[i - 1])) Fatal("histogram " + name + ": bounds must increase");
  }
  for (const auto& l : label_names) {
    if (l == "le") Fatal("histogram " + name + ": 'le' is reserved");
  }
  std::lock_guard lock(mu_);
  if (auto* f = Find(name, Type::kHistogram, label_names)) {
    return static_cast<Family<Histogram>&>(*f);
  }
  auto f = std::make_unique<Family<Histogram>>(name, std::move(help), Type::kHistogram,
                                               std::move(label_names), std::move(bounds));
  auto& ref = *f;
  families_.emplace(std::move(name), std::move(f));
  return ref;
}

std::string Registry::Render() const {
  std::string out;
  out.reserve(4096);
  std::lock_guard lock(mu_);
  for (const auto& [name, family] : families_) family->Render(out);
  return out;
}

}  // namespace nrp::metrics
