// The bi reference walker: the exact set of references (kind, key, path) it
// finds inside free-form documents, and that together with the typed
// references every reference of an entity is reported exactly once.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tests/bi/fixtures.hpp"
#include "tests/bi/test_util.hpp"

namespace {

using namespace bi;
using metaport::Value;
using Refs = std::multiset<std::string>;

// "Kind key @ path" (+ " parent" for parent references).
std::string describe(const metaport::FoundRef& r) {
  return r.kind + " " + r.key.str() + " @ " + metaport::path_to_string(r.path) + (r.parent ? " parent" : "");
}

const metaport::SchemaInfo& schema() {
  static const metaport::SchemaInfo s = metaport::make_schema_info<Schema>();
  return s;
}

template <class T>
metaport::Entity entity_of(const T& value, Value doc = {}) {
  const auto* kind = schema().find(metaport::kind_traits<T>::name);
  EXPECT_NE(kind, nullptr);
  metaport::Entity e;
  metaport::Errors errors;
  if (doc.is_null()) doc = metaport::encode(value, bi::testing::kKeepSecrets);
  EXPECT_TRUE(kind->normalize(*kind, doc, {}, e, errors)) << errors.to_string();
  return e;
}

// References the walker finds in documents.
template <class T>
Refs document_refs(const T& value) {
  Refs out;
  walker::document_refs(entity_of(value), [&](const metaport::FoundRef& r) {
    EXPECT_FALSE(r.column);
    EXPECT_EQ(r.nullable, !r.parent);
    out.insert(describe(r));
  });
  return out;
}

const std::string S = "[\"Sample Database\",\"PUBLIC\",";

std::string id(std::string_view fixture) { return fixtures::eid(fixture).str(); }

TEST(Walker, MbqlQueryWithJoinsImplicitJoinsSegmentsMetricsAndMeasures) {
  EXPECT_EQ(document_refs(fixtures::orders_by_category_card()),
            (Refs{
                "Database Sample Database @ dataset_query.database",
                "Table " + S + "\"ORDERS\"] @ dataset_query.stages[0].source-table",
                "Table " + S + "\"PRODUCTS\"] @ dataset_query.stages[0].joins[0].stages[0].source-table",
                "Field " + S + "\"ORDERS\",\"PRODUCT_ID\"] @ dataset_query.stages[0].joins[0].conditions[0][2][2]",
                "Field " + S + "\"PRODUCTS\",\"ID\"] @ dataset_query.stages[0].joins[0].conditions[0][3][2]",
                "Segment " + id("segment:widgets") + " @ dataset_query.stages[0].filters[0][2]",
                "Field " + S + "\"ORDERS\",\"CREATED_AT\"] @ dataset_query.stages[0].filters[1][2][2]",
                "Field " + S + "\"ORDERS\",\"TOTAL\"] @ dataset_query.stages[0].aggregation[0][2][2]",
                "Card " + id("card:revenue-metric") + " @ dataset_query.stages[0].aggregation[1][2]",
                "Measure " + id("measure:revenue") + " @ dataset_query.stages[0].aggregation[2][2]",
                "Field " + S + "\"PRODUCTS\",\"CATEGORY\"] @ dataset_query.stages[0].breakout[0][2]",
                "Field " + S + "\"PEOPLE\",\"STATE\"] @ dataset_query.stages[0].breakout[1][2]",
                "Field " + S + "\"ORDERS\",\"USER_ID\"] @ dataset_query.stages[0].breakout[1][1].source-field",
                // column_settings keys name columns by field reference
                "Field " + S +
                    "\"ORDERS\",\"TOTAL\"] @ visualization_settings.column_settings."
                    "[\"ref\",[\"field\",[\"Sample Database\",\"PUBLIC\",\"ORDERS\",\"TOTAL\"],null]]",
                // result metadata: field, table, legacy field_ref
                "Field " + S + "\"PRODUCTS\",\"CATEGORY\"] @ result_metadata[0].id",
                "Table " + S + "\"PRODUCTS\"] @ result_metadata[0].table_id",
                "Field " + S + "\"PRODUCTS\",\"CATEGORY\"] @ result_metadata[0].field_ref[1]",
            }));
}

TEST(Walker, NativeQueryTemplateTags) {
  EXPECT_EQ(document_refs(fixtures::native_orders_card()),
            (Refs{
                "Database Sample Database @ dataset_query.database",
                "Card " + id("card:products-model") + " @ dataset_query.stages[0].template-tags[0].card-id",
                "Table " + S + "\"ORDERS\"] @ dataset_query.stages[0].template-tags[1].table-id",
                "NativeQuerySnippet " + id("snippet:active-orders") +
                    " @ dataset_query.stages[0].template-tags[2].snippet-id",
                "Field " + S + "\"PRODUCTS\",\"CATEGORY\"] @ dataset_query.stages[0].template-tags[3].dimension[2]",
            }));
}

TEST(Walker, DashboardClickBehavioursValuesSourcesAndTargets) {
  const std::string cs = "[\"name\",\"CATEGORY\"]";
  EXPECT_EQ(
      document_refs(fixtures::sales_dashboard()),
      (Refs{
          "Card " + id("card:products-model") + " @ parameters[0].values_source_config.card_id",
          "Field " + S + "\"PRODUCTS\",\"CATEGORY\"] @ parameters[0].values_source_config.value_field[1]",
          "Field " + S + "\"PRODUCTS\",\"TITLE\"] @ parameters[0].values_source_config.label_field[2]",
          "Field " + S + "\"PRODUCTS\",\"CATEGORY\"] @ dashcards[1].parameter_mappings[0].target[1][1]",
          "Field " + S + "\"ORDERS\",\"CREATED_AT\"] @ dashcards[1].parameter_mappings[1].target[1][1]",
          "Dashboard " + id("dashboard:customers") + " @ dashcards[1].visualization_settings.click_behavior.targetId",
          "Card " + id("card:products-model") + " @ dashcards[1].visualization_settings.column_settings." + cs +
              ".click_behavior.targetId",
          "Field " + S + "\"PRODUCTS\",\"CATEGORY\"] @ dashcards[1].visualization_settings.column_settings." + cs +
              ".click_behavior.parameterMapping.target-dimension.target.dimension[1][1]",
          "Document " + id("document:quarterly-report") + " @ dashcards[3].visualization_settings.link.entity.id",
      }));
}

TEST(Walker, DocumentCardEmbedsAndSmartLinks) {
  EXPECT_EQ(document_refs(fixtures::quarterly_report()),
            (Refs{
                "Card " + id("card:orders-by-category") + " @ document.content[1].content[1].attrs.entityId",
                "Dashboard " + id("dashboard:sales") + " @ document.content[1].content[3].attrs.entityId",
                "Table " + S + "\"ORDERS\"] @ document.content[1].content[5].attrs.entityId",
                "Card " + id("card:document-only") + " @ document.content[2].attrs.id",
                "Collection " + id("collection:marketing") +
                    " @ document.content[3].content[0].content[0].content[1].attrs.entityId",
            }));
}

TEST(Walker, SegmentsMeasuresSchemalessAndJsonUnfoldedFields) {
  const auto segments = fixtures::samples<Segment>();
  const std::string ev = "[\"Événements 🚀\",null,\"events\"";
  EXPECT_EQ(
      document_refs(segments[1]),
      (Refs{"Database Événements 🚀 @ definition.database", "Table " + ev + "] @ definition.stages[0].source-table",
            "Field " + ev + ",\"DATA\",\"user\",\"name\"] @ definition.stages[0].filters[0][2][2]"}));
  EXPECT_TRUE(document_refs(segments[2]).empty());  // the broken definition names nothing
  EXPECT_EQ(document_refs(fixtures::samples<Measure>()[0]),
            (Refs{"Database Sample Database @ definition.database",
                  "Table " + S + "\"ORDERS\"] @ definition.stages[0].source-table",
                  "Field " + S + "\"ORDERS\",\"TOTAL\"] @ definition.stages[0].aggregation[0][2][2]"}));
}

TEST(Walker, TransformsSnippetsActionsAndTheDataModel) {
  const auto transforms = fixtures::samples<Transform>();
  EXPECT_EQ(document_refs(transforms[0]),
            (Refs{"Database Sample Database @ source.query.database",
                  "Table " + S + "\"PRODUCTS\"] @ source.query.stages[0].source-table",
                  "Field " + S + "\"PRODUCTS\",\"CATEGORY\"] @ source.query.stages[0].breakout[0][2]"}));
  // Python: the table named by database_id/schema/table; the one named by
  // its typed table_id is the engine's to report.
  EXPECT_EQ(document_refs(transforms[1]), (Refs{"Table [\"Événements 🚀\",null,\"events\"] @ source.source-tables[0]"}));
  // A snippet using another snippet (legacy map-form template tags).
  EXPECT_EQ(document_refs(fixtures::samples<NativeQuerySnippet>()[1]),
            (Refs{"NativeQuerySnippet " + id("snippet:active-orders") +
                  " @ template_tags.snippet: Active Order Filter.snippet-id"}));
  EXPECT_EQ(document_refs(fixtures::samples<Action>()[0]),
            (Refs{"Database Sample Database @ query[0].dataset_query.database"}));
  // A remapped FK field names its human-readable field.
  EXPECT_EQ(document_refs(fixtures::samples<Field>()[2]),
            (Refs{"Field " + S + "\"PRODUCTS\",\"TITLE\"] @ dimensions[0].human_readable_field_id"}));
  // FieldValues / FieldUserSettings belong to the field their path names.
  EXPECT_EQ(document_refs(fixtures::samples<FieldValues>()[0]),
            (Refs{"Field " + S + "\"PRODUCTS\",\"CATEGORY\"] @ serdes/meta parent"}));
  EXPECT_EQ(document_refs(fixtures::samples<FieldValues>()[1]),
            (Refs{"Field [\"Événements 🚀\",null,\"events\",\"DATA\",\"user\",\"name\"] @ serdes/meta parent"}));
  EXPECT_EQ(document_refs(fixtures::samples<FieldUserSettings>()[0]),
            (Refs{"Field " + S + "\"ORDERS\",\"TOTAL\"] @ serdes/meta parent"}));
  // Nothing to find in kinds without free-form references.
  EXPECT_TRUE(document_refs(fixtures::samples<Collection>()[0]).empty());
  EXPECT_TRUE(document_refs(fixtures::samples<Settings>()[0]).empty());
}

// What is not a reference: column names, malformed keys, other models.
TEST(Walker, OnlyWellFormedReferences) {
  Card c = fixtures::samples<Card>()[2];  // the metric
  c.dataset_query = fixtures::doc(R"({"lib/type": "mbql/query", "database": "Sample Database", "stages": [{
      "lib/type": "mbql.stage/mbql",
      "source-card": ")" + id("card:products-model") +
                                  R"(",
      "filters": [[">", {}, ["field", {"base-type": "type/Float"}, "PRICE"], 50],
                  ["=", {}, ["field", {}, ["Sample Database", "PUBLIC"]], 1],
                  ["segment", {}, "not an id"],
                  ["contains", {"case-sensitive": false}, ["expression", {}, "field"], "segment"]],
      "template-tags": {"legacy": {"type": "card", "name": "legacy", "id": "x", "card-id": 42}}
    }]})");
  c.visualization_settings = fixtures::doc(R"({
      "link": {"entity": {"id": 12, "model": "question"}},
      "click_behavior": {"type": "crossfilter", "targetId": ")" +
                                           id("card:products-model") + R"("},
      "column_settings": {"[\"name\",\"PRICE\"]": {}, "[broken json": {}}})");
  EXPECT_EQ(document_refs(c), (Refs{"Database Sample Database @ dataset_query.database",
                                    "Card " + id("card:products-model") + " @ dataset_query.stages[0].source-card"}));
}

