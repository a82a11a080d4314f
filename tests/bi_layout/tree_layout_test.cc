// bi::TreeLayout: the Metabase Representation Format v1.0.0 tree, rule by
// rule, with exact paths; collisions and their stability; determinism under
// any index order; dumps that leave containers out; kind_of on load.
#include "entities/bi/layout.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using metaport::Entity;
using metaport::Key;
using metaport::KindInfo;
using metaport::Value;

// The layout only reads the kind's name: a KindInfo with just a name will do.
const KindInfo* kind(const std::string& name) {
  static std::map<std::string, std::unique_ptr<KindInfo>> kinds;
  auto& k = kinds[name];
  if (!k) {
    k = std::make_unique<KindInfo>();
    k->name = name;
  }
  return k.get();
}

Value obj(std::initializer_list<std::pair<const char*, Value>> members) {
  Value v = Value::object();
  for (const auto& [k, m] : members) v.set(k, m);
  return v;
}

Value arr(std::initializer_list<Value> items) {
  Value v = Value::array();
  for (const auto& i : items) v.push_back(i);
  return v;
}

Value table_ref(const char* db, const char* schema, const char* table) {
  return arr({Value(db), schema ? Value(schema) : Value(), Value(table)});
}

// A 21-character entity id that starts with `tag` (tests read better when the
// first 8 characters, the collision suffix, say whose id it is).
std::string eid(std::string tag) {
  EXPECT_LE(tag.size(), 21u);
  while (tag.size() < 21) tag += 'x';
  EXPECT_TRUE(metaport::EntityId::valid(tag)) << tag;
  return tag;
}

Entity make(const std::string& k, Key key, Value doc) {
  Entity e;
  e.kind = kind(k);
  e.key = std::move(key);
  e.value = std::move(doc);
  return e;
}

// An entity_id-keyed content entity.
Entity content(const std::string& k, const std::string& id, const char* name, const char* created,
               std::initializer_list<std::pair<const char*, Value>> more = {}) {
  Value doc = obj({{"name", name}, {"entity_id", id}});
  if (created) doc.set("created_at", created);
  for (const auto& [m, v] : more) doc.set(m, v);
  return make(k, Key(id), std::move(doc));
}

std::vector<std::string> paths_of(metaport::Layout& layout, const std::vector<Entity>& es) {
  for (const auto& e : es) layout.index(e);
  std::vector<std::string> out;
  for (const auto& e : es) out.push_back(layout.path_of(e));
  return out;
}

std::vector<std::string> paths_of(const std::vector<Entity>& es) {
  bi::TreeLayout layout;
  return paths_of(layout, es);
}

// ---------------------------------------------------------------------------
// A small, realistic instance: every rule of the layout once.
struct Instance {
  std::vector<Entity> entities;
  std::map<std::string, std::size_t> by_label;
  std::map<std::string, std::string> expected;  // label -> path

  void add(const std::string& label, Entity e, const std::string& path) {
    by_label[label] = entities.size();
    entities.push_back(std::move(e));
    expected[label] = path;
  }
};

