#pragma once

// Private to the alert module: the Mustache data of a message, escaped for one markup.

#include <kainjow/mustache.hpp>

#include <string_view>
#include <vector>

#include "message_view.hpp"
#include "newswatch/alert/template.hpp"

namespace newswatch::alert::detail {

/// The markup a target type's template is written in, and its variables escaped for.
Markup template_markup(config::TargetType type);

/// The variables of a story message within `budget`, escaped for `markup`.
kainjow::mustache::data story_data(const StoryView& view, const Budget& budget, Markup markup);
/// The variables of a digest page within `budget`, escaped for `markup`; `total` counts every page.
kainjow::mustache::data digest_data(const std::vector<DigestEntry>& entries, std::size_t total, const Budget& budget,
                                    Markup markup);

/// Renders `text` with `data`, no escaping of its own (the values are escaped already).
Expected<std::string, TemplateError> render_data(std::string_view text, const kainjow::mustache::data& data);

}  // namespace newswatch::alert::detail
