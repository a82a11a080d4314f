// The bi entity model: every kind round-trips through YAML text byte-stably,
// the spec's own examples decode and re-encode unchanged, derived members are
// recomputed as the spec says, and bad input gets errors with the right line,
// column and field path.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>

#include "tests/bi/fixtures.hpp"
#include "tests/bi/test_util.hpp"

namespace {

using namespace bi;
using bi::testing::kKeepSecrets;
using bi::testing::mark_of;
using bi::testing::parse_yaml;
using metaport::Errors;
using metaport::Mark;
using metaport::Value;
namespace yaml = metaport::yaml;

template <class T>
std::string to_yaml(const T& v, const metaport::EncodeContext& ctx = kKeepSecrets) {
  return yaml::write(metaport::encode(v, ctx));
}

template <class T>
metaport::Result<T> from_yaml(std::string_view text, metaport::Unknowns* unknowns = nullptr) {
  return metaport::decode_value<T>(parse_yaml(text), {}, unknowns);
}

// ---- round trips, every kind -----------------------------------------------------------
template <class T>
class KindRoundTrip : public ::testing::Test {};
using AllKinds = boost::mp11::mp_rename<Schema::kinds, ::testing::Types>;
TYPED_TEST_SUITE(KindRoundTrip, AllKinds);

TYPED_TEST(KindRoundTrip, EncodeWriteParseDecodeGivesTheOriginal) {
  using T = TypeParam;
  const auto all = fixtures::samples<T>();
  ASSERT_FALSE(all.empty());
  for (std::size_t i = 0; i < all.size(); ++i) {
    SCOPED_TRACE(std::string(metaport::kind_traits<T>::name) + " sample " + std::to_string(i));
    const Value encoded = metaport::encode(all[i], kKeepSecrets);
    const std::string text = yaml::write(encoded);
    // Encoding is deterministic: same value, same bytes.
    EXPECT_EQ(text, to_yaml(all[i]));
    const Value parsed = parse_yaml(text);
    EXPECT_TRUE(parsed == encoded) << text;
    metaport::Unknowns unknowns;
    auto decoded = metaport::decode_value<T>(parsed, {}, &unknowns);
    ASSERT_TRUE(decoded.ok()) << decoded.errors().to_string() << text;
    EXPECT_TRUE(unknowns.empty());
    EXPECT_TRUE(*decoded == all[i]) << "decoded:\n" << to_yaml(*decoded) << "original:\n" << text;
    // A second trip writes the same bytes again.
    EXPECT_EQ(to_yaml(*decoded), text);
  }
}

// Samples are normalized already: deriving again changes nothing.
TYPED_TEST(KindRoundTrip, DeriveIsIdempotent) {
  using T = TypeParam;
  for (const auto& sample : fixtures::samples<T>()) {
    T again = sample;
    metaport::derive(again);
    EXPECT_TRUE(again == sample) << to_yaml(again) << "---\n" << to_yaml(sample);
  }
}

// The runtime path (KindInfo::normalize): decode, derive, key, canonical value.
TYPED_TEST(KindRoundTrip, NormalizeKeysAndCanonicalizes) {
  using T = TypeParam;
  const auto info = metaport::make_kind_info<T>();
  for (const auto& sample : fixtures::samples<T>()) {
    Errors errors;
    metaport::Entity e;
    const Value in = parse_yaml(to_yaml(sample));
    ASSERT_TRUE(info.normalize(info, in, {}, e, errors)) << errors.to_string();
    EXPECT_EQ(e.key, metaport::key_of(sample));
    EXPECT_TRUE(e.value == metaport::encode(sample, kKeepSecrets));
    EXPECT_GE(e.key.size(), info.key_min);
    EXPECT_LE(e.key.size(), info.key_max);
  }
}

TEST(Schema, DescribesTheBiSchema) {
  const auto s = metaport::make_schema_info<Schema>();
  EXPECT_EQ(s.name, "bi");
  EXPECT_EQ(s.version, 4);
  ASSERT_EQ(s.kinds.size(), 23u);
  std::set<std::string> open, not_dumped, names;
  for (const auto& k : s.kinds) {
    names.insert(k->name);
    if (k->open) open.insert(k->name);
    if (!k->dumped) not_dumped.insert(k->name);
  }
  EXPECT_EQ(names.size(), 23u);
  EXPECT_EQ(open, (std::set<std::string>{"Action", "Database", "Field", "FieldUserSettings", "Glossary", "Settings",
                                         "Table"}));
  EXPECT_EQ(not_dumped, (std::set<std::string>{"User"}));
  EXPECT_EQ(s.find("Table")->key_shape, metaport::KeyShape::path);
  EXPECT_EQ(s.find("Table")->key_min, 3u);
  EXPECT_EQ(s.find("Table")->key_max, 3u);
  EXPECT_EQ(s.find("Table")->key_nullable_parts, 0b010u);
  EXPECT_EQ(s.find("Field")->key_min, 4u);
  EXPECT_GT(s.find("Field")->key_max, 100u);
  for (const char* named : {"Database", "Channel", "User", "Glossary", "Settings"})
    EXPECT_EQ(s.find(named)->key_shape, metaport::KeyShape::name) << named;
  EXPECT_EQ(s.find("Card")->key_shape, metaport::KeyShape::entity_id);
  EXPECT_TRUE(s.document_refs);
  // Referenced kinds come first where there is no cycle.
  auto pos = [&](std::string_view k) {
    for (std::size_t i = 0; i < s.kinds.size(); ++i)
      if (s.kinds[i]->name == k) return i;
    return s.kinds.size();
  };
  EXPECT_LT(pos("User"), pos("Collection"));
  EXPECT_LT(pos("Database"), pos("Table"));
  EXPECT_LT(pos("Table"), pos("Field"));
  EXPECT_LT(pos("Field"), pos("FieldValues"));
  EXPECT_LT(pos("Collection"), pos("Card"));
  EXPECT_LT(pos("Segment"), pos("Card"));
  EXPECT_LT(pos("TransformTag"), pos("Transform"));
}

TEST(Schema, FieldTypesCarryTheirMeaning) {
  const auto card = metaport::make_kind_info<Card>();
  EXPECT_EQ(card.field("collection_id")->type.str(), "parent<Collection>|null");
  EXPECT_TRUE(card.field("collection_id")->optional);
  EXPECT_EQ(card.field("creator_id")->type.str(), "ref<User>");
  EXPECT_FALSE(card.field("creator_id")->optional);
  EXPECT_EQ(card.field("database_id")->type.str(), "derived<ref<Database>>|null");
  EXPECT_EQ(card.field("dataset_query")->type.str(), "document");
  EXPECT_EQ(card.field("serdes/meta")->type.str(), "derived<list<SerdesMetaEntry>>");
  const auto dash = metaport::make_kind_info<Dashboard>();
  EXPECT_EQ(dash.field("dashcards")->type.str(), "list<DashboardCard>");
  const auto settings = metaport::make_kind_info<Settings>();
  EXPECT_EQ(settings.field("email-smtp-password")->type.str(), "secret<string>|null");
  const auto db = metaport::make_kind_info<Database>();
  EXPECT_EQ(db.field("details")->type.str(), "secret<document>");
  const auto transform = metaport::make_kind_info<Transform>();
  ASSERT_NE(transform.field("source"), nullptr);
  bool has_source_tables = false;
  for (const auto& f : transform.field("source")->type.fields)
    if (f.name == "source-tables") has_source_tables = true;
  EXPECT_TRUE(has_source_tables);
}

// ---- what the YAML looks like -----------------------------------------------------------
TEST(Yaml, NullStaysNullAndAbsentStaysAbsent) {
  const User u = fixtures::samples<User>()[3];
  const std::string text = to_yaml(u);
  EXPECT_EQ(text, "email: service@example.com\nlast_name: null\n");
}

TEST(Yaml, StringsThatLookLikeOtherTypesAreQuoted) {
  const FieldValues v = fixtures::samples<FieldValues>()[1];
  const std::string text = to_yaml(v);
  for (const char* quoted : {"- '123'\n", "- 'true'\n", "- '2024-01-01'\n", "- 'null'\n", "- '-'\n", "- ': '\n",
                             "- '~'\n", "- '0x1F'\n", "- '1e3'\n", "- 'yes'\n", "- '#tag'\n", "- ''\n"})
    EXPECT_NE(text.find(quoted), std::string::npos) << quoted << " in\n" << text;
  EXPECT_NE(text.find("- 42\n"), std::string::npos);
  EXPECT_NE(text.find("- false\n"), std::string::npos);
  EXPECT_NE(text.find("- null\n"), std::string::npos);
}

TEST(Yaml, MultiLineSqlIsALiteralBlock) {
  const std::string text = to_yaml(fixtures::native_orders_card());
  EXPECT_NE(text.find("native: |\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  JOIN {{source_table}} o ON o.PRODUCT_ID = p.ID\n"), std::string::npos) << text;
  const auto snippets = fixtures::samples<NativeQuerySnippet>();
  EXPECT_NE(to_yaml(snippets[0]).find("content: |\n  STATUS = 'active'\n    AND TOTAL > 0\n"), std::string::npos)
      << to_yaml(snippets[0]);
  const auto libs = fixtures::samples<PythonLibrary>();
  EXPECT_NE(to_yaml(libs[1]).find("source: |-\n  def quarter(d):\n"), std::string::npos) << to_yaml(libs[1]);
}

TEST(Yaml, OnDiskNamesAreTheFormatsNames) {
  const std::string transform = to_yaml(fixtures::samples<Transform>()[1]);
  for (const char* name : {"\nsource:\n", "  source-tables:\n",
                           "  source-database: ", "  source-incremental-strategy:", "\nserdes/meta:\n"})
    EXPECT_NE(transform.find(name), std::string::npos) << name << " in\n" << transform;
  const std::string collection = to_yaml(fixtures::samples<Collection>()[3]);
  EXPECT_NE(collection.find("\nnamespace: snippets\n"), std::string::npos) << collection;
  const std::string channel = to_yaml(fixtures::samples<Channel>()[0]);
  EXPECT_NE(channel.find("\ntype: channel/http\n"), std::string::npos) << channel;
  EXPECT_NE(channel.find("  auth-method: header\n"), std::string::npos) << channel;
  const std::string job = to_yaml(fixtures::samples<TransformJob>()[0]);
  EXPECT_NE(job.find("\nui_display_type: cron/builder\n"), std::string::npos) << job;
  const std::string settings = to_yaml(fixtures::samples<Settings>()[0]);
  EXPECT_NE(settings.find("\nemail-smtp-port: 587\n"), std::string::npos) << settings;
  EXPECT_NE(settings.find("\nloading-message: running-query\n"), std::string::npos) << settings;
  const std::string timeline = to_yaml(fixtures::samples<Timeline>()[0]);
  EXPECT_NE(timeline.find("\ndefault: false\n"), std::string::npos) << timeline;
}

// ---- secrets --------------------------------------------------------------------------------
TEST(Secrets, AreRedactedInDumpsAndComeBackAsRedacted) {
  const Settings s = fixtures::samples<Settings>()[0];
  const std::string dumped = to_yaml(s, {});
  for (const char* secret : {"6d1f0a1e8e6b4e3f", "s3cr3t", "jwt-signing-secret"})
    EXPECT_EQ(dumped.find(secret), std::string::npos) << secret << " leaked:\n" << dumped;
  EXPECT_NE(dumped.find("\nemail-smtp-password: '**redacted**'\n"), std::string::npos) << dumped;
  EXPECT_NE(dumped.find("\nldap-password: null\n"), std::string::npos) << dumped;  // unset is not secret
  auto back = from_yaml<Settings>(dumped);
  ASSERT_TRUE(back.ok()) << back.errors().to_string();
  EXPECT_TRUE((**back->email_smtp_password).is_redacted());
  EXPECT_FALSE(back->email_smtp_host == std::nullopt);

  const Database db = fixtures::samples<Database>()[1];
  const std::string db_text = to_yaml(db, {});
  EXPECT_EQ(db_text.find("hunter2"), std::string::npos) << db_text;
  EXPECT_NE(db_text.find("\ndetails: '**redacted**'\n"), std::string::npos) << db_text;
  EXPECT_NE(to_yaml(db).find("pass: hunter2"), std::string::npos);  // --keep-secrets

  // Channel secrets are the values: the structure stays reviewable.
  const auto channels = fixtures::samples<Channel>();
  const std::string hook = to_yaml(channels[0], {});
  EXPECT_EQ(hook.find("tok_live"), std::string::npos) << hook;
  EXPECT_NE(hook.find("  auth-info:\n    Authorization: '**redacted**'\n"), std::string::npos) << hook;
  const std::string mail = to_yaml(channels[1], {});
  EXPECT_EQ(mail.find("w0rd"), std::string::npos) << mail;
  EXPECT_NE(mail.find("  password: '**redacted**'\n"), std::string::npos) << mail;
}

// ---- open kinds keep what they do not declare -----------------------------------------------
TEST(OpenKinds, UnknownMembersAreKeptAndPutBack) {
  Table orders = fixtures::samples<Table>()[0];
  Value v = metaport::encode(orders);
  v.set("estimated_row_count", Value(18760));
  v.set("initial_sync_status", Value("complete"));
  v.set("data_authority", Value::object()).set("level", Value("authoritative"));
  const std::string text = yaml::write(v);
  metaport::Unknowns unknowns;
  auto decoded = from_yaml<Table>(text, &unknowns);
  ASSERT_TRUE(decoded.ok()) << decoded.errors().to_string();
  EXPECT_TRUE(*decoded == orders);
  ASSERT_EQ(unknowns.size(), 3u);
  Value again = metaport::encode(*decoded);
  metaport::apply_unknowns(again, unknowns);
  EXPECT_TRUE(again == v) << yaml::write(again);
}

TEST(OpenKinds, NestedOpenStructsKeepTheirUnknownsAtTheirPath) {
  const Timeline t = fixtures::samples<Timeline>()[0];
  Value v = metaport::encode(t);
  v.find("events")->as_array()[1].set("color", Value("#ED6E6E"));
  metaport::Unknowns unknowns;
  auto decoded = metaport::decode_value<Timeline>(v, {}, &unknowns);
  ASSERT_TRUE(decoded.ok()) << decoded.errors().to_string();
  ASSERT_EQ(unknowns.size(), 1u);
  EXPECT_EQ(metaport::path_to_string(unknowns[0].path), "events[1].color");
  Value again = metaport::encode(*decoded);
  metaport::apply_unknowns(again, unknowns);
  EXPECT_TRUE(again == v);
}

TEST(OpenKinds, ClosedKindsRejectUnknownMembersEvenWithASink) {
  Value v = metaport::encode(fixtures::samples<Collection>()[0]);
  v.set("colour", Value("red"));
  metaport::Unknowns unknowns;
  auto decoded = metaport::decode_value<Collection>(v, {}, &unknowns);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.errors().list()[0].path, "colour");
  // ... unless asked to keep them (--keep-unknown).
  auto kept = metaport::decode_value<Collection>(v, metaport::DecodeOptions{.keep_unknown = true}, &unknowns);
  EXPECT_TRUE(kept.ok());
}

