#include "newswatch/alert/template.hpp"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "template_data.hpp"

namespace newswatch::alert {
namespace detail {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::list;

std::string joined(const std::vector<std::string>& values, std::size_t limit, std::size_t name_limit, Markup markup) {
  std::string text;
  const std::size_t shown = std::min(values.size(), limit);
  for (std::size_t i = 0; i < shown; ++i) {
    text += i == 0 ? "" : ", ";
    text += escape_text(markup, truncate_text(values[i], name_limit, LengthUnit::code_points));
  }
  if (shown < values.size()) {
    text += fmt::format(" and {} more", values.size() - shown);
  }
  return text;
}

list string_list(const std::vector<std::string>& values, std::size_t limit, std::size_t name_limit, Markup markup) {
  list out;
  for (std::size_t i = 0; i < values.size() && i < limit; ++i) {
    out.emplace_back(escape_text(markup, truncate_text(values[i], name_limit, LengthUnit::code_points)));
  }
  return out;
}

/// A byte offset in `text` as 1-based line and column (columns count code points).
std::pair<int, int> line_and_column(std::string_view text, std::size_t offset) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

Markup template_markup(config::TargetType type) {
  switch (type) {
    case config::TargetType::webhook: return Markup::json;
    case config::TargetType::slack: return Markup::slack;
    case config::TargetType::discord:
    case config::TargetType::mattermost:
    case config::TargetType::ntfy: return Markup::markdown;
    case config::TargetType::googlechat:
    case config::TargetType::matrix: return Markup::html;
    case config::TargetType::telegram: return Markup::telegram_html;
    case config::TargetType::teams:
    case config::TargetType::console: return Markup::plain;
  }
  return Markup::plain;
}

data story_data(const StoryView& view, const Budget& budget, Markup markup) {
  const auto escape = [markup](const std::string& text) { return escape_text(markup, text); };
  data values;
  values.set("rule", escape(rules_text(view.rules, budget)));
  values.set("rules", string_list(view.rules, budget.rules, budget.name, markup));
  values.set("title", escape(budget_title(view.title, budget)));
  values.set("link", escape_link(markup, view.link));
  values.set("feed", escape(truncate_text(view.feed, budget.name, LengthUnit::code_points)));
  values.set("story", escape(view.story));
  values.set("alert_id", escape(view.id));
  values.set("published", view.published ? format_published(*view.published) : std::string());
  values.set("published_iso", view.published ? format_rfc3339(*view.published) : std::string());
  std::string summary;
  for (const auto& segment : budget_summary(view.summary, budget)) {
    summary += segment.text;
  }
  values.set("summary", escape(summary));
  values.set("updated", view.updated);
  values.set("matched", joined(view.matched, budget.matched, budget.name, markup));
  values.set("matched_words", string_list(view.matched, budget.matched, budget.name, markup));
  list why;
  for (std::size_t i = 0; i < view.matched.size() && i < budget.matched; ++i) {
    data entry;
    entry.set("text", escape(truncate_text(view.matched[i], budget.name, LengthUnit::code_points)));
    why.push_back(std::move(entry));
  }
  values.set("why", why);
  list also;
  std::vector<std::string> feeds;
  for (std::size_t i = 0; i < view.also.size() && i < budget.also; ++i) {
    const auto& outlet = view.also[i];
    data entry;
    entry.set("feed", escape(truncate_text(outlet.feed, budget.name, LengthUnit::code_points)));
    entry.set("title", escape(budget_title(outlet.title, budget)));
    entry.set("link", escape_link(markup, outlet.link));
    also.push_back(std::move(entry));
    feeds.push_back(outlet.feed);
  }
  values.set("also", also);
  values.set("also_feeds", joined(feeds, budget.also, budget.name, markup));
  values.set("digest", false);
  values.set("count", "1");
  values.set("alerts", list{});
  return values;
}

data digest_data(const std::vector<DigestEntry>& entries, std::size_t total, const Budget& budget, Markup markup) {
  const auto escape = [markup](const std::string& text) { return escape_text(markup, text); };
  data values;
  std::vector<std::string> rules;
  list alerts;
  for (const auto& entry : entries) {
    for (const auto& rule : entry.rules) {
      if (std::find(rules.begin(), rules.end(), rule) == rules.end()) {
        rules.push_back(rule);
      }
    }
    data item;
    item.set("title", escape(budget_title(entry.title, budget)));
    item.set("link", escape_link(markup, entry.link));
    item.set("feed", escape(truncate_text(entry.feed, budget.name, LengthUnit::code_points)));
    item.set("rule", escape(rules_text(entry.rules, budget)));
    item.set("published", entry.published ? format_published(*entry.published) : std::string());
    item.set("updated", entry.updated);
    alerts.push_back(std::move(item));
  }
  values.set("rule", joined(rules, budget.rules, budget.name, markup));
  values.set("rules", string_list(rules, budget.rules, budget.name, markup));
  values.set("digest", true);
  values.set("count", std::to_string(total));
  values.set("alerts", alerts);
  for (const char* empty : {"title", "link", "feed", "story", "alert_id", "published", "published_iso", "summary",
                            "matched", "also_feeds"}) {
    values.set(empty, std::string());
  }
  values.set("updated", false);
  values.set("matched_words", list{});
  values.set("why", list{});
  values.set("also", list{});
  return values;
}

Expected<std::string, TemplateError> render_data(std::string_view text, const data& values) {
  kainjow::mustache::mustache parsed{std::string(text)};
  const auto fail = [text](const std::string& message) {
    // kainjow reports "... at <byte offset>"; turn the offset into a line and column.
    TemplateError error;
    error.message = message;
    const auto at = message.rfind(" at ");
    std::size_t offset = 0;
    if (at != std::string::npos) {
      const char* first = message.data() + at + 4;
      const char* last = message.data() + message.size();
      if (std::from_chars(first, last, offset).ptr == last) {
        error.message = message.substr(0, at);
        std::tie(error.line, error.column) = line_and_column(text, offset);
      }
    }
    return make_unexpected(std::move(error));
  };
  if (!parsed.is_valid()) {
    return fail(parsed.error_message());
  }
  parsed.set_custom_escape([](const std::string& value) { return value; });
  std::string out = parsed.render(values);
  if (!parsed.is_valid()) {
    return fail(parsed.error_message());
  }
  return out;
}

}  // namespace detail

std::string TemplateError::to_string() const {
  if (line <= 0) {
    return message;
  }
  return fmt::format("line {}, column {}: {}", line, column, message);
}

Alert sample_alert() {
  using namespace std::chrono;
  Alert alert;
  alert.id = "sample-alert";
  alert.rule = "sample-rule";
  alert.story = "sample-story";
  alert.feed = "sample-feed";
  alert.item_id = "sample-item";
  alert.title = "Coalition <b>talks</b> & *bold* claims @everyone <!channel> \u202Eright-to-left\u202C 🇺🇳";
  alert.link = "https://news.example/world/coalition-talks?a=1&b=2";
  alert.published = sys_days{year{2026} / November / 28} + hours{12};
  alert.summary = "Ministers met on Friday to discuss the coalition and its next steps.";
  alert.why = {{"summary", {{39, 48}}, {"coalition"}}};
  alert.also = {{"other-feed", "Coalition talks continue", "https://other.example/talks"}};
  alert.created = alert.published.value_or(TimePoint{});
  return alert;
}

Expected<std::string, TemplateError> render_template(std::string_view text, const Message& message, Markup markup) {
  const detail::Budget budget;
  if (message.kind == MessageKind::digest) {
    const auto entries = detail::make_digest_entries(message);
    return detail::render_data(text, detail::digest_data(entries, entries.size(), budget, markup));
  }
  return detail::render_data(text, detail::story_data(detail::make_story_view(message), budget, markup));
}

std::optional<TemplateError> check_template(std::string_view text, config::TargetType type) {
  const Markup markup = detail::template_markup(type);
  const Alert alert = sample_alert();
  for (const auto kind : {MessageKind::story, MessageKind::digest}) {
    auto rendered = render_template(text, Message{kind, {alert}}, markup);
    if (!rendered) {
      return std::move(rendered).error();
    }
    if (type == config::TargetType::webhook && !nlohmann::json::accept(*rendered)) {
      return TemplateError{0, 0,
                           fmt::format("a webhook template must render JSON; with a sample {} it renders: {}",
                                       kind == MessageKind::story ? "alert" : "digest",
                                       truncate_text(*rendered, 200, LengthUnit::code_points))};
    }
  }
  return std::nullopt;
}

}  // namespace newswatch::alert
