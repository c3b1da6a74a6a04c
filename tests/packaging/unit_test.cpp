// The systemd unit and its sysusers.d/tmpfiles.d companions, checked with systemd's own tools where
// they can run without root and without touching the host, and against each other otherwise.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace newswatch {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path systemd_dir = std::filesystem::path(NEWSWATCH_SOURCE_DIR) / "systemd";
const std::filesystem::path unit_file = systemd_dir / "newswatch.service";

/// The highest exposure `systemd-analyze security` may give the unit.
constexpr double max_exposure = 1.1;

/// `name` found on $PATH (execve does not search it), or nullopt.
std::optional<std::filesystem::path> find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream directories(path != nullptr ? path : "/usr/bin:/bin");
  std::string directory;
  while (std::getline(directories, directory, ':')) {
    const auto candidate = std::filesystem::path(directory.empty() ? "." : directory) / name;
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return std::nullopt;
}

/// Every `Key=value` line of a unit file's [Service] section, values of repeated keys in order.
std::multimap<std::string, std::string> service_settings(const std::string& unit) {
  std::multimap<std::string, std::string> settings;
  std::istringstream lines(unit);
  std::string line;
  bool in_service = false;
  while (std::getline(lines, line)) {
    if (line.starts_with('[')) {
      in_service = line == "[Service]";
      continue;
    }
    const auto equals = line.find('=');
    if (!in_service || line.empty() || line.starts_with('#') || equals == std::string::npos) {
      continue;
    }
    settings.emplace(line.substr(0, equals), line.substr(equals + 1));
  }
  return settings;
}

std::string setting(const std::multimap<std::string, std::string>& settings, const std::string& key) {
  const auto found = settings.find(key);
  return found == settings.end() ? std::string() : found->second;
}

/// The whitespace-separated fields of the non-comment lines of a sysusers.d or tmpfiles.d file.
/// (Quoted GECOS fields are kept apart only as far as the checks below need.)
std::vector<std::vector<std::string>> config_lines(const std::string& text) {
  std::vector<std::vector<std::string>> result;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::vector<std::string> fields;
    std::string word;
    while (words >> word) {
      fields.push_back(word);
    }
    if (!fields.empty() && !fields.front().starts_with('#')) {
      result.push_back(std::move(fields));
    }
  }
  return result;
}

TEST(SystemdUnit, ExposureIsAtMostTheGoal) {
  const auto analyze = find_on_path("systemd-analyze");
  if (!analyze) {
    GTEST_SKIP() << "systemd-analyze is not installed";
  }
  const auto result = testing::run_process(analyze->string(), {"security", "--offline=yes", unit_file.string()});
  const std::string marker = "Overall exposure level for newswatch.service: ";
  const auto at = result.out.find(marker);
  ASSERT_NE(at, std::string::npos) << result.out << result.err;
  const double exposure = std::stod(result.out.substr(at + marker.size()));
  EXPECT_LE(exposure, max_exposure) << result.out;
}

TEST(SystemdUnit, IsANotifyServiceWithWatchdogReloadAndDrainTime) {
  const auto settings = service_settings(testing::read_file(unit_file));
  EXPECT_EQ(setting(settings, "Type"), "notify");
  EXPECT_EQ(setting(settings, "NotifyAccess"), "main");
  EXPECT_FALSE(setting(settings, "WatchdogSec").empty());
  EXPECT_EQ(setting(settings, "ExecReload"), "/bin/kill -HUP $MAINPID");
  EXPECT_EQ(setting(settings, "Restart"), "on-failure");
  EXPECT_THAT(setting(settings, "ExecStart"), HasSubstr("/usr/bin/newswatch run"));
  // Above the daemon's 10 s drain deadline, so systemd never kills a clean shutdown.
  const auto stop_timeout = setting(settings, "TimeoutStopSec");
  ASSERT_TRUE(stop_timeout.ends_with('s')) << stop_timeout;
  EXPECT_GT(std::stoi(stop_timeout), 10);
}