TEST(Walker, LinkCardsMapMetabaseModelNames) {
  Dashboard d = fixtures::samples<Dashboard>()[1];
  auto card_with = [&](std::string entity_json) {
    DashboardCard dc;
    dc.entity_id = fixtures::eid("dc:" + entity_json);
    dc.card_id = Nullable<Ref<Card>>();
    dc.row = static_cast<std::int64_t>(d.dashcards->size());
    dc.col = 0;
    dc.size_x = 4;
    dc.size_y = 1;
    dc.visualization_settings =
        fixtures::doc(R"({"virtual_card": {"display": "link"}, "link": {"entity": )" + entity_json + "}}");
    d.dashcards->push_back(dc);
  };
  card_with(R"({"id": ")" + id("card:x") + R"(", "model": "dataset"})");
  card_with(R"({"id": ")" + id("dash:x") + R"(", "model": "dashboard"})");
  card_with(R"({"id": ")" + id("coll:x") + R"(", "model": "collection"})");
  card_with(R"({"id": "Sample Database", "model": "database"})");
  card_with(R"({"id": ["Sample Database", "PUBLIC", "ORDERS"], "model": "table"})");
  card_with(R"({"id": "whatever", "model": "unknown-model"})");
  metaport::derive(d);
  const std::string p = ".visualization_settings.link.entity.id";
  EXPECT_EQ(document_refs(d),
            (Refs{"Card " + id("card:x") + " @ dashcards[0]" + p, "Dashboard " + id("dash:x") + " @ dashcards[1]" + p,
                  "Collection " + id("coll:x") + " @ dashcards[2]" + p, "Database Sample Database @ dashcards[3]" + p,
                  "Table " + S + "\"ORDERS\"] @ dashcards[4]" + p}));
}

