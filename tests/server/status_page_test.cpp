#include "newswatch/server/status_page.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <filesystem>
#include <string>
#include <thread>

#include "newswatch/server/http_server.hpp"
#include "support/process.hpp"
#include "support/run_loop.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr TimePoint now{std::chrono::seconds{1700000000}};  // 2023-11-14T22:13:20Z

StatusSnapshot sample_snapshot() {
  StatusSnapshot snapshot;
  snapshot.version = "0.1.0";
  snapshot.started = now - 2h;
  snapshot.config_path = "/etc/newswatch/newswatch.toml";
  snapshot.last_reload = now - 10min;
  snapshot.last_reload_succeeded = true;
  snapshot.feeds = {
      {"calm-feed", FeedHealth::ok, now - 3min, now + 5min, "", 120},
      {"broken-feed", FeedHealth::failing, now - 1min, now + 4min, "HTTP 503, retrying in 4m", 40},
      {"new-feed", FeedHealth::baselining, std::nullopt, now + 1min, "", 0},
  };
  snapshot.rules = {{"isis-coalition", 4}};
  snapshot.targets = {{"newsroom", "slack", 2, 1, "HTTP 429"}};
  snapshot.recent_alerts = {
      {"isis-coalition",
       R"(<script>alert("x")</script> & 'friends')",
       "https://example.org/a?b=1&c=2",
       "calm-feed",
       now - 3min,
       {"ISIS", "coalition"}},
      {"isis-coalition", "Harmless title", "javascript:alert(1)", "calm-feed", now - 4min, {"ISIS"}},
  };
  return snapshot;
}

TEST(StatusPage, EscapesHostileTitlesAndQuotes) {
  const auto page = render_status_page(sample_snapshot(), now);
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, HasSubstr("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;"));
  EXPECT_THAT(page, HasSubstr(R"(href="https://example.org/a?b=1&amp;c=2")"));
}

TEST(StatusPage, LinksOnlyHttpAndHttps) {
  const auto page = render_status_page(sample_snapshot(), now);
  EXPECT_THAT(page, Not(HasSubstr("href=\"javascript:")));
  EXPECT_THAT(page, HasSubstr(R"(<span class="url">javascript:alert(1)</span>)"));
  EXPECT_TRUE(is_web_link("HTTPS://example.org/"));
  EXPECT_TRUE(is_web_link("http://example.org"));
  EXPECT_FALSE(is_web_link("https://"));
  EXPECT_FALSE(is_web_link(" javascript:alert(1)"));
  EXPECT_FALSE(is_web_link("data:text/html,hi"));
  EXPECT_FALSE(is_web_link("//example.org/"));
}

TEST(StatusPage, ListsFailingFeedsFirstAndMarksThem) {
  const auto page = render_status_page(sample_snapshot(), now);
  EXPECT_LT(page.find("broken-feed"), page.find("calm-feed"));
  EXPECT_THAT(page, HasSubstr(R"(<tr class="failing"><td>broken-feed</td>)"));
  EXPECT_THAT(page, HasSubstr(R"(<li class="bad"><b>1</b> failing</li>)"));
  EXPECT_THAT(page, HasSubstr("HTTP 503, retrying in 4m"));
}

TEST(StatusPage, ShowsUtcTimesWithRelativeDistance) {
  const auto page = render_status_page(sample_snapshot(), now);
  EXPECT_THAT(page, HasSubstr(R"(<time datetime="2023-11-14T22:10:20Z">2023-11-14T22:10:20Z</time>)"
                              R"( <span class="relative">(3m ago)</span>)"));
  EXPECT_THAT(page, HasSubstr("(in 5m)"));
  EXPECT_EQ(format_relative(now, now), "now");
  EXPECT_EQ(format_relative(now - 90min, now), "1h30m ago");
  EXPECT_EQ(format_relative(now + 45s, now), "in 45s");
}

TEST(StatusPage, ShowsAFailedReloadWithItsError) {
  auto snapshot = sample_snapshot();
  snapshot.last_reload_succeeded = false;
  snapshot.last_reload_error = "newswatch.toml:3:1: unknown key <x>";
  const auto page = render_status_page(snapshot, now);
  EXPECT_THAT(page, HasSubstr("The last config reload failed"));
  EXPECT_THAT(page, HasSubstr("unknown key &lt;x&gt;"));
}

TEST(StatusPage, ShowsAtMostFiftyAlerts) {
  auto snapshot = sample_snapshot();
  snapshot.recent_alerts.clear();
  for (int i = 0; i < 60; ++i) {
    snapshot.recent_alerts.push_back({"rule", "title-" + std::to_string(i) + "-end", "", "feed", now, {}});
  }
  const auto page = render_status_page(snapshot, now);
  EXPECT_THAT(page, HasSubstr("title-49-end"));
  EXPECT_THAT(page, Not(HasSubstr("title-50-end")));
}

TEST(StatusPage, IsSelfContained) {
  const auto page = render_status_page(sample_snapshot(), now);
  EXPECT_TRUE(page.starts_with("<!DOCTYPE html>"));
  EXPECT_THAT(page, Not(HasSubstr("<link")));
  EXPECT_THAT(page, Not(HasSubstr("src=")));
  EXPECT_THAT(page, HasSubstr("<style>"));
}

TEST(StatusPage, HeadlessChromiumRendersItFromTheListener) {
  const std::string chromium = "/usr/bin/chromium";
  ASSERT_TRUE(std::filesystem::exists(chromium))
      << chromium << " is missing: scripts/install-deps installs it (Debian package chromium)";
  boost::asio::io_context io;
  HttpHandlers handlers;
  handlers.status = [] { return sample_snapshot(); };
  handlers.now = [] { return now; };
  HttpServer server(io, handlers);
  const auto endpoint = server.listen("127.0.0.1:0");
  ASSERT_TRUE(endpoint.has_value()) << endpoint.error();

  // Chromium runs on a thread of its own while this one serves it, under the test's deadline.
  const testing::TempDir profile;
  std::atomic<bool> finished{false};
  testing::ProcessResult result;
  std::thread browser([&] {
    testing::ProcessOptions options;
    options.timeout = 60s;
    result = testing::run_process(
        chromium,
        {"--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--user-data-dir=" + profile.path().string(),
         "http://127.0.0.1:" + std::to_string(endpoint->port()) + "/"},
        options);
    finished = true;
    boost::asio::post(io, [] {});  // Wakes the loop so that it sees `finished` now.
  });
  const bool done = testing::run_until(
      io, [&] { return finished.load(); }, 90s);
  browser.join();
  ASSERT_TRUE(done) << "chromium did not finish";
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr(R"(id="feeds-table")"));
  EXPECT_THAT(result.out, HasSubstr("broken-feed"));
  EXPECT_THAT(result.out, HasSubstr("&lt;script&gt;alert(\"x\")&lt;/script&gt;"));
  EXPECT_THAT(result.out, Not(HasSubstr("<script")));
}

}  // namespace
}  // namespace newswatch::server
