#include "runtime/store/store_url.hpp"

#include <libpq-fe.h>

#include <memory>

namespace metaport::store {

namespace {

constexpr std::string_view kForms =
    "expected sqlite://RELATIVE/PATH, sqlite:///ABSOLUTE/PATH, postgres://... or postgresql://...";

// The password of scheme://user:password@host..., or "".
std::string password_of(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const auto auth_start = scheme_end + 3;
  const auto auth_end = url.find_first_of("/?", auth_start);
  const auto at = url.rfind('@', auth_end == std::string_view::npos ? url.size() : auth_end);
  if (at == std::string_view::npos || at < auth_start) return {};
  const auto colon = url.find(':', auth_start);
  if (colon == std::string_view::npos || colon >= at) return {};
  return std::string(url.substr(colon + 1, at - colon - 1));
}

// Every occurrence of `secret` in `text` replaced by ***: a password may
// appear again elsewhere in a URL, or in a message quoting part of it.
std::string mask_all(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (std::size_t p = text.find(secret); p != std::string::npos; p = text.find(secret, p + 3))
    text.replace(p, secret.size(), "***");
  return text;
}

std::string mask_password(std::string_view url) {
  // scheme://user:password@host... -> scheme://user:***@host...; a password
  // of 4 characters or more is also masked wherever else it appears (a
  // shorter one would garble the rest of the URL, and says little on its own).
  const std::string pw = password_of(url);
  std::string s = pw.size() >= 4 ? mask_all(std::string(url), pw) : std::string(url);
  const auto scheme_end = s.find("://");
  if (scheme_end == std::string::npos) return s;
  const auto auth_start = scheme_end + 3;
  const auto auth_end = s.find_first_of("/?", auth_start);
  const auto at = s.rfind('@', auth_end == std::string::npos ? s.size() : auth_end);
  if (at != std::string::npos && at >= auth_start) {
    const auto colon = s.find(':', auth_start);
    if (colon != std::string::npos && colon < at) s.replace(colon + 1, at - colon - 1, "***");
  }
  // A password=... query parameter.
  for (std::size_t p = s.find("password="); p != std::string::npos; p = s.find("password=", p + 1)) {
    const auto v = p + 9;
    const auto end = s.find('&', v);
    s.replace(v, (end == std::string::npos ? s.size() : end) - v, "***");
  }
  return s;
}

}  // namespace

Result<StoreUrl> parse_store_url(std::string_view url) {
  StoreUrl out;
  if (url.empty()) return make_error("empty store URL: " + std::string(kForms));
  if (url.rfind("sqlite:", 0) == 0) {
    if (url.rfind("sqlite://", 0) != 0)
      return make_error("bad store URL '" + std::string(url) + "': " + std::string(kForms));
    out.dialect = Dialect::sqlite;
    out.path = std::string(url.substr(9));  // after "sqlite://": "rel/x.db" or "/abs/x.db"
    out.display = std::string(url);
    if (out.path.empty() || out.path == "/")
      return make_error("bad store URL '" + out.display + "': no database file path (" + std::string(kForms) + ")");
    if (out.path.back() == '/')
      return make_error("bad store URL '" + out.display + "': the path names a directory, not a database file");
    if (out.path.find('?') != std::string::npos)
      return make_error("bad store URL '" + out.display +
                        "': sqlite:// URLs take no parameters (the store sets WAL, foreign keys and timeouts itself)");
    return out;
  }
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
    out.dialect = Dialect::postgres;
    out.conninfo = std::string(url);
    out.display = mask_password(url);
    // Let libpq judge the URI (it knows every parameter); report its words.
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(out.conninfo.c_str(), &err);
    if (!opts) {
      std::string msg = err ? err : "out of memory";
      if (err) PQfreemem(err);
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
      const std::string pw = password_of(url);
      return make_error("bad store URL '" + out.display + "': " + (pw.size() >= 4 ? mask_all(msg, pw) : msg));
    }
    PQconninfoFree(opts);
    return out;
  }
  std::string hint;
  if (url.find("://") == std::string::npos) hint = " (for a SQLite file, write sqlite://" + std::string(url) + ")";
  return make_error("unsupported store URL '" + mask_password(url) + "': " + std::string(kForms) + hint);
}

}  // namespace metaport::store
