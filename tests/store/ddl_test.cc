// DDL generation from the neutral TableDesc, checked as text (no server):
// names, the type mapping of every TypeDesc tag in both dialects, and golden
// DDL for the test schema.
#include <gtest/gtest.h>

#include "runtime/store/ddl.hpp"
#include "runtime/store/dialect.hpp"
#include "tests/store/test_entities.hpp"

namespace {

using namespace metaport;
using namespace metaport::store;

// The linked dialects, by name (the registry is what `schema --sql` uses too).
const Dialect& dialect(std::string_view name) {
  const Dialect* d = find_dialect(name);
  if (!d) throw std::runtime_error("no dialect " + std::string(name));
  return *d;
}
const Dialect& sqlite() { return dialect("sqlite"); }
const Dialect& postgres() { return dialect("postgres"); }

TEST(TableNames, KindsBecomePrefixedSnakeCase) {
  EXPECT_EQ(table_name_for_kind("NativeQuerySnippet"), "mp_native_query_snippet");
  EXPECT_EQ(table_name_for_kind("Card"), "mp_card");
  // Kinds that are SQL keywords stay clear of them through the prefix.
  EXPECT_EQ(table_name_for_kind("Table"), "mp_table");
  EXPECT_EQ(table_name_for_kind("Field"), "mp_field");
  EXPECT_EQ(table_name_for_kind("User"), "mp_user");
  EXPECT_EQ(table_name_for_kind("HTTPEndpoint"), "mp_http_endpoint");
}

TEST(TableNames, MemberNamesBecomeSafeIdentifiers) {
  EXPECT_EQ(sql_identifier("serdes/meta"), "serdes_meta");
  EXPECT_EQ(sql_identifier("lib/type"), "lib_type");
  EXPECT_EQ(sql_identifier("source-table"), "source_table");
  EXPECT_EQ(sql_identifier("entity_id"), "entity_id");
  EXPECT_EQ(sql_identifier("createdAt"), "created_at");
  EXPECT_EQ(sql_identifier("2fa"), "f_2fa");
  EXPECT_EQ(sql_identifier("a.b c"), "a_b_c");
  const std::string longer(80, 'x');
  const std::string id = sql_identifier(longer);
  EXPECT_EQ(id.size(), 63u);  // PostgreSQL's limit, with a hash to keep names apart
  EXPECT_NE(id, sql_identifier(longer + "y"));
}

KindInfo kind_with(std::vector<FieldDesc> fields, std::string name = "Thing") {
  KindInfo k;
  k.name = std::move(name);
  k.fields = std::move(fields);
  return k;
}
FieldDesc field(std::string name, TypeDesc::Tag tag, bool optional = false, bool nullable = false) {
  FieldDesc f;
  f.name = std::move(name);
  f.optional = optional;
  f.type.tag = tag;
  f.type.nullable = nullable;
  return f;
}

TEST(TableDesc, ColliidingAndReservedMemberNamesAreRenamed) {
  SchemaInfo s;
  s.kinds.push_back(std::make_unique<KindInfo>(kind_with({field("a-b", TypeDesc::Tag::Int),
                                                          field("a_b", TypeDesc::Tag::Int),
                                                          field("mp_key", TypeDesc::Tag::String),
                                                          field("mp_id", TypeDesc::Tag::String),
                                                          field("id", TypeDesc::Tag::Int)})));
  auto t = table_for(*s.kinds[0], s);
  ASSERT_TRUE(t.ok()) << t.errors().to_string();
  ASSERT_EQ(t->columns.size(), 9u);
  EXPECT_EQ(t->columns[4].name, "a_b");
  EXPECT_EQ(t->columns[5].name, "a_b_2");
  EXPECT_EQ(t->columns[6].name, "f_mp_key");
  EXPECT_EQ(t->columns[7].name, "f_mp_id");
  EXPECT_EQ(t->columns[8].name, "id");
  EXPECT_EQ(t->member_column("a_b"), 5u);
  EXPECT_EQ(t->member_column("mp_key"), 6u);
  EXPECT_EQ(t->column_index("f_mp_id"), 7u);
}

TEST(TableDesc, AbsentBitsFollowOptionalMembersInOrder) {
  SchemaInfo s;
  s.kinds.push_back(std::make_unique<KindInfo>(kind_with({field("a", TypeDesc::Tag::Int, true),
                                                          field("b", TypeDesc::Tag::Int),
                                                          field("c", TypeDesc::Tag::Int, true, true)})));
  auto t = table_for(*s.kinds[0], s);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->columns[4].absent_bit, 0);
  EXPECT_EQ(t->columns[5].absent_bit, -1);
  EXPECT_EQ(t->columns[6].absent_bit, 1);
  EXPECT_FALSE(t->columns[4].not_null);
  EXPECT_TRUE(t->columns[5].not_null);
}

