#pragma once

// Targets of every type, alerts, and what a test needs to read back from a platform's request:
// the text a reader sees and the platform's documented limits.

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "newswatch/alert/message_text.hpp"
#include "newswatch/alert/outgoing_request.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/model/alert.hpp"

namespace newswatch::alert::testing {

using config::TargetType;
using Json = nlohmann::json;

inline const std::vector<TargetType> all_target_types{
    TargetType::webhook,    TargetType::slack,    TargetType::discord, TargetType::teams,  TargetType::mattermost,
    TargetType::googlechat, TargetType::telegram, TargetType::ntfy,    TargetType::matrix, TargetType::console};

inline std::string type_name(TargetType type) {
  return config::target_type_name(type);
}

/// A target of `type` with every field it needs.
inline config::Target target_of(TargetType type) {
  config::Target target;
  target.name = "desk";
  target.type = type;
  const auto url = [&target](const char* value) { target.url = Secret(value, "env:URL"); };
  switch (type) {
    case TargetType::webhook:
      url("https://hooks.example/newswatch");
      target.secret = Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "env:SECRET");
      target.headers = {{"X-Team", Secret("news", "")}};
      break;
    case TargetType::slack: url("https://hooks.slack.com/services/T000/B000/XXXX"); break;
    case TargetType::discord: url("https://discord.com/api/webhooks/123/token"); break;
    case TargetType::teams:
      url("https://prod.example.logic.azure.com/workflows/w/triggers/manual/paths/invoke?sig=s");
      break;
    case TargetType::mattermost: url("https://chat.example/hooks/abc"); break;
    case TargetType::googlechat: url("https://chat.googleapis.com/v1/spaces/AAA/messages?key=K&token=T"); break;
    case TargetType::telegram:
      target.token = Secret("123456:ABC-DEF", "env:BOT");
      target.chat_id = "-1001234567890";
      break;
    case TargetType::ntfy:
      url("https://ntfy.example/newswatch-alerts");
      target.token = Secret("tk_secret", "env:NTFY");
      target.priority = 4;
      break;
    case TargetType::matrix:
      url("https://matrix.example/");
      target.room = "!room:matrix.example";
      target.token = Secret("syt_token", "env:MATRIX");
      break;
    case TargetType::console: break;
  }
  return target;
}

/// A plain alert on one story.
inline Alert story_alert(std::string id = "a1", std::string rule = "isis-coalition") {
  using namespace std::chrono;
  Alert alert;
  alert.id = std::move(id);
  alert.rule = std::move(rule);
  alert.story = "story-1";
  alert.feed = "trt-world";
  alert.item_id = "item-1";
  alert.title = "Coalition strikes ISIS positions";
  alert.link = "https://news.example/world/coalition?id=7&lang=en";
  alert.published = sys_days{year{2026} / November / 28} + hours{9} + minutes{30};
  alert.summary = "The coalition said the strikes hit ISIS positions overnight.";
  alert.why = {{"title", {{0, 9}}, {"Coalition"}}, {"summary", {{4, 13}, {35, 39}}, {"coalition", "ISIS"}}};
  alert.also = {{"bbc-world", "Strikes on ISIS", "https://bbc.example/strikes"}};
  alert.created = *alert.published + minutes{5};
  return alert;
}

inline Json parse_json(const std::string& body) {
  auto document = Json::parse(body, nullptr, false);
  if (document.is_discarded()) {
    ADD_FAILURE() << "not JSON: " << body.substr(0, 200);
  }
  return document;
}

inline std::string header(const OutgoingRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

/// The text of `request` a reader of `type` sees: with `markup_only`, only the fields the platform
/// parses as markup; otherwise plain fields (headers, footers, notification texts) too. For
/// webhooks and the console, the whole body.
inline std::string visible_text(TargetType type, const OutgoingRequest& request, bool markup_only = false) {
  std::string text;
  const auto add = [&text](const Json& value) {
    if (value.is_string()) {
      text += value.get<std::string>() + "\n";
    }
  };
  const auto add_plain = [&](const Json& value) {
    if (!markup_only) {
      add(value);
    }
  };
  switch (type) {
    case TargetType::webhook:
    case TargetType::console: return request.body;
    case TargetType::ntfy:
      return markup_only ? request.body
                         : header(request, "Title") + "\n" + header(request, "Tags") + "\n" + request.body;
    default: break;
  }
  const Json body = parse_json(request.body);
  switch (type) {
    case TargetType::slack:
      add(body["text"]);
      for (const auto& block : body["blocks"]) {
        if (block["type"] == "header") {
          add_plain(block["text"]["text"]);
        } else if (block.contains("text")) {
          add(block["text"]["text"]);
        }
        if (block.contains("elements")) {
          for (const auto& element : block["elements"]) {
            add(element["text"]);
          }
        }
      }
      break;
    case TargetType::discord:
      add(body["content"]);
      for (const auto& embed : body["embeds"]) {
        add(embed.value("title", Json()));
        add(embed.value("description", Json()));
        if (embed.contains("footer")) {
          add_plain(embed["footer"]["text"]);
        }
      }
      break;
    case TargetType::teams:
      // TextRuns are never parsed: all of it is plain.
      for (const auto& block : body["attachments"][0]["content"]["body"]) {
        for (const auto& run : block["inlines"]) {
          add_plain(run["text"]);
        }
      }
      break;
    case TargetType::mattermost:
    case TargetType::telegram: add(body["text"]); break;
    case TargetType::googlechat: {
      const auto& card = body["cardsV2"][0]["card"];
      add_plain(body["fallbackText"]);
      add_plain(card["header"]["title"]);
      add_plain(card["header"].value("subtitle", Json()));
      for (const auto& widget : card["sections"][0]["widgets"]) {
        if (widget.contains("textParagraph")) {
          add(widget["textParagraph"]["text"]);
        }
      }
      break;
    }
    case TargetType::matrix:
      add_plain(body["body"]);
      add(body["formatted_body"]);
      break;
    default: break;
  }
  return text;
}

/// True when `needle` occurs in Markdown `text` other than right after a backslash (escaped).
inline bool has_unescaped(const std::string& text, const std::string& needle) {
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) {
    if (pos == 0 || text[pos - 1] != '\\') {
      return true;
    }
  }
  return false;
}

