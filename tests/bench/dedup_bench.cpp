// Dedup: accuracy on the labelled pairs (tests/data/dedup/pairs.tsv) beside two baselines measured
// in the same run (64-bit SimHash over the same words, and the exact Jaccard similarity the
// fingerprint estimates); identity throughput on generated ~2 KB news-like items; StoryIndex
// lookups against 1,000,000 stored fingerprints, its memory and the process's resident growth.
//
//   build-release/tests/bench/bench_dedup [--stored N] [--queries N]
//
// Goals (issue: dedup): precision >= 0.99 and recall >= 0.90 on the labelled set; identity +
// canonical URL + fingerprint >= 200,000 items/s (timed with url::canonical_identity, as the
// pipeline calls it); lookups against 1M stored fingerprints >=
// 100,000 items/s; those 1M fingerprints in <= 64 MB. Times are the thread's CPU time, on one core.
#include <malloc.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/dedup/dateline.hpp"
#include "newswatch/dedup/item_identity.hpp"
#include "newswatch/dedup/stable_hash.hpp"
#include "newswatch/dedup/story_fingerprint.hpp"
#include "newswatch/dedup/story_index.hpp"
#include "newswatch/text/tokenizer.hpp"
#include "newswatch/url/canonical.hpp"
#include "support/labelled_pairs.hpp"

namespace {

using newswatch::Item;
using newswatch::TimePoint;
using newswatch::dedup::StoryFingerprint;
using newswatch::dedup::StoryIndex;
using newswatch::testing::LabelledPair;
using newswatch::testing::PairScore;

// CPU time of this thread: the figures are per core and do not move when other processes compete
// for the machine.
double cpu_seconds() {
  timespec spec{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec);
  return static_cast<double>(spec.tv_sec) + static_cast<double>(spec.tv_nsec) * 1e-9;
}

std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t total = 0;
  std::size_t resident = 0;
  statm >> total >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

double megabytes(std::size_t bytes) {
  return static_cast<double>(bytes) / 1e6;
}

const char* verdict(bool met) {
  return met ? "met" : "MISSED";
}

// ---- Baselines for the labelled set --------------------------------------------------------------

// The normalised tokens of the lead after its dateline, at most `limit`.
std::vector<std::string> lead_words(const Item& item, std::size_t limit) {
  const std::string& source =
      item.summary.find_first_not_of(" \t\r\n") != std::string::npos ? item.summary : item.content;
  const std::size_t dateline = newswatch::dedup::dateline_length(source);
  newswatch::text::TokenList tokens;
  newswatch::text::tokenize_into(source, tokens);
  std::vector<std::string> words;
  for (std::size_t i = 0; i < tokens.tokens.size() && words.size() < limit; ++i) {
    if (tokens.tokens[i].begin >= dateline) {
      words.emplace_back(tokens.token_text(i));
    }
  }
  return words;
}

std::vector<std::uint64_t> word_pairs(const std::vector<std::string>& words, std::uint64_t seed = 0) {
  std::vector<std::uint64_t> pairs;
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    pairs.push_back(newswatch::dedup::combine_hashes(newswatch::dedup::stable_hash(words[i], seed),
                                                     newswatch::dedup::stable_hash(words[i + 1], seed)));
  }
  return pairs;
}

// Charikar's SimHash over the word pairs of the title and the lead (each pair weighs 1), with the
// pairs hashed under `seed`.
std::uint64_t simhash(const Item& item, std::uint64_t seed) {
  std::vector<std::string> words;
  newswatch::text::TokenList tokens;
  newswatch::text::tokenize_into(item.title, tokens);
  for (std::size_t i = 0; i < tokens.tokens.size(); ++i) {
    words.emplace_back(tokens.token_text(i));
  }
  std::vector<std::uint64_t> pairs = word_pairs(words, seed);
  const std::vector<std::uint64_t> lead = word_pairs(lead_words(item, newswatch::dedup::lead_tokens), seed);
  pairs.insert(pairs.end(), lead.begin(), lead.end());
  int weights[64] = {};
  for (const std::uint64_t pair : pairs) {
    for (int bit = 0; bit < 64; ++bit) {
      weights[bit] += ((pair >> bit) & 1U) != 0 ? 1 : -1;
    }
  }
  std::uint64_t hash = 0;
  for (int bit = 0; bit < 64; ++bit) {
    hash |= weights[bit] > 0 ? std::uint64_t{1} << bit : 0;
  }
  return hash;
}

