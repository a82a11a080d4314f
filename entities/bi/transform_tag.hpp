// TransformTag: a label on transforms; transform jobs run the transforms
// that carry one of their tags. Lives in transforms/transform_tags/.
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

struct TransformTag {
  EntityId entity_id;
  std::string name;
  Maybe<BuiltInType> built_in_type;  // null: a custom tag
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const TransformTag&, const TransformTag&) = default;
};
BOOST_DESCRIBE_STRUCT(TransformTag, (), (entity_id, name, built_in_type, created_at, serdes_meta))

}  // namespace bi

METAPORT_RENAME(bi::TransformTag, {"serdes_meta", "serdes/meta"})

template <>
struct metaport::kind_traits<bi::TransformTag> : metaport::kind_defaults {
  static constexpr std::string_view name = "TransformTag";
  static void derive(bi::TransformTag& t) {
    bi::derive_self_path(t.serdes_meta.value, "TransformTag", t.entity_id, t.name);
  }
};
