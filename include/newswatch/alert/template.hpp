#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "newswatch/alert/escape.hpp"
#include "newswatch/alert/message.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/model/expected.hpp"

namespace newswatch::alert {

// Message templates are Mustache (https://mustache.github.io/mustache.5.html), rendered by
// kainjow-mustache. Every variable arrives already escaped for the target's markup, so {{x}} and
// {{{x}}} print the same thing and template text is never escaped. Variables (README "Templates"):
//   rule           the rule names, joined with ", "       rules          list of rule names ({{.}})
//   title, link, feed, story, alert_id, summary          published      "2026-11-28 12:00 UTC"
//   published_iso  RFC 3339, empty when unknown          updated        true when an edit raised it
//   matched        the matched words, joined with ", "   matched_words  list of matched words
//   why            list of {field, text}                 also           list of {feed, title, link}
//   also_feeds     the other outlets, joined             digest         true in a digest
//   count          stories in the message                alerts         a digest's list of
//                                                                       {title, link, feed, rule,
//                                                                        published, updated}

/// Where a template went wrong: line and column (1-based, in characters) inside the template text.
struct TemplateError {
  int line = 0;
  int column = 0;
  std::string message;

  /// "line 2, column 5: Unclosed section \"also\"".
  [[nodiscard]] std::string to_string() const;
};

/// A sample alert for checking templates and for `send-test`: every variable set, with a title
/// full of markup, mentions and right-to-left text that each target must escape.
Alert sample_alert();

/// Renders `text` for `message` with every variable escaped for `markup`.
Expected<std::string, TemplateError> render_template(std::string_view text, const Message& message, Markup markup);

/// Parses `text` and renders it with sample_alert() the way a `type` target would (a webhook
/// template must produce JSON); nullopt when it is fine.
std::optional<TemplateError> check_template(std::string_view text,
                                            config::TargetType type = config::TargetType::console);

}  // namespace newswatch::alert