Instance realistic() {
  Instance in;
  const std::string analytics = eid("CoLAnalytics"), marketing = eid("CoLMarketing"), campaigns = eid("CoLCampaigns");
  const std::string sql = eid("CoLSqlHelpers"), dates = eid("CoLDates"), etl = eid("CoLEtl"), staging = eid("CoLStaging");
  const std::string sales_dash = eid("DaSSalesOverview"), report = eid("DoCQuarterly");

  // main namespace: nested collections, items flat in their folder
  in.add("analytics", content("Collection", analytics, "Analytics", "2024-01-01T00:00:00Z"),
         "collections/main/analytics.yaml");
  in.add("marketing",
         content("Collection", marketing, "Marketing", "2024-01-02T00:00:00Z", {{"parent_id", analytics}}),
         "collections/main/analytics/marketing.yaml");
  in.add("campaigns",
         content("Collection", campaigns, "Campaigns 2024/Q1", "2024-01-03T00:00:00Z", {{"parent_id", marketing}}),
         "collections/main/analytics/marketing/campaigns_2024__SLASH__q1.yaml");
  in.add("revenue_card",
         content("Card", eid("CaRRevenue"), "Revenue by Month", "2024-02-01T00:00:00Z", {{"collection_id", analytics}}),
         "collections/main/analytics/revenue_by_month.yaml");
  in.add("deep_card",
         content("Card", eid("CaRDeep"), "Leads (EMEA)", "2024-02-01T00:00:00Z", {{"collection_id", campaigns}}),
         "collections/main/analytics/marketing/campaigns_2024__SLASH__q1/leads__emea_.yaml");
  in.add("sales_dashboard",
         content("Dashboard", sales_dash, "Sales Overview", "2024-02-02T00:00:00Z", {{"collection_id", marketing}}),
         "collections/main/analytics/marketing/sales_overview.yaml");
  in.add("dashboard_card",
         content("Card", eid("CaRTopProducts"), "Top Products", "2024-02-03T00:00:00Z",
                 {{"collection_id", marketing}, {"dashboard_id", sales_dash}}),
         "collections/main/analytics/marketing/sales_overview/top_products.yaml");
  in.add("report",
         content("Document", report, "Quarterly Report", "2024-02-04T00:00:00Z", {{"collection_id", analytics}}),
         "collections/main/analytics/quarterly_report.yaml");
  in.add("document_card",
         content("Card", eid("CaREmbedded"), "Embedded Chart", "2024-02-05T00:00:00Z",
                 {{"collection_id", analytics}, {"document_id", report}}),
         "collections/main/analytics/quarterly_report/embedded_chart.yaml");
  in.add("timeline",
         content("Timeline", eid("TiMReleases"), "Releases", "2024-02-06T00:00:00Z", {{"collection_id", analytics}}),
         "collections/main/analytics/releases.yaml");
  in.add("root_card", content("Card", eid("CaROrdersCount"), "Orders Count", "2024-03-01T00:00:00Z"),
         "collections/main/orders_count.yaml");
  in.add("root_dashboard",
         content("Dashboard", eid("DaSHome"), "Home", "2024-03-02T00:00:00Z", {{"collection_id", Value()}}),
         "collections/main/home.yaml");

  // snippets namespace
  in.add("sql_helpers",
         content("Collection", sql, "SQL Helpers", "2024-01-05T00:00:00Z", {{"namespace", "snippets"}}),
         "collections/snippets/sql_helpers.yaml");
  in.add("dates",
         content("Collection", dates, "Dates", "2024-01-06T00:00:00Z",
                 {{"namespace", "snippets"}, {"parent_id", sql}}),
         "collections/snippets/sql_helpers/dates.yaml");
  in.add("snippet",
         content("NativeQuerySnippet", eid("SnIActiveUsers"), "Active Users", "2024-02-10T00:00:00Z",
                 {{"collection_id", dates}}),
         "collections/snippets/sql_helpers/dates/active_users.yaml");
  in.add("root_snippet", content("NativeQuerySnippet", eid("SnIFiscalYear"), "Fiscal Year", "2024-02-11T00:00:00Z"),
         "collections/snippets/fiscal_year.yaml");

  // transforms namespace, and the transform jobs/tags folders
  in.add("etl", content("Collection", etl, "ETL", "2024-01-07T00:00:00Z", {{"namespace", "transforms"}}),
         "collections/transforms/etl.yaml");
  in.add("staging",
         content("Collection", staging, "Staging", "2024-01-08T00:00:00Z",
                 {{"namespace", "transforms"}, {"parent_id", etl}}),
         "collections/transforms/etl/staging.yaml");
  in.add("transform",
         content("Transform", eid("TrFDailyOrders"), "Daily Orders", "2024-02-12T00:00:00Z",
                 {{"collection_id", staging}}),
         "collections/transforms/etl/staging/daily_orders.yaml");
  in.add("root_transform", content("Transform", eid("TrFRollup"), "Customer Rollup", "2024-02-13T00:00:00Z"),
         "collections/transforms/customer_rollup.yaml");
  in.add("tag", content("TransformTag", eid("TaGHourly"), "hourly", "2024-01-01T00:00:00Z"),
         "transforms/transform_tags/hourly.yaml");
  in.add("job", content("TransformJob", eid("JoBNightly"), "Nightly Run", "2024-01-01T00:00:00Z"),
         "transforms/transform_jobs/nightly_run.yaml");
  in.add("python_library",
         make("PythonLibrary", Key(eid("PyLCommon")),
              obj({{"entity_id", eid("PyLCommon")}, {"path", "common.py"}, {"source", "x = 1\n"}})),
         "python_libraries/common_py.yaml");

  // data model: a database with schemas, JSON-unfolded fields, sidecars,
  // segments and measures; a schemaless database; the spec's slug example
  in.add("db", make("Database", Key("Sample Database"), obj({{"name", "Sample Database"}, {"engine", "h2"}})),
         "databases/sample_database/sample_database.yaml");
  in.add("orders",
         make("Table", Key{"Sample Database", "PUBLIC", "ORDERS"},
              obj({{"name", "ORDERS"}, {"db_id", "Sample Database"}, {"schema", "PUBLIC"}})),
         "databases/sample_database/schemas/public/tables/orders/orders.yaml");
  in.add("total",
         make("Field", Key{"Sample Database", "PUBLIC", "ORDERS", "TOTAL"},
              obj({{"name", "TOTAL"}, {"table_id", table_ref("Sample Database", "PUBLIC", "ORDERS")}})),
         "databases/sample_database/schemas/public/tables/orders/fields/total.yaml");
  in.add("total_values",
         make("FieldValues", Key{"Sample Database", "PUBLIC", "ORDERS", "TOTAL"}, obj({{"values", arr({1, 2})}})),
         "databases/sample_database/schemas/public/tables/orders/fields/total___fieldvalues.yaml");
  in.add("total_settings",
         make("FieldUserSettings", Key{"Sample Database", "PUBLIC", "ORDERS", "TOTAL"}, obj({})),
         "databases/sample_database/schemas/public/tables/orders/fields/total___fieldusersettings.yaml");
  in.add("events",
         make("Table", Key{"Sample Database", "PUBLIC", "EVENTS"},
              obj({{"name", "EVENTS"}, {"db_id", "Sample Database"}, {"schema", "PUBLIC"}})),
         "databases/sample_database/schemas/public/tables/events/events.yaml");
  in.add("data",
         make("Field", Key{"Sample Database", "PUBLIC", "EVENTS", "DATA"}, obj({{"name", "DATA"}})),
         "databases/sample_database/schemas/public/tables/events/fields/data.yaml");
  in.add("data_user",
         make("Field", Key{"Sample Database", "PUBLIC", "EVENTS", "DATA", "user"}, obj({{"name", "user"}})),
         "databases/sample_database/schemas/public/tables/events/fields/data.user.yaml");
  in.add("data_user_name",
         make("Field", Key{"Sample Database", "PUBLIC", "EVENTS", "DATA", "user", "name"}, obj({{"name", "name"}})),
         "databases/sample_database/schemas/public/tables/events/fields/data.user.name.yaml");
  in.add("data_user_name_values",
         make("FieldValues", Key{"Sample Database", "PUBLIC", "EVENTS", "DATA", "user", "name"},
              obj({{"values", arr({"ann"})}})),
         "databases/sample_database/schemas/public/tables/events/fields/data.user.name___fieldvalues.yaml");
  in.add("segment",
         content("Segment", eid("SeGBigOrders"), "Big Orders", "2024-04-01T00:00:00Z",
                 {{"table_id", table_ref("Sample Database", "PUBLIC", "ORDERS")}}),
         "databases/sample_database/schemas/public/tables/orders/segments/big_orders.yaml");
  in.add("measure",
         content("Measure", eid("MeATotalRevenue"), "Total Revenue", "2024-04-02T00:00:00Z",
                 {{"definition", obj({{"stages", arr({obj({{"source-table",
                                                           table_ref("Sample Database", "PUBLIC", "ORDERS")}})})}})}}),
         "databases/sample_database/schemas/public/tables/orders/measures/total_revenue.yaml");
  in.add("mongo", make("Database", Key("Mongo Events"), obj({{"name", "Mongo Events"}})),
         "databases/mongo_events/mongo_events.yaml");
  in.add("clicks",
         make("Table", Key{"Mongo Events", std::nullopt, "clicks"},
              obj({{"name", "clicks"}, {"db_id", "Mongo Events"}, {"schema", Value()}})),
         "databases/mongo_events/tables/clicks/clicks.yaml");
  in.add("clicks_ts", make("Field", Key{"Mongo Events", std::nullopt, "clicks", "ts"}, obj({{"name", "ts"}})),
         "databases/mongo_events/tables/clicks/fields/ts.yaml");
  in.add("clicks_segment",
         content("Segment", eid("SeGMobile"), "Mobile Clicks", "2024-04-03T00:00:00Z",
                 {{"table_id", table_ref("Mongo Events", nullptr, "clicks")}}),
         "databases/mongo_events/tables/clicks/segments/mobile_clicks.yaml");
  in.add("h2", make("Database", Key("test-data (h2)"), obj({{"name", "test-data (h2)"}})),
         "databases/test_data__h2_/test_data__h2_.yaml");

  // top-level folders
  in.add("metabot", content("Metabot", eid("MeBHelper"), "Helper", "2024-05-01T00:00:00Z"), "metabots/helper.yaml");
  in.add("channel", make("Channel", Key("Ops Webhook"), obj({{"name", "Ops Webhook"}, {"type", "channel/http"}})),
         "channels/ops_webhook.yaml");
  in.add("action", content("Action", eid("AcTMarkVip"), "Mark VIP", "2024-05-02T00:00:00Z"),
         "actions/mark_vip.yaml");
  in.add("glossary", make("Glossary", Key("ARR"), obj({{"term", "ARR"}, {"definition", "Annual recurring revenue"}})),
         "glossary/arr.yaml");
  in.add("settings", make("Settings", Key("settings"), obj({{"site-name", "Acme"}})), "settings.yaml");
  return in;
}

