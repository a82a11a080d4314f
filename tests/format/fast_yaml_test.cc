// The fast canonical YAML reader against yaml-cpp: on everything the writer
// produces it must answer (no fallback) with the very Value yaml-cpp gives,
// marks included; on anything else it must either bail out (nullopt) or
// still agree with yaml-cpp — never a different Value, never a Value where
// yaml-cpp reports an error, never a crash.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "metaport/format/fast_yaml.hpp"
#include "metaport/format/yaml_reader.hpp"
#include "metaport/format/yaml_writer.hpp"
#include "tests/format/format_test_util.hpp"
#include "tests/format/yaml_cases.hpp"

namespace metaport::test {
namespace {

std::string show(std::string_view yaml) {
  std::string out;
  dump_string(out, yaml.size() > 800 ? std::string(yaml.substr(0, 800)) + "..." : std::string(yaml));
  return out;
}

// Keys too long for "key: value" are written as explicit "? key" entries,
// which the fast path leaves to yaml-cpp.
bool has_explicit_key(const Value& v) {
  if (v.is_array()) {
    for (const auto& x : v.as_array())
      if (has_explicit_key(x)) return true;
  } else if (v.is_object()) {
    for (const auto& [k, x] : v.as_object()) {
      std::string written;
      yaml::write_key(written, k);
      if (written.size() > yaml::detail::kMaxImplicitKey || has_explicit_key(x)) return true;
    }
  }
  return false;
}

enum class Outcome { Agreed, BailedOut };

// The differential check. Returns what the fast path did.
Outcome check_against_yaml_cpp(std::string_view text, const std::string& name) {
  const std::optional<Value> fast = yaml::fast::try_parse(text);
  if (!fast) return Outcome::BailedOut;
  auto slow = yaml::parse_with_yaml_cpp(text);
  EXPECT_TRUE(slow.ok()) << name << ": the fast path accepted text that yaml-cpp rejects:\n"
                         << show(text) << "\nyaml-cpp: " << (slow.ok() ? "" : slow.errors().to_string())
                         << "fast: " << dump(*fast, true);
  if (slow.ok()) {
    EXPECT_EQ(dump(*fast, true), dump(*slow, true)) << name << ":\n" << show(text);
  }
  return Outcome::Agreed;
}

// Writer output must take the fast path (a fallback there would only be
// slow, but it would hide a gap in the fast reader), and agree exactly.
void expect_fast_path(const std::string& name, const Value& v) {
  const std::string text = yaml::write(v);
  const bool expected = !v.is_scalar() && !has_explicit_key(v);
  const Outcome got = check_against_yaml_cpp(text, name);
  if (expected) {
    EXPECT_EQ(got, Outcome::Agreed) << name << ": canonical text fell back to yaml-cpp:\n" << show(text);
  } else {
    EXPECT_EQ(got, Outcome::BailedOut) << name;
  }
}

TEST(FastYaml, EveryWriterCaseTakesTheFastPathAndAgrees) {
  for (const auto& [name, v] : document_cases()) expect_fast_path(name, v);
}

TEST(FastYaml, ThousandsOfRandomDocumentsTakeTheFastPathAndAgree) {
  ValueGen gen(0x5eed);
  for (int i = 0; i < 4000 && !::testing::Test::HasFailure(); ++i) expect_fast_path("random #" + std::to_string(i), gen.document());
}

// yaml::parse is the fast path when it answers.
TEST(FastYaml, ParseUsesIt) {
  const std::string text = "a: 1\nb:\n- x\n- 'y'\nc: |-\n  l1\n  l2\n";
  auto r = yaml::parse(text);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(dump(*r, true), "{\"a\": i:1@1:4, \"b\": [s:\"x\"@3:3, s:\"y\"@4:3]@3:1, \"c\": s:\"l1\\x0al2\"@5:4}@1:1");
  EXPECT_EQ(dump(*r, true), dump(*yaml::fast::try_parse(text), true));
}

// Hand-written YAML, canonical or not, valid or not.
struct Snippet {
  const char* text;
  enum { Accept, Bail, Either } expect;
};

std::vector<Snippet> snippets() {
  using S = Snippet;
  return {
      // canonical: the fast path must answer
      {"a: 1\n", S::Accept},
      {"- a\n", S::Accept},
      {"{}\n", S::Accept},
      {"[]\n", S::Accept},
      {"a: {}\nb: []\n", S::Accept},
      {"a:\n- 1\n- - 2\n  - 3\n- k: v\n  l:\n  - x\n", S::Accept},
      {"a: |-\n  x\n  y\n", S::Accept},
      {"a: |\n  x\n", S::Accept},
      {"a: |+\n  x\n\n\nb: 1\n", S::Accept},
      {"a: |2\n   x\n  y\n", S::Accept},
      {"a: |2-\n\n  x\n", S::Accept},
      {"a: |2+\n\n  x\n\n", S::Accept},
      {"- |2-\n   x\n- |-\n  y\n", S::Accept},
      {"a:\n  b:\n  - |2\n     x\n    y\n", S::Accept},
      {"- - |2\n     x\n    y\n", S::Accept},
      {"a: 'it''s'\n", S::Accept},
      {"'null': ''\n", S::Accept},
      {"a: \"\\x41\\xFF\\u00e9\\uFEFF\\L\\P\\t\\r\\n\\\"\\\\\"\n", S::Accept},
      {"a: -1\nb: 1.5\nc: 1e+300\nd: -.inf\ne: .nan\nf: null\ng: true\nh: false\ni: -0.0\n", S::Accept},
      {"a: b:c\nd: e,f [g] {h}\ni: j#k\n", S::Accept},
      {"\"a\\nb\": 1\n'c d': 2\n", S::Accept},
      {"a:\n  b:\n    c: 1\n  d: 2\ne: 3\n", S::Accept},
      // not canonical but valid: the fast path must leave them to yaml-cpp
      {"# comment\na: 1\n", S::Bail},
      {"a: 1 # comment\n", S::Bail},
      {"a: 1\n# comment\n", S::Bail},
      {"a: [1, 2]\n", S::Bail},
      {"a: {b: 1}\n", S::Bail},
      {"[1, 2]\n", S::Bail},
      {"a: &x 1\nb: *x\n", S::Bail},
      {"a: !!str 1\n", S::Bail},
      {"a: !custom x\n", S::Bail},
      {"---\na: 1\n", S::Bail},
      {"--- \na: 1\n", S::Bail},
      {"a: 1\n...\n", S::Bail},
      {"a: 1\n---\n", S::Bail},
      {"a: b\n  c\n", S::Bail},
      {"- a\n  b\n", S::Bail},
      {"a: >\n  folded\n  text\n", S::Bail},
      {"a: >-\n  x\n", S::Bail},
      {"a: 1\r\nb: 2\r\n", S::Bail},
      {"\xef\xbb\xbf" "a: 1\n", S::Bail},
      {"hello\n", S::Bail},
      {"'hello'\n", S::Bail},
      {"|\n  text\n", S::Bail},
      {"42\n", S::Bail},
      {"a: 1", S::Bail},
      {"\na: 1\n", S::Bail},
      {"a: 1\n\nb: 2\n", S::Bail},
      {"a: 1\n  \n", S::Bail},
      {"a:   1\n", S::Bail},
      {"a : 1\n", S::Bail},
      {"a:\n    b: 1\n", S::Bail},
      {"a:\n  - 1\n", S::Bail},
      {"- a\n-  b\n", S::Bail},
      {"-\n  a\n", S::Bail},
      {"a:\tb\n", S::Bail},
      {"a: b\t\n", S::Bail},
      {"a: \"x\n  y\"\n", S::Bail},
      {"a: 'x\n  y'\n", S::Bail},
      {"a: \"\\0\"\n", S::Bail},
      {"a: \"\\N\"\n", S::Bail},   // yaml-cpp 0.7 decodes \N to a lone 0x85 byte
      {"a: \"\\e\\a\\b\\v\\f\\/\\ \\_\"\n", S::Bail},
      {"a: \"\\U0001F600\"\n", S::Bail},
      {"a: \"\\uD83D\\uDE00\"\n", S::Bail},
      {"a: |4\n    x\n", S::Bail},
      {"a: |-2\n  x\n", S::Bail},
      {"a: |\n   x\n", S::Bail},
      {"a: | # c\n  x\n", S::Bail},
      {"a: |\n\n  x\n", S::Bail},
      {"a: |\nb: 1\n", S::Bail},
      {"a:\n", S::Bail},
      {"a:\nb: 1\n", S::Bail},
      {"a: ~\n", S::Bail},
      {"a: Null\n", S::Bail},
      {"a: TRUE\n", S::Bail},
      {"a: 0x1F\n", S::Bail},
      {"a: 0o17\n", S::Bail},
      {"a: +1\n", S::Bail},   // a number, but not as the writer writes one
      {"a: yes\n", S::Bail},
      {"a: \xc3\xa9\n", S::Bail},
      {"\xc3\xa9: 1\n", S::Bail},
      {"? a\n: 1\n", S::Bail},
      {"a: 1\na: 2\n", S::Bail},
      {"a:\n  b: 1\n  b: 2\n", S::Bail},
      {"- a: 1\n  'a': 2\n", S::Bail},
      {"a: \"\xc2\x85\"\n", S::Bail},  // raw NEL
      {"a: 'x\xe2\x80\xa8y'\n", S::Bail},  // raw LS
      {"a: 'x\xc2\x80'\n", S::Bail},  // raw C1 control
      {"a: 'x\x7f'\n", S::Bail},
      {"a: 'x\xff'\n", S::Bail},  // not UTF-8
      {"%YAML 1.2\n---\na: 1\n", S::Bail},
      {"a: 1\n\n", S::Bail},
      {"a: b \n", S::Bail},
      {"a: 'b' \n", S::Bail},
      {"a: {}  \n", S::Bail},
      {"a: '{}'x\n", S::Bail},
      {"<<: {a: 1}\n", S::Bail},
      // broken or odd: whatever the fast path does, it must agree
      {"a: 1\n b: 2\n", S::Either},
      {"a: [1\n", S::Either},
      {"a:b\n", S::Either},
      {"- a\nb: 1\n", S::Either},
      {"a: 1\n- b\n", S::Either},
      {"a:\n- b\n c\n", S::Either},
      {"a: \"\\uD800\"\n", S::Either},
      {"'a\n", S::Either},
      {"a: \"unterminated\nb: 1\n", S::Either},
      {"- |\n  x\n- y\n", S::Either},
      {"a: |\n  x\n   y\n", S::Either},
      {"a: |\n  x\n y\n", S::Either},
      {"a: |2\n  x\n y\n", S::Either},
      {"k: v\n  - x\n", S::Either},
      {"- k: v\n - x\n", S::Either},
      {"- k: v\n   x: 1\n", S::Either},
      {"- - a\n - b\n", S::Either},
      {"- - a\n   - b\n", S::Either},
      {"a:\n- b\n  - c\n", S::Either},
      {"a: - b\n", S::Either},
      {"a: : b\n", S::Either},
      {"a: b: c\n", S::Either},
      {"- a: b: c\n", S::Either},
      {"a: 'b'c\n", S::Either},
      {"a: \"b\"c\n", S::Either},
      {"'a'b: 1\n", S::Either},
      {"'a':b\n", S::Either},
      {"- 'a':b\n", S::Either},
      {"a: |x\n  y\n", S::Either},
      {"a: |2x\n  y\n", S::Either},
      {"a: |0\n  y\n", S::Either},
      {"{}\n{}\n", S::Either},
      {"{}\na: 1\n", S::Either},
      {"a: 1\n{}\n", S::Either},
      {"- {}\n  a: 1\n", S::Either},
      {"null: 1\n", S::Either},
      {"~: 1\n", S::Either},
      {": 1\n", S::Either},
      {"-: 1\n", S::Either},
      {"- -\n", S::Either},
      {"- - \n", S::Either},
      {"-- a\n", S::Either},
      {"a: ---\n", S::Either},
      {"a: ...\n", S::Either},
      {"- ---\n", S::Either},
      {"a: -\n", S::Either},
      {"a: .\n", S::Either},
      {"a: 1-2\n", S::Either},
      {"a: 1e\n", S::Either},
      {"a: --1\n", S::Either},
      {"a: 9223372036854775808\n", S::Either},
      {"a: 1e400\n", S::Either},
      {"a: 00\n", S::Either},
      {"a: \"\\x4\"\n", S::Either},
      {"a: \"\\u00\"\n", S::Either},
      {"a: \"\\\n", S::Either},
      {"a: \"\n", S::Either},
      {"a: '\n", S::Either},
      {"a: ''''\n", S::Either},
      {"a: '''\n", S::Either},
      {"\"a\": \"b\": c\n", S::Either},
      {"a:\n  b: 1\n c: 2\n", S::Either},
      {"a:\n  b: 1\n   c: 2\n", S::Either},
      {"- a\n- b\n  c: 1\n", S::Either},
      {"a: |-\n  x\n\n", S::Either},
      {"a: |-\n  x\n\nb: 1\n", S::Either},
      {"a: |\n  x\n\n  \n", S::Either},
      {"a: |+\n  x\n", S::Either},
      {"a: |2\n\n\n", S::Either},
      {"a: |2\n\nb: 1\n", S::Either},
      {"- |2\n   x\n  - y\n", S::Either},
      {"a: |\n  - x\n  b: y\n", S::Either},
  };
}

TEST(FastYaml, HandWrittenSnippets) {
  int accepted = 0, bailed = 0;
  for (const auto& s : snippets()) {
    const Outcome got = check_against_yaml_cpp(s.text, s.text);
    (got == Outcome::Agreed ? accepted : bailed)++;
    if (s.expect == Snippet::Accept) {
      EXPECT_EQ(got, Outcome::Agreed) << "expected the fast path to answer:\n" << show(s.text);
    }
    if (s.expect == Snippet::Bail) {
      EXPECT_EQ(got, Outcome::BailedOut) << "expected a fallback to yaml-cpp:\n" << show(s.text);
      // and the fallback does read it (or reports the error with a position)
      auto r = yaml::parse(s.text);
      if (!r.ok()) {
        EXPECT_TRUE(r.errors().list()[0].mark.known()) << r.errors().to_string();
      }
    }
  }
  RecordProperty("accepted", accepted);
  RecordProperty("bailed", bailed);
}

// Random edits of canonical text: most break canonicity (the fast path must
// bail out) or even YAML (yaml-cpp reports an error: the fast path must not
// answer), some keep it canonical (the fast path must agree).
std::string mutate(std::string text, Rng& rng) {
  static const char interesting[] = {' ', '\n', '-', ':', '#', '\'', '"', '|', '{', '}', '[', ']', '\t', '\r',
                                     '2', '+', 'a', '0', '\\', '?', '&', '*', '!', '>', '.', ',', 'x', '~'};
  const std::size_t edits = 1 + rng.below(3);
  for (std::size_t e = 0; e < edits && !text.empty(); ++e) {
    const std::size_t at = rng.below(text.size());
    const std::size_t prev_nl = at == 0 ? std::string::npos : text.rfind('\n', at - 1);
    const std::size_t line_start = prev_nl == std::string::npos ? 0 : prev_nl + 1;
    std::size_t line_end = text.find('\n', at);
    line_end = line_end == std::string::npos ? text.size() : line_end + 1;
    const std::string line = text.substr(line_start, line_end - line_start);
    const char byte = rng.chance(80) ? interesting[rng.below(sizeof interesting)] : static_cast<char>(rng.below(256));
    switch (rng.below(8)) {
      case 0: case 1: text[at] = byte; break;
      case 2: text.erase(at, 1); break;
      case 3: text.insert(at, 1, byte); break;
      case 4: text.insert(line_start, line); break;                  // duplicate a line
      case 5: text.erase(line_start, line_end - line_start); break;  // drop a line
      case 6: text.insert(line_start, rng.chance(50) ? " " : "  "); break;  // indent a line
      case 7:
        if (text.compare(line_start, 1, " ") == 0) text.erase(line_start, 1);  // dedent a line
        else text.insert(at, "\n");
        break;
    }
  }
  return text;
}

TEST(FastYaml, RandomEditsOfCanonicalTextNeverDisagree) {
  ValueGen gen(0xf00d);
  std::vector<std::string> bases;
  for (const auto& [name, v] : document_cases())
    if (v.size() > 0 && yaml::write(v).size() < 3000) bases.push_back(yaml::write(v));
  for (int i = 0; i < 300; ++i) {
    std::string t = yaml::write(gen.document());
    if (t.size() < 3000) bases.push_back(t);
  }
  Rng rng(0xbad5eed);
  int agreed = 0, bailed = 0;
  const int kMutations = 30000;
  for (int i = 0; i < kMutations && !::testing::Test::HasFailure(); ++i) {
    const std::string& base = bases[rng.below(bases.size())];
    const std::string text = mutate(base, rng);
    if (check_against_yaml_cpp(text, "mutation #" + std::to_string(i)) == Outcome::Agreed) ++agreed;
    else ++bailed;
  }
  // Not vacuous: a fair share of edits keep the text canonical (a changed
  // letter, a duplicated list item) and the fast path agreed on those.
  EXPECT_GT(agreed, kMutations / 20) << "agreed " << agreed << ", bailed out " << bailed;
  EXPECT_GT(bailed, kMutations / 4) << "agreed " << agreed << ", bailed out " << bailed;
  RecordProperty("agreed", agreed);
  RecordProperty("bailed", bailed);
}

// Nesting deeper than the fast reader's limit goes to yaml-cpp; absurd
// nesting must not overflow the fast reader's stack.
TEST(FastYaml, DeepNesting) {
  Value v = Value("x");
  for (int i = 0; i < 150; ++i) v = Value(Value::Array{v});
  expect_fast_path("150 levels", v);
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "- ";
  deep += "x\n";
  EXPECT_FALSE(yaml::fast::try_parse(deep).has_value());
}

}  // namespace
}  // namespace metaport::test
