#include "query_lexer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <utility>

#include "newswatch/text/ascii.hpp"
#include "newswatch/text/suggest.hpp"
#include "newswatch/text/tokenizer.hpp"

namespace newswatch::rules {
namespace {

struct FieldName {
  std::string_view name;
  LexemeKind kind;
  std::uint8_t fields;
  QueryNodeKind filter;
};

constexpr std::array<FieldName, 8> field_names{{
    {"title", LexemeKind::scope, field_title, QueryNodeKind::site},
    {"summary", LexemeKind::scope, field_summary, QueryNodeKind::site},
    {"content", LexemeKind::scope, field_content, QueryNodeKind::site},
    {"author", LexemeKind::scope, field_author, QueryNodeKind::site},
    {"category", LexemeKind::scope, field_category, QueryNodeKind::site},
    {"site", LexemeKind::filter, 0, QueryNodeKind::site},
    {"feed", LexemeKind::filter, 0, QueryNodeKind::feed},
    {"lang", LexemeKind::filter, 0, QueryNodeKind::lang},
}};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

class Lexer {
 public:
  explicit Lexer(std::string_view query) : query_(query) {}

  Expected<std::vector<Lexeme>, QueryError> run() {
    while (!failed_) {
      skip_space();
      if (pos_ >= query_.size()) {
        break;
      }
      lex_one();
    }
    if (failed_) {
      return make_unexpected(std::move(error_));
    }
    lexemes_.push_back(Lexeme{LexemeKind::end, query_.size(), {}, 0, QueryNodeKind::site, 0, false});
    return std::move(lexemes_);
  }

 private:
  void skip_space() {
    while (pos_ < query_.size() && is_space(query_[pos_])) {
      ++pos_;
    }
  }

  void fail(std::size_t offset, std::string message, std::string hint) {
    if (!failed_) {
      failed_ = true;
      error_ = QueryError{column_of(query_, offset), std::move(message), std::move(hint)};
    }
  }

  void push(LexemeKind kind, std::size_t offset, std::string text = {}) {
    Lexeme lexeme;
    lexeme.kind = kind;
    lexeme.offset = offset;
    lexeme.text = std::move(text);
    lexemes_.push_back(std::move(lexeme));
  }

  void lex_one() {
    const char c = query_[pos_];
    const std::size_t start = pos_;
    switch (c) {
      case '(':
        push(LexemeKind::open, start);
        ++pos_;
        return;
      case ')':
        push(LexemeKind::close, start);
        ++pos_;
        return;
      case '"': lex_phrase(); return;
      case '/': lex_regex(); return;
      case '-':
        if (pos_ + 1 < query_.size() && !is_space(query_[pos_ + 1]) && query_[pos_ + 1] != ')') {
          push(LexemeKind::not_op, start);
          ++pos_;
          return;
        }
        break;
      default: break;
    }
    lex_bare_word();
  }

  void lex_phrase() {
    const std::size_t start = pos_;
    const std::size_t close = query_.find('"', pos_ + 1);
    if (close == std::string_view::npos) {
      fail(start, "unterminated phrase", "add the closing \"");
      return;
    }
    push(LexemeKind::phrase, start, std::string(query_.substr(start + 1, close - start - 1)));
    pos_ = close + 1;
  }

  void lex_regex() {
    const std::size_t start = pos_;
    std::string pattern;
    std::size_t i = pos_ + 1;
    for (; i < query_.size() && query_[i] != '/'; ++i) {
      if (query_[i] == '\\' && i + 1 < query_.size()) {
        if (query_[i + 1] != '/') {
          pattern.push_back('\\');
        }
        pattern.push_back(query_[++i]);
        continue;
      }
      pattern.push_back(query_[i]);
    }
    if (i >= query_.size()) {
      fail(start, "unterminated regex", "end it with /; write \\/ for a slash inside");
      return;
    }
    if (pattern.empty()) {
      fail(start, "empty regex", "put an RE2 pattern between the slashes, e.g. /isis|daesh/");
      return;
    }
    push(LexemeKind::regex, start, std::move(pattern));
    pos_ = i + 1;
  }

  std::size_t bare_word_end(std::size_t from) const {
    std::size_t end = from;
    while (end < query_.size() && !is_space(query_[end]) && query_[end] != '(' && query_[end] != ')' &&
           query_[end] != '"') {
      ++end;
    }
    return end;
  }

  void lex_bare_word() {
    const std::size_t start = pos_;
    const std::size_t end = bare_word_end(start);
    const std::string_view word = query_.substr(start, end - start);

    std::size_t name_length = 0;
    while (name_length < word.size() && text::is_ascii_letter(word[name_length])) {
      ++name_length;
    }
    if (name_length > 0 && name_length < word.size() && word[name_length] == ':') {
      lex_field(start, word.substr(0, name_length));
      return;
    }
    pos_ = end;
    if (word == "AND") {
      push(LexemeKind::and_op, start);
    } else if (word == "OR") {
      push(LexemeKind::or_op, start);
    } else if (word == "NOT") {
      push(LexemeKind::not_op, start);
    } else if (word == "NEAR" || word.starts_with("NEAR/")) {
      lex_near(start, word.substr(4), false);
    } else if (word == "ONEAR" || word.starts_with("ONEAR/")) {
      lex_near(start, word.substr(5), true);
    } else {
      push(LexemeKind::word, start, std::string(word));
    }
  }

