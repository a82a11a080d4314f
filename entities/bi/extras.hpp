// What the bi schema adds to the generic command line (runtime/cli): sample
// data (`metaport bi seed STORE [--size N]`) and the demo (`metaport demo`).
// The generated main of //entities/bi:metaport_bi calls bi::extras().
#pragma once
#include <string>
#include <vector>

#include "metaport/schema.hpp"
#include "runtime/cli/cli.hpp"

namespace bi {

metaport::cli::SchemaExtras extras();

// The main job on SQLite, in a work folder (args[0], default ./metaport-demo):
// seed a staging store, dump it to a tree, load the tree into an empty
// production store, change two things in staging, show the diff, carry the
// change to production with --mode update, and check that both trees end
// identical. Returns 0 on success, 1 when anything differs or fails, 2 on a
// usage problem (an unusable work folder).
int demo(const metaport::SchemaInfo& schema, const std::vector<std::string>& args);

}  // namespace bi
