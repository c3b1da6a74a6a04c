#include "newswatch/alert/message.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>

namespace newswatch::alert {
namespace {

struct DigestContextDeleter {
  void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextDeleter>;

std::string sha256_hex(const std::vector<std::string>& parts) {
  DigestContext context(EVP_MD_CTX_new());
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
    return {};
  }
  for (const auto& part : parts) {
    // A NUL after each id keeps {"ab","c"} and {"a","bc"} apart.
    EVP_DigestUpdate(context.get(), part.data(), part.size());
    EVP_DigestUpdate(context.get(), "", 1);
  }
  EVP_DigestFinal_ex(context.get(), digest.data(), &length);
  static constexpr std::string_view hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(hex[digest[i] >> 4U]);
    out.push_back(hex[digest[i] & 0x0FU]);
  }
  return out;
}

}  // namespace

std::vector<Message> group_by_story(std::span<const Alert> alerts) {
  std::vector<Message> messages;
  for (const auto& alert : alerts) {
    // An alert without a story stands alone; stories are few per cycle, so a linear search is fine.
    auto found = alert.story.empty() ? messages.end()
                                     : std::find_if(messages.begin(), messages.end(), [&alert](const Message& message) {
                                         return message.alerts.front().story == alert.story;
                                       });
    if (found == messages.end()) {
      messages.push_back({MessageKind::story, {alert}});
      continue;
    }
    found->alerts.push_back(alert);
  }
  return messages;
}

Message make_digest(std::span<const Alert> alerts) {
  return {MessageKind::digest, std::vector<Alert>(alerts.begin(), alerts.end())};
}

std::string message_id(const Message& message) {
  if (message.alerts.size() == 1) {
    return message.alerts.front().id;
  }
  std::vector<std::string> ids;
  ids.reserve(message.alerts.size());
  for (const auto& alert : message.alerts) {
    ids.push_back(alert.id);
  }
  std::sort(ids.begin(), ids.end());
  return "msg_" + sha256_hex(ids).substr(0, 32);
}

}  // namespace newswatch::alert
