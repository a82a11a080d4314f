// Differential fuzz target: whenever the fast canonical YAML reader answers,
// yaml-cpp must read the same text to the same Value, marks included; and
// the writer must print that Value as text the fast reader reads back.
//
// libFuzzer (clang), with a seed corpus of writer output (see docs/yaml.md):
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined \
//     -DMETAPORT_LIBFUZZER -Iinclude -I. tests/format/fast_yaml_fuzz.cc \
//     -lyaml-cpp -o /tmp/fast_yaml_fuzz
//   /tmp/fast_yaml_fuzz -write_seeds=/tmp/yaml_corpus     # writes the seeds, exits
//   /tmp/fast_yaml_fuzz -max_total_time=300 /tmp/yaml_corpus
// Without -DMETAPORT_LIBFUZZER it is a plain program that replays files:
//   fast_yaml_fuzz FILE...
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "metaport/format/fast_yaml.hpp"
#include "metaport/format/yaml_reader.hpp"
#include "metaport/format/yaml_writer.hpp"
#include "tests/format/format_test_util.hpp"
#include "tests/format/yaml_cases.hpp"

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

void write_seeds(const char* dir) {
  int n = 0;
  auto save = [&](const metaport::Value& v) {
    std::ofstream(std::string(dir) + "/seed" + std::to_string(n++) + ".yaml", std::ios::binary) << metaport::yaml::write(v);
  };
  for (const auto& c : metaport::test::document_cases())
    if (metaport::yaml::write(c.value).size() < 4096) save(c.value);
  metaport::test::ValueGen gen(1);
  for (int i = 0; i < 500; ++i) save(gen.document());
  std::fprintf(stderr, "wrote %d seeds to %s\n", n, dir);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  for (int i = 1; i < *argc; ++i) {
    if (std::strncmp((*argv)[i], "-write_seeds=", 13) == 0) {
      write_seeds((*argv)[i] + 13);
      std::exit(0);
    }
  }
  return 0;
}

#ifndef METAPORT_LIBFUZZER
int main(int argc, char** argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  for (int i = 1; i < argc; ++i) {
    std::stringstream ss;
    ss << std::ifstream(argv[i], std::ios::binary).rdbuf();
    check(ss.str());
  }
  return 0;
}
#endif
