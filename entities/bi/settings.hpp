// Settings: the instance settings file `settings.yaml`, a flat map of
// Metabase setting names to values. One per instance (the key is always
// "settings"), no serdes/meta. Open kind: Metabase has hundreds of settings
// and adds more in every release; the ones declared here get types and
// checks, every other one is kept as it is. Credentials are Secret<>: a dump
// shows "**redacted**" unless --keep-secrets, and a redacted value read back
// leaves the target's value alone.
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

enum class Weekday { sunday, monday, tuesday, wednesday, thursday, friday, saturday };
BOOST_DESCRIBE_ENUM(Weekday, sunday, monday, tuesday, wednesday, thursday, friday, saturday)

enum class HumanizationStrategy { simple, none };
BOOST_DESCRIBE_ENUM(HumanizationStrategy, simple, none)

enum class AutocompleteMatchStyle { substring, prefix, off };
BOOST_DESCRIBE_ENUM(AutocompleteMatchStyle, substring, prefix, off)

enum class LoadingMessage { doing_science, running_query, loading_results };
BOOST_DESCRIBE_ENUM(LoadingMessage, doing_science, running_query, loading_results)

enum class HelpLink { metabase, hidden, custom };
BOOST_DESCRIBE_ENUM(HelpLink, metabase, hidden, custom)

enum class SmtpSecurity { none, ssl, tls, starttls };
BOOST_DESCRIBE_ENUM(SmtpSecurity, none, ssl, tls, starttls)

// Every member may be absent (not exported) or null (unset: Metabase's default).
struct Settings {
  // Identity and locale
  Maybe<std::string> site_name;
  Maybe<std::string> site_url;
  Maybe<std::string> site_locale;
  Maybe<std::string> report_timezone;
  Maybe<Weekday> start_of_week;
  Maybe<HumanizationStrategy> humanization_strategy;
  Maybe<AutocompleteMatchStyle> native_query_autocomplete_match_style;
  // Features
  Maybe<bool> enable_nested_queries;
  Maybe<bool> enable_xrays;
  Maybe<bool> enable_public_sharing;
  Maybe<bool> enable_query_caching;
  Maybe<bool> persisted_models_enabled;
  Maybe<bool> search_typeahead_enabled;
  Maybe<bool> show_homepage_data;
  Maybe<bool> show_homepage_xrays;
  Maybe<bool> show_homepage_pin_message;
  // Formatting, maps, look and feel
  Maybe<metaport::Document> custom_formatting;
  Maybe<metaport::Document> custom_geojson;
  Maybe<std::string> application_name;
  Maybe<metaport::Document> application_colors;
  Maybe<std::string> application_font;
  Maybe<LoadingMessage> loading_message;
  Maybe<std::string> landing_page;
  Maybe<HelpLink> help_link;
  // Query building and subscriptions
  Maybe<double> breakout_bin_width;
  Maybe<std::int64_t> breakout_bins_num;
  Maybe<std::string> subscription_allowed_domains;
  // Embedding; the signing key is a secret
  Maybe<bool> enable_embedding_static;
  Maybe<bool> enable_embedding_sdk;
  Maybe<bool> enable_embedding_interactive;
  Maybe<Secret<std::string>> embedding_secret_key;
  // Email (SMTP); the password is a secret
  Maybe<std::string> email_smtp_host;
  Maybe<std::int64_t> email_smtp_port;
  Maybe<SmtpSecurity> email_smtp_security;
  Maybe<std::string> email_smtp_username;
  Maybe<Secret<std::string>> email_smtp_password;
  Maybe<std::string> email_from_address;
  Maybe<std::string> email_from_name;
  // Authentication; passwords and signing keys are secrets
  Maybe<std::string> ldap_host;
  Maybe<std::int64_t> ldap_port;
  Maybe<Secret<std::string>> ldap_password;
  Maybe<Secret<std::string>> jwt_shared_secret;
  Maybe<std::string> google_auth_client_id;
  friend bool operator==(const Settings&, const Settings&) = default;
};
BOOST_DESCRIBE_STRUCT(Settings, (),
                      (site_name, site_url, site_locale, report_timezone, start_of_week, humanization_strategy,
                       native_query_autocomplete_match_style, enable_nested_queries, enable_xrays,
                       enable_public_sharing, enable_query_caching, persisted_models_enabled, search_typeahead_enabled,
                       show_homepage_data, show_homepage_xrays, show_homepage_pin_message, custom_formatting,
                       custom_geojson, application_name, application_colors, application_font, loading_message,
                       landing_page, help_link, breakout_bin_width, breakout_bins_num, subscription_allowed_domains,
                       enable_embedding_static, enable_embedding_sdk, enable_embedding_interactive,
                       embedding_secret_key, email_smtp_host, email_smtp_port, email_smtp_security, email_smtp_username,
                       email_smtp_password, email_from_address, email_from_name, ldap_host, ldap_port, ldap_password,
                       jwt_shared_secret, google_auth_client_id))

