// NativeQuerySnippet: a reusable SQL fragment, inlined where a native query
// says {{snippet: Name}}. Lives in the snippets namespace of collections.
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

struct NativeQuerySnippet {
  std::string name;  // what {{snippet: Name}} refers to
  Maybe<std::string> description;
  EntityId entity_id;
  Ref<User> creator_id;
  std::string content;  // the SQL, kept byte for byte
  std::optional<bool> archived;
  Maybe<Parent<Collection>> collection_id;  // a snippets-namespace collection; null: its root
  // Template tags of the fragment (a snippet may use other snippets): walked
  // like a native query's template-tags.
  std::optional<metaport::Document> template_tags;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const NativeQuerySnippet&, const NativeQuerySnippet&) = default;
};
BOOST_DESCRIBE_STRUCT(NativeQuerySnippet, (),
                      (name, description, entity_id, creator_id, content, archived, collection_id, template_tags,
                       created_at, serdes_meta))

inline void metaport_check(const NativeQuerySnippet& s, metaport::Checker& c) {
  check_user_ref(c, "creator_id", s.creator_id);
  check_map(c, "template_tags", s.template_tags);
}

}  // namespace bi

METAPORT_RENAME(bi::NativeQuerySnippet, {"serdes_meta", "serdes/meta"})

template <>
struct metaport::kind_traits<bi::NativeQuerySnippet> : metaport::kind_defaults {
  static constexpr std::string_view name = "NativeQuerySnippet";
  static void derive(bi::NativeQuerySnippet& s) {
    bi::derive_self_path(s.serdes_meta.value, "NativeQuerySnippet", s.entity_id, s.name);
  }
};
