#include "newswatch/config/load.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <thread>

#include "newswatch/config/print.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

/// An environment with the given variables and secret files, nothing else.
struct FakeEnvironment {
  std::map<std::string, std::string> variables;
  std::map<std::string, SecretFile> files;

  [[nodiscard]] Environment get() const {
    Environment environment;
    environment.variable = [this](const std::string& name) -> std::optional<std::string> {
      const auto found = variables.find(name);
      return found == variables.end() ? std::nullopt : std::optional(found->second);
    };
    environment.read_file = [this](const std::filesystem::path& path) {
      const auto found = files.find(path.string());
      if (found == files.end()) {
        return SecretFile{std::nullopt, "No such file or directory", false};
      }
      return found->second;
    };
    return environment;
  }
};

LoadOutcome load(const std::vector<SourceFile>& files, const FakeEnvironment& environment = {}) {
  return load_config(files, environment.get());
}

LoadOutcome load_one(const std::string& text, const FakeEnvironment& environment = {}) {
  return load({{"main.toml", text}}, environment);
}

std::vector<std::string> rendered(const LoadOutcome& outcome) {
  std::vector<std::string> lines;
  for (const auto& diagnostic : outcome.diagnostics) {
    lines.push_back(diagnostic.to_string());
  }
  return lines;
}

constexpr const char* minimal = R"(
[[feed]]
name = "trt-world"
url = "https://www.trtworld.com/rss"
tags = ["world"]

[[target]]
name = "desk"
type = "console"

[[rule]]
name = "isis"
query = '"ISIS coalition"'
targets = ["desk"]
)";

TEST(LoadConfig, AppliesDefaultsToAMinimalConfig) {
  const auto outcome = load_one(minimal);
  ASSERT_TRUE(outcome.ok()) << ::testing::PrintToString(rendered(outcome));
  const auto& config = *outcome.config;
  EXPECT_EQ(config.daemon.state_dir, "/var/lib/newswatch");
  EXPECT_EQ(config.daemon.default_interval, std::chrono::minutes{10});
  EXPECT_EQ(config.daemon.per_host_concurrency, 2);
  EXPECT_EQ(config.daemon.max_feed_bytes, 16ULL << 20);
  ASSERT_EQ(config.feeds.size(), 1U);
  EXPECT_EQ(config.feeds[0].name, "trt-world");
  EXPECT_TRUE(config.feeds[0].enabled);
  EXPECT_TRUE(config.feeds[0].baseline) << "a new feed's first poll records, alerts on nothing";
  EXPECT_FALSE(config.feeds[0].max_item_age.has_value());
  EXPECT_EQ(config.daemon.max_item_age, std::chrono::days{7});
  EXPECT_EQ(config.daemon.story_window, std::chrono::hours{48});
  EXPECT_EQ(config.daemon.retention, std::chrono::days{90});
  EXPECT_TRUE(config.daemon.strip_query_params.empty());
  EXPECT_FALSE(config.feeds[0].interval.has_value());
  ASSERT_EQ(config.rules.size(), 1U);
  EXPECT_EQ(config.rules[0].query, "\"ISIS coalition\"");
  EXPECT_EQ(config.rules[0].targets, std::vector<std::string>{"desk"});
  ASSERT_EQ(config.targets.size(), 1U);
  EXPECT_EQ(config.targets[0].type, TargetType::console);
  EXPECT_TRUE(outcome.diagnostics.empty());
}

TEST(LoadConfig, ReadsEveryDaemonSetting) {
  const auto outcome = load_one(R"([daemon]
state_dir = "/srv/nw"
user_agent = "desk-bot/1"
default_interval = "5m"
min_interval = "30s"
max_interval = "2h"
max_concurrent_fetches = 100
per_host_concurrency = 4
fetch_timeout = "20s"
max_feed_bytes = "8MiB"
log_level = "debug"
log_format = "json"
http_listen = "127.0.0.1:9469"
proxy = "http://proxy:3128"
max_item_age = "2d"
story_window = "12h"
retention = "30d"
strip_query_params = ["src", "pk_*"]
alert_max_age = "6h"
adaptive = true
shutdown_timeout = "4s"
)");
  ASSERT_TRUE(outcome.ok()) << ::testing::PrintToString(rendered(outcome));
  const auto& daemon = outcome.config->daemon;
  EXPECT_EQ(daemon.state_dir, "/srv/nw");
  EXPECT_EQ(daemon.user_agent, "desk-bot/1");
  EXPECT_EQ(daemon.default_interval, std::chrono::minutes{5});
  EXPECT_EQ(daemon.min_interval, std::chrono::seconds{30});
  EXPECT_EQ(daemon.max_interval, std::chrono::hours{2});
  EXPECT_EQ(daemon.max_concurrent_fetches, 100);
  EXPECT_EQ(daemon.per_host_concurrency, 4);
  EXPECT_EQ(daemon.fetch_timeout, std::chrono::seconds{20});
  EXPECT_EQ(daemon.max_feed_bytes, 8ULL << 20);
  EXPECT_EQ(daemon.log_level, "debug");
  EXPECT_EQ(daemon.log_format, LogFormat::json);
  EXPECT_EQ(daemon.http_listen, "127.0.0.1:9469");
  EXPECT_EQ(daemon.proxy, "http://proxy:3128");
  EXPECT_EQ(daemon.max_item_age, std::chrono::days{2});
  EXPECT_EQ(daemon.story_window, std::chrono::hours{12});
  EXPECT_EQ(daemon.retention, std::chrono::days{30});
  EXPECT_EQ(daemon.strip_query_params, (std::vector<std::string>{"src", "pk_*"}));
  EXPECT_EQ(daemon.alert_max_age, std::chrono::hours{6});
  EXPECT_TRUE(daemon.adaptive);
  EXPECT_EQ(daemon.shutdown_timeout, std::chrono::seconds{4});
}

