// The pieces of the serdes layout one by one: SnakeYAML's scalar styles
// (every string read back is the same string), Metabase's slugs, Metabase's
// key order, and the codec's conversions both ways on single documents.
#include <gtest/gtest.h>

#include "entities/bi/metabase_slug.hpp"
#include "entities/bi/serdes_codec.hpp"
#include "entities/bi/serdes_order.hpp"
#include "metaport/format/yaml_reader.hpp"
#include "metaport/format/yaml_snake_writer.hpp"

namespace {

using metaport::Value;
namespace snake = metaport::yaml::snake;

std::string scalar(const std::string& s) {
  Value v = Value::object();
  v.set("k", s);
  std::string out = snake::write(v);
  return out.substr(3, out.size() - 4);  // "k: " ... "\n"
}

TEST(SnakeYaml, PlainWhenItReadsBackAsTheString) {
  EXPECT_EQ(scalar("Orders by month"), "Orders by month");
  EXPECT_EQ(scalar("type/DateTime"), "type/DateTime");
  EXPECT_EQ(scalar("="), "=");            // not one of SnakeYAML's resolvers
  EXPECT_EQ(scalar("6f10a41f"), "6f10a41f");
  EXPECT_EQ(scalar("Été 2024 🚀"), "Été 2024 🚀");  // printable Unicode stays
  EXPECT_EQ(scalar("0 0 4 * * ? *"), "0 0 4 * * ? *");
}

TEST(SnakeYaml, SingleQuotedWhenPlainWouldNotBeAString) {
  for (const char* s : {"true", "No", "null", "~", "", "123", "-12", "1e3", "0x1F", "1_000", "12:30:00", ".5", ".inf",
                        "2024-01-15", "2024-01-15T10:30:00Z", "2024-1-5 1:02:03.5 +02:00", "<<"})
    EXPECT_EQ(scalar(s), "'" + std::string(s) + "'") << s;
  EXPECT_EQ(scalar("y"), "y");  // YAML 1.1 "y" is not one of SnakeYAML's booleans
}

TEST(SnakeYaml, SingleQuotedForIndicatorsAndSpaces) {
  EXPECT_EQ(scalar("-"), "'-'");
  EXPECT_EQ(scalar("- x"), "'- x'");
  EXPECT_EQ(scalar("a: b"), "'a: b'");
  EXPECT_EQ(scalar("a #b"), "'a #b'");
  EXPECT_EQ(scalar("[\"ref\",1]"), "'[\"ref\",1]'");
  EXPECT_EQ(scalar(" lead"), "' lead'");
  EXPECT_EQ(scalar("trail "), "'trail '");
  EXPECT_EQ(scalar("it's"), "it's");
  EXPECT_EQ(scalar("'quoted'"), "'''quoted'''");
}

TEST(SnakeYaml, LineBreaksFoldInSingleQuotesOrEscapeInDoubleQuotes) {
  EXPECT_EQ(scalar("a\nb"), "'a\n\n  b'");
  EXPECT_EQ(scalar("a\n\nb"), "'a\n\n\n  b'");
  // a space next to a break, a tab, a control character: double quotes
  EXPECT_EQ(scalar("a\n  b"), "\"a\\n  b\"");
  EXPECT_EQ(scalar("a \nb"), "\"a \\nb\"");
  EXPECT_EQ(scalar("a\tb"), "\"a\\tb\"");
  EXPECT_EQ(scalar(std::string("a\x01") + "b"), "\"a\\x01b\"");
  EXPECT_EQ(scalar("a\xC2\xA0\nb"), "'a\xC2\xA0\n\n  b'");  // a no-break space is no space to YAML
  EXPECT_EQ(scalar("a\xC2\xA0\tb"), "\"a\\_\\tb\"");        // ... but escaped in double quotes
}

TEST(SnakeYaml, EveryStyleReadsBackAsTheSameValue) {
  Value doc = Value::object();
  std::vector<std::string> texts = {"plain", "true", "", "a: b", "a\nb", "a\n\n  indented\n", "tab\there",
                                    "SELECT *\n  FROM t\n WHERE x = '1'", "- x", "#", "é\n\nü", "2024-01-15"};
  for (std::size_t i = 0; i < texts.size(); ++i) doc.set("k" + std::to_string(i), texts[i]);
  Value nested = Value::object();
  nested.set("list", Value(Value::Array{Value("a\nb"), Value(Value::Array{Value("x"), Value(1.5)})}));
  nested.set(std::string(130, 'k'), Value("long key"));
  doc.set("nested", nested);
  doc.set("numbers", Value(Value::Array{Value(std::int64_t{-3}), Value(1e7), Value(0.001), Value(2.5), Value()}));
  const std::string text = snake::write(doc);
  auto back = metaport::yaml::parse(text);
  ASSERT_TRUE(back.ok()) << back.errors().to_string() << text;
  EXPECT_TRUE(*back == doc) << text;
  EXPECT_NE(text.find("? " + std::string(130, 'k')), std::string::npos) << "a key of 128+ characters is explicit";
  EXPECT_NE(text.find("- 1.0E7\n"), std::string::npos) << text;
  EXPECT_NE(text.find("- 0.001\n"), std::string::npos) << text;
}

TEST(MetabaseSlug, AsMetabaseUtilSlugify) {
  EXPECT_EQ(bi::metabase_slugify("Orders by status (SQL)"), "orders_by_status__sql_");
  EXPECT_EQ(bi::metabase_slugify("Événements par jour 🚀"), "evenements_par_jour_🚀");
  EXPECT_EQ(bi::metabase_slugify("Straße Ødegård Œuvre"), "straße_ødegard_œuvre");  // ß ø œ do not decompose: kept
  EXPECT_EQ(bi::metabase_slugify("ΟΔΟΣ Ή"), "οδος_η");                            // final sigma, tonos
  EXPECT_EQ(bi::metabase_slugify("Йогурт Ёлка"), "иогурт_елка");
  EXPECT_EQ(bi::metabase_slugify("a/b\\c"), "a_b_c");
  EXPECT_EQ(bi::metabase_slugify("Été", /*unicode=*/false), "ete");
  EXPECT_EQ(bi::metabase_slugify("数据", /*unicode=*/false), "%E6%95%B0%E6%8D%AE");
}

std::vector<std::string> keys(const Value& v) {
  std::vector<std::string> out;
  for (const auto& [k, x] : v.as_object()) out.push_back(k);
  return out;
}

TEST(MetabaseOrder, ListedKeysFirstThenPlainThenNamespaced) {
  Value card = Value::object();
  for (const char* k : {"type", "serdes/meta", "name", "archived_directly", "dataset_query", "entity_id", "lib/zzz"})
    card.set(k, Value::object());
  card.find("dataset_query")->set("type", "query");
  card.find("dataset_query")->set("lib/type", "x");
  card.find("dataset_query")->set("database", "d");
  bi::serdes_order::sort_like_metabase(card, "Card");
  EXPECT_EQ(keys(card), (std::vector<std::string>{"name", "entity_id", "dataset_query", "serdes/meta", "archived_directly",
                                                  "type", "lib/zzz"}));
  EXPECT_EQ(keys(*card.find("dataset_query")), (std::vector<std::string>{"database", "type", "lib/type"}));
  Value fv = Value::object();
  for (const char* k : {"values", "type", "hash_key", "has_more_values", "serdes/meta"}) fv.set(k, Value());
  bi::serdes_order::sort_like_metabase(fv, "FieldValues");  // Metabase's list is named FieldValue: sorted
  EXPECT_EQ(keys(fv), (std::vector<std::string>{"has_more_values", "hash_key", "type", "values", "serdes/meta"}));
}

Value parse(const std::string& text) {
  auto v = metaport::yaml::parse(text);
  EXPECT_TRUE(v.ok()) << v.errors().to_string();
  return v.ok() ? *v : Value();
}

TEST(SerdesCodec, LegacyQueryConvertsAndComesBackAsWritten) {
  const Value file = parse(R"(name: Count
entity_id: Cr1iH7lD3rP9aB5mJo0fV
creator_id: a@example.com
display: scalar
collection_preview: null
query_type: query
database_id: DB
table_id: [DB, null, T]
source_card_id: null
dataset_query:
  database: DB
  type: query
  query:
    source-table: [DB, null, T]
    aggregation: [[count]]
    order-by: [[desc, [aggregation, 0]]]
visualization_settings: {}
serdes/meta:
- {id: Cr1iH7lD3rP9aB5mJo0fV, label: count, model: Card}
)");
  metaport::Errors errors;
  auto model = bi::serdes::to_model("Card", file, false, errors);
  ASSERT_TRUE(model) << errors.to_string();
  EXPECT_TRUE(errors.empty()) << errors.to_string();
  const Value* q = model->find("dataset_query");
  ASSERT_TRUE(q && q->find("stages"));
  EXPECT_EQ(q->find("lib/type")->as_string(), "mbql/query");
  // derived members that agree with the query are not kept; the legacy
  // query and the null are
  EXPECT_EQ(model->find("database_id"), nullptr);
  EXPECT_EQ(model->find("table_id"), nullptr);
  const Value* extras = model->find("serdes");
  ASSERT_TRUE(extras);
  EXPECT_TRUE(*extras->find("dataset_query") == *file.find("dataset_query"));
  EXPECT_TRUE(extras->find("collection_preview")->is_null());
  EXPECT_EQ(extras->size(), 2u);
  // back: the same document
  const Value back = bi::serdes::from_model("Card", metaport::Key(std::string("Cr1iH7lD3rP9aB5mJo0fV")), *model);
  EXPECT_TRUE(back == file) << metaport::yaml::snake::write(back);
  // a changed query is written as the entity has it, derived members follow it
  Value edited = *model;
  edited.find("dataset_query")->find("stages")->as_array()[0].set("source-table", Value(Value::Array{
                                                                       Value("DB"), Value(), Value("U")}));
  const Value out = bi::serdes::from_model("Card", metaport::Key(std::string("Cr1iH7lD3rP9aB5mJo0fV")), edited);
  EXPECT_TRUE(out.find("dataset_query")->find("stages")) << "pMBQL, not the stale legacy query";
  EXPECT_TRUE(*out.find("table_id") == Value(Value::Array{Value("DB"), Value(), Value("U")}));
  EXPECT_TRUE(out.find("collection_preview")->is_null());
}

TEST(SerdesCodec, ProblemsNameThePathAndTheDocumentGoesOn) {
  const Value file = parse(R"(name: X
entity_id: Cr1iH7lD3rP9aB5mJo0fV
creator_id: a@example.com
display: scalar
dataset_query:
  database: DB
  type: query
  query:
    source-table: [DB, null, T]
    filter: [=, [field, 12, null], 1]
visualization_settings: {}
)");
  metaport::Errors errors;
  auto model = bi::serdes::to_model("Card", file, false, errors);
  ASSERT_TRUE(model);
  ASSERT_EQ(errors.size(), 1u) << errors.to_string();
  EXPECT_EQ(errors.list()[0].path, "dataset_query.query.filter[1][1]");
  EXPECT_EQ(errors.list()[0].mark.line, 10u);
  metaport::Errors open_errors;
  Value table = parse("name: T\ndb_id: DB\nschema: null\ncolour: red\nserdes/meta: [{id: DB, model: Database}, {id: T, model: Table}]\n");
  bi::serdes::to_model("Table", table, false, open_errors);
  ASSERT_EQ(open_errors.size(), 1u);
  EXPECT_EQ(open_errors.list()[0].path, "colour");
  metaport::Errors kept;
  bi::serdes::to_model("Table", table, /*keep_unknown=*/true, kept);
  EXPECT_TRUE(kept.empty());
}

TEST(SerdesCodec, NullsAtDepthAndTextObjects) {
  const Value file = parse(R"(name:
  format-string: daily
  args: []
built_in_type: daily
entity_id: Hw6nM2qI8wU4fG0rOt5kA
serdes/meta: [{id: Hw6nM2qI8wU4fG0rOt5kA, label: daily, model: TransformTag}]
)");
  metaport::Errors errors;
  auto model = bi::serdes::to_model("TransformTag", file, false, errors);
  ASSERT_TRUE(model && errors.empty()) << errors.to_string();
  EXPECT_EQ(model->find("name")->as_string(), "daily");
  const Value back = bi::serdes::from_model("TransformTag", metaport::Key(std::string("Hw6nM2qI8wU4fG0rOt5kA")), *model);
  EXPECT_TRUE(back == file) << metaport::yaml::snake::write(back);

  const Value dash = parse(R"(name: D
entity_id: Vk4bA0eW6kI2tU8fCh3yO
creator_id: a@example.com
dashcards:
- entity_id: Wl5cB1fX7lJ3uV9gDi4zP
  card_id: null
  row: 0
  col: 0
  size_x: 4
  size_y: 4
  inline_parameters: null
  dashboard_tab_id: null
serdes/meta: [{id: Vk4bA0eW6kI2tU8fCh3yO, label: d, model: Dashboard}]
)");
  auto m2 = bi::serdes::to_model("Dashboard", dash, false, errors);
  ASSERT_TRUE(m2 && errors.empty()) << errors.to_string();
  const Value* extras = m2->find("serdes");
  ASSERT_TRUE(extras);
  EXPECT_TRUE(extras->find("dashcards.Wl5cB1fX7lJ3uV9gDi4zP.inline_parameters")->is_null());
  EXPECT_EQ(extras->find("dashcards.Wl5cB1fX7lJ3uV9gDi4zP.dashboard_tab_id"), nullptr) << "a nullable member stays";
  EXPECT_EQ(m2->find("dashcards")->as_array()[0].find("inline_parameters"), nullptr);
}

// serdes/meta as Metabase 1.5x generates it: the default generate-path labels
// an entity with the slug of its name (a channel, whose id is its name);
// Metabot's is infer-self-path, without a label; a glossary term has no name.
TEST(SerdesCodec, SerdesMetaAsMetabaseGeneratesIt) {
  auto meta_of = [](std::string_view kind, const std::string& key, const char* yaml) {
    const Value out = bi::serdes::from_model(kind, metaport::Key(key), parse(yaml));
    const Value* m = out.find("serdes/meta");
    return m ? snake::write(*m) : std::string("(none)");
  };
  EXPECT_EQ(meta_of("Channel", "Ops webhook", "name: Ops webhook\ntype: channel/http\n"),
            "- id: Ops webhook\n  label: ops_webhook\n  model: Channel\n");
  EXPECT_EQ(meta_of("Glossary", "Active customer", "term: Active customer\ndefinition: Buys\n"),
            "- id: Active customer\n  model: Glossary\n");
  EXPECT_EQ(meta_of("Metabot", "Mb7kT2qW9eR4yU1iOp5aS", "name: Sales assistant\nentity_id: Mb7kT2qW9eR4yU1iOp5aS\n"),
            "- id: Mb7kT2qW9eR4yU1iOp5aS\n  model: Metabot\n");
  EXPECT_EQ(meta_of("Document", "Dn4cR8xE2vL6pQ0tYw3hJ", "name: Quarterly review\nentity_id: Dn4cR8xE2vL6pQ0tYw3hJ\n"),
            "- id: Dn4cR8xE2vL6pQ0tYw3hJ\n  label: quarterly_review\n  model: Document\n");
  EXPECT_EQ(bi::serdes::label_of("Metabot", parse("name: Sales assistant\n")), "");
}

}  // namespace
