#pragma once

#include <string>
#include <string_view>

namespace newswatch::app {

/// Appends `text` as a JSON string literal, byte for byte what nlohmann::json's dump() writes with
/// ensure_ascii off and invalid UTF-8 replaced by U+FFFD: `match` writes its lines with this at
/// millions per second, and its output stays the same as before.
void append_json_string(std::string& out, std::string_view text);

/// True when `text` is well-formed UTF-8 (Unicode 15 table 3-7: no overlongs, surrogates or
/// code points past U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace newswatch::app
