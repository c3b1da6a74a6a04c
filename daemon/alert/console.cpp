// The console target: the message as plain text for standard output, like `once` prints matches.

#include "platforms.hpp"
#include "template_data.hpp"

namespace newswatch::alert::detail {
namespace {

const TextStyle text_style{Markup::plain, "\n    ", true, true, true};

Expected<std::string, std::string> render_template_text(const config::Target& target,
                                                        const kainjow::mustache::data& data) {
  auto rendered = render_data(target.template_text, data);
  if (!rendered) {
    return make_unexpected("template " + rendered.error().to_string());
  }
  // A template's output may carry anything; the terminal gets no control characters.
  return clean_text(*rendered, false);
}

}  // namespace

Requests build_console(const config::Target& target, const Message& message) {
  const Budget budget;
  std::string text;
  if (message.kind == MessageKind::digest) {
    const auto entries = make_digest_entries(message);
    if (target.template_text.empty()) {
      text = compose_digest(entries, entries.size(), budget, text_style);
    } else {
      auto rendered = render_template_text(target, digest_data(entries, entries.size(), budget, Markup::plain));
      if (!rendered) {
        return make_unexpected(std::move(rendered).error());
      }
      text = std::move(*rendered);
    }
  } else {
    const StoryView view = make_story_view(message);
    if (target.template_text.empty()) {
      text = compose_story(view, budget, text_style);
    } else {
      auto rendered = render_template_text(target, story_data(view, budget, Markup::plain));
      if (!rendered) {
        return make_unexpected(std::move(rendered).error());
      }
      text = std::move(*rendered);
    }
  }
  return std::vector<OutgoingRequest>{OutgoingRequest{{}, {}, {}, std::move(text)}};
}

}  // namespace newswatch::alert::detail
