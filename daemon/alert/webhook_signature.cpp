#include "newswatch/alert/webhook_signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

namespace newswatch::alert {

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(written < 0 ? 0 : static_cast<std::size_t>(written));
  return out;
}

Expected<std::string, std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return make_unexpected(std::string("base64 text must come in groups of four characters"));
  }
  std::string out(3 * (text.size() / 4), '\0');
  const int written =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                      static_cast<int>(text.size()));
  if (written < 0) {
    return make_unexpected(std::string("not base64"));
  }
  // EVP_DecodeBlock counts the zero bytes that padding stands for; drop them.
  std::size_t size = static_cast<std::size_t>(written);
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '=' && size > 0; --i) {
    --size;
  }
  out.resize(size);
  return out;
}

Expected<std::string, std::string> sign_webhook(std::string_view secret, std::string_view id, std::int64_t timestamp,
                                                std::string_view body) {
  constexpr std::string_view prefix = "whsec_";
  if (secret.starts_with(prefix)) {
    secret.remove_prefix(prefix.size());
  }
  auto key = base64_decode(secret);
  if (!key || key->empty()) {
    return make_unexpected(std::string("the webhook secret must be whsec_ followed by base64"));
  }
  std::string content;
  content.reserve(id.size() + body.size() + 24);
  content.append(id);
  content.push_back('.');
  content.append(std::to_string(timestamp));
  content.push_back('.');
  content.append(body);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()),
           reinterpret_cast<const unsigned char*>(content.data()), content.size(), digest.data(), &length) == nullptr) {
    return make_unexpected(std::string("HMAC-SHA256 failed"));
  }
  return "v1," + base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

}  // namespace newswatch::alert
