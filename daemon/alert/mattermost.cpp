// Mattermost incoming webhook (developers.mattermost.com, "Incoming webhooks"): Slack-compatible
// JSON with Markdown text. A post holds at most 16,383 characters (Mattermost 5.0 and later).

#include "platforms.hpp"
#include "template_data.hpp"

namespace newswatch::alert::detail {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t text_limit = 16383;

const TextStyle text_style{Markup::markdown, "\n", true, true, true};

std::optional<std::string> check(const std::string& text) {
  // Mattermost counts runes, that is code points.
  return too_long("the text", text, text_limit, LengthUnit::code_points);
}

Expected<std::string, std::string> render_story(const config::Target& target, const StoryView& view,
                                                const Budget& budget) {
  if (target.template_text.empty()) {
    return compose_story(view, budget, text_style);
  }
  auto rendered = render_data(target.template_text, story_data(view, budget, Markup::markdown));
  if (!rendered) {
    return make_unexpected("template " + rendered.error().to_string());
  }
  return std::move(*rendered);
}

Expected<std::string, std::string> render_digest(const config::Target& target, const std::vector<DigestEntry>& entries,
                                                 std::size_t total, const Budget& budget) {
  if (target.template_text.empty()) {
    return compose_digest(entries, total, budget, text_style);
  }
  auto rendered = render_data(target.template_text, digest_data(entries, total, budget, Markup::markdown));
  if (!rendered) {
    return make_unexpected("template " + rendered.error().to_string());
  }
  return std::move(*rendered);
}

}  // namespace

Requests build_mattermost(const config::Target& target, const Message& message) {
  const auto request = [&target](const std::string& text) {
    return OutgoingRequest{
        "POST", target.url.reveal(), {{"Content-Type", "application/json"}}, dump_json(Json{{"text", text}})};
  };
  std::vector<OutgoingRequest> requests;
  if (message.kind == MessageKind::digest) {
    auto pages = pack_pages(
        "Mattermost", make_digest_entries(message),
        [&target](const std::vector<DigestEntry>& entries, std::size_t total, const Budget& budget) {
          return render_digest(target, entries, total, budget);
        },
        check);
    if (!pages) {
      return make_unexpected(std::move(pages).error());
    }
    for (const auto& page : *pages) {
      requests.push_back(request(page));
    }
    return requests;
  }
  const StoryView view = make_story_view(message);
  auto fitted = fit_message(
      "Mattermost", [&](const Budget& budget) { return render_story(target, view, budget); }, check);
  if (!fitted) {
    return make_unexpected(std::move(fitted).error());
  }
  requests.push_back(request(*fitted));
  return requests;
}

}  // namespace newswatch::alert::detail
