#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "newswatch/model/time.hpp"

namespace newswatch::fetch {

/// Parses an HTTP-date (RFC 9110 §5.6.7) in any of its three forms: IMF-fixdate
/// ("Sun, 06 Nov 1994 08:49:37 GMT"), obsolete RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") and
/// asctime ("Sun Nov  6 08:49:37 1994"). A two-digit RFC 850 year is resolved against `now` as
/// the RFC requires. nullopt for anything else: dates are never guessed.
std::optional<TimePoint> parse_http_date(std::string_view text, TimePoint now);

/// Formats `instant` as an IMF-fixdate, the form HTTP senders must use.
std::string format_http_date(TimePoint instant);

}  // namespace newswatch::fetch
