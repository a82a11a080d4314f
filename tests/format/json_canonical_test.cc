// json::is_canonical: the jsonl dump copies a stored JSON column verbatim when
// it says yes, so a yes must mean json::write(json::parse(text)) == text,
// byte for byte. A no is always safe (the dump then takes the Value path);
// it must still be rare on what json::write writes, or the fast path is lost.
#include <gtest/gtest.h>

#include <string>

#include "metaport/format/json.hpp"
#include "metaport/format/json_canonical.hpp"
#include "tests/format/format_test_util.hpp"
#include "tests/format/yaml_cases.hpp"

namespace metaport::test {
namespace {

// The property the dump relies on.
void expect_sound(const std::string& text) {
  if (!json::is_canonical(text)) return;
  auto back = json::parse(text);
  ASSERT_TRUE(back.ok()) << "accepted, but does not parse: " << text.substr(0, 300);
  EXPECT_EQ(json::write(*back), text) << "accepted, but is not what the writer writes";
}

// A Value whose strings are all UTF-8 writes canonical text; only escapes of
// invalid bytes (which read back as other text) are not.
bool all_utf8(const Value& v) {
  switch (v.type()) {
    case Value::Type::String: return utf8::valid(v.as_string());
    case Value::Type::Array:
      for (const auto& x : v.as_array())
        if (!all_utf8(x)) return false;
      return true;
    case Value::Type::Object:
      for (const auto& [k, x] : v.as_object())
        if (!utf8::valid(k) || !all_utf8(x)) return false;
      return true;
    default: return true;
  }
}

TEST(JsonCanonical, WriterOutputIsCanonical) {
  for (const auto& [name, v] : document_cases()) {
    const std::string text = json::write(v);
    expect_sound(text);
    if (all_utf8(v)) EXPECT_TRUE(json::is_canonical(text)) << name << ": " << text.substr(0, 300);
  }
  ValueGen gen(777);
  int canonical = 0;
  for (int i = 0; i < 20000 && !::testing::Test::HasFailure(); ++i) {
    const Value v = gen.value(5);
    const std::string text = json::write(v);
    expect_sound(text);
    if (all_utf8(v)) {
      EXPECT_TRUE(json::is_canonical(text)) << "random #" << i << ": " << text.substr(0, 300);
      ++canonical;
    }
  }
  EXPECT_GT(canonical, 5000);  // the generator is not all invalid UTF-8
}

TEST(JsonCanonical, RandomEditsAreNeverWronglyAccepted) {
  ValueGen gen(99);
  static const std::string pool = std::string("{}[]\",:\\ 0123456789.eE+-ntfrualsx/") + "\x01\x7f\x80\xc3\xa9\xff" +
                                  std::string(1, '\0');
  int accepted = 0;
  for (int i = 0; i < 20000 && !::testing::Test::HasFailure(); ++i) {
    std::string text = json::write(gen.value(4));
    const int edits = 1 + static_cast<int>(gen.rng().below(3));
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = text.empty() ? 0 : gen.rng().below(text.size());
      const char c = pool[gen.rng().below(pool.size())];
      switch (gen.rng().below(3)) {
        case 0: if (!text.empty()) text.erase(at, 1); break;
        case 1: text.insert(at, 1, c); break;
        default: if (!text.empty()) text[at] = c; break;
      }
    }
    expect_sound(text);
    accepted += json::is_canonical(text);
  }
  EXPECT_GT(accepted, 100);  // the edits do reach accepted text, so soundness was tested
}

TEST(JsonCanonical, SaysNoToWhatTheWriterWouldWriteDifferently) {
  for (const char* text : {
           "", " ", "{} ", " {}", "{\"a\": 1}", "{\"a\":1 }", "[1, 2]", "tru", "nul", "True",  // spacing, words
           "01", "-0", "+1", "1.", ".5", "1e5", "1E+5", "1.50", "1e400", "0.10", "-01",        // numbers
           "9223372036854775808", "-9223372036854775809", "18446744073709551615",               // beyond int64
           "\"\\/\"", "\"\\u0041\"", "\"\\u000a\"", "\"\\u00e9\"", "\"\\u00A0\"", "\"\\u001F\"",  // escapes
           "\"\\ud83d\\ude00\"", "\"\t\"", "\"\x01\"", "\"\xff\"", "\"\xc3\"", "\"\xed\xa0\x80\"",  // raw bytes
           "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1,\"b\":1}}", "[1,]", "{,}", "{\"a\"}", "[\"a\":1]",  // structure
           "\"abc", "[1", "{\"a\":1", "1 2",
       })
    EXPECT_FALSE(json::is_canonical(text)) << text;
}

TEST(JsonCanonical, SaysYesToTheWritersForms) {
  for (const char* text : {
           "null", "true", "false", "0", "-1", "9223372036854775807", "-9223372036854775808", "25.0", "-0.0",
           "0.5", "1e+300", "1e-300", "5e-324", "1e+16", "123456.789", "\"\"", "\"\\\"\\\\\\n\\t\\r\\b\\f\"",
           "\"\\u0000\\u001f\\u0001\"", "\"\x7f\"", "\"é日本😀\"", "\"/\"", "[]", "{}", "[[],{}]",
           "{\"a\":1,\"b\":[1,2.5,\"x\"],\"c\":{\"a\":null}}",
       })
    EXPECT_TRUE(json::is_canonical(text)) << text;
}

TEST(JsonCanonical, ManyMembersAndDeepNesting) {
  Value big = Value::object();
  for (int i = 0; i < 200; ++i) big.set("k" + std::to_string(i), i);
  std::string text = json::write(big);
  EXPECT_TRUE(json::is_canonical(text));
  text.replace(text.rfind("\"k199\""), 6, "\"k7\"");  // a duplicate among many: found by sorting
  EXPECT_FALSE(json::is_canonical(text));

  std::string deep = std::string(200, '[') + std::string(200, ']');
  EXPECT_TRUE(json::is_canonical(deep));
  // Deeper than the checker follows: declined (the dump takes the Value
  // path, which reports what simdjson says).
  std::string deeper = std::string(2000, '[') + std::string(2000, ']');
  EXPECT_FALSE(json::is_canonical(deeper));
}

}  // namespace
}  // namespace metaport::test
