#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace newswatch {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::run_newswatch;

const std::string example_config = std::string(NEWSWATCH_SOURCE_DIR) + "/conf/newswatch.toml";

TEST(CheckCommand, AcceptsTheShippedExampleConfig) {
  const auto result = run_newswatch({"check", "--config", example_config});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("config ok: 2 feeds, 1 rules, 1 targets"));
  EXPECT_THAT(result.out, HasSubstr("feed   trt-world"));
  EXPECT_THAT(result.out, HasSubstr("rule   isis-coalition"));
}

TEST(CheckCommand, AcceptsTheDemoConfig) {
  const auto result = run_newswatch({"check", "--config", std::string(NEWSWATCH_SOURCE_DIR) + "/conf/demo.toml"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST(CheckCommand, NamesEveryMistakeInEveryFile) {
  testing::TempDir dir;
  const auto main_file = dir.write("newswatch.toml",
                                   "[daemon]\nfetch_timeout = \"30\"\n\n[[feed]]\nname = \"bbc\"\n"
                                   "url = \"https://feeds.bbci.co.uk/news/world/rss.xml\"\n");
  dir.write("conf.d/50-rules.toml",
            "[[rule]]\nname = \"isis\"\nquery = '\"ISIS coalition\"'\nfeeds = [\"bcc\"]\n\n"
            "[[target]]\nname = \"desk\"\ntype = \"slack\"\nurll = \"https://hooks.example/x\"\n");
  const auto result = run_newswatch({"check", "--config", main_file.string()});
  EXPECT_EQ(result.exit_code, 1);
  const auto drop_in = (dir.path() / "conf.d/50-rules.toml").string();
  EXPECT_THAT(result.err, HasSubstr(main_file.string() + ":2:17: error: bad duration \"30\" for \"fetch_timeout\""));
  EXPECT_THAT(result.err, HasSubstr(drop_in + ":4:9: error: rule \"isis\" names unknown feed \"bcc\""));
  EXPECT_THAT(result.err, HasSubstr("did you mean \"bbc\"?"));
  EXPECT_THAT(result.err, HasSubstr(drop_in + ":9:1: error: unknown key \"urll\" in [[target]] \"desk\""));
  EXPECT_THAT(result.err, HasSubstr("did you mean \"url\"?"));
  EXPECT_THAT(result.err, HasSubstr("4 error(s)"));  // the three mistakes plus the url the typo left missing
  EXPECT_TRUE(result.out.empty());
}

TEST(CheckCommand, ReportsTemplateErrorsWhereTheyAre) {
  testing::TempDir dir;
  dir.write("templates/desk.mustache", "{{title}}\n{{#also}}{{feed}}\n");
  const auto main_file =
      dir.write("newswatch.toml",
                "[[target]]\nname = \"desk\"\ntype = \"console\"\n"
                "template_file = \"templates/desk.mustache\"\n"
                "[[target]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"https://hooks.example/x\"\n"
                "template = \"title: {{title}}\"\n");
  const auto result = run_newswatch({"check", "--config", main_file.string()});
  EXPECT_EQ(result.exit_code, 1);
  const auto template_file = (dir.path() / "templates/desk.mustache").string();
  EXPECT_THAT(result.err,
              HasSubstr(template_file + ":2:1: error: template of [[target]] \"desk\": Unclosed section \"also\""));
  EXPECT_THAT(result.err,
              HasSubstr(main_file.string() +
                        ":9:12: error: template of [[target]] \"hook\", a webhook template must render JSON"));
  EXPECT_THAT(result.err, HasSubstr("2 error(s)"));
}

TEST(CheckCommand, AcceptsAppriseStyleTargetUrls) {
  testing::TempDir dir;
  const auto main_file = dir.write("newswatch.toml",
                                   "[[target]]\nname = \"disc\"\nurl = \"discord://42/token\"\n"
                                   "[[target]]\nname = \"phone\"\nurl = \"ntfys://ntfy.example/alerts\"\n");
  const auto result = run_newswatch({"check", "--config", main_file.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("target disc                 discord"));
  EXPECT_THAT(result.out, HasSubstr("target phone                ntfy"));
}

TEST(CheckCommand, PrintRedactsSecrets) {
  testing::TempDir dir;
  const auto main_file = dir.write("newswatch.toml",
                                   "[[target]]\nname = \"desk\"\ntype = \"slack\"\nurl = \"env:DESK_HOOK\"\n"
                                   "[[target]]\nname = \"raw\"\ntype = \"discord\"\n"
                                   "url = \"https://discord.example/api/webhooks/1/inline\"\n");
  testing::ProcessOptions options;
  options.env["DESK_HOOK"] = "https://hooks.slack.example/T000/B000/verysecret";
  const auto result = run_newswatch({"check", "--print", "--config", main_file.string()}, options);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("url = 'env:DESK_HOOK'"));
  EXPECT_THAT(result.out, HasSubstr("url = '<redacted>'"));
  EXPECT_THAT(result.out + result.err, Not(HasSubstr("verysecret")));
  EXPECT_THAT(result.out + result.err, Not(HasSubstr("inline")));
}

TEST(CheckCommand, FindsTheConfigThroughTheEnvironment) {
  testing::ProcessOptions options;
  options.env["NEWSWATCH_CONFIG"] = example_config;
  const auto result = run_newswatch({"check"}, options);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr(example_config));
}

TEST(CheckCommand, ReportsAMissingConfigFile) {
  testing::ProcessOptions options;
  options.unset_env = {"NEWSWATCH_CONFIG"};
  const auto result = run_newswatch({"check", "--config", "/nonexistent/newswatch.toml"}, options);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("/nonexistent/newswatch.toml: error: cannot read config file"));
}

TEST(Cli, HelpListsSubcommandsAndVersionPrints) {
  const auto help = run_newswatch({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("check"));
  EXPECT_THAT(help.out, HasSubstr("--config"));
  EXPECT_THAT(help.out, HasSubstr("Exit codes"));
  const auto check_help = run_newswatch({"check", "--help"});
  EXPECT_EQ(check_help.exit_code, 0);
  EXPECT_THAT(check_help.out, HasSubstr("--print"));
  const auto version = run_newswatch({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, ::testing::StartsWith("newswatch 0."));
}

TEST(Cli, BadUsageExitsWithOne) {
  EXPECT_EQ(run_newswatch({"no-such-command"}).exit_code, 1);
  EXPECT_EQ(run_newswatch({"check", "--no-such-flag"}).exit_code, 1);
  EXPECT_EQ(run_newswatch({}).exit_code, 1);
}

}  // namespace
}  // namespace newswatch

namespace newswatch {
namespace {

TEST(Logging, WritesJsonLinesWhenTheConfigAsksForThem) {
  testing::TempDir dir;
  const auto main_file = dir.write("newswatch.toml", "[daemon]\nlog_format = \"json\"\nlog_level = \"debug\"\n");
  const auto result = testing::run_newswatch({"check", "--config", main_file.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, ::testing::HasSubstr(R"("level":"debug","msg":"config: loaded file=)"));
  EXPECT_THAT(result.err, ::testing::StartsWith(R"({"ts":")"));
}

TEST(Logging, UsesJournalPrioritiesInsteadOfTimestampsUnderSystemd) {
  testing::TempDir dir;
  const auto main_file = dir.write("newswatch.toml", "[daemon]\nlog_level = \"debug\"\n");
  testing::ProcessOptions options;
  options.env["JOURNAL_STREAM"] = "8:12345";
  const auto journal = testing::run_newswatch({"check", "--config", main_file.string()}, options);
  EXPECT_THAT(journal.err, ::testing::StartsWith("<7>config: loaded file="));
  options.env.clear();
  options.unset_env = {"JOURNAL_STREAM"};
  const auto terminal = testing::run_newswatch({"check", "--config", main_file.string()}, options);
  EXPECT_THAT(terminal.err,
              ::testing::MatchesRegex(R"(^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+ debug config: loaded file=.*)"));
}

TEST(Logging, CommandLineLevelOverridesTheConfig) {
  testing::TempDir dir;
  const auto main_file = dir.write("newswatch.toml", "[daemon]\nlog_level = \"debug\"\n");
  const auto result = testing::run_newswatch({"check", "--log-level", "warn", "--config", main_file.string()});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err, "");
}

}  // namespace
}  // namespace newswatch
