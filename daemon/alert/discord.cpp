// Discord webhook (discord.com/developers/docs/resources/webhook#execute-webhook). `?wait=true`
// makes Discord answer with the message or a real error instead of 204 before it validates.
// Embed limits (resources/message#embed-object-embed-limits): title 256, description 4,096,
// footer 2,048, and 6,000 for all embeds of a message together; content at most 2,000 characters.

#include "platforms.hpp"
#include "template_data.hpp"

namespace newswatch::alert::detail {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t title_limit = 256;
constexpr std::size_t description_limit = 4096;
constexpr std::size_t footer_limit = 2048;
constexpr std::size_t embeds_limit = 6000;
constexpr std::size_t content_limit = 2000;
constexpr LengthUnit unit = LengthUnit::utf16;
constexpr int embed_color = 0x2B6CB0;

const TextStyle description_style{Markup::markdown, "\n", false, false, false};

std::optional<std::string> check(const Json& payload) {
  if (auto problem = too_long("the content", payload["content"].get<std::string>(), content_limit, unit)) {
    return problem;
  }
  std::size_t total = 0;
  for (const auto& embed : payload["embeds"]) {
    const auto title = embed.value("title", std::string());
    const auto description = embed.value("description", std::string());
    const auto footer = embed.contains("footer") ? embed["footer"]["text"].get<std::string>() : std::string();
    if (auto problem = too_long("the embed title", title, title_limit, unit)) {
      return problem;
    }
    if (auto problem = too_long("the embed description", description, description_limit, unit)) {
      return problem;
    }
    if (auto problem = too_long("the embed footer", footer, footer_limit, unit)) {
      return problem;
    }
    total += text_length(title, unit) + text_length(description, unit) + text_length(footer, unit);
  }
  if (total > embeds_limit) {
    return fmt::format("the embeds are {} characters together (at most {})", total, embeds_limit);
  }
  return std::nullopt;
}

Json payload(std::string content, Json embed) {
  // Discord refuses an empty description; a template may render nothing.
  if (embed.contains("description") && embed["description"].get<std::string>().empty()) {
    embed.erase("description");
  }
  // No mention in any text may ping anyone, whatever the feed wrote (allowed_mentions, parse []).
  return {{"content", std::move(content)},
          {"embeds", Json::array({std::move(embed)})},
          {"allowed_mentions", {{"parse", Json::array()}}}};
}

Expected<Json, std::string> render_story(const config::Target& target, const StoryView& view, const Budget& budget) {
  std::string content = bold(Markup::markdown, escape_text(Markup::markdown, rules_text(view.rules, budget)));
  if (view.updated) {
    content += " (updated)";
  }
  Json embed{{"title", escape_within(Markup::markdown, budget_title(view.title, budget), title_limit, unit)}};
  if (!view.link.empty()) {
    embed["url"] = view.link;
  }
  if (!target.template_text.empty()) {
    auto rendered = render_data(target.template_text, story_data(view, budget, Markup::markdown));
    if (!rendered) {
      return make_unexpected("template " + rendered.error().to_string());
    }
    embed["description"] = std::move(*rendered);
  } else {
    embed["description"] = compose_story(view, budget, description_style);
  }
  embed["color"] = embed_color;
  // The footer is never parsed as Markdown: plain text, cut to its limit.
  embed["footer"] = {{"text", truncate_text(view.feed, budget.name, unit)}};
  if (view.published) {
    embed["timestamp"] = format_rfc3339(*view.published);
  }
  return payload(std::move(content), std::move(embed));
}

Expected<Json, std::string> render_digest(const config::Target& target, const std::vector<DigestEntry>& entries,
                                          std::size_t total, const Budget& budget) {
  std::string content = bold(Markup::markdown, fmt::format("Digest: {} {}", total, total == 1 ? "story" : "stories"));
  Json embed = Json::object();
  if (!target.template_text.empty()) {
    auto rendered = render_data(target.template_text, digest_data(entries, total, budget, Markup::markdown));
    if (!rendered) {
      return make_unexpected("template " + rendered.error().to_string());
    }
    embed["description"] = std::move(*rendered);
  } else {
    embed["description"] = compose_digest(entries, total, budget, description_style);
  }
  embed["color"] = embed_color;
  return payload(std::move(content), std::move(embed));
}

OutgoingRequest request(const config::Target& target, const Json& payload) {
  return {"POST",
          with_query_parameter(target.url.reveal(), "wait=true"),
          {{"Content-Type", "application/json"}},
          dump_json(payload)};
}

}  // namespace

Requests build_discord(const config::Target& target, const Message& message) {
  std::vector<OutgoingRequest> requests;
  if (message.kind == MessageKind::digest) {
    auto pages = pack_pages(
        "Discord", make_digest_entries(message),
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
      "Discord", [&](const Budget& budget) { return render_story(target, view, budget); }, check);
  if (!fitted) {
    return make_unexpected(std::move(fitted).error());
  }
  requests.push_back(request(target, *fitted));
  return requests;
}

}  // namespace newswatch::alert::detail
