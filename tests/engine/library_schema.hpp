// A small schema that exercises every engine rule without the size of `bi`:
// a store-only kind referenced by name (Author, like users), a kind that
// contains itself (Shelf), references in columns, in nested lists and in a
// free-form document (found by the walker), a cycle through a column and a
// list (Book.series <-> Series.books), a secret, and an open kind.
#pragma once
#include <boost/mp11.hpp>
#include <optional>
#include <string>
#include <vector>

#include "metaport/metaport.hpp"

namespace lib {
using metaport::Document;
using metaport::EntityId;
using metaport::Maybe;
using metaport::Nullable;
using metaport::Parent;
using metaport::Ref;
using metaport::Secret;
using metaport::Timestamp;

struct Author {
  std::string email;
  std::string name;
};
BOOST_DESCRIBE_STRUCT(Author, (), (email, name))

struct Shelf {
  EntityId entity_id;
  std::string name;
  Maybe<Parent<Shelf>> parent_id;
  Maybe<std::string> description;
};
BOOST_DESCRIBE_STRUCT(Shelf, (), (entity_id, name, parent_id, description))

struct Book;
struct Series;

struct Chapter {
  std::string title;
  std::optional<Ref<Book>> see_also;
};
BOOST_DESCRIBE_STRUCT(Chapter, (), (title, see_also))

enum class Format { hardcover, paperback, e_book };
BOOST_DESCRIBE_ENUM(Format, hardcover, paperback, e_book)

struct Book {
  EntityId entity_id;
  std::string title;
  Ref<Author> author;
  Maybe<Parent<Shelf>> shelf_id;
  Maybe<Ref<Series>> series_id;
  std::optional<Format> format;
  std::optional<std::vector<Chapter>> chapters;
  std::optional<Document> notes;  // {"see": [entity ids]} references found by the walker
  std::optional<Secret<std::string>> license_key;
  std::optional<Timestamp> created_at;
  std::optional<metaport::Derived<std::int64_t>> chapter_count;
};
BOOST_DESCRIBE_STRUCT(Book, (), (entity_id, title, author, shelf_id, series_id, format, chapters, notes, license_key,
                                 created_at, chapter_count))

struct Series {
  EntityId entity_id;
  std::string name;
  std::vector<Ref<Book>> books;
};
BOOST_DESCRIBE_STRUCT(Series, (), (entity_id, name, books))

// Open: members it does not declare are kept as they are.
struct Label {
  std::string name;
  Maybe<std::string> color;
};
BOOST_DESCRIBE_STRUCT(Label, (), (name, color))

}  // namespace lib

METAPORT_ENUM_STYLE(lib::Format, kebab_slash)

template <>
struct metaport::kind_traits<lib::Author> : metaport::kind_defaults {
  static constexpr std::string_view name = "Author";
  static constexpr bool dumped = false;
  static constexpr KeyShape key_shape = KeyShape::name;
  static Key key(const lib::Author& a) { return Key(a.email); }
};
METAPORT_KIND(lib::Shelf, "Shelf")
METAPORT_KIND(lib::Series, "Series")
template <>
struct metaport::kind_traits<lib::Book> : metaport::kind_defaults {
  static constexpr std::string_view name = "Book";
  static void derive(lib::Book& b) {
    if (b.chapters) b.chapter_count = metaport::Derived<std::int64_t>(static_cast<std::int64_t>(b.chapters->size()));
    else b.chapter_count.reset();
  }
};
template <>
struct metaport::kind_traits<lib::Label> : metaport::kind_defaults {
  static constexpr std::string_view name = "Label";
  static constexpr bool open = true;
  static constexpr KeyShape key_shape = KeyShape::name;
  static Key key(const lib::Label& l) { return Key(l.name); }
};

namespace lib {
struct Schema {
  static constexpr std::string_view name = "lib";
  static constexpr int version = 1;
  using kinds = boost::mp11::mp_list<Author, Shelf, Book, Series, Label>;
  static constexpr std::string_view user_kind = "Author";
  static constexpr std::string_view scope_kind = "Shelf";

  // notes: {"see": ["<book entity_id>", ...]}
  static void document_refs(const metaport::Entity& e, const metaport::RefSink& sink) {
    if (e.kind->name != "Book") return;
    const metaport::Value* notes = e.value.find("notes");
    if (!notes) return;
    const metaport::Value* see = notes->find("see");
    if (!see || !see->is_array()) return;
    for (std::size_t i = 0; i < see->size(); ++i) {
      const auto& v = see->as_array()[i];
      if (!v.is_string()) continue;
      metaport::FoundRef r;
      r.kind = "Book";
      r.key = metaport::Key(v.as_string());
      r.path = {std::string("notes"), std::string("see"), i};
      sink(r);
    }
  }
  static metaport::StubPolicy stub_policy(std::string_view kind) {
    return kind == "Author" ? metaport::StubPolicy::always : metaport::StubPolicy::never;
  }
  static std::optional<metaport::Value> make_stub(std::string_view kind, const metaport::Key& key) {
    if (kind != "Author") return std::nullopt;
    metaport::Value v = metaport::Value::object();
    v.set("email", key.first());
    v.set("name", "(placeholder) " + key.first());
    return v;
  }
};
}  // namespace lib
