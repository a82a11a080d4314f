// Action: a write-back action (a parameterised query, an HTTP call, or an
// implicit create/update/delete) attached to a model card. Open kind
// (action.yaml allows any other member): what is not declared here is kept.
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

// The query of a query action. Open like its owner.
struct ActionQuery {
  Maybe<Ref<Database>> database_id;
  std::optional<metaport::Document> dataset_query;  // pMBQL; references found by the walker
  friend bool operator==(const ActionQuery&, const ActionQuery&) = default;
};
BOOST_DESCRIBE_STRUCT(ActionQuery, (), (database_id, dataset_query))

struct Action {
  std::string name;
  Maybe<std::string> description;
  EntityId entity_id;
  std::string type;           // query, http, implicit (a string in action.yaml)
  Maybe<Ref<Card>> model_id;  // the model the action belongs to
  Maybe<Parent<Collection>> collection_id;
  std::optional<Ref<User>> creator_id;
  Maybe<Ref<User>> made_public_by_id;
  Maybe<std::string> public_uuid;
  std::optional<bool> archived;
  std::optional<bool> archived_directly;
  std::optional<metaport::Document> parameters;  // action parameters differ from filter parameters
  Maybe<metaport::Document> parameter_mappings;
  Maybe<metaport::Document> visualization_settings;
  std::optional<std::vector<ActionQuery>> query;
  std::optional<metaport::Document> http;
  std::optional<metaport::Document> implicit;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const Action&, const Action&) = default;
};
BOOST_DESCRIBE_STRUCT(Action, (),
                      (name, description, entity_id, type, model_id, collection_id, creator_id, made_public_by_id,
                       public_uuid, archived, archived_directly, parameters, parameter_mappings, visualization_settings,
                       query, http, implicit, created_at, serdes_meta))

inline void metaport_check(const Action& a, metaport::Checker& c) {
  check_user_ref(c, "creator_id", a.creator_id);
  check_user_ref(c, "made_public_by_id", a.made_public_by_id);
  check_uuid(c, "public_uuid", a.public_uuid);
  check_map(c, "visualization_settings", a.visualization_settings);
}

}  // namespace bi

METAPORT_OPEN(bi::ActionQuery)
METAPORT_RENAME(bi::Action, {"serdes_meta", "serdes/meta"})

template <>
struct metaport::kind_traits<bi::Action> : metaport::kind_defaults {
  static constexpr std::string_view name = "Action";
  static constexpr bool open = true;
  static void derive(bi::Action& a) { bi::derive_self_path(a.serdes_meta.value, "Action", a.entity_id, a.name); }
};