namespace detail {
template <class T>
const T* present(const Maybe<T>& m) {
  return m && m->has_value() ? &**m : nullptr;
}
}  // namespace detail

inline void metaport_check(const Settings& s, metaport::Checker& c) {
  for (auto [field, port] : {std::pair{"email-smtp-port", detail::present(s.email_smtp_port)},
                             std::pair{"ldap-port", detail::present(s.ldap_port)}})
    if (port && (*port < 1 || *port > 65535)) c.error(field, "a TCP port is 1 to 65535, not " + std::to_string(*port));
  if (auto* n = detail::present(s.breakout_bins_num); n && *n < 1)
    c.error("breakout-bins-num", "the number of bins must be at least 1");
  if (auto* w = detail::present(s.breakout_bin_width); w && !(*w > 0))
    c.error("breakout-bin-width", "the bin width must be positive");
  if (auto* a = detail::present(s.email_from_address); a && !is_email(*a))
    c.error("email-from-address", "'" + *a + "' is not an email address");
  if (auto* u = detail::present(s.site_url); u && u->rfind("http://", 0) != 0 && u->rfind("https://", 0) != 0)
    c.error("site-url", "'" + *u + "' is not an http(s) URL");
}

}  // namespace bi

METAPORT_RENAME(bi::Settings, {"site_name", "site-name"}, {"site_url", "site-url"}, {"site_locale", "site-locale"},
                {"report_timezone", "report-timezone"}, {"start_of_week", "start-of-week"},
                {"humanization_strategy", "humanization-strategy"},
                {"native_query_autocomplete_match_style", "native-query-autocomplete-match-style"},
                {"enable_nested_queries", "enable-nested-queries"}, {"enable_xrays", "enable-xrays"},
                {"enable_public_sharing", "enable-public-sharing"}, {"enable_query_caching", "enable-query-caching"},
                {"persisted_models_enabled", "persisted-models-enabled"},
                {"search_typeahead_enabled", "search-typeahead-enabled"}, {"show_homepage_data", "show-homepage-data"},
                {"show_homepage_xrays", "show-homepage-xrays"},
                {"show_homepage_pin_message", "show-homepage-pin-message"}, {"custom_formatting", "custom-formatting"},
                {"custom_geojson", "custom-geojson"}, {"application_name", "application-name"},
                {"application_colors", "application-colors"}, {"application_font", "application-font"},
                {"loading_message", "loading-message"}, {"landing_page", "landing-page"}, {"help_link", "help-link"},
                {"breakout_bin_width", "breakout-bin-width"}, {"breakout_bins_num", "breakout-bins-num"},
                {"subscription_allowed_domains", "subscription-allowed-domains"},
                {"enable_embedding_static", "enable-embedding-static"},
                {"enable_embedding_sdk", "enable-embedding-sdk"},
                {"enable_embedding_interactive", "enable-embedding-interactive"},
                {"embedding_secret_key", "embedding-secret-key"}, {"email_smtp_host", "email-smtp-host"},
                {"email_smtp_port", "email-smtp-port"}, {"email_smtp_security", "email-smtp-security"},
                {"email_smtp_username", "email-smtp-username"}, {"email_smtp_password", "email-smtp-password"},
                {"email_from_address", "email-from-address"}, {"email_from_name", "email-from-name"},
                {"ldap_host", "ldap-host"}, {"ldap_port", "ldap-port"}, {"ldap_password", "ldap-password"},
                {"jwt_shared_secret", "jwt-shared-secret"}, {"google_auth_client_id", "google-auth-client-id"})
METAPORT_ENUM_STYLE(bi::Weekday, identity)
METAPORT_ENUM_STYLE(bi::HumanizationStrategy, identity)
METAPORT_ENUM_STYLE(bi::AutocompleteMatchStyle, identity)
METAPORT_ENUM_STYLE(bi::LoadingMessage, kebab_slash)
METAPORT_ENUM_STYLE(bi::HelpLink, identity)
METAPORT_ENUM_STYLE(bi::SmtpSecurity, identity)

template <>
struct metaport::kind_traits<bi::Settings> : metaport::kind_defaults {
  static constexpr std::string_view name = "Settings";
  static constexpr bool open = true;
  static constexpr KeyShape key_shape = KeyShape::name;
  static Key key(const bi::Settings&) { return Key(std::string("settings")); }
};
