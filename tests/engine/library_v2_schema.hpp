// The `lib` schema one version later, compiled beside version 1 (as ODB's
// evolution tests compile the same model at each version): Shelf's
// `description` is renamed `summary`, Book gains a required `language`
// (default "en" for old documents), Label drops `color`.
#pragma once
#include "tests/engine/library_schema.hpp"

namespace lib2 {
using namespace lib;  // the kinds that did not change

struct Shelf {
  EntityId entity_id;
  std::string name;
  Maybe<Parent<Shelf>> parent_id;
  Maybe<std::string> summary;
};
BOOST_DESCRIBE_STRUCT(Shelf, (), (entity_id, name, parent_id, summary))

struct Book {
  EntityId entity_id;
  std::string title;
  Ref<Author> author;
  Maybe<Parent<Shelf>> shelf_id;
  Maybe<Ref<lib::Series>> series_id;
  std::optional<Format> format;
  std::optional<std::vector<Chapter>> chapters;
  std::optional<Document> notes;
  std::optional<Secret<std::string>> license_key;
  std::optional<Timestamp> created_at;
  std::optional<metaport::Derived<std::int64_t>> chapter_count;
  std::string language;
};
BOOST_DESCRIBE_STRUCT(Book, (), (entity_id, title, author, shelf_id, series_id, format, chapters, notes, license_key,
                                 created_at, chapter_count, language))

struct Label {
  std::string name;
};
BOOST_DESCRIBE_STRUCT(Label, (), (name))

}  // namespace lib2

METAPORT_KIND(lib2::Shelf, "Shelf")
template <>
struct metaport::kind_traits<lib2::Book> : metaport::kind_defaults {
  static constexpr std::string_view name = "Book";
  static void derive(lib2::Book& b) {
    if (b.chapters) b.chapter_count = metaport::Derived<std::int64_t>(static_cast<std::int64_t>(b.chapters->size()));
    else b.chapter_count.reset();
  }
};
template <>
struct metaport::kind_traits<lib2::Label> : metaport::kind_defaults {
  static constexpr std::string_view name = "Label";
  static constexpr bool open = true;
  static constexpr KeyShape key_shape = KeyShape::name;
  static Key key(const lib2::Label& l) { return Key(l.name); }
};

namespace lib2 {
struct Schema : lib::Schema {
  static constexpr int version = 2;
  static constexpr int oldest_version = 1;
  using kinds = boost::mp11::mp_list<lib::Author, Shelf, Book, lib::Series, Label>;
  static std::vector<metaport::UpgradeStep> upgrade_steps() {
    return {
        metaport::rename_field(1, "Shelf", "description", "summary"),
        metaport::add_field(1, "Book", "language", metaport::Value("en")),
        metaport::drop_field(1, "Label", "color"),
    };
  }
};
}  // namespace lib2
