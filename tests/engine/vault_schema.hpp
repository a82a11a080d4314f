// A catalog of services whose credentials sit at every depth: a secret in a
// nested struct, in an optional nested struct, in a list of structs, as the
// values of a map, and at the top level. The shape of issue #9's report
// (a DatabaseService whose Connection holds the password).
#pragma once
#include <boost/mp11.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "metaport/metaport.hpp"

namespace vault {
using metaport::Maybe;
using metaport::Secret;

struct Connection {
  std::string host;
  std::int64_t port = 0;
  std::string user;
  Secret<std::string> password;
  std::optional<Secret<std::string>> ssl_key;
};
BOOST_DESCRIBE_STRUCT(Connection, (), (host, port, user, password, ssl_key))

struct Credential {
  std::string name;
  Secret<std::string> token;
};
BOOST_DESCRIBE_STRUCT(Credential, (), (name, token))

struct Service {
  std::string name;
  Maybe<std::string> description;
  Connection connection;
  std::optional<Connection> replica;
  std::optional<std::vector<Credential>> credentials;
  std::optional<std::map<std::string, Secret<std::string>>> headers;
  std::optional<Secret<std::string>> api_key;
};
BOOST_DESCRIBE_STRUCT(Service, (), (name, description, connection, replica, credentials, headers, api_key))

}  // namespace vault

template <>
struct metaport::kind_traits<vault::Service> : metaport::kind_defaults {
  static constexpr std::string_view name = "Service";
  static constexpr KeyShape key_shape = KeyShape::name;
  static Key key(const vault::Service& s) { return Key(s.name); }
};

namespace vault {
struct Schema {
  static constexpr std::string_view name = "vault";
  static constexpr int version = 1;
  using kinds = boost::mp11::mp_list<Service>;
};
}  // namespace vault
