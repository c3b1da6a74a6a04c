// Any byte string as a query: parse_query must return a Query or a QueryError (column within the
// query plus one), never crash, hang or recurse without bound; a parsed query prints and renders.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "newswatch/rules/query.hpp"
#include "newswatch/text/tokenizer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  const auto parsed = newswatch::rules::parse_query(query);
  if (parsed) {
    if (parsed->to_string().empty()) {
      std::abort();
    }
    return 0;
  }
  const auto& error = parsed.error();
  if (error.column < 1 || error.column > newswatch::text::count_code_points(query) + 1 || error.message.empty()) {
    std::abort();
  }
  (void)newswatch::rules::render_query_error("fuzz", query, error);
  return 0;
}