TEST(TreeLayout, RealisticInstanceHasTheSpecsPaths) {
  const Instance in = realistic();
  const auto paths = paths_of(in.entities);
  for (const auto& [label, index] : in.by_label) EXPECT_EQ(paths[index], in.expected.at(label)) << label;
}

TEST(TreeLayout, PathsAreDistinctAndNoFileIsAlsoAFolder) {
  const auto paths = paths_of(realistic().entities);
  std::set<std::string> files(paths.begin(), paths.end());
  EXPECT_EQ(files.size(), paths.size());
  std::set<std::string> folders;
  for (const auto& p : paths)
    for (auto slash = p.find('/'); slash != std::string::npos; slash = p.find('/', slash + 1))
      folders.insert(p.substr(0, slash));
  for (const auto& f : files) EXPECT_EQ(folders.count(f), 0u) << f << " is both a file and a folder";
}

TEST(TreeLayout, SameInputSamePathsWhateverTheIndexOrder) {
  const Instance in = realistic();
  const auto reference = paths_of(in.entities);
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::vector<std::size_t> order(in.entities.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::mt19937 rng(seed);
    std::shuffle(order.begin(), order.end(), rng);
    bi::TreeLayout layout;
    for (auto i : order) layout.index(in.entities[i]);
    // Ask in another order again: paths are memoized lazily.
    std::shuffle(order.begin(), order.end(), rng);
    for (auto i : order) EXPECT_EQ(layout.path_of(in.entities[i]), reference[i]) << "seed " << seed;
  }
}

TEST(TreeLayout, MakeTreeLayoutIsATreeLayout) {
  auto layout = bi::make_tree_layout();
  ASSERT_NE(dynamic_cast<bi::TreeLayout*>(layout.get()), nullptr);
  const auto e = content("Card", eid("CaRSolo"), "Solo", nullptr);
  layout->index(e);
  EXPECT_EQ(layout->path_of(e), "collections/main/solo.yaml");
}

// ---------------------------------------------------------------------------
// Names and slugs

TEST(TreeLayout, SlugsFollowTheSpec) {
  const auto paths = paths_of({
      content("Card", eid("CaRSlash"), "Revenue/Cost", nullptr),
      content("Card", eid("CaRBackslash"), "C:\\Temp", nullptr),
      content("Card", eid("CaRUnicode"), "Ventes d'été 数据", nullptr),
      content("Card", eid("CaRPunct"), "  Q1: Sales (EU) - v2!", nullptr),
  });
  EXPECT_EQ(paths[0], "collections/main/revenue__SLASH__cost.yaml");
  EXPECT_EQ(paths[1], "collections/main/c___BACKSLASH__temp.yaml");
  EXPECT_EQ(paths[2], "collections/main/ventes_d_été_数据.yaml");
  EXPECT_EQ(paths[3], "collections/main/__q1__sales__eu____v2_.yaml");
}

TEST(TreeLayout, WithoutAUsableNameTheKeyNamesTheFile) {
  const std::string id = eid("CaRNameless");
  const auto paths = paths_of({
      make("Card", Key(id), obj({{"entity_id", id}})),
      make("Dashboard", Key(eid("DaSBlank")), obj({{"name", "   "}})),
      make("Channel", Key("Pager Duty"), obj({{"type", "channel/http"}})),
  });
  EXPECT_EQ(paths[0], "collections/main/" + metaport::slugify(id) + ".yaml");
  EXPECT_EQ(paths[0], "collections/main/carnamelessxxxxxxxxxx.yaml");
  EXPECT_EQ(paths[1], "collections/main/dasblankxxxxxxxxxxxxx.yaml");
  EXPECT_EQ(paths[2], "channels/pager_duty.yaml");
}

TEST(TreeLayout, PythonLibrariesByPathGlossaryByTerm) {
  const auto paths = paths_of({
      make("PythonLibrary", Key(eid("PyLHelpers")), obj({{"path", "lib/helpers.py"}, {"name", "ignored"}})),
      make("Glossary", Key("Churn Rate"), obj({{"term", "Churn Rate"}})),
  });
  EXPECT_EQ(paths[0], "python_libraries/lib__SLASH__helpers_py.yaml");
  EXPECT_EQ(paths[1], "glossary/churn_rate.yaml");
}

TEST(TreeLayout, LongNamesAreCutOnACharacterBoundary) {
  std::string name;
  for (int i = 0; i < 100; ++i) name += "é";  // 200 bytes
  const auto paths = paths_of({content("Card", eid("CaRLong"), name.c_str(), nullptr)});
  const std::string file = paths[0].substr(std::string("collections/main/").size());
  EXPECT_EQ(file, std::string(name, 0, bi::TreeLayout::kMaxStemBytes) + ".yaml");
}

TEST(TreeLayout, OtherCollectionNamespacesGetTheirOwnFolder) {
  const std::string tenant = eid("CoLTenant");
  const auto paths = paths_of({
      content("Collection", tenant, "Tenant A", nullptr, {{"namespace", "shared-tenant-collection"}}),
      content("Card", eid("CaRTenant"), "Usage", nullptr, {{"collection_id", tenant}}),
  });
  EXPECT_EQ(paths[0], "collections/shared_tenant_collection/tenant_a.yaml");
  EXPECT_EQ(paths[1], "collections/shared_tenant_collection/tenant_a/usage.yaml");
}

TEST(TreeLayout, KindsWithoutARuleGetAFolderOfTheirOwn) {
  const auto paths = paths_of({make("Widget", Key("w1"), obj({{"name", "Big Widget"}}))});
  EXPECT_EQ(paths[0], "widget/big_widget.yaml");
}

// ---------------------------------------------------------------------------
// Collisions

