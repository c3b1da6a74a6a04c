#include "newswatch/server/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace newswatch::server {
namespace {

// Names as the data model allows them (Prometheus docs, "Metric names and labels"); colons are
// reserved for recording rules, so exporters never use them, but they are valid.
bool valid_metric_name(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  const auto head = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; };
  const auto tail = [&](char c) { return head(c) || (c >= '0' && c <= '9'); };
  return head(name.front()) && std::all_of(name.begin() + 1, name.end(), tail);
}

// Label names starting with "__" are reserved for Prometheus itself.
bool valid_label_name(std::string_view name) {
  if (name.empty() || name.starts_with("__")) {
    return false;
  }
  const auto head = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  const auto tail = [&](char c) { return head(c) || (c >= '0' && c <= '9'); };
  return head(name.front()) && std::all_of(name.begin() + 1, name.end(), tail);
}

// HELP text escapes backslash and newline only (format 0.0.4).
void append_escaped_help(std::string_view help, std::string& out) {
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void append_count(std::uint64_t value, std::string& out) {
  std::array<char, 24> buffer{};
  auto* end = fmt::format_to(buffer.data(), "{}", value);
  out.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

// One sample line: name, optional suffix, {key[,extra]}, value.
void append_sample_head(const std::string& name, std::string_view suffix, std::string_view key, std::string_view extra,
                        std::string& out) {
  out += name;
  out += suffix;
  if (!key.empty() || !extra.empty()) {
    out += '{';
    out += key;
    if (!key.empty() && !extra.empty()) {
      out += ',';
    }
    out += extra;
    out += '}';
  }
  out += ' ';
}

}  // namespace

const char* to_string(MetricType type) noexcept {
  switch (type) {
    case MetricType::counter: return "counter";
    case MetricType::gauge: return "gauge";
    case MetricType::histogram: return "histogram";
  }
  return "untyped";
}

void append_escaped_label_value(std::string_view value, std::string& out) {
  // Most values need no escape: copy runs between the characters that do.
  while (!value.empty()) {
    const auto special = value.find_first_of("\\\"\n");
    out.append(value.substr(0, special));
    if (special == std::string_view::npos) {
      return;
    }
    switch (value[special]) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      default: out += "\\n"; break;
    }
    value.remove_prefix(special + 1);
  }
}

void append_sample_value(double value, std::string& out) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  std::array<char, 32> buffer{};
  // Whole numbers (counts, timestamps) print as integers; the rest shortest round-trip.
  constexpr double exact_limit = 9007199254740992.0;  // 2^53
  if (std::abs(value) < exact_limit && value == std::trunc(value)) {
    auto* end = fmt::format_to(buffer.data(), "{}", static_cast<std::int64_t>(value));
    out.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
    return;
  }
  auto* end = fmt::format_to(buffer.data(), "{}", value);
  out.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

void Counter::inc(double amount) noexcept {
  if (amount > 0) {
    value_ += amount;
  }
}

Histogram::Histogram(std::shared_ptr<const std::vector<double>> bounds)
    : bounds_(std::move(bounds)), per_bucket_(bounds_->size(), 0) {}

void Histogram::observe(double value) noexcept {
  ++count_;
  sum_ += value;
  if (std::isnan(value)) {
    return;  // Only in +Inf, which is count_.
  }
  // Bucket i counts value <= bounds[i]: the first bound not less than the value.
  const auto found = std::lower_bound(bounds_->begin(), bounds_->end(), value);
  if (found != bounds_->end()) {
    ++per_bucket_[static_cast<std::size_t>(found - bounds_->begin())];
  }
}

std::uint64_t Histogram::cumulative_count(std::size_t bucket) const noexcept {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bucket && i < per_bucket_.size(); ++i) {
    total += per_bucket_[i];
  }
  return bucket >= per_bucket_.size() ? count_ : total;
}

FamilyBase::FamilyBase(std::string name, std::string help, MetricType type, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), type_(type), label_names_(std::move(label_names)) {}

