// The legacy MBQL -> pMBQL converter (entities/bi/legacy_mbql.hpp), clause
// by clause: each test gives a legacy query or clause and the exact pMBQL it
// must become, or the error (path and message) it must give.
#include "entities/bi/legacy_mbql.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "metaport/format/json.hpp"
#include "tests/evolution/json_values.hpp"
#include "metaport/format/yaml_reader.hpp"

namespace {

using bi::legacy_mbql::expression_to_pmbql;
using bi::legacy_mbql::name_uuid;
using bi::legacy_mbql::to_pmbql;
using metaport::Errors;
using metaport::UpgradeContext;
using metaport::UpgradeRecord;
using metaport::Value;
using evolution_test::J;
using evolution_test::show;

struct Converted {
  Value out;
  Errors errors;
  std::string messages() const {
    std::string s;
    for (const auto& e : errors.list()) s += e.path + ": " + e.message + "\n";
    return s;
  }
};

// A whole query: path "q", UUIDs named after entity "T".
Converted query_value(const Value& legacy) {
  Converted c;
  std::vector<UpgradeRecord> emitted;
  UpgradeContext ctx(c.errors, emitted);
  c.out = to_pmbql(legacy, "q", "T", ctx);
  return c;
}
Converted query(std::string_view legacy_json) { return query_value(J(legacy_json)); }

// One MBQL query {source-table: ORDERS, <clauses>} in the full form.
Converted stage_query(std::string_view clauses_json) {
  std::string text = R"({"type": "query", "database": "DB", "query": {"source-table": ["DB", "PUBLIC", "ORDERS"])";
  if (!clauses_json.empty()) text += std::string(", ") + std::string(clauses_json);
  text += "}}";
  return query(std::string_view(text));
}

// The expected pMBQL of such a query: its one stage's members besides lib/type and source-table.
Value expected_stage_query(std::string_view stage_members_json) {
  std::string text = R"({"lib/type": "mbql/query", "database": "DB", "stages": [{"lib/type": "mbql.stage/mbql", "source-table": ["DB", "PUBLIC", "ORDERS"])";
  if (!stage_members_json.empty()) text += std::string(", ") + std::string(stage_members_json);
  text += "}]}";
  return J(text);
}

Converted clause(std::string_view legacy_json) {
  Converted c;
  std::vector<UpgradeRecord> emitted;
  UpgradeContext ctx(c.errors, emitted);
  c.out = expression_to_pmbql(J(legacy_json), "c", ctx);
  return c;
}

#define EXPECT_CONVERTS(conv, expected)                                                          \
  do {                                                                                           \
    const auto& c_ = (conv);                                                                     \
    EXPECT_TRUE(c_.errors.empty()) << c_.messages();                                             \
    EXPECT_TRUE(c_.out == (expected)) << "got      " << show(c_.out) << "\nexpected " << show(expected); \
  } while (0)

// The one error a conversion must give.
void expect_error(const Converted& c, const std::string& path, const std::string& message_part) {
  ASSERT_EQ(c.errors.size(), 1u) << c.messages();
  EXPECT_EQ(c.errors.list()[0].path, path) << c.messages();
  EXPECT_NE(c.errors.list()[0].message.find(message_part), std::string::npos) << c.messages();
}

// ---- sources ------------------------------------------------------------------------
TEST(LegacyMbql, SourceTable) {
  EXPECT_CONVERTS(stage_query(""), expected_stage_query(""));
}

TEST(LegacyMbql, SourceCardByEntityId) {
  EXPECT_CONVERTS(query(R"({"type": "query", "database": "DB", "query": {"source-table": "oRDeRDeTaiLSMoDeL0001"}})"),
                  J(R"({"lib/type": "mbql/query", "database": "DB",
                        "stages": [{"lib/type": "mbql.stage/mbql", "source-card": "oRDeRDeTaiLSMoDeL0001"}]})"));
}

TEST(LegacyMbql, SchemalessSourceTable) {
  EXPECT_CONVERTS(query(R"({"type": "query", "database": "Events", "query": {"source-table": ["Events", null, "page_views"]}})"),
                  J(R"({"lib/type": "mbql/query", "database": "Events",
                        "stages": [{"lib/type": "mbql.stage/mbql", "source-table": ["Events", null, "page_views"]}]})"));
}

// ---- field references ------------------------------------------------------------------
TEST(LegacyMbql, FieldRefWithoutOptions) {
  EXPECT_CONVERTS(clause(R"(["field", ["DB", "PUBLIC", "ORDERS", "TOTAL"], null])"),
                  J(R"(["field", {}, ["DB", "PUBLIC", "ORDERS", "TOTAL"]])"));
  EXPECT_CONVERTS(clause(R"(["field", ["DB", "PUBLIC", "ORDERS", "TOTAL"]])"),
                  J(R"(["field", {}, ["DB", "PUBLIC", "ORDERS", "TOTAL"]])"));
}

TEST(LegacyMbql, FieldRefOptionsMoveSecond) {
  EXPECT_CONVERTS(clause(R"(["field", ["DB", "PUBLIC", "ORDERS", "CREATED_AT"], {"temporal-unit": "month"}])"),
                  J(R"(["field", {"temporal-unit": "month"}, ["DB", "PUBLIC", "ORDERS", "CREATED_AT"]])"));
  EXPECT_CONVERTS(clause(R"(["field", ["DB", "PUBLIC", "PRODUCTS", "PRICE"], {"binning": {"strategy": "num-bins", "num-bins": 10}}])"),
                  J(R"(["field", {"binning": {"strategy": "num-bins", "num-bins": 10}}, ["DB", "PUBLIC", "PRODUCTS", "PRICE"]])"));
  EXPECT_CONVERTS(clause(R"(["field", ["DB", "PUBLIC", "PRODUCTS", "ID"], {"join-alias": "Products"}])"),
                  J(R"(["field", {"join-alias": "Products"}, ["DB", "PUBLIC", "PRODUCTS", "ID"]])"));
}

TEST(LegacyMbql, FieldRefImplicitJoinKeepsSourceField) {
  EXPECT_CONVERTS(
      clause(R"(["field", ["DB", "PUBLIC", "PRODUCTS", "TITLE"], {"source-field": ["DB", "PUBLIC", "ORDERS", "PRODUCT_ID"]}])"),
      J(R"(["field", {"source-field": ["DB", "PUBLIC", "ORDERS", "PRODUCT_ID"]}, ["DB", "PUBLIC", "PRODUCTS", "TITLE"]])"));
}

TEST(LegacyMbql, FieldRefByColumnName) {
  EXPECT_CONVERTS(clause(R"(["field", "count", {"base-type": "type/Integer"}])"),
                  J(R"(["field", {"base-type": "type/Integer"}, "count"])"));
}

TEST(LegacyMbql, FieldByLocalIdIsAnError) {
  auto c = clause(R"(["field", 12, null])");
  expect_error(c, "c[1]", "a field by local id (12) cannot be converted");
}

TEST(LegacyMbql, SourceFieldByLocalIdIsAnError) {
  auto c = clause(R"(["field", ["DB", "PUBLIC", "PRODUCTS", "TITLE"], {"source-field": 7}])");
  expect_error(c, "c[2].source-field", "source-field is a Field FK");
}

TEST(LegacyMbql, ExpressionAndSegmentAndMetricRefs) {
  EXPECT_CONVERTS(clause(R"(["expression", "Net"])"), J(R"(["expression", {}, "Net"])"));
  EXPECT_CONVERTS(clause(R"(["expression", "Net", {"base-type": "type/Float"}])"),
                  J(R"(["expression", {"base-type": "type/Float"}, "Net"])"));
  EXPECT_CONVERTS(clause(R"(["segment", "LaRGeoRDeRSSeGMeNT001"])"), J(R"(["segment", {}, "LaRGeoRDeRSSeGMeNT001"])"));
  EXPECT_CONVERTS(clause(R"(["metric", "ReVeNueMeTRiCCaRD0001"])"), J(R"(["metric", {}, "ReVeNueMeTRiCCaRD0001"])"));
  expect_error(clause(R"(["segment", 4])"), "c[1]", "a segment by local id (4) cannot be converted");
}

// ---- fields, breakout, order-by, limit --------------------------------------------------------
TEST(LegacyMbql, Fields) {
  EXPECT_CONVERTS(stage_query(R"("fields": [["field", ["DB", "PUBLIC", "ORDERS", "ID"], null], ["expression", "Net"]])"),
                  expected_stage_query(R"("fields": [["field", {}, ["DB", "PUBLIC", "ORDERS", "ID"]], ["expression", {}, "Net"]])"));
}

TEST(LegacyMbql, Breakout) {
  EXPECT_CONVERTS(
      stage_query(R"("breakout": [["field", ["DB", "PUBLIC", "ORDERS", "CREATED_AT"], {"temporal-unit": "week"}]])"),
      expected_stage_query(R"("breakout": [["field", {"temporal-unit": "week"}, ["DB", "PUBLIC", "ORDERS", "CREATED_AT"]]])"));
}

TEST(LegacyMbql, OrderByAndLimit) {
  EXPECT_CONVERTS(
      stage_query(R"("order-by": [["asc", ["field", ["DB", "PUBLIC", "ORDERS", "TOTAL"], null]]], "limit": 10)"),
      expected_stage_query(R"("order-by": [["asc", {}, ["field", {}, ["DB", "PUBLIC", "ORDERS", "TOTAL"]]]], "limit": 10)"));
}

// ---- filters ---------------------------------------------------------------------------------
TEST(LegacyMbql, FilterBecomesAListOfOne) {
  EXPECT_CONVERTS(stage_query(R"("filter": [">", ["field", ["DB", "PUBLIC", "ORDERS", "TOTAL"], null], 100])"),
                  expected_stage_query(R"("filters": [[">", {}, ["field", {}, ["DB", "PUBLIC", "ORDERS", "TOTAL"]], 100]])"));
}

TEST(LegacyMbql, TopLevelAndSplitsIntoSeveralFilters) {
  EXPECT_CONVERTS(
      stage_query(R"("filter": ["and", [">", ["field", ["DB", "PUBLIC", "ORDERS", "TOTAL"], null], 10],
                                        ["not-null", ["field", ["DB", "PUBLIC", "ORDERS", "DISCOUNT"], null]],
                                        ["segment", "LaRGeoRDeRSSeGMeNT001"]])"),
      expected_stage_query(R"("filters": [[">", {}, ["field", {}, ["DB", "PUBLIC", "ORDERS", "TOTAL"]], 10],
                                          ["not-null", {}, ["field", {}, ["DB", "PUBLIC", "ORDERS", "DISCOUNT"]]],
                                          ["segment", {}, "LaRGeoRDeRSSeGMeNT001"]])"));
}

