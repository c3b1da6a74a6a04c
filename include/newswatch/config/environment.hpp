#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace newswatch::config {

/// A secret file as read, or why it could not be.
struct SecretFile {
  std::optional<std::string> contents;  ///< nullopt when unreadable.
  std::string error;                    ///< strerror-style reason when unreadable.
  bool world_readable = false;
};

/// What config loading may look at besides the config text: the process environment and secret
/// files. Passed in so loading stays a pure function (tests supply their own).
struct Environment {
  std::function<std::optional<std::string>(const std::string& name)> variable;
  std::function<SecretFile(const std::filesystem::path& path)> read_file;

  /// The real process environment and file system.
  static Environment from_process();
};

}  // namespace newswatch::config