// Typed references (the engine's find_typed_refs) and document references
// together: every reference of every sample is reported exactly once.
TEST(Walker, EveryReferenceOfEverySampleIsReportedOnce) {
  std::size_t total = 0;
  boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, Schema::kinds>>([&](auto tid) {
    using T = typename decltype(tid)::type;
    for (const auto& sample : fixtures::samples<T>()) {
      std::map<std::string, int> seen;
      schema().refs(entity_of(sample), [&](const metaport::FoundRef& r) {
        ++seen[r.kind + " " + r.key.str() + " @ " + metaport::path_to_string(r.path)];
        ++total;
      });
      for (const auto& [ref, n] : seen) EXPECT_EQ(n, 1) << metaport::kind_traits<T>::name << ": " << ref;
    }
  });
  // (A card's database_id, a segment's table_id are references only when
  // the sample writes them: derived members are recomputed when present.)
  EXPECT_GT(total, 140u);
}

TEST(Walker, TypedAndDocumentReferencesOfADashboard) {
  std::map<std::string, metaport::FoundRef> refs;
  schema().refs(entity_of(fixtures::sales_dashboard()),
                [&](const metaport::FoundRef& r) { refs[metaport::path_to_string(r.path)] = r; });
  ASSERT_TRUE(refs.count("creator_id"));
  EXPECT_TRUE(refs["creator_id"].column);
  EXPECT_FALSE(refs["creator_id"].nullable);
  ASSERT_TRUE(refs.count("collection_id"));
  EXPECT_TRUE(refs["collection_id"].parent);
  EXPECT_TRUE(refs["collection_id"].nullable);
  ASSERT_TRUE(refs.count("dashcards[1].card_id"));
  EXPECT_FALSE(refs["dashcards[1].card_id"].column);
  EXPECT_EQ(refs["dashcards[1].card_id"].kind, "Card");
  EXPECT_TRUE(refs.count("dashcards[1].series[0].card_id"));
  EXPECT_TRUE(refs.count("dashcards[1].parameter_mappings[0].card_id"));
  EXPECT_FALSE(refs.count("dashcards[4].parameter_mappings[0].card_id"));  // text-tag mapping: no card
  EXPECT_TRUE(refs.count("dashcards[1].visualization_settings.click_behavior.targetId"));
  EXPECT_EQ(refs["dashcards[1].visualization_settings.click_behavior.targetId"].kind, "Dashboard");
}

}  // namespace
