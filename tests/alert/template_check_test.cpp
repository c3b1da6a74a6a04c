#include "newswatch/alert/template_check.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace newswatch::alert {
namespace {

config::Target console_with(std::string text, std::string file, config::Location where) {
  config::Target target;
  target.name = "log";
  target.type = config::TargetType::console;
  target.template_text = std::move(text);
  target.template_file = std::move(file);
  target.template_location = std::move(where);
  return target;
}

TEST(CheckTargetTemplates, PointsIntoATemplateFile) {
  config::Config config;
  config.targets.push_back(console_with("{{title}}\n  {{#also}}{{feed}}\n", "/etc/newswatch/log.mustache",
                                        {"/etc/newswatch/log.mustache", 1, 1}));
  const auto diagnostics = check_target_templates(config);
  ASSERT_EQ(diagnostics.size(), 1U);
  EXPECT_EQ(diagnostics[0].to_string(),
            "/etc/newswatch/log.mustache:2:3: error: template of [[target]] \"log\": Unclosed section \"also\"\n"
            "  hint: templates are Mustache; README \"Templates\" lists the variables");
}

TEST(CheckTargetTemplates, PointsAtAnInlineTemplateAndIntoIt) {
  config::Config config;
  config.targets.push_back(console_with("{{title}} {{/rules}}", "", {"main.toml", 7, 12}));
  config.targets.push_back(console_with("{{title}}", "", {"main.toml", 12, 12}));
  const auto diagnostics = check_target_templates(config);
  ASSERT_EQ(diagnostics.size(), 1U);
  EXPECT_EQ(diagnostics[0].where.line, 7);
  EXPECT_EQ(diagnostics[0].where.column, 12);
  EXPECT_EQ(diagnostics[0].message, "template of [[target]] \"log\", line 1, column 11: Unopened section \"rules\"");
}

}  // namespace
}  // namespace newswatch::alert
