#include "newswatch/rules/query.hpp"

namespace newswatch::rules {
namespace {

std::string scope_prefix(std::uint8_t fields) {
  switch (fields) {
    case field_title: return "title:";
    case field_summary: return "summary:";
    case field_content: return "content:";
    case field_author: return "author:";
    case field_category: return "category:";
    default: return "";
  }
}

void append_node(const Query& query, std::uint32_t index, std::string& out) {
  const QueryNode& node = query.nodes()[index];
  const std::uint32_t* operands = query.operands_of(node);
  const auto join = [&](const char* separator) {
    out += '(';
    for (std::uint32_t i = 0; i < node.count; ++i) {
      if (i > 0) {
        out += separator;
      }
      append_node(query, operands[i], out);
    }
    out += ')';
  };
  switch (node.kind) {
    case QueryNodeKind::word: out += scope_prefix(node.fields) + query.terms()[operands[0]]; return;
    case QueryNodeKind::prefix: out += scope_prefix(node.fields) + query.terms()[operands[0]] + "*"; return;
    case QueryNodeKind::phrase:
      out += scope_prefix(node.fields) + "\"";
      for (std::uint32_t i = 0; i < node.count; ++i) {
        out += (i > 0 ? " " : "") + query.terms()[operands[i]];
      }
      out += '"';
      return;
    case QueryNodeKind::regex:
      out += scope_prefix(node.fields) + "/" + query.regexes()[operands[0]]->pattern() + "/";
      return;
    case QueryNodeKind::site: out += "site:" + query.terms()[operands[0]]; return;
    case QueryNodeKind::feed: out += "feed:" + query.terms()[operands[0]]; return;
    case QueryNodeKind::feed_tag: out += "feed:tag:" + query.terms()[operands[0]]; return;
    case QueryNodeKind::lang: out += "lang:" + query.terms()[operands[0]]; return;
    case QueryNodeKind::all_of: join(" AND "); return;
    case QueryNodeKind::any_of: join(" OR "); return;
    case QueryNodeKind::none_of:
      out += "NOT ";
      append_node(query, operands[0], out);
      return;
    case QueryNodeKind::near:
      join(node.ordered ? (" ONEAR/" + std::to_string(node.distance) + " ").c_str()
                        : (" NEAR/" + std::to_string(node.distance) + " ").c_str());
      return;
  }
}

}  // namespace

std::string Query::to_string() const {
  std::string out;
  if (!nodes_.empty()) {
    append_node(*this, root_, out);
  }
  return out;
}

}  // namespace newswatch::rules
