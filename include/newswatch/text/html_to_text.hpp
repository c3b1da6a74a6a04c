#pragma once

#include <string>
#include <string_view>

namespace newswatch::text {

/// Plain text of an HTML fragment, for matching: tags stripped, block elements and <br> turned into
/// line breaks, script/style/comments dropped, character references decoded, runs of whitespace
/// (including U+00A0) collapsed to one space or one line break, trimmed, always valid UTF-8.
std::string html_to_text(std::string_view html);

/// Appends the plain text of `html` to `out` (see html_to_text); `out` should be empty or end in text.
void append_html_to_text(std::string& out, std::string_view html);

/// Plain text that carries no markup: references decoded, whitespace collapsed to single spaces,
/// trimmed, valid UTF-8. Used for fields such as author names and categories.
std::string collapse_text(std::string_view text);

/// Plain text with only whitespace collapsed and ill-formed UTF-8 replaced: no markup, no references.
/// For fields already declared plain text (Atom type="text", JSON Feed strings).
std::string collapse_whitespace(std::string_view text);

}  // namespace newswatch::text
