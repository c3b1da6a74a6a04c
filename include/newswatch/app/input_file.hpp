#pragma once

#include <string>

#include "newswatch/model/expected.hpp"

namespace newswatch::app {

/// The whole of the file at `path` ("-" reads standard input), or "cannot open/read PATH".
Expected<std::string, std::string> read_input_file(const std::string& path);

}  // namespace newswatch::app
