#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace newswatch::alert {

/// How a platform counts the length of a text against its limits.
enum class LengthUnit {
  bytes,        ///< UTF-8 bytes (ntfy, Google Chat, Teams).
  code_points,  ///< Unicode scalar values.
  utf16,        ///< UTF-16 code units, what JavaScript's String.length counts (Slack, Discord, Telegram).
};

/// "…" (U+2026), what a cut text ends with.
inline constexpr std::string_view ellipsis = "\xE2\x80\xA6";

/// The length of valid UTF-8 `text` in `unit`.
std::size_t text_length(std::string_view text, LengthUnit unit) noexcept;

/// `text` (valid UTF-8) cut to at most `limit` units with "…" at the end, at a grapheme cluster
/// boundary (UAX #29) so no emoji sequence or combining mark is split; unchanged when it fits.
std::string truncate_text(std::string_view text, std::size_t limit, LengthUnit unit);

/// Feed text made safe to put in a message: ill-formed UTF-8 repaired (U+FFFD), control characters
/// (C0 but tab and newline, DEL, C1), the byte order mark and the bidirectional embedding, override
/// and isolate controls removed, so no title can reorder or hide the text around it. With
/// `single_line`, every run of white space becomes one space; either way the ends are trimmed.
std::string clean_text(std::string_view text, bool single_line);

}  // namespace newswatch::alert
