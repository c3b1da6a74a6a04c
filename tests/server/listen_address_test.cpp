#include "newswatch/server/listen_address.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace newswatch::server {
namespace {

using ::testing::HasSubstr;

struct GoodAddress {
  const char* text;
  const char* endpoint;  ///< As format_endpoint() writes it back.
};

TEST(ListenAddress, ParsesNumericHostsAndPorts) {
  const GoodAddress table[] = {
      {"127.0.0.1:9180", "127.0.0.1:9180"}, {"[::1]:9180", "[::1]:9180"},     {"0.0.0.0:0", "0.0.0.0:0"},
      {"[::]:65535", "[::]:65535"},         {"localhost:80", "127.0.0.1:80"},
  };
  for (const auto& row : table) {
    const auto parsed = parse_listen_address(row.text);
    ASSERT_TRUE(parsed.has_value()) << row.text << ": " << parsed.error();
    EXPECT_EQ(format_endpoint(*parsed), row.endpoint) << row.text;
  }
}

struct BadAddress {
  const char* text;
  const char* why;
};

TEST(ListenAddress, RejectsWhatItCannotBindExactly) {
  const BadAddress table[] = {
      {"9180", "HOST:PORT"},
      {":9180", "host is missing"},
      {"127.0.0.1:", "port must be"},
      {"127.0.0.1:65536", "port must be"},
      {"127.0.0.1:+80", "port must be"},
      {"127.0.0.1:80x", "port must be"},
      {"::1:9180", "brackets"},
      {"[::1]9180", "[IPv6]:PORT"},
      {"[::1", "[IPv6]:PORT"},
      {"example.org:9180", "numeric"},
      {"300.1.1.1:9180", "numeric"},
  };
  for (const auto& row : table) {
    const auto parsed = parse_listen_address(row.text);
    ASSERT_FALSE(parsed.has_value()) << row.text;
    EXPECT_THAT(parsed.error(), HasSubstr(row.why)) << row.text;
    EXPECT_THAT(parsed.error(), HasSubstr(std::string("\"") + row.text + "\"")) << row.text;
  }
}

}  // namespace
}  // namespace newswatch::server
