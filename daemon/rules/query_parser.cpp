// Recursive descent over the lexemes. Recursion depth is bounded by max_query_depth (parentheses
// and NOTs both count), so a hostile query cannot overflow the stack: it gets an error instead.
#include <array>
#include <optional>
#include <span>
#include <utility>

#include "newswatch/rules/query.hpp"
#include "newswatch/text/tokenizer.hpp"
#include "query_builder.hpp"
#include "query_lexer.hpp"

namespace newswatch::rules {
namespace {

bool starts_term(LexemeKind kind) {
  switch (kind) {
    case LexemeKind::word:
    case LexemeKind::phrase:
    case LexemeKind::regex:
    case LexemeKind::open:
    case LexemeKind::not_op:
    case LexemeKind::scope:
    case LexemeKind::filter: return true;
    default: return false;
  }
}

std::string operator_name(const Lexeme& lexeme) {
  switch (lexeme.kind) {
    case LexemeKind::and_op: return "AND";
    case LexemeKind::or_op: return "OR";
    case LexemeKind::not_op: return "NOT";
    case LexemeKind::near_op: return std::string(lexeme.ordered ? "ONEAR/" : "NEAR/") + std::to_string(lexeme.distance);
    default: return "`" + lexeme.text + ":`";
  }
}

// What a parse needs besides the query, kept from query to query by each thread: a config of
// 100,000 rules parses them all.
struct ParseBuffers {
  std::vector<std::uint32_t> children;  ///< Operands of the AND/OR groups being parsed, innermost last.
  text::TokenList tokens;               ///< The last word's or phrase's tokens.
};

class Parser {
 public:
  Parser(std::string_view query, std::vector<Lexeme> lexemes, ParseBuffers& buffers)
      : query_(query), lexemes_(std::move(lexemes)), children_(buffers.children), tokens_(buffers.tokens) {
    children_.clear();
    builder_.reserve(lexemes_.size());
  }

  Expected<Query, QueryError> run() {
    if (peek().kind == LexemeKind::end) {
      return make_unexpected(QueryError{1, "empty query", "write a word or phrase to look for"});
    }
    const std::uint32_t root = parse_or(0, default_fields);
    if (!error_ && peek().kind == LexemeKind::close) {
      fail(peek(), "unbalanced \")\"", "remove it or add a matching \"(\"");
    }
    if (!error_ && peek().kind != LexemeKind::end) {
      fail(peek(), "unexpected input", "");
    }
    if (!error_ && !has_positive_term(root)) {
      fail_at(builder_.node(root).column, "query made only of negations would match every item",
              "add something to look for, e.g. `coalition -assad`");
    }
    if (error_) {
      return make_unexpected(std::move(*error_));
    }
    return std::move(builder_).finish(root);
  }

 private:
  const Lexeme& peek() const { return lexemes_[position_]; }
  const Lexeme& next() { return lexemes_[position_++]; }
  std::uint32_t column(const Lexeme& lexeme) const {
    return static_cast<std::uint32_t>(column_of(query_, lexeme.offset));
  }

  void fail_at(std::size_t column_number, std::string message, std::string hint) {
    if (!error_) {
      error_ = QueryError{column_number, std::move(message), std::move(hint)};
    }
  }
  void fail(const Lexeme& at, std::string message, std::string hint) {
    fail_at(column(at), std::move(message), std::move(hint));
  }

  // After an operator, the next lexeme must begin a term.
  bool expect_term_after(const Lexeme& op) {
    if (starts_term(peek().kind)) {
      return true;
    }
    fail(peek(), "expected a term after " + operator_name(op), "");
    return false;
  }

  std::uint32_t parse_or(std::size_t depth, std::uint8_t fields) {
    const std::size_t mark = children_.size();
    const std::uint32_t first = parse_and(depth, fields);
    children_.push_back(first);
    while (!error_ && peek().kind == LexemeKind::or_op) {
      const Lexeme& op = next();
      if (!expect_term_after(op)) {
        return 0;
      }
      const std::uint32_t child = parse_and(depth, fields);
      children_.push_back(child);
    }
    return close_group(QueryNodeKind::any_of, mark);
  }

  std::uint32_t parse_and(std::size_t depth, std::uint8_t fields) {
    const std::size_t mark = children_.size();
    const std::uint32_t first = parse_near(depth, fields);
    children_.push_back(first);
    while (!error_) {
      if (peek().kind == LexemeKind::and_op) {
        const Lexeme& op = next();
        if (!expect_term_after(op)) {
          return 0;
        }
      } else if (!starts_term(peek().kind)) {
        break;
      }
      const std::uint32_t child = parse_near(depth, fields);
      children_.push_back(child);
    }
    return close_group(QueryNodeKind::all_of, mark);
  }

