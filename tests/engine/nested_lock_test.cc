// schema.lock records the whole shape, nested members included, and the
// upgrade steps reach them: a catalog schema compiled at versions that differ
// only inside a nested struct (Table.columns[].data_type renamed to type, a
// nested member made secret, an optional nested member added).
#include <gtest/gtest.h>

#include <boost/mp11.hpp>

#include "metaport/schema_lock.hpp"
#include "metaport/metaport.hpp"
#include "metaport/upgrade.hpp"

// ---- version 1 --------------------------------------------------------------------------
namespace cat1 {
struct Column {
  std::string name;
  std::string data_type;
};
BOOST_DESCRIBE_STRUCT(Column, (), (name, data_type))
struct Table {
  std::string name;
  std::vector<Column> columns;
};
BOOST_DESCRIBE_STRUCT(Table, (), (name, columns))
}  // namespace cat1
template <>
struct metaport::kind_traits<cat1::Table> : metaport::kind_defaults {
  static constexpr std::string_view name = "Table";
  static constexpr KeyShape key_shape = KeyShape::name;
  static Key key(const cat1::Table& t) { return Key(t.name); }
};
namespace cat1 {
struct Schema {
  static constexpr std::string_view name = "cat";
  static constexpr int version = 1;
  using kinds = boost::mp11::mp_list<Table>;
};
}  // namespace cat1

// ---- version 2: the nested member renamed, and an optional one added -------------------
namespace cat2 {
struct Column {
  std::string name;
  std::string type;
  std::optional<std::string> comment;
};
BOOST_DESCRIBE_STRUCT(Column, (), (name, type, comment))
struct Table {
  std::string name;
  std::vector<Column> columns;
};
BOOST_DESCRIBE_STRUCT(Table, (), (name, columns))
}  // namespace cat2
template <>
struct metaport::kind_traits<cat2::Table> : metaport::kind_defaults {
  static constexpr std::string_view name = "Table";
  static constexpr KeyShape key_shape = KeyShape::name;
  static Key key(const cat2::Table& t) { return Key(t.name); }
};
namespace cat2 {
// Compiled twice: with its steps (version 2), and as if someone forgot the bump.
template <int V, bool Steps>
struct SchemaT {
  static constexpr std::string_view name = "cat";
  static constexpr int version = V;
  using kinds = boost::mp11::mp_list<Table>;
  static std::vector<metaport::UpgradeStep> upgrade_steps() {
    if constexpr (!Steps) return {};
    return {metaport::rename_field(1, "Table", "columns[].data_type", "columns[].type"),
            metaport::add_optional_field(1, "Table", "columns[].comment")};
  }
};
}  // namespace cat2

// ---- a nested member turned into a secret (same names) ---------------------------------
namespace cat3 {
struct Column {
  std::string name;
  metaport::Secret<std::string> data_type;
};
BOOST_DESCRIBE_STRUCT(Column, (), (name, data_type))
struct Table {
  std::string name;
  std::vector<Column> columns;
};
BOOST_DESCRIBE_STRUCT(Table, (), (name, columns))
}  // namespace cat3
template <>
struct metaport::kind_traits<cat3::Table> : metaport::kind_defaults {
  static constexpr std::string_view name = "Table";
  static constexpr KeyShape key_shape = KeyShape::name;
  static Key key(const cat3::Table& t) { return Key(t.name); }
};
namespace cat3 {
struct Schema {
  static constexpr std::string_view name = "cat";
  static constexpr int version = 1;
  using kinds = boost::mp11::mp_list<Table>;
};
}  // namespace cat3

namespace metaport::testing {
namespace {

const std::string& v1_lock() {
  static const std::string l = schema_lock::lock_text(make_schema_info<cat1::Schema>());
  return l;
}

std::string joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) out += p + "\n";
  return out;
}

TEST(NestedLock, TheLockRecordsNestedMembersByPath) {
  const std::string& lock = v1_lock();
  EXPECT_NE(lock.find("  columns: list<Column>\n    columns[].name: string\n    columns[].data_type: string\n"),
            std::string::npos)
      << lock;
}

TEST(NestedLock, ARenameInsideANestedStructWithoutABumpFailsAndNamesThePath) {
  const SchemaInfo same_version = make_schema_info<cat2::SchemaT<1, false>>();
  const auto problems = schema_lock::check_lock(same_version, v1_lock());
  ASSERT_EQ(problems.size(), 1u) << joined(problems);
  const std::string& p = problems[0];
  EXPECT_NE(p.find("the cat entity structs changed, but the schema version is still 1"), std::string::npos) << p;
  EXPECT_NE(p.find("- Table.columns[].data_type: string"), std::string::npos) << p;
  EXPECT_NE(p.find("+ Table.columns[].type: string"), std::string::npos) << p;
  EXPECT_NE(p.find("+ Table.columns[].comment?: string"), std::string::npos) << p;
  EXPECT_NE(p.find("rename_field(FROM, \"Table\", \"columns[].data_type\", \"columns[].type\")"), std::string::npos)
      << p;
}