TEST(LoadConfig, ReadsDeliveryPacingAndDigests) {
  const auto outcome = load_one(R"(
[[target]]
name = "desk"
type = "slack"
url = "https://hooks.example/desk"
concurrency = 4
max_per_minute = 5

[[target]]
name = "plain"
type = "discord"
url = "https://hooks.example/plain"

[[rule]]
name = "quiet"
query = "election"
targets = ["desk"]
digest = "15m"
)");
  ASSERT_TRUE(outcome.ok()) << ::testing::PrintToString(rendered(outcome));
  const auto& config = *outcome.config;
  EXPECT_EQ(config.daemon.alert_max_age, std::chrono::hours{24});
  EXPECT_EQ(config.targets[0].concurrency, 4);
  EXPECT_EQ(config.targets[0].max_per_minute, 5);
  EXPECT_EQ(config.targets[1].concurrency, 1);
  EXPECT_EQ(config.targets[1].max_per_minute, 0);
  EXPECT_EQ(config.rules[0].digest, std::chrono::minutes{15});
  const auto printed = to_toml(config);
  EXPECT_THAT(printed, HasSubstr("alert_max_age = '1d'"));
  EXPECT_THAT(printed, HasSubstr("digest = '15m'"));
  EXPECT_THAT(printed, HasSubstr("max_per_minute = 5"));
}

TEST(LoadConfig, AFeedMayAlertFromItsFirstPollAndSetItsOwnMaxItemAge) {
  const auto outcome = load_one(
      "[[feed]]\nname = \"wire\"\nurl = \"https://wire.example/rss\"\nbaseline = false\nmax_item_age = \"1d\"\n"
      "adaptive = true\n");
  ASSERT_TRUE(outcome.ok()) << ::testing::PrintToString(rendered(outcome));
  EXPECT_FALSE(outcome.config->feeds[0].baseline);
  EXPECT_EQ(outcome.config->feeds[0].adaptive, true);
  EXPECT_FALSE(outcome.config->daemon.adaptive);
  EXPECT_EQ(outcome.config->feeds[0].max_item_age, std::chrono::seconds{std::chrono::days{1}});
}

struct ErrorCase {
  const char* name;
  const char* text;
  const char* expected;  // The whole first diagnostic, rendered.
};

class LoadConfigErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(LoadConfigErrors, NamesFileLineColumnAndHint) {
  const auto outcome = load_one(GetParam().text);
  EXPECT_FALSE(outcome.ok());
  ASSERT_FALSE(outcome.diagnostics.empty());
  EXPECT_EQ(outcome.diagnostics.front().to_string(), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, LoadConfigErrors,
    ::testing::Values(
        ErrorCase{"UnknownKeyNearMiss", "[daemon]\ndefault_intervall = \"10m\"\n",
                  "main.toml:2:1: error: unknown key \"default_intervall\" in [daemon]\n"
                  "  hint: did you mean \"default_interval\"?"},
        ErrorCase{"UnknownKeyListsKnownOnes", "[[feed]]\nname = \"a\"\nurl = \"https://a.example/rss\"\ncolour = 1\n",
                  "main.toml:4:1: error: unknown key \"colour\" in [[feed]] \"a\"\n"
                  "  hint: known keys: name, url, interval, tags, enabled, headers, baseline, max_item_age, adaptive"},
        ErrorCase{"UnknownSection", "[[feeds]]\nname = \"a\"\n",
                  "main.toml:1:3: error: unknown section \"feeds\"\n  hint: did you mean \"feed\"?"},
        ErrorCase{"WrongType", "[[feed]]\nname = \"a\"\nurl = \"https://a.example/rss\"\ninterval = 5\n",
                  "main.toml:4:12: error: \"interval\" in [[feed]] \"a\" must be a string, not an integer"},
        ErrorCase{"BadDuration", "[daemon]\nfetch_timeout = \"ten seconds\"\n",
                  "main.toml:2:17: error: bad duration \"ten seconds\" for \"fetch_timeout\" in [daemon]\n"
                  "  hint: write a positive number with a unit: \"90s\", \"10m\", \"2h\", \"1d\" or \"1h30m\""},
        ErrorCase{"BadSize", "[daemon]\nmax_feed_bytes = \"lots\"\n",
                  "main.toml:2:18: error: bad size \"lots\" for \"max_feed_bytes\" in [daemon]\n"
                  "  hint: write a positive number with a unit: \"512KiB\", \"16MiB\", \"1GB\""},
        ErrorCase{"BadUrlScheme", "[[feed]]\nname = \"a\"\nurl = \"ftp://a.example/rss\"\n",
                  "main.toml:3:7: error: feed url \"ftp://a.example/rss\" has scheme \"ftp\"; only http, https and "
                  "file are allowed\n  hint: e.g. \"https://www.trtworld.com/rss\" or \"file:///srv/feeds/local.xml\""},
        ErrorCase{"UrlWithoutHost", "[[feed]]\nname = \"a\"\nurl = \"https:///rss\"\n",
                  "main.toml:3:7: error: feed url \"https:///rss\" has no host\n"
                  "  hint: e.g. \"https://www.trtworld.com/rss\" or \"file:///srv/feeds/local.xml\""},
        ErrorCase{"UrlWithASpace", "[[feed]]\nname = \"a\"\nurl = \"https://a.example/world news.rss\"\n",
                  "main.toml:3:7: error: feed url \"https://a.example/world news.rss\" is not a valid URL: ' ' at byte "
                  "24 is not allowed there\n"
                  "  hint: e.g. \"https://www.trtworld.com/rss\" or \"file:///srv/feeds/local.xml\""},
        ErrorCase{
            "UrlWithAnInvalidInternationalHost", "[[feed]]\nname = \"a\"\nurl = \"https://a\u200f.example/rss\"\n",
            "main.toml:3:7: error: feed url \"https://a\u200f.example/rss\" has host \"a\u200f.example\", which is "
            "not a valid internationalised domain name\n"
            "  hint: e.g. \"https://www.trtworld.com/rss\" or \"file:///srv/feeds/local.xml\""},
        ErrorCase{"MissingUrl", "[[feed]]\nname = \"a\"\n",
                  "main.toml:1:1: error: [[feed]] \"a\" is missing \"url\"\n  hint: add url = \"...\""},
        ErrorCase{"BadName", "[[feed]]\nname = \"BBC World\"\nurl = \"https://a.example/rss\"\n",
                  "main.toml:2:8: error: feed name \"BBC World\" has characters other than letters, digits, '-', '_' "
                  "and '.'\n  hint: rename it, e.g. \"trt-world\""},
        ErrorCase{"LogLevelChoice", "[daemon]\nlog_level = \"warning\"\n",
                  "main.toml:2:13: error: \"log_level\" in [daemon] cannot be \"warning\"\n"
                  "  hint: one of: trace, debug, info, warn, error, critical, off"},
        ErrorCase{"IntegerRange", "[daemon]\nper_host_concurrency = 0\n",
                  "main.toml:2:24: error: \"per_host_concurrency\" in [daemon] must be between 1 and 10000, not 0"},
        ErrorCase{"IntervalOrder", "[daemon]\nmin_interval = \"1h\"\ndefault_interval = \"10m\"\n",
                  "main.toml:3:1: error: [daemon] default_interval is outside [min_interval, max_interval]\n"
                  "  hint: min_interval <= default_interval <= max_interval"},
        ErrorCase{"StripQueryParamsNotAName", "[daemon]\nstrip_query_params = [\"utm=1\"]\n",
                  "main.toml:2:22: error: strip_query_params entry \"utm=1\" is not a query parameter name\n"
                  "  hint: write names such as \"src\" or prefixes such as \"pk_*\""},
        ErrorCase{"EmptyQuery", "[[rule]]\nname = \"r\"\nquery = \"  \"\n",
                  "main.toml:3:9: error: rule \"r\": query is empty\n"
                  "  hint: write what to watch for, e.g. query = '\"ISIS coalition\"'"},
        ErrorCase{"UnknownTargetType", "[[target]]\nname = \"t\"\ntype = \"slak\"\nurl = \"https://hooks.example/x\"\n",
                  "main.toml:3:8: error: \"type\" in [[target]] \"t\" cannot be \"slak\"\n  hint: did you mean "
                  "\"slack\"? (one of: webhook, slack, discord, teams, mattermost, googlechat, telegram, ntfy, "
                  "matrix, console)"},
        ErrorCase{"KeyNotForThisTargetType",
                  "[[target]]\nname = \"t\"\ntype = \"slack\"\nurl = \"https://hooks.example/x\"\nchat_id = \"1\"\n",
                  "main.toml:5:1: error: unknown key \"chat_id\" in [[target]] \"t\"\n"
                  "  hint: known keys: name, type, url, template, template_file, concurrency, max_per_minute"},
        ErrorCase{"TargetMissingRequiredField", "[[target]]\nname = \"t\"\ntype = \"telegram\"\ntoken = \"x\"\n",
                  "main.toml:1:1: error: [[target]] \"t\" (type telegram) is missing \"chat_id\"\n  hint: add "
                  "chat_id = \"...\" (secrets may be env:NAME, file:/path or credential:NAME)"},
        ErrorCase{"PacingKeyNearMiss",
                  "[[target]]\nname = \"t\"\ntype = \"slack\"\nurl = \"https://hooks.example/x\"\n"
                  "max_per_minut = 5\n",
                  "main.toml:5:1: error: unknown key \"max_per_minut\" in [[target]] \"t\"\n"
                  "  hint: did you mean \"max_per_minute\"?"},
        ErrorCase{"ConcurrencyRange",
                  "[[target]]\nname = \"t\"\ntype = \"slack\"\nurl = \"https://hooks.example/x\"\n"
                  "concurrency = 0\n",
                  "main.toml:5:15: error: \"concurrency\" in [[target]] \"t\" must be between 1 and 64, not 0"},
        ErrorCase{"DigestTooShort", "[[rule]]\nname = \"r\"\nquery = \"x\"\ndigest = \"30s\"\n",
                  "main.toml:4:10: error: rule \"r\" digest must be at least 1m\n  hint: e.g. \"15m\""},
        ErrorCase{"AlertMaxAgeBadDuration", "[daemon]\nalert_max_age = \"a day\"\n",
                  "main.toml:2:17: error: bad duration \"a day\" for \"alert_max_age\" in [daemon]\n"
                  "  hint: write a positive number with a unit: \"90s\", \"10m\", \"2h\", \"1d\" or \"1h30m\""},
        ErrorCase{"InvalidToml", "[daemon]\nstate_dir = \"/x\n",
                  "main.toml:2:16: error: invalid TOML: Error while parsing string: unescaped control characters other "
                  "than TAB "
                  "(U+0009) are explicitly prohibited\n"
                  "  hint: see https://toml.io for the syntax"}),
    [](const ::testing::TestParamInfo<ErrorCase>& param_info) { return std::string(param_info.param.name); });

TEST(LoadConfig, ReportsEveryErrorAtOnceAcrossFiles) {
  const auto outcome = load({{"main.toml", "[daemon]\nstate_dir = \"/a\"\nfetch_timeout = \"soon\"\n"},
                             {"conf.d/10-feeds.toml",
                              "[daemon]\nstate_dir = \"/b\"\n[[feed]]\nname = \"x\"\n"
                              "url = \"https://x.example/rss\"\nintervall = \"5m\"\n"}});
  ASSERT_FALSE(outcome.ok());
  EXPECT_THAT(rendered(outcome),
              ::testing::ElementsAre(HasSubstr("main.toml:3:17: error: bad duration \"soon\""),
                                     "conf.d/10-feeds.toml:2:1: error: [daemon] \"state_dir\" is set twice\n"
                                     "  hint: first set at main.toml:2:1; keep one of them",
                                     HasSubstr("conf.d/10-feeds.toml:6:1: error: unknown key \"intervall\"")));
}

TEST(LoadConfig, RejectsDuplicateNamesNamingTheFirst) {
  const auto outcome = load({{"main.toml", "[[feed]]\nname = \"bbc\"\nurl = \"https://a.example/rss\"\n"},
                             {"conf.d/b.toml", "[[feed]]\nname = \"bbc\"\nurl = \"https://b.example/rss\"\n"}});
  ASSERT_EQ(outcome.diagnostics.size(), 1U);
  EXPECT_EQ(outcome.diagnostics[0].to_string(),
            "conf.d/b.toml:2:8: error: feed name \"bbc\" is used twice\n"
            "  hint: first used at main.toml:2:8; names must be unique");
}

TEST(LoadConfig, ChecksRuleReferences) {
  const auto outcome = load_one(R"([[feed]]
name = "bbc-world"
url = "https://a.example/rss"
tags = ["world"]
[[target]]
name = "desk"
type = "console"
[[rule]]
name = "r"
query = "x"
feeds = ["bbc-wrld", "tag:wrold", "tag:world", "bbc-world"]
targets = ["dsk"]
)");
  EXPECT_THAT(rendered(outcome),
              ::testing::ElementsAre(
                  "main.toml:11:9: error: rule \"r\" names unknown feed \"bbc-wrld\"\n  hint: did you mean "
                  "\"bbc-world\"?",
                  "main.toml:11:9: error: rule \"r\" names tag \"wrold\", which no feed has\n  hint: did you mean "
                  "\"tag:world\"?",
                  "main.toml:12:11: error: rule \"r\" names unknown target \"dsk\"\n  hint: did you mean \"desk\"?"));
}

TEST(LoadConfig, ResolvesSecretsFromEnvironmentFilesAndCredentials) {
  FakeEnvironment environment;
  environment.variables = {{"SLACK_URL", "https://hooks.slack.example/T1/B2/xyz"},
                           {"CREDENTIALS_DIRECTORY", "/run/credentials/newswatch.service"}};
  environment.files["/etc/newswatch/tg-token"] = SecretFile{"123:abc\n", "", false};
  environment.files["/run/credentials/newswatch.service/matrix"] = SecretFile{"syt_token\r\n", "", false};
  const auto outcome = load_one(R"([[target]]
name = "slack"
type = "slack"
url = "env:SLACK_URL"
[[target]]
name = "tg"
type = "telegram"
token = "file:/etc/newswatch/tg-token"
chat_id = "-100"
[[target]]
name = "mx"
type = "matrix"
url = "https://matrix.example"
room = "!r:example"
token = "credential:matrix"
)",
                                environment);
  ASSERT_TRUE(outcome.ok()) << ::testing::PrintToString(rendered(outcome));
  const auto& targets = outcome.config->targets;
  EXPECT_EQ(targets[0].url.reveal(), "https://hooks.slack.example/T1/B2/xyz");
  EXPECT_EQ(targets[0].url.redacted(), "env:SLACK_URL");
  EXPECT_EQ(targets[1].token.reveal(), "123:abc");
  EXPECT_EQ(targets[2].token.reveal(), "syt_token");
  EXPECT_EQ(targets[2].token.redacted(), "credential:matrix");
}