TEST(TreeLayoutCollisions, CardBesideASubCollectionOfTheSameName) {
  const std::string parent = eid("CoLParent"), sales = eid("CoLSales"), card = eid("CaRSales");
  const std::vector<Entity> es = {
      content("Collection", parent, "Parent", "2024-01-01T00:00:00Z"),
      content("Collection", sales, "Sales", "2024-01-02T00:00:00Z", {{"parent_id", parent}}),
      content("Card", card, "Sales", "2024-01-03T00:00:00Z", {{"collection_id", parent}}),
      content("Card", eid("CaRInside"), "Inside", "2024-01-04T00:00:00Z", {{"collection_id", sales}}),
  };
  const auto paths = paths_of(es);
  EXPECT_EQ(paths[1], "collections/main/parent/sales.yaml");
  EXPECT_EQ(paths[2], "collections/main/parent/sales__CaRSales.yaml");
  EXPECT_EQ(paths[3], "collections/main/parent/sales/inside.yaml");
}

TEST(TreeLayoutCollisions, WhenTheCardIsOlderTheCollectionFolderFollowsItsSuffixedStem) {
  const std::string parent = eid("CoLParent"), sales = eid("CoLSales"), card = eid("CaRSales");
  const auto paths = paths_of({
      content("Collection", parent, "Parent", "2024-01-01T00:00:00Z"),
      content("Collection", sales, "Sales", "2024-03-01T00:00:00Z", {{"parent_id", parent}}),
      content("Card", card, "Sales", "2024-02-01T00:00:00Z", {{"collection_id", parent}}),
      content("Card", eid("CaRInside"), "Inside", "2024-03-02T00:00:00Z", {{"collection_id", sales}}),
      content("Collection", eid("CoLChild"), "Child", "2024-03-03T00:00:00Z", {{"parent_id", sales}}),
  });
  EXPECT_EQ(paths[2], "collections/main/parent/sales.yaml");
  EXPECT_EQ(paths[1], "collections/main/parent/sales__CoLSales.yaml");
  EXPECT_EQ(paths[3], "collections/main/parent/sales__CoLSales/inside.yaml");
  EXPECT_EQ(paths[4], "collections/main/parent/sales__CoLSales/child.yaml");
}

TEST(TreeLayoutCollisions, DashboardCardFolderVersusSubCollectionFolder) {
  const std::string sales = eid("CoLSales"), dash = eid("DaSSales");
  const auto paths = paths_of({
      content("Collection", sales, "Sales", "2024-01-01T00:00:00Z"),
      content("Dashboard", dash, "Sales", "2024-01-02T00:00:00Z"),
      content("Card", eid("CaRInDash"), "Pipeline", "2024-01-03T00:00:00Z", {{"dashboard_id", dash}}),
      content("Card", eid("CaRInColl"), "Pipeline", "2024-01-03T00:00:00Z", {{"collection_id", sales}}),
  });
  EXPECT_EQ(paths[0], "collections/main/sales.yaml");
  EXPECT_EQ(paths[1], "collections/main/sales__DaSSales.yaml");
  EXPECT_EQ(paths[2], "collections/main/sales__DaSSales/pipeline.yaml");
  EXPECT_EQ(paths[3], "collections/main/sales/pipeline.yaml");
}

TEST(TreeLayoutCollisions, TwoCardsWithTheSameName) {
  const auto paths = paths_of({
      content("Card", eid("ZZnewer"), "Revenue", "2024-06-01T00:00:00Z"),
      content("Card", eid("AAolder"), "Revenue", "2024-05-01T00:00:00Z"),
  });
  // created first keeps the plain stem, whatever the keys
  EXPECT_EQ(paths[1], "collections/main/revenue.yaml");
  EXPECT_EQ(paths[0], "collections/main/revenue__ZZnewerx.yaml");
}

TEST(TreeLayoutCollisions, SameCreationTimeTheSmallerKeyKeepsThePlainStem) {
  const auto paths = paths_of({
      content("Card", eid("bbbb"), "Revenue", "2024-05-01T00:00:00Z"),
      content("Card", eid("aaaa"), "Revenue", "2024-05-01T00:00:00Z"),
  });
  EXPECT_EQ(paths[1], "collections/main/revenue.yaml");
  EXPECT_EQ(paths[0], "collections/main/revenue__bbbbxxxx.yaml");
}

TEST(TreeLayoutCollisions, CreationTimesCompareAsInstantsNotAsText) {
  // Text order would put "...00.500Z" before "...00Z" and "01:00:00+02:00"
  // after "00:00:00Z"; as instants both are the other way round.
  auto paths = paths_of({
      content("Card", eid("aaFraction"), "X", "2024-05-01T00:00:00.500Z"),
      content("Card", eid("bbWhole"), "X", "2024-05-01T00:00:00Z"),
  });
  EXPECT_EQ(paths[1], "collections/main/x.yaml");
  EXPECT_EQ(paths[0], "collections/main/x__aaFracti.yaml");
  paths = paths_of({
      content("Card", eid("aaUtc"), "Y", "2024-05-01T00:00:00Z"),
      content("Card", eid("bbOffset"), "Y", "2024-05-01T01:00:00+02:00"),  // 23:00 UTC the day before
  });
  EXPECT_EQ(paths[1], "collections/main/y.yaml");
  EXPECT_EQ(paths[0], "collections/main/y__aaUtcxxx.yaml");
}

TEST(TreeLayoutCollisions, AnEntityWithoutCreationTimeCountsAsTheNewest) {
  const auto paths = paths_of({
      content("Card", eid("aaHandWritten"), "Churn", nullptr),
      content("Card", eid("zzExported"), "Churn", "2024-05-01T00:00:00Z"),
  });
  EXPECT_EQ(paths[1], "collections/main/churn.yaml");
  EXPECT_EQ(paths[0], "collections/main/churn__aaHandWr.yaml");
}

TEST(TreeLayoutCollisions, AddingANewerCollidingEntityRenamesNothing) {
  const std::string coll = eid("CoLKpis");
  std::vector<Entity> es = {
      content("Collection", coll, "KPIs", "2024-01-01T00:00:00Z"),
      content("Card", eid("CaRFirst"), "Revenue", "2024-02-01T00:00:00Z", {{"collection_id", coll}}),
      content("Dashboard", eid("DaSSecond"), "Revenue", "2024-03-01T00:00:00Z", {{"collection_id", coll}}),
      content("Collection", eid("CoLThird"), "Revenue", "2024-04-01T00:00:00Z", {{"parent_id", coll}}),
  };
  const auto before = paths_of(es);
  EXPECT_EQ(before[1], "collections/main/kpis/revenue.yaml");
  EXPECT_EQ(before[2], "collections/main/kpis/revenue__DaSSecon.yaml");
  EXPECT_EQ(before[3], "collections/main/kpis/revenue__CoLThird.yaml");
  // Later, more entities called "Revenue" appear (one named like an existing
  // suffixed stem): every existing file keeps its name.
  es.push_back(content("Card", eid("CaRFourth"), "Revenue", "2024-05-01T00:00:00Z", {{"collection_id", coll}}));
  es.push_back(
      content("Card", eid("CaRFifth"), "revenue  DaSSecon", "2024-06-01T00:00:00Z", {{"collection_id", coll}}));
  const auto after = paths_of(es);
  for (std::size_t i = 0; i < before.size(); ++i) EXPECT_EQ(after[i], before[i]);
  EXPECT_EQ(after[4], "collections/main/kpis/revenue__CaRFourt.yaml");
  // slugify("revenue  DaSSecon") is "revenue__dassecon": on a case-insensitive
  // file system that is revenue__DaSSecon, so it takes its own suffix too.
  EXPECT_EQ(after[5], "collections/main/kpis/revenue__dassecon__CaRFifth.yaml");
}

