// Any bytes as a stored term-frequency sketch (the store's term_frequencies row, which a damaged or
// foreign database can hold): deserialize() must not crash, and a sketch it accepts must survive
// serialize() and deserialize() again unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "newswatch/rules/term_frequencies.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto sketch = newswatch::rules::TermFrequencies::deserialize(bytes);
  if (!sketch) {
    return 0;
  }
  const auto again = newswatch::rules::TermFrequencies::deserialize(sketch->serialize());
  if (!again || !(*again == *sketch)) {
    std::abort();
  }
  return 0;
}