TEST(LegacyMbql, NestedAndOrStayClauses) {
  EXPECT_CONVERTS(clause(R"(["or", ["=", ["field", "A", null], 1], ["and", ["=", ["field", "B", null], 2], ["!=", ["field", "C", null], 3, 4]]])"),
                  J(R"(["or", {}, ["=", {}, ["field", {}, "A"], 1],
                        ["and", {}, ["=", {}, ["field", {}, "B"], 2], ["!=", {}, ["field", {}, "C"], 3, 4]]])"));
}

TEST(LegacyMbql, TimeIntervalOptionsMoveSecond) {
  EXPECT_CONVERTS(clause(R"(["time-interval", ["field", ["DB", "PUBLIC", "ORDERS", "CREATED_AT"], null], -30, "day", {"include-current": true}])"),
                  J(R"(["time-interval", {"include-current": true}, ["field", {}, ["DB", "PUBLIC", "ORDERS", "CREATED_AT"]], -30, "day"])"));
  EXPECT_CONVERTS(clause(R"(["time-interval", ["field", ["DB", "PUBLIC", "ORDERS", "CREATED_AT"], null], "current", "month"])"),
                  J(R"(["time-interval", {}, ["field", {}, ["DB", "PUBLIC", "ORDERS", "CREATED_AT"]], "current", "month"])"));
}

