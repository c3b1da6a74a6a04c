// `newswatch run` end to end: the real binary against a local feed server and webhook receiver,
// with an emulated systemd notification socket.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "newswatch/pipeline/worker_pool.hpp"
#include "newswatch/rules/term_frequencies.hpp"
#include "newswatch/store/sqlite_store.hpp"
#include "support/child_process.hpp"
#include "support/http_server.hpp"
#include "support/notify_socket.hpp"
#include "support/platform_emulator.hpp"
#include "support/store_fixture.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::app {
namespace {

using testing::ChildProcess;
using ::testing::HasSubstr;
using testing::HttpServer;
using ::testing::Not;
using testing::NotifySocket;
using testing::PlatformEmulator;
using testing::ScriptedResponse;
using testing::TempDir;
using testing::wait_until;
using namespace std::chrono_literals;

/// Generous: the daemon runs under ASan on a busy machine. Nothing waits this long when it works.
constexpr auto deadline = 60s;

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

/// The nice value of each thread of process `pid`, from /proc (field 19 of each task's stat).
std::map<pid_t, int> thread_nices(pid_t pid) {
  std::map<pid_t, int> nices;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
    const std::string stat = testing::read_file(task.path() / "stat");
    // After the command name, which may hold anything, up to its closing parenthesis.
    std::istringstream fields(stat.substr(stat.rfind(')') + 1));
    std::string field;
    for (int index = 3; index <= 19 && fields >> field; ++index) {
    }
    nices[std::stoi(task.path().filename().string())] = std::stoi(field);
  }
  return nices;
}

/// A feed whose items the test changes while the daemon polls it; answers 304 to its own ETag.
class LiveFeed {
 public:
  explicit LiveFeed(HttpServer& server) {
    server.on("/wire", [state = state_](const testing::ReceivedRequest& request) {
      const std::scoped_lock lock(state->mutex);
      const auto etag = "\"v" + std::to_string(state->version) + "\"";
      if (request.header("If-None-Match") == etag) {
        return ScriptedResponse::text(304, "");
      }
      std::string body =
          "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>"
          "<link>https://wire.example/</link><description>Wire</description>";
      for (const auto& [id, title] : state->items) {
        body.append("<item><title>").append(xml_escaped(title)).append("</title><link>https://wire.example/");
        body.append(id).append("</link><guid>").append(id).append("</guid></item>");
      }
      body += "</channel></rss>";
      return ScriptedResponse::text(200, body, "application/rss+xml").with_header("ETag", etag);
    });
  }

  void add(const std::string& id, const std::string& title) {
    const std::scoped_lock lock(state_->mutex);
    state_->items.emplace_back(id, title);
    ++state_->version;
  }

 private:
  struct State {
    std::mutex mutex;
    std::vector<std::pair<std::string, std::string>> items;
    int version = 1;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

class RunEndToEnd : public ::testing::Test {
 protected:
  RunEndToEnd() {
    feed_.add("w-1", "Markets open higher in Istanbul");
    feed_.add("w-2", "ISIS coalition meets in Paris");
  }

  std::string config_text(const std::string& extra_rules = "", const std::string& daemon_extra = "") const {
    return "[daemon]\nstate_dir = \"" + (dir_.path() / "state").string() +
           "\"\nlog_level = \"info\"\nmin_interval = \"1s\"\ndefault_interval = \"1s\"\n"
           "max_item_age = \"36500d\"\nshutdown_timeout = \"5s\"\n" +
           daemon_extra + "\n[[feed]]\nname = \"wire\"\nurl = \"" + server_.url("/wire") +
           "\"\n\n[[target]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"" + server_.url("/hook") +
           "\"\n\n[[rule]]\nname = \"isis-coalition\"\nquery = '\"ISIS coalition\"'\ntargets = [\"hook\"]\n" +
           extra_rules;
  }

  std::string write_config(const std::string& text) const { return dir_.write("newswatch.toml", text).string(); }

  std::unique_ptr<ChildProcess> start(const std::string& config, const std::string& run_dir) {
    testing::ProcessOptions options;
    options.env["NOTIFY_SOCKET"] = notify_.address();
    options.env["WATCHDOG_USEC"] = "400000";
    options.unset_env = {"WATCHDOG_PID", "NEWSWATCH_CONFIG"};
    std::filesystem::create_directories(dir_.path() / run_dir);
    return testing::start_newswatch({"run", "--config", config}, options, dir_.path() / run_dir);
  }