TEST(LoadConfig, ReportsMissingSecrets) {
  const auto outcome = load_one(R"([[target]]
name = "a"
type = "slack"
url = "env:NOPE"
[[target]]
name = "b"
type = "slack"
url = "file:/missing"
[[target]]
name = "c"
type = "slack"
url = "credential:hook"
[[target]]
name = "d"
type = "slack"
url = "file:relative/path"
)");
  EXPECT_THAT(rendered(outcome),
              ::testing::ElementsAre(
                  "main.toml:4:7: error: environment variable NOPE is not set (from \"env:NOPE\")\n"
                  "  hint: set it for the service (Environment= or EnvironmentFile=) or use file:/credential:",
                  "main.toml:8:7: error: cannot read secret file:/missing: No such file or directory\n"
                  "  hint: create the file, readable by the newswatch user only (chmod 600)",
                  "main.toml:12:7: error: \"credential:hook\" needs $CREDENTIALS_DIRECTORY, which is not set\n"
                  "  hint: run under systemd with LoadCredential=hook:/path, or use env:/file:",
                  "main.toml:16:7: error: secret path in \"file:relative/path\" must be absolute\n"
                  "  hint: write file:/etc/newswatch/secret-name"));
}

TEST(LoadConfig, WarnsAboutWorldReadableSecretFiles) {
  FakeEnvironment environment;
  environment.files["/etc/newswatch/hook"] = SecretFile{"https://hooks.example/x", "", true};
  const auto outcome =
      load_one("[[target]]\nname = \"a\"\ntype = \"discord\"\nurl = \"file:/etc/newswatch/hook\"\n", environment);
  ASSERT_TRUE(outcome.ok());
  ASSERT_EQ(outcome.diagnostics.size(), 1U);
  EXPECT_EQ(outcome.diagnostics[0].to_string(),
            "main.toml:4:7: warning: secret file /etc/newswatch/hook is world-readable\n"
            "  hint: chmod o-r /etc/newswatch/hook");
}