TEST(LegacyMbql, StringFilterOptionsMoveSecond) {
  EXPECT_CONVERTS(clause(R"(["contains", ["field", ["DB", "PUBLIC", "PRODUCTS", "TITLE"], null], "widget", {"case-sensitive": false}])"),
                  J(R"(["contains", {"case-sensitive": false}, ["field", {}, ["DB", "PUBLIC", "PRODUCTS", "TITLE"]], "widget"])"));
  EXPECT_CONVERTS(clause(R"(["starts-with", ["field", "NAME", null], "John", "Jane"])"),
                  J(R"(["starts-with", {}, ["field", {}, "NAME"], "John", "Jane"])"));
}

TEST(LegacyMbql, ComparisonsAndFunctions) {
  EXPECT_CONVERTS(clause(R"(["between", ["field", "PRICE", null], 10, 100])"),
                  J(R"(["between", {}, ["field", {}, "PRICE"], 10, 100])"));
  EXPECT_CONVERTS(clause(R"(["inside", ["field", "LAT", null], ["field", "LON", null], 40.8, -74.1, 40.6, -73.9])"),
                  J(R"(["inside", {}, ["field", {}, "LAT"], ["field", {}, "LON"], 40.8, -74.1, 40.6, -73.9])"));
  EXPECT_CONVERTS(clause(R"(["datetime-diff", ["field", "CREATED_AT", null], ["now"], "month"])"),
                  J(R"(["datetime-diff", {}, ["field", {}, "CREATED_AT"], ["now", {}], "month"])"));
  EXPECT_CONVERTS(clause(R"(["concat", ["field", "NAME", null], " <", ["field", "EMAIL", null], ">"])"),
                  J(R"(["concat", {}, ["field", {}, "NAME"], " <", ["field", {}, "EMAIL"], ">"])"));
}