// ---- derived members ----------------------------------------------------------------------------
// Derived members are recomputed when the document has them, and left out
// when it does not: a file read and written again gains no lines.
TEST(Derive, CardDatabaseAndQueryTypeComeFromTheQueryWhenPresent) {
  const auto info = metaport::make_kind_info<Card>();
  Card c = fixtures::native_orders_card();
  Value v = metaport::encode(c);
  v.erase("database_id");
  v.erase("query_type");
  Errors errors;
  metaport::Entity e;
  ASSERT_TRUE(info.normalize(info, v, {}, e, errors)) << errors.to_string();
  EXPECT_EQ(e.value.find("database_id"), nullptr);
  EXPECT_EQ(e.value.find("query_type"), nullptr);
  // A dumped value is never trusted when the query tells ...
  v.set("database_id", Value("Some Other Database"));
  v.set("query_type", Value("query"));
  ASSERT_TRUE(info.normalize(info, v, {}, e, errors)) << errors.to_string();
  EXPECT_EQ(e.value.find("database_id")->as_string(), "Sample Database");
  EXPECT_EQ(e.value.find("query_type")->as_string(), "native");
  Value q = metaport::encode(fixtures::orders_by_category_card());
  q.set("query_type", Value("native"));
  ASSERT_TRUE(info.normalize(info, q, {}, e, errors)) << errors.to_string();
  EXPECT_EQ(e.value.find("query_type")->as_string(), "query");
  // ... and kept when it does not (an empty query).
  const Card draft = fixtures::samples<Card>().back();
  ASSERT_EQ(draft.name, "Draft");
  EXPECT_EQ((*draft.database_id).value->key.first(), "Événements 🚀");
  EXPECT_FALSE(draft.query_type.has_value());
}