TEST(LoadConfig, HeaderValuesAreSecrets) {
  FakeEnvironment environment;
  environment.variables = {{"TOKEN", "Bearer s3cr3t"}};
  const auto outcome =
      load_one("[[feed]]\nname = \"a\"\nurl = \"https://a.example/rss\"\nheaders = { Authorization = \"env:TOKEN\" }\n",
               environment);
  ASSERT_TRUE(outcome.ok());
  ASSERT_EQ(outcome.config->feeds[0].headers.size(), 1U);
  EXPECT_EQ(outcome.config->feeds[0].headers[0].first, "Authorization");
  EXPECT_EQ(outcome.config->feeds[0].headers[0].second.reveal(), "Bearer s3cr3t");
}

TEST(LoadConfig, ResolvesRelativeFileUrlsAgainstTheConfigDirectory) {
  const auto outcome =
      load({{"/etc/newswatch/conf.d/local.toml", "[[feed]]\nname = \"a\"\nurl = \"file:feeds/a.xml\"\n"}});
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome.config->feeds[0].url, "file:///etc/newswatch/conf.d/feeds/a.xml");
}

TEST(PrintConfig, RedactsSecretsAndSpellsOutDefaults) {
  FakeEnvironment environment;
  environment.variables = {{"SLACK_URL", "https://hooks.slack.example/T1/B2/xyz"}};
  const auto outcome = load_one(std::string(minimal) +
                                    "[[target]]\nname = \"s\"\ntype = \"slack\"\nurl = \"env:SLACK_URL\"\n"
                                    "[[target]]\nname = \"w\"\ntype = \"webhook\"\nurl = \"https://inline.example/x\"\n"
                                    "secret = \"inline-secret\"\n",
                                environment);
  ASSERT_TRUE(outcome.ok()) << ::testing::PrintToString(rendered(outcome));
  const auto text = to_toml(*outcome.config);
  EXPECT_THAT(text, Not(HasSubstr("hooks.slack.example")));
  EXPECT_THAT(text, Not(HasSubstr("inline-secret")));
  EXPECT_THAT(text, Not(HasSubstr("inline.example")));
  EXPECT_THAT(text, HasSubstr("url = 'env:SLACK_URL'"));
  EXPECT_THAT(text, HasSubstr("secret = '<redacted>'"));
  EXPECT_THAT(text, HasSubstr("default_interval = '10m'"));
  EXPECT_THAT(text, HasSubstr("max_feed_bytes = '16MiB'"));
}

