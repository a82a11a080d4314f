// bi's upgrade steps (entities/bi/upgrades.hpp), each on its own, then the
// whole chain from version 1 to 3 with the result decoded strictly by the
// current entity structs.
#include "entities/bi/upgrades.hpp"

#include <gtest/gtest.h>

#include "entities/bi/legacy_mbql.hpp"
#include "entities/bi/schema.hpp"
#include "metaport/format/json.hpp"
#include "tests/evolution/json_values.hpp"

namespace {

using metaport::Errors;
using metaport::UpgradeRecord;
using metaport::Value;
using evolution_test::J;
using evolution_test::show;

struct Upgraded {
  bool ok = false;
  std::vector<UpgradeRecord> out;
  Errors errors;
  const Value& doc() const { return out.at(0).doc; }
  std::string messages() const {
    std::string s;
    for (const auto& e : errors.list()) s += e.path + ": " + e.message + "\n";
    return s;
  }
};

// Runs the registered bi steps on one record from version `from` to `to`.
Upgraded upgrade(const std::string& kind, std::string_view doc_json, int from, int to) {
  Upgraded u;
  u.ok = metaport::upgrade_record(bi::upgrade_steps(), from, to, UpgradeRecord{kind, J(doc_json)}, u.out, u.errors);
  return u;
}

std::vector<std::string> names(const std::vector<metaport::UpgradeStep>& steps) {
  std::vector<std::string> out;
  for (const auto& s : steps) out.push_back(s.name);
  return out;
}

// ---- the registry --------------------------------------------------------------------------
TEST(BiUpgradeSteps, EachTransitionHasItsSteps) {
  EXPECT_EQ(names(bi::upgrade_steps_from(1)),
            (std::vector<std::string>{"Card: dataset -> type (converted)", "Dashboard: rename ordered_cards -> dashcards"}));
  EXPECT_EQ(names(bi::upgrade_steps_from(2)),
            (std::vector<std::string>{"Card: dataset_query legacy MBQL -> pMBQL stages",
                                      "Segment: definition legacy MBQL -> pMBQL stages",
                                      "Measure: definition legacy MBQL -> pMBQL stages",
                                      "Transform: source.query legacy MBQL -> pMBQL stages",
                                      "Action: query[].dataset_query legacy MBQL -> pMBQL stages"}));
  // 3 -> 4: every kind but User and Settings carries `serdes` (nothing to convert).
  const auto from3 = bi::upgrade_steps_from(3);
  ASSERT_EQ(from3.size(), 21u);
  EXPECT_EQ(from3[0].name, "Database: carries serdes (absent from version 3 documents)");
  EXPECT_TRUE(bi::upgrade_steps_from(4).empty());
  for (const auto& s : bi::upgrade_steps_from(1)) EXPECT_EQ(s.from, 1);
  for (const auto& s : bi::upgrade_steps_from(2)) EXPECT_EQ(s.from, 2);
  for (const auto& s : from3) EXPECT_EQ(s.from, 3);
  EXPECT_EQ(bi::upgrade_steps().size(), 28u);
}

TEST(BiUpgradeSteps, SchemaLoadsVersionsOneToFour) {
  const auto info = metaport::make_schema_info<bi::Schema>();
  EXPECT_EQ(info.version, 4);
  EXPECT_EQ(info.oldest_version, 1);
  EXPECT_EQ(names(info.upgrades), names(bi::upgrade_steps()));
}

// ---- 1 -> 2 -----------------------------------------------------------------------------------
TEST(BiUpgradeSteps, CardDatasetTrueBecomesTypeModel) {
  auto u = upgrade("Card", R"({"name": "M", "dataset": true, "display": "table"})", 1, 2);
  ASSERT_TRUE(u.ok) << u.messages();
  EXPECT_EQ(show(u.doc()), show(J(R"({"name": "M", "type": "model", "display": "table"})")));
  // In place: the member keeps its position.
  EXPECT_EQ(u.doc().as_object()[1].first, "type");
}

TEST(BiUpgradeSteps, CardDatasetFalseBecomesTypeQuestion) {
  auto u = upgrade("Card", R"({"name": "Q", "dataset": false})", 1, 2);
  ASSERT_TRUE(u.ok) << u.messages();
  EXPECT_TRUE(u.doc() == J(R"({"name": "Q", "type": "question"})")) << show(u.doc());
}

TEST(BiUpgradeSteps, CardWithoutDatasetStaysWithoutType) {
  auto u = upgrade("Card", R"({"name": "Q"})", 1, 2);
  ASSERT_TRUE(u.ok) << u.messages();
  EXPECT_TRUE(u.doc() == J(R"({"name": "Q"})")) << show(u.doc());
}

TEST(BiUpgradeSteps, CardDatasetThatIsNotABooleanFails) {
  auto u = upgrade("Card", R"({"name": "Q", "dataset": "yes"})", 1, 2);
  EXPECT_FALSE(u.ok);
  EXPECT_TRUE(u.out.empty());
  ASSERT_EQ(u.errors.size(), 1u);
  EXPECT_EQ(u.errors.list()[0].path, "dataset");
  EXPECT_EQ(u.errors.list()[0].message, "dataset is true (a model) or false (a question), not a string");
}

TEST(BiUpgradeSteps, DashboardOrderedCardsBecomeDashcards) {
  auto u = upgrade("Dashboard", R"({"name": "D", "ordered_cards": [{"entity_id": "x", "row": 0}], "created_at": "t"})", 1, 2);
  ASSERT_TRUE(u.ok) << u.messages();
  EXPECT_TRUE(u.doc() == J(R"({"name": "D", "dashcards": [{"entity_id": "x", "row": 0}], "created_at": "t"})")) << show(u.doc());
  EXPECT_EQ(u.doc().as_object()[1].first, "dashcards");
}

TEST(BiUpgradeSteps, DashboardWithBothNamesFails) {
  auto u = upgrade("Dashboard", R"({"name": "D", "ordered_cards": [], "dashcards": []})", 1, 2);
  EXPECT_FALSE(u.ok);
  ASSERT_EQ(u.errors.size(), 1u);
  EXPECT_EQ(u.errors.list()[0].path, "dashcards");
  EXPECT_NE(u.errors.list()[0].message.find("both 'ordered_cards' (the old name) and 'dashcards' are present"), std::string::npos);
}

TEST(BiUpgradeSteps, OneToTwoLeavesQueriesAlone) {
  const char* card = R"({"name": "Q", "dataset": false, "dataset_query": {"type": "query", "database": "DB", "query": {"source-table": ["DB", "PUBLIC", "ORDERS"]}}})";
  auto u = upgrade("Card", card, 1, 2);
  ASSERT_TRUE(u.ok) << u.messages();
  EXPECT_TRUE(*u.doc().find("dataset_query") == *J(card).find("dataset_query"));
}

// ---- 2 -> 3 -----------------------------------------------------------------------------------
TEST(BiUpgradeSteps, CardQueryBecomesPmbqlWithUuidsNamedAfterTheCard) {
  auto u = upgrade("Card", R"({"name": "Top", "entity_id": "ToPPRoDuCTSCaRD000001", "type": "question",
                              "dataset_query": {"type": "query", "database": "DB", "query": {"source-table": ["DB", "PUBLIC", "ORDERS"],
                                "aggregation": [["sum", ["field", ["DB", "PUBLIC", "ORDERS", "QUANTITY"], null]]],
                                "order-by": [["desc", ["aggregation", 0]]], "limit": 5}}})",
                   2, 3);
  ASSERT_TRUE(u.ok) << u.messages();
  const std::string uuid = bi::legacy_mbql::name_uuid("Card/ToPPRoDuCTSCaRD000001/dataset_query.query/aggregation/0");
  EXPECT_EQ(uuid, "0804f63e-c56d-515c-a129-5fe4279cdc63");
  EXPECT_EQ(show(u.doc()), show(J(R"({"name": "Top", "entity_id": "ToPPRoDuCTSCaRD000001", "type": "question",
      "dataset_query": {"lib/type": "mbql/query", "database": "DB", "stages": [{"lib/type": "mbql.stage/mbql",
        "source-table": ["DB", "PUBLIC", "ORDERS"],
        "aggregation": [["sum", {"lib/uuid": "0804f63e-c56d-515c-a129-5fe4279cdc63"}, ["field", {}, ["DB", "PUBLIC", "ORDERS", "QUANTITY"]]]],
        "order-by": [["desc", {}, ["aggregation", {}, "0804f63e-c56d-515c-a129-5fe4279cdc63"]]], "limit": 5}]}})")));
}

