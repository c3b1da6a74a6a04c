#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <utility>

#include "newswatch/parse/parse_feed.hpp"

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

/// Parses `bytes`, failing the current test (and returning an empty feed) when that fails.
inline parse::ParsedFeed parse_ok(const std::string& bytes, const parse::ParseHints& hints = {}) {
  auto parsed = parse::parse_feed(bytes, hints);
  if (!parsed) {
    ADD_FAILURE() << parsed.error().message;
    return {};
  }
  return std::move(*parsed);
}

}  // namespace newswatch::testing