TEST(LegacyMbql, TemporalAndWindowFunctions) {
  EXPECT_CONVERTS(clause(R"(["interval", 7, "day"])"), J(R"(["interval", {}, 7, "day"])"));
  EXPECT_CONVERTS(clause(R"(["get-week", ["field", "CREATED_AT", null], "iso"])"),
                  J(R"(["get-week", {}, ["field", {}, "CREATED_AT"], "iso"])"));
  EXPECT_CONVERTS(clause(R"(["datetime", ["field", "STAMP", null], {"mode": "unix-seconds"}])"),
                  J(R"(["datetime", {"mode": "unix-seconds"}, ["field", {}, "STAMP"]])"));
  // Legacy MBQL already wrote offset with its options second.
  EXPECT_CONVERTS(clause(R"(["offset", {"name": "prev"}, ["sum", ["field", "TOTAL", null]], -1])"),
                  J(R"(["offset", {"name": "prev"}, ["sum", {}, ["field", {}, "TOTAL"]], -1])"));
}

TEST(LegacyMbql, CaseWithDefault) {
  EXPECT_CONVERTS(clause(R"(["case", [[[">", ["field", "PRICE", null], 100], "Premium"], [["<=", ["field", "PRICE", null], 20], "Budget"]], {"default": "Standard"}])"),
                  J(R"(["case", {}, [[[">", {}, ["field", {}, "PRICE"], 100], "Premium"], [["<=", {}, ["field", {}, "PRICE"], 20], "Budget"]], "Standard"])"));
  EXPECT_CONVERTS(clause(R"(["case", [[["is-null", ["field", "D", null]], 0]]])"),
                  J(R"(["case", {}, [[["is-null", {}, ["field", {}, "D"]], 0]]])"));
}

TEST(LegacyMbql, ValueKeepsItsType) {
  EXPECT_CONVERTS(clause(R"(["value", "Widget", {"base_type": "type/Text", "effective_type": "type/Text"}])"),
                  J(R"(["value", {"base-type": "type/Text", "effective-type": "type/Text"}, "Widget"])"));
}

// ---- expressions -------------------------------------------------------------------------------
TEST(LegacyMbql, ExpressionsMapBecomesANamedList) {
  EXPECT_CONVERTS(
      stage_query(R"("expressions": {"Net": ["-", ["field", ["DB", "PUBLIC", "ORDERS", "TOTAL"], null], ["field", ["DB", "PUBLIC", "ORDERS", "TAX"], null]],
                                      "Double": ["*", ["expression", "Net"], 2]})"),
      expected_stage_query(R"("expressions": [["-", {"lib/expression-name": "Net"}, ["field", {}, ["DB", "PUBLIC", "ORDERS", "TOTAL"]], ["field", {}, ["DB", "PUBLIC", "ORDERS", "TAX"]]],
                                              ["*", {"lib/expression-name": "Double"}, ["expression", {}, "Net"], 2]])"));
}

TEST(LegacyMbql, ConstantExpressionBecomesAValueClause) {
  EXPECT_CONVERTS(stage_query(R"("expressions": {"One": 1, "Label": "x"})"),
                  expected_stage_query(R"("expressions": [["value", {"lib/expression-name": "One", "effective-type": "type/Integer"}, 1],
                                                          ["value", {"lib/expression-name": "Label", "effective-type": "type/Text"}, "x"]])"));
}

