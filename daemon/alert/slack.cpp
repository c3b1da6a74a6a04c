// Slack incoming webhook with Block Kit. Limits (docs.slack.dev, Block Kit reference): a section's
// text at most 3,000 characters, a header's 150, at most 50 blocks in a message; the top-level
// `text` (the notification fallback) is truncated by Slack past 40,000 characters.

#include "platforms.hpp"
#include "template_data.hpp"

namespace newswatch::alert::detail {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t section_limit = 3000;
constexpr std::size_t header_limit = 150;
constexpr std::size_t block_limit = 50;
constexpr std::size_t text_limit = 40000;
constexpr LengthUnit unit = LengthUnit::utf16;

const TextStyle section_style{Markup::slack, "\n", true, false, false};

Json header_block(const std::string& text) {
  // plain_text: Slack shows it as it is, nothing in it is parsed.
  return {{"type", "header"},
          {"text", {{"type", "plain_text"}, {"text", truncate_text(text, header_limit, unit)}, {"emoji", true}}}};
}

Json section_block(std::string text) {
  return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", std::move(text)}}}};
}

/// mrkdwn text as sections of at most 3,000 characters, split between lines.
std::vector<std::string> split_sections(const std::string& text) {
  std::vector<std::string> sections;
  std::string current;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    const std::string line = text.substr(start, end - start);
    if (!current.empty() && text_length(current, unit) + 1 + text_length(line, unit) > section_limit) {
      sections.push_back(std::move(current));
      current.clear();
    }
    current += current.empty() ? "" : "\n";
    current += line;
    start = end + 1;
  }
  if (!current.empty()) {
    sections.push_back(std::move(current));
  }
  return sections;
}

std::optional<std::string> check(const Json& payload) {
  if (payload["blocks"].size() > block_limit) {
    return fmt::format("{} blocks (at most {})", payload["blocks"].size(), block_limit);
  }
  for (const auto& block : payload["blocks"]) {
    if (block["type"] == "section") {
      if (auto problem = too_long("a section", block["text"]["text"].get<std::string>(), section_limit, unit)) {
        return problem;
      }
    }
  }
  return too_long("the text", payload["text"].get<std::string>(), text_limit, unit);
}

Json payload(std::string heading, const std::string& fallback, const std::string& body,
             const std::optional<std::string>& context) {
  Json blocks = Json::array();
  blocks.push_back(header_block(heading));
  for (auto& section : split_sections(body)) {
    blocks.push_back(section_block(std::move(section)));
  }
  if (context) {
    blocks.push_back({{"type", "context"}, {"elements", {{{"type", "mrkdwn"}, {"text", *context}}}}});
  }
  // No unfurling: the message already shows the story; a preview would double it.
  return {{"text", fallback}, {"blocks", std::move(blocks)}, {"unfurl_links", false}, {"unfurl_media", false}};
}

Expected<Json, std::string> render_story(const config::Target& target, const StoryView& view, const Budget& budget) {
  std::string heading = rules_text(view.rules, budget) + (view.updated ? " (updated)" : "");
  const std::string fallback =
      escape_text(Markup::slack, rules_text(view.rules, budget) + ": " + budget_title(view.title, budget));
  if (!target.template_text.empty()) {
    auto rendered = render_data(target.template_text, story_data(view, budget, Markup::slack));
    if (!rendered) {
      return make_unexpected("template " + rendered.error().to_string());
    }
    return payload(std::move(heading), fallback, *rendered, std::nullopt);
  }
  return payload(std::move(heading), fallback, compose_story(view, budget, section_style),
                 source_line(view, budget, Markup::slack));
}

Expected<Json, std::string> render_digest(const config::Target& target, const std::vector<DigestEntry>& entries,
                                          std::size_t total, const Budget& budget) {
  const std::string heading = fmt::format("Digest: {} {}", total, total == 1 ? "story" : "stories");
  std::string body;
  if (!target.template_text.empty()) {
    auto rendered = render_data(target.template_text, digest_data(entries, total, budget, Markup::slack));
    if (!rendered) {
      return make_unexpected("template " + rendered.error().to_string());
    }
    body = std::move(*rendered);
  } else {
    body = compose_digest(entries, total, budget, section_style);
  }
  return payload(heading, escape_text(Markup::slack, heading), body, std::nullopt);
}

OutgoingRequest request(const config::Target& target, const Json& payload) {
  return {"POST", target.url.reveal(), {{"Content-Type", "application/json"}}, dump_json(payload)};
}

}  // namespace

Requests build_slack(const config::Target& target, const Message& message) {
  std::vector<OutgoingRequest> requests;
  if (message.kind == MessageKind::digest) {
    auto pages = pack_pages(
        "Slack", make_digest_entries(message),
        [&target](const std::vector<DigestEntry>& entries, std::size_t total, const Budget& budget) {
          return render_digest(target, entries, total, budget);
        },
        check);
    if (!pages) {
      return make_unexpected(std::move(pages).error());
    }
    for (const auto& page : *pages) {
      requests.push_back(request(target, page));
    }
    return requests;
  }
  const StoryView view = make_story_view(message);
  auto fitted = fit_message(
      "Slack", [&](const Budget& budget) { return render_story(target, view, budget); }, check);
  if (!fitted) {
    return make_unexpected(std::move(fitted).error());
  }
  requests.push_back(request(target, *fitted));
  return requests;
}

}  // namespace newswatch::alert::detail
