#pragma once

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace newswatch::testing {

/// The bytes of tests/data/feeds/<name>; throws when missing so a test fails loudly.
inline std::string read_feed_fixture(const std::string& name) {
  const std::string path = std::string(NEWSWATCH_TEST_DATA_DIR) + "/feeds/" + name;
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw std::runtime_error("missing fixture " + path);
  }
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

}  // namespace newswatch::testing
