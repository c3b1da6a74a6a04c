// URL handling per feed item: canonical_identity() on typical article links (~100 bytes, half of
// them with tracking parameters), beside parsing alone (Url::parse) and link resolution for
// relative and absolute references. Goal: canonical_identity() well under 2 µs per link on one core.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "newswatch/url/canonical.hpp"
#include "newswatch/url/resolve.hpp"
#include "newswatch/url/url.hpp"

namespace {

const std::vector<std::string>& links() {
  static const std::vector<std::string> list{
      "https://www.bbc.co.uk/news/articles/cevmdxz4872o?at_medium=RSS&at_campaign=rss",
      "https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord",
      "http://www.nytimes.com/2013/05/06/nyregion/epa-plan-to-clean-up-gowanus-canal.html?partner=rss&emc=rss",
      "https://www.dw.com/en/sudan-civil-war-civilians-used-as-human-shields/a-78089487?maca=en-rss-en-all-1573-rdf",
      "https://www.aljazeera.com/news/2023/10/12/israel-hamas-war-list-of-key-events-day-7",
      "https://www.trtworld.com/mea/syria-talks-resume-in-geneva-as-ceasefire-holds-12345?utm_source=rss",
      "https://www.reuters.com/world/middle-east/turkey-syria-border-talks-2024-01-15/",
      "https://www.skysports.com/football/news/11669/11719097/premier-league-transfer-window-who-should-sign",
      "https://myrskyla.fi/kuulutukset/julkipano-2/?utm_source=rss&utm_medium=rss&utm_campaign=julkipano-2",
      "https://suspilne.media/645038-vibuhi-na-hmelnicini-22-grudna-so-vidomo/",
  };
  return list;
}

void BM_canonical_identity(benchmark::State& state) {
  const newswatch::url::CanonicalOptions options;
  for (auto _ : state) {
    for (const std::string& link : links()) {
      benchmark::DoNotOptimize(newswatch::url::canonical_identity(link, options));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(links().size()));
}

void BM_url_parse(benchmark::State& state) {
  for (auto _ : state) {
    for (const std::string& link : links()) {
      benchmark::DoNotOptimize(newswatch::url::Url::parse(link));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(links().size()));
}

void BM_resolve_link_relative(benchmark::State& state) {
  const std::vector<std::string> references{"/news/world-67093234", "../sport/football/1234", "story?id=7",
                                            "//cdn.example.com/img/1.jpg", "#comments"};
  for (auto _ : state) {
    for (const std::string& reference : references) {
      benchmark::DoNotOptimize(newswatch::url::resolve_link("https://www.example.com/news/index.html", reference));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(references.size()));
}

void BM_resolve_link_absolute(benchmark::State& state) {
  for (auto _ : state) {
    for (const std::string& link : links()) {
      benchmark::DoNotOptimize(newswatch::url::resolve_link("https://www.example.com/news/", link));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(links().size()));
}

BENCHMARK(BM_canonical_identity)->MinTime(1.0);
BENCHMARK(BM_url_parse)->MinTime(1.0);
BENCHMARK(BM_resolve_link_relative)->MinTime(1.0);
BENCHMARK(BM_resolve_link_absolute)->MinTime(1.0);

/// Console output plus a closing line with the CPU time per link.
class PerLinkReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      const auto items = run.counters.find("items_per_second");
      if (items != run.counters.end() && items->second.value > 0) {
        nanoseconds_[run.run_name.function_name] = 1e9 / items->second.value;
      }
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const double canonical = nanoseconds_["BM_canonical_identity"];
    if (canonical > 0) {
      std::cout << fmt::format(
          "{} links, one core (CPU time): canonical_identity {:.0f} ns per link (goal < 2000: {}), Url::parse {:.0f} "
          "ns, resolve_link {:.0f} ns relative, {:.0f} ns absolute\n",
          links().size(), canonical, canonical < 2000 ? "met" : "MISSED", nanoseconds_["BM_url_parse"],
          nanoseconds_["BM_resolve_link_relative"], nanoseconds_["BM_resolve_link_absolute"]);
    }
  }

 private:
  std::map<std::string, double> nanoseconds_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  PerLinkReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