TEST(PrintConfig, OutputLoadsBackToTheSameConfig) {
  const auto outcome = load_one(minimal);
  ASSERT_TRUE(outcome.ok());
  const auto reloaded = load_one(to_toml(*outcome.config));
  ASSERT_TRUE(reloaded.ok()) << ::testing::PrintToString(rendered(reloaded));
  EXPECT_EQ(to_toml(*reloaded.config), to_toml(*outcome.config));
  EXPECT_EQ(reloaded.config->feeds[0].interval, std::chrono::minutes{10});
  EXPECT_EQ(reloaded.config->rules[0].query, outcome.config->rules[0].query);
}

TEST(LoadConfigFile, MergesDropInsInLexicalOrder) {
  testing::TempDir dir;
  const auto main_file = dir.write("newswatch.toml", "[[feed]]\nname = \"main\"\nurl = \"https://m.example/rss\"\n");
  dir.write("conf.d/20-b.toml", "[[feed]]\nname = \"b\"\nurl = \"https://b.example/rss\"\n");
  dir.write("conf.d/10-a.toml", "[[feed]]\nname = \"a\"\nurl = \"https://a.example/rss\"\n");
  dir.write("conf.d/30-c.toml.disabled", "this is not read");
  dir.write("conf.d/README", "nor this");
  const auto outcome = load_config_file(main_file);
  ASSERT_TRUE(outcome.ok()) << ::testing::PrintToString(rendered(outcome));
  std::vector<std::string> names;
  for (const auto& feed : outcome.config->feeds) {
    names.push_back(feed.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"main", "a", "b"}));
  ASSERT_EQ(outcome.config->files.size(), 3U);
  EXPECT_EQ(outcome.config->files[1].filename(), "10-a.toml");
}

TEST(LoadConfigFile, ReportsAMissingMainFile) {
  testing::TempDir dir;
  const auto outcome = load_config_file(dir.path() / "absent.toml");
  ASSERT_EQ(outcome.diagnostics.size(), 1U);
  EXPECT_EQ(outcome.diagnostics[0].to_string(), (dir.path() / "absent.toml").string() +
                                                    ": error: cannot read config file: No such file or directory\n"
                                                    "  hint: pass --config PATH or set NEWSWATCH_CONFIG");
}

TEST(LoadConfigFile, ReadsRealSecretFilesAndWarnsWhenWorldReadable) {
  testing::TempDir dir;
  const auto secret = dir.write("hook", "https://hooks.example/x\n");
  std::filesystem::permissions(secret, std::filesystem::perms::owner_read | std::filesystem::perms::others_read);
  const auto main_file = dir.write(
      "newswatch.toml", "[[target]]\nname = \"a\"\ntype = \"slack\"\nurl = \"file:" + secret.string() + "\"\n");
  const auto outcome = load_config_file(main_file);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome.config->targets[0].url.reveal(), "https://hooks.example/x");
  ASSERT_EQ(outcome.diagnostics.size(), 1U);
  EXPECT_EQ(outcome.diagnostics[0].severity, Severity::warning);
}

}  // namespace
}  // namespace newswatch::config

namespace newswatch::config {
namespace {

TEST(LoadConfig, PlacesQueryErrorsAtTheirFileLineAndColumn) {
  const auto outcome = load_one(R"([[rule]]
name = "a"
query = '"ISIS coalition" NOT (Assad'
[[rule]]
name = "b"
query = "titel:ISIS"
[[rule]]
name = "c"
query = '''
ISIS AND
  NEAR/x coalition'''
[[rule]]
name = "ok"
query = '"ISIS coalition" OR (ISIS NEAR/5 coalition)'
)");
  ASSERT_EQ(outcome.diagnostics.size(), 3U);
  EXPECT_EQ(outcome.diagnostics[0].to_string(),
            "main.toml:3:31: error: rule \"a\": query:1:22: unbalanced \"(\"\n"
            "  \"ISIS coalition\" NOT (Assad\n"
            "                       ^\n"
            "  hint: add the matching \")\"");
  EXPECT_EQ(outcome.diagnostics[1].where.line, 6);
  EXPECT_EQ(outcome.diagnostics[1].where.column, 10);
  EXPECT_EQ(outcome.diagnostics[1].hint, "did you mean `title:`?");
  EXPECT_EQ(outcome.diagnostics[2].where.line, 11);
  EXPECT_EQ(outcome.diagnostics[2].where.column, 3);
  EXPECT_THAT(outcome.diagnostics[2].message, HasSubstr("NEAR without a number"));
}

}  // namespace
}  // namespace newswatch::config

