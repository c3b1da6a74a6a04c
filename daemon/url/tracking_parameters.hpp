#pragma once

#include <string_view>

namespace newswatch::url::detail {

/// True for a query parameter name that only tags how the reader arrived (campaign tags, ad click
/// ids, newsletter and social-share markers) and never selects what the server returns; compared
/// without regard to ASCII case.
bool is_tracking_parameter(std::string_view name) noexcept;

}  // namespace newswatch::url::detail
