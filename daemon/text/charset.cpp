#include "newswatch/text/charset.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <utility>

#include "newswatch/text/utf8.hpp"

namespace newswatch::text {
namespace {

iconv_t invalid_handle() noexcept {
  return reinterpret_cast<iconv_t>(static_cast<std::intptr_t>(-1));
}

char upper_ascii(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view unquote(std::string_view text) noexcept {
  text = trim(text);
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front()) {
    text = text.substr(1, text.size() - 2);
  }
  return trim(text);
}

/// Labels that mean something else in practice (WHATWG Encoding Standard §4.2 label table).
struct CharsetAlias {
  std::string_view label;
  std::string_view charset;
};
constexpr std::array<CharsetAlias, 22> charset_aliases{{
    {"ANSI_X3.4-1968", "WINDOWS-1252"},
    {"ASCII", "WINDOWS-1252"},
    {"CP819", "WINDOWS-1252"},
    {"GB2312", "GBK"},
    {"IBM819", "WINDOWS-1252"},
    {"ISO-8859-1", "WINDOWS-1252"},
    {"ISO-8859-11", "CP874"},
    {"ISO-8859-9", "WINDOWS-1254"},
    {"ISO8859-1", "WINDOWS-1252"},
    {"ISO_8859-1", "WINDOWS-1252"},
    {"KS_C_5601-1987", "CP949"},
    {"L1", "WINDOWS-1252"},
    {"LATIN1", "WINDOWS-1252"},
    {"SHIFT-JIS", "SHIFT_JIS"},
    {"SJIS", "SHIFT_JIS"},
    {"TIS-620", "CP874"},
    {"US-ASCII", "WINDOWS-1252"},
    {"UTF8", "UTF-8"},
    {"UNICODE-1-1-UTF-8", "UTF-8"},
    {"X-GBK", "GBK"},
    {"X-SJIS", "SHIFT_JIS"},
    {"X-MAC-ROMAN", "MACINTOSH"},
}};

/// Finds `key=value` (the value possibly quoted) in the XML declaration at the start of `text`.
std::string_view xml_declaration_encoding(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size() && is_space(text[start])) {
    ++start;
  }
  if (text.substr(start, 5) != "<?xml") {
    return {};
  }
  const std::size_t end = text.find("?>", start);
  if (end == std::string_view::npos) {
    return {};
  }
  const std::string_view declaration = text.substr(start + 5, end - start - 5);
  const std::size_t key = declaration.find("encoding");
  if (key == std::string_view::npos) {
    return {};
  }
  std::size_t at = key + 8;
  while (at < declaration.size() && is_space(declaration[at])) {
    ++at;
  }
  if (at >= declaration.size() || declaration[at] != '=') {
    return {};
  }
  ++at;
  while (at < declaration.size() && is_space(declaration[at])) {
    ++at;
  }
  if (at >= declaration.size() || (declaration[at] != '"' && declaration[at] != '\'')) {
    return {};
  }
  const char quote = declaration[at];
  const std::size_t close = declaration.find(quote, at + 1);
  if (close == std::string_view::npos) {
    return {};
  }
  return declaration.substr(at + 1, close - at - 1);
}

}  // namespace

Expected<IconvConverter, std::string> IconvConverter::to_utf8_from(std::string_view from) {
  const std::string name(from);
  iconv_t handle = iconv_open("UTF-8", name.c_str());
  if (handle == invalid_handle()) {
    return make_unexpected("unknown charset \"" + name + "\"");
  }
  return IconvConverter(handle);
}

IconvConverter::IconvConverter(IconvConverter&& other) noexcept
    : handle_(std::exchange(other.handle_, invalid_handle())) {}

IconvConverter& IconvConverter::operator=(IconvConverter&& other) noexcept {
  if (this != &other) {
    if (handle_ != invalid_handle()) {
      iconv_close(handle_);
    }
    handle_ = std::exchange(other.handle_, invalid_handle());
  }
  return *this;
}

IconvConverter::~IconvConverter() {
  if (handle_ != invalid_handle()) {
    iconv_close(handle_);
  }
}

