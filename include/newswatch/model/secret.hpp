#pragma once

#include <string>
#include <utility>

namespace newswatch {

/// A resolved secret value (token, webhook URL, header). It never prints itself: logs and
/// `check --print` see the reference it came from ("env:SLACK_URL") or "<redacted>".
class Secret {
 public:
  Secret() = default;
  /// `value` is the secret itself; `source` says where it came from (never the value).
  Secret(std::string value, std::string source) : value_(std::move(value)), source_(std::move(source)) {}

  /// The secret value, for the one place that needs it (an HTTP request).
  [[nodiscard]] const std::string& reveal() const noexcept { return value_; }
  /// What may be shown: the reference (env:/file:/credential:) or "<redacted>".
  [[nodiscard]] std::string redacted() const { return source_.empty() ? std::string("<redacted>") : source_; }
  [[nodiscard]] bool empty() const noexcept { return value_.empty(); }

  friend bool operator==(const Secret&, const Secret&) = default;

 private:
  std::string value_;
  std::string source_;
};

}  // namespace newswatch
