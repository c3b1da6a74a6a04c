#include "newswatch/url/url.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace newswatch::url {
namespace {

struct Parts {
  std::string_view text;
  std::string_view scheme;
  std::string_view userinfo;
  std::string_view host;
  std::string_view port;
  std::string_view path;
  std::string_view query;
  std::string_view fragment;
};

TEST(UrlParse, SplitsEveryComponent) {
  const std::vector<Parts> cases{
      {"https://user:pw@News.Example.com:8443/a/b;p?q=1&r#frag", "https", "user:pw", "News.Example.com", "8443",
       "/a/b;p", "q=1&r", "frag"},
      {"http://example.com", "http", "", "example.com", "", "", "", ""},
      {"http://[2001:db8::1]:8080/x", "http", "", "[2001:db8::1]", "8080", "/x", "", ""},
      {"http://[v1.fe80::a]/", "http", "", "[v1.fe80::a]", "", "/", "", ""},
      {"http://192.0.2.7/", "http", "", "192.0.2.7", "", "/", "", ""},
      {"mailto:news@example.com", "mailto", "", "", "", "news@example.com", "", ""},
      {"urn:uuid:1234", "urn", "", "", "", "uuid:1234", "", ""},
      {"file:///srv/feeds/a.xml", "file", "", "", "", "/srv/feeds/a.xml", "", ""},
      {"//cdn.example.com/img.jpg", "", "", "cdn.example.com", "", "/img.jpg", "", ""},
      {"../story?id=1#top", "", "", "", "", "../story", "id=1", "top"},
      {"?page=2", "", "", "", "", "", "page=2", ""},
      {"", "", "", "", "", "", "", ""},
  };
  for (const Parts& test : cases) {
    SCOPED_TRACE(test.text);
    const auto url = Url::parse(test.text);
    ASSERT_TRUE(url.has_value()) << url.error().message;
    EXPECT_EQ(url->text(), test.text);
    EXPECT_EQ(url->scheme(), test.scheme);
    EXPECT_EQ(url->userinfo(), test.userinfo);
    EXPECT_EQ(url->host(), test.host);
    EXPECT_EQ(url->port(), test.port);
    EXPECT_EQ(url->path(), test.path);
    EXPECT_EQ(url->query(), test.query);
    EXPECT_EQ(url->fragment(), test.fragment);
  }
}

TEST(UrlParse, TellsAbsentFromEmptyComponents) {
  const auto empty = Url::parse("http://h:?#");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->has_port());
  EXPECT_TRUE(empty->has_query());
  EXPECT_TRUE(empty->has_fragment());
  const auto absent = Url::parse("http://h");
  ASSERT_TRUE(absent.has_value());
  EXPECT_FALSE(absent->has_port());
  EXPECT_FALSE(absent->has_query());
  EXPECT_FALSE(absent->has_fragment());

  const auto no_host = Url::parse("https:///rss");
  ASSERT_TRUE(no_host.has_value());
  EXPECT_TRUE(no_host->is_absolute());
  EXPECT_TRUE(no_host->has_authority());
  EXPECT_EQ(no_host->host_kind(), HostKind::none);
  EXPECT_EQ(no_host->host_span(), (Span{8, 8}));
  EXPECT_EQ(no_host->path(), "/rss");

  const auto relative = Url::parse("story/1");
  ASSERT_TRUE(relative.has_value());
  EXPECT_FALSE(relative->is_absolute());
  EXPECT_FALSE(relative->has_authority());
}

TEST(UrlParse, KnowsWhatKindOfHostItNames) {
  EXPECT_EQ(Url::parse("http://example.com/")->host_kind(), HostKind::name);
  EXPECT_EQ(Url::parse("http://192.0.2.7/")->host_kind(), HostKind::ipv4);
  EXPECT_EQ(Url::parse("http://[::1]/")->host_kind(), HostKind::ipv6);
  EXPECT_EQ(Url::parse("http://[v7.x]/")->host_kind(), HostKind::ip_future);
  EXPECT_EQ(Url::parse("mailto:a@example.com")->host_kind(), HostKind::none);
}

