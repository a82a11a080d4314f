// The property every kind's strict decoder must have, for any schema: on a
// hostile document it never crashes and fails with errors that say why; what
// decodes is a fixpoint (its canonical document decodes to itself, through
// YAML and JSON text too); the reference walker finds references in it
// without crashing. bi_entity_fuzz and fs_entity_fuzz run it on their schema.
#pragma once
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "metaport/format/json.hpp"
#include "metaport/format/yaml_reader.hpp"
#include "metaport/format/yaml_writer.hpp"
#include "metaport/schema.hpp"

namespace fuzz {
[[noreturn]] inline void fail(const char* what, const metaport::Value& a, const metaport::Value& b) {
  std::fprintf(stderr, "%s\nfirst:  %s\nsecond: %s\n", what, metaport::json::write(a).c_str(), metaport::json::write(b).c_str());
  std::abort();
}
// Equal documents, as Value's == says, except that a NaN (`.nan` in YAML)
// equals itself here. Not by comparing the YAML texts: the writer spells a
// byte that is not UTF-8 as the character of the same number, so two
// different strings can write the same text (that hid the NEL that yaml-cpp
// decoded to a lone byte: fuzz/corpus/fs_entity_fuzz/crash-56ceae51...).
inline bool same(const metaport::Value& a, const metaport::Value& b) {
  using T = metaport::Value::Type;
  if (a.type() != b.type() || (a.type() != T::Double && a.type() != T::Array && a.type() != T::Object)) return a == b;
  if (a.type() == T::Double) return a == b || (std::isnan(a.as_double()) && std::isnan(b.as_double()));
  if (a.size() != b.size()) return false;
  if (a.type() == T::Array) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same(a.as_array()[i], b.as_array()[i])) return false;
    return true;
  }
  for (const auto& [k, v] : a.as_object()) {
    const metaport::Value* w = b.find(k);
    if (!w || !same(v, *w)) return false;
  }
  return true;
}
inline bool decode(const metaport::KindInfo& k, const metaport::Value& doc, metaport::Entity& out) {
  metaport::Errors errors;
  const bool ok = k.normalize(k, doc, metaport::DecodeOptions{}, out, errors);
  if (!ok && errors.list().empty()) std::abort();  // a failure says why
  return ok;
}
// A decoded entity: its canonical document decodes to itself, directly and
// through its YAML and JSON text.
inline void check_fixpoint(const metaport::KindInfo& kind, const metaport::Entity& e) {
  using namespace metaport;
  Entity again;
  if (!decode(kind, e.value, again)) fail("the canonical document does not decode", e.value, Value());
  if (!same(again.value, e.value) || !(again.key == e.key)) fail("decoding is not a fixpoint", e.value, again.value);
  auto from_yaml = yaml::parse(yaml::write(e.value));
  Entity via_yaml;
  if (!from_yaml || !decode(kind, *from_yaml, via_yaml)) fail("its YAML does not decode", e.value, Value());
  if (!same(via_yaml.value, e.value)) fail("its YAML decodes to another document", e.value, via_yaml.value);
  // JSON has no NaN or infinity: a jsonl dump refuses a document holding
  // one, naming the field json::find_non_finite finds (dump_format.cpp), and
  // YAML spells it. The JSON leg is for the other documents.
  if (auto bad = json::find_non_finite(e.value)) {
    const std::string as_yaml = yaml::write(e.value);
    if (as_yaml.find(".nan") == std::string::npos && as_yaml.find(".inf") == std::string::npos)
      fail("a NaN or infinity that the YAML text does not spell", e.value, Value(bad->path));
    return;
  }
  auto from_json = json::parse(json::write(e.value));
  Entity via_json;
  if (!from_json || !decode(kind, *from_json, via_json)) fail("its JSON does not decode", e.value, Value());
  if (!same(via_json.value, e.value)) fail("its JSON decodes to another document", e.value, via_json.value);
}
// The first byte picks the kind (schema order), the rest is one YAML
// document, as a tree file holds it.
inline void entity_fuzz_one(const metaport::SchemaInfo& schema, std::string_view input) {
  using namespace metaport;
  if (input.empty()) return;
  const KindInfo& kind = *schema.kinds[static_cast<unsigned char>(input[0]) % schema.kinds.size()];
  auto doc = yaml::parse(input.substr(1));
  if (!doc) return;
  Entity e;
  if (!decode(kind, *doc, e)) return;
  schema.refs(e, [](const FoundRef&) {});
  check_fixpoint(kind, e);
}
}  // namespace fuzz