  // The `kind` node over the children pushed since `mark`, or the child when it is alone; pops them.
  std::uint32_t close_group(QueryNodeKind kind, std::size_t mark) {
    const std::span<const std::uint32_t> children(children_.data() + mark, children_.size() - mark);
    const std::uint32_t node = error_ || children.size() == 1
                                   ? children.front()
                                   : builder_.add_operator(kind, builder_.node(children.front()).column, children);
    children_.resize(mark);
    return node;
  }

  bool is_near_operand(std::uint32_t index) const {
    const QueryNode& node = builder_.node(index);
    const auto simple = [](QueryNodeKind kind) {
      return kind == QueryNodeKind::word || kind == QueryNodeKind::prefix || kind == QueryNodeKind::phrase;
    };
    if (simple(node.kind)) {
      return true;
    }
    if (node.kind != QueryNodeKind::any_of) {
      return false;
    }
    const std::uint32_t* children = builder_.operands_of(node);
    for (std::uint32_t i = 0; i < node.count; ++i) {
      if (!simple(builder_.node(children[i]).kind)) {
        return false;
      }
    }
    return true;
  }

  void check_near_operand(std::uint32_t index, const Lexeme& op) {
    if (!error_ && !is_near_operand(index)) {
      fail_at(builder_.node(index).column,
              operator_name(op) + " operand must be a word, prefix, phrase or a parenthesised OR of them",
              builder_.node(index).kind == QueryNodeKind::near ? "combine proximity conditions with AND" : "");
    }
  }

  std::uint32_t parse_near(std::size_t depth, std::uint8_t fields) {
    std::uint32_t left = parse_unary(depth, fields);
    while (!error_ && peek().kind == LexemeKind::near_op) {
      const Lexeme& op = next();
      check_near_operand(left, op);
      if (error_ || !expect_term_after(op)) {
        return 0;
      }
      const std::uint32_t right = parse_unary(depth, fields);
      check_near_operand(right, op);
      if (error_) {
        return 0;
      }
      left = builder_.add_operator(QueryNodeKind::near, builder_.node(left).column,
                                   std::array<std::uint32_t, 2>{left, right}, op.ordered, op.distance);
    }
    return left;
  }

  std::uint32_t parse_unary(std::size_t depth, std::uint8_t fields) {
    std::size_t negations = 0;
    std::uint32_t first_column = 0;
    while (peek().kind == LexemeKind::not_op) {
      const Lexeme& op = next();
      if (negations == 0) {
        first_column = column(op);
      }
      ++negations;
      if (depth + negations > max_query_depth) {
        fail(op, "nesting deeper than " + std::to_string(max_query_depth) + " levels", "simplify the query");
        return 0;
      }
      if (!expect_term_after(op)) {
        return 0;
      }
    }
    const std::uint32_t operand = parse_primary(depth + negations, fields);
    if (error_ || negations % 2 == 0) {
      return operand;
    }
    return builder_.add_operator(QueryNodeKind::none_of, first_column, std::array<std::uint32_t, 1>{operand});
  }

  std::uint32_t parse_primary(std::size_t depth, std::uint8_t fields) {
    const Lexeme& lexeme = peek();
    switch (lexeme.kind) {
      case LexemeKind::scope: {
        next();
        const LexemeKind following = peek().kind;
        if (following != LexemeKind::word && following != LexemeKind::phrase && following != LexemeKind::regex &&
            following != LexemeKind::open) {
          fail(peek(), "expected a word, phrase, regex or group after `" + lexeme.text + ":`", "");
          return 0;
        }
        return parse_primary(depth, lexeme.fields);
      }
      case LexemeKind::open: {
        if (depth + 1 > max_query_depth) {
          fail(lexeme, "nesting deeper than " + std::to_string(max_query_depth) + " levels", "simplify the query");
          return 0;
        }
        const Lexeme& open = next();
        if (peek().kind == LexemeKind::close) {
          fail(open, "empty group", "put a term between the parentheses or remove them");
          return 0;
        }
        const std::uint32_t inner = parse_or(depth + 1, fields);
        if (error_) {
          return 0;
        }
        if (peek().kind != LexemeKind::close) {
          fail(open, "unbalanced \"(\"", "add the matching \")\"");
          return 0;
        }
        next();
        return inner;
      }
      case LexemeKind::close: fail(lexeme, "unbalanced \")\"", "remove it or add a matching \"(\""); return 0;
      case LexemeKind::and_op:
      case LexemeKind::or_op:
      case LexemeKind::near_op:
        fail(lexeme, operator_name(lexeme) + " needs a term on its left",
             "operators are upper case; write the word in lower case to search for it");
        return 0;
      case LexemeKind::end: fail(lexeme, "expected a term", ""); return 0;
      default: break;
    }
    next();
    if (++terms_ > max_query_terms) {
      fail(lexeme, "query has more than " + std::to_string(max_query_terms) + " terms", "split it into several rules");
      return 0;
    }
    switch (lexeme.kind) {
      case LexemeKind::word: return word(lexeme, fields);
      case LexemeKind::phrase: return phrase(lexeme, fields);
      case LexemeKind::regex: return regex(lexeme, fields);
      default: return builder_.add_filter(lexeme.filter, fields, column(lexeme), lexeme.text);
    }
  }

