// A small schema for the store tests: four kinds that together use every
// member type a column can hold, a self reference (Folder.parent), a cycle
// through nullable references (Item.board <-> Board.cover), a path-keyed kind
// with a nullable key part (Account), secrets, derived members, an open
// nested struct, and members whose on-disk names are not SQL-safe
// ("display/options", "source-table") or are SQL keywords ("order").
#pragma once
#include <boost/mp11.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "metaport/metaport.hpp"

namespace storetest {

using metaport::Document;
using metaport::EntityId;
using metaport::Maybe;
using metaport::Nullable;
using metaport::Parent;
using metaport::Ref;
using metaport::Secret;
using metaport::Timestamp;

enum class Shape { circle, square, big_triangle };
BOOST_DESCRIBE_ENUM(Shape, circle, square, big_triangle)

struct Item;
struct Board;

struct Folder {
  EntityId entity_id;
  std::string name;
  Maybe<Ref<Folder>> parent;  // self reference
  std::optional<std::string> description;
  Document settings;
};
BOOST_DESCRIBE_STRUCT(Folder, (), (entity_id, name, parent, description, settings))

// Keyed by [realm, login] or [login]: realm may be absent or null.
struct Account {
  Maybe<std::string> realm;
  std::string login;
  bool active = false;
  std::int64_t quota = 0;
  Secret<std::string> api_token;
  Maybe<Secret<std::string>> password;
};
BOOST_DESCRIBE_STRUCT(Account, (), (realm, login, active, quota, api_token, password))

// A nested struct that keeps unknown members (METAPORT_OPEN below).
struct Options {
  bool compact = false;
  Maybe<std::string> label;
  std::vector<Ref<Item>> related;  // nested references stay portable keys
};
BOOST_DESCRIBE_STRUCT(Options, (), (compact, label, related))

struct Item {
  EntityId entity_id;
  std::string name;
  Parent<Folder> folder;    // required reference: NOT NULL foreign key
  Ref<Account> owner;       // reference to a path-keyed kind
  Maybe<Ref<Board>> board;  // Item -> Board -> Item cycle, nullable
  Shape shape = Shape::circle;
  double score = 0;
  std::int64_t size = 0;
  metaport::Derived<std::int64_t> tag_count;  // = tags.size()
  Timestamp created_at;
  std::vector<std::string> tags;
  std::map<std::string, std::int64_t> counters;
  Options options;
  Maybe<Document> visualization;
  std::vector<Ref<Item>> see_also;
  std::optional<bool> pinned;
  Nullable<std::int64_t> position;
  Nullable<double> ratio;
  Maybe<std::string> source_table;
};
BOOST_DESCRIBE_STRUCT(Item, (),
                      (entity_id, name, folder, owner, board, shape, score, size, tag_count, created_at, tags,
                       counters, options, visualization, see_also, pinned, position, ratio, source_table))

struct Board {
  EntityId entity_id;
  std::string name;
  Maybe<Ref<Item>> cover;  // closes the cycle
  Maybe<Ref<Folder>> folder;
  std::int64_t order_ = 0;  // "order" on disk: an SQL keyword
};
BOOST_DESCRIBE_STRUCT(Board, (), (entity_id, name, cover, folder, order_))

struct TestSchema {
  static constexpr std::string_view name = "storetest";
  static constexpr int version = 1;
  using kinds = boost::mp11::mp_list<Folder, Account, Item, Board>;
};

}  // namespace storetest

METAPORT_ENUM_STYLE(storetest::Shape, kebab_slash)
METAPORT_OPEN(storetest::Options)
METAPORT_RENAME(storetest::Item, {"options", "display/options"}, {"source_table", "source-table"})
METAPORT_KIND(storetest::Folder, "Folder")
METAPORT_KIND(storetest::Board, "Board")

template <>
struct metaport::kind_traits<storetest::Item> : metaport::kind_defaults {
  static constexpr std::string_view name = "Item";
  static void derive(storetest::Item& i) { i.tag_count = static_cast<std::int64_t>(i.tags.size()); }
};

template <>
struct metaport::kind_traits<storetest::Account> : metaport::kind_defaults {
  static constexpr std::string_view name = "Account";
  static constexpr metaport::KeyShape key_shape = metaport::KeyShape::path;
  static constexpr std::size_t key_min = 1;
  static constexpr std::size_t key_max = 2;
  static constexpr std::uint32_t key_nullable_parts = 1;  // the realm
  static metaport::Key key(const storetest::Account& a) {
    if (!a.realm) return metaport::Key{a.login};
    metaport::Key k;
    k.parts.emplace_back(a.realm->is_null() ? std::nullopt : std::optional<std::string>(**a.realm));
    k.parts.emplace_back(a.login);
    return k;
  }
};
