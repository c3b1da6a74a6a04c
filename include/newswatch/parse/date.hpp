#pragma once

#include <optional>
#include <string_view>

#include "newswatch/model/time.hpp"

namespace newswatch::parse {

/// A feed date in any form feeds use: RFC 3339 / ISO 8601 / W3CDTF first when it starts with a
/// four-digit year, else RFC 822/1123 and their variants. nullopt when nothing sensible is found.
std::optional<TimePoint> parse_date(std::string_view text);

/// RFC 822 §5 / RFC 1123 §5.2.14 dates and real-world variants: optional weekday, one- or two-digit
/// day, month names in any case, two-digit years, missing seconds, RFC 850 dashes, asctime order,
/// named zones (UT, GMT, Z, EST...PDT, a few more), military letters, +0300 and +03:00.
std::optional<TimePoint> parse_rfc822_date(std::string_view text);

/// RFC 3339 / ISO 8601 / W3CDTF: YYYY[-MM[-DD[Thh:mm[:ss[.fraction]][zone]]]], space for 'T',
/// basic format (20150825T120000Z); no zone means UTC.
std::optional<TimePoint> parse_iso8601_date(std::string_view text);

}  // namespace newswatch::parse