// ---- aggregations ------------------------------------------------------------------------------
TEST(LegacyMbql, AggregationsGetOptions) {
  EXPECT_CONVERTS(
      stage_query(R"("aggregation": [["count"], ["sum", ["field", ["DB", "PUBLIC", "ORDERS", "TOTAL"], null]], ["percentile", ["field", "P", null], 0.9], ["count-where", [">", ["field", "T", null], 100]]])"),
      expected_stage_query(R"("aggregation": [["count", {}], ["sum", {}, ["field", {}, ["DB", "PUBLIC", "ORDERS", "TOTAL"]]], ["percentile", {}, ["field", {}, "P"], 0.9], ["count-where", {}, [">", {}, ["field", {}, "T"], 100]]])"));
}

TEST(LegacyMbql, AggregationOptionsNameTheAggregation) {
  EXPECT_CONVERTS(clause(R"(["aggregation-options", ["sum", ["field", "TOTAL", null]], {"name": "revenue", "display-name": "Revenue"}])"),
                  J(R"(["sum", {"name": "revenue", "display-name": "Revenue"}, ["field", {}, "TOTAL"]])"));
}

TEST(LegacyMbql, AggregationRefGetsTheUuidOfItsAggregation) {
  // Only the referenced aggregation (index 1) gets a lib/uuid: a v5 UUID of
  // "T/q.query/aggregation/1", the same on every run.
  const std::string uuid = "af6e35dc-8d4e-5ada-9993-ae5a64252bb6";
  EXPECT_EQ(name_uuid("T/q.query/aggregation/1"), uuid);
  EXPECT_CONVERTS(stage_query(R"("aggregation": [["count"], ["sum", ["field", "TOTAL", null]]], "order-by": [["desc", ["aggregation", 1]]])"),
                  expected_stage_query(R"("aggregation": [["count", {}], ["sum", {"lib/uuid": ")" + uuid + R"("}, ["field", {}, "TOTAL"]]],
                                          "order-by": [["desc", {}, ["aggregation", {}, ")" + uuid + R"("]]])"));
}

TEST(LegacyMbql, NameUuidIsAVersion5Uuid) {
  const std::string u = name_uuid("anything");
  EXPECT_TRUE(std::regex_match(u, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"))) << u;
  EXPECT_EQ(u, name_uuid("anything"));
  EXPECT_NE(u, name_uuid("anything else"));
}

TEST(LegacyMbql, AggregationRefOutOfRangeIsAnError) {
  auto c = stage_query(R"("aggregation": [["count"]], "order-by": [["desc", ["aggregation", 3]]])");
  expect_error(c, "q.query.order-by[0][1][1]", "refers to aggregation 3, but the stage has 1 aggregation(s)");
}

// ---- joins -----------------------------------------------------------------------------------------
TEST(LegacyMbql, JoinGetsStagesConditionsAliasStrategyFields) {
  EXPECT_CONVERTS(
      stage_query(R"("joins": [{"source-table": ["DB", "PUBLIC", "PRODUCTS"], "alias": "Products", "strategy": "inner-join",
                                "condition": ["=", ["field", ["DB", "PUBLIC", "ORDERS", "PRODUCT_ID"], null], ["field", ["DB", "PUBLIC", "PRODUCTS", "ID"], {"join-alias": "Products"}]],
                                "fields": [["field", ["DB", "PUBLIC", "PRODUCTS", "CATEGORY"], {"join-alias": "Products"}]]}])"),
      expected_stage_query(R"("joins": [{"stages": [{"lib/type": "mbql.stage/mbql", "source-table": ["DB", "PUBLIC", "PRODUCTS"]}],
                                         "alias": "Products", "strategy": "inner-join",
                                         "conditions": [["=", {}, ["field", {}, ["DB", "PUBLIC", "ORDERS", "PRODUCT_ID"]], ["field", {"join-alias": "Products"}, ["DB", "PUBLIC", "PRODUCTS", "ID"]]]],
                                         "fields": [["field", {"join-alias": "Products"}, ["DB", "PUBLIC", "PRODUCTS", "CATEGORY"]]]}])"));
}

TEST(LegacyMbql, JoinConditionAndSplitsAndFieldsAllStays) {
  EXPECT_CONVERTS(
      stage_query(R"("joins": [{"source-table": "oRDeRDeTaiLSMoDeL0001", "alias": "Details", "fields": "all",
                                "condition": ["and", ["=", ["field", "A", null], ["field", "A", {"join-alias": "Details"}]], ["=", ["field", "B", null], ["field", "B", {"join-alias": "Details"}]]]}])"),
      expected_stage_query(R"("joins": [{"stages": [{"lib/type": "mbql.stage/mbql", "source-card": "oRDeRDeTaiLSMoDeL0001"}],
                                         "alias": "Details", "fields": "all",
                                         "conditions": [["=", {}, ["field", {}, "A"], ["field", {"join-alias": "Details"}, "A"]], ["=", {}, ["field", {}, "B"], ["field", {"join-alias": "Details"}, "B"]]]}])"));
}

