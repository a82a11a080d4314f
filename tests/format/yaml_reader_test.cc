// The yaml-cpp path of the YAML reader (hand-written and non-canonical files):
// errors carry line and column, duplicate keys are errors, every value has
// the right 1-based mark, plain scalars resolve per the YAML 1.2 core schema.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "metaport/format/yaml_reader.hpp"
#include "metaport/format/yaml_snake_writer.hpp"
#include "metaport/format/yaml_writer.hpp"
#include "tests/format/format_test_util.hpp"

namespace metaport::test {
namespace {

Error only_error(const Result<Value>& r) {
  EXPECT_FALSE(r.ok());
  if (r.ok() || r.errors().list().empty()) return {};
  EXPECT_EQ(r.errors().size(), 1u) << r.errors().to_string();
  return r.errors().list()[0];
}

TEST(YamlReader, SyntaxErrorsCarryLineAndColumn) {
  struct Case {
    const char* text;
    unsigned line, col;
    const char* message;
  } cases[] = {
      {"a: [1, 2\nb: 3\n", 2, 2, "end of sequence flow not found"},
      {"a: 1\n b: 2\n", 2, 3, "illegal map value"},
      {"a:\n\tb: 1\n", 2, 3, "illegal map value"},
      {"k: v\n- x\n", 2, 1, "end of map not found"},
      {"list:\n- a\nc: *nope\n", 3, 4, "the referenced anchor is not defined"},
  };
  for (const auto& c : cases) {
    const Error e = only_error(yaml::parse_with_yaml_cpp(c.text));
    EXPECT_EQ(e.mark.line, c.line) << c.text;
    EXPECT_EQ(e.mark.col, c.col) << c.text;
    EXPECT_NE(e.message.find(c.message), std::string::npos) << e.message;
    EXPECT_EQ(e.message.rfind("invalid YAML: ", 0), 0u) << e.message;
    // yaml::parse gives the same error: the fast path leaves broken text alone.
    const Error e2 = only_error(yaml::parse(c.text));
    EXPECT_EQ(e2.to_string(), e.to_string());
  }
}

TEST(YamlReader, DuplicateKeysAreErrorsWithTheirLine) {
  Error e = only_error(yaml::parse("a: 1\nb: 2\na: 3\n"));
  EXPECT_EQ(e.message, "duplicate key 'a'");
  EXPECT_EQ(e.path, "a");
  EXPECT_EQ(e.mark.line, 3u);
  EXPECT_EQ(e.mark.col, 1u);
  EXPECT_EQ(e.to_string(), "3:1: a: duplicate key 'a'");

  e = only_error(yaml::parse("x:\n  y: 1\n  y: 2\n"));
  EXPECT_EQ(e.path, "x.y");
  EXPECT_EQ(e.mark.line, 3u);
  EXPECT_EQ(e.mark.col, 3u);

  e = only_error(yaml::parse("l:\n- k: 1\n- k: 1\n  'k': 2\n"));
  EXPECT_EQ(e.path, "l[1].k");
  EXPECT_EQ(e.mark.line, 4u);
  EXPECT_EQ(e.mark.col, 3u);

  // every duplicate is reported, not just the first
  auto r = yaml::parse("a: 1\na: 2\nb: 1\nb: 2\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors().size(), 2u);
}

TEST(YamlReader, NonScalarKeysAreErrors) {
  const Error e = only_error(yaml::parse("? [a]\n: 1\n"));
  EXPECT_EQ(e.message, "a key must be a plain string, not a list or map");
  EXPECT_EQ(e.mark.line, 1u);
  EXPECT_EQ(e.mark.col, 3u);
}

TEST(YamlReader, EmptyDocumentIsAnErrorButNullIsNot) {
  for (const char* t : {"", "\n\n", "# only a comment\n"}) {
    const Error e = only_error(yaml::parse(t));
    EXPECT_EQ(e.message, "empty YAML document") << t;
  }
  for (const char* t : {"null\n", "~\n"}) {
    auto r = yaml::parse(t);
    ASSERT_TRUE(r.ok()) << t;
    EXPECT_TRUE(r->is_null());
    EXPECT_EQ(r->mark.line, 1u);
  }
}

// Marks of a hand-written file with comments, flow collections, a folded
// block and an anchor: what error messages point at.
TEST(YamlReader, MarksOfValuesAreOneBased) {
  const std::string text =
      "# comment\n"                       // 1
      "name: Foo # trailing\n"            // 2
      "items: [1, {a: b}, \"q\"]\n"       // 3
      "block: >\n"                        // 4
      "  folded\n"                        // 5
      "  text\n"                          // 6
      "anchor: &x 5\n"                    // 7
      "nested:\n"                         // 8
      "  list:\n"                         // 9
      "  - - deep\n"                      // 10
      "  - k: 'v'\n"                      // 11
      "\"caf\xc3\xa9\": \xc3\xa9t\xc3\xa9\n";  // 12: columns count bytes
  auto r = yaml::parse(text);
  ASSERT_TRUE(r.ok()) << r.errors().to_string();
  const Value& v = *r;
  EXPECT_EQ(dump(v, true),
            "{\"name\": s:\"Foo\"@2:7, "
            "\"items\": [i:1@3:9, {\"a\": s:\"b\"@3:16}@3:12, s:\"q\"@3:20]@3:8, "
            "\"block\": s:\"folded text\\x0a\"@4:8, "
            "\"anchor\": i:5@7:9, "
            "\"nested\": {\"list\": [[s:\"deep\"@10:7]@10:5, {\"k\": s:\"v\"@11:8}@11:5]@10:3}@9:3, "
            "\"caf\\xc3\\xa9\": s:\"\\xc3\\xa9t\\xc3\\xa9\"@12:10}@2:1");
}

TEST(YamlReader, PlainScalarsResolvePerYaml12CoreSchema) {
  auto p = [](const char* s) { return dump(yaml::resolve_plain(s)); };
  for (const char* s : {"", "~", "null", "Null", "NULL"}) EXPECT_EQ(p(s), "null") << s;
  for (const char* s : {"true", "True", "TRUE"}) EXPECT_EQ(p(s), "true") << s;
  for (const char* s : {"false", "False", "FALSE"}) EXPECT_EQ(p(s), "false") << s;
  EXPECT_EQ(p("0"), "i:0");
  EXPECT_EQ(p("-17"), "i:-17");
  EXPECT_EQ(p("+12"), "i:12");
  EXPECT_EQ(p("007"), "i:7");
  EXPECT_EQ(p("9223372036854775807"), "i:9223372036854775807");
  EXPECT_EQ(p("-9223372036854775808"), "i:-9223372036854775808");
  EXPECT_EQ(p("9223372036854775808"), "d:0x1p+63");  // too big for 64 bits: the nearest double
  EXPECT_EQ(p("0x1F"), "i:31");
  EXPECT_EQ(p("0o17"), "i:15");
  EXPECT_EQ(p("0x-1"), "s:\"0x-1\"");  // from_chars would have taken it as -1
  EXPECT_EQ(p("0o-7"), "s:\"0o-7\"");
  EXPECT_EQ(p("0x"), "s:\"0x\"");
  EXPECT_EQ(p("1.5"), "d:0x1.8p+0");
  EXPECT_EQ(p("-0.0"), "d:-0x0p+0");
  EXPECT_EQ(p(".5"), "d:0x1p-1");
  EXPECT_EQ(p("1."), "d:0x1p+0");
  EXPECT_EQ(p("1e3"), "d:0x1.f4p+9");
  EXPECT_EQ(p("+1.5e-3"), dump(Value(1.5e-3)));
  EXPECT_EQ(p(".inf"), "d:inf");
  EXPECT_EQ(p("+.Inf"), "d:inf");
  EXPECT_EQ(p("-.INF"), "d:-inf");
  EXPECT_EQ(p(".nan"), "d:nan");
  EXPECT_EQ(p(".NaN"), "d:nan");
  // out of a double's range: infinity or zero, as every YAML reader has it
  EXPECT_EQ(p("1e400"), "d:inf");
  EXPECT_EQ(p("-1e400"), "d:-inf");
  EXPECT_EQ(p("1e-400"), "d:0x0p+0");
  EXPECT_EQ(p("-1e-400"), "d:-0x0p+0");
  EXPECT_EQ(p("0.000000001e-320"), "d:0x0p+0");
  EXPECT_EQ(p("123456789e300"), dump(Value(123456789e300)));  // big but finite
  EXPECT_EQ(p("2e308"), "d:inf");
  // strings (YAML 1.1 words, other notations, almost-numbers)
  for (const char* s : {"yes", "No", "on", "OFF", "y", "1_000", "0b101", "1e", "1.2.3", "+", "-", ".", "e5",
                        "+.nan", "nan", "inf", "2024-01-15", "12:30", "0x1F ", " 1", "1,000"})
    EXPECT_EQ(p(s), dump(Value(s))) << s;
}

TEST(YamlReader, QuotedAndBlockScalarsAreStrings) {
  auto r = yaml::parse_with_yaml_cpp("a: '1'\nb: \"true\"\nc: |\n  null\nd: 'null'\ne: ''\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(dump(*r), "{\"a\": s:\"1\", \"b\": s:\"true\", \"c\": s:\"null\\x0a\", \"d\": s:\"null\", \"e\": s:\"\"}");
}

// Found by fuzz/bi_entity_fuzz (regression input fuzz/corpus/bi_entity_fuzz/crash-1fd5da49...):
// yaml-cpp passed a byte that is not UTF-8 through, and the document did not
// read back the same once written. YAML is UTF-8: such bytes are an error
// at their line and column, through either reader.
TEST(YamlReader, BytesThatAreNotUtf8AreAnErrorWithTheirPlace) {
  for (std::string text : {std::string("name: ok\nslug: temp\xBDlate\n"), std::string("- a\n- \"b\xC3\"\n"),
                           std::string("k: \xED\xA0\x80\n")}) {
    auto r = yaml::parse(text);
    ASSERT_FALSE(r.ok()) << text;
    const Error& e = r.errors().list().front();
    EXPECT_NE(e.message.find("not UTF-8"), std::string::npos) << e.message;
    EXPECT_GT(e.mark.line, 0u);
  }
  auto r = yaml::parse("name: ok\nslug: temp\xBDlate\n");
  EXPECT_EQ(r.errors().list().front().mark.line, 2u);
  EXPECT_EQ(r.errors().list().front().mark.col, 11u);
  EXPECT_TRUE(yaml::parse("name: caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\n").ok());  // café € 😀
}


// A string at every depth a document has: a top-level member, a member of a
// nested map, a list item, a map inside a list, a list inside a list, a key.
Value at_depth(const std::string& s) {
  Value inner = Value::object();
  inner.as_object().emplace_back("leaf", Value(s));
  Value nested = Value::object();
  nested.as_object().emplace_back("inner", std::move(inner));
  Value item = Value::object();
  item.as_object().emplace_back("k", Value(s));
  Value sub = Value::array();
  sub.as_array().push_back(Value(s));
  Value list = Value::array();
  list.as_array().push_back(Value(s));
  list.as_array().push_back(std::move(item));
  list.as_array().push_back(std::move(sub));
  Value doc = Value::object();
  doc.as_object().emplace_back("top", Value(s));
  doc.as_object().emplace_back("nested", std::move(nested));
  doc.as_object().emplace_back("list", std::move(list));
  doc.as_object().emplace_back("key " + s, Value(1));
  return doc;
}

// Unicode's other line breaks (NEL, LS, PS), the no-break space, and every
// control character, alone and mixed: what the canonical writer writes reads
// back the same through the fast reader and through yaml-cpp, and so does
// what the SnakeYAML-style writer (serdes layout) writes, which spells NEL
// "\N" and the no-break space "\_" (and does not single-quote NEL, LS, PS
// or the trailing line breaks yaml-cpp would clip: yaml_snake_writer.hpp).
TEST(YamlReader, LineBreaksAndControlsRoundTripThroughBothReadersAtDepth) {
  const std::string nel = "\xc2\x85", ls = "\xe2\x80\xa8", ps = "\xe2\x80\xa9", nbsp = "\xc2\xa0";
  std::vector<std::string> texts = {nel, "a" + nel + "b", "\x1f" + nel, nel + "\x1f" + nel + "\x01", ls, ps,
                                    ls + "\x01" + ps, "x\n" + nel + "y", nbsp, "\x01" + nbsp, "\t" + nbsp + nel,
                                    "\xef\xbb\xbf", "\xef\xbf\xbe", "\xef\xbf\xbf", "\x7f" + nel, "\n\n", "abc\n\n", "a\n\n\n"};
  for (int c = 0; c < 0x20; ++c) {
    texts.push_back(std::string(1, char(c)));
    texts.push_back(std::string(1, char(c)) + nel + "z");
  }
  for (int c = 0x80; c < 0xa0; ++c) texts.push_back(std::string("\xc2") + char(c) + "\x1f");
  for (const std::string& s : texts) {
    const Value doc = at_depth(s);
    const std::string canonical = yaml::write(doc);
    auto fast = yaml::fast::try_parse(canonical);
    ASSERT_TRUE(fast.has_value()) << canonical;
    EXPECT_EQ(dump(*fast), dump(doc)) << canonical;
    auto slow = yaml::parse_with_yaml_cpp(canonical);
    ASSERT_TRUE(slow.ok()) << canonical << slow.errors().to_string();
    EXPECT_EQ(dump(*slow), dump(doc)) << canonical;
    const std::string snake = yaml::snake::write(doc);
    auto from_snake = yaml::parse(snake);
    ASSERT_TRUE(from_snake.ok()) << snake << from_snake.errors().to_string();
    EXPECT_EQ(dump(*from_snake), dump(doc)) << snake;
  }
}

// yaml-cpp 0.7 decodes "\N" and "\_" to the lone bytes 0x85 and 0xA0 (not
// UTF-8, and written back as other characters): the reader puts U+0085 and
// U+00A0 back, in values and keys, at any depth.
TEST(YamlReader, NelAndNoBreakSpaceEscapesReadAsTheirCharacters) {
  auto r = yaml::parse("\"k\\N\": \"a\\Nb\\_c\"\nn:\n  m:\n  - \"\\N\\x1F\"\n  - x: \"\\_\"\n");
  ASSERT_TRUE(r.ok()) << r.errors().to_string();
  EXPECT_EQ(dump(*r), "{\"k\\xc2\\x85\": s:\"a\\xc2\\x85b\\xc2\\xa0c\", \"n\": {\"m\": [s:\"\\xc2\\x85\\x1f\", {\"x\": s:\"\\xc2\\xa0\"}]}}");
}

// Found by fuzz/fs_entity_fuzz (regression input
// fuzz/corpus/fs_entity_fuzz/crash-56ceae51...): yaml-cpp read a NUL in a
// plain scalar as the start of an escape ("x<NUL>N" came back as "x" and a
// lone 0x85 byte, which the writer then spelled as U+0085). YAML 1.2 allows
// no control character raw but tab, line feed and carriage return: the
// others, DEL, the C1 controls but NEL, U+FFFE and U+FFFF are errors at their
// line and column, at any depth, through either reader. NEL, LS and PS are
// content in YAML 1.2 (not line breaks) and read as such.
TEST(YamlReader, CharactersYamlDoesNotAllowRawAreErrorsWithTheirPlace) {
  struct Case {
    std::string text;
    unsigned line, col;
    const char* code;
  };
  const std::vector<Case> cases = {
      {std::string("a: x\0Ny\n", 8), 1, 5, "U+0000"},
      {std::string("a:\n  b: \"x\0\"\n", 13), 2, 8, "U+0000"},
      {"a:\n- ok\n- k: x\x1fy\n", 3, 7, "U+001F"},
      {"- - '\x7f'\n", 1, 6, "U+007F"},
      {"a: |\n  x\n  \xc2\x81\n", 3, 3, "U+0081"},
      {"k\xef\xbf\xbe: 1\n", 1, 2, "U+FFFE"},
  };
  for (const Case& c : cases) {
    auto r = yaml::parse(c.text);
    const Error e = only_error(r);
    EXPECT_NE(e.message.find(c.code), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("not printable"), std::string::npos) << e.message;
    EXPECT_EQ(e.mark.line, c.line) << e.message;
    EXPECT_EQ(e.mark.col, c.col) << e.message;
  }
  auto r = yaml::parse("a: x\xc2\x85y\nb:\n- \"\xe2\x80\xa8\"\n- |-\n  \xe2\x80\xa9\tz\n");
  ASSERT_TRUE(r.ok()) << r.errors().to_string();
  EXPECT_EQ(dump(*r), "{\"a\": s:\"x\\xc2\\x85y\", \"b\": [s:\"\\xe2\\x80\\xa8\", s:\"\\xe2\\x80\\xa9\\x09z\"]}");
}

}  // namespace
}  // namespace metaport::test