  /// Waits until the feed was fetched `more` more times than now: each fetch after the first
  /// proves the poll before it was recorded.
  bool wait_for_polls(std::size_t more) const {
    const auto target = server_.request_count("/wire") + more;
    return wait_until([&] { return server_.request_count("/wire") >= target; }, deadline);
  }

  std::vector<std::string> alerted_rules() const {
    std::vector<std::string> rules;
    for (const auto& body : hook_.accepted_bodies()) {
      rules.push_back(nlohmann::json::parse(body)["data"]["rule"].get<std::string>());
    }
    return rules;
  }

  std::vector<std::string> alerted_titles() const {
    std::vector<std::string> titles;
    for (const auto& body : hook_.accepted_bodies()) {
      titles.push_back(nlohmann::json::parse(body)["data"]["title"].get<std::string>());
    }
    return titles;
  }

  TempDir dir_;
  HttpServer server_;
  LiveFeed feed_{server_};
  PlatformEmulator hook_{server_, config::TargetType::webhook, "/hook"};
  NotifySocket notify_{dir_.path() / "notify.sock"};
};

TEST_F(RunEndToEnd, AFeedThatChangesAlertsAndSystemdHearsEveryState) {
  const auto config = write_config(config_text());
  auto daemon = start(config, "run1");
  const auto ready = notify_.wait_for("READY=1", deadline);
  ASSERT_TRUE(ready) << daemon->err();
  EXPECT_THAT(*ready, HasSubstr("STATUS=feeds 1, rules 1, targets 1"));
  // The first poll is the feed's baseline: what is there now alerts nothing.
  ASSERT_TRUE(wait_for_polls(2)) << daemon->err();
  EXPECT_TRUE(hook_.accepted_bodies().empty());

  feed_.add("w-3", "ISIS coalition strikes oil depots near Raqqa");
  ASSERT_TRUE(wait_until([&] { return !hook_.accepted_bodies().empty(); }, deadline)) << daemon->err();
  EXPECT_EQ(alerted_titles(), std::vector<std::string>{"ISIS coalition strikes oil depots near Raqqa"});
  EXPECT_THAT(daemon->err(), HasSubstr("alert: id="));

  EXPECT_TRUE(notify_.wait_for("WATCHDOG=1", deadline));
  daemon->signal(SIGTERM);
  EXPECT_TRUE(notify_.wait_for("STOPPING=1", deadline));
  const auto exit_code = daemon->wait_for(deadline);
  ASSERT_TRUE(exit_code) << "still running after SIGTERM";
  EXPECT_EQ(*exit_code, 0) << daemon->err();
  EXPECT_EQ(hook_.accepted_bodies().size(), 1U);

  // The term frequencies it observed are kept for the next start's rule index: one item of each poll
  // that brought new ones (the baseline's two, then w-3).
  auto store = store::SqliteStore::open_read_only(dir_.path() / "state");
  ASSERT_TRUE(store) << store.error().message;
  const auto saved = (*store)->load_term_frequencies();
  ASSERT_TRUE(saved);
  ASSERT_TRUE(saved->has_value());
  const auto frequencies = rules::TermFrequencies::deserialize(**saved);
  ASSERT_TRUE(frequencies);
  EXPECT_EQ(frequencies->documents(), 2U);
}

TEST_F(RunEndToEnd, ItsWorkerThreadsRunBelowTheLoopThread) {
  const auto config = write_config(config_text());
  auto daemon = start(config, "run1");
  ASSERT_TRUE(notify_.wait_for("READY=1", deadline)) << daemon->err();
  ASSERT_TRUE(wait_for_polls(2)) << daemon->err();
  const auto nices = thread_nices(daemon->pid());
  // The child inherits this process's priority and seccomp filters (under which nothing changes).
  errno = 0;
  const int base = getpriority(PRIO_PROCESS, 0);
  ASSERT_EQ(errno, 0);
  EXPECT_EQ(nices.at(daemon->pid()), base) << "the loop thread keeps the process's priority";
  const bool filtered = pipeline::seccomp_filtered(testing::read_file("/proc/self/status"));
  const int worker_nice = filtered ? base : std::min(19, base + pipeline::WorkerPool::nice_steps);
  const auto workers = std::count_if(nices.begin(), nices.end(), [&](const auto& thread) {
    return thread.first != daemon->pid() && thread.second == worker_nice;
  });
  EXPECT_GE(static_cast<unsigned>(workers), std::max(1U, std::thread::hardware_concurrency()))
      << ::testing::PrintToString(nices);
  daemon->signal(SIGTERM);
  const auto exit_code = daemon->wait_for(deadline);
  ASSERT_TRUE(exit_code) << "still running after SIGTERM";
  EXPECT_EQ(*exit_code, 0) << daemon->err();
}

TEST_F(RunEndToEnd, SighupSwapsInANewRuleAndKeepsTheOldConfigWhenTheNewOneIsBroken) {
  const auto config = write_config(config_text());
  auto daemon = start(config, "run1");
  ASSERT_TRUE(notify_.wait_for("READY=1", deadline)) << daemon->err();
  ASSERT_TRUE(wait_for_polls(2)) << daemon->err();

  write_config(config_text("\n[[rule]]\nname = \"kobani\"\nquery = \"Kobani\"\ntargets = [\"hook\"]\n"));
  daemon->signal(SIGHUP);
  ASSERT_TRUE(notify_.wait_for("RELOADING=1", deadline)) << daemon->err();
  const auto reloaded = notify_.wait_for("READY=1", deadline);
  ASSERT_TRUE(reloaded) << daemon->err();
  EXPECT_THAT(*reloaded, HasSubstr("rules 2"));
  // The feed keeps its seen items across the reload: nothing old alerts again.
  feed_.add("w-3", "Fighting resumes around Kobani");
  ASSERT_TRUE(wait_until([&] { return hook_.accepted_bodies().size() >= 1; }, deadline)) << daemon->err();
  EXPECT_EQ(alerted_rules(), std::vector<std::string>{"kobani"});

  // A broken file: every error is logged with file:line:col, and the daemon keeps the old config.
  write_config(config_text("\n[[rule]]\nname = \"broken\"\nquery = \"(Kobani\"\ntargets = [\"nowhere\"]\n"));
  daemon->signal(SIGHUP);
  ASSERT_TRUE(notify_.wait_for("RELOADING=1", deadline)) << daemon->err();
  const auto refused = notify_.wait_for("READY=1", deadline);
  ASSERT_TRUE(refused) << daemon->err();
  EXPECT_THAT(*refused, HasSubstr("reload failed"));
  EXPECT_THAT(*refused, HasSubstr("rules 2"));
  ASSERT_TRUE(wait_until(
      [&] {
        return daemon->err().find("reload: ") != std::string::npos &&
               daemon->err().find("still running the previous config") != std::string::npos;
      },
      deadline));
  EXPECT_THAT(daemon->err(), HasSubstr("newswatch.toml:"));
  EXPECT_THAT(daemon->err(), HasSubstr("nowhere"));

  feed_.add("w-4", "ISIS coalition ministers meet again");
  ASSERT_TRUE(wait_until([&] { return hook_.accepted_bodies().size() >= 2; }, deadline)) << daemon->err();
  EXPECT_EQ(alerted_rules(), (std::vector<std::string>{"kobani", "isis-coalition"}));

  daemon->signal(SIGTERM);
  const auto exit_code = daemon->wait_for(deadline);
  ASSERT_TRUE(exit_code);
  EXPECT_EQ(*exit_code, 0) << daemon->err();
}

TEST_F(RunEndToEnd, KilledAndRestartedItRepeatsNothingAndLosesNothing) {
  // No baseline: the two items there alert (one matches) from the first poll.
  auto text = config_text();
  text.replace(text.find("[[feed]]\n"), 9, "[[feed]]\nbaseline = false\n");
  const auto config = write_config(text);
  {
    auto daemon = start(config, "run1");
    ASSERT_TRUE(wait_until([&] { return hook_.accepted_bodies().size() >= 1; }, deadline)) << daemon->err();
    // Killed once the store says the alert was sent: a kill between the send and that write sends
    // it again on restart with the same idempotency key (at least once; CrashSafety covers it).
    ASSERT_TRUE(wait_until(
        [&] {
          const auto state = testing::run_newswatch({"state", "alerts", "--json", "--config", config});
          return state.out.find("\"state\":\"sent\"") != std::string::npos;
        },
        deadline));
    daemon->signal(SIGKILL);
    ASSERT_EQ(daemon->wait_for(deadline), 128 + SIGKILL);
  }
  // Published while it is down.
  feed_.add("w-3", "ISIS coalition strikes oil depots near Raqqa");
  auto daemon = start(config, "run2");
  ASSERT_TRUE(wait_until([&] { return hook_.accepted_bodies().size() >= 2; }, deadline)) << daemon->err();
  // A few more polls and deliveries would have had their chance to repeat something.
  ASSERT_TRUE(wait_for_polls(3)) << daemon->err();
  daemon->signal(SIGTERM);
  ASSERT_EQ(daemon->wait_for(deadline), 0) << daemon->err();

  const auto keys = hook_.accepted_keys();
  EXPECT_EQ(keys.size(), 2U);
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), keys.size());
  EXPECT_EQ(alerted_titles(), (std::vector<std::string>{"ISIS coalition meets in Paris",
                                                        "ISIS coalition strikes oil depots near Raqqa"}));
}