TEST(LegacyMbql, JoinOnANestedQueryGetsItsStages) {
  EXPECT_CONVERTS(
      stage_query(R"("joins": [{"source-query": {"source-table": ["DB", "PUBLIC", "PEOPLE"], "filter": ["=", ["field", "STATE", null], "CA"]},
                                "alias": "CA people", "condition": ["=", ["field", "USER_ID", null], ["field", "ID", {"join-alias": "CA people"}]]}])"),
      expected_stage_query(R"("joins": [{"stages": [{"lib/type": "mbql.stage/mbql", "source-table": ["DB", "PUBLIC", "PEOPLE"], "filters": [["=", {}, ["field", {}, "STATE"], "CA"]]}],
                                         "alias": "CA people",
                                         "conditions": [["=", {}, ["field", {}, "USER_ID"], ["field", {"join-alias": "CA people"}, "ID"]]]}])"));
}

TEST(LegacyMbql, JoinWithoutAliasIsAnError) {
  auto c = stage_query(R"("joins": [{"source-table": ["DB", "PUBLIC", "PRODUCTS"], "condition": ["=", ["field", "A", null], 1]}])");
  expect_error(c, "q.query.joins[0]", "a join without an alias cannot be converted");
}

// ---- nested queries ------------------------------------------------------------------------------
TEST(LegacyMbql, SourceQueryBecomesEarlierStages) {
  const std::string inner_uuid = name_uuid("T/q.query.source-query.source-query/aggregation/0");
  EXPECT_CONVERTS(
      query(R"({"type": "query", "database": "DB", "query": {
                 "source-query": {"source-query": {"source-table": ["DB", "PUBLIC", "ORDERS"], "aggregation": [["count"]], "order-by": [["desc", ["aggregation", 0]]]},
                                  "filter": [">", ["field", "count", {"base-type": "type/Integer"}], 10]},
                 "limit": 5}})"),
      J(R"({"lib/type": "mbql/query", "database": "DB", "stages": [
             {"lib/type": "mbql.stage/mbql", "source-table": ["DB", "PUBLIC", "ORDERS"], "aggregation": [["count", {"lib/uuid": ")" + inner_uuid + R"("}]],
              "order-by": [["desc", {}, ["aggregation", {}, ")" + inner_uuid + R"("]]]},
             {"lib/type": "mbql.stage/mbql", "filters": [[">", {}, ["field", {"base-type": "type/Integer"}, "count"], 10]]},
             {"lib/type": "mbql.stage/mbql", "limit": 5}]})"));
}

TEST(LegacyMbql, NativeSourceQueryBecomesANativeFirstStage) {
  EXPECT_CONVERTS(
      query(R"({"type": "query", "database": "DB", "query": {"source-query": {"native": "SELECT 1 AS x", "template-tags": {}}, "filter": ["=", ["field", "x", {"base-type": "type/Integer"}], 1]}})"),
      J(R"({"lib/type": "mbql/query", "database": "DB", "stages": [
             {"lib/type": "mbql.stage/native", "native": "SELECT 1 AS x", "template-tags": []},
             {"lib/type": "mbql.stage/mbql", "filters": [["=", {}, ["field", {"base-type": "type/Integer"}, "x"], 1]]}]})"));
}