double exact_jaccard(const Item& first, const Item& second) {
  const auto set_of = [](const Item& item) {
    const std::vector<std::uint64_t> pairs = word_pairs(lead_words(item, newswatch::dedup::lead_tokens));
    return std::set<std::uint64_t>(pairs.begin(), pairs.end());
  };
  const std::set<std::uint64_t> a = set_of(first);
  const std::set<std::uint64_t> b = set_of(second);
  std::size_t shared = 0;
  for (const std::uint64_t pair : a) {
    shared += b.count(pair);
  }
  const std::size_t either = a.size() + b.size() - shared;
  return either == 0 ? 0 : static_cast<double>(shared) / static_cast<double>(either);
}

void print_score(const char* name, const PairScore& score) {
  std::printf("  %-46s precision %.3f  recall %.3f  (%zu same: %zu found; %zu different: %zu merged)\n", name,
              score.precision(), score.recall(), score.true_positives + score.false_negatives, score.true_positives,
              score.true_negatives + score.false_positives, score.false_positives);
}

bool labelled_set() {
  const auto corpus = newswatch::testing::corpus_dir(NEWSWATCH_SOURCE_DIR);
  const auto set =
      newswatch::testing::read_labelled_pairs(newswatch::testing::labelled_pairs_file(NEWSWATCH_SOURCE_DIR), corpus);
  for (const std::string& error : set.errors) {
    std::fprintf(stderr, "labelled pairs: %s\n", error.c_str());
  }
  std::printf("labelled pairs: %zu read%s\n", set.pairs.size(),
              corpus ? "" : " (../shared/corpus absent: corpus pairs skipped)");
  PairScore fixture;
  PairScore from_corpus;
  PairScore corpus_text_only;
  PairScore jaccard;
  // SimHash's result depends on the hash function; eight seeds give its mean.
  static constexpr std::uint64_t simhash_seeds = 8;
  std::vector<std::vector<std::pair<int, bool>>> simhash_distances(simhash_seeds);
  double least_copy = 1;
  double most_different = 0;
  for (const LabelledPair& pair : set.pairs) {
    const bool same = newswatch::dedup::same_story(newswatch::dedup::fingerprint_story(pair.first),
                                                   newswatch::dedup::fingerprint_story(pair.second));
    if (pair.from_corpus) {
      from_corpus.count(same, pair.same);
      Item first = pair.first;
      Item second = pair.second;
      first.link.clear();
      second.link.clear();
      corpus_text_only.count(newswatch::dedup::same_story(newswatch::dedup::fingerprint_story(first),
                                                          newswatch::dedup::fingerprint_story(second)),
                             pair.same);
      continue;
    }
    fixture.count(same, pair.same);
    const StoryFingerprint first = newswatch::dedup::fingerprint_story(pair.first);
    const StoryFingerprint second = newswatch::dedup::fingerprint_story(pair.second);
    const double similarity = newswatch::dedup::story_similarity(first, second);
    // The numbers guard as story_fingerprint.hpp states it: pairs it separates do not count here.
    const bool numbers_conflict =
        std::popcount(first.numbers & ~second.numbers) >= 2 && std::popcount(second.numbers & ~first.numbers) >= 2;
    if (pair.same) {
      least_copy = std::min(least_copy, similarity);
    } else if (!numbers_conflict) {
      most_different = std::max(most_different, similarity);
    }
    jaccard.count(exact_jaccard(pair.first, pair.second) >= newswatch::dedup::same_story_similarity, pair.same);
    for (std::uint64_t seed = 0; seed < simhash_seeds; ++seed) {
      simhash_distances[seed].emplace_back(std::popcount(simhash(pair.first, seed) ^ simhash(pair.second, seed)),
                                           pair.same);
    }
  }
  std::printf("story fingerprint (lead word pairs in 128 bits, numbers and outlet rules):\n");
  print_score("fixture pairs", fixture);
  if (corpus) {
    print_score("corpus pairs", from_corpus);
    print_score("corpus pairs, links removed (words alone)", corpus_text_only);
  }
  std::printf(
      "  estimated similarity: least of a copy %.2f, most of different stories whose numbers do not conflict "
      "%.2f (threshold %.2f)\n",
      least_copy, most_different, newswatch::dedup::same_story_similarity);
  std::printf("baselines on the fixture pairs:\n");
  print_score("exact Jaccard of the lead's word pairs >= 0.3", jaccard);
  // Recall at Manku et al.'s distance 3, and at the widest distance that keeps precision >= 0.99.
  double recall_at_three = 0;
  double least_precision_at_three = 1;
  double recall_at_widest = 0;
  double widest_sum = 0;
  for (const auto& distances : simhash_distances) {
    PairScore widest_score;
    int widest = 0;
    for (int distance = 0; distance <= 32; ++distance) {
      PairScore score;
      for (const auto& [measured, same] : distances) {
        score.count(measured <= distance, same);
      }
      if (distance == 3) {
        recall_at_three += score.recall() / simhash_seeds;
        least_precision_at_three = std::min(least_precision_at_three, score.precision());
      }
      if (score.precision() >= 0.99) {
        widest = distance;
        widest_score = score;
      }
    }
    recall_at_widest += widest_score.recall() / simhash_seeds;
    widest_sum += static_cast<double>(widest) / simhash_seeds;
  }
  std::printf("  SimHash-64 (%llu hash seeds): Hamming distance <= 3: mean recall %.3f, least precision %.3f\n",
              static_cast<unsigned long long>(simhash_seeds), recall_at_three, least_precision_at_three);
  std::printf("  SimHash-64: widest distance with precision >= 0.99 (mean %.1f): mean recall %.3f\n", widest_sum,
              recall_at_widest);
  PairScore all = fixture;
  all.true_positives += from_corpus.true_positives;
  all.false_positives += from_corpus.false_positives;
  all.false_negatives += from_corpus.false_negatives;
  all.true_negatives += from_corpus.true_negatives;
  const bool met = all.precision() >= 0.99 && all.recall() >= 0.90;
  std::printf("  goal: precision >= 0.99 and recall >= 0.90 on the labelled set (%.3f, %.3f): %s\n\n", all.precision(),
              all.recall(), verdict(met));
  return met;
}

