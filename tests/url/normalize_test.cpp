#include "newswatch/url/normalize.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace newswatch::url {
namespace {

struct Case {
  std::string_view url;
  std::string_view normal;
};

TEST(Normalize, FollowsRfc3986Section622) {
  const std::vector<Case> cases{
      // §6.2.2.1 case: scheme and host lower, percent-encodings upper.
      {"HTTP://www.Example.COM/A/%2f?Q=%3a#F%3b", "http://www.example.com/A/%2F?Q=%3A#F%3B"},
      // §6.2.2.2 unreserved characters decoded.
      {"http://example.com/%7Euser/%41%2D%5F%2E", "http://example.com/~user/A-_."},
      {"http://%65xample.com/", "http://example.com/"},
      // §6.2.2.3 dot segments.
      {"http://example.com/a/./b/../c/.", "http://example.com/a/c/"},
      {"http://example.com/../a/..", "http://example.com/"},
      {"http://example.com/a/%2E%2E/b", "http://example.com/b"},
      // Relative references keep their dot segments; resolution gives them a meaning.
      {"../a/./b", "../a/./b"},
      // Scheme-based parts stay (§6.2.3 is not syntax).
      {"http://example.com:80", "http://example.com:80"},
      {"http://example.com", "http://example.com"},
      {"mailto:News@Example.COM", "mailto:News@Example.COM"},
      {"http://[2001:DB8::A]/", "http://[2001:db8::a]/"},
      {"http://User%3a@example.com/", "http://User%3A@example.com/"},
  };
  for (const Case& test : cases) {
    const auto normal = normalize(test.url);
    ASSERT_TRUE(normal.has_value()) << test.url << ": " << normal.error().message;
    EXPECT_EQ(*normal, test.normal) << test.url;
  }
}

TEST(Normalize, MapsIrisToUris) {
  const std::vector<Case> cases{
      {"https://Bücher.example/straße?q=ü#é", "https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%BC#%C3%A9"},
      {"https://www.例え.jp/", "https://www.xn--r8jz45g.jp/"},
      {"https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"},
      {"https://b%C3%BCcher.example/", "https://xn--bcher-kva.example/"},
  };
  for (const Case& test : cases) {
    const auto normal = normalize(test.url);
    ASSERT_TRUE(normal.has_value()) << test.url << ": " << normal.error().message;
    EXPECT_EQ(*normal, test.normal) << test.url;
  }
}

TEST(Normalize, EncodesWhatLenientSyntaxLetThrough) {
  EXPECT_EQ(*normalize("https://example.com/a b?x=[1]#a#b", Syntax::lenient),
            "https://example.com/a%20b?x=%5B1%5D#a%23b");
  EXPECT_EQ(*normalize("https://example.com/100%", Syntax::lenient), "https://example.com/100%25");
  EXPECT_FALSE(normalize("https://example.com/a b").has_value());
}

TEST(Normalize, FailsForHostsIdnaRejects) {
  const auto normal = normalize("https://a\xe2\x80\x8f.example/");  // right-to-left mark
  ASSERT_FALSE(normal.has_value());
  EXPECT_EQ(normal.error().position, 8U);
  EXPECT_NE(normal.error().message.find("is not a valid internationalised domain name"), std::string::npos);
}

}  // namespace
}  // namespace newswatch::url
