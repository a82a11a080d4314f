// The tree layout of a schema that declares none of its own
// (docs/tree-layout.md, "Your own schema"): an entity without a parent is
// <kind>/<stem>.yaml; an entity whose Parent<K> member names an entity of
// the dump goes into that entity's folder, <parent folder>/<parent
// stem>/<kind>/<stem>.yaml, as deep as the hierarchy goes (a kind may be its
// own parent). Stems come from the naming member (`name`, `title` or
// `term`), else the key; collisions within a folder are settled by key.
//
// What index() learns is kept in a scratch database on disk, not in the
// heap (docs/memory.md): per entity its kind, key, slug and parent, then its
// folder and stem once resolved.
#pragma once
#include <memory>

#include "metaport/layout.hpp"
#include "metaport/schema.hpp"

namespace metaport::format {

std::unique_ptr<Layout> make_nested_layout(const SchemaInfo& schema);

}  // namespace metaport::format
