// Google Chat space webhook (developers.google.com/workspace/chat/quickstart/webhooks): a card
// message (cardsV2) whose text paragraphs take Google Chat's HTML subset. A message, cards
// included, is at most 32,000 bytes (developers.google.com/workspace/chat/create-messages).
// Replies thread by story: the body names thread.threadKey and the URL asks to reply in that
// thread or start it (messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD); the URL's own
// key and token query stay as they are.

#include "platforms.hpp"
#include "template_data.hpp"

namespace newswatch::alert::detail {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t message_limit = 32000;

const TextStyle paragraph_style{Markup::html, "<br>", true, false, false};

/// Notification text: plain, but with no angle brackets that could read as a <users/all> mention
/// and no live "@".
std::string fallback_text(const std::string& text) {
  std::string out;
  for (const char c : break_mentions(text)) {
    if (c == '<') {
      out += "\u2039";
    } else if (c == '>') {
      out += "\u203A";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<std::string> check(const std::string& body) {
  return too_long("the message", body, message_limit, LengthUnit::bytes);
}

/// Card header texts are plain (never formatted), so they need no escaping.
Json message(const std::string& title, const std::string& subtitle, const std::string& paragraph,
             const std::string& link, const std::string& fallback, const std::string& thread) {
  Json widgets = Json::array({{{"textParagraph", {{"text", paragraph}}}}});
  if (!link.empty()) {
    widgets.push_back(
        {{"buttonList",
          {{"buttons", Json::array({{{"text", "Open story"}, {"onClick", {{"openLink", {{"url", link}}}}}}})}}}});
  }
  Json header{{"title", title}};
  if (!subtitle.empty()) {
    header["subtitle"] = subtitle;
  }
  Json body{{"fallbackText", fallback},
            {"cardsV2", Json::array({{{"cardId", "newswatch"},
                                      {"card",
                                       {{"header", std::move(header)},
                                        {"sections", Json::array({{{"widgets", std::move(widgets)}}})}}}}})}};
  if (!thread.empty()) {
    body["thread"] = {{"threadKey", thread}};
  }
  return body;
}

Expected<std::string, std::string> render_story(const config::Target& target, const StoryView& view,
                                                const Budget& budget) {
  const std::string rules = rules_text(view.rules, budget) + (view.updated ? " (updated)" : "");
  std::string paragraph;
  if (target.template_text.empty()) {
    paragraph = compose_story(view, budget, paragraph_style);
  } else {
    auto rendered = render_data(target.template_text, story_data(view, budget, Markup::html));
    if (!rendered) {
      return make_unexpected("template " + rendered.error().to_string());
    }
    paragraph = std::move(*rendered);
  }
  return dump_json(message(rules, source_line(view, budget, Markup::plain), paragraph,
                           budget.link_in_text ? view.link : std::string(),
                           fallback_text(rules + ": " + budget_title(view.title, budget)), view.story));
}

Expected<std::string, std::string> render_digest(const config::Target& target, const std::vector<DigestEntry>& entries,
                                                 std::size_t total, const Budget& budget) {
  const std::string heading = fmt::format("Digest: {} {}", total, total == 1 ? "story" : "stories");
  std::string paragraph;
  if (target.template_text.empty()) {
    paragraph = compose_digest(entries, total, budget, paragraph_style);
  } else {
    auto rendered = render_data(target.template_text, digest_data(entries, total, budget, Markup::html));
    if (!rendered) {
      return make_unexpected("template " + rendered.error().to_string());
    }
    paragraph = std::move(*rendered);
  }
  return dump_json(message(heading, {}, paragraph, {}, heading, {}));
}

}  // namespace

Requests build_google_chat(const config::Target& target, const Message& message) {
  std::string url = target.url.reveal();
  if (url.find("messageReplyOption=") == std::string::npos) {
    url = with_query_parameter(url, "messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD");
  }
  const auto request = [&url](std::string body) {
    return OutgoingRequest{"POST", url, {{"Content-Type", "application/json; charset=UTF-8"}}, std::move(body)};
  };
  std::vector<OutgoingRequest> requests;
  if (message.kind == MessageKind::digest) {
    auto pages = pack_pages(
        "Google Chat", make_digest_entries(message),
        [&target](const std::vector<DigestEntry>& entries, std::size_t total, const Budget& budget) {
          return render_digest(target, entries, total, budget);
        },
        check);
    if (!pages) {
      return make_unexpected(std::move(pages).error());
    }
    for (auto& page : *pages) {
      requests.push_back(request(std::move(page)));
    }
    return requests;
  }
  const StoryView view = make_story_view(message);
  auto fitted = fit_message(
      "Google Chat", [&](const Budget& budget) { return render_story(target, view, budget); }, check);
  if (!fitted) {
    return make_unexpected(std::move(fitted).error());
  }
  requests.push_back(request(std::move(*fitted)));
  return requests;
}

}  // namespace newswatch::alert::detail
