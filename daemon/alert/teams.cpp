// Microsoft Teams through a Workflows (Power Automate) webhook: a message with one Adaptive Card
// attachment. Text goes in RichTextBlock TextRuns, which Adaptive Cards never parse as Markdown
// (adaptivecards.io, TextRun), so feed text cannot format anything. A posted message is limited
// to about 28 KB (learn.microsoft.com, Teams connector: "Message size limit").

#include "platforms.hpp"
#include "template_data.hpp"

namespace newswatch::alert::detail {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t body_limit = 28000;

Json run(std::string text, bool strong = false, const std::string& link = {}) {
  Json value{{"type", "TextRun"}, {"text", std::move(text)}};
  if (strong) {
    value["weight"] = "Bolder";
  }
  if (!link.empty()) {
    value["selectAction"] = {{"type", "Action.OpenUrl"}, {"url", link}};
  }
  return value;
}

Json rich(Json inlines) {
  return {{"type", "RichTextBlock"}, {"inlines", std::move(inlines)}};
}

Json card(Json body, const std::string& link) {
  Json content{{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
               {"type", "AdaptiveCard"},
               {"version", "1.4"},
               {"body", std::move(body)}};
  if (!link.empty()) {
    content["actions"] = Json::array({{{"type", "Action.OpenUrl"}, {"title", "Open story"}, {"url", link}}});
  }
  content["msteams"] = {{"width", "Full"}};
  return {{"type", "message"},
          {"attachments", Json::array({{{"contentType", "application/vnd.microsoft.card.adaptive"},
                                        {"contentUrl", nullptr},
                                        {"content", std::move(content)}}})}};
}

/// A template's output, one block per line.
Json template_blocks(const std::string& text) {
  Json body = Json::array();
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    body.push_back(rich(Json::array({run(text.substr(start, end - start))})));
    start = end + 1;
  }
  return body;
}

std::optional<std::string> check(const std::string& body) {
  return too_long("the message", body, body_limit, LengthUnit::bytes);
}

Expected<std::string, std::string> render_story(const config::Target& target, const StoryView& view,
                                                const Budget& budget) {
  Json body = Json::array();
  Json heading = Json::array({run(rules_text(view.rules, budget), true)});
  if (view.updated) {
    heading.push_back(run(" (updated)"));
  }
  body.push_back(rich(std::move(heading)));
  if (!target.template_text.empty()) {
    auto rendered = render_data(target.template_text, story_data(view, budget, Markup::plain));
    if (!rendered) {
      return make_unexpected("template " + rendered.error().to_string());
    }
    for (auto& block : template_blocks(*rendered)) {
      body.push_back(std::move(block));
    }
    return dump_json(card(std::move(body), view.link));
  }
  Json title = run(budget_title(view.title, budget), true, view.link);
  title["size"] = "Medium";
  body.push_back(rich(Json::array({std::move(title)})));
  Json source = run(source_line(view, budget, Markup::plain));
  source["isSubtle"] = true;
  body.push_back(rich(Json::array({std::move(source)})));
  if (!view.matched.empty() && budget.matched > 0) {
    Json inlines = Json::array({run("Matched: ")});
    for (std::size_t i = 0; i < view.matched.size() && i < budget.matched; ++i) {
      if (i > 0) {
        inlines.push_back(run(", "));
      }
      inlines.push_back(run(truncate_text(view.matched[i], budget.name, LengthUnit::code_points), true));
    }
    body.push_back(rich(std::move(inlines)));
  }
  const auto summary = budget_summary(view.summary, budget);
  if (!summary.empty()) {
    Json inlines = Json::array();
    for (const auto& segment : summary) {
      inlines.push_back(run(segment.text, segment.matched));
    }
    body.push_back(rich(std::move(inlines)));
  }
  if (!view.also.empty() && budget.also > 0) {
    Json inlines = Json::array({run("Also reported by: ")});
    for (std::size_t i = 0; i < view.also.size() && i < budget.also; ++i) {
      const auto& outlet = view.also[i];
      if (i > 0) {
        inlines.push_back(run(", "));
      }
      inlines.push_back(
          run(truncate_text(outlet.feed.empty() ? outlet.title : outlet.feed, budget.name, LengthUnit::code_points),
              false, outlet.link));
    }
    body.push_back(rich(std::move(inlines)));
  }
  return dump_json(card(std::move(body), budget.link_in_text ? view.link : std::string()));
}

Expected<std::string, std::string> render_digest(const config::Target& target, const std::vector<DigestEntry>& entries,
                                                 std::size_t total, const Budget& budget) {
  Json body = Json::array();
  body.push_back(rich(Json::array({run(fmt::format("Digest: {} {}", total, total == 1 ? "story" : "stories"), true)})));
  if (!target.template_text.empty()) {
    auto rendered = render_data(target.template_text, digest_data(entries, total, budget, Markup::plain));
    if (!rendered) {
      return make_unexpected("template " + rendered.error().to_string());
    }
    for (auto& block : template_blocks(*rendered)) {
      body.push_back(std::move(block));
    }
    return dump_json(card(std::move(body), {}));
  }
  for (const auto& entry : entries) {
    std::string tail = " — " + truncate_text(entry.feed, budget.name, LengthUnit::code_points) + " (" +
                       rules_text(entry.rules, budget) + ")" + (entry.updated ? " (updated)" : "");
    body.push_back(rich(Json::array(
        {run("• "), run(budget_title(entry.title, budget), true, budget.link_in_text ? entry.link : std::string()),
         run(std::move(tail))})));
  }
  return dump_json(card(std::move(body), {}));
}

}  // namespace

Requests build_teams(const config::Target& target, const Message& message) {
  const auto request = [&target](std::string body) {
    return OutgoingRequest{"POST", target.url.reveal(), {{"Content-Type", "application/json"}}, std::move(body)};
  };
  std::vector<OutgoingRequest> requests;
  if (message.kind == MessageKind::digest) {
    auto pages = pack_pages(
        "Teams", make_digest_entries(message),
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
      "Teams", [&](const Budget& budget) { return render_story(target, view, budget); }, check);
  if (!fitted) {
    return make_unexpected(std::move(fitted).error());
  }
  requests.push_back(request(std::move(*fitted)));
  return requests;
}

}  // namespace newswatch::alert::detail
