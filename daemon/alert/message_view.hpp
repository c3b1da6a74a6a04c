#pragma once

// Private to the alert module: a message's content cleaned for display, the budget that decides how
// much of it a rendering uses, and the text every platform's default message is built from.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/alert/escape.hpp"
#include "newswatch/alert/message.hpp"
#include "newswatch/alert/message_text.hpp"
#include "newswatch/model/alert.hpp"

namespace newswatch::alert::detail {

/// A run of summary text, highlighted when a rule matched it.
struct Segment {
  std::string text;
  bool matched = false;
};

/// Another outlet of the story, cleaned.
struct OtherOutlet {
  std::string feed;
  std::string title;
  std::string link;  ///< safe_link(); may be empty.
};

/// A story message's content: cleaned (clean_text(), safe_link()), neither escaped nor cut.
struct StoryView {
  std::string id;  ///< message_id().
  std::vector<std::string> alert_ids;
  std::vector<std::string> rules;  ///< Each rule once, in alert order.
  std::string story;
  std::string feed;
  std::string title;  ///< "(untitled)" when the item has none.
  std::string link;   ///< safe_link(); empty when the item has no usable link.
  std::optional<TimePoint> published;
  std::vector<Segment> summary;
  std::vector<std::string> matched;  ///< Matched words, each once (first spelling wins).
  std::vector<OtherOutlet> also;
  bool updated = false;
};

/// One line of a digest.
struct DigestEntry {
  std::string id;
  std::vector<std::string> rules;
  std::string feed;
  std::string title;
  std::string link;
  std::optional<TimePoint> published;
  bool updated = false;
};

/// How much of each part of a message a rendering may use, in code points or items. A rendering
/// that does not fit its platform tries again with shrink(): the summary goes first, the link last.
struct Budget {
  std::size_t title = 256;
  std::size_t summary = 400;  ///< "A short summary".
  std::size_t matched = 12;   ///< Matched words shown.
  std::size_t also = 8;       ///< Other outlets named.
  std::size_t rules = 10;     ///< Rule names shown ("and N more" for the rest).
  std::size_t name = 100;     ///< Each rule and feed name.
  bool link_in_text = true;   ///< False only when nothing else is left to cut.

  /// The next smaller budget; false when there is nothing left to shrink.
  bool shrink();
};

/// The content of a story message.
StoryView make_story_view(const Message& message);
/// The lines of a digest message.
std::vector<DigestEntry> make_digest_entries(const Message& message);

/// "2026-11-28 12:00 UTC".
std::string format_published(TimePoint instant);

/// The rule names within `budget`, joined with ", " ("a, b and 3 more").
std::string rules_text(const std::vector<std::string>& rules, const Budget& budget);
/// The title within `budget` (code points).
std::string budget_title(const std::string& title, const Budget& budget);
/// The summary within `budget`, highlights kept.
std::vector<Segment> budget_summary(const std::vector<Segment>& summary, const Budget& budget);

/// How the default text of a message is laid out in one markup.
struct TextStyle {
  Markup markup = Markup::plain;
  std::string line_break = "\n";  ///< Between lines: "\n", "<br>", "\n\n" for paragraphs.
  bool title = true;              ///< Start with the title as a link (false where the platform shows it).
  bool rules = true;              ///< Name the rules (false where the platform shows them).
  bool source = true;             ///< The feed and published time (false where the platform shows them).
};

/// `text` escaped for `markup`.
inline std::string escaped(Markup markup, const std::string& text) {
  return escape_text(markup, text);
}
/// `text` escaped for `markup` and cut (before escaping, at a grapheme boundary) so the escaped
/// form is at most `limit` units long.
std::string escape_within(Markup markup, const std::string& text, std::size_t limit, LengthUnit unit);
/// Escaped text in bold.
std::string bold(Markup markup, const std::string& escaped_text);
/// A link around escaped text; the text alone when `link` is empty.
std::string link_to(Markup markup, const std::string& link, const std::string& escaped_text);

/// "feed · 2026-11-28 12:00 UTC", escaped.
std::string source_line(const StoryView& view, const Budget& budget, Markup markup);

/// The default text of a story message.
std::string compose_story(const StoryView& view, const Budget& budget, const TextStyle& style);
/// The default text of a digest page: a heading, then one line per entry with its title as a link.
std::string compose_digest(const std::vector<DigestEntry>& entries, std::size_t total, const Budget& budget,
                           const TextStyle& style);

}  // namespace newswatch::alert::detail
