#include "query_check.hpp"

#include <fmt/format.h>

namespace newswatch::config::detail {

void check_rule_query(std::string_view rule_name, std::string_view query, const toml::source_region& value_at,
                      Diagnostics& diagnostics) {
  if (query.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    diagnostics.error(Diagnostics::location(value_at), fmt::format("rule \"{}\": query is empty", rule_name),
                      "write what to watch for, e.g. query = '\"ISIS coalition\"'");
  }
}

}  // namespace newswatch::config::detail