TEST(BiUpgradeSteps, SegmentAndMeasureDefinitionsBecomePmbql) {
  auto s = upgrade("Segment", R"({"name": "Large", "definition": {"source-table": ["DB", "PUBLIC", "ORDERS"], "filter": [">", ["field", ["DB", "PUBLIC", "ORDERS", "TOTAL"], null], 100]}})", 2, 3);
  ASSERT_TRUE(s.ok) << s.messages();
  EXPECT_EQ(show(s.doc()), show(J(R"({"name": "Large", "definition": {"lib/type": "mbql/query", "database": "DB", "stages": [{"lib/type": "mbql.stage/mbql",
      "source-table": ["DB", "PUBLIC", "ORDERS"], "filters": [[">", {}, ["field", {}, ["DB", "PUBLIC", "ORDERS", "TOTAL"]], 100]]}]}})")));
  auto m = upgrade("Measure", R"({"name": "Net", "definition": {"source-table": ["DB", "PUBLIC", "ORDERS"], "aggregation": [["sum", ["field", ["DB", "PUBLIC", "ORDERS", "SUBTOTAL"], null]]]}})", 2, 3);
  ASSERT_TRUE(m.ok) << m.messages();
  EXPECT_EQ(show(m.doc()), show(J(R"({"name": "Net", "definition": {"lib/type": "mbql/query", "database": "DB", "stages": [{"lib/type": "mbql.stage/mbql",
      "source-table": ["DB", "PUBLIC", "ORDERS"], "aggregation": [["sum", {}, ["field", {}, ["DB", "PUBLIC", "ORDERS", "SUBTOTAL"]]]]}]}})")));
}

