#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::server {

/// What a family is, as the TYPE line spells it.
enum class MetricType { counter, gauge, histogram };

/// "counter", "gauge", "histogram".
const char* to_string(MetricType type) noexcept;

/// A value that only goes up (or resets with the process).
class Counter {
 public:
  /// Adds `amount`; negative amounts are ignored, since a counter that goes down breaks rate().
  void inc(double amount = 1.0) noexcept;
  /// The current value.
  [[nodiscard]] double value() const noexcept { return value_; }

 private:
  double value_ = 0.0;
};

/// A value that goes up and down.
class Gauge {
 public:
  /// Replaces the value.
  void set(double value) noexcept { value_ = value; }
  /// Adds `amount` (negative to subtract).
  void add(double amount) noexcept { value_ += amount; }
  /// The current value.
  [[nodiscard]] double value() const noexcept { return value_; }

 private:
  double value_ = 0.0;
};

/// Observations counted into fixed buckets, plus their sum and count.
class Histogram {
 public:
  /// `bounds` are the family's ascending upper bounds, shared by all its series.
  explicit Histogram(std::shared_ptr<const std::vector<double>> bounds);

  /// Counts `value` into the first bucket whose bound is >= value (NaN only into +Inf).
  void observe(double value) noexcept;
  /// Observations so far.
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  /// Sum of the observations.
  [[nodiscard]] double sum() const noexcept { return sum_; }
  /// Observations <= bounds()[i], cumulative as exposed (the +Inf bucket is count()).
  [[nodiscard]] std::uint64_t cumulative_count(std::size_t bucket) const noexcept;
  /// Observations per bucket, not cumulative (index as bounds()).
  [[nodiscard]] const std::vector<std::uint64_t>& bucket_counts() const noexcept { return per_bucket_; }
  /// The upper bounds, without +Inf.
  [[nodiscard]] const std::vector<double>& bounds() const noexcept { return *bounds_; }

 private:
  std::shared_ptr<const std::vector<double>> bounds_;
  std::vector<std::uint64_t> per_bucket_;  ///< Not cumulative: one increment per observation.
  std::uint64_t count_ = 0;
  double sum_ = 0.0;
};

/// Name, help, type and label names of a family, and the rendering all families share.
class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, MetricType type, std::vector<std::string> label_names);
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;
  FamilyBase(FamilyBase&&) = delete;
  FamilyBase& operator=(FamilyBase&&) = delete;

  /// The metric name, e.g. "newswatch_feed_polls_total".
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// The family's type.
  [[nodiscard]] MetricType type() const noexcept { return type_; }
  /// Label names in the order values are passed.
  [[nodiscard]] const std::vector<std::string>& label_names() const noexcept { return label_names_; }
  /// Number of series (label value combinations) present.
  [[nodiscard]] virtual std::size_t size() const noexcept = 0;
  /// Drops every series whose label `label_name` equals `value`; returns how many went.
  virtual std::size_t remove_where(std::string_view label_name, std::string_view value) = 0;
  /// Appends HELP, TYPE and every sample in text exposition format 0.0.4.
  void render(std::string& out) const;

 protected:
  /// Builds the series key: the sample line up to its value, `name{a="x",b="y"} ` (or `name `),
  /// label values escaped. Throws std::invalid_argument when the number of values differs from the
  /// label names.
  void render_key(std::span<const std::string_view> values, std::string& key) const;
  /// The label pairs inside a key made by render_key(), without the braces ("" when none).
  [[nodiscard]] std::string_view labels_in_key(std::string_view key) const noexcept;
  /// Index of `label_name` in label_names(), or npos.
  [[nodiscard]] std::size_t label_index(std::string_view label_name) const noexcept;
  /// Appends the samples of every series, in key order.
  virtual void render_samples(std::string& out) const = 0;

 private:
  std::string name_;
  std::string help_;
  MetricType type_;
  std::vector<std::string> label_names_;
};

