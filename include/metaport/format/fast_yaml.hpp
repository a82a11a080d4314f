// Fast reader for the canonical YAML subset that yaml_writer.hpp produces.
// Returns nullopt for anything outside that subset, and the caller falls back
// to yaml-cpp; so it must never return a *different* Value than yaml-cpp
// would for the same text (tests/format/fast_yaml_test checks both agree).
#pragma once
#include <optional>
#include <string_view>

#include "metaport/value.hpp"

namespace metaport::yaml::fast {

// Placeholder until the fast path lands: always defer to yaml-cpp.
inline std::optional<Value> try_parse(std::string_view) { return std::nullopt; }

}  // namespace metaport::yaml::fast
