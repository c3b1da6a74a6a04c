#include "tracking_parameters.hpp"

#include <algorithm>
#include <array>

#include "characters.hpp"

namespace newswatch::url::detail {
namespace {

/// Families named by prefix: Google Analytics campaign tags (utm_source, utm_medium, ...) and
/// their Matomo counterparts (mtm_campaign, ...).
constexpr std::array<std::string_view, 2> tracking_prefixes{"utm_", "mtm_"};

/// Single names, lower case and sorted for binary search.
constexpr std::array<std::string_view, 53> tracking_names{
    "__hsfp",         // HubSpot
    "__hssc",         // HubSpot
    "__hstc",         // HubSpot
    "_ga",            // Google Analytics cross-domain linker
    "_gl",            // Google Analytics cross-domain linker
    "_hsenc",         // HubSpot email
    "_hsmi",          // HubSpot email
    "at_campaign",    // AT Internet (BBC feeds)
    "at_medium",      // AT Internet (BBC feeds)
    "cmp",            // Guardian campaign
    "cmpid",          // Adobe Analytics campaign
    "dclid",          // Google Display & Video click id
    "epik",           // Pinterest click id
    "fbclid",         // Facebook click id
    "gbraid",         // Google Ads iOS click id
    "gclid",          // Google Ads click id
    "gclsrc",         // Google Ads click source
    "hsctatracking",  // HubSpot call-to-action
    "igshid",         // Instagram share id
    "intcmp",         // Guardian internal campaign
    "ito",            // Daily Mail feed and share tags
    "li_fat_id",      // LinkedIn click id
    "mc_cid",         // Mailchimp campaign
    "mc_eid",         // Mailchimp subscriber
    "mkt_tok",        // Marketo email
    "msclkid",        // Microsoft Advertising click id
    "ns_campaign",    // comScore
    "ns_fee",         // comScore
    "ns_linkname",    // comScore
    "ns_mchannel",    // comScore
    "ns_source",      // comScore
    "ocid",           // Microsoft Start / MSN referral
    "oly_anon_id",    // Omeda
    "oly_enc_id",     // Omeda
    "pk_campaign",    // Matomo (Piwik) campaign
    "pk_kwd",         // Matomo (Piwik) campaign
    "pk_medium",      // Matomo (Piwik) campaign
    "pk_source",      // Matomo (Piwik) campaign
    "ref",            // generic referrer tag
    "ref_src",        // Twitter share
    "s_cid",          // Adobe Analytics campaign
    "smid",           // New York Times social share
    "sr_share",       // SimpleReach share
    "srsltid",        // Google Merchant Center click id
    "ttclid",         // TikTok click id
    "twclid",         // Twitter (X) click id
    "vero_conv",      // Vero email
    "vero_id",        // Vero email
    "wbraid",         // Google Ads web-to-app click id
    "wt.mc_id",       // Webtrends campaign
    "wt_mc",          // Webtrends campaign
    "xtor",           // AT Internet campaign (Le Monde, France Info feeds)
    "yclid",          // Yandex click id
};
static_assert(std::is_sorted(tracking_names.begin(), tracking_names.end()));

/// The longest of tracking_names: a longer name needs no lookup.
constexpr std::size_t longest_name =
    std::max_element(tracking_names.begin(), tracking_names.end(), [](std::string_view a, std::string_view b) {
      return a.size() < b.size();
    })->size();

}  // namespace

bool is_tracking_parameter(std::string_view name) noexcept {
  for (const std::string_view prefix : tracking_prefixes) {
    if (name.size() > prefix.size() && equals_ignoring_case(name.substr(0, prefix.size()), prefix)) {
      return true;
    }
  }
  if (name.empty() || name.size() > longest_name) {
    return false;
  }
  std::array<char, longest_name> lowered{};
  std::transform(name.begin(), name.end(), lowered.begin(), lower);
  return std::binary_search(tracking_names.begin(), tracking_names.end(),
                            std::string_view(lowered.data(), name.size()));
}

}  // namespace newswatch::url::detail