/// True when an "@" is directly followed by a letter or digit: a mention a platform could read.
inline bool has_live_at_sign(const std::string& text) {
  for (auto pos = text.find('@'); pos != std::string::npos; pos = text.find('@', pos + 1)) {
    if (pos + 1 < text.size() && std::isalnum(static_cast<unsigned char>(text[pos + 1]))) {
      return true;
    }
  }
  return false;
}

inline void expect_at_most(std::vector<std::string>& problems, const std::string& what, const std::string& text,
                           std::size_t limit, LengthUnit unit) {
  const std::size_t length = text_length(text, unit);
  if (length > limit) {
    problems.push_back(what + " is " + std::to_string(length) + " > " + std::to_string(limit));
  }
}

/// Each documented limit of `type` that `request` breaks; empty when within all of them.
inline std::vector<std::string> limit_violations(TargetType type, const OutgoingRequest& request) {
  std::vector<std::string> problems;
  if (type == TargetType::webhook || type == TargetType::console) {
    return problems;
  }
  if (type == TargetType::ntfy) {
    expect_at_most(problems, "ntfy body", request.body, 4096, LengthUnit::bytes);
    return problems;
  }
  const Json body = parse_json(request.body);
  const auto string_at = [](const Json& value) { return value.is_string() ? value.get<std::string>() : std::string(); };
  switch (type) {
    case TargetType::slack:
      expect_at_most(problems, "slack text", string_at(body["text"]), 40000, LengthUnit::utf16);
      if (body["blocks"].size() > 50) {
        problems.push_back("more than 50 blocks");
      }
      for (const auto& block : body["blocks"]) {
        if (block["type"] == "section") {
          expect_at_most(problems, "slack section", string_at(block["text"]["text"]), 3000, LengthUnit::utf16);
        }
        if (block["type"] == "header") {
          expect_at_most(problems, "slack header", string_at(block["text"]["text"]), 150, LengthUnit::utf16);
        }
      }
      break;
    case TargetType::discord: {
      expect_at_most(problems, "discord content", string_at(body["content"]), 2000, LengthUnit::utf16);
      std::size_t total = 0;
      for (const auto& embed : body["embeds"]) {
        const auto title = string_at(embed.value("title", Json()));
        const auto description = string_at(embed.value("description", Json()));
        const auto footer = embed.contains("footer") ? string_at(embed["footer"]["text"]) : std::string();
        expect_at_most(problems, "discord title", title, 256, LengthUnit::utf16);
        expect_at_most(problems, "discord description", description, 4096, LengthUnit::utf16);
        expect_at_most(problems, "discord footer", footer, 2048, LengthUnit::utf16);
        total += text_length(title, LengthUnit::utf16) + text_length(description, LengthUnit::utf16) +
                 text_length(footer, LengthUnit::utf16);
      }
      if (total > 6000) {
        problems.push_back("discord embeds total " + std::to_string(total));
      }
      break;
    }
    case TargetType::teams: expect_at_most(problems, "teams message", request.body, 28000, LengthUnit::bytes); break;
    case TargetType::mattermost:
      expect_at_most(problems, "mattermost text", string_at(body["text"]), 16383, LengthUnit::code_points);
      break;
    case TargetType::googlechat:
      expect_at_most(problems, "google chat message", request.body, 32000, LengthUnit::bytes);
      break;
    case TargetType::telegram:
      expect_at_most(problems, "telegram text", string_at(body["text"]), 4096, LengthUnit::utf16);
      break;
    case TargetType::matrix: expect_at_most(problems, "matrix content", request.body, 32000, LengthUnit::bytes); break;
    default: break;
  }
  return problems;
}

}  // namespace newswatch::alert::testing