TEST(TableDesc, RefusesMoreThan63OptionalMembers) {
  std::vector<FieldDesc> fields;
  for (int i = 0; i < 64; ++i) fields.push_back(field("f" + std::to_string(i), TypeDesc::Tag::Int, true));
  SchemaInfo s;
  s.name = "big";
  s.kinds.push_back(std::make_unique<KindInfo>(kind_with(fields, "Wide")));
  auto t = table_for(*s.kinds[0], s);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.errors().to_string().find("kind Wide has 64 optional members"), std::string::npos)
      << t.errors().to_string();
  fields.pop_back();
  s.kinds[0]->fields = fields;
  EXPECT_TRUE(table_for(*s.kinds[0], s).ok());  // 63 is fine
}

TEST(TableDesc, RefusesAReferenceToAKindOutsideTheSchema) {
  FieldDesc r = field("owner", TypeDesc::Tag::Ref);
  r.type.ref_kind = "Ghost";
  SchemaInfo s;
  s.name = "tiny";
  s.kinds.push_back(std::make_unique<KindInfo>(kind_with({r})));
  auto t = tables_for(s);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.errors().to_string().find("'owner' refers to kind 'Ghost', which schema 'tiny' does not have"),
            std::string::npos)
      << t.errors().to_string();
}

TEST(TableDesc, RefusesTwoKindsWithOneTableName) {
  SchemaInfo s;
  s.kinds.push_back(std::make_unique<KindInfo>(kind_with({}, "FooBar")));
  s.kinds.push_back(std::make_unique<KindInfo>(kind_with({}, "foo_bar")));
  auto t = tables_for(s);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.errors().to_string().find("maps to table mp_foo_bar"), std::string::npos) << t.errors().to_string();
}

// One column of every TypeDesc tag, required and nullable, in both dialects.
TEST(Ddl, EveryTagHasItsColumnType) {
  struct Case {
    TypeDesc::Tag tag;
    const char* sqlite;
    const char* postgres;
  };
  const Case cases[] = {
      {TypeDesc::Tag::Bool, "INTEGER", "BOOLEAN"},
      {TypeDesc::Tag::Int, "INTEGER", "BIGINT"},
      {TypeDesc::Tag::Double, "REAL", "DOUBLE PRECISION"},
      {TypeDesc::Tag::String, "TEXT", "TEXT"},
      {TypeDesc::Tag::Enum, "TEXT", "TEXT"},
      {TypeDesc::Tag::EntityId, "TEXT", "TEXT"},
      {TypeDesc::Tag::Timestamp, "TEXT", "TEXT"},
      {TypeDesc::Tag::AnyRef, "TEXT", "JSON"},
      {TypeDesc::Tag::Document, "TEXT", "JSON"},
      {TypeDesc::Tag::Struct, "TEXT", "JSON"},
      {TypeDesc::Tag::List, "TEXT", "JSON"},
      {TypeDesc::Tag::Map, "TEXT", "JSON"},
  };
  SchemaInfo s;
  std::vector<FieldDesc> fields;
  for (const auto& c : cases) {
    fields.push_back(field("req", c.tag));
    fields.push_back(field("opt", c.tag, true, true));
  }
  s.kinds.push_back(std::make_unique<KindInfo>(kind_with(fields)));
  auto t = table_for(*s.kinds[0], s);
  ASSERT_TRUE(t.ok());
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    const Column& req = t->columns[TableDesc::kFirstMember + 2 * i];
    const Column& opt = t->columns[TableDesc::kFirstMember + 2 * i + 1];
    SCOPED_TRACE("case " + std::to_string(i));
    EXPECT_EQ(column_sql(req, sqlite()), "\"" + req.name + "\" " + cases[i].sqlite + " NOT NULL");
    EXPECT_EQ(column_sql(req, postgres()), "\"" + req.name + "\" " + cases[i].postgres + " NOT NULL");
    EXPECT_EQ(column_sql(opt, sqlite()), "\"" + opt.name + "\" " + cases[i].sqlite);
    EXPECT_EQ(column_sql(opt, postgres()), "\"" + opt.name + "\" " + cases[i].postgres);
  }
}

