#pragma once

#include <string>
#include <string_view>

namespace newswatch::config {

/// True for a valid feed, rule, target or tag name: letters, digits, '-', '_' and '.', so that it
/// can stand in queries (feed:NAME, feed:tag:NAME) and in log lines without quoting.
bool is_valid_name(std::string_view name);

/// A valid name made from free text such as a feed title: `text` itself when it is one already,
/// else its normalised form (lower case, accents removed) with every run of other characters
/// turned into one '-', at most 64 bytes. "" when nothing usable is left (a title in a script
/// without Latin letters or digits).
std::string name_from_text(std::string_view text);

}  // namespace newswatch::config
