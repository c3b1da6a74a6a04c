// Telegram Bot API sendMessage (core.telegram.org/bots/api#sendmessage): HTML parse mode, where
// only &lt; &gt; &amp; and &quot; need escaping (#html-style); text of 1-4,096 characters after
// entity parsing, so counting the markup too stays on the safe side. The link preview shows the
// story's own link, small, not whatever link comes first.

#include "platforms.hpp"
#include "template_data.hpp"

namespace newswatch::alert::detail {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t text_limit = 4096;
constexpr std::string_view default_api = "https://api.telegram.org";

const TextStyle text_style{Markup::telegram_html, "\n", true, true, true};

std::optional<std::string> check(const std::string& text) {
  return too_long("the text", text, text_limit, LengthUnit::utf16);
}

Expected<std::string, std::string> render(const config::Target& target, const kainjow::mustache::data& data) {
  auto rendered = render_data(target.template_text, data);
  if (!rendered) {
    return make_unexpected("template " + rendered.error().to_string());
  }
  return std::move(*rendered);
}

}  // namespace

Requests build_telegram(const config::Target& target, const Message& message) {
  if (target.token.empty() || target.chat_id.empty()) {
    return make_unexpected(std::string("a telegram target needs token and chat_id"));
  }
  std::string base = target.url.empty() ? std::string(default_api) : target.url.reveal();
  while (base.ends_with('/')) {
    base.pop_back();
  }
  const std::string url = base + "/bot" + target.token.reveal() + "/sendMessage";
  const auto request = [&](const std::string& text, const std::string& link) {
    Json preview = link.empty() ? Json{{"is_disabled", true}} : Json{{"url", link}, {"prefer_small_media", true}};
    Json body{{"chat_id", target.chat_id},
              {"text", text},
              {"parse_mode", "HTML"},
              {"link_preview_options", std::move(preview)}};
    return OutgoingRequest{"POST", url, {{"Content-Type", "application/json"}}, dump_json(body)};
  };
  std::vector<OutgoingRequest> requests;
  if (message.kind == MessageKind::digest) {
    auto pages = pack_pages(
        "Telegram", make_digest_entries(message),
        [&target](const std::vector<DigestEntry>& entries, std::size_t total,
                  const Budget& budget) -> Expected<std::string, std::string> {
          if (target.template_text.empty()) {
            return compose_digest(entries, total, budget, text_style);
          }
          return render(target, digest_data(entries, total, budget, Markup::telegram_html));
        },
        check);
    if (!pages) {
      return make_unexpected(std::move(pages).error());
    }
    for (const auto& page : *pages) {
      requests.push_back(request(page, {}));
    }
    return requests;
  }
  const StoryView view = make_story_view(message);
  auto fitted = fit_message(
      "Telegram",
      [&](const Budget& budget) -> Expected<std::string, std::string> {
        if (target.template_text.empty()) {
          return compose_story(view, budget, text_style);
        }
        return render(target, story_data(view, budget, Markup::telegram_html));
      },
      check);
  if (!fitted) {
    return make_unexpected(std::move(fitted).error());
  }
  requests.push_back(request(*fitted, view.link));
  return requests;
}

}  // namespace newswatch::alert::detail
