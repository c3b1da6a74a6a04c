#pragma once

// Private to the alert module: one request builder per platform (one file each) and what they
// share: fitting a message into limits by shrinking its budget, and packing a digest into pages.

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "message_view.hpp"
#include "newswatch/alert/outgoing_request.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/model/expected.hpp"
#include "newswatch/model/time.hpp"

namespace newswatch::alert::detail {

using Requests = Expected<std::vector<OutgoingRequest>, std::string>;

Requests build_webhook(const config::Target& target, const Message& message, TimePoint now);
Requests build_slack(const config::Target& target, const Message& message);
Requests build_discord(const config::Target& target, const Message& message);
Requests build_teams(const config::Target& target, const Message& message);
Requests build_mattermost(const config::Target& target, const Message& message);
Requests build_google_chat(const config::Target& target, const Message& message);
Requests build_telegram(const config::Target& target, const Message& message);
Requests build_ntfy(const config::Target& target, const Message& message);
Requests build_matrix(const config::Target& target, const Message& message);
Requests build_console(const config::Target& target, const Message& message);

/// What is too long, or nullopt when `text` fits `limit`.
inline std::optional<std::string> too_long(std::string_view what, std::string_view text, std::size_t limit,
                                           LengthUnit unit) {
  const std::size_t length = text_length(text, unit);
  if (length <= limit) {
    return std::nullopt;
  }
  return fmt::format("{} is {} {} (at most {})", what, length, unit == LengthUnit::bytes ? "bytes" : "characters",
                     limit);
}

/// A JSON document as sent: compact, any stray invalid UTF-8 replaced.
inline std::string dump_json(const nlohmann::ordered_json& document) {
  return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// `url` with `parameter` ("name=value") added to its query, before any fragment.
inline std::string with_query_parameter(std::string_view url, std::string_view parameter) {
  const auto fragment = url.find('#');
  const std::string_view base = url.substr(0, fragment);
  std::string out(base);
  if (base.find('?') == std::string_view::npos) {
    out += '?';
  } else if (!base.ends_with('?') && !base.ends_with('&')) {
    out += '&';
  }
  out += parameter;
  if (fragment != std::string_view::npos) {
    out += url.substr(fragment);
  }
  return out;
}

/// Renders with `render(budget)` and a shrinking budget until `check(value)` finds nothing too
/// long. An error from `render` (a template) ends it; so does a budget with nothing left to cut.
template <typename Render, typename Check>
auto fit_message(std::string_view platform, Render render, Check check) -> decltype(render(Budget{})) {
  Budget budget;
  for (;;) {
    auto attempt = render(budget);
    if (!attempt) {
      return attempt;
    }
    const std::optional<std::string> problem = check(*attempt);
    if (!problem) {
      return attempt;
    }
    if (!budget.shrink()) {
      return make_unexpected(fmt::format("the message does not fit {}: {}", platform, *problem));
    }
  }
}

/// The value type of a Expected-returning render function.
template <typename T>
struct Rendered;
template <typename T>
struct Rendered<Expected<T, std::string>> {
  using type = T;
};

/// Splits a digest into as few pages as the platform allows: each page as many entries as
/// `render(entries, total, budget)` can carry while `check` finds nothing too long. An entry too
/// long on its own is shortened (its budget shrinks) until it fits a page alone.
template <typename Render, typename Check>
auto pack_pages(std::string_view platform, const std::vector<DigestEntry>& entries, Render render, Check check)
    -> Expected<std::vector<typename Rendered<decltype(render(entries, std::size_t{}, Budget{}))>::type>, std::string> {
  using Page = typename Rendered<decltype(render(entries, std::size_t{}, Budget{}))>::type;
  std::vector<Page> pages;
  const std::size_t total = entries.size();
  const auto slice = [&entries](std::size_t begin, std::size_t count) {
    return std::vector<DigestEntry>(entries.begin() + static_cast<std::ptrdiff_t>(begin),
                                    entries.begin() + static_cast<std::ptrdiff_t>(begin + count));
  };
  std::size_t begin = 0;
  while (begin < total) {
    // The budget at which this entry fits a page alone...
    Budget budget;
    budget.title = 200;
    auto page = render(slice(begin, 1), total, budget);
    for (;;) {
      if (!page) {
        return make_unexpected(std::move(page).error());
      }
      const auto problem = check(*page);
      if (!problem) {
        break;
      }
      if (!budget.shrink()) {
        return make_unexpected(fmt::format("a digest line does not fit {}: {}", platform, *problem));
      }
      page = render(slice(begin, 1), total, budget);
    }
    // ...then the most entries that fit with it: double while they fit, then bisect.
    std::size_t fits = 1;
    std::size_t fails = total - begin + 1;
    auto fitting = std::move(*page);
    while (fits < fails - 1) {
      const std::size_t count = fails == total - begin + 1 ? std::min(fits * 2, total - begin) : (fits + fails) / 2;
      auto candidate = render(slice(begin, count), total, budget);
      if (!candidate) {
        return make_unexpected(std::move(candidate).error());
      }
      if (check(*candidate)) {
        fails = count;
      } else {
        fits = count;
        fitting = std::move(*candidate);
        if (count == total - begin) {
          break;
        }
      }
    }
    pages.push_back(std::move(fitting));
    begin += fits;
  }
  return pages;
}

}  // namespace newswatch::alert::detail