TEST(SystemdUnit, KeepsWhatTheDaemonNeeds) {
  const auto settings = service_settings(testing::read_file(unit_file));
  EXPECT_EQ(setting(settings, "StateDirectory"), "newswatch");
  EXPECT_EQ(setting(settings, "ConfigurationDirectory"), "newswatch");
  const auto families = setting(settings, "RestrictAddressFamilies");
  EXPECT_THAT(families, HasSubstr("AF_INET "));
  EXPECT_THAT(families, HasSubstr("AF_INET6"));
  EXPECT_THAT(families, HasSubstr("AF_UNIX"));
  // Public addresses of both families stay reachable, and loopback for the metrics listener.
  std::string allowed;
  for (auto [begin, end] = settings.equal_range("IPAddressAllow"); begin != end; ++begin) {
    allowed += " " + begin->second + " ";
  }
  for (const char* prefix : {" 0.0.0.0/1 ", " 128.0.0.0/3 ", " 192.0.0.0/3 ", " 8000::/2 ", " ::/1 "}) {
    EXPECT_THAT(allowed, HasSubstr(prefix));
  }
}

TEST(SystemdUnit, RunsAsTheUserThatSysusersCreates) {
  const auto settings = service_settings(testing::read_file(unit_file));
  const auto users = config_lines(testing::read_file(systemd_dir / "newswatch.sysusers"));
  ASSERT_EQ(users.size(), 1U);
  ASSERT_GE(users[0].size(), 3U);
  EXPECT_EQ(users[0][0], "u");
  EXPECT_EQ(users[0][1], setting(settings, "User"));
  EXPECT_EQ(users[0][1], setting(settings, "Group"));
  EXPECT_TRUE(setting(settings, "DynamicUser").empty());
}

TEST(SystemdUnit, SysusersFileParses) {
  const auto sysusers = find_on_path("systemd-sysusers");
  if (!sysusers) {
    GTEST_SKIP() << "systemd-sysusers is not installed";
  }
  // --dry-run against an empty root only prints what it would create.
  testing::TempDir root;
  const auto result = testing::run_process(
      sysusers->string(), {"--dry-run", "--root", root.path().string(), (systemd_dir / "newswatch.sysusers").string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out + result.err, HasSubstr("Creating user 'newswatch'"));
  EXPECT_FALSE(std::filesystem::exists(root.path() / "etc" / "passwd"));
}

TEST(SystemdUnit, TmpfilesMatchTheUnitsDirectories) {
  const auto settings = service_settings(testing::read_file(unit_file));
  const auto entries = config_lines(testing::read_file(systemd_dir / "newswatch.tmpfiles"));
  std::map<std::string, std::vector<std::string>> by_path;
  for (const auto& entry : entries) {
    ASSERT_EQ(entry.size(), 6U) << "type path mode user group age, got " << entry.size() << " fields";
    EXPECT_EQ(entry[0], "d");
    by_path[entry[1]] = entry;
  }
  ASSERT_TRUE(by_path.contains("/var/lib/newswatch"));
  const auto& state = by_path["/var/lib/newswatch"];
  EXPECT_EQ(state[2], setting(settings, "StateDirectoryMode"));
  EXPECT_EQ(state[3], setting(settings, "User"));
  EXPECT_EQ(state[4], setting(settings, "Group"));
  ASSERT_TRUE(by_path.contains("/etc/newswatch"));
  EXPECT_EQ(by_path["/etc/newswatch"][3], "root");
  EXPECT_TRUE(by_path.contains("/etc/newswatch/conf.d"));
  ASSERT_TRUE(by_path.contains("/etc/newswatch/secrets"));
  EXPECT_EQ(by_path["/etc/newswatch/secrets"][2], "0700");
}

TEST(SystemdUnit, DocumentsLoadCredential) {
  const auto unit = testing::read_file(unit_file);
  EXPECT_THAT(unit, HasSubstr("LoadCredential=slack-newsroom:/etc/newswatch/secrets/slack-newsroom"));
  EXPECT_THAT(unit, HasSubstr("url = \"credential:slack-newsroom\""));
}

}  // namespace
}  // namespace newswatch
