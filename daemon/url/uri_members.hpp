#pragma once

#include <uriparser/Uri.h>

namespace newswatch::url::detail {

/// One UriUriA and what liburiparser allocates for it (path segments, IP addresses, and copies of
/// the text once normalised), freed with uriFreeUriMembersA. liburiparser frees them itself when a
/// call fails, so they are owned only from adopt() on, which follows a successful call.
class UriMembers {
 public:
  UriMembers() noexcept = default;
  ~UriMembers() {
    if (owned_) {
      uriFreeUriMembersA(&uri_);
    }
  }
  UriMembers(const UriMembers&) = delete;
  UriMembers& operator=(const UriMembers&) = delete;
  // The ranges of a parsed UriUriA may point into its own allocations: it stays where it was built.
  UriMembers(UriMembers&&) = delete;
  UriMembers& operator=(UriMembers&&) = delete;

  /// The structure for liburiparser to fill.
  UriUriA* get() noexcept { return &uri_; }
  /// The filled structure.
  [[nodiscard]] const UriUriA& operator*() const noexcept { return uri_; }
  /// Takes ownership of what a successful liburiparser call allocated.
  void adopt() noexcept { owned_ = true; }

 private:
  UriUriA uri_{};
  bool owned_ = false;
};

}  // namespace newswatch::url::detail
