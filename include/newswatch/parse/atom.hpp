#pragma once

#include <pugixml.hpp>

#include "newswatch/parse/xml_reader.hpp"

namespace newswatch::parse {

/// Reads an Atom 1.0 (RFC 4287) or Atom 0.3 <feed> document into reader.feed().
void read_atom(pugi::xml_node root, XmlFeedReader& reader);

}  // namespace newswatch::parse
