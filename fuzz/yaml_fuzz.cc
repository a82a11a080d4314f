// YAML, both readers: the fast reader of metaport's canonical YAML and the
// yaml-cpp path (every other YAML). Any bytes: each reader answers or fails
// cleanly. Whenever the fast reader answers, yaml-cpp must read the same text
// to the same Value, marks included, and the writer must print that Value as
// text the fast reader reads back to the same Value.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz/fuzz_target.hpp"
#include "metaport/format/fast_yaml.hpp"
#include "metaport/format/yaml_reader.hpp"
#include "metaport/format/yaml_writer.hpp"
#include "tests/format/format_test_util.hpp"

namespace {

void fail(const char* what, std::string_view text, const std::string& fast, const std::string& other) {
  std::fprintf(stderr, "%s\ntext: %s\nfast: %s\nother: %s\n", what, std::string(text).c_str(), fast.c_str(), other.c_str());
  std::abort();
}

void check(std::string_view text) {
  using namespace metaport;
  const auto fast = yaml::fast::try_parse(text);
  if (!fast) return;
  const std::string fast_dump = test::dump(*fast, true);
  auto slow = yaml::parse_with_yaml_cpp(text);
  if (!slow.ok()) fail("fast path accepted text yaml-cpp rejects", text, fast_dump, slow.errors().to_string());
  if (test::dump(*slow, true) != fast_dump) fail("fast path and yaml-cpp disagree", text, fast_dump, test::dump(*slow, true));
  const std::string again = yaml::write(*fast);
  const auto reread = yaml::fast::try_parse(again);
  if (!reread) fail("writer output not read by the fast path", again, fast_dump, "");
  if (test::dump(*reread) != test::dump(*fast)) fail("write/read changed the value", again, fast_dump, test::dump(*reread));
}

}  // namespace

void fuzz_one(std::string_view text) {
  // The general reader on its own: an answer or errors, never a crash.
  auto any = metaport::yaml::parse(text);
  if (!any && any.errors().list().empty()) std::abort();
  check(text);
}
