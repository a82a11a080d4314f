// A downstream service's own metadata: notebooks and the notes in them.
// Declared once; metaport_schema() in BUILD.bazel generates the rest.
#pragma once
#include <metaport/metaport.hpp>

#include <boost/mp11.hpp>

namespace notes {

struct Notebook {
  metaport::EntityId entity_id;
  std::string name;
  metaport::Maybe<std::string> description;
};
BOOST_DESCRIBE_STRUCT(Notebook, (), (entity_id, name, description))

struct Note {
  metaport::EntityId entity_id;
  std::string title;
  metaport::Parent<Notebook> notebook_id;
  std::string body;
  metaport::Maybe<metaport::Ref<Note>> replies_to;
  std::optional<std::vector<std::string>> tags;
};
BOOST_DESCRIBE_STRUCT(Note, (), (entity_id, title, notebook_id, body, replies_to, tags))

struct Schema {
  static constexpr std::string_view name = "notes";
  static constexpr int version = 1;
  using kinds = boost::mp11::mp_list<Notebook, Note>;
};

}  // namespace notes

METAPORT_KIND(notes::Notebook, "Notebook")
METAPORT_KIND(notes::Note, "Note")
