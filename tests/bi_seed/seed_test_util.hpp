// Shared by the bi sample-data tests: the bi SchemaInfo (the generated
// registration unit, the one the metaport_bi binary uses) and a seeded
// sample collected in memory.
#pragma once
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "entities/bi/seed.hpp"
#include "metaport/format/json.hpp"
#include "metaport/schema.hpp"

namespace metaport::generated {
const metaport::SchemaInfo& schema_bi();  // //entities/bi:bi
}

namespace bi::seed_testing {

struct Sample {
  std::vector<std::pair<std::string, metaport::Value>> docs;  // in emission order
  std::map<std::string, std::size_t> counts;                   // per kind
  std::size_t total() const { return docs.size(); }
};

inline Sample collect(std::size_t size) {
  Sample s;
  auto st = bi::seed(size, [&](const std::string& kind, metaport::Value doc) -> metaport::Status {
    ++s.counts[kind];
    s.docs.emplace_back(kind, std::move(doc));
    return metaport::ok_status();
  });
  EXPECT_TRUE(st.ok()) << st.errors().to_string();
  return s;
}

// Strictly decodes every document (unknown members are errors) and returns
// the entities; each failure is a test failure naming the kind and the
// first bytes of the document.
inline std::vector<metaport::Entity> normalize_all(const Sample& s, std::size_t* failures = nullptr) {
  const auto& schema = metaport::generated::schema_bi();
  std::vector<metaport::Entity> out;
  out.reserve(s.docs.size());
  std::size_t bad = 0;
  for (const auto& [kind, doc] : s.docs) {
    const metaport::KindInfo* k = schema.find(kind);
    if (!k) {
      ADD_FAILURE() << "unknown kind " << kind;
      ++bad;
      continue;
    }
    metaport::Entity e;
    metaport::Errors errors;
    if (!k->normalize(*k, doc, {}, e, errors)) {
      if (++bad <= 5)
        ADD_FAILURE() << kind << " does not decode:\n" << errors.to_string() << metaport::json::write(doc).substr(0, 400);
      continue;
    }
    out.push_back(std::move(e));
  }
  if (failures) *failures = bad;
  return out;
}

}  // namespace bi::seed_testing