// ---- native queries -----------------------------------------------------------------------------
TEST(LegacyMbql, NativeQueryWithTemplateTags) {
  EXPECT_CONVERTS(
      query(R"({"type": "native", "database": "DB", "native": {"query": "SELECT * FROM {{#12-x}} WHERE {{state}} AND {{snippet: Paid}} AND {{t}}",
                 "template-tags": {
                   "#12-x": {"type": "card", "name": "#12-x", "id": "11111111-1111-4111-8111-111111111111", "display-name": "X", "card-id": "oRDeRDeTaiLSMoDeL0001"},
                   "snippet: Paid": {"type": "snippet", "name": "snippet: Paid", "id": "22222222-2222-4222-8222-222222222222", "display-name": "Snippet: Paid", "snippet-name": "Paid", "snippet-id": "CoMPLeTeDoRDeRSSNiP01"},
                   "state": {"type": "dimension", "name": "state", "id": "33333333-3333-4333-8333-333333333333", "display-name": "State",
                             "dimension": ["field", ["DB", "PUBLIC", "PEOPLE", "STATE"], null], "widget-type": "string/="},
                   "t": {"type": "table", "name": "t", "id": "44444444-4444-4444-8444-444444444444", "display-name": "T", "table-id": ["DB", "PUBLIC", "ORDERS"]}}}})"),
      J(R"({"lib/type": "mbql/query", "database": "DB", "stages": [{"lib/type": "mbql.stage/native",
             "native": "SELECT * FROM {{#12-x}} WHERE {{state}} AND {{snippet: Paid}} AND {{t}}",
             "template-tags": [
               {"type": "card", "name": "#12-x", "id": "11111111-1111-4111-8111-111111111111", "display-name": "X", "card-id": "oRDeRDeTaiLSMoDeL0001"},
               {"type": "snippet", "name": "snippet: Paid", "id": "22222222-2222-4222-8222-222222222222", "display-name": "Snippet: Paid", "snippet-name": "Paid", "snippet-id": "CoMPLeTeDoRDeRSSNiP01"},
               {"type": "dimension", "name": "state", "id": "33333333-3333-4333-8333-333333333333", "display-name": "State",
                "dimension": ["field", {}, ["DB", "PUBLIC", "PEOPLE", "STATE"]], "widget-type": "string/="},
               {"type": "table", "name": "t", "id": "44444444-4444-4444-8444-444444444444", "display-name": "T", "table-id": ["DB", "PUBLIC", "ORDERS"]}]}]})"));
}

TEST(LegacyMbql, TemplateTagWithoutNameOrIdGetsThem) {
  const std::string id = name_uuid("T/q.native.template-tags.created");
  EXPECT_EQ(id, "3b5b620d-3de2-5cc3-993d-7698e5e7cc0f");
  EXPECT_CONVERTS(
      query(R"({"type": "native", "database": "DB", "native": {"query": "SELECT {{created}}", "template-tags": {"created": {"type": "temporal-unit", "display-name": "Created",
                 "dimension": ["field", ["DB", "PUBLIC", "ORDERS", "CREATED_AT"], null]}}}})"),
      J(R"({"lib/type": "mbql/query", "database": "DB", "stages": [{"lib/type": "mbql.stage/native", "native": "SELECT {{created}}",
             "template-tags": [{"type": "temporal-unit", "name": "created", "id": ")" + id + R"(", "display-name": "Created",
                                "dimension": ["field", {}, ["DB", "PUBLIC", "ORDERS", "CREATED_AT"]]}]}]})"));
}

