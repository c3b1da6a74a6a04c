#include "newswatch/url/resolve.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace newswatch::url {
namespace {

struct ResolveCase {
  std::string_view name;
  std::string_view base;
  std::string_view reference;
  std::string_view resolved;
};

// RFC 3986 §5.4.1 and §5.4.2, base http://a/b/c/d;p?q.
const ResolveCase rfc_cases[] = {
    {"normal_scheme", "http://a/b/c/d;p?q", "g:h", "g:h"},
    {"normal_g", "http://a/b/c/d;p?q", "g", "http://a/b/c/g"},
    {"normal_dot_g", "http://a/b/c/d;p?q", "./g", "http://a/b/c/g"},
    {"normal_g_slash", "http://a/b/c/d;p?q", "g/", "http://a/b/c/g/"},
    {"normal_absolute_path", "http://a/b/c/d;p?q", "/g", "http://a/g"},
    {"normal_network_path", "http://a/b/c/d;p?q", "//g", "http://g"},
    {"normal_query", "http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y"},
    {"normal_g_query", "http://a/b/c/d;p?q", "g?y", "http://a/b/c/g?y"},
    {"normal_fragment", "http://a/b/c/d;p?q", "#s", "http://a/b/c/d;p?q#s"},
    {"normal_g_fragment", "http://a/b/c/d;p?q", "g#s", "http://a/b/c/g#s"},
    {"normal_g_query_fragment", "http://a/b/c/d;p?q", "g?y#s", "http://a/b/c/g?y#s"},
    {"normal_semicolon_x", "http://a/b/c/d;p?q", ";x", "http://a/b/c/;x"},
    {"normal_g_semicolon_x", "http://a/b/c/d;p?q", "g;x", "http://a/b/c/g;x"},
    {"normal_g_semicolon_x_query_fragment", "http://a/b/c/d;p?q", "g;x?y#s", "http://a/b/c/g;x?y#s"},
    {"normal_empty", "http://a/b/c/d;p?q", "", "http://a/b/c/d;p?q"},
    {"normal_dot", "http://a/b/c/d;p?q", ".", "http://a/b/c/"},
    {"normal_dot_slash", "http://a/b/c/d;p?q", "./", "http://a/b/c/"},
    {"normal_dot_dot", "http://a/b/c/d;p?q", "..", "http://a/b/"},
    {"normal_dot_dot_slash", "http://a/b/c/d;p?q", "../", "http://a/b/"},
    {"normal_dot_dot_g", "http://a/b/c/d;p?q", "../g", "http://a/b/g"},
    {"normal_dot_dot_dot_dot", "http://a/b/c/d;p?q", "../..", "http://a/"},
    {"normal_dot_dot_dot_dot_slash", "http://a/b/c/d;p?q", "../../", "http://a/"},
    {"normal_dot_dot_dot_dot_g", "http://a/b/c/d;p?q", "../../g", "http://a/g"},
    {"abnormal_too_many_dot_dots", "http://a/b/c/d;p?q", "../../../g", "http://a/g"},
    {"abnormal_far_too_many_dot_dots", "http://a/b/c/d;p?q", "../../../../g", "http://a/g"},
    {"abnormal_absolute_dot", "http://a/b/c/d;p?q", "/./g", "http://a/g"},
    {"abnormal_absolute_dot_dot", "http://a/b/c/d;p?q", "/../g", "http://a/g"},
    {"abnormal_g_dot", "http://a/b/c/d;p?q", "g.", "http://a/b/c/g."},
    {"abnormal_dot_g", "http://a/b/c/d;p?q", ".g", "http://a/b/c/.g"},
    {"abnormal_g_dot_dot", "http://a/b/c/d;p?q", "g..", "http://a/b/c/g.."},
    {"abnormal_dot_dot_g", "http://a/b/c/d;p?q", "..g", "http://a/b/c/..g"},
    {"abnormal_dot_dot_slash_dot_g", "http://a/b/c/d;p?q", "./../g", "http://a/b/g"},
    {"abnormal_dot_g_dot", "http://a/b/c/d;p?q", "./g/.", "http://a/b/c/g/"},
    {"abnormal_g_dot_h", "http://a/b/c/d;p?q", "g/./h", "http://a/b/c/g/h"},
    {"abnormal_g_dot_dot_h", "http://a/b/c/d;p?q", "g/../h", "http://a/b/c/h"},
    {"abnormal_g_semicolon_dot", "http://a/b/c/d;p?q", "g;x=1/./y", "http://a/b/c/g;x=1/y"},
    {"abnormal_g_semicolon_dot_dot", "http://a/b/c/d;p?q", "g;x=1/../y", "http://a/b/c/y"},
    {"abnormal_query_dot", "http://a/b/c/d;p?q", "g?y/./x", "http://a/b/c/g?y/./x"},
    {"abnormal_query_dot_dot", "http://a/b/c/d;p?q", "g?y/../x", "http://a/b/c/g?y/../x"},
    {"abnormal_fragment_dot", "http://a/b/c/d;p?q", "g#s/./x", "http://a/b/c/g#s/./x"},
    {"abnormal_fragment_dot_dot", "http://a/b/c/d;p?q", "g#s/../x", "http://a/b/c/g#s/../x"},
    {"abnormal_strict_same_scheme", "http://a/b/c/d;p?q", "http:g", "http:g"},
};

class ResolveRfc3986 : public ::testing::TestWithParam<ResolveCase> {};

TEST_P(ResolveRfc3986, GivesTheSpecifiedTarget) {
  const auto resolved = resolve(GetParam().base, GetParam().reference);
  ASSERT_TRUE(resolved.has_value()) << resolved.error().message;
  EXPECT_EQ(*resolved, GetParam().resolved);
}

INSTANTIATE_TEST_SUITE_P(Examples, ResolveRfc3986, ::testing::ValuesIn(rfc_cases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(Resolve, KeepsComponentsAsWritten) {
  EXPECT_EQ(*resolve("https://Example.COM/News/", "Story%7e1?Q=%41"), "https://Example.COM/News/Story%7e1?Q=%41");
  EXPECT_EQ(*resolve("http://[2001:DB8::1]:8080/a/", "b"), "http://[2001:DB8::1]:8080/a/b");
  EXPECT_EQ(*resolve("https://user@example.com/a", "b"), "https://user@example.com/b");
  EXPECT_EQ(*resolve("https://news.example", "story/1"), "https://news.example/story/1");
  EXPECT_EQ(*resolve("https://bücher.example/straße/", "weg"), "https://bücher.example/straße/weg");
}

TEST(Resolve, FailsForARelativeBaseOrBadSyntax) {
  EXPECT_EQ(resolve("/feed", "story").error().message, "base \"/feed\" is not an absolute URL");
  EXPECT_EQ(resolve("https://x/", "a b").error().message, "reference: ' ' at byte 2 is not allowed there");
  EXPECT_EQ(resolve("https://x y/", "a").error().message, "base: ' ' at byte 10 is not allowed there");
  EXPECT_EQ(*resolve("https://x/", "a b", Syntax::lenient), "https://x/a b");
}

struct LinkCase {
  std::string_view name;
  std::string_view base;
  std::string_view reference;
  std::string_view resolved;
};

const LinkCase link_cases[] = {
    {"relative", "https://news.example/world/index.html", "story/1", "https://news.example/world/story/1"},
    {"absolute_path", "https://news.example/world/", "/sport", "https://news.example/sport"},
    {"absolute_reference", "http://a/b", "https://x.example/y", "https://x.example/y"},
    {"absolute_reference_with_dots", "http://a/b", "https://x.example/a/../y", "https://x.example/y"},
    {"trimmed", "https://news.example/", "  /a \n", "https://news.example/a"},
    {"trimmed_base", " https://news.example/ ", "a", "https://news.example/a"},
    {"empty_reference_stays_empty", "https://news.example/", "", ""},
    {"blank_reference_is_empty", "https://news.example/", " \t ", ""},
    {"relative_base_leaves_reference", "/feed", "story", "story"},
    {"empty_base_leaves_reference", "", "story", "story"},
    {"mailto_reference", "https://x/", "mailto:a@b", "mailto:a@b"},
    {"spaces_in_path", "https://news.example/a b/", "c d", "https://news.example/a b/c d"},
    {"brackets_in_query", "https://news.example/list", "?ids[]=1", "https://news.example/list?ids[]=1"},
    {"unicode_path", "https://news.example/haber/", "türkiye", "https://news.example/haber/türkiye"},
    {"unreadable_reference_unchanged", "https://news.example/", "http://exa mple/x", "http://exa mple/x"},
    {"unreadable_base_leaves_reference", "https://exa mple/", "story", "story"},
};

class ResolveLink : public ::testing::TestWithParam<LinkCase> {};

TEST_P(ResolveLink, ResolvesFeedLinksForgivingly) {
  EXPECT_EQ(resolve_link(GetParam().base, std::string(GetParam().reference)), GetParam().resolved);
}

INSTANTIATE_TEST_SUITE_P(Table, ResolveLink, ::testing::ValuesIn(link_cases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(ResolveLink, ReturnsAnAbsoluteLinkWithoutCopyingIt) {
  std::string link(200, 'a');
  link.replace(0, 20, "https://example.com/");
  const char* buffer = link.data();
  const std::string resolved = resolve_link("https://base.example/", std::move(link));
  EXPECT_EQ(resolved.data(), buffer);
}

}  // namespace
}  // namespace newswatch::url
