#include "runtime/store/store_url.hpp"

#include <algorithm>
#include <list>

#include "runtime/store/backend.hpp"

namespace metaport::store {

namespace {
// Filled during static initialisation by the linked backends.
std::list<Backend>& registry() {
  static std::list<Backend> all;
  return all;
}
}  // namespace

bool register_backend(const Backend& b) {
  registry().push_back(b);
  return true;
}

std::vector<const Backend*> backends() {
  std::vector<const Backend*> out;
  for (const auto& b : registry()) out.push_back(&b);
  std::stable_sort(out.begin(), out.end(), [](const Backend* a, const Backend* b) { return a->order < b->order; });
  return out;
}

const Backend* find_backend(std::string_view scheme) {
  for (const auto& b : registry())
    for (auto s : b.schemes)
      if (s == scheme) return &b;
  return nullptr;
}

std::string store_url_forms() {
  std::string out;
  const auto all = backends();
  for (std::size_t i = 0; i < all.size(); ++i)
    out += (i ? ", " : "") + std::string(all[i]->forms);
  return out.empty() ? "no store engine is linked into this program" : out;
}

namespace {
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
}  // namespace

std::string mask_password_in(std::string text, std::string_view url) {
  const std::string pw = password_of(url);
  return pw.size() >= 4 ? mask_all(std::move(text), pw) : text;
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

Result<StoreUrl> parse_store_url(std::string_view url) {
  if (url.empty()) return make_error("empty store URL: expected " + store_url_forms());
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) {
    // "sqlite:metabase.db": a known scheme, badly written.
    const auto colon = url.find(':');
    if (colon != std::string_view::npos && find_backend(url.substr(0, colon)))
      return make_error("bad store URL '" + mask_password(url) + "': expected " + store_url_forms());
    std::string hint;
    if (find_backend("sqlite")) hint = " (for a SQLite file, write sqlite://" + std::string(url) + ")";
    return make_error("unsupported store URL '" + mask_password(url) + "': expected " + store_url_forms() + hint);
  }
  const Backend* b = find_backend(url.substr(0, sep));
  if (!b) return make_error("unsupported store URL '" + mask_password(url) + "': expected " + store_url_forms());
  auto parsed = b->parse(url);
  if (!parsed) {
    // A backend's reason may quote any part of the URL, and the password
    // may appear there again: masked here, once for every engine.
    Errors masked;
    for (Error e : parsed.errors().list()) {
      e.message = mask_password_in(std::move(e.message), url);
      masked.add(std::move(e));
    }
    return masked;
  }
  parsed->dialect = b->dialect;
  parsed->scheme = std::string(url.substr(0, sep));
  return parsed;
}

}  // namespace metaport::store
