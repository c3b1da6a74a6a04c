// `cmake --install` of this build tree: every file lands where the Debian package and the unit
// expect it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace newswatch {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path source_dir = NEWSWATCH_SOURCE_DIR;

/// Installs the build tree once for the whole suite.
class Install : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    staging_ = new testing::TempDir();  // NOLINT(cppcoreguidelines-owning-memory): lives for the suite.
    // DESTDIR keeps destinations that are absolute by design (/etc with prefix /usr) inside the
    // temporary directory too.
    testing::ProcessOptions options;
    options.env["DESTDIR"] = staging_->path().string();
    result_ = new testing::ProcessResult(testing::run_process(  // NOLINT(cppcoreguidelines-owning-memory)
        NEWSWATCH_CMAKE_COMMAND, {"--install", NEWSWATCH_BINARY_DIR, "--prefix", std::string(prefix)}, options));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete staging_;
  }

  /// Where `relative` (to the prefix) was installed.
  static fs::path installed(const fs::path& relative) {
    return staging_->path() / fs::path(prefix).relative_path() / relative;
  }

  /// The config file: under the prefix, or at /etc when the tree was configured for prefix /usr.
  static fs::path installed_config() {
    const fs::path under_prefix = installed("etc/newswatch/newswatch.toml");
    return fs::exists(under_prefix) ? under_prefix : staging_->path() / "etc/newswatch/newswatch.toml";
  }

  static constexpr const char* prefix = "/opt/newswatch-install-test";
  static testing::TempDir* staging_;
  static testing::ProcessResult* result_;
};

testing::TempDir* Install::staging_ = nullptr;
testing::ProcessResult* Install::result_ = nullptr;

TEST_F(Install, Succeeds) {
  EXPECT_EQ(result_->exit_code, 0) << result_->out << result_->err;
}

TEST_F(Install, PutsTheBinaryInBin) {
  const fs::path binary = installed("bin/newswatch");
  ASSERT_TRUE(fs::is_regular_file(binary)) << result_->out;
  EXPECT_NE(fs::status(binary).permissions() & fs::perms::owner_exec, fs::perms::none);
  const auto version = testing::run_process(binary.string(), {"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, HasSubstr("newswatch "));
}

TEST_F(Install, PutsTheUnitSysusersAndTmpfilesWhereSystemdLooks) {
  const fs::path unit = installed("lib/systemd/system/newswatch.service");
  ASSERT_TRUE(fs::is_regular_file(unit)) << result_->out;
  EXPECT_EQ(testing::read_file(unit), testing::read_file(source_dir / "systemd/newswatch.service"));
  const fs::path sysusers = installed("lib/sysusers.d/newswatch.conf");
  ASSERT_TRUE(fs::is_regular_file(sysusers)) << result_->out;
  EXPECT_EQ(testing::read_file(sysusers), testing::read_file(source_dir / "systemd/newswatch.sysusers"));
  const fs::path tmpfiles = installed("lib/tmpfiles.d/newswatch.conf");
  ASSERT_TRUE(fs::is_regular_file(tmpfiles)) << result_->out;
  EXPECT_EQ(testing::read_file(tmpfiles), testing::read_file(source_dir / "systemd/newswatch.tmpfiles"));
}

TEST_F(Install, PutsTheAnnotatedConfigInEtcNewswatch) {
  const fs::path config = installed_config();
  ASSERT_TRUE(fs::is_regular_file(config)) << result_->out;
  EXPECT_EQ(testing::read_file(config), testing::read_file(source_dir / "conf/newswatch.toml"));
}

TEST_F(Install, PutsTheCopyrightAndChangelogInTheDocDirectory) {
  EXPECT_TRUE(fs::is_regular_file(installed("share/doc/newswatch/copyright"))) << result_->out;
  const fs::path changelog = installed("share/doc/newswatch/changelog.Debian.gz");
  ASSERT_TRUE(fs::is_regular_file(changelog)) << result_->out;
  EXPECT_TRUE(testing::read_file(changelog).starts_with("\x1f\x8b"));  // gzip (RFC 1952 §2.3.1)
}

TEST_F(Install, PutsTheGzippedManPageInMan1) {
  if (!NEWSWATCH_HAS_MAN_PAGE) {
    GTEST_SKIP() << "configured without help2man: no manual page";
  }
  const fs::path page = installed("share/man/man1/newswatch.1.gz");
  ASSERT_TRUE(fs::is_regular_file(page)) << result_->out;
  EXPECT_TRUE(testing::read_file(page).starts_with("\x1f\x8b"));
  const auto text = testing::run_process("/bin/gzip", {"-dc", page.string()});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr(".TH NEWSWATCH \"1\""));
  EXPECT_THAT(text.out, HasSubstr("import\\-opml"));
  EXPECT_THAT(text.out, HasSubstr("SIGHUP"));
  EXPECT_THAT(text.out, HasSubstr("/etc/newswatch/newswatch.toml"));
}

}  // namespace
}  // namespace newswatch
