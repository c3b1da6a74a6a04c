#pragma once

namespace newswatch::app {

/// Parses the command line, runs the chosen subcommand and returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace newswatch::app