TEST_F(RunEndToEnd, UpgradesAnOlderStoreTellingSystemdItIsStillStartingAndForgetsNothing) {
  const auto config = write_config(config_text());
  {
    // The first run baselines the feed (two items stored, nothing alerted).
    auto daemon = start(config, "run1");
    ASSERT_TRUE(notify_.wait_for("READY=1", deadline)) << daemon->err();
    ASSERT_TRUE(wait_for_polls(2)) << daemon->err();
    daemon->signal(SIGTERM);
    ASSERT_EQ(daemon->wait_for(deadline), 0) << daemon->err();
  }
  // As a newswatch of schema version 4 left it.
  ASSERT_EQ(testing::run_raw_sql(dir_.path() / "state", testing::store_down_to_version_6), "");
  ASSERT_EQ(testing::run_raw_sql(dir_.path() / "state", testing::store_down_to_version_5), "");
  ASSERT_EQ(testing::run_raw_sql(dir_.path() / "state", testing::store_down_to_version_4), "");

  auto daemon = start(config, "run2");
  const auto extended = notify_.wait_for("EXTEND_TIMEOUT_USEC=", deadline);
  ASSERT_TRUE(extended) << daemon->err();
  EXPECT_THAT(*extended, HasSubstr("STATUS=upgrading the store's schema"));
  ASSERT_TRUE(notify_.wait_for("READY=1", deadline)) << daemon->err();
  EXPECT_THAT(daemon->err(), HasSubstr("upgrading the schema from version 4 to 7"));
  // The stored items came through: the matching one does not alert as new.
  ASSERT_TRUE(wait_for_polls(2)) << daemon->err();
  EXPECT_TRUE(hook_.accepted_bodies().empty());
  feed_.add("w-3", "ISIS coalition strikes oil depots near Raqqa");
  ASSERT_TRUE(wait_until([&] { return !hook_.accepted_bodies().empty(); }, deadline)) << daemon->err();
  daemon->signal(SIGTERM);
  ASSERT_EQ(daemon->wait_for(deadline), 0) << daemon->err();
  EXPECT_EQ(alerted_titles(), std::vector<std::string>{"ISIS coalition strikes oil depots near Raqqa"});
}

