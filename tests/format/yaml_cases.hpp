// The hand-picked documents of the format tests: every scalar type and every
// string the YAML writer has a rule for, each placed where YAML treats it
// differently (map value, list item, nested, key, top level), plus the
// collection shapes. Shared by the writer, js-yaml and fast-reader tests.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "metaport/value.hpp"

namespace metaport::test {

struct NamedValue {
  std::string name;
  Value value;
};

// Scalars, named for failure messages.
inline std::vector<NamedValue> scalar_cases() {
  std::vector<NamedValue> c = {
      {"null", Value()},
      {"true", Value(true)},
      {"false", Value(false)},
      {"int 0", Value(0)},
      {"int -1", Value(-1)},
      {"int 42", Value(42)},
      {"int max", Value(static_cast<long long>(INT64_MAX))},
      {"int min", Value(static_cast<long long>(INT64_MIN))},
      {"int 2^53+1", Value(static_cast<long long>((1LL << 53) + 1))},
      {"double 0.5", Value(0.5)},
      {"double 1e300", Value(1e300)},
      {"double -1e300", Value(-1e300)},
      {"double 1e-300", Value(1e-300)},
      {"double 5e-324", Value(5e-324)},
      {"double max", Value(1.7976931348623157e308)},
      {"double 25.0", Value(25.0)},
      {"double 0.0", Value(0.0)},
      {"double -0.0", Value(-0.0)},
      {"double 0.1", Value(0.1)},
      {"double 1e16", Value(1e16)},
      {"double 1e21", Value(1e21)},
      {"double 123456789.0", Value(123456789.0)},
      {"double -2.5", Value(-2.5)},
      {"double inf", Value(INFINITY)},
      {"double -inf", Value(-INFINITY)},
      {"double nan", Value(NAN)},
  };
  const std::vector<std::pair<std::string, std::string>> strings = {
      {"empty", ""},
      {"plain word", "hello"},
      {"plain words", "Total Sales by Month"},
      {"leading space", " a"},
      {"trailing space", "a "},
      {"only spaces", "   "},
      {"indicator -", "-"},
      {"indicator - x", "- x"},
      {"indicator -x", "-x"},
      {"indicator ?", "?"},
      {"indicator ? x", "? x"},
      {"indicator :", ":"},
      {"indicator : x", ": x"},
      {"indicator ,", ",x"},
      {"indicator [", "[x"},
      {"indicator ]", "]x"},
      {"indicator {", "{x"},
      {"indicator }", "}x"},
      {"indicator {}", "{}"},
      {"indicator []", "[]"},
      {"indicator #", "#x"},
      {"indicator &", "&x"},
      {"indicator *", "*x"},
      {"indicator !", "!x"},
      {"indicator !!str", "!!str x"},
      {"indicator |", "|x"},
      {"indicator >", ">x"},
      {"indicator '", "'x"},
      {"indicator \"", "\"x"},
      {"indicator %", "%x"},
      {"indicator @", "@x"},
      {"indicator `", "`x"},
      {"merge key <<", "<<"},
      {"equals", "="},
      {"word null", "null"},
      {"word Null", "Null"},
      {"word NULL", "NULL"},
      {"word true", "true"},
      {"word False", "False"},
      {"word yes", "yes"},
      {"word No", "No"},
      {"word on", "on"},
      {"word OFF", "OFF"},
      {"word y", "y"},
      {"word n", "n"},
      {"tilde", "~"},
      {"number 123", "123"},
      {"number 1.5", "1.5"},
      {"number 1e3", "1e3"},
      {"number 0x1f", "0x1f"},
      {"number 0o17", "0o17"},
      {"number -1", "-1"},
      {"number +1", "+1"},
      {"number .5", ".5"},
      {"number 1_000", "1_000"},
      {"number .inf", ".inf"},
      {"number .nan", ".nan"},
      {"date", "2024-01-15"},
      {"datetime", "2024-01-15T10:30:00Z"},
      {"time", "12:30:45"},
      {"colon space inside", "a: b"},
      {"space hash inside", "a #b"},
      {"trailing colon", "a:"},
      {"colon no space", "a:b"},
      {"hash no space", "a#b"},
      {"url", "https://example.com/a?b=1#frag"},
      {"flow chars inside", "a, b [c] {d}"},
      {"quotes inside", "it's \"quoted\""},
      {"backslash", "C:\\path\\n"},
      {"multi-line", "a\nb"},
      {"multi-line trailing newline", "a\nb\n"},
      {"multi-line two trailing newlines", "a\nb\n\n"},
      {"multi-line three trailing newlines", "a\n\n\n"},
      {"multi-line empty line inside", "a\n\nb"},
      {"only newline", "\n"},
      {"only newlines", "\n\n"},
      {"leading newline", "\na"},
      {"leading newlines", "\n\na\n"},
      {"leading spaces first line", "  a\nb"},
      {"leading newline then spaces", "\n  a"},
      {"indented second line", "a\n  b"},
      {"line of only spaces", "a\n  \nb"},
      {"last line only spaces", "a\n  "},
      {"tab inside", "a\tb"},
      {"tab alone", "\t"},
      {"tab at line start", "a\n\tb"},
      {"crlf", "a\r\nb\r\n"},
      {"cr", "a\rb"},
      {"sql", "SELECT id, name\nFROM orders\nWHERE total > 100 -- big ones\n  AND status = 'paid'\n"},
      {"nul", std::string("a\0b", 3)},
      {"control 01", "\x01"},
      {"escape seq", "\x1b[0m"},
      {"del", "a\x7f"},
      {"NEL", "a\xc2\x85" "b"},
      {"LS", "a\xe2\x80\xa8" "b"},
      {"PS", "a\xe2\x80\xa9" "b"},
      {"BOM", "\xef\xbb\xbf" "a"},
      {"C1 U+0080", "\xc2\x80"},
      {"C1 U+009F", "a\xc2\x9f"},
      {"nbsp", "a\xc2\xa0" "b"},
      {"U+FFFE", "\xef\xbf\xbe"},
      {"U+FFFF", "\xef\xbf\xbf"},
      {"emoji", "\xf0\x9f\x98\x80"},
      {"CJK", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"},
      {"accented", "caf\xc3\xa9"},
      {"multi-line unicode", "caf\xc3\xa9\n\xe6\x97\xa5\xe6\x9c\xac\n"},
      {"multi-line with NEL", "a\n\xc2\x85"},
      {"invalid byte ff", "\xff"},
      {"truncated sequence", "a\xc3"},
      {"overlong slash", "\xc0\xaf"},
      {"surrogate", "\xed\xa0\x80"},
      {"above U+10FFFF", "\xf4\x90\x80\x80"},
      {"stray continuation", "\x80" "abc"},
      {"multi-line invalid", "a\n\xff"},
      {"document start", "---"},
      {"document end", "..."},
      {"long plain", std::string(100000, 'a')},
      {"long words", [] { std::string s; for (int i = 0; i < 5000; ++i) s += "word "; s += "end"; return s; }()},
      {"long sql", [] { std::string s; for (int i = 0; i < 3000; ++i) s += "SELECT a FROM t WHERE b = 'c'\n"; return s; }()},
  };
  for (const auto& [name, s] : strings) c.push_back({"string " + name, Value(s)});
  return c;
}

// Keys that each need a different treatment.
inline std::vector<std::pair<std::string, std::string>> key_cases() {
  return {
      {"plain", "name"},
      {"slash", "serdes/meta"},
      {"dots", "table.columns"},
      {"empty", ""},
      {"null", "null"},
      {"tilde", "~"},
      {"true", "true"},
      {"number", "1"},
      {"negative", "-1"},
      {"colon space", "a: b"},
      {"dash space", "- x"},
      {"question", "? x"},
      {"hash", "#"},
      {"leading space", " k"},
      {"trailing space", "k "},
      {"unicode", "\xe6\x97\xa5\xe6\x9c\xac"},
      {"newline", "a\nb"},
      {"tab", "a\tb"},
      {"merge", "<<"},
      {"proto", "__proto__"},
      {"quote", "it's"},
      {"invalid utf8", "k\xff"},
      {"1024 bytes", std::string(1024, 'k')},
      {"1025 bytes", std::string(1025, 'k')},
      {"1022 quoted", std::string(1022, ' ')},
      {"1023 quoted", std::string(1023, ' ')},
      {"long escaped", std::string(400, '\x01')},
      {"5000 bytes", std::string(5000, 'k')},
  };
}

// Every scalar in the places YAML treats differently, every key in a few
// shapes, and the collection shapes.
inline std::vector<NamedValue> document_cases() {
  std::vector<NamedValue> docs;
  for (const auto& [name, s] : scalar_cases()) {
    docs.push_back({name + " / top level", s});
    docs.push_back({name + " / map value", Value(Value::Object{{"v", s}})});
    docs.push_back({name + " / list item", Value(Value::Array{s})});
    docs.push_back({name + " / nested map", Value(Value::Object{{"a", Value(Value::Object{{"b", s}, {"c", 1}})}})});
    docs.push_back({name + " / nested list", Value(Value::Array{Value(Value::Array{s, s})})});
    docs.push_back({name + " / map in list", Value(Value::Array{Value(Value::Object{{"k", s}, {"z", s}})})});
    docs.push_back({name + " / list under key in list",
                    Value(Value::Object{{"l", Value(Value::Array{Value(Value::Object{{"m", Value(Value::Array{s})}, {"n", s}})})}})});
  }
  for (const auto& [name, k] : key_cases()) {
    docs.push_back({"key " + name, Value(Value::Object{{k, 1}})});
    docs.push_back({"key " + name + " / nested", Value(Value::Object{{"a", Value(Value::Object{{k, Value(Value::Object{{k, "v"}})}, {"z", 0}})}})});
    docs.push_back({"key " + name + " / list value", Value(Value::Object{{k, Value(Value::Array{1, Value(Value::Array{2})})}, {"b", true}})});
    docs.push_back({"key " + name + " / in list", Value(Value::Array{Value(Value::Object{{k, "x\ny"}, {"b", Value::object()}})})});
  }
  docs.push_back({"empty map", Value::object()});
  docs.push_back({"empty list", Value::array()});
  docs.push_back({"empties", Value(Value::Object{{"m", Value::object()}, {"l", Value::array()},
                                                 {"ll", Value(Value::Array{Value::array(), Value::object()})}})});
  docs.push_back({"list of lists", Value(Value::Array{Value(Value::Array{1, 2}), Value(Value::Array{Value(Value::Array{3}), 4}), Value::array()})});
  docs.push_back({"deep lists", Value(Value::Array{Value(Value::Array{Value(Value::Array{Value(Value::Array{"deep"})})})})});
  docs.push_back({"maps in lists", Value(Value::Array{Value(Value::Object{{"a", 1}, {"b", Value(Value::Object{{"c", 2}})}}),
                                                      Value(Value::Object{{"d", Value(Value::Array{Value(Value::Object{{"e", 3}})})}})})});
  docs.push_back({"list first in list item map", Value(Value::Array{Value(Value::Object{{"a", Value(Value::Array{1, 2})}, {"b", 3}})})});
  Value deep = Value("bottom");
  for (int i = 0; i < 40; ++i) deep = i % 2 ? Value(Value::Object{{"k", deep}}) : Value(Value::Array{deep});
  docs.push_back({"40 levels", deep});
  Value wide = Value::object();
  for (int i = 0; i < 300; ++i) wide.set("key" + std::to_string(i), i);
  docs.push_back({"300 keys", wide});
  return docs;
}

}  // namespace metaport::test