TEST(BiUpgradeSteps, TransformQuerySourceBecomesPmbqlAndPythonIsLeftAlone) {
  auto t = upgrade("Transform", R"({"name": "Daily", "source": {"type": "query", "query": {"type": "native", "database": "DB", "native": {"query": "SELECT 1"}}}})", 2, 3);
  ASSERT_TRUE(t.ok) << t.messages();
  EXPECT_EQ(show(t.doc()), show(J(R"({"name": "Daily", "source": {"type": "query", "query": {"lib/type": "mbql/query", "database": "DB",
      "stages": [{"lib/type": "mbql.stage/native", "native": "SELECT 1"}]}}})")));
  const char* python = R"({"name": "Py", "source": {"type": "python", "body": "def transform(): pass", "source-tables": []}})";
  auto p = upgrade("Transform", python, 2, 3);
  ASSERT_TRUE(p.ok) << p.messages();
  EXPECT_TRUE(p.doc() == J(python));
}

TEST(BiUpgradeSteps, ActionQueriesBecomePmbql) {
  auto a = upgrade("Action", R"({"name": "Close", "type": "query", "query": [{"database_id": "DB",
      "dataset_query": {"type": "native", "database": "DB", "native": {"query": "UPDATE ORDERS SET CLOSED = TRUE WHERE ID = {{id}}",
        "template-tags": {"id": {"type": "number", "name": "id", "id": "55555555-5555-4555-8555-555555555555", "display-name": "ID"}}}}}]})",
                   2, 3);
  ASSERT_TRUE(a.ok) << a.messages();
  EXPECT_EQ(show(a.doc()), show(J(R"({"name": "Close", "type": "query", "query": [{"database_id": "DB",
      "dataset_query": {"lib/type": "mbql/query", "database": "DB", "stages": [{"lib/type": "mbql.stage/native",
        "native": "UPDATE ORDERS SET CLOSED = TRUE WHERE ID = {{id}}",
        "template-tags": [{"type": "number", "name": "id", "id": "55555555-5555-4555-8555-555555555555", "display-name": "ID"}]}]}}]})")));
}

