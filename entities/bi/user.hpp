// User: the people content is attributed to (creator_id, made_public_by_id,
// personal collections). Metabase does not export users; every reference is
// by email. The kind lives in stores only (dumped = false) so that a load can
// resolve, create as placeholders, or remap (--user) the users a dump names.
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

struct User {
  std::string email;  // the natural key
  Maybe<std::string> first_name;
  Maybe<std::string> last_name;
  friend bool operator==(const User&, const User&) = default;
};
BOOST_DESCRIBE_STRUCT(User, (), (email, first_name, last_name))

inline void metaport_check(const User& u, metaport::Checker& c) {
  if (!is_email(u.email)) c.error("email", "'" + u.email + "' is not an email address");
}

}  // namespace bi

template <>
struct metaport::kind_traits<bi::User> : metaport::kind_defaults {
  static constexpr std::string_view name = "User";
  static constexpr bool dumped = false;
  static constexpr KeyShape key_shape = KeyShape::name;
  static Key key(const bi::User& u) { return Key(u.email); }
};
