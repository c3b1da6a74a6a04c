#pragma once

#include <vector>

#include "newswatch/config/config.hpp"
#include "newswatch/config/diagnostic.hpp"

namespace newswatch::alert {

/// Renders every target's template with the sample alert (check_template()) and reports each
/// failure where it is: file:line:col inside a template_file, or at an inline template's value
/// with the line and column inside it in the message.
std::vector<config::Diagnostic> check_target_templates(const config::Config& config);

}  // namespace newswatch::alert
