// Collection: a folder of content. `parent_id` places it in its parent
// collection (absent or null: a root collection of its namespace); the
// namespace decides the tree it lives in (main, snippets, transforms).
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

enum class CollectionType {
  instance_analytics,
  library,
  library_data,
  library_metrics,
  trash,
  tenant_specific_root_collection
};
BOOST_DESCRIBE_ENUM(CollectionType, instance_analytics, library, library_data, library_metrics, trash,
                    tenant_specific_root_collection)

enum class CollectionNamespace { transforms, snippets, shared_tenant_collection, tenant_specific };
BOOST_DESCRIBE_ENUM(CollectionNamespace, transforms, snippets, shared_tenant_collection, tenant_specific)

enum class AuthorityLevel { official };
BOOST_DESCRIBE_ENUM(AuthorityLevel, official)

struct Collection {
  std::string name;
  Maybe<std::string> description;
  EntityId entity_id;
  std::optional<std::string> slug;
  std::optional<bool> archived;
  Maybe<bool> archived_directly;
  Maybe<CollectionType> type;
  Maybe<CollectionNamespace> namespace_;  // null: the main namespace
  Maybe<AuthorityLevel> authority_level;
  Maybe<std::string> archive_operation_id;
  std::optional<bool> is_remote_synced;
  std::optional<bool> is_sample;
  Maybe<Parent<Collection>> parent_id;
  Maybe<Ref<User>> personal_owner_id;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const Collection&, const Collection&) = default;
};
BOOST_DESCRIBE_STRUCT(Collection, (),
                      (name, description, entity_id, slug, archived, archived_directly, type, namespace_,
                       authority_level, archive_operation_id, is_remote_synced, is_sample, parent_id, personal_owner_id,
                       created_at, serdes_meta))

inline void metaport_check(const Collection& col, metaport::Checker& c) {
  if (col.parent_id && col.parent_id->has_value() && (**col.parent_id).key.first() == col.entity_id.str())
    c.error("parent_id", "a collection cannot be its own parent");
  check_user_ref(c, "personal_owner_id", col.personal_owner_id);
}

}  // namespace bi

METAPORT_RENAME(bi::Collection, {"serdes_meta", "serdes/meta"})
METAPORT_ENUM_STYLE(bi::CollectionType, kebab_slash)
METAPORT_ENUM_STYLE(bi::CollectionNamespace, kebab_slash)
METAPORT_ENUM_STYLE(bi::AuthorityLevel, identity)

template <>
struct metaport::kind_traits<bi::Collection> : metaport::kind_defaults {
  static constexpr std::string_view name = "Collection";
  static void derive(bi::Collection& c) {
    // Metabase labels a collection with its slug (the slug column), else
    // with the slug of its name.
    if (c.slug) bi::derive_self_path_with_label(c.serdes_meta.value, "Collection", c.entity_id, *c.slug);
    else bi::derive_self_path(c.serdes_meta.value, "Collection", c.entity_id, c.name);
  }
};
