// Transforms (MBQL, SQL and Python sources) in the transforms namespace,
// their tags (the four built-in ones and custom ones), the jobs that run
// them, and the Python libraries the scripts import.
#include "entities/bi/seed_showcase.hpp"

namespace bi::seeding {
namespace {

TransformTag tag(Lib& L, const std::string& handle, std::string name, Maybe<BuiltInType> built_in) {
  TransformTag t;
  t.entity_id = L.id(handle);
  t.name = std::move(name);
  t.built_in_type = std::move(built_in);
  t.created_at = L.rng.when();
  return t;
}

TransformJob job(Lib& L, std::string name, std::string description, std::string cron, Maybe<BuiltInType> built_in,
                 const std::vector<std::string>& tags) {
  TransformJob j;
  j.entity_id = L.rng.id();
  j.name = std::move(name);
  j.description = some(std::move(description));
  j.schedule = std::move(cron);
  j.built_in_type = std::move(built_in);
  j.ui_display_type = some(UiDisplayType::cron__builder);
  j.job_tags = std::vector<TransformJobTag>{};
  for (std::size_t i = 0; i < tags.size(); ++i)
    j.job_tags->push_back(TransformJobTag{L.rng.id(), Ref<TransformTag>(L.id(tags[i]).str()),
                                          static_cast<std::int64_t>(i), Derived<SerdesMeta>{}});
  j.created_at = L.rng.when();
  return j;
}

Transform transform(Lib& L, std::string name, std::string description, const std::string& db, TransformSource source,
                    std::string target_schema, std::string target, std::optional<std::string> collection,
                    const std::vector<std::string>& tags) {
  Transform t;
  t.name = std::move(name);
  t.description = some(std::move(description));
  t.entity_id = L.rng.id();
  t.creator_id = user(L.creator());
  t.source_database_id = Ref<Database>(db);
  t.source = std::move(source);
  t.target.database = Ref<Database>(db);
  t.target.type = TransformTargetType::table;
  t.target.schema = target_schema.empty() ? null<std::string>() : some(std::move(target_schema));
  t.target.name = std::move(target);
  t.collection_id = collection ? in_collection(L.id(*collection)) : null<Parent<Collection>>();
  t.tags = std::vector<TransformTagLink>{};
  for (std::size_t i = 0; i < tags.size(); ++i)
    t.tags->push_back(TransformTagLink{L.rng.id(), Ref<TransformTag>(L.id(tags[i]).str()),
                                       static_cast<std::int64_t>(i), Derived<SerdesMeta>{}});
  t.created_at = L.rng.when();
  return t;
}

TransformSource query_source(V q) {
  TransformSource s;
  s.type = TransformSourceType::query;
  s.query = std::move(q);
  return s;
}

TransformSource python_source(std::string body, std::vector<PythonSourceTable> tables, const std::string& db) {
  TransformSource s;
  s.type = TransformSourceType::python;
  s.body = std::move(body);
  s.source_tables = std::move(tables);
  s.source_database = Ref<Database>(db);
  return s;
}

}  // namespace

void seed_transforms(Out& out, Lib& L) {
  out.emit(tag(L, "tag_hourly", "hourly", some(BuiltInType::hourly)));
  out.emit(tag(L, "tag_daily", "daily", some(BuiltInType::daily)));
  out.emit(tag(L, "tag_weekly", "weekly", some(BuiltInType::weekly)));
  out.emit(tag(L, "tag_monthly", "monthly", some(BuiltInType::monthly)));
  out.emit(tag(L, "tag_finance", "finance", null<BuiltInType>()));
  out.emit(tag(L, "tag_customer", "customer-health", null<BuiltInType>()));

  out.emit(job(L, "Hourly job", "Runs transforms tagged hourly.", "0 0 * * * ? *", some(BuiltInType::hourly), {"tag_hourly"}));
  out.emit(job(L, "Daily job", "Runs transforms tagged daily.", "0 0 0 * * ? *", some(BuiltInType::daily), {"tag_daily"}));
  out.emit(job(L, "Weekly job", "Runs transforms tagged weekly.", "0 0 0 ? * 1 *", some(BuiltInType::weekly), {"tag_weekly"}));
  out.emit(job(L, "Monthly job", "Runs transforms tagged monthly.", "0 0 0 1 * ? *", some(BuiltInType::monthly),
               {"tag_monthly"}));
  out.emit(job(L, "Finance close", "The month-end close: finance tables first, then customer health.", "0 30 6 1 * ? *",
               null<BuiltInType>(), {"tag_finance", "tag_customer"}));

  PythonLibrary common;
  common.entity_id = L.rng.id();
  common.path = "common.py";
  common.source = "import pandas as pd\n\n\ndef normalize_columns(df: pd.DataFrame) -> pd.DataFrame:\n"
                  "    \"\"\"Lower-case, snake_case column names.\"\"\"\n"
                  "    df.columns = [c.strip().lower().replace(' ', '_') for c in df.columns]\n    return df\n";
  common.created_at = L.rng.when();
  out.emit(std::move(common));
  PythonLibrary dates;
  dates.entity_id = L.rng.id();
  dates.path = "utils/dates.py";
  dates.source = "from datetime import date\n\n\ndef fiscal_quarter(d: date) -> str:\n"
                 "    # The fiscal year starts in February.\n    q = ((d.month - 2) % 12) // 3 + 1\n"
                 "    return f\"FY{d.year + (d.month >= 2)}-Q{q}\"\n";
  dates.created_at = L.rng.when();
  out.emit(std::move(dates));

  V s = mbql_stage(stable("PRODUCTS"));
  s.set("aggregation", arr(agg(L.rng, "count"), agg(L.rng, "avg", sfield("PRODUCTS", "PRICE")),
                           agg(L.rng, "avg", sfield("PRODUCTS", "RATING"))));
  s.set("breakout", arr(sfield("PRODUCTS", "CATEGORY")));
  out.emit(transform(L, "Product summary", "Products per category with average price and rating.", kSampleDb,
                     query_source(query(kSampleDb, {s})), "TRANSFORMS", "product_summary", "etl", {"tag_daily"}));
  out.emit(transform(L, "Daily revenue", "Revenue per day; the finance dashboards read it.", kSampleDb,
                     query_source(query(kSampleDb, {native_stage("SELECT CAST(CREATED_AT AS DATE) AS day,\n"
                                                                 "       SUM(TOTAL) AS revenue, COUNT(*) AS orders\n"
                                                                 "FROM ORDERS\nGROUP BY 1")})),
                     "TRANSFORMS", "daily_revenue", "etl_staging", {"tag_hourly", "tag_finance"}));
  out.emit(transform(
      L, "Account health scores", "A 0-100 health score per account from seats, feedback and invoices.", kSampleDb,
      python_source("import pandas as pd\nfrom common import normalize_columns\n\n\n"
                    "def transform(accounts, feedback):\n"
                    "    ratings = feedback.groupby('ACCOUNT_ID')['RATING'].mean().rename('avg_rating')\n"
                    "    df = accounts.set_index('ID').join(ratings)\n"
                    "    df['health'] = (df['avg_rating'].fillna(3) * 15 + df['SEATS'].clip(upper=25)).clip(upper=100)\n"
                    "    return normalize_columns(df.reset_index()[['ID', 'PLAN', 'health']])\n",
                    {PythonSourceTable{"accounts", Ref<Database>(kSampleDb), some(kPublic), std::string("ACCOUNTS"),
                                       std::nullopt},
                     PythonSourceTable{"feedback", Ref<Database>(kSampleDb), std::nullopt, std::nullopt,
                                       Ref<Table>(sample_table("FEEDBACK").key())}},
                    kSampleDb),
      "TRANSFORMS", "account_health", "etl", {"tag_weekly", "tag_customer"}));
  out.emit(transform(L, "Flattened page views", "One row per page view with the device and locale unnested.", kEventsDb,
                     python_source("import pandas as pd\n\n\ndef transform(views):\n"
                                   "    ctx = views.pop('context').apply(pd.Series)\n"
                                   "    return views.join(ctx)\n",
                                   {PythonSourceTable{"views", Ref<Database>(kEventsDb), null<std::string>(),
                                                      std::string("page_views"), std::nullopt}},
                                   kEventsDb),
                     "", "page_views_flat", std::nullopt, {"tag_daily"}));
}

}  // namespace bi::seeding
