// Any bytes as an item: the first three 0x1F (unit separator) bytes split them into title, summary,
// content and link. Fingerprinting and identity must not crash; a fingerprint must survive its
// encoding, be the same story as itself, and be found again by a StoryIndex it was added to, among
// the fingerprints of earlier inputs.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "newswatch/dedup/dateline.hpp"
#include "newswatch/dedup/item_identity.hpp"
#include "newswatch/dedup/story_fingerprint.hpp"
#include "newswatch/dedup/story_index.hpp"

namespace {

void require(bool condition) {
  if (!condition) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::array<std::string_view, 4> fields{};
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::size_t separator = i + 1 < fields.size() ? bytes.find('\x1F') : std::string_view::npos;
    fields[i] = bytes.substr(0, separator);
    bytes = separator == std::string_view::npos ? std::string_view() : bytes.substr(separator + 1);
  }
  newswatch::Item item;
  item.title = std::string(fields[0]);
  item.summary = std::string(fields[1]);
  item.content = std::string(fields[2]);
  item.link = std::string(fields[3]);

  require(newswatch::dedup::dateline_length(item.summary) <= item.summary.size());
  const newswatch::dedup::ItemIdentity identity = newswatch::dedup::identify(item, "");
  const newswatch::dedup::StoryFingerprint& fingerprint = identity.fingerprint;
  require(fingerprint == newswatch::dedup::fingerprint_story(item));
  require(newswatch::dedup::decode_fingerprint(newswatch::dedup::encode_fingerprint(fingerprint)) == fingerprint);

  const double similarity = newswatch::dedup::story_similarity(fingerprint, fingerprint);
  const bool has_text = fingerprint.kind != newswatch::dedup::FingerprintKind::none;
  require(similarity >= 0 && similarity <= 1);
  require(newswatch::dedup::same_story(fingerprint, fingerprint) == has_text);

  // One index for the whole run (a fresh one per input would cost more than the input): each input
  // is added under its own story at a later time, so that it is the newest of any equally close
  // entries and must be what find() returns. Emptied now and then to bound memory.
  static newswatch::dedup::StoryIndex index;
  static std::uint64_t runs = 0;
  const newswatch::TimePoint start{std::chrono::sys_days{std::chrono::year{2024} / 1 / 1}};
  const newswatch::TimePoint seen = start + std::chrono::seconds{static_cast<std::int64_t>(++runs)};
  if (runs % 4096 == 0) {
    index.expire(seen);
  }
  index.add(fingerprint, runs, seen);
  require(index.find(fingerprint) == (has_text ? std::optional<std::uint64_t>(runs) : std::nullopt));
  return 0;
}
