// What the derive hooks read from a pMBQL query document (common/query.yaml):
//   {"lib/type": "mbql/query", database: <Database name>,
//    stages: [{"lib/type": "mbql.stage/mbql" | "mbql.stage/native", ...}, ...]}
// Queries themselves stay free-form documents: MBQL has some hundred clause
// types and grows every release, and a typed model of it would turn every
// new clause into a load failure. The walker (walker.hpp) finds the
// references inside them.
#pragma once
#include <optional>
#include <string>

#include "entities/bi/common.hpp"

namespace bi::query {

// The database a query runs on (its `database`), if it names one.
inline std::optional<std::string> database_of(const metaport::Document& q) {
  const auto* db = q.find("database");
  if (!db || !db->is_string() || db->as_string().empty()) return std::nullopt;
  return db->as_string();
}

inline const metaport::Document* first_stage(const metaport::Document& q) {
  const auto* stages = q.find("stages");
  if (!stages || !stages->is_array() || stages->size() == 0) return nullptr;
  return &stages->as_array()[0];
}

// "native" when the query starts with a native (SQL) stage, "query" for MBQL.
enum class Language { mbql, native };
inline std::optional<Language> language_of(const metaport::Document& q) {
  const auto* stage = first_stage(q);
  if (!stage) return std::nullopt;
  const auto* type = stage->find("lib/type");
  if (!type || !type->is_string()) return std::nullopt;
  if (type->as_string() == "mbql.stage/native") return Language::native;
  if (type->as_string() == "mbql.stage/mbql") return Language::mbql;
  return std::nullopt;
}

// A Table FK [database, schema|null, table], as a key.
inline std::optional<Key> table_key_of(const metaport::Document& v) {
  if (!v.is_array() || v.size() != 3) return std::nullopt;
  const auto& a = v.as_array();
  if (!a[0].is_string() || !a[2].is_string() || !(a[1].is_string() || a[1].is_null())) return std::nullopt;
  Key k(a[0].as_string());
  k.parts.push_back(a[1].is_null() ? std::nullopt : std::optional<std::string>(a[1].as_string()));
  k.parts.emplace_back(a[2].as_string());
  return k;
}

// A Field FK [database, schema|null, table, field, nested...], as a key.
inline std::optional<Key> field_key_of(const metaport::Document& v) {
  if (!v.is_array() || v.size() < 4) return std::nullopt;
  const auto& a = v.as_array();
  Key k;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i == 1 && a[i].is_null()) {
      k.parts.emplace_back(std::nullopt);
      continue;
    }
    if (!a[i].is_string()) return std::nullopt;
    k.parts.emplace_back(a[i].as_string());
  }
  return k;
}

// The table of the first stage (`source-table`), as segments and measures
// name it.
inline std::optional<Key> source_table_of(const metaport::Document& q) {
  const auto* stage = first_stage(q);
  if (!stage) return std::nullopt;
  const auto* t = stage->find("source-table");
  return t ? table_key_of(*t) : std::nullopt;
}

}  // namespace bi::query