TEST(UrlParse, SpansTheHostInTheTextAsWritten) {
  const std::string text = "https://user@WWW.Example.com.:443/a";
  const auto url = Url::parse(text);
  ASSERT_TRUE(url.has_value());
  const Span host = url->host_span();
  EXPECT_EQ(text.substr(host.begin, host.size()), "WWW.Example.com.");
  const auto literal = Url::parse("http://[::1]:80/");
  ASSERT_TRUE(literal.has_value());
  EXPECT_EQ(literal->host_span(), (Span{7, 12}));
}

TEST(UrlParse, ReadsIrisWithSpansIntoTheUnicodeText) {
  const std::string text = "https://bücher.example/straße?q=ü#café";
  const auto url = Url::parse(text);
  ASSERT_TRUE(url.has_value()) << url.error().message;
  EXPECT_EQ(url->host(), "bücher.example");
  EXPECT_EQ(url->path(), "/straße");
  EXPECT_EQ(url->query(), "q=ü");
  EXPECT_EQ(url->fragment(), "café");
  EXPECT_EQ(url->host_span(), (Span{8, 23}));
}

TEST(UrlParse, RejectsWhatRfc3986DoesNotAllowAndSaysWhere) {
  struct Case {
    std::string_view text;
    std::size_t position;
    std::string_view message;
  };
  const std::vector<Case> cases{
      {"https://exa mple.com/", 11, "' ' at byte 12 is not allowed there"},
      {"https://example.com/a b", 21, "' ' at byte 22 is not allowed there"},
      {"https://example.com/?a[]=1", 22, "'[' at byte 23 is not allowed there"},
      {"https://example.com/100%", 23, "'%' at byte 24 starts no percent-encoding"},
      {"https://example.com/%zz", 20, "'%' at byte 21 starts no percent-encoding"},
      {"https://example.com:8x/", 22, "'/' at byte 23 is not allowed there"},
      {"https://example.com/\n", 20, "byte 0x0A at byte 21 is not allowed there"},
      {"http://[::1/", 11, "'/' at byte 12 is not allowed there"},
      {"ht tp://example.com/", 2, "' ' at byte 3 is not allowed there"},
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(test.text);
    const auto url = Url::parse(test.text);
    ASSERT_FALSE(url.has_value());
    EXPECT_EQ(url.error().position, test.position);
    EXPECT_EQ(url.error().message, test.message);
  }
}

TEST(UrlParse, LenientSyntaxAcceptsWhatFeedLinksCarry) {
  const std::vector<std::string_view> accepted{
      "https://example.com/a b",   "https://example.com/?a[]=1",     "https://example.com/100%",
      "https://example.com/a#b#c", "https://example.com/\"quoted\"", "https://example.com/{x}|^`\\",
  };
  for (const std::string_view text : accepted) {
    const auto url = Url::parse(text, Syntax::lenient);
    ASSERT_TRUE(url.has_value()) << text;
    EXPECT_EQ(url->host(), "example.com");
  }
  const auto fragment = Url::parse("https://example.com/a#b#c", Syntax::lenient);
  EXPECT_EQ(fragment->fragment(), "b#c");
  const auto spaced = Url::parse("https://example.com/a b?c d", Syntax::lenient);
  EXPECT_EQ(spaced->path(), "/a b");
  EXPECT_EQ(spaced->query(), "c d");
  // The host gets no leeway: a space there is no host at all.
  EXPECT_FALSE(Url::parse("https://exa mple.com/", Syntax::lenient).has_value());
}

TEST(SchemeOf, FindsAnRfc3986Scheme) {
  EXPECT_EQ(scheme_of("https://x"), "https");
  EXPECT_EQ(scheme_of("svn+ssh://x"), "svn+ssh");
  EXPECT_EQ(scheme_of("mailto:a@b"), "mailto");
  EXPECT_EQ(scheme_of("/a:b"), "");
  EXPECT_EQ(scheme_of("1http://x"), "");
  EXPECT_EQ(scheme_of("http"), "");
  EXPECT_EQ(scheme_of(""), "");
  EXPECT_TRUE(has_scheme("x:"));
  EXPECT_FALSE(has_scheme("a b:c"));
}

}  // namespace
}  // namespace newswatch::url
