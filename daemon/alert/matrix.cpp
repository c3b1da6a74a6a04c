// Matrix client-server API (spec.matrix.org, v1): PUT /_matrix/client/v3/rooms/{roomId}/send/
// m.room.message/{txnId}. The transaction id is the message id, so a retry is the same event and
// the homeserver never posts it twice. m.notice marks the sender as a bot; an empty m.mentions
// says the message mentions no one, so no body text (an "@room" in a title) can notify.

#include "newswatch/alert/matrix_room.hpp"
#include "newswatch/text/html_to_text.hpp"
#include "platforms.hpp"
#include "template_data.hpp"

namespace newswatch::alert {

std::string percent_encode_segment(std::string_view text) {
  static constexpr std::string_view hex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(hex[byte >> 4U]);
      out.push_back(hex[byte & 0x0FU]);
    }
  }
  return out;
}

bool is_room_alias(std::string_view room) {
  return room.starts_with('#');
}

namespace {

std::string homeserver(const config::Target& target) {
  std::string base = target.url.reveal();
  while (base.ends_with('/')) {
    base.pop_back();
  }
  return base;
}

std::vector<std::pair<std::string, std::string>> auth_headers(const config::Target& target) {
  return {{"Authorization", "Bearer " + target.token.reveal()}, {"Content-Type", "application/json"}};
}

}  // namespace

OutgoingRequest room_alias_request(const config::Target& target) {
  return {"GET",
          homeserver(target) + "/_matrix/client/v3/directory/room/" + percent_encode_segment(target.room),
          auth_headers(target),
          {}};
}

Expected<std::string, std::string> parse_room_alias_response(long status, std::string_view body) {
  const auto document = nlohmann::json::parse(body, nullptr, false);
  if (status == 200 && document.is_object() && document.contains("room_id") && document["room_id"].is_string()) {
    return document["room_id"].get<std::string>();
  }
  std::string reason = fmt::format("HTTP {}", status);
  if (document.is_object() && document.contains("errcode") && document["errcode"].is_string()) {
    // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict for literal + temporary.
    reason += ' ';
    reason += document["errcode"].get<std::string>();
    if (document.contains("error") && document["error"].is_string()) {
      reason += ": ";
      reason += clean_text(document["error"].get<std::string>(), true);
    }
  }
  return make_unexpected("room alias lookup failed: " + reason);
}

namespace detail {
namespace {

using Json = nlohmann::ordered_json;

/// Events are at most 65,536 bytes once signed and wrapped for federation (spec.matrix.org,
/// "Size limits"); the content stays well under that.
constexpr std::size_t content_limit = 32000;

const TextStyle html_style{Markup::html, "<br>", true, true, true};
const TextStyle plain_style{Markup::plain, "\n", true, true, true};

struct Content {
  std::string body;
  std::string formatted;
};

Json content_json(const Content& content) {
  return {{"msgtype", "m.notice"},
          {"body", content.body},
          {"format", "org.matrix.custom.html"},
          {"formatted_body", content.formatted},
          {"m.mentions", Json::object()}};
}

std::optional<std::string> check(const Content& content) {
  return too_long("the event content", dump_json(content_json(content)), content_limit, LengthUnit::bytes);
}

Expected<Content, std::string> from_template(const config::Target& target, const kainjow::mustache::data& data) {
  auto rendered = render_data(target.template_text, data);
  if (!rendered) {
    return make_unexpected("template " + rendered.error().to_string());
  }
  // The plain body is the HTML's text; mentions stay broken there as well.
  return Content{break_mentions(text::html_to_text(*rendered)), std::move(*rendered)};
}

}  // namespace

Requests build_matrix(const config::Target& target, const Message& message) {
  if (target.token.empty() || target.room.empty()) {
    return make_unexpected(std::string("a matrix target needs token and room"));
  }
  if (is_room_alias(target.room)) {
    return make_unexpected(fmt::format("room {} is an alias; resolve it to a room id first", target.room));
  }
  const std::string base =
      homeserver(target) + "/_matrix/client/v3/rooms/" + percent_encode_segment(target.room) + "/send/m.room.message/";
  const std::string id = message_id(message);
  const auto request = [&](const Content& content, const std::string& transaction) {
    return OutgoingRequest{"PUT", base + percent_encode_segment(transaction), auth_headers(target),
                           dump_json(content_json(content))};
  };
  std::vector<OutgoingRequest> requests;
  if (message.kind == MessageKind::digest) {
    auto pages = pack_pages(
        "Matrix", make_digest_entries(message),
        [&target](const std::vector<DigestEntry>& entries, std::size_t total,
                  const Budget& budget) -> Expected<Content, std::string> {
          if (!target.template_text.empty()) {
            return from_template(target, digest_data(entries, total, budget, Markup::html));
          }
          return Content{break_mentions(compose_digest(entries, total, budget, plain_style)),
                         compose_digest(entries, total, budget, html_style)};
        },
        check);
    if (!pages) {
      return make_unexpected(std::move(pages).error());
    }
    for (std::size_t i = 0; i < pages->size(); ++i) {
      // Each page is its own event and needs its own transaction id.
      requests.push_back(request((*pages)[i], pages->size() == 1 ? id : fmt::format("{}-{}", id, i + 1)));
    }
    return requests;
  }
  const StoryView view = make_story_view(message);
  auto fitted = fit_message(
      "Matrix",
      [&](const Budget& budget) -> Expected<Content, std::string> {
        if (!target.template_text.empty()) {
          return from_template(target, story_data(view, budget, Markup::html));
        }
        return Content{break_mentions(compose_story(view, budget, plain_style)),
                       compose_story(view, budget, html_style)};
      },
      check);
  if (!fitted) {
    return make_unexpected(std::move(fitted).error());
  }
  requests.push_back(request(*fitted, id));
  return requests;
}

}  // namespace detail
}  // namespace newswatch::alert
