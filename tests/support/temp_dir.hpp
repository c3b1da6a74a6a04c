#pragma once

#include <filesystem>
#include <string_view>

namespace newswatch::testing {

/// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&&) = delete;
  TempDir& operator=(TempDir&&) = delete;

  /// The directory.
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  /// Writes `contents` to `relative` (creating parent directories) and returns the full path.
  std::filesystem::path write(const std::filesystem::path& relative, std::string_view contents) const;

 private:
  std::filesystem::path path_;
};

/// Reads a whole file; fails the current test when it cannot.
std::string read_file(const std::filesystem::path& path);

}  // namespace newswatch::testing