TEST(TreeLayoutCollisions, SuffixesThatCollideFallBackToTheWholeEntityId) {
  // Same first 8 characters: the second suffix would repeat the first.
  const std::string a = "SameStartAAAAAAAAAAAA", b = "SameStartBBBBBBBBBBBB", c = "SameStartCCCCCCCCCCCC";
  const auto paths = paths_of({
      content("Card", a, "Dup", "2024-01-01T00:00:00Z"),
      content("Card", b, "Dup", "2024-01-02T00:00:00Z"),
      content("Card", c, "Dup", "2024-01-03T00:00:00Z"),
  });
  EXPECT_EQ(paths[0], "collections/main/dup.yaml");
  EXPECT_EQ(paths[1], "collections/main/dup__SameStar.yaml");
  EXPECT_EQ(paths[2], "collections/main/dup__" + c + ".yaml");
}

TEST(TreeLayoutCollisions, NamesThatDifferOnlyInCaseCollideOnEveryFileSystem) {
  // slugify keeps non-ASCII letters as they are, so "Été" and "été" give two
  // stems; macOS and Windows would store them as one file.
  const auto paths = paths_of({
      content("Card", eid("aaUpper"), "Été", "2024-01-01T00:00:00Z"),
      content("Card", eid("bbLower"), "été", "2024-01-02T00:00:00Z"),
      content("Card", eid("ccDecomposed"), "e\xcc\x81t\xc3\xa9", "2024-01-03T00:00:00Z"),  // NFD é
      content("Card", eid("ddCyrillic"), "ДАННЫЕ", "2024-01-04T00:00:00Z"),
      content("Card", eid("eeCyrillic"), "данные", "2024-01-05T00:00:00Z"),
  });
  EXPECT_EQ(paths[0], "collections/main/Été.yaml");
  EXPECT_EQ(paths[1], "collections/main/été__bbLowerx.yaml");
  EXPECT_EQ(paths[2], "collections/main/e\xcc\x81t\xc3\xa9__ccDecomp.yaml");
  EXPECT_EQ(paths[3], "collections/main/ДАННЫЕ.yaml");
  EXPECT_EQ(paths[4], "collections/main/данные__eeCyrill.yaml");
}

TEST(TreeLayoutCollisions, SlashNamesDoNotEscapeAndCollideLikeOthers) {
  const auto paths = paths_of({
      content("Card", eid("aaSlash"), "a/b", "2024-01-01T00:00:00Z"),
      content("Card", eid("bbSpelled"), "a  slash  b", "2024-01-02T00:00:00Z"),
      content("Card", eid("ccDots"), "../etc", "2024-01-03T00:00:00Z"),
  });
  EXPECT_EQ(paths[0], "collections/main/a__SLASH__b.yaml");
  EXPECT_EQ(paths[1], "collections/main/a__slash__b__bbSpelle.yaml");
  EXPECT_EQ(paths[2], "collections/main/____SLASH__etc.yaml");
}

TEST(TreeLayoutCollisions, NamedKindsUseAHashOfTheirKey) {
  const auto paths = paths_of({
      make("Table", Key{"DB", "s", "Orders"}, obj({{"name", "Orders"}})),
      make("Table", Key{"DB", "s", "orders"}, obj({{"name", "orders"}})),
      make("Field", Key{"DB", "s", "orders", "Id"}, obj({{"name", "Id"}})),
      make("Field", Key{"DB", "s", "orders", "ID"}, obj({{"name", "ID"}})),
      make("FieldValues", Key{"DB", "s", "orders", "ID"}, obj({})),
  });
  const std::string upper_table = Key{"DB", "s", "Orders"}.str(), lower_table = Key{"DB", "s", "orders"}.str();
  // No created_at: the key decides, bytewise ("O" < "o").
  EXPECT_EQ(paths[0], "databases/db/schemas/s/tables/orders/orders.yaml");
  const std::string t = "orders__" + metaport::short_hash(lower_table);
  EXPECT_EQ(paths[1], "databases/db/schemas/s/tables/" + t + "/" + t + ".yaml");
  // ["DB","s","orders","ID"] < [...,"Id"]
  EXPECT_EQ(paths[3], "databases/db/schemas/s/tables/" + t + "/fields/id.yaml");
  const std::string f = "id__" + metaport::short_hash(Key{"DB", "s", "orders", "Id"}.str());
  EXPECT_EQ(paths[2], "databases/db/schemas/s/tables/" + t + "/fields/" + f + ".yaml");
  EXPECT_EQ(paths[4], "databases/db/schemas/s/tables/" + t + "/fields/id___fieldvalues.yaml");
}

TEST(TreeLayoutCollisions, AFieldNamedLikeASidecarFileTakesASuffix) {
  const Key x{"DB", "s", "t", "x"}, tricky{"DB", "s", "t", "x___fieldvalues"};
  const auto paths = paths_of({
      make("Field", x, obj({{"name", "x"}})),
      make("FieldValues", x, obj({})),
      make("Field", tricky, obj({{"name", "x___fieldvalues"}})),
  });
  EXPECT_EQ(paths[0], "databases/db/schemas/s/tables/t/fields/x.yaml");
  EXPECT_EQ(paths[1], "databases/db/schemas/s/tables/t/fields/x___fieldvalues.yaml");
  EXPECT_EQ(paths[2],
            "databases/db/schemas/s/tables/t/fields/x___fieldvalues__" + metaport::short_hash(tricky.str()) + ".yaml");
}

TEST(TreeLayoutCollisions, NestedFieldsNeverMeetDottedNames) {
  const auto paths = paths_of({
      make("Field", Key{"DB", "s", "t", "data", "user"}, obj({{"name", "user"}})),
      make("Field", Key{"DB", "s", "t", "data.user"}, obj({{"name", "data.user"}})),
      make("Field", Key{"DB", "s", "t", "author", "name"}, obj({{"name", "name"}})),
      make("Field", Key{"DB", "s", "t", "editor", "name"}, obj({{"name", "name"}})),
  });
  EXPECT_EQ(paths[0], "databases/db/schemas/s/tables/t/fields/data.user.yaml");
  EXPECT_EQ(paths[1], "databases/db/schemas/s/tables/t/fields/data_user.yaml");
  EXPECT_EQ(paths[2], "databases/db/schemas/s/tables/t/fields/author.name.yaml");
  EXPECT_EQ(paths[3], "databases/db/schemas/s/tables/t/fields/editor.name.yaml");
}