TEST(Derive, SegmentAndMeasureTablesComeFromTheDefinitionWhenPresent) {
  const auto info = metaport::make_kind_info<Segment>();
  auto table_of = [&](Value v) -> std::optional<Key> {
    Errors errors;
    metaport::Entity e;
    EXPECT_TRUE(info.normalize(info, v, {}, e, errors)) << errors.to_string();
    const Value* t = e.value.find("table_id");
    if (!t) return std::nullopt;
    Key k;
    for (const auto& p : t->as_array()) k.parts.push_back(p.is_null() ? std::nullopt : std::optional(p.as_string()));
    return k;
  };
  const auto segments = fixtures::samples<Segment>();
  const Value stale(Value::Array{Value("Sample Database"), Value("PUBLIC"), Value("STALE")});
  Value v0 = metaport::encode(segments[0]);
  v0.set("table_id", stale);
  EXPECT_EQ(table_of(v0), (Key{"Sample Database", std::string("PUBLIC"), std::string("PRODUCTS")}));
  Value v1 = metaport::encode(segments[1]);
  v1.set("table_id", stale);
  EXPECT_EQ(table_of(v1), (Key{"Événements 🚀", std::nullopt, std::string("events")}));
  v1.erase("table_id");
  EXPECT_EQ(table_of(v1), std::nullopt);
  // Broken definition: the dumped table_id is all there is, and it is kept.
  EXPECT_EQ(segments[2].table_id->value.key, (Key{"Sample Database", std::string("PUBLIC"), std::string("ORDERS")}));
}

