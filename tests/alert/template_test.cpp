#include "newswatch/alert/template.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "alert_fixtures.hpp"
#include "newswatch/alert/request_builder.hpp"

namespace newswatch::alert {
namespace {

using namespace testing;
using ::testing::HasSubstr;

Message story(const Alert& alert) {
  return Message{MessageKind::story, {alert}};
}

std::string render_ok(std::string_view text, const Message& message, Markup markup) {
  auto rendered = render_template(text, message, markup);
  if (!rendered) {
    ADD_FAILURE() << rendered.error().to_string();
    return {};
  }
  return *rendered;
}

TEST(RenderTemplate, EscapesTheVariablesButNeverTheTemplateText) {
  auto alert = story_alert();
  alert.title = "<i>x</i> & @here";
  EXPECT_EQ(render_ok("<b>{{title}}</b> {{{title}}}", story(alert), Markup::html),
            "<b>&lt;i&gt;x&lt;/i&gt; &amp; @\xE2\x80\x8Bhere</b> &lt;i&gt;x&lt;/i&gt; &amp; @\xE2\x80\x8Bhere");
  EXPECT_EQ(render_ok("*{{title}}*", story(alert), Markup::markdown), "*\\<i\\>x\\</i\\> \\& @\xE2\x80\x8Bhere*");
  EXPECT_EQ(render_ok("{\"t\": \"{{title}}\"}", story(alert), Markup::json), "{\"t\": \"<i>x</i> & @here\"}");
}

TEST(RenderTemplate, OffersEveryDocumentedVariable) {
  auto alert = story_alert();
  alert.updated = true;
  const Message message{MessageKind::story, {alert, story_alert("a2", "syria")}};
  const std::string text =
      "{{rule}}|{{#rules}}[{{.}}]{{/rules}}|{{title}}|{{link}}|{{feed}}|{{published}}|{{published_iso}}|"
      "{{summary}}|{{matched}}|{{#matched_words}}<{{.}}>{{/matched_words}}|{{#why}}{{text}};{{/why}}|"
      "{{#also}}{{feed}}={{title}}@{{link}}{{/also}}|{{also_feeds}}|{{story}}|{{#updated}}updated{{/updated}}|"
      "{{^digest}}story{{/digest}}|{{count}}|{{alert_id}}";
  EXPECT_EQ(render_ok(text, message, Markup::plain),
            "isis-coalition, syria|[isis-coalition][syria]|Coalition strikes ISIS positions|"
            "https://news.example/world/coalition?id=7&lang=en|trt-world|2026-11-28 09:30 UTC|2026-11-28T09:30:00Z|"
            "The coalition said the strikes hit ISIS positions overnight.|Coalition, ISIS|<Coalition><ISIS>|"
            "Coalition;ISIS;|bbc-world=Strikes on ISIS@https://bbc.example/strikes|bbc-world|story-1|updated|story|1|" +
                message_id(message));
}

TEST(RenderTemplate, ListsADigestsAlerts) {
  auto second = story_alert("a2", "syria");
  second.story = "story-2";
  second.title = "Second <story>";
  const auto digest = make_digest(std::vector<Alert>{story_alert(), second});
  EXPECT_EQ(render_ok("{{#digest}}{{count}}:{{#alerts}} {{title}} ({{rule}});{{/alerts}}{{/digest}}", digest,
                      Markup::telegram_html),
            "2: Coalition strikes ISIS positions (isis-coalition); Second &lt;story&gt; (syria);");
}

struct TemplateErrorCase {
  std::string name;
  std::string text;
  int line;
  int column;
  std::string message;
};

class TemplateErrors : public ::testing::TestWithParam<TemplateErrorCase> {};

TEST_P(TemplateErrors, SayWhereInTheTemplate) {
  const auto& test = GetParam();
  const auto error = check_template(test.text);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->line, test.line);
  EXPECT_EQ(error->column, test.column);
  EXPECT_EQ(error->message, test.message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TemplateErrors,
    ::testing::Values(TemplateErrorCase{"UnclosedSection", "Hello {{#also}}x", 1, 7, "Unclosed section \"also\""},
                      TemplateErrorCase{"UnopenedSection", "line one\n  {{/also}}", 2, 3, "Unopened section \"also\""},
                      TemplateErrorCase{"UnclosedTag", "Title: {{title\nmore", 1, 8, "Unclosed tag"},
                      TemplateErrorCase{"ColumnsCountCharacters", "\xC3\xA9\xC3\xA9 {{title", 1, 4, "Unclosed tag"},
                      TemplateErrorCase{"BadDelimiter", "{{=<% =}}", 1, 1, "Invalid set delimiter tag"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(CheckTemplate, AcceptsAWorkingTemplate) {
  EXPECT_FALSE(check_template("{{#rules}}{{.}} {{/rules}}{{title}} {{link}}").has_value());
}

TEST(CheckTemplate, RequiresJsonFromAWebhookTemplate) {
  EXPECT_FALSE(check_template(R"({"title": "{{title}}", "rules": "{{rule}}"})", config::TargetType::webhook));
  const auto error = check_template("title: {{title}}", config::TargetType::webhook);
  ASSERT_TRUE(error.has_value());
  EXPECT_THAT(error->message, HasSubstr("must render JSON"));
}

TEST(CheckTemplate, RendersTheSampleAlertForEveryTargetType) {
  for (const auto type : all_target_types) {
    auto target = target_of(type);
    target.template_text = type == config::TargetType::webhook ? R"({"t": "{{title}}"})" : "{{rule}}: {{title}}";
    EXPECT_FALSE(check_template(target.template_text, type).has_value()) << type_name(type);
    const auto requests = build_requests(target, story(sample_alert()), TimePoint{});
    ASSERT_TRUE(requests.has_value()) << type_name(type) << ": " << requests.error();
    EXPECT_THAT(limit_violations(type, requests->front()), ::testing::IsEmpty());
  }
}

TEST(TargetTemplate, FillsTheSlackSection) {
  auto target = target_of(config::TargetType::slack);
  target.template_text = "*{{rule}}* <{{link}}|{{title}}>";
  auto alert = story_alert();
  alert.title = "A <b> & C";
  const auto requests = build_requests(target, story(alert), TimePoint{});
  ASSERT_TRUE(requests.has_value()) << requests.error();
  const Json body = parse_json(requests->front().body);
  EXPECT_EQ(body["blocks"][1]["text"]["text"],
            "*isis-coalition* <https://news.example/world/coalition?id=7&amp;lang=en|A &lt;b&gt; &amp; C>");
}

TEST(TargetTemplate, GivesMatrixAPlainBodyFromTheHtml) {
  auto target = target_of(config::TargetType::matrix);
  target.template_text = "<b>{{rule}}</b>: <a href=\"{{link}}\">{{title}}</a>";
  const auto requests = build_requests(target, story(story_alert()), TimePoint{});
  ASSERT_TRUE(requests.has_value()) << requests.error();
  const Json body = parse_json(requests->front().body);
  EXPECT_EQ(body["body"], "isis-coalition: Coalition strikes ISIS positions");
  EXPECT_EQ(body["formatted_body"],
            "<b>isis-coalition</b>: <a href=\"https://news.example/world/coalition?id=7&amp;lang=en\">Coalition "
            "strikes ISIS positions</a>");
}

TEST(TargetTemplate, ShrinksItsVariablesToFitThePlatform) {
  auto target = target_of(config::TargetType::telegram);
  target.template_text = "{{title}}\n{{summary}}\n{{link}}";
  auto alert = story_alert();
  alert.title = std::string(20000, 'x');
  alert.summary = std::string(20000, 'y');
  const auto requests = build_requests(target, story(alert), TimePoint{});
  ASSERT_TRUE(requests.has_value()) << requests.error();
  EXPECT_THAT(limit_violations(config::TargetType::telegram, requests->front()), ::testing::IsEmpty());
  EXPECT_THAT(requests->front().body, HasSubstr("https://news.example/world/coalition?id=7&amp;lang=en"));
}

TEST(TargetTemplate, ReportsATemplateLongerThanThePlatformAllows) {
  auto target = target_of(config::TargetType::telegram);
  target.template_text = std::string(5000, 'x') + "{{title}}";
  const auto requests = build_requests(target, story(story_alert()), TimePoint{});
  ASSERT_FALSE(requests.has_value());
  EXPECT_THAT(requests.error(), HasSubstr("does not fit Telegram"));
}

}  // namespace
}  // namespace newswatch::alert
