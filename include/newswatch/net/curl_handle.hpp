#pragma once

#include <curl/curl.h>

#include <memory>

namespace newswatch::net {

/// Deleter for an easy handle (curl_easy_cleanup).
struct CurlEasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};

/// Deleter for a multi handle (curl_multi_cleanup).
struct CurlMultiDeleter {
  void operator()(CURLM* handle) const noexcept { curl_multi_cleanup(handle); }
};

/// Deleter for a header list (curl_slist_free_all).
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

/// Deleter for a parsed URL (curl_url_cleanup).
struct CurlUrlDeleter {
  void operator()(CURLU* url) const noexcept { curl_url_cleanup(url); }
};

/// Deleter for strings libcurl allocated (curl_free).
struct CurlStringDeleter {
  void operator()(char* text) const noexcept { curl_free(text); }
};

/// An owned easy handle.
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
/// An owned multi handle.
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;
/// An owned header list; append with curl_slist_append(list.release(), ...) and reset.
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;
/// An owned URL handle.
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;
/// An owned libcurl string.
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

/// Holds one reference to libcurl's global state (curl_global_init is reference counted and, in
/// the libcurl Debian ships, thread-safe), so every HttpClient keeps curl initialised while it lives.
class CurlGlobal {
 public:
  CurlGlobal() : result_(curl_global_init(CURL_GLOBAL_DEFAULT)) {}
  ~CurlGlobal() {
    if (result_ == CURLE_OK) {
      curl_global_cleanup();
    }
  }
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
  CurlGlobal(CurlGlobal&&) = delete;
  CurlGlobal& operator=(CurlGlobal&&) = delete;

  /// True when curl_global_init succeeded.
  [[nodiscard]] bool ok() const noexcept { return result_ == CURLE_OK; }

 private:
  CURLcode result_;
};

}  // namespace newswatch::net