TEST(TreeLayoutCollisions, SchemasThatSlugTheSameGetDistinctFolders) {
  const auto paths = paths_of({
      make("Table", Key{"DB", "Sales", "t"}, obj({{"name", "t"}})),
      make("Table", Key{"DB", "sales", "t"}, obj({{"name", "t"}})),
  });
  EXPECT_EQ(paths[0], "databases/db/schemas/sales/tables/t/t.yaml");
  const std::string s = "sales__" + metaport::short_hash(Key{"DB", "sales"}.str());
  EXPECT_EQ(paths[1], "databases/db/schemas/" + s + "/tables/t/t.yaml");
}

TEST(TreeLayoutCollisions, CollisionsAreDecidedPerFolderOnly) {
  const std::string a = eid("CoLA"), b = eid("CoLB");
  const auto paths = paths_of({
      content("Collection", a, "A", "2024-01-01T00:00:00Z"),
      content("Collection", b, "B", "2024-01-01T00:00:00Z"),
      content("Card", eid("CaRInA"), "Same", "2024-01-02T00:00:00Z", {{"collection_id", a}}),
      content("Card", eid("CaRInB"), "Same", "2024-01-03T00:00:00Z", {{"collection_id", b}}),
      content("NativeQuerySnippet", eid("SnIRoot"), "Same", "2024-01-04T00:00:00Z"),
      content("Card", eid("CaRRoot"), "Same", "2024-01-05T00:00:00Z"),
  });
  EXPECT_EQ(paths[2], "collections/main/a/same.yaml");
  EXPECT_EQ(paths[3], "collections/main/b/same.yaml");
  EXPECT_EQ(paths[4], "collections/snippets/same.yaml");
  EXPECT_EQ(paths[5], "collections/main/same.yaml");
}

TEST(TreeLayoutCollisions, TwoSettingsEntitiesStillGetTwoFiles) {
  bi::TreeLayout layout;
  const auto paths = paths_of(layout, {
                                          make("Settings", Key("settings"), obj({})),
                                          make("Settings", Key("tenant"), obj({})),
                                      });
  EXPECT_EQ(paths[0], "settings.yaml");
  EXPECT_EQ(paths[1], "settings__" + metaport::short_hash("tenant") + ".yaml");
  EXPECT_EQ(layout.kind_of(paths[1], obj({})), "Settings");
}

// ---------------------------------------------------------------------------
// Dumps that leave containers out (--only Card, --collection X)

TEST(TreeLayoutMissingContainers, ItemsWhoseCollectionIsNotDumpedGoToTheirNamespaceRoot) {
  const auto paths = paths_of({
      content("Card", eid("CaROrphan"), "Orphan", nullptr, {{"collection_id", eid("CoLNotDumped")}}),
      content("NativeQuerySnippet", eid("SnIOrphan"), "Orphan Snippet", nullptr,
              {{"collection_id", eid("CoLNotDumped")}}),
      content("Transform", eid("TrFOrphan"), "Orphan Transform", nullptr, {{"collection_id", eid("CoLNotDumped")}}),
      content("Collection", eid("CoLOrphan"), "Orphan Collection", nullptr,
              {{"parent_id", eid("CoLNotDumped")}, {"namespace", "snippets"}}),
  });
  EXPECT_EQ(paths[0], "collections/main/orphan.yaml");
  EXPECT_EQ(paths[1], "collections/snippets/orphan_snippet.yaml");
  EXPECT_EQ(paths[2], "collections/transforms/orphan_transform.yaml");
  EXPECT_EQ(paths[3], "collections/snippets/orphan_collection.yaml");
}

TEST(TreeLayoutMissingContainers, ACardWhoseDashboardIsNotDumpedStaysInItsCollection) {
  const std::string coll = eid("CoLHere");
  const auto paths = paths_of({
      content("Collection", coll, "Here", nullptr),
      content("Card", eid("CaRDashGone"), "Dash Card", nullptr,
              {{"collection_id", coll}, {"dashboard_id", eid("DaSGone")}}),
      content("Card", eid("CaRDocGone"), "Doc Card", nullptr, {{"document_id", eid("DoCGone")}}),
  });
  EXPECT_EQ(paths[1], "collections/main/here/dash_card.yaml");
  EXPECT_EQ(paths[2], "collections/main/doc_card.yaml");
}

TEST(TreeLayoutMissingContainers, DataModelPathsNeedNoContainerEntity) {
  // Only segments, measures and field values are dumped: their folders come
  // from the names in their references, exactly as in a full dump.
  const Instance full = realistic();
  std::vector<Entity> subset;
  std::vector<std::string> expected;
  for (const char* label : {"segment", "measure", "total_values", "data_user_name_values", "clicks_segment"}) {
    subset.push_back(full.entities[full.by_label.at(label)]);
    expected.push_back(full.expected.at(label));
  }
  EXPECT_EQ(paths_of(subset), expected);
}

TEST(TreeLayoutMissingContainers, AMissingTableStillReservesItsFolderName) {
  // The dumped table "orders" and the segment's table "ORDERS" (not dumped)
  // are two tables: two folders, named as a full dump would name them
  // ("ORDERS" sorts first, so it keeps the plain stem).
  const auto paths = paths_of({
      make("Table", Key{"DB", "s", "orders"}, obj({{"name", "orders"}})),
      content("Segment", eid("SeGOther"), "Seg", nullptr, {{"table_id", table_ref("DB", "s", "ORDERS")}}),
  });
  const std::string dumped = "orders__" + metaport::short_hash(Key{"DB", "s", "orders"}.str());
  EXPECT_EQ(paths[0], "databases/db/schemas/s/tables/" + dumped + "/" + dumped + ".yaml");
  EXPECT_EQ(paths[1], "databases/db/schemas/s/tables/orders/segments/seg.yaml");
}

TEST(TreeLayoutMissingContainers, ASegmentWithoutAnyTable) {
  const auto paths = paths_of({content("Segment", eid("SeGLost"), "Lost", nullptr)});
  EXPECT_EQ(paths[0], "databases/_/tables/_/segments/lost.yaml");
}

TEST(TreeLayoutMissingContainers, SidecarsFindTheirFieldThroughSerdesMetaToo) {
  const Value meta = arr({obj({{"id", "DB"}, {"model", "Database"}}), obj({{"id", "s"}, {"model", "Schema"}}),
                          obj({{"id", "t"}, {"model", "Table"}}), obj({{"id", "F"}, {"model", "Field"}}),
                          obj({{"id", "0"}, {"model", "FieldValues"}})});
  const auto paths = paths_of({make("FieldValues", Key(), obj({{"serdes/meta", meta}}))});
  EXPECT_EQ(paths[0], "databases/db/schemas/s/tables/t/fields/f___fieldvalues.yaml");
}

