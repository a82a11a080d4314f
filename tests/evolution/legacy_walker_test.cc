// The reference walker of bi versions 1 and 2 (tests/evolution/legacy_query.hpp):
// the exact references it finds inside legacy MBQL queries, and in the rest
// of a document through the current walker, with their paths.
#include <gtest/gtest.h>

#include <set>

#include "metaport/format/json.hpp"
#include "tests/evolution/json_values.hpp"
#include "tests/evolution/bi_v1/schema.hpp"

namespace {

using metaport::Value;
using evolution_test::J;

// "Kind key @ path" for every reference found, as a set.
template <class Schema>
std::set<std::string> refs(const std::string& kind, std::string_view doc) {
  static const auto info = metaport::make_schema_info<Schema>();
  metaport::Entity e;
  e.kind = info.find(kind);
  EXPECT_NE(e.kind, nullptr) << kind;
  e.value = J(doc);
  std::set<std::string> out;
  Schema::document_refs(e, [&](const metaport::FoundRef& r) {
    out.insert(r.kind + " " + r.key.str() + " @ " + metaport::path_to_string(r.path));
  });
  return out;
}

TEST(LegacyWalker, MbqlCardQuery) {
  auto found = refs<bi_v2::Schema>("Card", R"({"dataset_query": {"type": "query", "database": "DB", "query": {
      "source-table": ["DB", "PUBLIC", "ORDERS"],
      "joins": [{"source-table": "oRDeRDeTaiLSMoDeL0001", "alias": "M",
                 "condition": ["=", ["field", ["DB", "PUBLIC", "ORDERS", "ID"], null], ["field", "ID", {"join-alias": "M"}]]}],
      "filter": ["and", ["segment", "LaRGeoRDeRSSeGMeNT001"], [">", ["field", ["DB", "PUBLIC", "PRODUCTS", "PRICE"], {"source-field": ["DB", "PUBLIC", "ORDERS", "PRODUCT_ID"]}], 1]],
      "aggregation": [["metric", "ReVeNueMeTRiCCaRD0001"]],
      "expressions": {"Net": ["-", ["field", ["DB", "PUBLIC", "ORDERS", "TOTAL"], null], 1]}}}})");
  const auto k = [](std::string s) { return s; };
  EXPECT_EQ(found, (std::set<std::string>{
                       k(R"(Database DB @ dataset_query.database)"),
                       k(R"(Table ["DB","PUBLIC","ORDERS"] @ dataset_query.query.source-table)"),
                       k(R"(Card oRDeRDeTaiLSMoDeL0001 @ dataset_query.query.joins[0].source-table)"),
                       k(R"(Field ["DB","PUBLIC","ORDERS","ID"] @ dataset_query.query.joins[0].condition[1][1])"),
                       k(R"(Segment LaRGeoRDeRSSeGMeNT001 @ dataset_query.query.filter[1][1])"),
                       k(R"(Field ["DB","PUBLIC","PRODUCTS","PRICE"] @ dataset_query.query.filter[2][1][1])"),
                       k(R"(Field ["DB","PUBLIC","ORDERS","PRODUCT_ID"] @ dataset_query.query.filter[2][1][2].source-field)"),
                       k(R"(Card ReVeNueMeTRiCCaRD0001 @ dataset_query.query.aggregation[0][1])"),
                       k(R"(Field ["DB","PUBLIC","ORDERS","TOTAL"] @ dataset_query.query.expressions.Net[1][1])"),
                   }))
      << [&] { std::string s; for (const auto& f : found) s += f + "\n"; return s; }();
}

TEST(LegacyWalker, NativeTemplateTagsAndNestedSourceQuery) {
  auto found = refs<bi_v2::Schema>("Card", R"({"dataset_query": {"type": "native", "database": "DB", "native": {"query": "SELECT 1",
      "template-tags": {"s": {"type": "snippet", "snippet-id": "CoMPLeTeDoRDeRSSNiP01"},
                        "c": {"type": "card", "card-id": "oRDeRDeTaiLSMoDeL0001"},
                        "t": {"type": "table", "table-id": ["DB", "PUBLIC", "PEOPLE"]},
                        "d": {"type": "dimension", "dimension": ["field", ["DB", "PUBLIC", "PEOPLE", "STATE"], null]}}}}})");
  EXPECT_EQ(found, (std::set<std::string>{
                       R"(Database DB @ dataset_query.database)",
                       R"(NativeQuerySnippet CoMPLeTeDoRDeRSSNiP01 @ dataset_query.native.template-tags.s.snippet-id)",
                       R"(Card oRDeRDeTaiLSMoDeL0001 @ dataset_query.native.template-tags.c.card-id)",
                       R"(Table ["DB","PUBLIC","PEOPLE"] @ dataset_query.native.template-tags.t.table-id)",
                       R"(Field ["DB","PUBLIC","PEOPLE","STATE"] @ dataset_query.native.template-tags.d.dimension[1])",
                   }));
  auto nested = refs<bi_v2::Schema>("Transform", R"({"source": {"type": "query", "query": {"type": "query", "database": "DB",
      "query": {"source-query": {"source-table": ["DB", "PUBLIC", "ORDERS"]}}}}})");
  EXPECT_EQ(nested, (std::set<std::string>{R"(Database DB @ source.query.database)",
                                           R"(Table ["DB","PUBLIC","ORDERS"] @ source.query.query.source-query.source-table)"}));
}

TEST(LegacyWalker, InnerDefinitionsOfSegmentsAndMeasures) {
  auto found = refs<bi_v2::Schema>("Measure", R"({"definition": {"source-table": ["DB", "PUBLIC", "ORDERS"],
      "aggregation": [["sum", ["field", ["DB", "PUBLIC", "ORDERS", "SUBTOTAL"], null]]]}})");
  EXPECT_EQ(found, (std::set<std::string>{R"(Table ["DB","PUBLIC","ORDERS"] @ definition.source-table)",
                                          R"(Field ["DB","PUBLIC","ORDERS","SUBTOTAL"] @ definition.aggregation[0][1][1])"}));
}

TEST(LegacyWalker, VersionOneDashboardCardsAreWalkedUnderTheirOldName) {
  auto found = refs<bi_v1::Schema>("Dashboard", R"({"ordered_cards": [{"parameter_mappings": [{"parameter_id": "p",
      "target": ["dimension", ["field", ["DB", "PUBLIC", "PRODUCTS", "CATEGORY"], null]]}]}]})");
  EXPECT_EQ(found, (std::set<std::string>{
                       R"(Field ["DB","PUBLIC","PRODUCTS","CATEGORY"] @ ordered_cards[0].parameter_mappings[0].target[1][1])"}));
}

TEST(LegacyWalker, TheRestOfACardGoesThroughTheCurrentWalker) {
  auto found = refs<bi_v1::Schema>("Card", R"({"dataset_query": {"type": "query", "database": "DB", "query": {"source-table": ["DB", "PUBLIC", "ORDERS"]}},
      "visualization_settings": {"click_behavior": {"type": "link", "linkType": "dashboard", "targetId": "SaLeSoVeRVieWDaSH0001"}}})");
  EXPECT_TRUE(found.count(R"(Dashboard SaLeSoVeRVieWDaSH0001 @ visualization_settings.click_behavior.targetId)"));
  EXPECT_TRUE(found.count(R"(Table ["DB","PUBLIC","ORDERS"] @ dataset_query.query.source-table)"));
  EXPECT_EQ(found.size(), 3u);  // and the database
}

}  // namespace
