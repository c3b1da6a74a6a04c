// libFuzzer target: parse_feed must return a feed or an error for any bytes, never crash, and
// whatever it returns must be valid UTF-8. Seeds: tests/fuzz/seeds/parse_feed (the project's fixtures).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "newswatch/parse/parse_feed.hpp"
#include "newswatch/text/utf8.hpp"

namespace {

void require_utf8(std::string_view text) {
  if (!newswatch::text::is_valid_utf8(text)) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // The first byte picks a charset hint so the HTTP-header path is fuzzed too.
  static constexpr const char* content_types[] = {"", "text/xml; charset=utf-8",
                                                  "application/rss+xml; charset=windows-1251",
                                                  "text/xml; charset=shift_jis", "text/xml; charset=utf-16"};
  const newswatch::parse::ParseHints hints{size > 0 ? content_types[data[0] % std::size(content_types)] : "",
                                           "https://fuzz.example/feed"};
  const auto parsed = newswatch::parse::parse_feed(bytes, hints);
  if (!parsed) {
    return 0;
  }
  require_utf8(parsed->title);
  require_utf8(parsed->link);
  for (const newswatch::Item& item : parsed->items) {
    require_utf8(item.id);
    require_utf8(item.title);
    require_utf8(item.link);
    require_utf8(item.summary);
    require_utf8(item.content);
    for (const std::string& author : item.authors) {
      require_utf8(author);
    }
  }
  return 0;
}
