#pragma once

#include <iconv.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "newswatch/model/expected.hpp"

namespace newswatch::text {

/// An iconv conversion descriptor (glibc), closed on destruction. Move-only.
class IconvConverter {
 public:
  /// Opens a converter from charset `from` to UTF-8; an error names the unknown charset.
  static Expected<IconvConverter, std::string> to_utf8_from(std::string_view from);

  IconvConverter(IconvConverter&& other) noexcept;
  IconvConverter& operator=(IconvConverter&& other) noexcept;
  IconvConverter(const IconvConverter&) = delete;
  IconvConverter& operator=(const IconvConverter&) = delete;
  ~IconvConverter();

  /// Converts all of `input`; bytes the source charset cannot decode become U+FFFD.
  std::string convert(std::string_view input);

 private:
  explicit IconvConverter(iconv_t handle) noexcept : handle_(handle) {}
  iconv_t handle_;
};

/// `bytes` in charset `charset` converted to valid UTF-8. UTF-8 itself only has ill-formed sequences
/// replaced; anything else goes through iconv. Fails only for a charset glibc does not know.
Expected<std::string, std::string> decode_to_utf8(std::string_view bytes, std::string_view charset);

/// The `charset` parameter of a Content-Type header value (RFC 9110 §8.3.2), unquoted; empty if none.
std::string charset_from_content_type(std::string_view content_type);

/// The label as iconv should see it: trimmed, upper case, WHATWG aliases applied (ISO-8859-1,
/// US-ASCII and Latin-1 labels mean windows-1252, as every browser reads them).
std::string canonical_charset(std::string_view label);

/// True for charsets that map each byte to one character (ISO-8859-*, windows-125x, KOI8-*, ASCII).
bool is_single_byte_charset(std::string_view canonical) noexcept;

/// How the charset of a document was decided.
enum class CharsetSource { byte_order_mark, http_header, xml_declaration, utf16_pattern, none };

/// A charset decision: canonical name, where it came from, and how many BOM bytes to skip.
struct CharsetDecision {
  std::string charset;
  CharsetSource source = CharsetSource::none;
  std::size_t bom_length = 0;
};

/// The charset of an XML document in RFC 7303 §3.2 order: byte order mark, then the HTTP charset
/// parameter, then the XML declaration's encoding (XML 1.0 Appendix F), else UTF-8.
CharsetDecision detect_xml_charset(std::string_view bytes, std::string_view content_type);

}  // namespace newswatch::text