TEST_F(RunEndToEnd, SigtermWaitsForADeliveryOnlyUntilTheShutdownTimeoutAndASecondSignalExitsAtOnce) {
  // A target that never answers in time.
  server_.on("/stuck", [](const testing::ReceivedRequest&) {
    auto response = ScriptedResponse::text(200, "{}", "application/json");
    response.delay = std::chrono::minutes{5};
    return response;
  });
  auto text = config_text("", "alert_max_age = \"1h\"\n");
  text.replace(text.find("/hook"), 5, "/stuck");
  text.replace(text.find("[[feed]]\n"), 9, "[[feed]]\nbaseline = false\n");
  const auto config = write_config(text);

  for (const bool second_signal : {false, true}) {
    SCOPED_TRACE(second_signal ? "second signal" : "deadline");
    const auto before = server_.request_count("/stuck");
    auto daemon = start(config, second_signal ? "run2" : "run1");
    ASSERT_TRUE(wait_until([&] { return server_.request_count("/stuck") > before; }, deadline)) << daemon->err();
    daemon->signal(SIGTERM);
    if (second_signal) {
      // Two signals sent at once may arrive as one: wait until the first was taken.
      ASSERT_TRUE(wait_until([&] { return daemon->err().find("shutdown: SIGTERM") != std::string::npos; }, deadline));
      daemon->signal(SIGTERM);
    }
    // shutdown_timeout is 5 s: the first case exits after it, the second long before it.
    const auto exit_code = daemon->wait_for(deadline);
    ASSERT_TRUE(exit_code) << "still running\n" << daemon->err();
    EXPECT_EQ(*exit_code, 0) << daemon->err();
    EXPECT_THAT(daemon->err(), HasSubstr(second_signal ? "second SIGTERM" : "still in flight"));
  }
}