TEST(BiUpgradeSteps, ErrorsNameThePathInTheEntity) {
  auto c = upgrade("Card", R"({"name": "Q", "dataset_query": {"type": "query", "database": "DB", "query": {"source-table": ["DB", "PUBLIC", "ORDERS"],
      "filter": ["and", ["=", ["field", "A", null], 1], ["relative-datetime", -1, "month"]]}}})", 2, 3);
  EXPECT_FALSE(c.ok);
  ASSERT_EQ(c.errors.size(), 1u) << c.messages();
  EXPECT_EQ(c.errors.list()[0].path, "dataset_query.query.filter[2]");
  auto t = upgrade("Transform", R"({"name": "T", "source": {"type": "query", "query": {"type": "query", "database": "DB", "query": {"source-table": "card__4"}}}})", 2, 3);
  EXPECT_FALSE(t.ok);
  ASSERT_EQ(t.errors.size(), 1u) << t.messages();
  EXPECT_EQ(t.errors.list()[0].path, "source.query.query.source-table");
  auto a = upgrade("Action", R"({"name": "A", "query": [{"dataset_query": {"type": "query", "database": "DB", "query": {"source-table": ["DB", "PUBLIC", "T"], "page": {}}}}]})", 2, 3);
  EXPECT_FALSE(a.ok);
  ASSERT_EQ(a.errors.size(), 1u) << a.messages();
  EXPECT_EQ(a.errors.list()[0].path, "query[0].dataset_query.query.page");
}

TEST(BiUpgradeSteps, OtherKindsPassThroughUnchanged) {
  const char* c = R"({"name": "Sales", "entity_id": "SaLeSCoLLeCTioN000001", "slug": "sales"})";
  auto u = upgrade("Collection", c, 1, 3);
  ASSERT_TRUE(u.ok) << u.messages();
  ASSERT_EQ(u.out.size(), 1u);
  EXPECT_EQ(u.out[0].kind, "Collection");
  EXPECT_TRUE(u.doc() == J(c));
}

// ---- the chain: a version 1 document is a valid version 3 entity -----------------------------------
TEST(BiUpgradeSteps, VersionOneCardDecodesAsTheCurrentCard) {
  auto u = upgrade("Card", R"({"name": "Order details", "entity_id": "oRDeRDeTaiLSMoDeL0001", "display": "table", "dataset": true,
      "creator_id": "ana@example.com", "visualization_settings": {},
      "dataset_query": {"type": "query", "database": "Sample Database", "query": {"source-table": ["Sample Database", "PUBLIC", "ORDERS"],
        "expressions": {"Net": ["-", ["field", ["Sample Database", "PUBLIC", "ORDERS", "TOTAL"], null], ["field", ["Sample Database", "PUBLIC", "ORDERS", "TAX"], null]]}}}})",
                   1, 3);
  ASSERT_TRUE(u.ok) << u.messages();
  auto card = metaport::decode_value<bi::Card>(u.doc());
  ASSERT_TRUE(card.ok()) << card.errors().to_string();
  EXPECT_EQ(card->type, bi::CardType::model);
  EXPECT_EQ(bi::query::language_of(card->dataset_query), bi::query::Language::mbql);
  EXPECT_EQ(bi::query::database_of(card->dataset_query), "Sample Database");
}

TEST(BiUpgradeSteps, VersionOneDashboardDecodesAsTheCurrentDashboard) {
  auto u = upgrade("Dashboard", R"({"name": "Sales overview", "entity_id": "SaLeSoVeRVieWDaSH0001", "creator_id": "ana@example.com",
      "ordered_cards": [{"entity_id": "DaSHCaRDoRDeRSMoNTH01", "card_id": "oRDeRSByMoNTHCaRD0001", "row": 0, "col": 0, "size_x": 12, "size_y": 6}]})",
                   1, 3);
  ASSERT_TRUE(u.ok) << u.messages();
  auto dash = metaport::decode_value<bi::Dashboard>(u.doc());
  ASSERT_TRUE(dash.ok()) << dash.errors().to_string();
  ASSERT_TRUE(dash->dashcards.has_value());
  ASSERT_EQ(dash->dashcards->size(), 1u);
  EXPECT_EQ((*dash->dashcards)[0].entity_id.str(), "DaSHCaRDoRDeRSMoNTH01");
}

}  // namespace