// ---- Generated items -----------------------------------------------------------------------------

// A 200,000-word vocabulary with a Zipf frequency (rank r drawn with weight 1 / (r + 1)), as in
// news text; short words get the low ranks, like function words; one word in 15 is a number.
class Vocabulary {
 public:
  explicit Vocabulary(std::size_t size) {
    static constexpr std::string_view syllables[] = {"ka",  "lo",  "mi",  "ne",  "ru",  "sa",  "ti",  "vo",  "ze",
                                                     "an",  "bel", "cor", "dan", "est", "far", "gol", "har", "ist",
                                                     "jun", "kel", "lam", "mor", "nat", "ost", "pra", "qui"};
    std::mt19937_64 random(7);
    std::uniform_int_distribution<std::size_t> syllable(0, std::size(syllables) - 1);
    for (std::size_t rank = 0; rank < size; ++rank) {
      std::string word;
      for (std::size_t i = 0; i < 1 + std::min<std::size_t>(rank / 600, 2); ++i) {
        word += syllables[syllable(random)];
      }
      // The rank in letters makes every word distinct without digits (tokens with digits count as
      // numbers for the fingerprint).
      for (std::size_t rest = rank; rest > 0; rest /= 26) {
        word.push_back(static_cast<char>('a' + rest % 26));
      }
      words_.push_back(word);
    }
    double sum = 0;
    for (std::size_t r = 0; r < size; ++r) {
      sum += 1.0 / static_cast<double>(r + 1);
      cumulative_.push_back(sum);
    }
  }

  const std::string& zipf(std::mt19937_64& random) const {
    const double x = std::uniform_real_distribution<double>(0, cumulative_.back())(random);
    return words_[static_cast<std::size_t>(std::lower_bound(cumulative_.begin(), cumulative_.end(), x) -
                                           cumulative_.begin())];
  }