TEST(Ddl, RefsSecretsAndDerivedColumns) {
  SchemaInfo s;
  FieldDesc ref = field("parent", TypeDesc::Tag::Ref);
  ref.type.ref_kind = "Thing";
  FieldDesc secret = field("token", TypeDesc::Tag::String);
  secret.type.secret = true;  // always NULLable: a redacted secret is unknown
  FieldDesc derived = field("count", TypeDesc::Tag::Int);
  derived.type.derived = true;  // T's column
  s.kinds.push_back(std::make_unique<KindInfo>(kind_with({ref, secret, derived})));
  auto t = table_for(*s.kinds[0], s);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(column_sql(t->columns[4], sqlite()),
            "\"parent\" INTEGER NOT NULL REFERENCES \"mp_thing\" (\"mp_id\") DEFERRABLE INITIALLY DEFERRED");
  EXPECT_EQ(column_sql(t->columns[4], postgres()), "\"parent\" BIGINT NOT NULL");
  EXPECT_EQ(foreign_keys_sql(*t, postgres()),
            std::vector<std::string>{"ALTER TABLE \"mp_thing\" ADD CONSTRAINT \"fk_mp_thing__parent\" FOREIGN KEY "
                                     "(\"parent\") REFERENCES \"mp_thing\" (\"mp_id\") DEFERRABLE INITIALLY DEFERRED"});
  EXPECT_TRUE(foreign_keys_sql(*t, sqlite()).empty());
  EXPECT_EQ(column_sql(t->columns[5], sqlite()), "\"token\" TEXT");
  EXPECT_EQ(t->columns[5].redacted_bit, 0);
  EXPECT_EQ(column_sql(t->columns[6], postgres()), "\"count\" BIGINT NOT NULL");
  EXPECT_EQ(column_sql(t->columns[TableDesc::kRedacted], postgres()),
            "\"mp_redacted\" BIGINT NOT NULL DEFAULT 0");
  EXPECT_EQ(redacted_mask(*t, {5}), 1);
  EXPECT_EQ(redacted_mask(*t, {4, 6}), 0);
}

TEST(Ddl, GoldenSqliteBoard) {
  auto tables = tables_for(storetest::schema());
  ASSERT_TRUE(tables.ok()) << tables.errors().to_string();
  const TableDesc& board = (*tables)[3];
  ASSERT_EQ(board.table, "mp_board");
  EXPECT_EQ(to_sql(board, sqlite()), (std::vector<std::string>{
                                                 "CREATE TABLE \"mp_board\" (\n"
                                                 "  \"mp_id\" INTEGER PRIMARY KEY,\n"
                                                 "  \"mp_key\" TEXT NOT NULL UNIQUE,\n"
                                                 "  \"mp_absent\" INTEGER NOT NULL DEFAULT 0,\n"
                                                 "  \"mp_unknown\" TEXT,\n"
                                                 "  \"mp_redacted\" INTEGER NOT NULL DEFAULT 0,\n"
                                                 "  \"entity_id\" TEXT NOT NULL,\n"
                                                 "  \"name\" TEXT NOT NULL,\n"
                                                 "  \"cover\" INTEGER REFERENCES \"mp_item\" (\"mp_id\") DEFERRABLE "
                                                 "INITIALLY DEFERRED,\n"
                                                 "  \"folder\" INTEGER REFERENCES \"mp_folder\" (\"mp_id\") "
                                                 "DEFERRABLE INITIALLY DEFERRED,\n"
                                                 "  \"order\" INTEGER NOT NULL\n"
                                                 ")",
                                                 "CREATE INDEX \"ix_mp_board__cover\" ON \"mp_board\" (\"cover\")",
                                                 "CREATE INDEX \"ix_mp_board__folder\" ON \"mp_board\" (\"folder\")",
                                             }));
}

