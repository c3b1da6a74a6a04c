#include "newswatch/config/target_shorthand.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "newswatch/text/ascii.hpp"

namespace newswatch::config {
namespace {

constexpr std::array<std::string_view, 11> schemes{"discord", "tgram", "ntfy",   "ntfys",  "json",   "jsons",
                                                   "slack",   "mmost", "mmosts", "matrix", "matrixs"};

/// A shorthand URL taken apart: scheme://[userinfo@]host/path[?query][#fragment].
struct Parts {
  std::string scheme;
  std::string userinfo;
  std::string host;  ///< Host and port, as written.
  std::vector<std::string> segments;
  std::string query;  ///< Without the '?'.
  std::string fragment;
  bool has_userinfo = false;
};

Parts split(std::string_view url) {
  Parts parts;
  const auto colon = url.find("://");
  parts.scheme = text::lower_ascii(url.substr(0, colon));
  std::string_view rest = url.substr(colon + 3);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    parts.fragment = std::string(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  if (const auto question = rest.find('?'); question != std::string_view::npos) {
    parts.query = std::string(rest.substr(question + 1));
    rest = rest.substr(0, question);
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    parts.userinfo = std::string(authority.substr(0, at));
    parts.has_userinfo = true;
    authority = authority.substr(at + 1);
  }
  parts.host = std::string(authority);
  while (!rest.empty()) {
    const auto next = rest.find('/');
    if (const auto segment = rest.substr(0, next); !segment.empty()) {
      parts.segments.emplace_back(segment);
    }
    rest = next == std::string_view::npos ? std::string_view{} : rest.substr(next + 1);
  }
  return parts;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

bool is_host(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == ':' || c == '[' || c == ']';
  });
}

/// "host:8448" → "host", "[::1]:8448" → "[::1]".
std::string host_without_port(const std::string& host) {
  const auto bracket = host.rfind(']');
  const auto colon = host.rfind(':');
  if (colon == std::string::npos || (bracket != std::string::npos && colon < bracket)) {
    return host;
  }
  return host.substr(0, colon);
}

Unexpected<std::string> fail(const Parts& parts, std::string_view problem) {
  return make_unexpected(fmt::format("{}:// URL: {}", parts.scheme, problem));
}

Expected<TargetShorthand, std::string> discord(const Parts& parts) {
  // discord://[user@]WEBHOOK_ID/WEBHOOK_TOKEN; the user name is Apprise's, Discord ignores it.
  if (parts.segments.size() != 1 || !is_token(parts.host) ||
      !std::all_of(parts.host.begin(), parts.host.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      !is_token(parts.segments[0])) {
    return fail(parts, "expected discord://WEBHOOK_ID/WEBHOOK_TOKEN");
  }
  return TargetShorthand{
      TargetType::discord, "https://discord.com/api/webhooks/" + parts.host + "/" + parts.segments[0], {}, {}, {}};
}

Expected<TargetShorthand, std::string> telegram(const Parts& parts) {
  // tgram://BOT_TOKEN/CHAT_ID; a bot token is "<digits>:<secret>".
  const auto colon = parts.host.find(':');
  const bool token_ok = colon != std::string::npos && colon > 0 &&
                        std::all_of(parts.host.begin(), parts.host.begin() + static_cast<std::ptrdiff_t>(colon),
                                    [](char c) { return c >= '0' && c <= '9'; }) &&
                        is_token(std::string_view(parts.host).substr(colon + 1));
  if (!token_ok) {
    return fail(parts, "expected tgram://BOT_TOKEN/CHAT_ID with a bot token like 123456:ABC-DEF");
  }
  if (parts.segments.size() != 1) {
    return fail(parts, "name exactly one chat: tgram://BOT_TOKEN/CHAT_ID (one target per chat)");
  }
  return TargetShorthand{TargetType::telegram, {}, parts.host, percent_decode(parts.segments[0]), {}};
}

Expected<TargetShorthand, std::string> ntfy(const Parts& parts, bool secure) {
  // ntfy://[TOKEN@]host[:port]/topic, or ntfy://topic on ntfy.sh.
  TargetShorthand out{TargetType::ntfy, {}, {}, {}, {}};
  if (parts.has_userinfo) {
    if (parts.userinfo.find(':') != std::string::npos) {
      return fail(parts, "user:password logins are not supported; use an access token (ntfy://tk_TOKEN@host/topic)");
    }
    out.token = parts.userinfo;
  }
  if (parts.segments.empty()) {
    if (!is_token(parts.host)) {
      return fail(parts, "expected ntfy://host/topic or ntfy://topic");
    }
    out.url = "https://ntfy.sh/" + parts.host;
    return out;
  }
  if (parts.segments.size() != 1 || !is_host(parts.host) || !is_token(parts.segments[0])) {
    return fail(parts, "expected ntfy://host/topic with one topic");
  }
  out.url = std::string(secure ? "https://" : "http://") + parts.host + "/" + parts.segments[0];
  return out;
}

Expected<TargetShorthand, std::string> json(const Parts& parts, bool secure, std::string_view url) {
  // json://host[:port]/path[?query]: the generic webhook, path and query kept as written.
  if (parts.has_userinfo) {
    return fail(parts, "user:password logins are not supported; add an Authorization header instead");
  }
  if (!is_host(parts.host)) {
    return fail(parts, "expected json://host/path");
  }
  const auto rest = url.substr(url.find("://") + 3);
  return TargetShorthand{
      TargetType::webhook, std::string(secure ? "https://" : "http://") + std::string(rest), {}, {}, {}};
}

Expected<TargetShorthand, std::string> slack(const Parts& parts) {
  // slack://[botname@]TOKEN_A/TOKEN_B/TOKEN_C, the three parts of a hooks.slack.com URL.
  if (!parts.fragment.empty() || parts.segments.size() > 2) {
    return fail(parts, "an incoming webhook posts to its own channel; leave out #channel");
  }
  if (parts.segments.size() != 2 || !is_token(parts.host) || !is_token(parts.segments[0]) ||
      !is_token(parts.segments[1])) {
    return fail(parts, "expected slack://TOKEN_A/TOKEN_B/TOKEN_C (T…/B…/…)");
  }
  return TargetShorthand{
      TargetType::slack,
      "https://hooks.slack.com/services/" + parts.host + "/" + parts.segments[0] + "/" + parts.segments[1],
      {},
      {},
      {}};
}

Expected<TargetShorthand, std::string> mattermost(const Parts& parts, bool secure) {
  // mmost://[botname@]host[:port][/path]/TOKEN → http://host[:port][/path]/hooks/TOKEN.
  if (!is_host(parts.host) || parts.segments.empty() || !is_token(parts.segments.back())) {
    return fail(parts, "expected mmost://host/TOKEN");
  }
  std::string url = std::string(secure ? "https://" : "http://") + parts.host;
  for (std::size_t i = 0; i + 1 < parts.segments.size(); ++i) {
    url += "/" + parts.segments[i];
  }
  url += "/hooks/" + parts.segments.back();
  return TargetShorthand{TargetType::mattermost, std::move(url), {}, {}, {}};
}

Expected<TargetShorthand, std::string> matrix(const Parts& parts, bool secure) {
  // matrix://ACCESS_TOKEN@host[:port]/#room_alias or .../!room_id:server.
  if (!parts.has_userinfo || parts.userinfo.empty() || parts.userinfo.find(':') != std::string::npos) {
    return fail(parts, "expected matrixs://ACCESS_TOKEN@host/#room (user:password logins are not supported)");
  }
  if (!is_host(parts.host)) {
    return fail(parts, "expected matrixs://ACCESS_TOKEN@host/#room");
  }
  std::string room;
  if (!parts.fragment.empty() && parts.segments.empty()) {
    room = '#';
    room += percent_decode(parts.fragment);
  } else if (parts.segments.size() == 1 && parts.fragment.empty()) {
    room = percent_decode(parts.segments[0]);
  }
  if (room.size() < 2 || (room[0] != '#' && room[0] != '!')) {
    return fail(parts, "name one room: /#alias or /!room_id");
  }
  if (room.find(':') == std::string::npos) {
    // Room ids and aliases carry their server; Apprise leaves it out when it is the homeserver.
    room += ':';
    room += host_without_port(parts.host);
  }
  return TargetShorthand{TargetType::matrix,
                         std::string(secure ? "https://" : "http://") + parts.host,
                         parts.userinfo,
                         {},
                         std::move(room)};
}

}  // namespace

bool is_target_shorthand(std::string_view url) {
  const auto colon = url.find("://");
  if (colon == std::string_view::npos) {
    return false;
  }
  const std::string scheme = text::lower_ascii(url.substr(0, colon));
  return std::find(schemes.begin(), schemes.end(), scheme) != schemes.end();
}

Expected<TargetShorthand, std::string> parse_target_shorthand(std::string_view url) {
  if (!is_target_shorthand(url)) {
    return make_unexpected(std::string("not a shorthand target URL"));
  }
  const Parts parts = split(url);
  const bool json_scheme = parts.scheme == "json" || parts.scheme == "jsons";
  if (!parts.query.empty() && !json_scheme) {
    return fail(parts, "options after '?' are not supported; set them as target keys");
  }
  if (parts.scheme == "discord") {
    return discord(parts);
  }
  if (parts.scheme == "tgram") {
    return telegram(parts);
  }
  if (parts.scheme == "ntfy" || parts.scheme == "ntfys") {
    return ntfy(parts, parts.scheme == "ntfys");
  }
  if (json_scheme) {
    return json(parts, parts.scheme == "jsons", url);
  }
  if (parts.scheme == "slack") {
    return slack(parts);
  }
  if (parts.scheme == "mmost" || parts.scheme == "mmosts") {
    return mattermost(parts, parts.scheme == "mmosts");
  }
  return matrix(parts, parts.scheme == "matrixs");
}

}  // namespace newswatch::config
