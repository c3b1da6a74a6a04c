#include "newswatch/url/canonical.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace newswatch::url {
namespace {

struct Case {
  std::string_view link;
  std::string_view identity;
};

void expect_identities(const std::vector<Case>& cases, const CanonicalOptions& options = {}) {
  for (const Case& test : cases) {
    EXPECT_EQ(canonical_identity(test.link, options), test.identity) << test.link;
  }
}

// Links as outlets publish them in their feeds (XML entities decoded).
TEST(CanonicalIdentity, ReducesPublishedFeedLinks) {
  expect_identities({
      {"https://www.bbc.co.uk/news/articles/cevmdxz4872o?at_medium=RSS&at_campaign=rss",
       "https://bbc.co.uk/news/articles/cevmdxz4872o"},
      {"https://www.bbc.co.uk/news/articles/cevmdxz4872o#0", "https://bbc.co.uk/news/articles/cevmdxz4872o"},
      {"https://www.bbc.co.uk/news/videos/c74gzknyyz2o?at_medium=RSS&at_campaign=rss",
       "https://bbc.co.uk/news/videos/c74gzknyyz2o"},
      {"http://www.bbc.com/urdu/pakistan-42575603", "https://bbc.com/urdu/pakistan-42575603"},
      {"http://www.bbc.co.uk/zhongwen/simp/world/2013/01/130123_us_genallen_nato.shtml",
       "https://bbc.co.uk/zhongwen/simp/world/2013/01/130123_us_genallen_nato.shtml"},
      {"http://feeds.reuters.com/~r/Reuters/worldNews/~3/ilKUCdKYYyM/"
       "u-s-general-says-north-korea-not-demonstrated-all-components-of-icbm-idUSKBN1FJ2J0",
       "https://feeds.reuters.com/~r/Reuters/worldNews/~3/ilKUCdKYYyM/"
       "u-s-general-says-north-korea-not-demonstrated-all-components-of-icbm-idUSKBN1FJ2J0"},
      {"http://www.reuters.com/article/us-northkorea-missiles-usa-idUSKBN1FJ2J0",
       "https://reuters.com/article/us-northkorea-missiles-usa-idUSKBN1FJ2J0"},
      {"https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord",
       "https://theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord"},
      {"http://www.nytimes.com/2013/05/06/nyregion/epa-plan-to-clean-up-gowanus-canal-meets-local-resistance.html"
       "?partner=rss&emc=rss",
       "https://nytimes.com/2013/05/06/nyregion/epa-plan-to-clean-up-gowanus-canal-meets-local-resistance.html"
       "?emc=rss&partner=rss"},
      {"https://www.nytimes.com/wirecutter/blog/how-to-teach-someone-a-board-game/"
       "?utm_source=rss&utm_medium=feed&utm_campaign=RSS%20Feed",
       "https://nytimes.com/wirecutter/blog/how-to-teach-someone-a-board-game"},
      {"http://www.dailymail.co.uk/news/article-2272640/Could-infamous-Black-Dahlia-case-solved.html"
       "?ITO=1490&ns_mchannel=rss&ns_campaign=1490",
       "https://dailymail.co.uk/news/article-2272640/Could-infamous-Black-Dahlia-case-solved.html"},
      {"https://www.dw.com/en/sudan-civil-war-civilians-used-as-human-shields/a-78089487?maca=en-rss-en-all-1573-rdf",
       "https://dw.com/en/sudan-civil-war-civilians-used-as-human-shields/a-78089487?maca=en-rss-en-all-1573-rdf"},
      {"http://www.lemonde.fr/societe/article/2018/02/10/affaire-maelys_5254773_3224.html?xtor=RSS-3208",
       "https://lemonde.fr/societe/article/2018/02/10/affaire-maelys_5254773_3224.html"},
      {"https://www.bing.com:443/news/search?q=madrid&format=rss", "https://bing.com/news/search?format=rss&q=madrid"},
      {"https://bloomberg.com/markets/", "https://bloomberg.com/markets"},
      {"https://www.nbcnewyork.com/news/local/nyc-cops-search-for-stabbing-suspect/4956764/",
       "https://nbcnewyork.com/news/local/nyc-cops-search-for-stabbing-suspect/4956764"},
      {"https://www.skysports.com/football/news/11669/11719097/"
       "premier-league-transfer-window-who-should-liverpool-sign",
       "https://skysports.com/football/news/11669/11719097/premier-league-transfer-window-who-should-liverpool-sign"},
      {"https://suspilne.media/645038-vibuhi-na-hmelnicini-22-grudna-so-vidomo/",
       "https://suspilne.media/645038-vibuhi-na-hmelnicini-22-grudna-so-vidomo"},
      {"http://tokyodrift.jp/%E3%83%90%E3%83%B3%E3%82%B3%E3%82%AF.html",
       "https://tokyodrift.jp/%E3%83%90%E3%83%B3%E3%82%B3%E3%82%AF.html"},
      {"http://www.cyklistbloggen.se/wp-content/uploads/2013/03/nästan-hälften.png",
       "https://cyklistbloggen.se/wp-content/uploads/2013/03/n%C3%A4stan-h%C3%A4lften.png"},
      {"https://de.wikipedia.org/wiki/Alien_–_Das_unheimliche_Wesen_aus_einer_fremden_Welt",
       "https://de.wikipedia.org/wiki/Alien_%E2%80%93_Das_unheimliche_Wesen_aus_einer_fremden_Welt"},
      {"https://myrskyla.fi/kuulutukset/julkipano-ymparistolupapaatoksesta-2/"
       "?utm_source=rss&utm_medium=rss&utm_campaign=julkipano-ymparistolupapaatoksesta-2",
       "https://myrskyla.fi/kuulutukset/julkipano-ymparistolupapaatoksesta-2"},
      {"https://www.virtualbox.org/ticket/10860#comment:1", "https://virtualbox.org/ticket/10860"},
      {"https://diskuse.jakpsatweb.cz/?action=vthread&forum=18&topic=173233#post-1112174",
       "https://diskuse.jakpsatweb.cz/?action=vthread&forum=18&topic=173233"},
      {"http://www.amazon.com/Rails-Way-Addison-Wesley-Professional-Ruby/dp/0321445619/ref=pd_bbs_sr_1"
       "?ie=UTF8&s=books&qid=1220884544&sr=8-1",
       "https://amazon.com/Rails-Way-Addison-Wesley-Professional-Ruby/dp/0321445619/ref=pd_bbs_sr_1"
       "?ie=UTF8&qid=1220884544&s=books&sr=8-1"},
      {"http://www.baseball-reference.com/players/a/alberma01.shtml"
       "?utm_campaign=Linker&utm_source=direct&utm_medium=linker-www.typepad.com",
       "https://baseball-reference.com/players/a/alberma01.shtml"},
  });
}

TEST(CanonicalIdentity, LowerCasesSchemeAndHostButNotPathOrQuery) {
  expect_identities({
      {"HTTPS://News.Example.COM/World/Story?ID=Ab", "https://news.example.com/World/Story?ID=Ab"},
      {"https://EXAMPLE.org.", "https://example.org/"},
  });
}

TEST(CanonicalIdentity, TreatsHttpAndHttpsAsOne) {
  EXPECT_EQ(canonical_identity("http://example.com/a"), canonical_identity("https://example.com/a"));
  EXPECT_EQ(canonical_identity("http://example.com/a"), "https://example.com/a");
}

TEST(CanonicalIdentity, DropsLeadingWwwAndDefaultPortsButKeepsOthers) {
  expect_identities({
      {"https://www.example.com/a", "https://example.com/a"},
      {"http://example.com:80/a", "https://example.com/a"},
      {"https://example.com:443/a", "https://example.com/a"},
      {"https://example.com:/a", "https://example.com/a"},
      {"https://example.com:8443/a", "https://example.com:8443/a"},
      {"http://example.com:443/a", "https://example.com:443/a"},
      {"https://www.com/a", "https://www.com/a"},
      {"https://wwwexample.com/a", "https://wwwexample.com/a"},
      {"https://user@www.example.com/a", "https://user@example.com/a"},
      {"http://192.0.2.1/a", "https://192.0.2.1/a"},
      {"http://[2001:DB8::1]:80/a", "https://[2001:db8::1]/a"},
  });
}

TEST(CanonicalIdentity, DropsTheFragment) {
  expect_identities({
      {"https://example.com/a#comments", "https://example.com/a"},
      {"https://example.com/a?x=1#", "https://example.com/a?x=1"},
  });
}

TEST(CanonicalIdentity, NormalisesPercentEncodingAndDotSegments) {
  expect_identities({
      {"https://example.com/%7euser/%e2%80%93", "https://example.com/~user/%E2%80%93"},
      {"https://example.com/a/./b/../c", "https://example.com/a/c"},
      {"https://example.com/../../a", "https://example.com/a"},
      {"https://example.com/a%2Fb", "https://example.com/a%2Fb"},
      {"https://example.com/a b", "https://example.com/a%20b"},
      {"https://example.com/?q=%41%3d", "https://example.com/?q=A%3D"},
      {"https://example.com/a%2e%2E/b", "https://example.com/a../b"},
  });
}

TEST(CanonicalIdentity, UnifiesTrailingSlashAndEmptyPath) {
  expect_identities({
      {"https://example.com/a/", "https://example.com/a"},
      {"https://example.com/a//", "https://example.com/a"},
      {"https://example.com", "https://example.com/"},
      {"https://example.com/", "https://example.com/"},
      {"https://example.com?x=1", "https://example.com/?x=1"},
      {"https://example.com/a/?x=1", "https://example.com/a?x=1"},
  });
}

TEST(CanonicalIdentity, RemovesTrackingParametersInAnyCase) {
  expect_identities({
      {"https://example.com/a?utm_source=rss&UTM_Medium=x&utm_anything=1&id=7", "https://example.com/a?id=7"},
      {"https://example.com/a?fbclid=1&gclid=2&dclid=3&gbraid=4&wbraid=5&msclkid=6", "https://example.com/a"},
      {"https://example.com/a?mc_cid=1&mc_eid=2&igshid=3&yclid=4&_ga=5&_gl=6", "https://example.com/a"},
      {"https://example.com/a?ref=rss&ref_src=twsrc&cmpid=1&ITO=2&smid=3", "https://example.com/a"},
      {"https://example.com/a?_hsenc=1&_hsmi=2&mkt_tok=3&oly_enc_id=4&oly_anon_id=5&vero_id=6",
       "https://example.com/a"},
      {"https://example.com/a?wt_mc=1&at_medium=2&at_campaign=3&ns_mchannel=4&ns_campaign=5&ocid=6",
       "https://example.com/a"},
      {"https://example.com/a?sr_share=1&s_cid=2&CMP=share_btn_tw&xtor=RSS-1", "https://example.com/a"},
      {"https://example.com/a?utm%5Fsource=rss", "https://example.com/a"},
      {"https://example.com/a?reference=1&utm=2&page=2", "https://example.com/a?page=2&reference=1&utm=2"},
  });
}

TEST(CanonicalIdentity, SortsTheRemainingParametersAndDropsEmptyOnes) {
  expect_identities({
      {"https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"},
      {"https://example.com/a?a=2&a=1", "https://example.com/a?a=1&a=2"},
      {"https://example.com/a?&&a=1&", "https://example.com/a?a=1"},
      {"https://example.com/a?", "https://example.com/a"},
      {"https://example.com/a?flag&x=", "https://example.com/a?flag&x"},
  });
}

TEST(CanonicalIdentity, StripsConfiguredParametersByNameOrPrefix) {
  const CanonicalOptions options{{"maca", "at_*", "WPRSS"}};
  expect_identities(
      {
          {"https://www.dw.com/en/a-78089487?maca=en-rss-en-all-1573-rdf", "https://dw.com/en/a-78089487"},
          {"https://example.com/a?at_custom1=x&at_custom4=y&id=1", "https://example.com/a?id=1"},
          {"http://www.washingtonpost.com/lifestyle/wellness?wprss=rss_wellness",
           "https://washingtonpost.com/lifestyle/wellness"},
          {"https://example.com/a?macaroni=1", "https://example.com/a?macaroni=1"},
      },
      options);
}

TEST(CanonicalIdentity, FoldsAmpVariantsOntoTheArticle) {
  expect_identities({
      {"https://example.com/news/story/amp", "https://example.com/news/story"},
      {"https://example.com/news/story/amp/", "https://example.com/news/story"},
      {"https://example.com/news/story?amp=1", "https://example.com/news/story"},
      {"https://example.com/news/story?amp", "https://example.com/news/story"},
      {"https://example.com/news/story?outputType=amp&id=3", "https://example.com/news/story?id=3"},
      {"https://amp.example.com/news/story", "https://example.com/news/story"},
      {"https://www.example.com/amp", "https://example.com/"},
      {"https://example.com/news/stamp", "https://example.com/news/stamp"},
      {"https://example.com/news/story?amp=0", "https://example.com/news/story?amp=0"},
      {"https://amp.dev/documentation", "https://amp.dev/documentation"},
  });
}

TEST(CanonicalIdentity, FoldsAmpCachePathsOntoTheArticle) {
  expect_identities({
      {"https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/story", "https://example.com/news/story"},
      {"https://www-example-com.cdn.ampproject.org/v/s/www.example.com/news/story/amp?amp_js_v=0.1#share",
       "https://example.com/news/story"},
      {"https://example-com.cdn.ampproject.org/c/example.com/news/story?utm_source=x",
       "https://example.com/news/story"},
      {"https://www.google.com/amp/s/www.example.com/news/story", "https://example.com/news/story"},
      {"https://www-example-com.cdn.ampproject.org/c/s/", "https://www-example-com.cdn.ampproject.org/c/s"},
  });
}

TEST(CanonicalIdentity, WritesUnicodeHostsInPunycode) {
  expect_identities({
      {"https://www.bücher.example/a", "https://xn--bcher-kva.example/a"},
      {"https://B%C3%BCcher.example/a", "https://xn--bcher-kva.example/a"},
      {"https://xn--bcher-kva.example/a", "https://xn--bcher-kva.example/a"},
  });
}

TEST(CanonicalIdentity, LeavesAnythingButAbsoluteHttpUrlsTrimmedAndUnchanged) {
  expect_identities({
      {"  https://www.example.com/a/ \n", "https://example.com/a"},
      {" /relative/path ", "/relative/path"},
      {"mailto:News@Example.com", "mailto:News@Example.com"},
      {"ftp://www.example.com/a/", "ftp://www.example.com/a/"},
      {"https:///no-host", "https:///no-host"},
      {"urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6", "urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6"},
      {"", ""},
      {"https://exa mple.com/", "https://exa mple.com/"},
      // An AMP cache link whose article part is no URL stays as written (a fuzzer finding).
      {"https://www-example-com.cdn.ampproject.org/c/w.exa mple.com/amp[1",
       "https://www-example-com.cdn.ampproject.org/c/w.exa mple.com/amp[1"},
  });
}

TEST(CanonicalIdentity, GivesEveryVariantOfOneArticleOneIdentity) {
  const std::vector<std::string_view> variants{
      "https://www.trtworld.com/mea/syria-talks-resume-12345",
      "http://trtworld.com/mea/syria-talks-resume-12345/",
      "https://TRTWorld.com:443/mea/./syria-talks-resume-12345?utm_source=rss&utm_medium=feed#top",
      "https://amp.trtworld.com/mea/syria-talks-resume-12345/amp",
      "https://www-trtworld-com.cdn.ampproject.org/c/s/www.trtworld.com/mea/syria-talks-resume-12345?amp=1",
      "https://www.trtworld.com/mea/syria-talks-resume-%31%32%33%34%35?fbclid=IwAR0x",
  };
  for (const std::string_view variant : variants) {
    EXPECT_EQ(canonical_identity(variant), "https://trtworld.com/mea/syria-talks-resume-12345") << variant;
  }
}

// Plain http(s) links skip liburiparser; a fragment sends a link through the full parse, and the
// identity never keeps one: every link must give the same identity either way.
TEST(CanonicalIdentity, PlainLinksGiveWhatTheFullParseGives) {
  const std::vector<std::string_view> schemes{"http://", "https://", "HTTPS://"};
  const std::vector<std::string_view> hosts{
      "www.Example.com",      "amp.example.co.uk", "example.com.",     "a-b.example",   "1.2.3.4", "www.google.com",
      "x.cdn.ampproject.org", "exa_mple.com",      "example.com:8080", "u@example.com", "www.com", "-x.example"};
  const std::vector<std::string_view> paths{"",    "/",    "/a",        "/a/",   "/amp",   "/a/amp/",
                                            "//",  "/./a", "/a/..",     "/%7Ea", "/a:b@c", "/a;b=c,d",
                                            "/.a", "/..b", "/\xC3\xA9", "/a b",  "/A/B",   "/c/s/example.com/x"};
  const std::vector<std::string_view> queries{
      "", "?", "?b=2&a=1", "?utm_source=x&id=3", "?amp=1", "?a=%41", "?a=%4", "?a b", "?a=1&&b", "?A=%7e", "?x=/?y"};
  CanonicalOptions options;
  options.extra_strip_params = {"id"};
  for (const std::string_view scheme : schemes) {
    for (const std::string_view host : hosts) {
      for (const std::string_view path : paths) {
        for (const std::string_view query : queries) {
          const std::string link = std::string(scheme) + std::string(host) + std::string(path) + std::string(query);
          EXPECT_EQ(canonical_identity(link), canonical_identity(link + "#f")) << link;
          EXPECT_EQ(canonical_identity(link, options), canonical_identity(link + "#f", options)) << link;
        }
      }
    }
  }
}

}  // namespace
}  // namespace newswatch::url
