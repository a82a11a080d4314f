// The pieces of a jsonl dump's fast path, against what they replaced
// (docs/performance.md has the figures and the end-to-end numbers):
//
//   - a stored JSON column: json::is_canonical + copy, against simdjson's
//     validation alone and against the old parse-into-Value + json::write;
//   - json::write_string with the word-at-a-time skip, against the byte loop
//     it had before (kept here as the reference);
//   - id -> key text: engine::IdKeyJson (a flat array), against a
//     std::unordered_map<int64_t, std::string>.
//
//   bazel run --config=opt //bench:dump_bench
//
// items_per_second is documents (or lookups) per second on one core.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "metaport/format/json.hpp"
#include "metaport/format/json_canonical.hpp"
#include "runtime/engine/row_json.hpp"

namespace {

// Column texts as the bi sample stores them (a card's dataset_query,
// visualization_settings, result_metadata, serdes/meta), and a long native
// query: the mix a jsonl dump copies.
const std::vector<std::string>& columns() {
  static const std::vector<std::string> c = {
      R"({"database":"Warehouse","lib/type":"mbql/query","stages":[{"aggregation":[["count",{"lib/uuid":"0a9935a0-bde8-4f19-84cc-88b7a8481fb5"}]],"breakout":[["field",{"binning":{"strategy":"default"}},["Warehouse","support_mart_3","fct_daily_revenue","orders"]]],"lib/type":"mbql.stage/mbql","source-table":["Warehouse","support_mart_3","fct_daily_revenue"]}]})",
      R"({"graph.dimensions":["CREATED_AT"],"graph.metrics":["sum"],"graph.show_values":true,"column_settings":{"[\"name\",\"sum\"]":{"number_style":"currency","decimals":2}}})",
      R"([{"name":"CREATED_AT","display_name":"Created At: Month","base_type":"type/DateTime","semantic_type":"type/CreationTimestamp","field_ref":["field",46,{"temporal-unit":"month"}]},{"name":"sum","display_name":"Sum of Total","base_type":"type/Float","semantic_type":null,"field_ref":["aggregation",0]}])",
      R"([{"id":"MKWla2hLV5tWNTnxIkl1C","label":"distribution_of_orders","model":"Card"}])",
      R"({"database":"Warehouse","lib/type":"mbql/query","stages":[{"lib/type":"mbql.stage/native","native":"SELECT date_trunc('month', o.created_at) AS month,\n       sum(o.total) AS revenue, count(*) AS orders\nFROM analytics.orders o\nJOIN analytics.customers c ON c.id = o.customer_id\nWHERE o.created_at >= now() - interval '12 months'\n  AND c.segment = {{segment}}\nGROUP BY 1\nORDER BY 1","template-tags":{"segment":{"display-name":"Segment","id":"5f1c2a8e-0d7b-4c3e-9a51-2b6f7e8d9c10","name":"segment","type":"text"}}}]})",
  };
  return c;
}

std::size_t total_bytes() {
  std::size_t n = 0;
  for (const auto& c : columns()) n += c.size();
  return n;
}

void BM_Column_CanonicalCheckAndCopy(benchmark::State& state) {
  metaport::json::CanonicalChecker checker;
  std::string out;
  for (auto _ : state) {
    out.clear();
    for (const auto& c : columns())
      if (checker.check(c)) out += c;
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(columns().size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(total_bytes()));
}
BENCHMARK(BM_Column_CanonicalCheckAndCopy);

void BM_Column_SimdjsonValidateOnly(benchmark::State& state) {
  simdjson::dom::parser parser;
  std::vector<simdjson::padded_string> padded;
  for (const auto& c : columns()) padded.emplace_back(c);
  for (auto _ : state) {
    for (const auto& p : padded) {
      simdjson::dom::element e;
      benchmark::DoNotOptimize(parser.parse(p).get(e));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(columns().size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(total_bytes()));
}
BENCHMARK(BM_Column_SimdjsonValidateOnly);

void BM_Column_ParseToValueAndWrite(benchmark::State& state) {  // the path before
  metaport::json::Parser parser;
  std::string out;
  for (auto _ : state) {
    out.clear();
    for (const auto& c : columns()) {
      auto v = parser.parse(c);
      metaport::json::write(out, *v);
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(columns().size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(total_bytes()));
}
BENCHMARK(BM_Column_ParseToValueAndWrite);

// json::write_string as it was before the word-at-a-time skip.
void write_string_bytewise(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      if (const std::size_t n = metaport::utf8::sequence_length(s, i)) { i += n - 1; continue; }
    } else if (c >= 0x20 && c != '"' && c != '\\') {
      continue;
    }
    out.append(s.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: out += "\\u00"; out += hex[c >> 4]; out += hex[c & 15];
    }
  }
  out.append(s.substr(run));
  out += '"';
}

// Text columns of a card: names, descriptions, ids, timestamps.
const std::vector<std::string>& texts() {
  static const std::vector<std::string> t = {
      "Net sales of widgets by month", "Net sales per month for the last year.\nExcludes refunds.",
      "Xq3bDkv0bXmVQzYxXb7mN", "2024-01-15T10:30:00.123456Z", "line", "question", "v1.52.3 (8c1c2a0)",
      "Revenue par région — année fiscale",
  };
  return t;
}

template <void (*Write)(std::string&, std::string_view)>
void BM_WriteString(benchmark::State& state) {
  std::string out;
  for (auto _ : state) {
    out.clear();
    for (const auto& t : texts()) Write(out, t);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(texts().size()));
}
void write_string_now(std::string& out, std::string_view s) { metaport::json::write_string(out, s); }
BENCHMARK(BM_WriteString<write_string_now>)->Name("BM_WriteString_WordAtATime");
BENCHMARK(BM_WriteString<write_string_bytewise>)->Name("BM_WriteString_Bytewise");

// 70k keys with dense ids, looked up in scan order (mp_key order: random ids).
std::vector<std::pair<std::int64_t, std::string>> key_texts() {
  std::vector<std::pair<std::int64_t, std::string>> t;
  for (std::int64_t id = 1; id <= 70000; ++id) t.emplace_back(id, "\"key-" + std::to_string(id * 7919 % 100003) + "-xxxxxxxxxx\"");
  return t;
}
std::vector<std::int64_t> lookups() {
  std::vector<std::int64_t> ids;
  std::uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 4096; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    ids.push_back(static_cast<std::int64_t>(x % 70000) + 1);
  }
  return ids;
}

void BM_RefKey_IdKeyJson(benchmark::State& state) {
  const metaport::engine::IdKeyJson m(key_texts());
  const auto ids = lookups();
  std::size_t n = 0;
  for (auto _ : state)
    for (auto id : ids) n += m.find(id)->size();
  benchmark::DoNotOptimize(n);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(ids.size()));
}
BENCHMARK(BM_RefKey_IdKeyJson);

void BM_RefKey_UnorderedMap(benchmark::State& state) {
  std::unordered_map<std::int64_t, std::string> m;
  for (auto& [id, t] : key_texts()) m.emplace(id, t);
  const auto ids = lookups();
  std::size_t n = 0;
  for (auto _ : state)
    for (auto id : ids) n += m.find(id)->second.size();
  benchmark::DoNotOptimize(n);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(ids.size()));
}
BENCHMARK(BM_RefKey_UnorderedMap);

}  // namespace

BENCHMARK_MAIN();
