// Store URLs: parse_store_url never crashes, an error says why, and neither
// an accepted URL's display form nor any error message shows a password
// written in the URL (scheme://user:PASSWORD@host...).
#include <cstdlib>
#include <string>

#include "fuzz/fuzz_target.hpp"
#include "runtime/store/store_url.hpp"

namespace {
// ":PASSWORD@" as the URL spells it, or "" when it has none.
std::string password_part(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  const auto start = scheme + 3;
  const auto end = url.find_first_of("/?", start);
  const std::string_view auth = url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  const auto at = auth.rfind('@');
  const auto colon = auth.find(':');
  if (at == std::string_view::npos || colon == std::string_view::npos || colon > at) return {};
  const std::string_view pw = auth.substr(colon + 1, at - colon - 1);
  if (pw.size() < 4 || pw.find("***") != std::string_view::npos) return {};  // short ones are masked in place only
  return ":" + std::string(pw) + "@";
}
}  // namespace

void fuzz_one(std::string_view input) {
  auto u = metaport::store::parse_store_url(input);
  const std::string secret = input.rfind("sqlite:", 0) == 0 ? std::string() : password_part(input);
  if (!u) {
    if (u.errors().list().empty()) std::abort();
    // The forms the message lists as help (mysql://USER:PASSWORD@HOST...)
    // are not the URL's: a URL spelling the same text is not shown by them.
    std::string message = u.errors().to_string();
    const std::string forms = metaport::store::store_url_forms();
    for (auto p = message.find(forms); p != std::string::npos; p = message.find(forms, p)) message.erase(p, forms.size());
    if (!secret.empty() && message.find(secret) != std::string::npos) std::abort();
    return;
  }
  if (!secret.empty() && u->display.find(secret) != std::string::npos) std::abort();
}
