#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/alert/http_courier.hpp"
#include "newswatch/alert/template.hpp"
#include "newswatch/app/command.hpp"
#include "newswatch/app/exit_code.hpp"
#include "newswatch/store/sqlite_store.hpp"
#include "newswatch/text/suggest.hpp"

namespace newswatch::app {
namespace {

struct SendTestOptions {
  std::string target;
  std::string rule;
};

/// Rule `rule`'s newest alert in the store, if the store and such an alert exist.
std::optional<Alert> last_alert_of(const config::Config& config, const std::string& rule) {
  std::error_code error;
  if (!std::filesystem::exists(store::SqliteStore::database_path(config.daemon.state_dir), error)) {
    return std::nullopt;
  }
  auto store = store::SqliteStore::open_read_only(config.daemon.state_dir);
  if (!store) {
    std::cerr << "newswatch send-test: " << store.error().message << '\n';
    return std::nullopt;
  }
  store::AlertFilter filter;
  filter.rule = rule;
  filter.limit = 1;
  auto alerts = (*store)->list_alerts(filter);
  if (!alerts || alerts->empty()) {
    return std::nullopt;
  }
  return alerts->front().alert;
}

template <typename Named>
std::string did_you_mean(const std::string& typo, const std::vector<Named>& values) {
  std::vector<std::string_view> names;
  names.reserve(values.size());
  for (const auto& value : values) {
    names.emplace_back(value.name);
  }
  const auto match = text::closest_match(typo, names);
  return match ? fmt::format("; did you mean \"{}\"?", *match) : std::string();
}

int run_send_test(const GlobalOptions& globals, const SendTestOptions& options) {
  const auto loaded = load_config_for_command(globals);
  if (!loaded) {
    return exit_bad_input;
  }
  const auto& config = *loaded;
  const auto target = std::find_if(config.targets.begin(), config.targets.end(),
                                   [&options](const config::Target& each) { return each.name == options.target; });
  if (target == config.targets.end()) {
    std::cerr << fmt::format("newswatch send-test: unknown target \"{}\"{}\n", options.target,
                             did_you_mean(options.target, config.targets));
    return exit_bad_input;
  }
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto chosen = alert::sample_alert();
  // A new id each time, so no platform drops a second test as a repeat (Matrix txnId, webhook-id).
  chosen.id = fmt::format("send-test-{}", now.time_since_epoch().count());
  chosen.created = now;
  if (!options.rule.empty()) {
    const auto rule = std::find_if(config.rules.begin(), config.rules.end(),
                                   [&options](const config::Rule& each) { return each.name == options.rule; });
    if (rule == config.rules.end()) {
      std::cerr << fmt::format("newswatch send-test: unknown rule \"{}\"{}\n", options.rule,
                               did_you_mean(options.rule, config.rules));
      return exit_bad_input;
    }
    if (auto last = last_alert_of(config, options.rule)) {
      chosen = std::move(*last);
    } else {
      std::cerr << fmt::format("newswatch send-test: rule \"{}\" has no alert in the store yet; sending the sample\n",
                               options.rule);
    }
  }
  chosen.targets = {target->name};

  boost::asio::io_context io;
  net::HttpClientOptions client_options;
  client_options.user_agent = config.daemon.user_agent;
  if (!config.daemon.proxy.empty()) {
    client_options.proxy = config.daemon.proxy;
  }
  net::HttpClient client(io, client_options);
  alert::SystemClock clock(io);
  alert::HttpCourier courier(client, clock,
                             [](const std::string& text) { std::cout << text << (text.ends_with('\n') ? "" : "\n"); });
  const auto type = config::target_type_name(target->type);
  std::optional<alert::SendResult> result;
  courier.send(*target, alert::Message{alert::MessageKind::story, {chosen}},
               [&result](alert::SendResult done) { result = std::move(done); });
  io.run();
  if (!result) {
    std::cerr << fmt::format("newswatch send-test: {} target \"{}\": no answer\n", type, target->name);
    return exit_runtime_failure;
  }
  if (result->status != 0) {
    std::cout << fmt::format("HTTP {} {}\n", result->status, net::reason_phrase(result->status));
  }
  if (!result->answer.empty()) {
    std::cout << result->answer << (result->answer.ends_with('\n') ? "" : "\n");
  }
  if (result->kind != alert::SendResult::Kind::delivered) {
    std::cerr << fmt::format("newswatch send-test: {} target \"{}\": {}; not delivered\n", type, target->name,
                             result->detail);
    return exit_runtime_failure;
  }
  std::cerr << fmt::format("send-test: {} target \"{}\": delivered\n", type, target->name);
  return exit_ok;
}

}  // namespace

void register_send_test_command(CLI::App& root, const GlobalOptions& globals, int& exit_code) {
  auto* command = root.add_subcommand(
      "send-test",
      "Send one sample alert (or rule R's newest alert from the store) to TARGET, and print the HTTP status\n"
      "and the platform's answer. Nothing is recorded.\n"
      "Exit 0 when the target took the message, 1 for an unknown target or rule, 2 when it was not delivered.");
  auto options = std::make_shared<SendTestOptions>();
  command->add_option("target", options->target, "Target name, as in [[target]] name")->required();
  command->add_option("--rule", options->rule, "Send this rule's newest stored alert instead of the sample")
      ->type_name("RULE");
  command->callback([&globals, &exit_code, options] { exit_code = run_send_test(globals, *options); });
}

}  // namespace newswatch::app
