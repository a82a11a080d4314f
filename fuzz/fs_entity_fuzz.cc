// Every fs kind's strict decoder (inodes, directory entries, chunks, xattrs,
// ... as the fs tree layout's files hold them) on hostile documents:
// fuzz/entity_fuzz.hpp says the properties. The first byte picks the kind,
// the rest is one YAML document.
#include "fuzz/entity_fuzz.hpp"
#include "fuzz/fuzz_target.hpp"

namespace metaport::generated {
const SchemaInfo& schema_fs();
}

void fuzz_one(std::string_view input) { fuzz::entity_fuzz_one(metaport::generated::schema_fs(), input); }
