// libFuzzer target: read_opml must return feeds or an error for any bytes, never crash, and what it
// returns must be valid UTF-8 with absolute http(s) URLs; writing those feeds back and reading the
// result must give the same feeds. Seeds: tests/fuzz/seeds/opml.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "newswatch/parse/opml.hpp"
#include "newswatch/text/utf8.hpp"

namespace {

void require(bool condition) {
  if (!condition) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto document = newswatch::parse::read_opml(bytes);
  if (!document) {
    return 0;
  }
  require(!document->feeds.empty());
  std::vector<newswatch::parse::OpmlOutline> outlines;
  for (const auto& feed : document->feeds) {
    require(newswatch::text::is_valid_utf8(feed.title));
    require(feed.xml_url.size() > 5 && (feed.xml_url[0] | 0x20) == 'h' && (feed.xml_url[1] | 0x20) == 't');
    for (const auto& category : feed.categories) {
      require(!category.empty() && newswatch::text::is_valid_utf8(category));
    }
    outlines.push_back({feed.title, feed.xml_url, {}});
  }
  const auto again = newswatch::parse::read_opml(newswatch::parse::write_opml(document->title, outlines));
  require(again.has_value());
  require(again->feeds.size() == document->feeds.size());
  for (std::size_t i = 0; i < outlines.size(); ++i) {
    require(again->feeds[i].title == document->feeds[i].title);
    require(again->feeds[i].xml_url == document->feeds[i].xml_url);
  }
  return 0;
}