  std::uint32_t word(const Lexeme& lexeme, std::uint8_t fields) {
    const std::string& text = lexeme.text;
    const std::size_t star = text.find('*');
    if (star != std::string::npos && star + 1 != text.size()) {
      fail_at(column_of(query_, lexeme.offset + star), "`*` is only allowed at the end of a word",
              "sanction* finds sanctions and sanctioned");
      return 0;
    }
    if (star == std::string::npos) {
      text::tokenize_into(text, tokens_);
      if (tokens_.tokens.empty()) {
        fail(lexeme, "\"" + text + "\" has no letters or digits to search for", "put punctuation in a regex");
        return 0;
      }
      const QueryNodeKind kind = tokens_.tokens.size() == 1 ? QueryNodeKind::word : QueryNodeKind::phrase;
      return builder_.add_terms(kind, fields, column(lexeme), tokens_);
    }
    text::tokenize_into(std::string_view(text).substr(0, star), tokens_);
    if (tokens_.tokens.size() > 1) {
      fail(lexeme, "prefix \"" + text + "\" spans several words", "a prefix is one word followed by *");
      return 0;
    }
    if (tokens_.tokens.empty() || text::count_code_points(tokens_.token_text(0)) < min_prefix_stem) {
      fail(lexeme,
           "prefix stem too short: \"" + text + "\" needs at least " + std::to_string(min_prefix_stem) +
               " characters before *",
           "");
      return 0;
    }
    return builder_.add_terms(QueryNodeKind::prefix, fields, column(lexeme), tokens_);
  }

  std::uint32_t phrase(const Lexeme& lexeme, std::uint8_t fields) {
    text::tokenize_into(lexeme.text, tokens_);
    if (tokens_.tokens.empty()) {
      fail(lexeme, "empty phrase", "put words between the quotes");
      return 0;
    }
    const QueryNodeKind kind = tokens_.tokens.size() == 1 ? QueryNodeKind::word : QueryNodeKind::phrase;
    return builder_.add_terms(kind, fields, column(lexeme), tokens_);
  }

  std::uint32_t regex(const Lexeme& lexeme, std::uint8_t fields) {
    // Items are case-folded before matching, so the pattern is too (RE2 case-insensitive).
    re2::RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(false);
    options.set_never_capture(true);
    auto compiled = std::make_shared<const re2::RE2>(lexeme.text, options);
    if (!compiled->ok()) {
      fail(lexeme, "bad regex: " + compiled->error(), "RE2 syntax, see https://github.com/google/re2/wiki/Syntax");
      return 0;
    }
    return builder_.add_regex(fields, column(lexeme), std::move(compiled));
  }

  // True when every way the node can match needs some positive term. Depth is bounded by the parse.
  bool has_positive_term(std::uint32_t index) const {
    const QueryNode& node = builder_.node(index);
    const std::uint32_t* children = builder_.operands_of(node);
    switch (node.kind) {
      case QueryNodeKind::none_of: return false;
      case QueryNodeKind::all_of:
        for (std::uint32_t i = 0; i < node.count; ++i) {
          if (has_positive_term(children[i])) {
            return true;
          }
        }
        return false;
      case QueryNodeKind::any_of:
        for (std::uint32_t i = 0; i < node.count; ++i) {
          if (!has_positive_term(children[i])) {
            return false;
          }
        }
        return true;
      default: return true;
    }
  }

  std::string_view query_;
  std::vector<Lexeme> lexemes_;
  std::size_t position_ = 0;
  std::size_t terms_ = 0;
  QueryBuilder builder_;
  std::optional<QueryError> error_;
  std::vector<std::uint32_t>& children_;
  text::TokenList& tokens_;
};

}  // namespace

Expected<Query, QueryError> parse_query(std::string_view query) {
  if (query.size() > max_query_bytes) {
    return make_unexpected(QueryError{column_of(query, max_query_bytes),
                                      "query is longer than " + std::to_string(max_query_bytes) + " bytes",
                                      "split it into several rules"});
  }
  auto lexemes = lex_query(query);
  if (!lexemes) {
    return make_unexpected(std::move(lexemes.error()));
  }
  thread_local ParseBuffers buffers;
  return Parser(query, std::move(*lexemes), buffers).run();
}

}  // namespace newswatch::rules