TEST(NestedLock, ABumpWithoutAStepForTheNestedChangeFails) {
  const SchemaInfo no_steps = make_schema_info<cat2::SchemaT<2, false>>();
  const std::string p = joined(schema_lock::check_lock(no_steps, v1_lock()));
  EXPECT_NE(p.find("kind Table changed from version 1 to 2 but no upgrade step from version 1 is registered"),
            std::string::npos)
      << p;
  EXPECT_NE(p.find("- Table.columns[].data_type: string"), std::string::npos) << p;
}

TEST(NestedLock, MakingANestedMemberSecretChangesTheLock) {
  const SchemaInfo secret = make_schema_info<cat3::Schema>();
  const std::string p = joined(schema_lock::check_lock(secret, v1_lock()));
  EXPECT_NE(p.find("~ Table.columns[].data_type: string -> secret<string>"), std::string::npos) << p;
}

TEST(NestedLock, WithTheBumpAndTheStepsTheLockIsInStepAndThePastShapeReadsBack) {
  SchemaInfo v2 = make_schema_info<cat2::SchemaT<2, true>>();
  const std::string lock = schema_lock::lock_text(v2, schema_lock::parse_lock(v1_lock()));
  EXPECT_TRUE(schema_lock::check_lock(v2, lock).empty()) << joined(schema_lock::check_lock(v2, lock));
  EXPECT_NE(lock.find("upgrade 1 -> 2\n  Table: rename columns[].data_type -> columns[].type\n"
                      "  Table: add columns[].comment (optional, left out)\n"),
            std::string::npos)
      << lock;
  // Version 1's shape, nested members included, comes back from the lock.
  v2.lock_history = lock;
  auto old = schema_lock::schema_at_version(v2, 1);
  ASSERT_TRUE(old.ok()) << old.errors().to_string();
  EXPECT_EQ(schema_lock::shape_text(*old), schema_lock::shape_text(make_schema_info<cat1::Schema>()));
  const TypeDesc& columns = old->kinds[0]->fields[1].type;
  ASSERT_EQ(columns.tag, TypeDesc::Tag::List);
  ASSERT_EQ(columns.elem->fields.size(), 2u);
  EXPECT_EQ(columns.elem->fields[1].name, "data_type");
}

TEST(NestedLock, AVersion1DocumentUpgradesAndDecodesUnderVersion2) {
  const SchemaInfo v2 = make_schema_info<cat2::SchemaT<2, true>>();
  Value doc = Value::object();
  doc.set("name", "orders");
  Value cols = Value::array();
  for (auto [n, t] : {std::pair{"id", "bigint"}, std::pair{"total", "numeric"}}) {
    Value c = Value::object();
    c.set("name", n);
    c.set("data_type", t);
    cols.push_back(std::move(c));
  }
  doc.set("columns", std::move(cols));
  std::vector<UpgradeRecord> out;
  Errors errors;
  ASSERT_TRUE(upgrade_record(v2.upgrades, 1, 2, UpgradeRecord{"Table", doc}, out, errors)) << errors.to_string();
  ASSERT_EQ(out.size(), 1u);
  const Value& up = out[0].doc;
  EXPECT_EQ(up.find("columns")->as_array()[1].find("type")->as_string(), "numeric");
  EXPECT_EQ(up.find("columns")->as_array()[1].find("data_type"), nullptr);
  EXPECT_EQ(up.find("columns")->as_array()[1].find("comment"), nullptr);  // left out, not null
  // It decodes strictly under version 2.
  Entity e;
  Errors de;
  const KindInfo& k = *v2.kinds[0];
  EXPECT_TRUE(k.normalize(k, up, DecodeOptions{}, e, de)) << de.to_string();
}

TEST(NestedLock, ARenameOntoAnExistingNestedMemberNamesTheElement) {
  const SchemaInfo v2 = make_schema_info<cat2::SchemaT<2, true>>();
  Value doc = Value::object();
  doc.set("name", "orders");
  Value c = Value::object();
  c.set("name", "id");
  c.set("data_type", "bigint");
  c.set("type", "int8");
  Value cols = Value::array();
  cols.push_back(Value::object());
  cols.push_back(std::move(c));
  doc.set("columns", std::move(cols));
  std::vector<UpgradeRecord> out;
  Errors errors;
  EXPECT_FALSE(upgrade_record(v2.upgrades, 1, 2, UpgradeRecord{"Table", doc}, out, errors));
  ASSERT_EQ(errors.list().size(), 1u);
  EXPECT_EQ(errors.list()[0].path, "columns[1].type");
}

TEST(NestedLock, StepsOnPathsReachMapsAndDrops) {
  Value doc = Value::object();
  Value m = Value::object();
  Value a = Value::object();
  a.set("token", "t");
  a.set("legacy", true);
  m.set("x", a);
  m.set("y", a);
  doc.set("auth", m);
  std::vector<UpgradeRecord> out;
  Errors errors;
  const std::vector<UpgradeStep> steps = {drop_field(1, "K", "auth{}.legacy"), add_field(1, "K", "auth{}.scheme", Value("bearer"))};
  ASSERT_TRUE(upgrade_record(steps, 1, 2, UpgradeRecord{"K", doc}, out, errors));
  for (const char* key : {"x", "y"}) {
    const Value* v = out[0].doc.find("auth")->find(key);
    EXPECT_EQ(v->find("legacy"), nullptr);
    EXPECT_EQ(v->find("scheme")->as_string(), "bearer");
  }
}

}  // namespace
}  // namespace metaport::testing
