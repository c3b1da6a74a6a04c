#pragma once

#include <string>

#include "newswatch/config/config.hpp"

namespace newswatch::config {

/// The effective config as TOML, every default spelled out and every secret redacted.
std::string to_toml(const Config& config);

}  // namespace newswatch::config
