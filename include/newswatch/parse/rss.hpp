#pragma once

#include <pugixml.hpp>

#include "newswatch/parse/xml_reader.hpp"

namespace newswatch::parse {

/// Reads an RSS 0.9x/2.0 <rss> or RSS 0.90/1.0 <rdf:RDF> document into reader.feed().
void read_rss(pugi::xml_node root, XmlFeedReader& reader);

}  // namespace newswatch::parse