std::string IconvConverter::convert(std::string_view input) {
  iconv(handle_, nullptr, nullptr, nullptr, nullptr);  // back to the initial shift state
  std::string out;
  out.resize(input.size() * 2 + 16);
  // iconv's interface takes non-const input pointers but never writes through them.
  char* in_cursor = const_cast<char*>(input.data());
  std::size_t in_left = input.size();
  std::size_t written = 0;
  while (in_left > 0) {
    char* out_cursor = out.data() + written;
    std::size_t out_left = out.size() - written;
    const std::size_t result = iconv(handle_, &in_cursor, &in_left, &out_cursor, &out_left);
    written = out.size() - out_left;
    if (result != static_cast<std::size_t>(-1)) {
      break;
    }
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
    } else if (errno == EILSEQ) {
      out.resize(written);
      append_utf8(out, replacement_character);
      written = out.size();
      out.resize(written + in_left * 2 + 16);
      ++in_cursor;
      --in_left;
    } else {  // EINVAL: an incomplete sequence at the end of the input
      out.resize(written);
      append_utf8(out, replacement_character);
      written = out.size();
      break;
    }
  }
  out.resize(written);
  return out;
}

std::string canonical_charset(std::string_view label) {
  std::string name(unquote(label));
  std::transform(name.begin(), name.end(), name.begin(), upper_ascii);
  for (const CharsetAlias& alias : charset_aliases) {
    if (alias.label == name) {
      return std::string(alias.charset);
    }
  }
  return name;
}

bool is_single_byte_charset(std::string_view canonical) noexcept {
  return canonical.starts_with("ISO-8859") || canonical.starts_with("ISO8859") ||
         canonical.starts_with("WINDOWS-125") || canonical.starts_with("CP125") || canonical.starts_with("KOI8") ||
         canonical == "MACINTOSH" || canonical == "CP874" || canonical == "IBM866" || canonical == "CP866";
}

std::string charset_from_content_type(std::string_view content_type) {
  std::size_t at = content_type.find(';');
  while (at != std::string_view::npos) {
    const std::size_t next = content_type.find(';', at + 1);
    const std::string_view parameter =
        trim(content_type.substr(at + 1, next == std::string_view::npos ? std::string_view::npos : next - at - 1));
    const std::size_t equals = parameter.find('=');
    if (equals != std::string_view::npos) {
      std::string key(trim(parameter.substr(0, equals)));
      std::transform(key.begin(), key.end(), key.begin(), upper_ascii);
      if (key == "CHARSET") {
        return std::string(unquote(parameter.substr(equals + 1)));
      }
    }
    at = next;
  }
  return {};
}

CharsetDecision detect_xml_charset(std::string_view bytes, std::string_view content_type) {
  // RFC 7303 §3.2 and XML 1.0 Appendix F: a byte order mark outranks everything.
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    return {"UTF-8", CharsetSource::byte_order_mark, 3};
  }
  if (bytes.starts_with(std::string_view("\x00\x00\xFE\xFF", 4))) {
    return {"UTF-32BE", CharsetSource::byte_order_mark, 4};
  }
  if (bytes.starts_with(std::string_view("\xFF\xFE\x00\x00", 4))) {
    return {"UTF-32LE", CharsetSource::byte_order_mark, 4};
  }
  if (bytes.starts_with("\xFE\xFF")) {
    return {"UTF-16BE", CharsetSource::byte_order_mark, 2};
  }
  if (bytes.starts_with("\xFF\xFE")) {
    return {"UTF-16LE", CharsetSource::byte_order_mark, 2};
  }
  if (const std::string from_header = charset_from_content_type(content_type); !from_header.empty()) {
    return {canonical_charset(from_header), CharsetSource::http_header, 0};
  }
  // Appendix F: "<?" in UTF-16 without a BOM.
  if (bytes.starts_with(std::string_view("\x3C\x00\x3F\x00", 4))) {
    return {"UTF-16LE", CharsetSource::utf16_pattern, 0};
  }
  if (bytes.starts_with(std::string_view("\x00\x3C\x00\x3F", 4))) {
    return {"UTF-16BE", CharsetSource::utf16_pattern, 0};
  }
  if (const std::string_view declared = xml_declaration_encoding(bytes.substr(0, 1024)); !declared.empty()) {
    return {canonical_charset(declared), CharsetSource::xml_declaration, 0};
  }
  return {"UTF-8", CharsetSource::none, 0};
}

Expected<std::string, std::string> decode_to_utf8(std::string_view bytes, std::string_view charset) {
  const std::string canonical = canonical_charset(charset);
  if (canonical.empty() || canonical == "UTF-8") {
    return to_valid_utf8(bytes);
  }
  auto converter = IconvConverter::to_utf8_from(canonical);
  if (!converter) {
    return make_unexpected(std::move(converter.error()));
  }
  return converter->convert(bytes);
}

}  // namespace newswatch::text
