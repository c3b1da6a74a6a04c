#include "message_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "newswatch/text/normalize.hpp"
#include "newswatch/text/utf8.hpp"

namespace newswatch::alert::detail {
namespace {

std::string clean_line(const std::string& text) {
  return clean_text(text, true);
}

void add_once(std::vector<std::string>& values, std::string value) {
  if (!value.empty() && std::find(values.begin(), values.end(), value) == values.end()) {
    values.push_back(std::move(value));
  }
}

bool on_boundary(const std::string& text, std::size_t pos) {
  return pos == text.size() || (static_cast<unsigned char>(text[pos]) & 0xC0U) != 0x80U;
}

/// The summary split at the spans of every "summary" evidence that still points at the same text
/// (the alert keeps a shortened summary, so a span may run past its end or into changed text).
std::vector<Segment> highlight_summary(const Alert& alert, const std::vector<Alert>& alerts) {
  const std::string& summary = alert.summary;
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (const auto& other : alerts) {
    if (other.summary != summary) {
      continue;
    }
    for (const auto& evidence : other.why) {
      if (evidence.field != "summary") {
        continue;
      }
      for (std::size_t i = 0; i < evidence.spans.size(); ++i) {
        const auto [begin, end] = evidence.spans[i];
        if (begin >= end || end > summary.size() || !on_boundary(summary, begin) || !on_boundary(summary, end)) {
          continue;
        }
        if (i < evidence.text.size() && summary.compare(begin, end - begin, evidence.text[i]) != 0) {
          continue;
        }
        spans.emplace_back(begin, end);
      }
    }
  }
  std::sort(spans.begin(), spans.end());
  std::vector<Segment> segments;
  std::size_t pos = 0;
  for (const auto& [begin, end] : spans) {
    if (begin < pos) {
      continue;  // Overlaps one already taken (two rules matched the same words).
    }
    if (begin > pos) {
      segments.push_back({summary.substr(pos, begin - pos), false});
    }
    segments.push_back({summary.substr(begin, end - begin), true});
    pos = end;
  }
  if (pos < summary.size()) {
    segments.push_back({summary.substr(pos), false});
  }
  // Clean each piece on its own so offsets stay right; white space runs collapse across pieces.
  std::vector<Segment> cleaned;
  for (auto& segment : segments) {
    std::string text = clean_text(segment.text, true);
    if (text.empty()) {
      continue;
    }
    const bool space_before = !segment.text.empty() && std::isspace(static_cast<unsigned char>(segment.text.front()));
    const bool space_after = !segment.text.empty() && std::isspace(static_cast<unsigned char>(segment.text.back()));
    if (space_before && !cleaned.empty()) {
      text.insert(text.begin(), ' ');
    }
    if (space_after) {
      text.push_back(' ');
    }
    cleaned.push_back({std::move(text), segment.matched});
  }
  if (!cleaned.empty()) {
    auto& last = cleaned.back().text;
    while (!last.empty() && last.back() == ' ') {
      last.pop_back();
    }
  }
  return cleaned;
}

}  // namespace

bool Budget::shrink() {
  if (summary > 0) {
    summary = summary > 40 ? summary / 2 : 0;
    return true;
  }
  if (also > 0) {
    also /= 2;
    return true;
  }
  if (matched > 0) {
    matched /= 2;
    return true;
  }
  if (rules > 1) {
    rules = 1;
    return true;
  }
  if (title > 16) {
    title /= 2;
    return true;
  }
  if (name > 16) {
    name /= 2;
    return true;
  }
  if (link_in_text) {
    link_in_text = false;
    return true;
  }
  return false;
}

StoryView make_story_view(const Message& message) {
  StoryView view;
  if (message.alerts.empty()) {
    return view;
  }
  const Alert& first = message.alerts.front();
  view.id = message_id(message);
  for (const auto& alert : message.alerts) {
    view.alert_ids.push_back(alert.id);
    add_once(view.rules, clean_line(alert.rule));
    view.updated = view.updated || alert.updated;
  }
  view.story = clean_line(first.story);
  view.feed = clean_line(first.feed);
  view.title = clean_line(first.title);
  if (view.title.empty()) {
    view.title = "(untitled)";
  }
  view.link = safe_link(first.link);
  view.published = first.published;
  view.summary = highlight_summary(first, message.alerts);
  // Matched words in the order found; "ISIS" and "isis" are one word, shown as first seen.
  std::vector<std::string> seen;
  for (const auto& alert : message.alerts) {
    for (const auto& evidence : alert.why) {
      for (const auto& excerpt : evidence.text) {
        auto word = clean_line(excerpt);
        auto key = text::normalize(word);
        if (word.empty() || std::find(seen.begin(), seen.end(), key) != seen.end()) {
          continue;
        }
        seen.push_back(std::move(key));
        view.matched.push_back(std::move(word));
      }
    }
  }
  for (const auto& member : first.also) {
    view.also.push_back({clean_line(member.feed), clean_line(member.title), safe_link(member.link)});
  }
  return view;
}

std::vector<DigestEntry> make_digest_entries(const Message& message) {
  std::vector<DigestEntry> entries;
  for (const auto& alert : message.alerts) {
    // Alerts of one story (several rules) are one line naming every rule.
    auto found = alert.story.empty() ? entries.end()
                                     : std::find_if(entries.begin(), entries.end(),
                                                    [&](const DigestEntry& entry) { return entry.id == alert.story; });
    if (found != entries.end()) {
      add_once(found->rules, clean_line(alert.rule));
      found->updated = found->updated || alert.updated;
      continue;
    }
    DigestEntry entry;
    entry.id = alert.story.empty() ? alert.id : alert.story;
    add_once(entry.rules, clean_line(alert.rule));
    entry.feed = clean_line(alert.feed);
    entry.title = clean_line(alert.title);
    if (entry.title.empty()) {
      entry.title = "(untitled)";
    }
    entry.link = safe_link(alert.link);
    entry.published = alert.published;
    entry.updated = alert.updated;
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string format_published(TimePoint instant) {
  const auto day = std::chrono::floor<std::chrono::days>(instant);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{instant - day};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} UTC", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), clock.hours().count(),
                     clock.minutes().count());
}

std::string rules_text(const std::vector<std::string>& rules, const Budget& budget) {
  std::string text;
  const std::size_t shown = std::min(rules.size(), std::max<std::size_t>(budget.rules, 1));
  for (std::size_t i = 0; i < shown; ++i) {
    text += i == 0 ? "" : ", ";
    text += truncate_text(rules[i], budget.name, LengthUnit::code_points);
  }
  if (shown < rules.size()) {
    text += fmt::format(" and {} more", rules.size() - shown);
  }
  return text;
}

std::string budget_title(const std::string& title, const Budget& budget) {
  return truncate_text(title, budget.title, LengthUnit::code_points);
}

std::vector<Segment> budget_summary(const std::vector<Segment>& summary, const Budget& budget) {
  std::vector<Segment> out;
  std::size_t left = budget.summary;
  for (const auto& segment : summary) {
    const std::size_t length = text_length(segment.text, LengthUnit::code_points);
    if (length <= left) {
      out.push_back(segment);
      left -= length;
      continue;
    }
    // Room for at least one character besides the ellipsis, else stop at the previous piece.
    if (left >= 2) {
      out.push_back({truncate_text(segment.text, left, LengthUnit::code_points), segment.matched});
    } else if (!out.empty()) {
      out.back().text += ellipsis;
    }
    break;
  }
  return out;
}

std::string escape_within(Markup markup, const std::string& text, std::size_t limit, LengthUnit unit) {
  std::string out = escape_text(markup, text);
  if (text_length(out, unit) <= limit) {
    return out;
  }
  // The longest cut whose escaped form fits; escaping only grows text, so this is monotonic.
  std::size_t fits = 0;
  std::size_t fails = text_length(text, LengthUnit::code_points);
  out = escape_text(markup, truncate_text(text, 0, LengthUnit::code_points));
  while (fits + 1 < fails) {
    const std::size_t middle = fits + (fails - fits) / 2;
    std::string candidate = escape_text(markup, truncate_text(text, middle, LengthUnit::code_points));
    if (text_length(candidate, unit) <= limit) {
      fits = middle;
      out = std::move(candidate);
    } else {
      fails = middle;
    }
  }
  return out;
}

std::string bold(Markup markup, const std::string& escaped_text) {
  switch (markup) {
    case Markup::slack: return "*" + escaped_text + "*";
    case Markup::markdown: return "**" + escaped_text + "**";
    case Markup::telegram_html:
    case Markup::html: return "<b>" + escaped_text + "</b>";
    case Markup::plain:
    case Markup::json: return escaped_text;
  }
  return escaped_text;
}

std::string link_to(Markup markup, const std::string& link, const std::string& escaped_text) {
  if (link.empty()) {
    return escaped_text;
  }
  const std::string target = escape_link(markup, link);
  switch (markup) {
    case Markup::slack: return "<" + target + "|" + escaped_text + ">";
    case Markup::markdown: return "[" + escaped_text + "](" + target + ")";
    case Markup::telegram_html:
    case Markup::html: return "<a href=\"" + target + "\">" + escaped_text + "</a>";
    case Markup::plain:
    case Markup::json: return escaped_text + " <" + target + ">";
  }
  return escaped_text;
}

std::string source_line(const StoryView& view, const Budget& budget, Markup markup) {
  std::string source = escaped(markup, truncate_text(view.feed, budget.name, LengthUnit::code_points));
  if (view.published) {
    source += " · " + format_published(*view.published);
  }
  return source;
}

std::string compose_story(const StoryView& view, const Budget& budget, const TextStyle& style) {
  const Markup markup = style.markup;
  std::vector<std::string> lines;
  if (style.rules) {
    std::string line = bold(markup, escaped(markup, rules_text(view.rules, budget)));
    if (view.updated) {
      line += " (updated)";
    }
    lines.push_back(std::move(line));
  }
  if (style.title) {
    const std::string title = escaped(markup, budget_title(view.title, budget));
    if (markup == Markup::plain) {
      lines.push_back(title);
      if (!view.link.empty() && budget.link_in_text) {
        lines.push_back(view.link);
      }
    } else {
      lines.push_back(bold(markup, link_to(markup, budget.link_in_text ? view.link : std::string(), title)));
    }
  }
  if (style.source) {
    lines.push_back(source_line(view, budget, markup));
  }
  if (!view.matched.empty() && budget.matched > 0) {
    std::string line = "Matched: ";
    const std::size_t shown = std::min(view.matched.size(), budget.matched);
    for (std::size_t i = 0; i < shown; ++i) {
      line += i == 0 ? "" : ", ";
      line += bold(markup, escaped(markup, truncate_text(view.matched[i], budget.name, LengthUnit::code_points)));
    }
    if (shown < view.matched.size()) {
      line += fmt::format(" and {} more", view.matched.size() - shown);
    }
    lines.push_back(std::move(line));
  }
  if (budget.summary > 0) {
    std::string summary;
    for (const auto& segment : budget_summary(view.summary, budget)) {
      const std::string text = escaped(markup, segment.text);
      summary += segment.matched ? bold(markup, text) : text;
    }
    if (!summary.empty()) {
      lines.push_back(std::move(summary));
    }
  }
  if (!view.also.empty() && budget.also > 0) {
    std::string line = "Also reported by: ";
    const std::size_t shown = std::min(view.also.size(), budget.also);
    for (std::size_t i = 0; i < shown; ++i) {
      const auto& outlet = view.also[i];
      line += i == 0 ? "" : ", ";
      const std::string name = escaped(markup, truncate_text(outlet.feed.empty() ? outlet.title : outlet.feed,
                                                             budget.name, LengthUnit::code_points));
      line += markup == Markup::plain ? name : link_to(markup, outlet.link, name);
    }
    if (shown < view.also.size()) {
      line += fmt::format(" and {} more", view.also.size() - shown);
    }
    lines.push_back(std::move(line));
  }
  std::string text;
  for (const auto& line : lines) {
    text += text.empty() ? "" : style.line_break;
    text += line;
  }
  return text;
}

std::string compose_digest(const std::vector<DigestEntry>& entries, std::size_t total, const Budget& budget,
                           const TextStyle& style) {
  const Markup markup = style.markup;
  std::string text;
  if (style.rules) {
    text = bold(markup, fmt::format("Digest: {} {}", total, total == 1 ? "story" : "stories"));
    if (entries.size() < total) {
      text += fmt::format(" ({} here)", entries.size());
    }
  }
  for (const auto& entry : entries) {
    text += text.empty() ? "" : style.line_break;
    const std::string title = escaped(markup, budget_title(entry.title, budget));
    std::string line = "• ";
    if (markup == Markup::plain) {
      line += title;
      if (!entry.link.empty() && budget.link_in_text) {
        line += " <";
        line += entry.link;
        line += '>';
      }
    } else {
      line += link_to(markup, budget.link_in_text ? entry.link : std::string(), title);
    }
    // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict for literal + temporary.
    line += " — ";
    line += escaped(markup, truncate_text(entry.feed, budget.name, LengthUnit::code_points));
    line += " (";
    line += escaped(markup, rules_text(entry.rules, budget));
    line += ')';
    if (entry.updated) {
      line += " (updated)";
    }
    text += line;
  }
  return text;
}

}  // namespace newswatch::alert::detail
