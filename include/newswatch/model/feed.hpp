#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "newswatch/model/secret.hpp"

namespace newswatch {

/// One configured feed (a `[[feed]]` table), validated.
struct Feed {
  std::string name;
  std::string url;                               ///< http, https or file URL.
  std::optional<std::chrono::seconds> interval;  ///< Unset: [daemon] default_interval.
  std::vector<std::string> tags;
  bool enabled = true;
  std::vector<std::pair<std::string, Secret>> headers;  ///< Extra request headers.
  bool baseline = true;  ///< The first poll (and the first after a URL change) records items, alerts on none.
  std::optional<std::chrono::seconds> max_item_age;  ///< Unset: [daemon] max_item_age.
  std::optional<bool> adaptive;                      ///< Interval from the publishing rate; unset: [daemon] adaptive.
};

}  // namespace newswatch