 private:
  std::vector<std::string> words_;
  std::vector<double> cumulative_;
};

std::vector<std::string> sentence_words(const Vocabulary& vocabulary, std::mt19937_64& random, std::size_t count) {
  std::vector<std::string> words;
  for (std::size_t i = 0; i < count; ++i) {
    words.push_back(vocabulary.zipf(random));
    if (random() % 15 == 0) {
      words.back() = std::to_string(random() % 2000);
    }
  }
  return words;
}

std::string join(const std::vector<std::vector<std::string>>& sentences) {
  std::string out;
  for (const auto& sentence : sentences) {
    for (std::size_t i = 0; i < sentence.size(); ++i) {
      std::string word = sentence[i];
      if (i == 0 && word[0] >= 'a' && word[0] <= 'z') {
        word[0] = static_cast<char>(word[0] - 'a' + 'A');
      }
      out += word;
      out += i + 1 == sentence.size() ? ". " : " ";
    }
  }
  return out;
}

// The parts of a generated story, so that a copy can be made with edits.
struct Story {
  std::vector<std::string> title;
  std::string dateline;
  std::vector<std::vector<std::string>> sentences;
  std::string link;
};

// Story `number`: the same number always gives the same story.
Story make_story(const Vocabulary& vocabulary, std::uint64_t number) {
  std::mt19937_64 random(number);
  Story story;
  story.title = sentence_words(vocabulary, random, 8 + random() % 5);
  if (random() % 2 == 0) {
    story.dateline = "CITY" + std::to_string(random() % 300) + " (Agency) - ";
  }
  for (std::size_t i = 0; i < 3; ++i) {
    story.sentences.push_back(sentence_words(vocabulary, random, 12 + random() % 8));
  }
  story.link = "https://www.site" + std::to_string(random() % 500) + ".example/news/" + std::to_string(number);
  return story;
}

Item to_item(const Story& story) {
  Item item;
  item.title = join({story.title});
  item.summary = story.dateline + join(story.sentences);
  item.link = story.link;
  return item;
}

// Another outlet's copy: new headline, no dateline, two words changed in the lead, last sentence cut.
Item copy_of(const Vocabulary& vocabulary, const Story& story, std::mt19937_64& random) {
  Story copy = story;
  copy.title = sentence_words(vocabulary, random, 9);
  copy.dateline.clear();
  for (int edit = 0; edit < 2; ++edit) {
    auto& sentence = copy.sentences[random() % 2];
    sentence[random() % sentence.size()] = vocabulary.zipf(random);
  }
  copy.sentences.pop_back();
  copy.link = "https://copy" + std::to_string(random() % 500) + ".example/a/" + std::to_string(random());
  return to_item(copy);
}

// ~2 KB items for identity throughput: title, summary, and a content of about 1,700 bytes.
Item full_item(const Vocabulary& vocabulary, std::uint64_t number) {
  Item item = to_item(make_story(vocabulary, number));
  std::mt19937_64 random(number ^ 0x5bd1e995U);
  item.id = "urn:bench:" + std::to_string(number);
  std::vector<std::vector<std::string>> body;
  while (join(body).size() < 1700) {
    body.push_back(sentence_words(vocabulary, random, 8 + random() % 15));
  }
  item.content = join(body);
  return item;
}

// identify() calls per second of CPU time over `items`, repeated for at least a second.
double identify_rate(const std::vector<Item>& items, std::uint64_t& sink) {
  std::size_t done = 0;
  const double start = cpu_seconds();
  do {
    for (const Item& item : items) {
      // As the pipeline does it (pipeline/stages.cpp): the canonical link, then identify().
      const newswatch::dedup::ItemIdentity identity =
          newswatch::dedup::identify(item, newswatch::url::canonical_identity(item.link));
      sink += identity.content_hash + identity.fingerprint.anchors[0] + identity.key.size();
      ++done;
    }
  } while (cpu_seconds() - start < 1.0);
  return static_cast<double>(done) / (cpu_seconds() - start);
}

