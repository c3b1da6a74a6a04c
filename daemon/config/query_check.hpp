#pragma once

#include <toml++/toml.h>
#include <string_view>

#include "table_reader.hpp"

namespace newswatch::config::detail {

/// Reports a rule query that does not compile, at the line and column of the fault in the file.
void check_rule_query(std::string_view rule_name, std::string_view query, const toml::source_region& value_at,
                      Diagnostics& diagnostics);

}  // namespace newswatch::config::detail
