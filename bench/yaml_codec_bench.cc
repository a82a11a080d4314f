// Document codecs, one card-sized document at a time (what a tree dump or
// load does per entity file): yaml-cpp's parser and emitter against
// metaport's fast canonical reader and canonical writer, and JSON both ways.
//
//   bazel run --config=opt //bench:yaml_codec_bench
//
// items_per_second is documents per second on one core. The tree dump needs
// >= 20k entities/s and the tree load >= 10k/s overall (the targets of
// docs/performance.md), so a codec must leave most of that budget to the rest (files,
// decoding into structs, validation). Figures and discussion: docs/yaml.md.
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "metaport/format/fast_yaml.hpp"
#include "metaport/format/json.hpp"
#include "metaport/format/yaml_reader.hpp"
#include "metaport/format/yaml_writer.hpp"

namespace {

using metaport::Value;
using Object = Value::Object;
using Array = Value::Array;

Value field(int id, Value options = Value()) { return Value(Array{"field", id, std::move(options)}); }

// A saved question as Metabase serializes it: an MBQL query, result
// metadata, visualization settings, serdes/meta. 69 lines of canonical YAML:
// the typical entity file of a tree dump.
Value card_document() {
  Value query = Value(Object{
      {"source-table", "orders_table_eid_00001"},
      {"filter", Value(Array{"and", Value(Array{"=", field(53), "Widget", "Gizmo"}),
                             Value(Array{"time-interval", field(46), -12, "month"})})},
      {"aggregation", Value(Array{Value(Array{"sum", field(44)})})},
      {"breakout", Value(Array{field(46, Value(Object{{"temporal-unit", "month"}}))})},
  });
  Value column = Value(Object{
      {"name", "CREATED_AT"},
      {"display_name", "Created At: Month"},
      {"base_type", "type/DateTime"},
      {"semantic_type", "type/CreationTimestamp"},
      {"field_ref", field(46, Value(Object{{"temporal-unit", "month"}}))},
  });
  Value viz = Value(Object{
      {"graph.dimensions", Value(Array{"CREATED_AT"})},
      {"graph.metrics", Value(Array{"sum"})},
      {"graph.show_values", true},
      {"column_settings", Value(Object{{"[\"name\",\"sum\"]", Value(Object{{"number_style", "currency"}, {"decimals", 2}})}})},
  });
  return Value(Object{
      {"name", "Net sales of widgets by month"},
      {"description", "Net sales per month for the last year.\nExcludes refunds."},
      {"entity_id", "Xq3bDkv0bXmVQzYxXb7mN"},
      {"created_at", "2024-01-15T10:30:00.123456Z"},
      {"creator_id", "analyst@example.com"},
      {"display", "line"},
      {"archived", false},
      {"collection_id", "M-Q4pcV0qkiyJ0kiSWECl"},
      {"collection_position", Value()},
      {"cache_ttl", Value()},
      {"database_id", "Sample Database"},
      {"query_type", "query"},
      {"type", "question"},
      {"enable_embedding", false},
      {"dataset_query", Value(Object{{"database", "Sample Database"}, {"type", "query"}, {"query", query}})},
      {"parameters", Value::array()},
      {"result_metadata", Value(Array{column})},
      {"visualization_settings", viz},
      {"metabase_version", "v1.52.3 (8c1c2a0)"},
      {"serdes/meta", Value(Array{Value(Object{{"id", "Xq3bDkv0bXmVQzYxXb7mN"}, {"label", "net_sales_of_widgets_by_month"}, {"model", "Card"}})})},
  });
}

// A heavier question (a join, an expression, more metadata): 135 lines.
Value large_card_document() {
  Value query = Value(Object{
      {"source-table", "orders_table_eid_00001"},
      {"joins", Value(Array{Value(Object{
                    {"alias", "Products"},
                    {"condition", Value(Array{"=", field(41), field(52, Value(Object{{"join-alias", "Products"}}))})},
                    {"fields", "all"},
                    {"source-table", "products_table_eid_001"},
                    {"strategy", "left-join"},
                })})},
      {"expressions", Value(Object{{"Net", Value(Array{"-", field(44), field(45)})}})},
      {"filter", Value(Array{"and",
                             Value(Array{"=", field(53, Value(Object{{"join-alias", "Products"}})), "Widget", "Gizmo"}),
                             Value(Array{">", field(44), 10}),
                             Value(Array{"time-interval", field(46), -12, "month"})})},
      {"aggregation", Value(Array{Value(Array{"count"}), Value(Array{"sum", Value(Array{"expression", "Net"})}),
                                  Value(Array{"avg", field(44)})})},
      {"breakout", Value(Array{field(46, Value(Object{{"temporal-unit", "month"}})),
                               field(53, Value(Object{{"join-alias", "Products"}}))})},
      {"order-by", Value(Array{Value(Array{"desc", Value(Array{"aggregation", 1})})})},
      {"limit", 2000},
  });
  Value column = Value(Object{
      {"name", "CREATED_AT"},
      {"display_name", "Created At: Month"},
      {"base_type", "type/DateTime"},
      {"effective_type", "type/DateTime"},
      {"semantic_type", "type/CreationTimestamp"},
      {"field_ref", field(46, Value(Object{{"base-type", "type/DateTime"}}))},
      {"fingerprint", Value(Object{{"global", Value(Object{{"distinct-count", 12}, {"nil%", 0.0}})}})},
  });
  Value metric = Value(Object{
      {"name", "sum"},
      {"display_name", "Sum of Net"},
      {"base_type", "type/Float"},
      {"semantic_type", Value()},
      {"field_ref", Value(Array{"aggregation", 1})},
  });
  Value viz = Value(Object{
      {"graph.dimensions", Value(Array{"CREATED_AT", "CATEGORY"})},
      {"graph.metrics", Value(Array{"count", "sum"})},
      {"graph.show_values", true},
      {"graph.y_axis.title_text", "Net sales"},
      {"series_settings", Value(Object{{"sum", Value(Object{{"display", "line"}, {"color", "#88BF4D"}})}})},
      {"column_settings", Value(Object{{"[\"name\",\"sum\"]", Value(Object{{"number_style", "currency"}, {"currency", "EUR"}, {"decimals", 2}})}})},
  });
  return Value(Object{
      {"name", "Net sales of widgets by month"},
      {"description", "Net sales (total minus discount) per month for the last year.\nExcludes refunds."},
      {"entity_id", "Xq3bDkv0bXmVQzYxXb7mN"},
      {"created_at", "2024-01-15T10:30:00.123456Z"},
      {"creator_id", "analyst@example.com"},
      {"display", "line"},
      {"archived", false},
      {"collection_id", "M-Q4pcV0qkiyJ0kiSWECl"},
      {"collection_position", Value()},
      {"collection_preview", true},
      {"cache_ttl", Value()},
      {"database_id", "Sample Database"},
      {"table_id", Value(Array{"Sample Database", "PUBLIC", "ORDERS"})},
      {"query_type", "query"},
      {"type", "question"},
      {"enable_embedding", false},
      {"embedding_params", Value()},
      {"dataset_query", Value(Object{{"database", "Sample Database"}, {"type", "query"}, {"query", query}})},
      {"parameters", Value::array()},
      {"parameter_mappings", Value::array()},
      {"result_metadata", Value(Array{column, metric})},
      {"visualization_settings", viz},
      {"metabase_version", "v1.52.3 (8c1c2a0)"},
      {"serdes/meta", Value(Array{Value(Object{{"id", "Xq3bDkv0bXmVQzYxXb7mN"}, {"label", "net_sales_of_widgets_by_month"}, {"model", "Card"}})})},
  });
}

// The same document as a yaml-cpp tree, for yaml-cpp's own emitter.
YAML::Node to_node(const Value& v) {
  switch (v.type()) {
    case Value::Type::Null: return YAML::Node(YAML::NodeType::Null);
    case Value::Type::Bool: return YAML::Node(v.as_bool());
    case Value::Type::Int: return YAML::Node(v.as_int());
    case Value::Type::Double: return YAML::Node(v.as_double());
    case Value::Type::String: return YAML::Node(v.as_string());
    case Value::Type::Array: {
      YAML::Node n(YAML::NodeType::Sequence);
      for (const auto& x : v.as_array()) n.push_back(to_node(x));
      return n;
    }
    case Value::Type::Object: {
      YAML::Node n(YAML::NodeType::Map);
      for (const auto& [k, x] : v.as_object()) n[k] = to_node(x);
      return n;
    }
  }
  return {};
}

// The documents, ready in every form (built once, outside the timed loops).
struct Doc {
  const char* label;
  Value value;
  std::string yaml;
  std::string json;
};

const std::vector<Doc>& docs() {
  static const std::vector<Doc> d = [] {
    std::vector<Doc> out;
    for (auto [label, v] : {std::pair{"card", card_document()}, std::pair{"large card", large_card_document()}})
      out.push_back(Doc{label, v, metaport::yaml::write(v), metaport::json::write(v)});
    return out;
  }();
  return d;
}

void set_counters(benchmark::State& state, const Doc& d, std::size_t bytes) {
  state.SetLabel(d.label);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

// Arg 0: the 69-line card; arg 1: the 135-line one.
#define METAPORT_DOC_BENCHMARK(fn) BENCHMARK(fn)->ArgName("doc")->Arg(0)->Arg(1)

void BM_YamlCppParse(benchmark::State& state) {
  const Doc& d = docs()[state.range(0)];
  for (auto _ : state) {
    auto v = metaport::yaml::parse_with_yaml_cpp(d.yaml);
    if (!v.ok()) state.SkipWithError("yaml-cpp failed to parse the document");
    benchmark::DoNotOptimize(v);
  }
  set_counters(state, d, d.yaml.size());
}
METAPORT_DOC_BENCHMARK(BM_YamlCppParse);

void BM_FastYamlParse(benchmark::State& state) {
  const Doc& d = docs()[state.range(0)];
  for (auto _ : state) {
    auto v = metaport::yaml::fast::try_parse(d.yaml);
    if (!v) state.SkipWithError("the fast path did not take the document");
    benchmark::DoNotOptimize(v);
  }
  set_counters(state, d, d.yaml.size());
}
METAPORT_DOC_BENCHMARK(BM_FastYamlParse);

void BM_YamlCppEmit(benchmark::State& state) {
  const Doc& d = docs()[state.range(0)];
  const YAML::Node node = to_node(d.value);  // a ready tree, as our writer gets a ready Value
  for (auto _ : state) {
    YAML::Emitter out;
    out << node;
    benchmark::DoNotOptimize(out.c_str());
  }
  set_counters(state, d, d.yaml.size());
}
METAPORT_DOC_BENCHMARK(BM_YamlCppEmit);

void BM_CanonicalYamlWrite(benchmark::State& state) {
  const Doc& d = docs()[state.range(0)];
  for (auto _ : state) {
    std::string s = metaport::yaml::write(d.value);
    benchmark::DoNotOptimize(s);
  }
  set_counters(state, d, d.yaml.size());
}
METAPORT_DOC_BENCHMARK(BM_CanonicalYamlWrite);

void BM_JsonWrite(benchmark::State& state) {
  const Doc& d = docs()[state.range(0)];
  for (auto _ : state) {
    std::string s = metaport::json::write(d.value);
    benchmark::DoNotOptimize(s);
  }
  set_counters(state, d, d.json.size());
}
METAPORT_DOC_BENCHMARK(BM_JsonWrite);

void BM_JsonParse(benchmark::State& state) {
  const Doc& d = docs()[state.range(0)];
  metaport::json::Parser parser;  // reused, as a loader keeps one per thread
  for (auto _ : state) {
    auto v = parser.parse(d.json);
    if (!v.ok()) state.SkipWithError("simdjson failed to parse the document");
    benchmark::DoNotOptimize(v);
  }
  set_counters(state, d, d.json.size());
}
METAPORT_DOC_BENCHMARK(BM_JsonParse);

}  // namespace

int main(int argc, char** argv) {
  // Each document must read back as itself on every path, or the figures
  // would compare different work.
  for (const Doc& d : docs()) {
    const auto fast = metaport::yaml::fast::try_parse(d.yaml);
    const auto slow = metaport::yaml::parse_with_yaml_cpp(d.yaml);
    const auto js = metaport::json::parse(d.json);
    if (!fast || !slow.ok() || !js.ok() || !(*fast == d.value) || !(*slow == d.value) || !(*js == d.value)) {
      std::fprintf(stderr, "yaml_codec_bench: the %s does not round-trip\n", d.label);
      return 1;
    }
    std::size_t lines = 0;
    for (char c : d.yaml) lines += c == '\n';
    std::fprintf(stderr, "%s: %zu lines, %zu bytes of YAML, %zu bytes of JSON\n", d.label, lines, d.yaml.size(),
                 d.json.size());
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