bool identity_throughput(const Vocabulary& vocabulary) {
  std::vector<Item> items;
  std::vector<Item> without_content;
  std::size_t bytes = 0;
  std::size_t short_bytes = 0;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    items.push_back(full_item(vocabulary, i));
    bytes += items.back().title.size() + items.back().summary.size() + items.back().content.size();
    without_content.push_back(items.back());
    without_content.back().content.clear();
    short_bytes += without_content.back().title.size() + without_content.back().summary.size();
  }
  std::uint64_t sink = 0;
  const double per_second = identify_rate(items, sink);
  const double short_per_second = identify_rate(without_content, sink);
  // The reference: normalising and tokenising the same fields, which the content hash needs whole.
  std::size_t tokenized = 0;
  newswatch::text::TokenList tokens;
  const double start = cpu_seconds();
  do {
    for (const Item& item : items) {
      for (const std::string* field : {&item.title, &item.summary, &item.content}) {
        newswatch::text::tokenize_into(*field, tokens);
        sink += tokens.tokens.size();
      }
      ++tokenized;
    }
  } while (cpu_seconds() - start < 1.0);
  const double tokenize_per_second = static_cast<double>(tokenized) / (cpu_seconds() - start);
  // And the canonical link alone (url module).
  std::size_t canonicalised = 0;
  const double url_start = cpu_seconds();
  do {
    for (const Item& item : items) {
      sink += newswatch::url::canonical_identity(item.link).size();
      ++canonicalised;
    }
  } while (cpu_seconds() - url_start < 1.0);
  const double canonical_per_second = static_cast<double>(canonicalised) / (cpu_seconds() - url_start);
  std::printf("identity: url::canonical_identity() + identify() (key, content hash, story fingerprint) [%llu]\n",
              static_cast<unsigned long long>(sink % 10));
  std::printf("  %zu-byte items (title, summary, content): %.0f items/s (text::tokenize_into alone: %.0f items/s)\n",
              bytes / items.size(), per_second, tokenize_per_second);
  std::printf("  %zu-byte items (title, summary): %.0f items/s\n", short_bytes / items.size(), short_per_second);
  std::printf("  url::canonical_identity() alone: %.0f links/s\n", canonical_per_second);
  std::printf("  goal: identity + canonical URL + fingerprint >= 200000 items/s (%zu-byte items): %s\n\n",
              bytes / items.size(), verdict(per_second >= 200000));
  return per_second >= 200000;
}

