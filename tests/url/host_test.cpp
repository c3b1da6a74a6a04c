#include "newswatch/url/host.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "newswatch/url/registrable_domain.hpp"

namespace newswatch::url {
namespace {

struct Case {
  std::string_view input;
  std::string_view output;
};

TEST(ToAsciiHost, LowerCasesAndWritesUnicodeLabelsAsALabels) {
  const std::vector<Case> cases{
      {"WWW.Example.COM", "www.example.com"},
      {"bücher.example", "xn--bcher-kva.example"},
      {"BÜCHER.example", "xn--bcher-kva.example"},
      {"b%C3%BCcher.example", "xn--bcher-kva.example"},
      {"%65xample.com", "example.com"},
      {"例え.jp.", "xn--r8jz45g.jp."},
      {"faß.de", "xn--fa-hia.de"},  // UTS #46 non-transitional: ß stays (IDNA2008)
      {"[2001:DB8::1]", "[2001:db8::1]"},
      {"192.0.2.1", "192.0.2.1"},
  };
  for (const Case& test : cases) {
    const auto host = to_ascii_host(test.input);
    ASSERT_TRUE(host.has_value()) << test.input << ": " << host.error().message;
    EXPECT_EQ(*host, test.output) << test.input;
  }
  EXPECT_FALSE(to_ascii_host("a\xe2\x80\x8f.example").has_value());
}

TEST(HostName, GivesTheLowerCaseAsciiHostWithoutTrailingDot) {
  const std::vector<Case> cases{
      {"https://user:pw@WWW.TRTWorld.com.:443/rss", "www.trtworld.com"},
      {"http://[::1]:8080/feed", "[::1]"},
      {"https://bücher.example/", "xn--bcher-kva.example"},
      {"https:///rss", ""},
      {"mailto:a@example.com", ""},
      {"/relative", ""},
  };
  for (const Case& test : cases) {
    const auto url = Url::parse(test.input);
    ASSERT_TRUE(url.has_value()) << test.input;
    EXPECT_EQ(host_name(*url), test.output) << test.input;
  }
}

TEST(RegistrableDomain, FollowsThePublicSuffixList) {
  const std::vector<Case> cases{
      {"www.bbc.co.uk", "bbc.co.uk"},
      {"feeds.bbci.co.uk", "bbci.co.uk"},
      {"www.trtworld.com", "trtworld.com"},
      {"WWW.AlJazeera.com.", "aljazeera.com"},
      {"example.com", "example.com"},
      {"a.b.example.blogspot.com", "example.blogspot.com"},  // private section of the list
      {"news.gov.uk", "news.gov.uk"},
      {"haber.türkiye.tr", "xn--trkiye-3ya.tr"},
      {"co.uk", ""},
      {"com", ""},
      {"192.0.2.1", ""},
      {"[2001:db8::1]", ""},
      {"", ""},
  };
  for (const Case& test : cases) {
    EXPECT_EQ(registrable_domain(test.input), test.output) << test.input;
  }
}

}  // namespace
}  // namespace newswatch::url
