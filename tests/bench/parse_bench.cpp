// parse_feed throughput on a generated news-like corpus (1,000 feeds of 30 items, ~50 KB each, RSS
// 2.0 and Atom 1.0 mixed, HTML in descriptions), beside raw pugixml DOM parsing of the same bytes
// in the same run. Goals (issue 3): >= 300 MB/s on one core and >= 25% of raw pugixml.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdint>
#include <iostream>
#include <map>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "newswatch/parse/parse_feed.hpp"

namespace {

constexpr int feed_count = 1000;
constexpr int items_per_feed = 30;

/// Deterministic word source so every run parses the same bytes.
class Words {
 public:
  std::string next(int count) {
    static constexpr const char* vocabulary[] = {
        "government", "coalition", "minister",  "talks",     "border",    "security",  "regime", "election",
        "economy",    "markets",   "inflation", "protest",   "agreement", "officials", "Syrian", "Ankara",
        "Washington", "report",    "analysts",  "sanctions", "ceasefire", "refugees",  "summit", "energy",
        "the",        "of",        "and",       "to",        "in",        "a",         "on",     "for"};
    std::string out;
    for (int i = 0; i < count; ++i) {
      state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
      if (i > 0) {
        out.push_back(' ');
      }
      out += vocabulary[(state_ >> 33) % std::size(vocabulary)];
    }
    return out;
  }

 private:
  std::uint64_t state_ = 42;
};

std::string html_body(Words& words) {
  return fmt::format(
      "<p>{} <b>{}</b> {}&nbsp;{}.</p><p>{} <a href=\"https://news.example/x?a=1&amp;b=2\">{}</a> {} &mdash; "
      "{}.</p><ul><li>{}</li><li>{}</li></ul><p>{} &quot;{}&quot; {}.</p>",
      words.next(28), words.next(3), words.next(20), words.next(5), words.next(25), words.next(4), words.next(18),
      words.next(8), words.next(6), words.next(6), words.next(20), words.next(4), words.next(14));
}

std::string rss_feed(int index, Words& words) {
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
      "xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:media=\"http://search.yahoo.com/mrss/\">\n<channel>\n"
      "<title>News {} - World</title>\n<link>https://news{}.example/</link>\n"
      "<atom:link href=\"https://news{}.example/rss\" rel=\"self\" type=\"application/rss+xml\"/>\n"
      "<description>{}</description>\n<language>en</language>\n"
      "<lastBuildDate>Tue, 25 Aug 2015 15:30:00 +0300</lastBuildDate>\n<ttl>15</ttl>\n",
      index, index, index, words.next(12));
  for (int item = 0; item < items_per_feed; ++item) {
    out += fmt::format(
        "<item>\n<title>{}</title>\n<link>https://news{}.example/world/{}-{}</link>\n"
        "<guid isPermaLink=\"false\">news{}-{}</guid>\n<dc:creator>{}</dc:creator>\n"
        "<category>World</category>\n<category>{}</category>\n"
        "<description><![CDATA[{}]]></description>\n<pubDate>Tue, 25 Aug 2015 {:02}:{:02}:00 +0300</pubDate>\n"
        "<media:content url=\"https://cdn.news{}.example/img/{}.jpg\" type=\"image/jpeg\" fileSize=\"48213\"/>\n"
        "</item>\n",
        words.next(9), index, item, index, index, item, words.next(2), words.next(1), html_body(words), item % 24,
        item % 60, index, item);
  }
  out += "</channel>\n</rss>\n";
  return out;
}

std::string atom_feed(int index, Words& words) {
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n"
      "<title>Atom News {}</title>\n<link rel=\"alternate\" href=\"https://atom{}.example/\"/>\n"
      "<link rel=\"self\" href=\"https://atom{}.example/feed.atom\"/>\n<id>urn:atom{}</id>\n"
      "<updated>2015-08-25T12:30:00Z</updated>\n",
      index, index, index, index);
  for (int item = 0; item < items_per_feed; ++item) {
    std::string escaped;
    for (const char c : html_body(words)) {
      switch (c) {
        case '<': escaped += "&lt;"; break;
        case '>': escaped += "&gt;"; break;
        case '&': escaped += "&amp;"; break;
        default: escaped.push_back(c);
      }
    }
    out += fmt::format(
        "<entry>\n<title type=\"html\">{}</title>\n<link href=\"https://atom{}.example/{}\"/>\n"
        "<id>tag:atom{}.example,2015:{}</id>\n<published>2015-08-25T{:02}:{:02}:00+03:00</published>\n"
        "<updated>2015-08-25T{:02}:{:02}:30Z</updated>\n<author><name>{}</name></author>\n"
        "<category term=\"{}\"/>\n<content type=\"html\">{}</content>\n</entry>\n",
        words.next(9), index, item, index, item, item % 24, item % 60, item % 24, item % 60, words.next(2),
        words.next(1), escaped);
  }
  out += "</feed>\n";
  return out;
}

const std::vector<std::string>& corpus() {
  static const std::vector<std::string> feeds = [] {
    Words words;
    std::vector<std::string> generated;
    generated.reserve(feed_count);
    for (int index = 0; index < feed_count; ++index) {
      generated.push_back(index % 2 == 0 ? rss_feed(index, words) : atom_feed(index, words));
    }
    return generated;
  }();
  return feeds;
}

std::int64_t corpus_bytes() {
  std::int64_t total = 0;
  for (const std::string& feed : corpus()) {
    total += static_cast<std::int64_t>(feed.size());
  }
  return total;
}

void BM_parse_feed(benchmark::State& state) {
  const newswatch::parse::ParseHints hints;
  std::size_t items = 0;
  for (auto _ : state) {
    for (const std::string& feed : corpus()) {
      auto parsed = newswatch::parse::parse_feed(feed, hints);
      items += parsed ? parsed->items.size() : 0;
      benchmark::DoNotOptimize(parsed);
    }
  }
  state.SetBytesProcessed(state.iterations() * corpus_bytes());
  state.counters["items"] = static_cast<double>(items) / static_cast<double>(state.iterations());
}

void BM_pugixml_dom(benchmark::State& state) {
  for (auto _ : state) {
    for (const std::string& feed : corpus()) {
      pugi::xml_document document;
      benchmark::DoNotOptimize(document.load_buffer(feed.data(), feed.size()));
    }
  }
  state.SetBytesProcessed(state.iterations() * corpus_bytes());
}

BENCHMARK(BM_pugixml_dom)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_parse_feed)->Unit(benchmark::kMillisecond)->MinTime(2.0);

/// Console output plus a closing line comparing parse_feed with raw pugixml.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      // Per-iteration CPU time, in the benchmark's unit (milliseconds): the same basis as the table.
      const double seconds = run.GetAdjustedCPUTime() / 1e3;
      if (seconds > 0) {
        rates_[run.run_name.function_name] = static_cast<double>(corpus_bytes()) / seconds;
      }
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const double dom = rates_["BM_pugixml_dom"];
    const double full = rates_["BM_parse_feed"];
    if (dom > 0 && full > 0) {
      std::cout << fmt::format(
          "corpus: {} feeds, {:.1f} MB; one core (CPU time): parse_feed {:.0f} MB/s (goal >= 300), raw pugixml DOM "
          "{:.0f} MB/s; parse_feed = {:.0f}% of pugixml (goal >= 25%)\n",
          feed_count, static_cast<double>(corpus_bytes()) / 1e6, full / 1e6, dom / 1e6, 100.0 * full / dom);
    }
  }

 private:
  std::map<std::string, double> rates_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