void FamilyBase::render(std::string& out) const {
  out += "# HELP ";
  out += name_;
  out += ' ';
  append_escaped_help(help_, out);
  out += "\n# TYPE ";
  out += name_;
  out += ' ';
  out += to_string(type_);
  out += '\n';
  render_samples(out);
}

void FamilyBase::render_key(std::span<const std::string_view> values, std::string& key) const {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument(
        fmt::format("metrics: {} takes {} label values, got {}", name_, label_names_.size(), values.size()));
  }
  key += name_;
  if (!values.empty()) {
    key += '{';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) {
        key += ',';
      }
      key += label_names_[i];
      key += "=\"";
      append_escaped_label_value(values[i], key);
      key += '"';
    }
    key += '}';
  }
  key += ' ';
}

std::string_view FamilyBase::labels_in_key(std::string_view key) const noexcept {
  // `name{labels} ` or `name `.
  if (key.size() < name_.size() + 3 || key[name_.size()] != '{') {
    return {};
  }
  return key.substr(name_.size() + 1, key.size() - name_.size() - 3);
}

std::size_t FamilyBase::label_index(std::string_view label_name) const noexcept {
  const auto found = std::find(label_names_.begin(), label_names_.end(), label_name);
  return found == label_names_.end() ? std::string_view::npos : static_cast<std::size_t>(found - label_names_.begin());
}

template <typename Series>
Family<Series>::Family(std::string name, std::string help, MetricType type, std::vector<std::string> label_names,
                       std::shared_ptr<const std::vector<double>> bounds)
    : FamilyBase(std::move(name), std::move(help), type, std::move(label_names)), bounds_(std::move(bounds)) {
  if (bounds_) {
    for (const double bound : *bounds_) {
      std::string label = "le=\"";
      append_sample_value(bound, label);
      label += '"';
      bound_labels_.push_back(std::move(label));
    }
  }
}

template <typename Series>
Series& Family<Series>::with(std::initializer_list<std::string_view> values) {
  return with(std::span<const std::string_view>(values.begin(), values.size()));
}

template <typename Series>
Series& Family<Series>::with(std::span<const std::string_view> values) {
  scratch_key_.clear();
  render_key(values, scratch_key_);
  if (const auto found = series_.find(scratch_key_); found != series_.end()) {
    return found->second.series;
  }
  std::vector<std::string> raw(values.begin(), values.end());
  if constexpr (std::is_same_v<Series, Histogram>) {
    return series_.emplace(scratch_key_, Entry{std::move(raw), Histogram(bounds_)}).first->second.series;
  } else {
    return series_.emplace(scratch_key_, Entry{std::move(raw), Series{}}).first->second.series;
  }
}

template <typename Series>
const Series* Family<Series>::find(std::initializer_list<std::string_view> values) const {
  scratch_key_.clear();
  render_key(std::span<const std::string_view>(values.begin(), values.size()), scratch_key_);
  const auto found = series_.find(scratch_key_);
  return found == series_.end() ? nullptr : &found->second.series;
}

template <typename Series>
bool Family<Series>::remove(std::initializer_list<std::string_view> values) {
  scratch_key_.clear();
  render_key(std::span<const std::string_view>(values.begin(), values.size()), scratch_key_);
  const auto found = series_.find(scratch_key_);
  if (found == series_.end()) {
    return false;
  }
  series_.erase(found);
  return true;
}

template <typename Series>
std::size_t Family<Series>::remove_where(std::string_view label_name, std::string_view value) {
  const std::size_t index = label_index(label_name);
  if (index == std::string_view::npos) {
    return 0;
  }
  return std::erase_if(series_, [&](const auto& entry) { return entry.second.values[index] == value; });
}