/// One metric family: series of type `Series` keyed by label values. Each key is the series'
/// sample line up to its value, so a series is escaped once, when it is created, rendering a
/// counter or gauge copies one string and formats one number, and the map's order is the label
/// order.
template <typename Series>
class Family final : public FamilyBase {
 public:
  /// `bounds` is used by histogram families only.
  Family(std::string name, std::string help, MetricType type, std::vector<std::string> label_names,
         std::shared_ptr<const std::vector<double>> bounds = nullptr);

  /// The series for `values` (one per label name, in order), created at zero when absent. The
  /// reference stays valid until the series is removed.
  Series& with(std::initializer_list<std::string_view> values);
  /// As above, for values built at run time.
  Series& with(std::span<const std::string_view> values);
  /// The series for `values`, or nullptr when absent.
  [[nodiscard]] const Series* find(std::initializer_list<std::string_view> values) const;
  /// Drops the series for `values`; returns whether it was present.
  bool remove(std::initializer_list<std::string_view> values);
  std::size_t remove_where(std::string_view label_name, std::string_view value) override;
  [[nodiscard]] std::size_t size() const noexcept override { return series_.size(); }

 private:
  struct Entry {
    std::vector<std::string> values;  ///< Raw label values, for remove_where().
    Series series;
  };

  void render_samples(std::string& out) const override;

  std::shared_ptr<const std::vector<double>> bounds_;
  std::vector<std::string> bound_labels_;  ///< le="..." spelled once per family.
  std::map<std::string, Entry, std::less<>> series_;
  mutable std::string scratch_key_;  ///< Reused for lookups so a hit allocates nothing.
};

// Defined in metrics.cpp for these three series types only.
extern template class Family<Counter>;
extern template class Family<Gauge>;
extern template class Family<Histogram>;

/// A family of counters.
using CounterFamily = Family<Counter>;
/// A family of gauges.
using GaugeFamily = Family<Gauge>;
/// A family of histograms.
using HistogramFamily = Family<Histogram>;

/// The families one process exposes, rendered in name order so that the output is stable.
///
/// Not thread-safe, on purpose: the daemon updates and renders it on its one loop thread only (the
/// HTTP listener runs on that thread too), so a lock would only cost time.
class Registry {
 public:
  Registry() = default;
  ~Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;
  Registry(Registry&&) = default;
  Registry& operator=(Registry&&) = default;

  /// Adds a counter family. Throws std::invalid_argument for an invalid or duplicate name or label.
  CounterFamily& counter(std::string name, std::string help, std::vector<std::string> label_names = {});
  /// Adds a gauge family. Throws as counter() does.
  GaugeFamily& gauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  /// Adds a histogram family with ascending `bounds` (+Inf is implied). Throws as counter() does,
  /// and for bounds that are empty, not ascending or not finite, or a label named "le".
  HistogramFamily& histogram(std::string name, std::string help, std::vector<std::string> label_names,
                             std::vector<double> bounds);

  /// Drops every series, in every family, whose label `label_name` is `value` (a removed feed).
  std::size_t remove_where(std::string_view label_name, std::string_view value);
  /// Appends the whole exposition (text format 0.0.4) to `out`.
  void render(std::string& out) const;
  /// The whole exposition.
  [[nodiscard]] std::string render() const;
  /// Bytes the last render() produced: the next one reserves that much up front.
  [[nodiscard]] std::size_t last_render_size() const noexcept { return last_size_; }

 private:
  void check_new_name(const std::string& name, const std::vector<std::string>& label_names) const;

  std::map<std::string, std::unique_ptr<FamilyBase>, std::less<>> families_;
  mutable std::size_t last_size_ = 0;
};

/// Appends `value` escaped for a label value: backslash, double quote and newline (format 0.0.4).
void append_escaped_label_value(std::string_view value, std::string& out);
/// Appends `value` as a sample value: shortest round-trip decimal, "+Inf", "-Inf" or "NaN".
void append_sample_value(double value, std::string& out);

}  // namespace newswatch::server