TEST(LegacyMbql, TemplateTagCardByLocalIdIsAnError) {
  auto c = query(R"({"type": "native", "database": "DB", "native": {"query": "SELECT * FROM {{#12}}", "template-tags": {"#12": {"type": "card", "name": "#12", "id": "11111111-1111-4111-8111-111111111111", "card-id": 12}}}})");
  expect_error(c, "q.native.template-tags.#12.card-id", "a local id (12) cannot be converted");
}

// ---- segment and measure definitions (the inner form) ----------------------------------------------------
TEST(LegacyMbql, InnerFormTakesTheDatabaseOfItsTable) {
  EXPECT_CONVERTS(query(R"({"source-table": ["DB", "PUBLIC", "ORDERS"], "filter": [">", ["field", ["DB", "PUBLIC", "ORDERS", "TOTAL"], null], 100]})"),
                  expected_stage_query(R"("filters": [[">", {}, ["field", {}, ["DB", "PUBLIC", "ORDERS", "TOTAL"]], 100]])"));
}

TEST(LegacyMbql, InnerFormOnACardCannotTellItsDatabase) {
  auto c = query(R"({"source-table": "oRDeRDeTaiLSMoDeL0001", "filter": ["=", ["field", "A", null], 1]})");
  expect_error(c, "q", "cannot tell the database of this definition");
}

// ---- what is left alone --------------------------------------------------------------------------------
TEST(LegacyMbql, PmbqlAndEmptyQueriesAreLeftAlone) {
  const Value p = expected_stage_query(R"("limit": 1)");
  EXPECT_CONVERTS(query_value(p), p);
  EXPECT_CONVERTS(query_value(Value::object()), Value::object());
  EXPECT_FALSE(bi::legacy_mbql::is_legacy(p));
  EXPECT_FALSE(bi::legacy_mbql::is_legacy(Value::object()));
  EXPECT_TRUE(bi::legacy_mbql::is_legacy(J(R"({"type": "query"})")));
}

// ---- what cannot be converted: errors naming the clause and the path, nothing dropped ----------------------
TEST(LegacyMbql, UnknownClauseInAFilterNamesItsPath) {
  auto c = stage_query(R"("filter": ["and", [">", ["field", "TOTAL", null], 1], ["frobnicate", ["field", "TOTAL", null]]])");
  expect_error(c, "q.query.filter[2]", "cannot convert clause 'frobnicate' (not a clause this converter knows)");
}

TEST(LegacyMbql, InternalDateClauseIsAnError) {
  auto c = stage_query(R"("filter": [">", ["field", "CREATED_AT", null], ["relative-datetime", -30, "day"]])");
  expect_error(c, "q.query.filter[2]", "cannot convert clause 'relative-datetime' (an internal date clause");
}

TEST(LegacyMbql, Pre039FieldClauseIsAnError) {
  auto c = stage_query(R"("breakout": [["fk->", ["field-id", 1], ["field-id", 2]]])");
  expect_error(c, "q.query.breakout[0]", "cannot convert clause 'fk->' (MBQL from before Metabase 0.39");
}

TEST(LegacyMbql, UnknownQueryClauseIsAnError) {
  auto c = stage_query(R"("page": {"page": 2, "items": 20})");
  expect_error(c, "q.query.page", "cannot convert clause 'page'");
}

TEST(LegacyMbql, OptionsOnAClauseWithoutOptionsAreAnError) {
  auto c = clause(R"(["sum", ["field", "TOTAL", null], {"name": "x"}])");
  expect_error(c, "c[2]", "cannot convert the options of clause 'sum'");
}

TEST(LegacyMbql, LocalIdsAreErrors) {
  expect_error(query(R"({"type": "query", "database": 1, "query": {"source-table": ["DB", "PUBLIC", "ORDERS"]}})"), "q.database",
               "a database by local id (1) cannot be converted");
  expect_error(query(R"({"type": "query", "database": "DB", "query": {"source-table": "card__12"}})"), "q.query.source-table",
               "a card source by local id ('card__12') cannot be converted");
  expect_error(query(R"({"type": "query", "database": "DB", "query": {"source-table": 3}})"), "q.query.source-table",
               "a table by local id (3) cannot be converted");
}

TEST(LegacyMbql, UnknownTopLevelMemberIsAnError) {
  auto c = query(R"({"type": "query", "database": "DB", "query": {"source-table": ["DB", "PUBLIC", "ORDERS"]}, "parameters": []})");
  expect_error(c, "q.parameters", "cannot convert 'parameters'");
}

TEST(LegacyMbql, EveryProblemIsReportedNotJustTheFirst) {
  auto c = stage_query(R"("filter": ["and", ["frob", 1], ["field", 3, null]], "breakout": [["relative-datetime", 1, "day"]])");
  ASSERT_EQ(c.errors.size(), 3u) << c.messages();
  EXPECT_EQ(c.errors.list()[0].path, "q.query.filter[1]");
  EXPECT_EQ(c.errors.list()[1].path, "q.query.filter[2][1]");
  EXPECT_EQ(c.errors.list()[2].path, "q.query.breakout[0]");
}

TEST(LegacyMbql, ErrorsCarryTheLineAndColumnOfTheClause) {
  auto doc = metaport::yaml::parse(
      "type: query\n"
      "database: DB\n"
      "query:\n"
      "  source-table: [DB, PUBLIC, ORDERS]\n"
      "  filter:\n"
      "  - and\n"
      "  - ['>', [field, TOTAL, null], 1]\n"
      "  - [frobnicate, 2]\n");
  ASSERT_TRUE(doc.ok());
  auto c = query_value(*doc);
  ASSERT_EQ(c.errors.size(), 1u) << c.messages();
  EXPECT_EQ(c.errors.list()[0].path, "q.query.filter[2]");
  EXPECT_EQ(c.errors.list()[0].mark.line, 8u);
  EXPECT_EQ(c.errors.list()[0].mark.col, 5u);
}

}  // namespace
