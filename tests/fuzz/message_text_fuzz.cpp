// Feed text goes through cleaning, escaping and truncation into every platform's message. For
// any bytes: the result is valid UTF-8, a cut text fits its limit, a safe link is plain ASCII
// with nothing that could end a link, and every target's request stays inside its limits.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "newswatch/alert/escape.hpp"
#include "newswatch/alert/message_text.hpp"
#include "newswatch/alert/request_builder.hpp"
#include "newswatch/alert/template.hpp"
#include "newswatch/text/utf8.hpp"

namespace {

using namespace newswatch;

void require(bool condition) {
  if (!condition) {
    __builtin_trap();
  }
}

config::Target target_of(config::TargetType type) {
  config::Target target;
  target.type = type;
  target.url = Secret("https://hooks.example/x", "");
  target.token = Secret("1:fuzz", "");
  target.chat_id = "-1";
  target.room = "!r:example";
  return target;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const std::string line = alert::clean_text(input, true);
  const std::string block = alert::clean_text(input, false);
  require(text::is_valid_utf8(line) && text::is_valid_utf8(block));
  require(line.find('\n') == std::string::npos);

  const std::size_t limit = size == 0 ? 0 : static_cast<unsigned char>(input[0]);
  for (const auto unit : {alert::LengthUnit::bytes, alert::LengthUnit::code_points, alert::LengthUnit::utf16}) {
    const std::string cut = alert::truncate_text(block, limit, unit);
    require(text::is_valid_utf8(cut));
    require(alert::text_length(cut, unit) <= limit);
  }
  for (const auto markup : {alert::Markup::plain, alert::Markup::json, alert::Markup::slack, alert::Markup::markdown,
                            alert::Markup::telegram_html, alert::Markup::html}) {
    require(text::is_valid_utf8(alert::escape_text(markup, block)));
  }
  const std::string link = alert::safe_link(input);
  for (const char c : link) {
    const auto byte = static_cast<unsigned char>(c);
    require(byte > 0x20 && byte < 0x7F && std::string_view("\"'<>\\^`{|}()[]").find(c) == std::string_view::npos);
  }

  Alert alert = alert::sample_alert();
  alert.title = std::string(input);
  alert.summary = std::string(input);
  alert.link = std::string(input);
  alert.also = {{std::string(input), std::string(input), std::string(input)}};
  for (const auto type :
       {config::TargetType::webhook, config::TargetType::slack, config::TargetType::discord, config::TargetType::teams,
        config::TargetType::mattermost, config::TargetType::googlechat, config::TargetType::telegram,
        config::TargetType::ntfy, config::TargetType::matrix, config::TargetType::console}) {
    for (const auto kind : {alert::MessageKind::story, alert::MessageKind::digest}) {
      const auto requests = alert::build_requests(target_of(type), alert::Message{kind, {alert, alert}}, TimePoint{});
      require(requests.has_value());  // The default message always fits.
      for (const auto& request : *requests) {
        require(text::is_valid_utf8(request.body));
        for (const auto& [name, value] : request.headers) {
          require(value.find_first_of("\r\n") == std::string::npos);
        }
      }
    }
  }
  return 0;
}
