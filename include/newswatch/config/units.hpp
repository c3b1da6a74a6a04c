#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace newswatch::config {

/// Parses "90s", "10m", "2h", "1d" and sums like "1h30m"; nullopt when malformed or zero.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

/// The shortest exact spelling of a duration: 600s -> "10m", 5400s -> "1h30m".
std::string format_duration(std::chrono::seconds duration);

/// Parses "16MiB", "512KiB", "1GB", "800B" (KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024);
/// nullopt when malformed, zero or too large.
std::optional<std::uint64_t> parse_size(std::string_view text);

/// The largest exact binary unit: 16777216 -> "16MiB".
std::string format_size(std::uint64_t bytes);

}  // namespace newswatch::config
