#pragma once

namespace newswatch::app {

/// Process exit codes shared by every subcommand.
enum ExitCode : int {
  exit_ok = 0,               ///< Ran as asked.
  exit_bad_input = 1,        ///< Bad command line, config, rule or input file.
  exit_runtime_failure = 2,  ///< Could not run: I/O failure, store unavailable, internal error.
};

}  // namespace newswatch::app
