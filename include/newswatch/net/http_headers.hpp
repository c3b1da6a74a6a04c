#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::net {

/// One header field as received: name spelled as the server sent it, value with surrounding
/// whitespace removed (RFC 9110 §5.5).
struct HttpHeader {
  std::string name;
  std::string value;

  friend bool operator==(const HttpHeader&, const HttpHeader&) = default;
};

/// The header fields of one request or response, in order, duplicates kept.
class HttpHeaders {
 public:
  HttpHeaders() = default;

  /// Appends a field.
  void add(std::string name, std::string value);
  /// The first value of `name` (case-insensitive, RFC 9110 §5.1), nullopt when absent.
  [[nodiscard]] std::optional<std::string> find(std::string_view name) const;
  /// Every value of `name` joined with ", " (RFC 9110 §5.3), nullopt when absent.
  [[nodiscard]] std::optional<std::string> find_combined(std::string_view name) const;
  /// True when a field named `name` is present.
  [[nodiscard]] bool contains(std::string_view name) const { return find(name).has_value(); }
  /// All fields in arrival order.
  [[nodiscard]] const std::vector<HttpHeader>& fields() const noexcept { return fields_; }
  /// Number of fields.
  [[nodiscard]] std::size_t size() const noexcept { return fields_.size(); }
  /// True when there are no fields.
  [[nodiscard]] bool empty() const noexcept { return fields_.empty(); }

  /// Adds one raw header line as libcurl delivers it ("Name: value\r\n"); a line starting with
  /// whitespace continues the previous value (obsolete line folding, RFC 9112 §5.2).
  void add_raw_line(std::string_view line);

 private:
  std::vector<HttpHeader> fields_;
};

/// ASCII case-insensitive comparison, as header names and most HTTP tokens need.
bool equals_ignore_case(std::string_view left, std::string_view right) noexcept;

/// `text` without leading and trailing spaces, tabs, CR and LF.
std::string_view trim_http_whitespace(std::string_view text) noexcept;

}  // namespace newswatch::net
