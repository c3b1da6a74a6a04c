#pragma once

#include <string>
#include <string_view>

#include "newswatch/text/entity_table.hpp"

namespace newswatch::text {

/// The HTML5 named character reference called `name` (without '&' and ';'), or nullptr.
const NamedEntity* find_named_entity(std::string_view name) noexcept;

/// Appends `text` with every character reference decoded: all HTML5 named references, decimal and
/// hexadecimal numeric ones (mapped as HTML5 §13.2.5.80 does: 0, surrogates and out-of-range values
/// become U+FFFD, 0x80-0x9F are read as windows-1252). Unknown references and bare '&' stay as they are.
void append_decoded_entities(std::string& out, std::string_view text);

/// `text` with every character reference decoded (see append_decoded_entities).
std::string decode_entities(std::string_view text);

/// Decodes the reference starting at `text[0] == '&'`; appends its UTF-8 to `out` and returns the
/// number of bytes consumed, or 0 (nothing appended) when `text` does not start with a known reference.
std::size_t decode_one_entity(std::string& out, std::string_view text);

}  // namespace newswatch::text