template <typename Series>
void Family<Series>::render_samples(std::string& out) const {
  for (const auto& [key, entry] : series_) {
    if constexpr (std::is_same_v<Series, Histogram>) {
      const Histogram& histogram = entry.series;
      const std::string_view labels = labels_in_key(key);
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < bound_labels_.size(); ++i) {
        cumulative += histogram.bucket_counts()[i];
        append_sample_head(name(), "_bucket", labels, bound_labels_[i], out);
        append_count(cumulative, out);
        out += '\n';
      }
      append_sample_head(name(), "_bucket", labels, R"(le="+Inf")", out);
      append_count(histogram.count(), out);
      out += '\n';
      append_sample_head(name(), "_sum", labels, {}, out);
      append_sample_value(histogram.sum(), out);
      out += '\n';
      append_sample_head(name(), "_count", labels, {}, out);
      append_count(histogram.count(), out);
      out += '\n';
    } else {
      out += key;
      append_sample_value(entry.series.value(), out);
      out += '\n';
    }
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

void Registry::check_new_name(const std::string& name, const std::vector<std::string>& label_names) const {
  if (!valid_metric_name(name)) {
    throw std::invalid_argument(fmt::format("metrics: invalid metric name \"{}\"", name));
  }
  if (families_.contains(name)) {
    throw std::invalid_argument(fmt::format("metrics: {} is registered twice", name));
  }
  for (std::size_t i = 0; i < label_names.size(); ++i) {
    if (!valid_label_name(label_names[i])) {
      throw std::invalid_argument(fmt::format("metrics: {}: invalid label name \"{}\"", name, label_names[i]));
    }
    if (std::find(label_names.begin(), label_names.begin() + static_cast<std::ptrdiff_t>(i), label_names[i]) !=
        label_names.begin() + static_cast<std::ptrdiff_t>(i)) {
      throw std::invalid_argument(fmt::format("metrics: {}: label \"{}\" given twice", name, label_names[i]));
    }
  }
}

CounterFamily& Registry::counter(std::string name, std::string help, std::vector<std::string> label_names) {
  check_new_name(name, label_names);
  auto family = std::make_unique<CounterFamily>(name, std::move(help), MetricType::counter, std::move(label_names));
  auto& added = *family;
  families_.emplace(std::move(name), std::move(family));
  return added;
}

GaugeFamily& Registry::gauge(std::string name, std::string help, std::vector<std::string> label_names) {
  check_new_name(name, label_names);
  auto family = std::make_unique<GaugeFamily>(name, std::move(help), MetricType::gauge, std::move(label_names));
  auto& added = *family;
  families_.emplace(std::move(name), std::move(family));
  return added;
}

HistogramFamily& Registry::histogram(std::string name, std::string help, std::vector<std::string> label_names,
                                     std::vector<double> bounds) {
  check_new_name(name, label_names);
  if (std::find(label_names.begin(), label_names.end(), "le") != label_names.end()) {
    throw std::invalid_argument(fmt::format("metrics: {}: a histogram cannot have a label \"le\"", name));
  }
  const bool finite = std::all_of(bounds.begin(), bounds.end(), [](double bound) { return std::isfinite(bound); });
  const bool ascending = std::adjacent_find(bounds.begin(), bounds.end(), std::greater_equal<>()) == bounds.end();
  if (bounds.empty() || !finite || !ascending) {
    throw std::invalid_argument(
        fmt::format("metrics: {}: bucket bounds must be finite, strictly ascending and at least one", name));
  }
  auto shared_bounds = std::make_shared<const std::vector<double>>(std::move(bounds));
  auto family = std::make_unique<HistogramFamily>(name, std::move(help), MetricType::histogram, std::move(label_names),
                                                  std::move(shared_bounds));
  auto& added = *family;
  families_.emplace(std::move(name), std::move(family));
  return added;
}

std::size_t Registry::remove_where(std::string_view label_name, std::string_view value) {
  std::size_t removed = 0;
  for (auto& [name, family] : families_) {
    removed += family->remove_where(label_name, value);
  }
  return removed;
}

void Registry::render(std::string& out) const {
  const std::size_t start = out.size();
  // A little over the last size, so a slowly growing exposition still fits in one allocation.
  out.reserve(start + last_size_ + last_size_ / 8 + 4096);
  for (const auto& [name, family] : families_) {
    family->render(out);
  }
  last_size_ = out.size() - start;
}

std::string Registry::render() const {
  std::string out;
  render(out);
  return out;
}

}  // namespace newswatch::server