  void lex_near(std::size_t start, std::string_view rest, bool ordered) {
    const char* name = ordered ? "ONEAR" : "NEAR";
    unsigned distance = 0;
    const bool has_number = rest.size() > 1 && rest[0] == '/';
    const char* digits_end = rest.data() + rest.size();
    if (!has_number || std::from_chars(rest.data() + 1, digits_end, distance).ptr != digits_end) {
      fail(start, std::string(name) + " without a number",
           std::string("write the distance in tokens, e.g. ") + name +
               "/5; write the word in lower case to search for it");
      return;
    }
    if (distance < 1 || distance > max_near_distance) {
      fail(start, std::string(name) + " distance must be between 1 and " + std::to_string(max_near_distance), "");
      return;
    }
    Lexeme lexeme;
    lexeme.kind = LexemeKind::near_op;
    lexeme.offset = start;
    lexeme.distance = static_cast<std::uint16_t>(distance);
    lexeme.ordered = ordered;
    lexemes_.push_back(std::move(lexeme));
  }

  void lex_field(std::size_t start, std::string_view name) {
    const auto known = std::find_if(field_names.begin(), field_names.end(),
                                    [name](const FieldName& field) { return field.name == name; });
    if (known == field_names.end()) {
      unknown_field(start, name);
      return;
    }
    pos_ = start + name.size() + 1;
    if (known->kind == LexemeKind::scope) {
      Lexeme lexeme;
      lexeme.kind = LexemeKind::scope;
      lexeme.offset = start;
      lexeme.text = std::string(name);
      lexeme.fields = known->fields;
      lexemes_.push_back(std::move(lexeme));
      return;
    }
    lex_filter_value(start, *known);
  }

  void lex_filter_value(std::size_t start, const FieldName& field) {
    std::string value;
    if (pos_ < query_.size() && query_[pos_] == '"') {
      const std::size_t close = query_.find('"', pos_ + 1);
      if (close == std::string_view::npos) {
        fail(pos_, "unterminated phrase", "add the closing \"");
        return;
      }
      value = std::string(query_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = close + 1;
    } else {
      const std::size_t end = bare_word_end(pos_);
      value = std::string(query_.substr(pos_, end - pos_));
      pos_ = end;
    }
    QueryNodeKind kind = field.filter;
    std::string label = std::string(field.name) + ":";
    if (kind == QueryNodeKind::feed && value.starts_with("tag:")) {
      kind = QueryNodeKind::feed_tag;
      value.erase(0, 4);
      label += "tag:";
    }
    if (value.empty()) {
      fail(start, "`" + label + "` needs a value", example_for(kind));
      return;
    }
    if (kind == QueryNodeKind::site || kind == QueryNodeKind::lang) {
      value = text::lower_ascii(value);
      while (!value.empty() && value.back() == '.') {
        value.pop_back();
      }
      const bool host_like = std::all_of(value.begin(), value.end(), [](char c) {
        return text::is_ascii_letter(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
               static_cast<unsigned char>(c) >= 0x80;
      });
      if (value.empty() || !host_like) {
        fail(start, "`" + label + "` takes " + (kind == QueryNodeKind::site ? "a host name" : "a language tag"),
             example_for(kind));
        return;
      }
    } else {
      value = text::lower_ascii(value);
    }
    Lexeme lexeme;
    lexeme.kind = LexemeKind::filter;
    lexeme.offset = start;
    lexeme.text = std::move(value);
    lexeme.filter = kind;
    lexemes_.push_back(std::move(lexeme));
  }

  static std::string example_for(QueryNodeKind kind) {
    switch (kind) {
      case QueryNodeKind::site: return "e.g. site:example.com (also matches its subdomains)";
      case QueryNodeKind::feed: return "e.g. feed:trt-world, or feed:tag:world";
      case QueryNodeKind::feed_tag: return "e.g. feed:tag:world";
      default: return "e.g. lang:en or lang:pt-br";
    }
  }

  void unknown_field(std::size_t start, std::string_view name) {
    std::array<std::string_view, field_names.size()> names{};
    std::transform(field_names.begin(), field_names.end(), names.begin(),
                   [](const FieldName& field) { return field.name; });
    const std::optional<std::string> best = text::closest_match(name, names);
    std::string hint = best ? "did you mean `" + *best + ":`?"
                            : "fields are title, summary, content, author, category, site, feed, lang; put text "
                              "with a colon in quotes to search for it";
    fail(start, "unknown field `" + std::string(name) + ":`", std::move(hint));
  }

  std::string_view query_;
  std::size_t pos_ = 0;
  std::vector<Lexeme> lexemes_;
  bool failed_ = false;
  QueryError error_;
};

}  // namespace

std::size_t column_of(std::string_view query, std::size_t offset) {
  return text::count_code_points(query.substr(0, std::min(offset, query.size()))) + 1 +
         (offset > query.size() ? offset - query.size() : 0);
}

Expected<std::vector<Lexeme>, QueryError> lex_query(std::string_view query) {
  return Lexer(query).run();
}

}  // namespace newswatch::rules
