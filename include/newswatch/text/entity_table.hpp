#pragma once

#include <span>
#include <string_view>

namespace newswatch::text {

/// One HTML5 named character reference: its name without ';' and the one or two code points it stands for.
struct NamedEntity {
  std::string_view name;
  char32_t first = 0;
  char32_t second = 0;  ///< 0 when the reference is a single code point.
};

/// Every HTML5 named character reference, sorted bytewise by name.
std::span<const NamedEntity> named_entities() noexcept;

/// The legacy names HTML also decodes without a trailing ';' (amp, lt, copy, nbsp, ...), sorted.
std::span<const std::string_view> semicolon_optional_entity_names() noexcept;

}  // namespace newswatch::text
