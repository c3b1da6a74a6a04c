#pragma once

#include <string_view>

namespace newswatch::app {

/// How log lines are written to stderr.
enum class LogFormat { text, json };

/// Points spdlog's default logger at stderr. Under systemd (JOURNAL_STREAM set) text lines carry
/// a syslog priority prefix instead of a timestamp, since journald stamps them itself.
void configure_logging(std::string_view level, LogFormat format);

/// Parses "trace|debug|info|warn|error|critical|off"; false when unknown.
bool is_valid_log_level(std::string_view level);

}  // namespace newswatch::app
