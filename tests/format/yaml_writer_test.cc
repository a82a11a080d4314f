// The canonical YAML writer: every value reads back equal (types included)
// through yaml-cpp and through js-yaml (what the Metabase validator reads our
// trees with), the same Value always gives the same bytes, and the layout is
// the readable one.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "metaport/format/json.hpp"
#include "metaport/format/yaml_reader.hpp"
#include "metaport/format/yaml_writer.hpp"
#include "tests/format/format_test_util.hpp"
#include "tests/format/yaml_cases.hpp"

namespace metaport::test {
namespace {

std::string show(const std::string& yaml) {
  std::string out;
  dump_string(out, yaml.size() > 600 ? yaml.substr(0, 600) + "..." : yaml);
  return out;
}

// (a) yaml-cpp reads the writer's output back to an equal Value, types and
// all; (c) writing twice gives the same bytes, and writing what was read
// gives the same bytes again (the format is a fixed point).
void expect_round_trip(const std::string& name, const Value& v) {
  const std::string text = yaml::write(v);
  const Value expected = after_yaml_round_trip(v);
  auto back = yaml::parse_with_yaml_cpp(text);
  ASSERT_TRUE(back.ok()) << name << "\n" << show(text) << "\n" << back.errors().to_string();
  EXPECT_EQ(dump(*back), dump(expected)) << name << "\n" << show(text);
  EXPECT_EQ(yaml::write(v), text) << name;
  EXPECT_EQ(yaml::write(*back), yaml::write(expected)) << name;
  EXPECT_EQ(text.back(), '\n') << name;
}

TEST(YamlWriter, EveryCaseReadsBackThroughYamlCpp) {
  const auto docs = document_cases();
  ASSERT_GT(docs.size(), 900u);
  for (const auto& [name, v] : docs) expect_round_trip(name, v);
}

TEST(YamlWriter, RandomValuesReadBackThroughYamlCpp) {
  ValueGen gen(20240115);
  for (int i = 0; i < 1500; ++i) {
    const Value v = gen.document();
    expect_round_trip("random #" + std::to_string(i), v);
    if (::testing::Test::HasFailure()) break;  // one readable failure, not a thousand
  }
}

TEST(YamlWriter, DoublesStayDoublesAndIntsStayInts) {
  // A copy: the parsed document is gone when the lambda returns.
  auto back = [](const Value& v) -> Value {
    auto doc = yaml::parse_with_yaml_cpp(yaml::write(Value(Value::Object{{"v", v}})));
    const Value* found = doc ? doc->find("v") : nullptr;
    return found ? *found : Value();
  };
  EXPECT_EQ(yaml::write(Value(Value::Object{{"v", 25.0}})), "v: 25.0\n");
  EXPECT_TRUE(back(25.0).is_double());
  EXPECT_TRUE(back(25).is_int());
  EXPECT_EQ(yaml::write(Value(Value::Object{{"v", 1e300}})), "v: 1e+300\n");
  EXPECT_EQ(back(1e300).as_double(), 1e300);
  EXPECT_EQ(yaml::write(Value(Value::Object{{"v", -0.0}})), "v: -0.0\n");
  EXPECT_TRUE(std::signbit(back(-0.0).as_double()));
  EXPECT_EQ(yaml::write(Value(Value::Object{{"v", 0.5}})), "v: 0.5\n");
  EXPECT_EQ(yaml::write(Value(Value::Array{INFINITY, -INFINITY, NAN})), "- .inf\n- -.inf\n- .nan\n");
  EXPECT_TRUE(std::isnan(yaml::parse_with_yaml_cpp("- .nan\n")->as_array()[0].as_double()));
}

// The style chosen for each kind of string, as a reviewer sees it.
TEST(YamlWriter, StringStyles) {
  auto w = [](const std::string& s) { return yaml::write(Value(Value::Object{{"v", s}})); };
  EXPECT_EQ(w("hello world"), "v: hello world\n");
  EXPECT_EQ(w(""), "v: ''\n");
  EXPECT_EQ(w("null"), "v: 'null'\n");
  EXPECT_EQ(w("yes"), "v: 'yes'\n");
  EXPECT_EQ(w("123"), "v: '123'\n");
  EXPECT_EQ(w("2024-01-15"), "v: '2024-01-15'\n");
  EXPECT_EQ(w("a: b"), "v: 'a: b'\n");
  EXPECT_EQ(w("a #b"), "v: 'a #b'\n");
  EXPECT_EQ(w("it's"), "v: it's\n");
  EXPECT_EQ(w("'x"), "v: '''x'\n");
  EXPECT_EQ(w(" a"), "v: ' a'\n");
  EXPECT_EQ(w("caf\xc3\xa9"), "v: 'caf\xc3\xa9'\n");
  EXPECT_EQ(w("a\nb"), "v: |-\n  a\n  b\n");
  EXPECT_EQ(w("a\nb\n"), "v: |\n  a\n  b\n");
  EXPECT_EQ(w("a\n\n"), "v: |+\n  a\n\n");
  EXPECT_EQ(w(" a\nb"), "v: |2-\n   a\n  b\n");
  EXPECT_EQ(w("\na"), "v: |2-\n\n  a\n");
  EXPECT_EQ(w("\n"), "v: \"\\n\"\n");
  EXPECT_EQ(w("a\n  \nb"), "v: \"a\\n  \\nb\"\n");
  EXPECT_EQ(w("a\tb"), "v: \"a\\tb\"\n");
  EXPECT_EQ(w("a\r\nb"), "v: \"a\\r\\nb\"\n");
  EXPECT_EQ(w(std::string("\0\x1b\x7f", 3)), "v: \"\\x00\\x1B\\x7F\"\n");
  EXPECT_EQ(w("\xc2\x85\xe2\x80\xa8\xe2\x80\xa9\xef\xbb\xbf"), "v: \"\\x85\\L\\P\\uFEFF\"\n");
  EXPECT_EQ(w("\xc2\x80\xc2\x9f\xef\xbf\xbe\xef\xbf\xbf"), "v: \"\\x80\\x9F\\uFFFE\\uFFFF\"\n");
  EXPECT_EQ(w("\xff" "a\xc3"), "v: \"\\xFFa\\xC3\"\n");
  EXPECT_EQ(w("\xf0\x9f\x98\x80\n"), "v: |\n  \xf0\x9f\x98\x80\n");
}

TEST(YamlWriter, KeysNeedingQuotes) {
  auto w = [](const std::string& k) { return yaml::write(Value(Value::Object{{k, 1}})); };
  EXPECT_EQ(w("serdes/meta"), "serdes/meta: 1\n");
  EXPECT_EQ(w(""), "'': 1\n");
  EXPECT_EQ(w("null"), "'null': 1\n");
  EXPECT_EQ(w("1"), "'1': 1\n");
  EXPECT_EQ(w("a: b"), "'a: b': 1\n");
  EXPECT_EQ(w("a\nb"), "\"a\\nb\": 1\n");
  // YAML limits implicit keys to 1024 characters (yaml-cpp: bytes, quotes
  // included); longer keys become explicit "? key" entries.
  EXPECT_EQ(w(std::string(1024, 'k')), std::string(1024, 'k') + ": 1\n");
  EXPECT_EQ(w(std::string(1025, 'k')), "? " + std::string(1025, 'k') + "\n: 1\n");
  EXPECT_EQ(w(std::string(1022, ' ')), "'" + std::string(1022, ' ') + "': 1\n");
  EXPECT_EQ(w(std::string(1023, ' ')), "? '" + std::string(1023, ' ') + "'\n: 1\n");
  const std::string k(2000, 'q');
  EXPECT_EQ(yaml::write(Value(Value::Array{Value(Value::Object{{k, Value(Value::Array{1})}, {"b", Value(Value::Object{{k, 2}})}})})),
            "- ? " + k + "\n  :\n  - 1\n  b:\n    ? " + k + "\n    : 2\n");
}

TEST(YamlWriter, EmptyAndNestedCollections) {
  EXPECT_EQ(yaml::write(Value::object()), "{}\n");
  EXPECT_EQ(yaml::write(Value::array()), "[]\n");
  EXPECT_EQ(yaml::write(Value(Value::Array{Value(Value::Array{"a", "b"}), Value(Value::Array{Value(Value::Array{"c"})})})),
            "- - a\n  - b\n- - - c\n");
  EXPECT_EQ(yaml::write(Value(Value::Object{{"l", Value(Value::Array{Value::object(), Value::array(), Value(Value::Object{{"a", Value::array()}})})}})),
            "l:\n- {}\n- []\n- a: []\n");
}

// (d) the layout for a representative document, byte for byte: keys in
// Value order, sequences not indented under their key, "- - " for nested
// lists, maps in lists continuing under their first key, literal blocks
// for multi-line text.
TEST(YamlWriter, GoldenCardLayout) {
  Value card = Value::object();
  card.set("name", "Orders by month");
  card.set("description", Value());
  card.set("entity_id", "Z1b2C3d4E5f6G7h8I9j0K");
  card.set("display", "line");
  Value native = Value::object();
  native.set("query", "SELECT date_trunc('month', created_at) AS month, count(*)\nFROM orders\nGROUP BY 1");
  native.set("template-tags", Value::object());
  Value query = Value::object();
  query.set("database", "Sample Database");
  query.set("type", "native");
  query.set("native", native);
  card.set("dataset_query", query);
  Value viz = Value::object();
  viz.set("graph.dimensions", Value(Value::Array{"month"}));
  viz.set("graph.metrics", Value(Value::Array{"count"}));
  viz.set("column_settings", Value(Value::Object{{"[\"name\",\"count\"]", Value(Value::Object{{"number_style", "decimal"}})}}));
  card.set("visualization_settings", viz);
  card.set("parameters", Value::array());
  Value field_ref = Value(Value::Array{"field", "month", Value(Value::Object{{"base-type", "type/DateTime"}})});
  card.set("result_metadata", Value(Value::Array{
                                  Value(Value::Object{{"name", "month"}, {"base_type", "type/DateTime"}, {"field_ref", field_ref}}),
                                  Value(Value::Array{"nested", "list"}),
                              }));
  card.set("serdes/meta", Value(Value::Array{Value(Value::Object{{"id", "Z1b2C3d4E5f6G7h8I9j0K"}, {"label", "orders_by_month"}, {"model", "Card"}})}));
  card.set("collection_position", 1.5);
  card.set("archived", false);
  card.set("cache_ttl", 600);

  const std::string expected =
      "name: Orders by month\n"
      "description: null\n"
      "entity_id: Z1b2C3d4E5f6G7h8I9j0K\n"
      "display: line\n"
      "dataset_query:\n"
      "  database: Sample Database\n"
      "  type: native\n"
      "  native:\n"
      "    query: |-\n"
      "      SELECT date_trunc('month', created_at) AS month, count(*)\n"
      "      FROM orders\n"
      "      GROUP BY 1\n"
      "    template-tags: {}\n"
      "visualization_settings:\n"
      "  graph.dimensions:\n"
      "  - month\n"
      "  graph.metrics:\n"
      "  - count\n"
      "  column_settings:\n"
      "    '[\"name\",\"count\"]':\n"
      "      number_style: decimal\n"
      "parameters: []\n"
      "result_metadata:\n"
      "- name: month\n"
      "  base_type: type/DateTime\n"
      "  field_ref:\n"
      "  - field\n"
      "  - month\n"
      "  - base-type: type/DateTime\n"
      "- - nested\n"
      "  - list\n"
      "serdes/meta:\n"
      "- id: Z1b2C3d4E5f6G7h8I9j0K\n"
      "  label: orders_by_month\n"
      "  model: Card\n"
      "collection_position: 1.5\n"
      "archived: false\n"
      "cache_ttl: 600\n";
  EXPECT_EQ(yaml::write(card), expected);
  expect_round_trip("golden card", card);
}

// --- (b) js-yaml ------------------------------------------------------------

// JSON cannot carry inf/nan: js_yaml_check.cjs compares them as
// {"$nonfinite": ...} objects, on both sides.
Value json_expectation(const Value& v) {
  switch (v.type()) {
    case Value::Type::Double: {
      const double d = v.as_double();
      if (std::isnan(d)) return Value(Value::Object{{"$nonfinite", "nan"}});
      if (std::isinf(d)) return Value(Value::Object{{"$nonfinite", d > 0 ? "inf" : "-inf"}});
      return v;
    }
    case Value::Type::Array: {
      Value::Array a;
      for (const auto& x : v.as_array()) a.push_back(json_expectation(x));
      return Value(std::move(a));
    }
    case Value::Type::Object: {
      Value::Object o;
      for (const auto& [k, x] : v.as_object()) o.emplace_back(k, json_expectation(x));
      return Value(std::move(o));
    }
    default: return v;
  }
}

std::string js_yaml_script() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* ws = std::getenv("TEST_WORKSPACE");
  if (srcdir && ws) return std::string(srcdir) + "/" + ws + "/tests/format/js_yaml_check.cjs";
  return "tests/format/js_yaml_check.cjs";  // plain builds run from the workspace root
}

std::string temp_path(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

struct CheckRun {
  int exit_code = -1;
  std::string output;
};

CheckRun run_js_yaml(const std::vector<NamedValue>& docs, const std::string& file_name) {
  std::string cases = "[";
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (i) cases += ",\n";
    cases += "{\"name\":";
    json::write_string(cases, docs[i].name);
    cases += ",\"yaml\":";
    json::write_string(cases, yaml::write(docs[i].value));
    cases += ",\"json\":";
    json::write_string(cases, json::write(json_expectation(docs[i].value)));
    cases += "}";
  }
  cases += "]\n";
  const std::string path = temp_path(file_name);
  std::ofstream(path, std::ios::binary) << cases;
  CheckRun run;
  const std::string cmd = "node '" + js_yaml_script() + "' '" + path + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return run;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) run.output.append(buf, n);
  const int status = pclose(p);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

void expect_js_yaml_agrees(const std::vector<NamedValue>& docs, const std::string& file_name) {
  const CheckRun run = run_js_yaml(docs, file_name);
  ASSERT_NE(run.exit_code, 2) << "js-yaml not available (run the tests through tests/run, which installs "
                                 "tests/validator with npm ci):\n"
                              << run.output;
  auto report = json::parse(run.output);
  ASSERT_TRUE(report.ok()) << "unexpected output of js_yaml_check.cjs (exit " << run.exit_code << "):\n" << run.output;
  ASSERT_TRUE(report->find("checked") && report->find("failures")) << run.output;
  EXPECT_EQ(report->find("checked")->as_int(), static_cast<std::int64_t>(docs.size()));
  const auto& failures = report->find("failures")->as_array();
  for (std::size_t i = 0; i < failures.size() && i < 20; ++i) ADD_FAILURE() << "js-yaml disagrees: " << json::write(failures[i]);
  EXPECT_EQ(failures.size(), 0u) << "js-yaml " << json::write(*report->find("version")) << " at "
                                 << json::write(*report->find("js_yaml"));
  EXPECT_EQ(run.exit_code, 0);
}

TEST(JsYaml, EveryCaseReadsBackTheSame) {
  expect_js_yaml_agrees(document_cases(), "js_yaml_cases.json");
}

TEST(JsYaml, RandomValuesReadBackTheSame) {
  ValueGen gen(77);
  std::vector<NamedValue> docs;
  for (int i = 0; i < 600; ++i) docs.push_back({"random #" + std::to_string(i), gen.document()});
  expect_js_yaml_agrees(docs, "js_yaml_random.json");
}

// The check itself must be able to fail: a YAML text that js-yaml reads
// differently from the JSON it is compared with is reported.
TEST(JsYaml, CheckerReportsAMismatch) {
  const std::string path = temp_path("js_yaml_mismatch.json");
  std::ofstream(path, std::ios::binary) << R"([{"name":"wrong","yaml":"a: 1\n","json":"{\"a\":2}"},)"
                                        << R"({"name":"timestamp","yaml":"a: 2024-01-15\n","json":"{\"a\":\"2024-01-15\"}"},)"
                                        << R"({"name":"right","yaml":"a: '1'\n","json":"{\"a\":\"1\"}"}])";
  const std::string cmd = "node '" + js_yaml_script() + "' '" + path + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 1) << out;
  auto report = json::parse(out);
  ASSERT_TRUE(report.ok()) << out;
  const auto& failures = report->find("failures")->as_array();
  ASSERT_EQ(failures.size(), 2u) << out;
  EXPECT_EQ(failures[0].find("name")->as_string(), "wrong");
  EXPECT_EQ(failures[1].find("name")->as_string(), "timestamp");  // js-yaml reads a Date
}

}  // namespace
}  // namespace metaport::test