TEST(TreeLayoutMissingContainers, KeysOfAnotherShapeFallBackOnTheDocument) {
  const auto paths = paths_of({
      make("Table", Key("t-by-id"), obj({{"name", "T"}, {"db_id", "DB"}, {"schema", Value()}})),
      make("Field", Key("f-by-id"), obj({{"name", "F"}, {"table_id", table_ref("DB", nullptr, "T")}})),
      make("Field", Key("g-by-id"), obj({{"name", "G"}, {"parent_id", arr({"DB", Value(), "T", "F"})}})),
  });
  EXPECT_EQ(paths[0], "databases/db/tables/t/t.yaml");
  EXPECT_EQ(paths[1], "databases/db/tables/t/fields/f.yaml");
  EXPECT_EQ(paths[2], "databases/db/tables/t/fields/f.g.yaml");
}

TEST(TreeLayoutMissingContainers, ParentCyclesAreCutAtTheOldestCollection) {
  const std::string a = eid("CoLCycleA"), b = eid("CoLCycleB"), c = eid("CoLCycleC");
  const std::vector<Entity> es = {
      content("Collection", a, "A", "2024-01-02T00:00:00Z", {{"parent_id", c}}),
      content("Collection", b, "B", "2024-01-01T00:00:00Z", {{"parent_id", a}}),  // oldest
      content("Collection", c, "C", "2024-01-03T00:00:00Z", {{"parent_id", b}}),
      content("Collection", eid("CoLSelf"), "Self", nullptr, {{"parent_id", eid("CoLSelf")}}),
  };
  const auto reference = paths_of(es);
  EXPECT_EQ(reference[1], "collections/main/b.yaml");
  EXPECT_EQ(reference[2], "collections/main/b/c.yaml");
  EXPECT_EQ(reference[0], "collections/main/b/c/a.yaml");
  EXPECT_EQ(reference[3], "collections/main/self.yaml");
  for (unsigned seed = 1; seed <= 10; ++seed) {
    std::vector<Entity> shuffled = es;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(seed));
    bi::TreeLayout layout;
    for (const auto& e : shuffled) layout.index(e);
    for (std::size_t i = 0; i < es.size(); ++i) EXPECT_EQ(layout.path_of(es[i]), reference[i]);
  }
}

// ---------------------------------------------------------------------------
// The index/path_of protocol

TEST(TreeLayoutProtocol, PathOfAnEntityThatWasNotIndexedIsAnError) {
  bi::TreeLayout layout;
  layout.index(content("Card", eid("CaRKnown"), "Known", nullptr));
  EXPECT_THROW(layout.path_of(content("Card", eid("CaRUnknown"), "Unknown", nullptr)), std::logic_error);
  // A data-model container the layout made up (a phantom) is not dumpable either.
  layout.index(content("Segment", eid("SeGX"), "X", nullptr, {{"table_id", table_ref("DB", "s", "t")}}));
  EXPECT_EQ(layout.path_of(content("Segment", eid("SeGX"), "X", nullptr)), "databases/db/schemas/s/tables/t/segments/x.yaml");
  EXPECT_THROW(layout.path_of(make("Table", Key{"DB", "s", "t"}, obj({{"name", "t"}}))), std::logic_error);
}

TEST(TreeLayoutProtocol, IndexingAfterPathsWereAskedRecomputesThemAll) {
  const auto newer = content("Card", eid("CaRNewer"), "Same", "2024-02-01T00:00:00Z");
  const auto older = content("Card", eid("CaROlder"), "Same", "2024-01-01T00:00:00Z");
  bi::TreeLayout layout;
  layout.index(newer);
  EXPECT_EQ(layout.path_of(newer), "collections/main/same.yaml");
  layout.index(older);
  EXPECT_EQ(layout.path_of(older), "collections/main/same.yaml");
  EXPECT_EQ(layout.path_of(newer), "collections/main/same__CaRNewer.yaml");
}

TEST(TreeLayoutProtocol, IndexingTheSameEntityTwiceKeepsTheLaterDocument) {
  bi::TreeLayout layout;
  layout.index(content("Card", eid("CaRTwice"), "First Name", nullptr));
  const auto renamed = content("Card", eid("CaRTwice"), "Second Name", nullptr);
  layout.index(renamed);
  EXPECT_EQ(layout.path_of(renamed), "collections/main/second_name.yaml");
}

TEST(TreeLayoutProtocol, ManyEntitiesStayDistinctAndFast) {
  // 1000 collections x 60 cards, names repeating in every folder.
  std::vector<Entity> es;
  es.reserve(61000);
  std::mt19937 rng(7);
  auto id = [&] {
    std::string s;
    for (int i = 0; i < 21; ++i) s += metaport::EntityId::kAlphabet[rng() % 64];
    return s;
  };
  std::vector<std::string> colls;
  for (int c = 0; c < 1000; ++c) {
    colls.push_back(id());
    Value doc = obj({{"name", "Team " + std::to_string(c % 100)}, {"entity_id", colls.back()}});
    if (c >= 100) doc.set("parent_id", colls[static_cast<std::size_t>(c % 100)]);
    es.push_back(make("Collection", Key(colls.back()), std::move(doc)));
  }
  for (int i = 0; i < 60000; ++i) {
    const std::string cid = id();
    es.push_back(make("Card", Key(cid),
                      obj({{"name", "Report " + std::to_string(i % 25)},
                           {"collection_id", colls[static_cast<std::size_t>(i % 1000)]},
                           {"created_at", "2024-01-01T00:00:" + std::to_string(10 + i % 50) + "Z"}})));
  }
  const auto t0 = std::chrono::steady_clock::now();
  const auto paths = paths_of(es);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::set<std::string> distinct(paths.begin(), paths.end());
  EXPECT_EQ(distinct.size(), es.size());
  EXPECT_LT(seconds, 10.0) << "61k paths took " << seconds << " s";
}

// ---------------------------------------------------------------------------
// kind_of (load)

Value with_model(const char* model) { return obj({{"serdes/meta", arr({obj({{"id", "x"}, {"model", model}})})}}); }

