// Response headers come from any server on the internet: every parser that reads them must
// survive arbitrary bytes. Each input is split into lines and fed to all of them.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "newswatch/fetch/cache_headers.hpp"
#include "newswatch/fetch/http_date.hpp"
#include "newswatch/net/http_headers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace newswatch;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const TimePoint now = std::chrono::sys_days{std::chrono::year{2026} / 11 / 28};

  net::HttpHeaders headers;
  std::string_view rest = input;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const auto line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    headers.add_raw_line(line);
    if (const auto parsed = fetch::parse_http_date(line, now)) {
      // A date that parses must print and parse back to itself.
      if (fetch::parse_http_date(fetch::format_http_date(*parsed), now) != parsed) {
        __builtin_trap();
      }
    }
    static_cast<void>(fetch::parse_max_age(line));
    static_cast<void>(fetch::parse_retry_after(line, now));
  }
  static_cast<void>(fetch::read_cache_hints(headers, now));
  return 0;
}