TEST(Derive, SerdesMetaPaths) {
  const Card card = fixtures::orders_by_category_card();
  ASSERT_EQ(card.serdes_meta.value.size(), 1u);
  EXPECT_EQ(card.serdes_meta.value[0],
            meta_entry("Card", card.entity_id.str(), "orders_by_product_category__this_year"));
  const Dashboard dash = fixtures::sales_dashboard();
  const auto& dc = (*dash.dashcards)[1];
  EXPECT_EQ(dc.serdes_meta.value, (SerdesMeta{meta_entry("Dashboard", dash.entity_id.str()),
                                              meta_entry("DashboardCard", dc.entity_id.str())}));
  EXPECT_FALSE((*dash.tabs)[0].serdes_meta.has_value());  // absent stays absent
  EXPECT_EQ((*dash.tabs)[1].serdes_meta->value[1], meta_entry("DashboardTab", (*dash.tabs)[1].entity_id.str()));
  const auto tables = fixtures::samples<Table>();
  EXPECT_EQ(tables[0].serdes_meta.value, (SerdesMeta{meta_entry("Database", "Sample Database"),
                                                     meta_entry("Schema", "PUBLIC"), meta_entry("Table", "ORDERS")}));
  EXPECT_EQ(tables[4].serdes_meta.value,  // schemaless: no Schema step
            (SerdesMeta{meta_entry("Database", "Événements 🚀"), meta_entry("Table", "events")}));
  const auto fields = fixtures::samples<Field>();
  const Field& nested = fields.back();
  EXPECT_EQ(metaport::key_of(nested), (Key{"Événements 🚀", std::nullopt, std::string("events"), std::string("DATA"),
                                           std::string("user"), std::string("name")}));
  EXPECT_EQ(nested.serdes_meta.value.size(), 5u);  // Database, Table, Field, Field, Field
  EXPECT_EQ(nested.serdes_meta.value.back(), meta_entry("Field", "name"));
  const auto libs = fixtures::samples<PythonLibrary>();
  EXPECT_FALSE(libs[0].serdes_meta.value[0].label.has_value());  // python_library.yaml has no label
  const auto channels = fixtures::samples<Channel>();
  EXPECT_EQ(channels[0].serdes_meta.value, (SerdesMeta{meta_entry("Channel", "Ops webhook")}));
  const auto metabot = fixtures::samples<Metabot>()[0];
  EXPECT_EQ((*metabot.prompts)[0].serdes_meta->value[0], meta_entry("Metabot", metabot.entity_id.str()));
  EXPECT_FALSE((*metabot.prompts)[1].serdes_meta.has_value());
}

