// Helpers shared by the store tests: entities made the way the engine makes
// them (a document decoded strictly by the kind's normalize), and id maps
// standing in for the engine's identity maps.
#pragma once
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "metaport/format/json.hpp"
#include "runtime/store/row.hpp"
#include "tests/store/test_schema.hpp"

// Readable SqlValues in test failures.
namespace metaport::store {
inline void PrintTo(const SqlValue& v, std::ostream* os) { *os << v.debug_string(); }
}  // namespace metaport::store

namespace storetest {

inline const metaport::SchemaInfo& schema() {
  static const metaport::SchemaInfo s = metaport::make_schema_info<TestSchema>();
  return s;
}

// Decodes `json` as an entity of `kind` (canonical value, unknowns kept when
// the kind or --keep-unknown allows). Fails the test on a decode error.
inline metaport::Entity entity(const std::string& kind, const std::string& json, bool keep_unknown = false) {
  const metaport::KindInfo* k = schema().find(kind);
  EXPECT_NE(k, nullptr) << kind;
  auto doc = metaport::json::parse(json);
  EXPECT_TRUE(doc.ok()) << json;
  metaport::Entity e;
  metaport::Errors errors;
  metaport::DecodeOptions opts;
  opts.keep_unknown = keep_unknown;
  EXPECT_TRUE(k->normalize(*k, *doc, opts, e, errors)) << errors.to_string();
  return e;
}

// (kind, key) <-> local id, as the engine keeps them.
struct IdMap {
  std::map<std::pair<std::string, metaport::Key>, std::int64_t> ids;
  std::map<std::pair<std::string, std::int64_t>, metaport::Key> keys;

  void add(const std::string& kind, const metaport::Key& key, std::int64_t id) {
    ids[{kind, key}] = id;
    keys[{kind, id}] = key;
  }
  metaport::store::RefResolver resolver() const {
    return [this](const std::string& kind, const metaport::Key& key) -> std::optional<std::int64_t> {
      auto it = ids.find({kind, key});
      if (it == ids.end()) return std::nullopt;
      return it->second;
    };
  }
  metaport::store::KeyLookup lookup() const {
    return [this](const std::string& kind, std::int64_t id) -> std::optional<metaport::Key> {
      auto it = keys.find({kind, id});
      if (it == keys.end()) return std::nullopt;
      return it->second;
    };
  }
};

// Order-sensitive text of an entity: what a dump would see.
inline std::string canonical(const metaport::Entity& e) {
  std::string s = e.key.str() + " " + metaport::json::write(e.value);
  for (const auto& u : e.unknowns) s += " +" + metaport::path_to_string(u.path) + "=" + metaport::json::write(u.value);
  return s;
}

// Sample documents, one per kind; `n` varies keys and contents.
inline std::string eid(int n, char tag = 'x') {
  std::string s = std::to_string(n);
  return std::string(1, tag) + std::string(20 - s.size(), '0') + s;  // 21 chars of the NanoID alphabet
}

}  // namespace storetest