bool index_figures(const Vocabulary& vocabulary, std::size_t stored, std::size_t queries) {
  const TimePoint start_time{std::chrono::sys_days{std::chrono::year{2024} / 1 / 1}};
  // Queries first, so that their memory is not counted as the index's: half are copies of stored
  // stories (another outlet's edit), half stories never stored.
  std::mt19937_64 random(99);
  std::vector<StoryFingerprint> copies;
  std::vector<std::uint64_t> copy_of_story;
  std::vector<StoryFingerprint> fresh;
  for (std::size_t i = 0; i < queries / 2; ++i) {
    const std::uint64_t number = random() % stored;
    copies.push_back(newswatch::dedup::fingerprint_story(copy_of(vocabulary, make_story(vocabulary, number), random)));
    copy_of_story.push_back(number);
    fresh.push_back(newswatch::dedup::fingerprint_story(to_item(make_story(vocabulary, stored + i))));
  }

  // Stories are fingerprinted a batch at a time, outside the timed adds; the batch is made (and its
  // memory touched) before the index's memory is measured.
  constexpr std::size_t batch_size = 1U << 16U;
  std::vector<StoryIndex::Entry> batch(batch_size);
  const auto fill_batch = [&](std::uint64_t first) {
    batch.clear();
    for (std::uint64_t number = first; number < std::min<std::uint64_t>(stored, first + batch_size); ++number) {
      batch.push_back(StoryIndex::Entry{newswatch::dedup::fingerprint_story(to_item(make_story(vocabulary, number))),
                                        number, start_time + std::chrono::seconds{number}});
    }
  };

  // Memory freed by the sections before goes back to the system first, so that the index cannot
  // grow into it unseen.
  malloc_trim(0);
  const std::size_t rss_before = resident_bytes();
  StoryIndex index;
  double add_seconds = 0;
  for (std::uint64_t first = 0; first < stored; first += batch_size) {
    fill_batch(first);
    const double start = cpu_seconds();
    for (const StoryIndex::Entry& entry : batch) {
      index.add(entry.fingerprint, entry.story, entry.seen);
    }
    add_seconds += cpu_seconds() - start;
  }
  // The same after: what adding freed on the way (bands rebuilt bigger) is not the index's.
  malloc_trim(0);
  const std::size_t rss_after = resident_bytes();

  std::size_t found_copies = 0;
  std::size_t right_story = 0;
  std::size_t found_fresh = 0;
  std::size_t done = 0;
  const double start = cpu_seconds();
  do {
    for (std::size_t i = 0; i < copies.size(); ++i) {
      const std::optional<std::uint64_t> story = index.find(copies[i]);
      found_copies += story ? 1 : 0;
      right_story += story == copy_of_story[i] ? 1 : 0;
      found_fresh += index.find(fresh[i]) ? 1 : 0;
      done += 2;
    }
  } while (cpu_seconds() - start < 1.0);
  const double per_second = static_cast<double>(done) / (cpu_seconds() - start);
  const double rounds = static_cast<double>(done) / static_cast<double>(2 * copies.size());

  // Loading the same fingerprints from a store, as a restart does, through a StoryIndex::Loader.
  double load_seconds = 0;
  {
    StoryIndex::Loader loader;
    for (std::uint64_t first = 0; first < stored; first += batch_size) {
      fill_batch(first);
      const double load_start = cpu_seconds();
      for (const StoryIndex::Entry& entry : batch) {
        loader.add(entry.fingerprint, entry.story, entry.seen);
      }
      load_seconds += cpu_seconds() - load_start;
    }
    const double load_start = cpu_seconds();
    const StoryIndex loaded = std::move(loader).finish();
    load_seconds += cpu_seconds() - load_start;
  }

  std::printf("story index: %zu fingerprints of generated stories (3 sentences, half with a dateline)\n", index.size());
  std::printf("  add: %.0f items/s one by one; %.0f items/s loading (StoryIndex::Loader)\n",
              static_cast<double>(stored) / add_seconds, static_cast<double>(stored) / load_seconds);
  std::printf("  find: %.0f items/s; copies found %.1f%% (right story %.1f%%), new stories matched %.2f%%\n",
              per_second, 100.0 * static_cast<double>(found_copies) / rounds / static_cast<double>(copies.size()),
              100.0 * static_cast<double>(right_story) / rounds / static_cast<double>(copies.size()),
              100.0 * static_cast<double>(found_fresh) / rounds / static_cast<double>(fresh.size()));
  const double rss_growth = (static_cast<double>(rss_after) - static_cast<double>(rss_before)) / 1e6;
  std::printf("  memory: memory_bytes() %.1f MB (%.1f bytes per entry); resident growth %.1f MB\n",
              megabytes(index.memory_bytes()),
              static_cast<double>(index.memory_bytes()) / static_cast<double>(index.size()), rss_growth);
  const bool fast = per_second >= 100000;
  const bool small = index.memory_bytes() <= 64'000'000 && rss_growth <= 64.0;
  std::printf("  goal: lookups against %zu stored >= 100000 items/s: %s; memory <= 64 MB: %s\n", stored, verdict(fast),
              verdict(small));
  return fast && small;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t stored = 1'000'000;
  std::size_t queries = 100'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string_view(argv[i]) == "--stored") {
      stored = static_cast<std::size_t>(std::strtoul(argv[i + 1], nullptr, 10));
    } else if (std::string_view(argv[i]) == "--queries") {
      queries = static_cast<std::size_t>(std::strtoul(argv[i + 1], nullptr, 10));
    }
  }
  std::printf("one core, CPU time\n\n");
  std::fflush(stdout);
  labelled_set();
  std::fflush(stdout);
  const Vocabulary vocabulary(200000);
  identity_throughput(vocabulary);
  std::fflush(stdout);
  index_figures(vocabulary, stored, std::max<std::size_t>(queries, 2));
  return 0;
}