namespace newswatch::config {
namespace {

TEST(LoadTargetTemplates, ReadsTemplateFileRelativeToTheConfigFile) {
  FakeEnvironment environment;
  environment.files["/etc/newswatch/templates/desk.mustache"] = SecretFile{"{{title}}\n{{link}}\n", "", false};
  const auto outcome = load({{"/etc/newswatch/newswatch.toml",
                              "[[target]]\nname = \"desk\"\ntype = \"slack\"\nurl = \"https://hooks.example/x\"\n"
                              "template_file = \"templates/desk.mustache\"\n"}},
                            environment);
  ASSERT_TRUE(outcome.ok()) << ::testing::PrintToString(rendered(outcome));
  const auto& target = outcome.config->targets[0];
  EXPECT_EQ(target.template_text, "{{title}}\n{{link}}\n");
  EXPECT_EQ(target.template_file, "/etc/newswatch/templates/desk.mustache");
  EXPECT_EQ(target.template_location.file, "/etc/newswatch/templates/desk.mustache");
  EXPECT_EQ(target.template_location.line, 1);
  EXPECT_THAT(to_toml(*outcome.config), HasSubstr("template_file = '/etc/newswatch/templates/desk.mustache'"));
}

TEST(LoadTargetTemplates, RemembersWhereAnInlineTemplateIs) {
  const auto outcome = load_one("[[target]]\nname = \"log\"\ntype = \"console\"\ntemplate = \"{{title}}\"\n");
  ASSERT_TRUE(outcome.ok());
  const auto& where = outcome.config->targets[0].template_location;
  EXPECT_EQ(where.file, "main.toml");
  EXPECT_EQ(where.line, 4);
  EXPECT_EQ(where.column, 12);
}

TEST(LoadTargetTemplates, ReportsAnUnreadableTemplateFileAndTwoTemplates) {
  const auto outcome = load_one(
      "[[target]]\nname = \"a\"\ntype = \"console\"\ntemplate_file = \"/missing.mustache\"\n"
      "[[target]]\nname = \"b\"\ntype = \"console\"\ntemplate = \"x\"\ntemplate_file = \"/b.mustache\"\n");
  EXPECT_THAT(rendered(outcome),
              ::testing::ElementsAre("main.toml:4:17: error: cannot read template_file /missing.mustache: No such "
                                     "file or directory\n  hint: a relative path starts at the directory of this "
                                     "config file",
                                     "main.toml:9:17: error: [[target]] \"b\" has both \"template\" and "
                                     "\"template_file\"\n  hint: keep one of them"));
}

TEST(LoadTargetShorthand, TakesTypeAndFieldsFromTheUrl) {
  FakeEnvironment environment;
  environment.variables = {{"TG", "tgram://123456:ABC-DEF/-1001234"}};
  const auto outcome = load_one(R"([[target]]
name = "tg"
url = "env:TG"
[[target]]
name = "disc"
type = "discord"
url = "discord://42/token"
[[target]]
name = "mx"
url = "matrixs://syt_abc@matrix.example/#news"
)",
                                environment);
  ASSERT_TRUE(outcome.ok()) << ::testing::PrintToString(rendered(outcome));
  const auto& targets = outcome.config->targets;
  EXPECT_EQ(targets[0].type, TargetType::telegram);
  EXPECT_EQ(targets[0].token.reveal(), "123456:ABC-DEF");
  EXPECT_EQ(targets[0].token.redacted(), "env:TG");
  EXPECT_EQ(targets[0].chat_id, "-1001234");
  EXPECT_TRUE(targets[0].url.empty());
  EXPECT_EQ(targets[1].type, TargetType::discord);
  EXPECT_EQ(targets[1].url.reveal(), "https://discord.com/api/webhooks/42/token");
  EXPECT_EQ(targets[2].type, TargetType::matrix);
  EXPECT_EQ(targets[2].url.reveal(), "https://matrix.example");
  EXPECT_EQ(targets[2].room, "#news:matrix.example");
  EXPECT_EQ(targets[2].token.reveal(), "syt_abc");
}

TEST(LoadTargetShorthand, ReportsAMismatchOrAMalformedUrl) {
  const auto outcome = load_one(
      "[[target]]\nname = \"a\"\ntype = \"slack\"\nurl = \"discord://42/token\"\n"
      "[[target]]\nname = \"b\"\nurl = \"tgram://nocolon/1\"\n"
      "[[target]]\nname = \"c\"\nurl = \"tgram://1:abc/2\"\nchat_id = \"3\"\n");
  EXPECT_THAT(rendered(outcome),
              ::testing::ElementsAre(
                  "main.toml:4:7: error: [[target]] \"a\" is type slack but its url is a discord shorthand\n"
                  "  hint: write type = \"discord\" or leave type out",
                  "main.toml:7:7: error: [[target]] \"b\" tgram:// URL: expected tgram://BOT_TOKEN/CHAT_ID with a "
                  "bot token like 123456:ABC-DEF\n  hint: see README \"Targets\" for the URL forms",
                  "main.toml:11:11: error: [[target]] \"c\" sets \"chat_id\" both here and in its url\n"
                  "  hint: keep one of them"));
}

// A config of `count` rules after `minimal`'s (over 2 MB for 30,000): large enough to be parsed in
// pieces on a machine with more than one core.
std::string many_rules(std::size_t count) {
  std::string text = minimal;
  for (std::size_t r = 0; r < count; ++r) {
    text += "\n[[rule]]\nname = \"watch-" + std::to_string(r) + "\"\nquery = 'word" + std::to_string(r) +
            " AND (other OR \"some phrase\")'\ntargets = [\"desk\"]\n";
  }
  return text;
}

int line_of(const std::string& text, std::string_view needle) {
  const auto at = static_cast<std::ptrdiff_t>(text.find(needle));
  return static_cast<int>(std::count(text.begin(), text.begin() + at, '\n')) + 1;
}

TEST(LoadConfig, ALargeFileReadsAsIfParsedInOnePiece) {
  std::string text = many_rules(30000);
  // A bad query near the end: its position must be the file's.
  text += "\n[[rule]]\nname = \"broken\"\nquery = 'word AND'\ntargets = [\"desk\"]\n";
  const auto outcome = load_one(text);
  ASSERT_FALSE(outcome.ok());
  ASSERT_EQ(outcome.diagnostics.size(), 1U) << ::testing::PrintToString(rendered(outcome));
  EXPECT_EQ(outcome.diagnostics[0].where.line, line_of(text, "query = 'word AND'"));

  const auto valid = load_one(many_rules(30000));
  ASSERT_TRUE(valid.ok()) << ::testing::PrintToString(rendered(valid));
  ASSERT_EQ(valid.config->rules.size(), 30001U);
  EXPECT_EQ(valid.config->rules[0].name, "isis");
  for (std::size_t r = 0; r < 30000; ++r) {
    ASSERT_EQ(valid.config->rules[r + 1].name, "watch-" + std::to_string(r));
  }
  EXPECT_EQ(valid.config->rules.back().targets, std::vector<std::string>{"desk"});
}

TEST(LoadConfig, ALargeFileKeepsTheErrorsOfTheWholeDocument) {
  // A second [daemon] table after the rules, and rules appended to a static array: errors of the
  // whole document, which no piece of it shows alone.
  const auto twice =
      load_one("[daemon]\nlog_level = \"info\"\n" + many_rules(30000) + "\n[daemon]\nlog_level = \"debug\"\n");
  ASSERT_FALSE(twice.ok());
  EXPECT_THAT(rendered(twice).front(), HasSubstr("invalid TOML"));
  const auto static_array = load_one("rule = []\n" + many_rules(30000));
  ASSERT_FALSE(static_array.ok());
  EXPECT_THAT(rendered(static_array).front(), HasSubstr("invalid TOML"));
  // A syntax error in the last piece: reported where it is in the file.
  const std::string broken = many_rules(30000) + "\n[[rule]]\nname = \"unterminated\nquery = 'x'\n";
  const auto syntax = load_one(broken);
  ASSERT_FALSE(syntax.ok());
  EXPECT_THAT(rendered(syntax).front(), HasSubstr("invalid TOML"));
  EXPECT_EQ(syntax.diagnostics[0].where.line, line_of(broken, "name = \"unterminated"));
}

#if !defined(__SANITIZE_ADDRESS__)
// Kilobytes of this process's mappings that carry the huge-page advice (VmFlags "hg" in smaps).
std::size_t huge_page_advised_kb() {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  std::size_t size_kb = 0;
  std::size_t advised_kb = 0;
  while (std::getline(smaps, line)) {
    if (line.starts_with("Size:")) {
      size_kb = std::stoul(line.substr(5));
    } else if (line.starts_with("VmFlags:") && (line + " ").find(" hg ") != std::string::npos) {
      advised_kb += size_kb;
    }
  }
  return advised_kb;
}

// In a process of its own: one whose heap already has room from earlier loads does not grow it.
void load_small_then_large_config() {
  testing::TempDir dir;
  const auto small = load_config_file(dir.write("small/newswatch.toml", minimal));
  if (!small.ok() || huge_page_advised_kb() != 0) {
    std::fprintf(stderr, "a config of a few rules changed the heap\n");
    std::exit(1);
  }
  // 2 MB of config: the main heap grows by 16 times that, all of it advised, and on more than one
  // core, the thread that parses the second half advises its arena's heap (64 MB).
  const auto large = load_config_file(dir.write("large/newswatch.toml", many_rules(30000)));
  if (!large.ok() || large.config->rules.size() != 30001U) {
    std::fprintf(stderr, "the large config did not load\n");
    std::exit(1);
  }
  const std::size_t expected_kb = (30 + (std::thread::hardware_concurrency() > 1 ? 64 : 0)) * 1024;
  if (const std::size_t advised_kb = huge_page_advised_kb(); advised_kb < expected_kb) {
    std::fprintf(stderr, "advised %zu KB, expected at least %zu KB\n", advised_kb, expected_kb);
    std::exit(1);
  }
  std::exit(0);
}

#endif

TEST(LoadConfigFile, ALargeConfigIsLoadedIntoHugePages) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "the sanitizer's allocator stands in for glibc's heap, which the advice is for";
#else
  std::ifstream thp("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  std::getline(thp, modes);
  if (modes.empty() || modes.find("[never]") != std::string::npos) {
    GTEST_SKIP() << "transparent huge pages are off on this kernel";
  }
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // a fresh process, not a fork of this one
  EXPECT_EXIT(load_small_then_large_config(), ::testing::ExitedWithCode(0), "");
#endif
}

}  // namespace
}  // namespace newswatch::config