TEST(Derive, KeysFollowTheSpec) {
  EXPECT_EQ(metaport::key_of(fixtures::samples<Table>()[4]),
            (Key{"Événements 🚀", std::nullopt, std::string("events")}));
  EXPECT_EQ(metaport::key_of(fixtures::samples<Table>()[5]),  // schema left out = null
            (Key{"Événements 🚀", std::nullopt, std::string("sessions 2024")}));
  EXPECT_EQ(metaport::key_of(fixtures::samples<Field>()[1]),
            (Key{"Sample Database", std::string("PUBLIC"), std::string("ORDERS"), std::string("TOTAL")}));
  EXPECT_EQ(metaport::key_of(fixtures::samples<FieldValues>()[0]),
            (Key{"Sample Database", std::string("PUBLIC"), std::string("PRODUCTS"), std::string("CATEGORY")}));
  EXPECT_EQ(metaport::key_of(fixtures::samples<FieldValues>()[1]).size(), 6u);
  EXPECT_EQ(metaport::key_of(fixtures::samples<FieldUserSettings>()[0]),
            (Key{"Sample Database", std::string("PUBLIC"), std::string("ORDERS"), std::string("TOTAL")}));
  EXPECT_EQ(metaport::key_of(fixtures::samples<User>()[0]), Key(std::string(fixtures::kAdmin)));
  EXPECT_EQ(metaport::key_of(fixtures::samples<Settings>()[0]), Key(std::string("settings")));
  EXPECT_EQ(metaport::key_of(fixtures::samples<Glossary>()[1]), Key(std::string("Taux d'attrition")));
  EXPECT_EQ(metaport::key_of(fixtures::samples<Database>()[1]), Key(std::string("Événements 🚀")));
}

// ---- the spec's own examples ----------------------------------------------------------------------
struct SpecExample {
  std::size_t line;  // where the block starts in spec.md
  Value doc;
};

std::vector<SpecExample> spec_entity_examples() {
  const std::string dir = bi::testing::representations_dir();
  if (dir.empty()) return {};
  const std::string spec = bi::testing::read_file(dir + "/core-spec/v1/spec.md");
  EXPECT_FALSE(spec.empty()) << "cannot read " << dir << "/core-spec/v1/spec.md";
  std::vector<SpecExample> out;
  std::size_t pos = 0;
  while ((pos = spec.find("```yaml\n", pos)) != std::string::npos) {
    const std::size_t start = pos + 8;
    const std::size_t end = spec.find("```", start);
    if (end == std::string::npos) break;
    const std::string block = spec.substr(start, end - start);
    pos = end + 3;
    auto parsed = yaml::parse(block);
    if (!parsed.ok()) continue;  // fragments: several examples in one block
    // A whole entity: serdes/meta and something else (the Entity Keys
    // section shows serdes/meta on its own).
    if (!parsed->is_object() || !parsed->find("serdes/meta") || parsed->size() < 2) continue;
    out.push_back({static_cast<std::size_t>(std::count(spec.begin(), spec.begin() + start, '\n') + 1),
                   std::move(parsed.value())});
  }
  return out;
}

std::string model_of(const Value& doc) {
  const Value* meta = doc.find("serdes/meta");
  if (!meta || !meta->is_array() || meta->size() == 0) return {};
  const Value* m = meta->as_array().back().find("model");
  return m && m->is_string() ? m->as_string() : std::string();
}

std::set<std::string> error_paths(const Errors& errors) {
  std::set<std::string> out;
  for (const auto& e : errors.list()) out.insert(e.path);
  return out;
}

// Decodes a spec example as its kind, re-encodes it and compares; checks
// that derive() reproduces the example's serdes/meta.
template <class T>
void expect_example_round_trips(const SpecExample& ex) {
  metaport::Unknowns unknowns;
  auto decoded = metaport::decode_value<T>(ex.doc, {}, &unknowns);
  ASSERT_TRUE(decoded.ok()) << decoded.errors().to_string() << yaml::write(ex.doc);
  EXPECT_TRUE(unknowns.empty());
  const Value again = metaport::encode(*decoded, kKeepSecrets);
  EXPECT_TRUE(again == ex.doc) << "re-encoded:\n" << yaml::write(again) << "spec:\n" << yaml::write(ex.doc);
  T derived = *decoded;
  metaport::derive(derived);
  EXPECT_TRUE(metaport::encode(derived).find("serdes/meta") != nullptr);
  EXPECT_TRUE(*metaport::encode(derived).find("serdes/meta") == *ex.doc.find("serdes/meta"))
      << "derived serdes/meta:\n"
      << yaml::write(*metaport::encode(derived).find("serdes/meta"));
}

TEST(SpecExamples, EveryWholeEntityExampleDecodesAndReEncodesUnchanged) {
  const auto examples = spec_entity_examples();
  // Collection (root and child), Card, Dashboard, Document, Segment,
  // Measure, NativeQuerySnippet, Transform.
  ASSERT_EQ(examples.size(), 9u);
  std::multiset<std::string> models;
  for (const auto& ex : examples) {
    const std::string model = model_of(ex.doc);
    models.insert(model);
    SCOPED_TRACE("spec.md line " + std::to_string(ex.line) + ": " + model);
    if (model == "Dashboard") continue;  // see the next test
    bool known = bi::testing::with_kind(model, [&]<class T>() { expect_example_round_trips<T>(ex); });
    EXPECT_TRUE(known) << "no kind named " << model;
  }
  EXPECT_EQ(models, (std::multiset<std::string>{"Collection", "Collection", "Card", "Dashboard", "Document", "Segment",
                                                "Measure", "NativeQuerySnippet", "Transform"}));
}

