#pragma once

#include <cstddef>
#include <string_view>

namespace newswatch::dedup {

/// Bytes of the dateline that opens `lead`, including the separator and the space after it; 0 when
/// there is none. Reprints drop or rewrite datelines, so the story fingerprint starts after them:
///  - "BEIRUT (Reuters) - ", "CAPE CANAVERAL, Fla. (AP) — ", "PARIS (AFP) – ", "Berlin - ": a dash
///    within the first words, after a place in capitals, an agency in parentheses or one or two words;
///  - "МОСКВА, 15 декабря. /ТАСС/. ": an agency between slashes (TASS style);
///  - "新华社北京1月24日电 ": a news agency (…社) and its dispatch mark 电 (Xinhua style);
///  - "서울=연합뉴스 ": place=agency as the first word (Yonhap style);
///  - "【東京】", "[Tokyo] ": a bracketed place first.
std::size_t dateline_length(std::string_view lead);

}  // namespace newswatch::dedup
