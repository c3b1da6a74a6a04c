#pragma once

#include <string>
#include <string_view>

namespace newswatch::alert {

/// The text format a platform reads a message (or a template's output) in.
enum class Markup {
  plain,          ///< No markup: console, ntfy titles, Teams text runs, Discord footers.
  json,           ///< A JSON string's contents (webhook templates).
  slack,          ///< Slack mrkdwn (Slack, and nothing else).
  markdown,       ///< CommonMark-style Markdown (Discord, Mattermost, ntfy).
  telegram_html,  ///< Telegram's HTML subset; line breaks are "\n".
  html,           ///< HTML where line breaks are <br> (Matrix formatted_body, Google Chat cards).
};

/// `text` escaped so `markup` reads it literally: no formatting, no link, no mention can come out
/// of it. Chat markups also break @-mentions (@everyone, @here, @channel, @room) with a zero-width
/// space after each "@". `text` must be valid UTF-8 (see clean_text()).
std::string escape_text(Markup markup, std::string_view text);

/// A feed link made safe to put in a message: only http and https URLs pass (nullopt-like empty
/// string for anything else, e.g. "javascript:"), and the characters that could end a link in any
/// markup (space, quotes, <>, (), [], |, backslash, controls, non-ASCII bytes) are percent-encoded
/// (RFC 3986 §2.1). Longer than 2,048 bytes is empty too: no platform takes such a link.
std::string safe_link(std::string_view url);

/// A safe_link() escaped for a link target in `markup` (`&` as `&amp;` in Slack and HTML).
std::string escape_link(Markup markup, std::string_view link);

/// `text` with a zero-width space after every "@", so no platform reads a mention in it.
std::string break_mentions(std::string_view text);

}  // namespace newswatch::alert
