#include "newswatch/net/http_response.hpp"

namespace newswatch::net {

std::string_view to_string(TransportError error) noexcept {
  switch (error) {
    case TransportError::none: return "none";
    case TransportError::invalid_request: return "invalid_request";
    case TransportError::scheme_refused: return "scheme_refused";
    case TransportError::redirect_refused: return "redirect_refused";
    case TransportError::too_many_redirects: return "too_many_redirects";
    case TransportError::resolve_failed: return "resolve_failed";
    case TransportError::connect_failed: return "connect_failed";
    case TransportError::tls_failed: return "tls_failed";
    case TransportError::timed_out: return "timed_out";
    case TransportError::too_slow: return "too_slow";
    case TransportError::body_too_large: return "body_too_large";
    case TransportError::protocol_error: return "protocol_error";
    case TransportError::cancelled: return "cancelled";
    case TransportError::other: return "other";
  }
  return "other";
}

std::string_view reason_phrase(long status) noexcept {
  // RFC 9110 §15 (plus 429 from RFC 6585 §4).
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 305: return "Use Proxy";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Content";
    case 426: return "Upgrade Required";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "";
  }
}

}  // namespace newswatch::net