// The spec's Dashboard example contradicts dashboard.yaml (which the
// validator enforces): its tab entity_ids have 20 characters, and its
// dashcard's dashboard_tab_id is a bare tab id where the schema wants
// [dashboard entity_id, tab entity_id]. We follow the schema: exactly those
// three problems are reported, and the example fixed the schema's way
// round-trips.
TEST(SpecExamples, DashboardExampleFollowsTheJsonSchemaNotTheProse) {
  const auto examples = spec_entity_examples();
  auto it =
      std::find_if(examples.begin(), examples.end(), [](const auto& ex) { return model_of(ex.doc) == "Dashboard"; });
  ASSERT_NE(it, examples.end());
  auto decoded = metaport::decode_value<Dashboard>(it->doc);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(error_paths(decoded.errors()),
            (std::set<std::string>{"tabs[0].entity_id", "tabs[1].entity_id", "dashcards[0].dashboard_tab_id"}))
      << decoded.errors().to_string();
  for (const auto& e : decoded.errors().list()) EXPECT_TRUE(e.mark.known()) << e.to_string();

  Value fixed = it->doc;
  const std::string dashboard_id = fixed.find("entity_id")->as_string();
  for (auto& tab : fixed.find("tabs")->as_array()) tab.find("entity_id")->as_string() += "x";
  Value& dc = fixed.find("dashcards")->as_array()[0];
  const std::string tab = dc.find("dashboard_tab_id")->as_string() + "x";
  dc.set("dashboard_tab_id", Value(Value::Array{Value(dashboard_id), Value(tab)}));
  SpecExample ex{it->line, fixed};
  expect_example_round_trips<Dashboard>(ex);
}

// ---- errors: line, column, field path ----------------------------------------------------------------
struct ErrorCase {
  const Errors& errors;
  const metaport::Error* find(std::string_view path) const {
    for (const auto& e : errors.list())
      if (e.path == path) return &e;
    return nullptr;
  }
};

void expect_error(const Errors& errors, std::string_view path, Mark mark, std::string_view message_part) {
  const metaport::Error* e = ErrorCase{errors}.find(path);
  ASSERT_NE(e, nullptr) << "no error at '" << path << "' in:\n" << errors.to_string();
  EXPECT_EQ(e->mark.line, mark.line) << e->to_string();
  EXPECT_EQ(e->mark.col, mark.col) << e->to_string();
  EXPECT_NE(e->message.find(message_part), std::string::npos) << e->to_string();
}

// `text` with its nth occurrence of `from` replaced by `to`.
std::string replace(std::string text, std::string_view from, std::string_view to, std::size_t nth = 0) {
  std::size_t pos = text.find(from);
  while (nth-- > 0 && pos != std::string::npos) pos = text.find(from, pos + 1);
  EXPECT_NE(pos, std::string::npos) << "no '" << from << "' in:\n" << text;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

// The mark of the text right after `prefix` (the value of `key: `).
Mark value_mark(std::string_view text, std::string_view prefix, std::size_t nth = 0) {
  Mark m = mark_of(text, prefix, nth);
  m.col += static_cast<std::uint32_t>(prefix.size());
  return m;
}
// The mark of `value` where the text reads `prefix` + `value`.
Mark value_mark(std::string_view text, std::string_view prefix, std::string_view value) {
  Mark m = mark_of(text, std::string(prefix) + std::string(value));
  m.col += static_cast<std::uint32_t>(prefix.size());
  return m;
}

const std::string& card_text() {
  static const std::string text = to_yaml(fixtures::orders_by_category_card());
  return text;
}
const std::string& dashboard_text() {
  static const std::string text = to_yaml(fixtures::sales_dashboard());
  return text;
}

TEST(Errors, UnknownFieldNamesItsLineColumnAndASuggestion) {
  const std::string text = replace(card_text(), "collection_preview: true", "colection_preview: true");
  auto r = from_yaml<Card>(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors().size(), 1u) << r.errors().to_string();
  expect_error(r.errors(), "colection_preview", value_mark(text, "colection_preview: "),
               "unknown field 'colection_preview' (did you mean 'collection_preview'?)");
}

TEST(Errors, MissingRequiredField) {
  const std::string text = replace(card_text(), "display: bar\n", "");
  auto r = from_yaml<Card>(text);
  ASSERT_FALSE(r.ok());
  expect_error(r.errors(), "display", Mark{1, 1}, "missing required field 'display'");
  // Nested: a dashcard without its height.
  const std::string dash = replace(dashboard_text(), "  size_y: 9\n", "");
  auto d = from_yaml<Dashboard>(dash);
  ASSERT_FALSE(d.ok());
  // The error is about the dashcard's map, which starts at its first key.
  expect_error(d.errors(), "dashcards[2].size_y", mark_of(dash, "entity_id: " + fixtures::eid("dashcard:native").str()),
               "missing required field 'size_y'");
}

TEST(Errors, WrongType) {
  const std::string text = replace(card_text(), "collection_position: 1", "collection_position: first");
  auto r = from_yaml<Card>(text);
  ASSERT_FALSE(r.ok());
  expect_error(r.errors(), "collection_position", value_mark(text, "collection_position: "),
               "expected an integer, got a string");
  const std::string text2 = replace(card_text(), "archived: false", "archived: 'false'");
  auto r2 = from_yaml<Card>(text2);
  ASSERT_FALSE(r2.ok());
  expect_error(r2.errors(), "archived", value_mark(text2, "archived: "), "expected true or false, got a string");
}

TEST(Errors, BadEnumValue) {
  const std::string text = replace(card_text(), "display: bar", "display: tabel");
  auto r = from_yaml<Card>(text);
  ASSERT_FALSE(r.ok());
  expect_error(r.errors(), "display", value_mark(text, "display: "), "'tabel' is not one of: table, bar, line");
}

TEST(Errors, BadEntityId) {
  const std::string id = fixtures::orders_by_category_card().entity_id.str();
  const std::string text = replace(card_text(), "entity_id: " + id, "entity_id: card-42");
  auto r = from_yaml<Card>(text);
  ASSERT_FALSE(r.ok());
  expect_error(r.errors(), "entity_id", value_mark(text, "entity_id: "), "bad entity_id 'card-42'");
  // A reference: dashcards[1].parameter_mappings[0].card_id
  const std::string dash = replace(dashboard_text(), "card_id: " + id, "card_id: f1C68pznmrpN1F5xFDj6", 1);
  auto d = from_yaml<Dashboard>(dash);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.errors().size(), 1u) << d.errors().to_string();
  expect_error(d.errors(), "dashcards[1].parameter_mappings[0].card_id",
               value_mark(dash, "card_id: ", "f1C68pznmrpN1F5xFDj6\n"), "bad Card reference 'f1C68pznmrpN1F5xFDj6'");
}

