// Every bi kind's strict decoder (the codec, the semantic checks, derive,
// the reference walker) on hostile documents: fuzz/entity_fuzz.hpp says the
// properties. The first byte picks the kind, the rest is one YAML document.
#include "fuzz/bi_schema.hpp"
#include "fuzz/entity_fuzz.hpp"
#include "fuzz/fuzz_target.hpp"

void fuzz_one(std::string_view input) { fuzz::entity_fuzz_one(fuzz::bi_schema(), input); }