TEST(TreeLayoutKindOf, TheDocumentsModelDecides) {
  bi::TreeLayout layout;
  EXPECT_EQ(layout.kind_of("collections/main/a/b.yaml", with_model("Card")), "Card");
  EXPECT_EQ(layout.kind_of("collections/snippets/x.yaml", with_model("NativeQuerySnippet")), "NativeQuerySnippet");
  // The folder never changes the meaning: a card filed under databases/ is a card.
  EXPECT_EQ(layout.kind_of("databases/db/db.yaml", with_model("Card")), "Card");
  // The last element of serdes/meta, as Metabase's validator reads it.
  const Value field_values =
      obj({{"serdes/meta", arr({obj({{"id", "DB"}, {"model", "Database"}}), obj({{"id", "T"}, {"model", "Table"}}),
                                obj({{"id", "F"}, {"model", "Field"}}), obj({{"id", "0"}, {"model", "FieldValues"}})})}});
  EXPECT_EQ(layout.kind_of("databases/db/tables/t/fields/f___fieldvalues.yaml", field_values), "FieldValues");
  // An unknown model is passed on, so the loader can say so.
  EXPECT_EQ(layout.kind_of("collections/main/x.yaml", with_model("Dashbaord")), "Dashbaord");
  EXPECT_EQ(layout.kind_of("./channels/x.yaml", with_model("Channel")), "Channel");
  EXPECT_EQ(layout.kind_of("python-libraries/x.yaml", with_model("PythonLibrary")), "PythonLibrary");
}

TEST(TreeLayoutKindOf, TheRoot) {
  bi::TreeLayout layout;
  EXPECT_EQ(layout.kind_of("settings.yaml", obj({{"site-name", "x"}})), "Settings");
  EXPECT_EQ(layout.kind_of("metaport.yaml", obj({{"format", "tree"}})), std::nullopt);
  EXPECT_EQ(layout.kind_of("notes.yaml", with_model("Card")), std::nullopt);
}

TEST(TreeLayoutKindOf, FilesOutsideTheTreeAreSkipped) {
  bi::TreeLayout layout;
  EXPECT_EQ(layout.kind_of("README.md", obj({})), std::nullopt);
  EXPECT_EQ(layout.kind_of("collections/main/notes.txt", obj({})), std::nullopt);
  EXPECT_EQ(layout.kind_of("collections/main/x.yml", with_model("Card")), std::nullopt);
  EXPECT_EQ(layout.kind_of(".github/workflows/ci.yaml", obj({{"on", "push"}})), std::nullopt);
  EXPECT_EQ(layout.kind_of("backup/collections/main/x.yaml", with_model("Card")), std::nullopt);
  // A folder named after a kind the layout has a rule for is not that kind's folder.
  EXPECT_EQ(layout.kind_of("card/x.yaml", with_model("Card")), std::nullopt);
  // A kind without a rule lives in <snake_case(kind)>/.
  EXPECT_EQ(layout.kind_of("widget/big_widget.yaml", with_model("Widget")), "Widget");
}

TEST(TreeLayoutKindOf, WithoutAModelTheFolderSaysWhatTheFileShouldBe) {
  bi::TreeLayout layout;
  const Value none = obj({{"name", "x"}});
  EXPECT_EQ(layout.kind_of("databases/db/db.yaml", none), "Database");
  EXPECT_EQ(layout.kind_of("databases/db/schemas/s/tables/t/t.yaml", none), "Table");
  EXPECT_EQ(layout.kind_of("databases/db/tables/t/t.yaml", none), "Table");
  EXPECT_EQ(layout.kind_of("databases/db/tables/t/fields/a.b.yaml", none), "Field");
  EXPECT_EQ(layout.kind_of("databases/db/tables/t/fields/a___fieldvalues.yaml", none), "FieldValues");
  EXPECT_EQ(layout.kind_of("databases/db/tables/t/fields/a___fieldusersettings.yaml", none), "FieldUserSettings");
  EXPECT_EQ(layout.kind_of("databases/db/tables/t/segments/s.yaml", none), "Segment");
  EXPECT_EQ(layout.kind_of("databases/db/tables/t/measures/m.yaml", none), "Measure");
  EXPECT_EQ(layout.kind_of("python_libraries/x.yaml", none), "PythonLibrary");
  EXPECT_EQ(layout.kind_of("transforms/transform_jobs/x.yaml", none), "TransformJob");
  EXPECT_EQ(layout.kind_of("transforms/transform_tags/x.yaml", none), "TransformTag");
  EXPECT_EQ(layout.kind_of("metabots/x.yaml", none), "Metabot");
  EXPECT_EQ(layout.kind_of("channels/x.yaml", none), "Channel");
  EXPECT_EQ(layout.kind_of("actions/x.yaml", none), "Action");
  EXPECT_EQ(layout.kind_of("glossary/x.yaml", none), "Glossary");
  // collections/ holds every content kind: "" = an entity file of unknown kind
  // (reported by the loader, not skipped).
  EXPECT_EQ(layout.kind_of("collections/main/x.yaml", none), "");
  EXPECT_EQ(layout.kind_of("transforms/x.yaml", none), "");
  EXPECT_EQ(layout.kind_of("databases/db/odd.yaml", none), "");
}

TEST(TreeLayoutKindOf, EveryDumpedFileReadsBackAsItsKind) {
  // What path_of writes, kind_of reads back: with the documents' serdes/meta
  // and, where the folder tells, without it.
  const Instance in = realistic();
  const auto paths = paths_of(in.entities);
  bi::TreeLayout layout;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const std::string& kind = in.entities[i].kind->name;
    if (kind == "Settings") {
      EXPECT_EQ(layout.kind_of(paths[i], in.entities[i].value), "Settings");
      continue;
    }
    EXPECT_EQ(layout.kind_of(paths[i], with_model(kind.c_str())), kind) << paths[i];
    const auto implied = layout.kind_of(paths[i], obj({}));
    ASSERT_TRUE(implied.has_value()) << paths[i];
    if (paths[i].rfind("collections/", 0) == 0) EXPECT_EQ(*implied, "") << paths[i];
    else EXPECT_EQ(*implied, kind) << paths[i];
  }
}

TEST(TreeLayoutFold, FoldsCaseAccentsAndDecomposition) {
  using bi::tree_layout_detail::fold_for_file_system;
  EXPECT_EQ(fold_for_file_system("ABC_def"), "abc_def");
  EXPECT_EQ(fold_for_file_system("Été"), fold_for_file_system("e\xcc\x81te\xcc\x81"));
  EXPECT_EQ(fold_for_file_system("ŒUVRE"), "oeuvre");
  EXPECT_EQ(fold_for_file_system("ΣΟΦΊΑ"), fold_for_file_system("σοφια"));
  EXPECT_EQ(fold_for_file_system("ЁЛКА"), fold_for_file_system("елка"));
  EXPECT_EQ(fold_for_file_system("数据"), "数据");
  EXPECT_EQ(fold_for_file_system("a×b"), "a×b");
  EXPECT_NE(fold_for_file_system("sales"), fold_for_file_system("sale"));
  // Not UTF-8: bytes are kept, nothing is lost or invented.
  EXPECT_EQ(fold_for_file_system(std::string("\xff\xfe", 2)), std::string("\xff\xfe", 2));
}

}  // namespace