TEST(Errors, BadTablePathLength) {
  const Field total = fixtures::samples<Field>()[1];
  const std::string text =
      replace(to_yaml(total), "table_id:\n- Sample Database\n- PUBLIC\n", "table_id:\n- Sample Database\n");
  auto r = from_yaml<Field>(text);
  ASSERT_FALSE(r.ok());
  expect_error(r.errors(), "table_id", mark_of(text, "- Sample Database\n- ORDERS"),
               "a Table path has 3 parts, this one has 2");
  // A Field path shorter than 4, and a null where only the schema may be null.
  const std::string fk = replace(to_yaml(fixtures::samples<Field>()[2]), "- PRODUCTS\n- ID\n", "- PRODUCTS\n");
  auto r2 = from_yaml<Field>(fk);
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(ErrorCase{r2.errors()}.find("fk_target_field_id"), nullptr) << r2.errors().to_string();
  const std::string null_table = replace(to_yaml(total), "- ORDERS\n", "- null\n");
  auto r3 = from_yaml<Field>(null_table);
  ASSERT_FALSE(r3.ok());
  expect_error(r3.errors(), "table_id[2]", value_mark(null_table, "- ", "null\n"), "expected a name, got null");
}

TEST(Errors, NullWhereNotAllowed) {
  const std::string text = replace(card_text(), "archived: false", "archived: null");
  auto r = from_yaml<Card>(text);
  ASSERT_FALSE(r.ok());
  expect_error(r.errors(), "archived", value_mark(text, "archived: "), "may be left out but not null");
  const std::string text2 = replace(card_text(), "name: Orders by product category, this year", "name: null");
  auto r2 = from_yaml<Card>(text2);
  ASSERT_FALSE(r2.ok());
  expect_error(r2.errors(), "name", value_mark(text2, "name: "), "expected a string, got null");
  // visualization_settings must be a map (a free-form document, checked).
  const std::string text3 = replace(card_text(), "visualization_settings:\n", "visualization_settings: null\nx_:\n");
  auto r3 = from_yaml<Card>(text3);
  ASSERT_FALSE(r3.ok());
  expect_error(r3.errors(), "visualization_settings", value_mark(text3, "visualization_settings: "),
               "expected a map, got null");
}

TEST(Errors, GridViolation) {
  // dashcards[3] (the link card, 8 wide) moved to column 20: 20 + 8 > 24.
  const std::string text = replace(dashboard_text(), "  col: 16\n", "  col: 20\n");
  auto r = from_yaml<Dashboard>(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors().size(), 1u) << r.errors().to_string();
  expect_error(r.errors(), "dashcards[3].size_x", value_mark(text, "  size_x: ", "8\n"),
               "overflows the 24-column grid");
  const std::string text2 =
      replace(replace(dashboard_text(), "  size_y: 1\n", "  size_y: 0\n"), "  row: 9\n", "  row: -1\n");
  auto r2 = from_yaml<Dashboard>(text2);
  ASSERT_FALSE(r2.ok());
  expect_error(r2.errors(), "dashcards[0].size_y", value_mark(text2, "  size_y: "), "size_y is 1 or more, not 0");
  expect_error(r2.errors(), "dashcards[3].row", value_mark(text2, "  row: ", "-1\n"), "row is 0 or more, not -1");
}

TEST(Errors, SeveralErrorsInOneFileAreAllReported) {
  std::string text = dashboard_text();
  text = replace(text, "name: Overview", "name: Overview\n  colour: blue");    // tabs[0]
  text = replace(text, "  col: 16\n", "  col: 30\n");                          // dashcards[3].col
  text = replace(text, "  size_x: 16\n", "  size_x: 25\n");                    // dashcards[4].size_x
  text = replace(text, "width: fixed", "width: wide");                         // width
  text = replace(text, "parameter_id: '9d9cddd4'", "parameter_id: 0000dead");  // unknown parameter
  auto r = from_yaml<Dashboard>(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors().size(), 5u) << r.errors().to_string();
  expect_error(r.errors(), "width", value_mark(text, "width: "), "'wide' is not one of: fixed, full");
  expect_error(r.errors(), "tabs[0].colour", value_mark(text, "colour: "), "unknown field 'colour'");
  expect_error(r.errors(), "dashcards[3].col", value_mark(text, "  col: ", "30\n"), "col is 0 to 23, not 30");
  expect_error(r.errors(), "dashcards[4].size_x", value_mark(text, "  size_x: ", "25\n"), "size_x is 1 to 24, not 25");
  expect_error(r.errors(), "dashcards[1].parameter_mappings[1].parameter_id",
               value_mark(text, "parameter_id: ", "0000dead"), "the dashboard has no parameter with id '0000dead'");
}

