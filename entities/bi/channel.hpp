// Channel: a notification channel (an HTTP webhook or an email server),
// identified by its name. Lives in channels/.
#pragma once
#include <map>

#include "entities/bi/common.hpp"

namespace bi {

enum class ChannelType { channel__email, channel__http };
BOOST_DESCRIBE_ENUM(ChannelType, channel__email, channel__http)

enum class HttpAuthMethod { none, header, query_param, request_body };
BOOST_DESCRIBE_ENUM(HttpAuthMethod, none, header, query_param, request_body)

enum class HttpFormType { api_key, bearer, basic, none };
BOOST_DESCRIBE_ENUM(HttpFormType, api_key, bearer, basic, none)

enum class HttpMethod { get, post, put };
BOOST_DESCRIBE_ENUM(HttpMethod, get, post, put)

enum class SmtpChannelSecurity { none, ssl, tls, starttls };
BOOST_DESCRIBE_ENUM(SmtpChannelSecurity, none, ssl, tls, starttls)

// The members of both channel types' details; the check below keeps each
// type to its own. Secrets are the values, not the structure: an http
// channel's auth-info maps header/parameter names (visible, reviewable) to
// credentials (redacted), the email password is redacted; so a redacted dump
// still has the shape channel.yaml requires and passes the validator.
// Open: email details allow any other member (channel.yaml).
struct ChannelDetails {
  // channel/http
  std::optional<std::string> url;
  std::optional<HttpAuthMethod> auth_method;
  std::optional<std::map<std::string, Secret<std::string>>> auth_info;
  std::optional<HttpFormType> fe_form_type;
  std::optional<HttpMethod> method;
  // channel/email
  std::optional<std::string> host;
  std::optional<std::int64_t> port;
  std::optional<SmtpChannelSecurity> security;
  std::optional<std::string> username;
  std::optional<Secret<std::string>> password;
  std::optional<std::string> from_address;
  std::optional<std::string> from_name;
  std::optional<std::string> reply_to;
  friend bool operator==(const ChannelDetails&, const ChannelDetails&) = default;
};
BOOST_DESCRIBE_STRUCT(ChannelDetails, (),
                      (url, auth_method, auth_info, fe_form_type, method, host, port, security, username, password,
                       from_address, from_name, reply_to))

struct Channel {
  std::string name;  // the natural key
  Maybe<std::string> description;
  ChannelType type;
  std::optional<ChannelDetails> details;
  std::optional<bool> active;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;  // [{id: name, model: Channel}]
  friend bool operator==(const Channel&, const Channel&) = default;
};
BOOST_DESCRIBE_STRUCT(Channel, (), (name, description, type, details, active, created_at, serdes_meta))

inline void metaport_check(const Channel& ch, metaport::Checker& c) {
  if (ch.name.empty()) c.error("name", "a channel name may not be empty (it is the channel's key)");
  if (!ch.details) return;
  const auto& d = *ch.details;
  const std::string D = "details";
  auto not_for = [&](bool set, const char* member, const char* type) {
    if (set) c.error_at({D, std::string(member)}, std::string("is not a detail of a ") + type + " channel");
  };
  if (ch.type == ChannelType::channel__http) {
    if (!d.url)
      c.error_at({D}, "an http channel needs details.url");
    else if (d.url->rfind("http://", 0) != 0 && d.url->rfind("https://", 0) != 0)
      c.error_at({D, std::string("url")}, "'" + *d.url + "' is not an http(s) URL");
    if (!d.auth_method) c.error_at({D}, "an http channel needs details.auth-method");
    const char* t = "channel/http";
    not_for(d.host.has_value(), "host", t);
    not_for(d.port.has_value(), "port", t);
    not_for(d.security.has_value(), "security", t);
    not_for(d.username.has_value(), "username", t);
    not_for(d.password.has_value(), "password", t);
    not_for(d.from_address.has_value(), "from-address", t);
    not_for(d.from_name.has_value(), "from-name", t);
    not_for(d.reply_to.has_value(), "reply-to", t);
  } else {
    const char* t = "channel/email";
    not_for(d.url.has_value(), "url", t);
    not_for(d.auth_method.has_value(), "auth-method", t);
    not_for(d.auth_info.has_value(), "auth-info", t);
    not_for(d.fe_form_type.has_value(), "fe-form-type", t);
    not_for(d.method.has_value(), "method", t);
    if (d.port && (*d.port < 1 || *d.port > 65535))
      c.error_at({D, std::string("port")}, "a TCP port is 1 to 65535, not " + std::to_string(*d.port));
  }
}

}  // namespace bi

METAPORT_OPEN(bi::ChannelDetails)
METAPORT_RENAME(bi::ChannelDetails, {"auth_method", "auth-method"}, {"auth_info", "auth-info"},
                {"fe_form_type", "fe-form-type"}, {"from_address", "from-address"}, {"from_name", "from-name"},
                {"reply_to", "reply-to"})
METAPORT_RENAME(bi::Channel, {"serdes_meta", "serdes/meta"})
METAPORT_ENUM_STYLE(bi::ChannelType, kebab_slash)
METAPORT_ENUM_STYLE(bi::HttpAuthMethod, kebab_slash)
METAPORT_ENUM_STYLE(bi::HttpFormType, kebab_slash)
METAPORT_ENUM_STYLE(bi::HttpMethod, identity)
METAPORT_ENUM_STYLE(bi::SmtpChannelSecurity, identity)

template <>
struct metaport::kind_traits<bi::Channel> : metaport::kind_defaults {
  static constexpr std::string_view name = "Channel";
  static constexpr KeyShape key_shape = KeyShape::name;
  static Key key(const bi::Channel& c) { return Key(c.name); }
  static void derive(bi::Channel& c) { c.serdes_meta.value = {bi::meta_entry("Channel", c.name)}; }
};
