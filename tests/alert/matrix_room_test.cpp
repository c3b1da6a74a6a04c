#include "newswatch/alert/matrix_room.hpp"

#include <gtest/gtest.h>

namespace newswatch::alert {
namespace {

TEST(MatrixRoom, LooksUpAnAliasOnTheHomeserver) {
  config::Target target;
  target.type = config::TargetType::matrix;
  target.url = Secret("https://matrix.example/", "");
  target.token = Secret("syt_token", "");
  target.room = "#news:matrix.example";
  ASSERT_TRUE(is_room_alias(target.room));
  const auto request = room_alias_request(target);
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.url, "https://matrix.example/_matrix/client/v3/directory/room/%23news%3Amatrix.example");
  EXPECT_EQ(request.headers.front().second, "Bearer syt_token");
}

TEST(MatrixRoom, ReadsTheRoomIdOrTheError) {
  const auto found = parse_room_alias_response(200, R"({"room_id": "!abc:matrix.example", "servers": []})");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, "!abc:matrix.example");
  const auto missing = parse_room_alias_response(404, R"({"errcode": "M_NOT_FOUND", "error": "Room alias not found"})");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error(), "room alias lookup failed: HTTP 404 M_NOT_FOUND: Room alias not found");
  EXPECT_FALSE(parse_room_alias_response(200, "not json").has_value());
}

TEST(MatrixRoom, EncodesEverythingButUnreservedCharacters) {
  EXPECT_EQ(percent_encode_segment("!a:b.c_d~e-f/g h"), "%21a%3Ab.c_d~e-f%2Fg%20h");
}

}  // namespace
}  // namespace newswatch::alert