TEST(Ddl, GoldenPostgresItem) {
  auto tables = tables_for(storetest::schema());
  ASSERT_TRUE(tables.ok());
  const TableDesc& item = (*tables)[2];
  ASSERT_EQ(item.table, "mp_item");
  EXPECT_EQ(to_sql(item, postgres()), (std::vector<std::string>{
                                                 "CREATE TABLE \"mp_item\" (\n"
                                                 "  \"mp_id\" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
                                                 "  \"mp_key\" TEXT COLLATE \"C\" NOT NULL UNIQUE,\n"
                                                 "  \"mp_absent\" BIGINT NOT NULL DEFAULT 0,\n"
                                                 "  \"mp_unknown\" JSON,\n"
                                                 "  \"mp_redacted\" BIGINT NOT NULL DEFAULT 0,\n"
                                                 "  \"entity_id\" TEXT NOT NULL,\n"
                                                 "  \"name\" TEXT NOT NULL,\n"
                                                 "  \"folder\" BIGINT NOT NULL,\n"
                                                 "  \"owner\" BIGINT NOT NULL,\n"
                                                 "  \"board\" BIGINT,\n"
                                                 "  \"shape\" TEXT NOT NULL,\n"
                                                 "  \"score\" DOUBLE PRECISION NOT NULL,\n"
                                                 "  \"size\" BIGINT NOT NULL,\n"
                                                 "  \"tag_count\" BIGINT NOT NULL,\n"
                                                 "  \"created_at\" TEXT NOT NULL,\n"
                                                 "  \"tags\" JSON NOT NULL,\n"
                                                 "  \"counters\" JSON NOT NULL,\n"
                                                 "  \"display_options\" JSON NOT NULL,\n"
                                                 "  \"visualization\" JSON,\n"
                                                 "  \"see_also\" JSON NOT NULL,\n"
                                                 "  \"pinned\" BOOLEAN,\n"
                                                 "  \"position\" BIGINT,\n"
                                                 "  \"ratio\" DOUBLE PRECISION,\n"
                                                 "  \"source_table\" TEXT\n"
                                                 ")",
                                                 "CREATE INDEX \"ix_mp_item__folder\" ON \"mp_item\" (\"folder\")",
                                                 "CREATE INDEX \"ix_mp_item__owner\" ON \"mp_item\" (\"owner\")",
                                                 "CREATE INDEX \"ix_mp_item__board\" ON \"mp_item\" (\"board\")",
                                             }));
}

TEST(Ddl, SchemaScriptOrdersBookkeepingTablesThenForeignKeys) {
  auto tables = tables_for(storetest::schema());
  ASSERT_TRUE(tables.ok());
  const std::string pg = schema_script(*tables, postgres());
  const auto version = pg.find("CREATE TABLE \"mp_schema_version\"");
  const auto last_table = pg.rfind("CREATE TABLE");
  const auto first_fk = pg.find("ALTER TABLE");
  EXPECT_EQ(version, 0u);
  ASSERT_NE(first_fk, std::string::npos);
  EXPECT_LT(last_table, first_fk);  // the cycle Item <-> Board needs both tables first
  EXPECT_EQ(pg.find("REFERENCES", 0), pg.find("REFERENCES", first_fk));
  const std::string lite = schema_script(*tables, sqlite());
  EXPECT_EQ(lite.find("ALTER TABLE"), std::string::npos);
  EXPECT_EQ(schema_sql(*tables, sqlite()).size(), 2u + 4u + 6u);  // bookkeeping, tables, indexes
}

TEST(Ddl, LayoutFingerprintIsStableAndSeesChanges) {
  auto tables = tables_for(storetest::schema());
  ASSERT_TRUE(tables.ok());
  const std::string fp = layout_fingerprint(*tables);
  EXPECT_EQ(fp.size(), 16u);
  EXPECT_EQ(fp, layout_fingerprint(*tables_for(storetest::schema())));
  auto changed = *tables;
  changed[0].columns.back().not_null = !changed[0].columns.back().not_null;
  EXPECT_NE(layout_fingerprint(changed), fp);
  changed = *tables;
  changed[1].columns[5].name = "renamed";
  EXPECT_NE(layout_fingerprint(changed), fp);
}

TEST(Keys, PathKeysKeepTheirBracketsEvenWithOnePart) {
  EXPECT_EQ(key_text(Key{"abc"}, true), "abc");
  EXPECT_EQ(key_text(Key{"abc"}, false), "[\"abc\"]");
  EXPECT_EQ(key_text(Key{std::nullopt, "x"}, false), "[null,\"x\"]");
  for (const Key& k : {Key{"[\"x\"]"}, Key{"x"}, Key{std::nullopt, "a\"b\\c"}, Key{"d", "s", "t", "f"}}) {
    auto back = key_from_text(key_text(k, false), false);
    ASSERT_TRUE(back.has_value()) << key_text(k, false);
    EXPECT_EQ(*back, k) << key_text(k, false);
  }
}

}  // namespace
