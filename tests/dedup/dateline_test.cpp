#include "newswatch/dedup/dateline.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace newswatch::dedup {
namespace {

// What is left of a lead once its dateline is cut.
std::string_view after_dateline(std::string_view lead) {
  return lead.substr(dateline_length(lead));
}

struct DatelineCase {
  std::string_view lead;
  std::string_view story;  ///< What remains.
};

TEST(Dateline, CutsTheDatelinesOfNewsAgencies) {
  static constexpr DatelineCase cases[] = {
      {"BEIRUT (Reuters) - Coalition warplanes struck", "Coalition warplanes struck"},
      {"ANKARA, Turkey (AP) — A magnitude 6.1 earthquake", "A magnitude 6.1 earthquake"},
      {"CAPE CANAVERAL, Fla. (AP) - The launch", "The launch"},
      {"PARIS (AFP) – Le trafic sera", "Le trafic sera"},
      {"İSTANBUL (AA) - Kadıköy ile Sultanbeyli", "Kadıköy ile Sultanbeyli"},
      {"ANKARA - Analysts see little chance", "Analysts see little chance"},
      {"Berlin - Die Lokführergewerkschaft", "Die Lokführergewerkschaft"},
      {"BARCELONA, 1 Feb. (EUROPA PRESS) - El Gobierno catalán", "El Gobierno catalán"},
      {"جنيف (رويترز) - حذرت الأمم المتحدة", "حذرت الأمم المتحدة"},
      {"جنيف - حذّرت الأمم المتحدة", "حذّرت الأمم المتحدة"},
      {"МОСКВА, 15 декабря. /ТАСС/. Совет директоров", "Совет директоров"},
      {"新华社北京1月24日电 中国人民银行24日宣布", "中国人民银行24日宣布"},
      {"서울=연합뉴스 한국은행 금융통화위원회는", "한국은행 금융통화위원회는"},
      {"【東京】日本銀行は19日の", "日本銀行は19日の"},
      {"[Tokyo] The Bank of Japan", "The Bank of Japan"},
      {"  WASHINGTON -- The Senate voted", "The Senate voted"},
  };
  for (const DatelineCase& test : cases) {
    EXPECT_EQ(after_dateline(test.lead), test.story) << test.lead;
  }
}

TEST(Dateline, LeavesLeadsWithoutOneAlone) {
  static constexpr std::string_view leads[] = {
      "Turkey's central bank raised its main interest rate by 500 basis points",
      "The central bank - which had paused in June - raised rates again",
      "Measles cases in Europe rose more than 30-fold last year, the agency - citing data - said",
      "U.S.-led coalition warplanes carried out at least 18 air strikes",
      "中国人民银行24日宣布，自2月5日起下调金融机构存款准备金率",
      "BEIRUT (Reuters) -",
      "",
      "   ",
  };
  for (const std::string_view lead : leads) {
    EXPECT_EQ(dateline_length(lead), 0U) << lead;
  }
}

TEST(Dateline, CopesWithInvalidUtf8) {
  const std::string lead = "\xFF\xFE (X) - \xC3";
  EXPECT_LE(dateline_length(lead), lead.size());
}

}  // namespace
}  // namespace newswatch::dedup
