#include "newswatch/parse/url.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace newswatch::parse {
namespace {

struct UrlCase {
  std::string_view name;
  std::string_view base;
  std::string_view reference;
  std::string_view resolved;
};

// RFC 3986 §5.4.1 examples (base http://a/b/c/d;p?q) plus feed cases.
const UrlCase url_cases[] = {
    {"rfc_g", "http://a/b/c/d;p?q", "g", "http://a/b/c/g"},
    {"rfc_dot_g", "http://a/b/c/d;p?q", "./g", "http://a/b/c/g"},
    {"rfc_g_slash", "http://a/b/c/d;p?q", "g/", "http://a/b/c/g/"},
    {"rfc_absolute_path", "http://a/b/c/d;p?q", "/g", "http://a/g"},
    {"rfc_network_path", "http://a/b/c/d;p?q", "//g", "http://g"},
    {"rfc_query", "http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y"},
    {"rfc_g_query", "http://a/b/c/d;p?q", "g?y", "http://a/b/c/g?y"},
    {"rfc_fragment", "http://a/b/c/d;p?q", "#s", "http://a/b/c/d;p?q#s"},
    {"rfc_dot_dot", "http://a/b/c/d;p?q", "../g", "http://a/b/g"},
    {"rfc_dot_dot_dot_dot", "http://a/b/c/d;p?q", "../../g", "http://a/g"},
    {"rfc_too_many_dot_dots", "http://a/b/c/d;p?q", "../../../g", "http://a/g"},
    {"rfc_dot", "http://a/b/c/d;p?q", ".", "http://a/b/c/"},
    {"absolute_reference", "http://a/b", "https://x.example/y", "https://x.example/y"},
    {"authority_only_base", "https://news.example", "story/1", "https://news.example/story/1"},
    {"trimmed", "https://news.example/", "  /a \n", "https://news.example/a"},
    {"empty_reference_stays_empty", "https://news.example/", "", ""},
    {"relative_base_leaves_reference", "/feed", "story", "story"},
    {"mailto_reference", "https://x/", "mailto:a@b", "mailto:a@b"},
};

class UrlResolve : public ::testing::TestWithParam<UrlCase> {};

TEST_P(UrlResolve, FollowsRfc3986) {
  EXPECT_EQ(resolve_url(GetParam().base, std::string(GetParam().reference)), GetParam().resolved);
}

INSTANTIATE_TEST_SUITE_P(Table, UrlResolve, ::testing::ValuesIn(url_cases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

}  // namespace
}  // namespace newswatch::parse
