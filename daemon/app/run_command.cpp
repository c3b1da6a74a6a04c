#include <memory>

#include "newswatch/app/command.hpp"
#include "newswatch/app/daemon.hpp"

namespace newswatch::app {

void register_run_command(CLI::App& root, const GlobalOptions& globals, int& exit_code) {
  auto* command = root.add_subcommand(
      "run",
      "Run the daemon: poll every enabled feed at its own next poll (interval, cache hints, backoff,\n"
      "Retry-After, skipHours/skipDays, per-host and global limits), record what is new, and deliver each\n"
      "new alert to its targets at once. Feed state, seen items and the alert outbox live in the store,\n"
      "so a restart goes on where it stopped.\n"
      "Signals: SIGHUP reads and checks the whole config again and swaps it in (on errors it logs each one\n"
      "and keeps the running config); SIGTERM or SIGINT stop polling, let fetches and deliveries in flight\n"
      "finish for up to [daemon] shutdown_timeout, and exit 0; a second one exits at once.\n"
      "Under systemd (Type=notify) it reports READY, RELOADING, STOPPING, STATUS and pings the watchdog.\n"
      "With [daemon] http_listen it serves the status page (/), /metrics (Prometheus), /healthz and /readyz.\n"
      "Exit 0 after a clean stop; 1 on config errors; 2 when the store cannot be opened.");
  command->callback([&globals, &exit_code] {
    Daemon daemon(globals);
    exit_code = daemon.run();
  });
}

}  // namespace newswatch::app