/// The body of GET `url`, through curl (127.0.0.1 only; no proxy).
testing::ProcessResult http_get(const std::string& url) {
  testing::ProcessOptions options;
  options.timeout = std::chrono::seconds{60};
  options.unset_env = {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"};
  return testing::run_process("/usr/bin/curl", {"-fsS", "--max-time", "30", url}, options);
}

TEST_F(RunEndToEnd, ServesAStatusPageChromiumRendersAndMetricsPromtoolAccepts) {
  const std::string chromium = "/usr/bin/chromium";
  const std::string promtool = "/usr/bin/promtool";
  ASSERT_TRUE(std::filesystem::exists(chromium)) << "scripts/install-deps installs chromium";
  ASSERT_TRUE(std::filesystem::exists(promtool)) << "scripts/install-deps installs prometheus (promtool)";
  const auto config = write_config(config_text("", "http_listen = \"127.0.0.1:0\"\n"));
  auto daemon = start(config, "run1");
  ASSERT_TRUE(notify_.wait_for("READY=1", deadline)) << daemon->err();
  const std::string marker = "http: listening on 127.0.0.1:";
  const auto log = daemon->err();
  const auto at = log.find(marker);
  ASSERT_NE(at, std::string::npos) << log;
  const auto port = std::stoi(log.substr(at + marker.size()));
  const auto base = "http://127.0.0.1:" + std::to_string(port);
  ASSERT_TRUE(wait_for_polls(2)) << daemon->err();
  feed_.add("w-3", "ISIS coalition & \"allies\" say 5 < 7");
  ASSERT_TRUE(wait_until([&] { return !hook_.accepted_bodies().empty(); }, deadline)) << daemon->err();

  EXPECT_EQ(http_get(base + "/healthz").exit_code, 0);
  EXPECT_EQ(http_get(base + "/readyz").exit_code, 0);
  const auto metrics = http_get(base + "/metrics");
  ASSERT_EQ(metrics.exit_code, 0) << metrics.err;
  EXPECT_THAT(metrics.out, HasSubstr("newswatch_feed_polls_total{feed=\"wire\",result=\"ok\"} "));
  EXPECT_THAT(metrics.out, HasSubstr("newswatch_alerts_total{rule=\"isis-coalition\"} 1\n"));
  EXPECT_THAT(metrics.out, HasSubstr("newswatch_deliveries_total{target=\"hook\",result=\"sent\"} 1\n"));
  EXPECT_THAT(metrics.out, HasSubstr("newswatch_delivery_latency_seconds_count 1\n"));
  EXPECT_THAT(metrics.out, HasSubstr("newswatch_build_info{"));
  testing::ProcessOptions check;
  check.stdin_data = metrics.out;
  const auto checked = testing::run_process(promtool, {"check", "metrics"}, check);
  EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;

  const TempDir profile;
  testing::ProcessOptions browser;
  browser.timeout = std::chrono::seconds{90};
  const auto page =
      testing::run_process(chromium,
                           {"--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--disable-default-apps", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                            "--user-data-dir=" + profile.path().string(), base + "/"},
                           browser);
  ASSERT_EQ(page.exit_code, 0) << page.err;
  EXPECT_THAT(page.out, HasSubstr(R"(id="feeds-table")"));
  EXPECT_THAT(page.out, HasSubstr("wire"));
  EXPECT_THAT(page.out, HasSubstr("isis-coalition"));
  // The title as text, never as markup; and no secret or target URL on the page.
  EXPECT_THAT(page.out, HasSubstr("ISIS coalition &amp; \"allies\" say 5 &lt; 7"));
  EXPECT_THAT(page.out, Not(HasSubstr("/hook")));

  daemon->signal(SIGTERM);
  ASSERT_EQ(daemon->wait_for(deadline), 0) << daemon->err();
}

}  // namespace
}  // namespace newswatch::app
