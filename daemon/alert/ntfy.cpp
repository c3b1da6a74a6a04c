// ntfy (docs.ntfy.sh/publish): POST the message to the topic URL, the rest in headers: Title,
// Click, Tags, Priority, and "Markdown: yes". A body over 4,096 bytes would arrive as an
// attachment instead of a message (ntfy's message-size-limit), so it stays under. Header values
// outside ASCII are sent as RFC 2047 encoded words, which ntfy decodes.

#include "newswatch/alert/webhook_signature.hpp"
#include "platforms.hpp"
#include "template_data.hpp"

namespace newswatch::alert::detail {
namespace {

constexpr std::size_t body_limit = 4096;
constexpr std::size_t title_limit = 250;

const TextStyle body_style{Markup::markdown, "\n\n", false, false, true};

std::optional<std::string> check(const std::string& body) {
  return too_long("the body", body, body_limit, LengthUnit::bytes);
}

/// A header value: one line, and RFC 2047 base64 when it is not plain ASCII.
std::string header_value(const std::string& text) {
  const std::string line = clean_text(text, true);
  const bool ascii =
      std::all_of(line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80U; });
  return ascii ? line : "=?UTF-8?B?" + base64_encode(line) + "?=";
}

/// Rule names as ntfy tags: comma-separated, so no name may bring its own comma.
std::string tags(const std::vector<std::string>& rules) {
  std::string out = "newspaper";
  for (const auto& rule : rules) {
    std::string tag = rule;
    std::replace(tag.begin(), tag.end(), ',', ' ');
    out += "," + tag;
  }
  return out;
}

Expected<std::string, std::string> render(const config::Target& target, const kainjow::mustache::data& data) {
  auto rendered = render_data(target.template_text, data);
  if (!rendered) {
    return make_unexpected("template " + rendered.error().to_string());
  }
  return std::move(*rendered);
}

}  // namespace

Requests build_ntfy(const config::Target& target, const Message& message) {
  const auto request = [&target](std::string body, const std::string& title, const std::string& link,
                                 const std::string& tag_list) {
    OutgoingRequest out{"POST", target.url.reveal(), {}, std::move(body)};
    out.headers.emplace_back("Title", header_value(truncate_text(title, title_limit, LengthUnit::code_points)));
    if (!link.empty()) {
      out.headers.emplace_back("Click", link);
    }
    out.headers.emplace_back("Tags", header_value(tag_list));
    if (target.priority) {
      out.headers.emplace_back("Priority", std::to_string(*target.priority));
    }
    out.headers.emplace_back("Markdown", "yes");
    if (!target.token.empty()) {
      out.headers.emplace_back("Authorization", "Bearer " + target.token.reveal());
    }
    return out;
  };
  std::vector<OutgoingRequest> requests;
  if (message.kind == MessageKind::digest) {
    const auto entries = make_digest_entries(message);
    auto pages = pack_pages(
        "ntfy", entries,
        [&target](const std::vector<DigestEntry>& page, std::size_t total,
                  const Budget& budget) -> Expected<std::string, std::string> {
          if (target.template_text.empty()) {
            TextStyle style = body_style;
            // assign(count, char): GCC 12 at -O3 reports a false -Wrestrict for the literal assignment.
            style.line_break.assign(1, '\n');
            return compose_digest(page, total, budget, style);
          }
          return render(target, digest_data(page, total, budget, Markup::markdown));
        },
        check);
    if (!pages) {
      return make_unexpected(std::move(pages).error());
    }
    const std::string title = fmt::format("Digest: {} {}", entries.size(), entries.size() == 1 ? "story" : "stories");
    for (auto& page : *pages) {
      requests.push_back(request(std::move(page), title, {}, "newspaper"));
    }
    return requests;
  }
  const StoryView view = make_story_view(message);
  auto fitted = fit_message(
      "ntfy",
      [&](const Budget& budget) -> Expected<std::string, std::string> {
        if (target.template_text.empty()) {
          return compose_story(view, budget, body_style);
        }
        return render(target, story_data(view, budget, Markup::markdown));
      },
      check);
  if (!fitted) {
    return make_unexpected(std::move(fitted).error());
  }
  std::string title = view.title + (view.updated ? " (updated)" : "");
  requests.push_back(request(std::move(*fitted), title, view.link, tags(view.rules)));
  return requests;
}

}  // namespace newswatch::alert::detail
