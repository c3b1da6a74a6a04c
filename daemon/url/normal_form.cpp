#include "normal_form.hpp"

#include "percent_encoding.hpp"

namespace newswatch::url::detail {

void append_normalized_path(std::string& out, const ParsedUri& parsed) {
  const UriUriA& uri = parsed.uri();
  if (!has_leading_slash(uri)) {
    for (const UriPathSegmentA* segment = uri.pathHead; segment != nullptr; segment = segment->next) {
      append_normalized(out, parsed.original(segment->text));
      if (segment->next != nullptr) {
        out.push_back('/');
      }
    }
    return;
  }
  if (uri.pathHead == nullptr) {
    out.push_back('/');
    return;
  }
  // remove_dot_segments over the parsed segments: each is written as "/segment", then taken back
  // when it is "." or ".."; ".." also takes back the segment before it. A dot segment at the end
  // leaves the path ending in '/' (RFC 3986 §5.2.4 steps 2B and 2C).
  const std::size_t path_start = out.size();
  for (const UriPathSegmentA* segment = uri.pathHead; segment != nullptr; segment = segment->next) {
    const std::size_t segment_start = out.size();
    out.push_back('/');
    append_normalized(out, parsed.original(segment->text));
    const std::string_view written = std::string_view(out).substr(segment_start + 1);
    const bool dot = written == ".";
    const bool dot_dot = written == "..";
    if (!dot && !dot_dot) {
      continue;
    }
    out.resize(segment_start);
    if (dot_dot) {
      const std::size_t parent = out.rfind('/');
      out.resize(parent == std::string::npos || parent < path_start ? path_start : parent);
    }
    if (segment->next == nullptr) {
      out.push_back('/');
    }
  }
  // Without an authority, a path that now starts with "//" would read as one ("x:/.//a" is not
  // "x://a"): keep a "/." in front, as RFC 3986 §5.2.4 leaves it to the writer to do.
  if (uri.hostText.first == nullptr && std::string_view(out).substr(path_start).starts_with("//")) {
    out.insert(path_start, "/.");
  }
}

}  // namespace newswatch::url::detail
