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
  bool baseline = false;                                ///< First poll only records items, alerts on none.
};

}  // namespace newswatch
