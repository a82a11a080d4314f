// What an entity looks like in a dump: the canonical document with secrets
// replaced by the redaction marker (unless --keep-secrets) and the kept
// unknown members put back where they were. Plain code over TypeDesc.
#pragma once
#include <utility>
#include <vector>

#include "metaport/codec.hpp"
#include "metaport/entity.hpp"
#include "metaport/kind_info.hpp"
#include "metaport/secret_walk.hpp"

namespace metaport::engine {

// Where a document of `kind` (as read, with its marks) holds a secret in
// clear: neither null, nor the redaction marker, nor sealed. For the warning
// that a dump not written with --keep-secrets carries one (a pasted credential).
inline std::vector<std::pair<FieldPath, Mark>> clear_secrets(const KindInfo& kind, const Value& doc) {
  std::vector<std::pair<FieldPath, Mark>> out;
  for_each_secret(kind, doc, [&](const Value& v, const FieldPath& path) {
    const bool hidden = v.is_null() || (v.is_string() && (v.as_string() == kRedacted ||
                                                           v.as_string().rfind("sealed:v1:", 0) == 0));
    if (!hidden) out.emplace_back(path, v.mark);
  });
  return out;
}

// True when some member of the kind is (or holds) a secret.
inline bool kind_has_secrets(const KindInfo& k) {
  for (const auto& f : k.fields)
    if (f.type.holds_secret()) return true;
  return false;
}

inline Value present(const Entity& e, bool keep_secrets) {
  Value doc = e.value;
  if (!keep_secrets)
    for_each_secret(*e.kind, doc, [](Value& v, const FieldPath&) {
      if (!v.is_null()) v = Value(kRedacted);
    });
  // Unknown members of kinds whose members include secrets are carried as
  // they came (they are not known to be secrets).
  if (!e.unknowns.empty()) apply_unknowns(doc, e.unknowns);
  return doc;
}

// The same without a copy when there is nothing to change (no unknowns, and
// secrets kept or none in the kind, `has_secrets` = kind_has_secrets(kind)):
// e.value itself, else present() built in `scratch`. Copying every document
// was a fifth of a dump's time.
inline const Value& present(const Entity& e, bool keep_secrets, bool has_secrets, Value& scratch) {
  if (e.unknowns.empty() && (keep_secrets || !has_secrets)) return e.value;
  scratch = present(e, keep_secrets);
  return scratch;
}

}  // namespace metaport::engine
