// Message templates come from the config, their values from any feed on the internet. Input:
// template text, then (after the first NUL byte) text used as the alert's title and summary.
// The renderer must never crash, report an error with a position inside the template, and give
// valid UTF-8 inside the platform's limits whenever the template itself is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "newswatch/alert/message_text.hpp"
#include "newswatch/alert/request_builder.hpp"
#include "newswatch/alert/template.hpp"
#include "newswatch/text/utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace newswatch;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto split = input.find('\0');
  const std::string_view text = input.substr(0, split);
  const std::string_view value = split == std::string_view::npos ? std::string_view{} : input.substr(split + 1);

  Alert alert = alert::sample_alert();
  alert.title = std::string(value);
  alert.summary = std::string(value);
  const bool valid_template = text::is_valid_utf8(text);

  for (const auto markup : {alert::Markup::plain, alert::Markup::markdown, alert::Markup::html, alert::Markup::json}) {
    for (const auto kind : {alert::MessageKind::story, alert::MessageKind::digest}) {
      const auto rendered = alert::render_template(text, alert::Message{kind, {alert}}, markup);
      if (!rendered) {
        const auto& error = rendered.error();
        if (error.line < 0 || error.column < 0 || (error.line > 0 && error.column == 0)) {
          __builtin_trap();
        }
        continue;
      }
      if (valid_template && !text::is_valid_utf8(*rendered)) {
        __builtin_trap();
      }
    }
  }
  static_cast<void>(alert::check_template(text, config::TargetType::webhook));

  config::Target target;
  target.type = config::TargetType::telegram;
  target.token = Secret("1:fuzz", "");
  target.chat_id = "-1";
  target.template_text = std::string(text);
  const auto requests = alert::build_requests(target, alert::Message{alert::MessageKind::story, {alert}}, TimePoint{});
  if (requests && valid_template) {
    for (const auto& request : *requests) {
      if (!text::is_valid_utf8(request.body)) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
