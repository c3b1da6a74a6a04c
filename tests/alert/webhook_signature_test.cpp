#include "newswatch/alert/webhook_signature.hpp"

#include <gtest/gtest.h>

namespace newswatch::alert {
namespace {

// The Standard Webhooks reference libraries' own signing vector (libraries/*/tests in
// github.com/standard-webhooks/standard-webhooks).
TEST(SignWebhook, MatchesTheStandardWebhooksTestVector) {
  const auto signature = sign_webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                      1614265330, R"({"test": 2432232314})");
  ASSERT_TRUE(signature.has_value()) << signature.error();
  EXPECT_EQ(*signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(SignWebhook, AcceptsTheSecretWithoutItsPrefix) {
  const auto signature = sign_webhook("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                                      R"({"test": 2432232314})");
  ASSERT_TRUE(signature.has_value());
  EXPECT_EQ(*signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(SignWebhook, RejectsASecretThatIsNotBase64) {
  EXPECT_FALSE(sign_webhook("whsec_not base64!", "id", 1, "{}").has_value());
  EXPECT_FALSE(sign_webhook("whsec_", "id", 1, "{}").has_value());
}

TEST(Base64, RoundTripsEveryPaddingLength) {
  for (const std::string text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    const auto decoded = base64_decode(base64_encode(text));
    ASSERT_TRUE(decoded.has_value()) << text;
    EXPECT_EQ(*decoded, text);
  }
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
}

}  // namespace
}  // namespace newswatch::alert