// ---- semantic checks -------------------------------------------------------------------------------------
template <class T>
Errors errors_of(const T& value) {
  auto r = metaport::decode_value<T>(metaport::encode(value, kKeepSecrets));
  return r.ok() ? Errors{} : r.errors();
}

TEST(Checks, ACardIsInADashboardOrADocumentNotBoth) {
  Card c = fixtures::samples<Card>()[4];
  ASSERT_TRUE(c.dashboard_id);
  EXPECT_TRUE(errors_of(c).empty());
  c.document_id = Nullable<Parent<Document>>(Parent<Document>(Ref<Document>(fixtures::eid("document:x").str())));
  const Errors e = errors_of(c);
  ASSERT_EQ(e.size(), 1u) << e.to_string();
  EXPECT_EQ(e.list()[0].path, "document_id");
}

TEST(Checks, DashboardOwnedItemsMustAgree) {
  Dashboard d = fixtures::sales_dashboard();
  (*d.tabs)[1].position = -1;
  (*(*d.dashcards)[2].dashboard_tab_id)->at(1) = fixtures::eid("tab:missing");
  (*(*d.dashcards)[3].dashboard_tab_id)->at(0) = fixtures::eid("dashboard:other");
  (*d.dashcards)[5].entity_id = (*d.dashcards)[1].entity_id;
  (*d.dashcards)[5].row = 3;  // now also overlaps dashcards[1]? no: col 12..24 vs 0..12 -> no overlap
  const Errors e = errors_of(d);
  EXPECT_EQ(error_paths(e), (std::set<std::string>{"tabs[1].position", "dashcards[2].dashboard_tab_id[1]",
                                                   "dashcards[3].dashboard_tab_id[0]", "dashcards[5].entity_id"}))
      << e.to_string();
}

TEST(Checks, CardsOnTheSameTabCannotOverlap) {
  Dashboard d = fixtures::sales_dashboard();
  (*d.dashcards)[5].col = 8;  // the reviews card now covers columns 8..19 of rows 1..6, like the chart
  Errors e = errors_of(d);
  ASSERT_EQ(e.size(), 1u) << e.to_string();
  EXPECT_EQ(e.list()[0].path, "dashcards[5].row");
  EXPECT_NE(e.list()[0].message.find("overlaps dashcards[1]"), std::string::npos);
  // The same place on another tab is fine.
  (*(*d.dashcards)[5].dashboard_tab_id)->at(1) = (*d.tabs)[1].entity_id;
  (*d.dashcards)[5].row = 20;
  EXPECT_TRUE(errors_of(d).empty()) << errors_of(d).to_string();
}

TEST(Checks, DocumentNodes) {
  Document d = fixtures::quarterly_report();
  Value& content = *d.document.find("content");
  content.as_array()[0].find("attrs")->set("level", Value(7));
  content.as_array()[1].find("content")->as_array()[0].set("type", Value("blink"));
  content.as_array()[2].find("attrs")->set("id", Value(Value::Array{}));
  const Errors e = errors_of(d);
  EXPECT_EQ(error_paths(e),
            (std::set<std::string>{"document.content[0].attrs.level", "document.content[1].content[0].type",
                                   "document.content[2].attrs.id"}))
      << e.to_string();
}

TEST(Checks, ChannelDetailsMatchTheType) {
  Channel hook = fixtures::samples<Channel>()[0];
  hook.details->url.reset();
  hook.details->host = "smtp.example.com";
  const Errors e = errors_of(hook);
  EXPECT_EQ(error_paths(e), (std::set<std::string>{"details", "details.host"})) << e.to_string();
}

TEST(Checks, IdentityPathsOfFieldValues) {
  FieldValues v = fixtures::samples<FieldValues>()[0];
  v.serdes_meta.erase(v.serdes_meta.begin() + 2);  // drop the Table step
  const Errors e = errors_of(v);
  ASSERT_EQ(e.size(), 1u) << e.to_string();
  EXPECT_EQ(e.list()[0].path, "serdes/meta");
  EXPECT_NE(e.list()[0].message.find("should be a Table"), std::string::npos) << e.to_string();
}

TEST(Checks, NestedFieldStaysInItsTable) {
  Field f = fixtures::samples<Field>().back();
  f.table_id = Parent<Table>(Ref<Table>(Key{"Sample Database", std::string("PUBLIC"), std::string("ORDERS")}));
  const Errors e = errors_of(f);
  ASSERT_EQ(e.size(), 1u) << e.to_string();
  EXPECT_EQ(e.list()[0].path, "parent_id");
}

TEST(Checks, UsersAreEmailsAndUuidsAreUuids) {
  Card c = fixtures::native_orders_card();
  c.creator_id = Ref<User>(std::string("admin"));
  c.public_uuid = Nullable<std::string>("not-a-uuid");
  const Errors e = errors_of(c);
  EXPECT_EQ(error_paths(e), (std::set<std::string>{"creator_id", "public_uuid"})) << e.to_string();
}

TEST(Checks, TransformSourcesHaveTheirTypesMembers) {
  Transform t = fixtures::samples<Transform>()[1];
  t.source.type = TransformSourceType::query;
  const Errors e = errors_of(t);
  EXPECT_EQ(error_paths(e),
            (std::set<std::string>{"source", "source.body", "source.source-tables", "source.source-database"}))
      << e.to_string();
}

}  // namespace
