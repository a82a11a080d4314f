// JSON <-> Value: round trips keep types (ints stay ints, doubles stay
// doubles), the escapes are exactly JSON's, UTF-8 passes through, invalid
// bytes are written as their Latin-1 reading, and bad input is an error.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "metaport/format/json.hpp"
#include "metaport/format/yaml_reader.hpp"
#include "tests/format/format_test_util.hpp"
#include "tests/format/yaml_cases.hpp"

namespace metaport::test {
namespace {

// JSON has no inf/nan: the writer emits null for them (documented).
Value after_json_round_trip(const Value& v) {
  switch (v.type()) {
    case Value::Type::Double: return std::isfinite(v.as_double()) ? v : Value();
    case Value::Type::String: return Value(latin1_reading(v.as_string()));
    case Value::Type::Array: {
      Value::Array a;
      for (const auto& x : v.as_array()) a.push_back(after_json_round_trip(x));
      return Value(std::move(a));
    }
    case Value::Type::Object: {
      Value::Object o;
      for (const auto& [k, x] : v.as_object()) o.emplace_back(latin1_reading(k), after_json_round_trip(x));
      return Value(std::move(o));
    }
    default: return v;
  }
}

void expect_round_trip(const std::string& name, const Value& v) {
  const std::string text = json::write(v);
  auto back = json::parse(text);
  ASSERT_TRUE(back.ok()) << name << ": " << text.substr(0, 300) << "\n" << back.errors().to_string();
  EXPECT_EQ(dump(*back), dump(after_json_round_trip(v))) << name << ": " << text.substr(0, 300);
  EXPECT_EQ(json::write(*back), json::write(after_json_round_trip(v))) << name;
}

TEST(Json, EveryCaseRoundTrips) {
  for (const auto& [name, v] : document_cases()) expect_round_trip(name, v);
}

TEST(Json, RandomValuesRoundTrip) {
  ValueGen gen(4242);
  json::Parser parser;  // one parser, many documents (as jsonl reading does)
  for (int i = 0; i < 2000 && !::testing::Test::HasFailure(); ++i) {
    const Value v = gen.document();
    const std::string text = json::write(v);
    auto back = parser.parse(text);
    ASSERT_TRUE(back.ok()) << text.substr(0, 300) << "\n" << back.errors().to_string();
    EXPECT_EQ(dump(*back), dump(after_json_round_trip(v))) << "random #" << i;
  }
}

TEST(Json, NumbersKeepTheirType) {
  EXPECT_EQ(json::write(Value(Value::Array{25.0, 25, -0.0, 0.5, 1e300, 1e-300, INFINITY, NAN})),
            "[25.0,25,-0.0,0.5,1e+300,1e-300,null,null]");
  auto r = json::parse("[25.0, 25, -0.0, 1e2, 9223372036854775807, -9223372036854775808, 18446744073709551615]");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(dump(*r), "[d:0x1.9p+4, i:25, d:-0x0p+0, d:0x1.9p+6, i:9223372036854775807, i:-9223372036854775808, d:0x1p+64]");
}

TEST(Json, Escapes) {
  EXPECT_EQ(json::write(Value("q\"b\\s/n\nt\tr\rb\bf\f\x01\x1f\x7f z")),
            "\"q\\\"b\\\\s/n\\nt\\tr\\rb\\bf\\f\\u0001\\u001f\x7f z\"");
  EXPECT_EQ(json::write(Value(std::string("\0", 1))), "\"\\u0000\"");
  EXPECT_EQ(json::write(Value(Value::Object{{"k\"ey", 1}})), "{\"k\\\"ey\":1}");
  auto r = json::parse(R"(["\u00e9", "\ud83d\ude00", "\/", "\u0000", "\u2028"])");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(dump(*r), "[s:\"\\xc3\\xa9\", s:\"\\xf0\\x9f\\x98\\x80\", s:\"/\", s:\"\\x00\", s:\"\\xe2\\x80\\xa8\"]");
}

TEST(Json, UnicodePassesThroughAndInvalidBytesAreEscaped) {
  const std::string text = "caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80 \xe2\x80\xa8";
  EXPECT_EQ(json::write(Value(text)), "\"" + text + "\"");
  // Not UTF-8: written as the Latin-1 character of each byte, so the output
  // stays valid JSON (simdjson rejects raw invalid bytes, see below).
  EXPECT_EQ(json::write(Value("a\xff" "b\xc3")), "\"a\\u00ffb\\u00c3\"");
  EXPECT_EQ(json::write(Value("\xed\xa0\x80")), "\"\\u00ed\\u00a0\\u0080\"");
  auto r = json::parse(json::write(Value("a\xff")));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->as_string(), "a\xc3\xbf");
}

TEST(Json, InvalidJsonIsAnError) {
  for (const char* t : {"", "{", "[1,]", "{\"a\":}", "nul", "[1 2]", "{\"a\" 1}", "'a'", "\"\\ud83d\"",
                        "\"\xff\"", "[1e400]", "99999999999999999999", "{\"a\":1}}", "\"a\nb\""}) {
    auto r = json::parse(t);
    ASSERT_FALSE(r.ok()) << t;
    EXPECT_EQ(r.errors().list()[0].message.rfind("invalid JSON: ", 0), 0u) << r.errors().to_string();
  }
}

TEST(Json, DuplicateKeysAreErrorsWithTheirPath) {
  auto r = json::parse(R"({"a":{"b":[{"c":1},{"c":1,"c":2}]}})");
  ASSERT_FALSE(r.ok());
  const Error& e = r.errors().list()[0];
  EXPECT_EQ(e.message, "invalid JSON: duplicate key 'c'");
  EXPECT_EQ(e.path, "a.b[1].c");
  // big objects take the hashed check
  std::string big = "{";
  for (int i = 0; i < 100; ++i) big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  auto ok = json::parse(big + "\"last\":0}");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size(), 101u);
  auto dup = json::parse(big + "\"k57\":0}");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.errors().list()[0].path, "k57");
  auto top = json::parse(R"([0, {"x":1,"x":1}])");
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.errors().list()[0].path, "[1].x");
}


// JSON has no NaN or infinity: find_non_finite names the first one, at any
// depth, so that a jsonl dump and a JSON column can refuse it with its place.
TEST(Json, NonFiniteNumbersAreFoundWithTheirPath) {
  auto doc = yaml::parse("a: 1.5\nb:\n  c:\n  - 1\n  - x: -.inf\nd: .nan\n");
  ASSERT_TRUE(doc.ok());
  auto bad = json::find_non_finite(*doc);
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->path, "b.c[1].x");
  EXPECT_STREQ(bad->what, "-infinity");
  EXPECT_STREQ(json::find_non_finite(Value(std::nan("")))->what, "NaN");
  EXPECT_EQ(json::find_non_finite(Value(std::nan("")))->path, "");
  EXPECT_STREQ(json::find_non_finite(*yaml::parse("- [.inf]\n"))->what, "infinity");
  EXPECT_EQ(json::find_non_finite(*yaml::parse("- [.inf]\n"))->path, "[0][0]");
  EXPECT_FALSE(json::find_non_finite(*yaml::parse("a: [1.5, '.nan', {b: 1e300}]\n")).has_value());
}

}  // namespace
}  // namespace metaport::test
