#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "newswatch/model/expected.hpp"

namespace newswatch::alert {

/// The Standard Webhooks symmetric signature (standardwebhooks.com, "Signature scheme"):
/// "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)), where the key is the
/// base64 secret after its "whsec_" prefix. An error when the secret is not base64.
Expected<std::string, std::string> sign_webhook(std::string_view secret, std::string_view id, std::int64_t timestamp,
                                                std::string_view body);

/// Standard base64 (RFC 4648 §4) with padding.
std::string base64_encode(std::string_view bytes);

/// The bytes of standard base64 text; an error when `text` is not base64.
Expected<std::string, std::string> base64_decode(std::string_view text);

}  // namespace newswatch::alert
