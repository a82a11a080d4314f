// Documents written as JSON in the evolution tests, and a canonical text of a
// document (keys sorted) for comparing what an upgrade step produced.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "metaport/format/json.hpp"
#include "metaport/value.hpp"

namespace evolution_test {

// The document `text` spells; a test failure (and null) if it is not JSON.
inline metaport::Value J(std::string_view text) {
  auto r = metaport::json::parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : metaport::Value();
}

// `v` as JSON with every object's keys sorted.
inline std::string show(const metaport::Value& v) {
  metaport::Value sorted = v;
  sorted.sort_keys();
  return metaport::json::write(sorted);
}

}  // namespace evolution_test
