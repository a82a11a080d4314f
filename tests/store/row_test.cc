// Row conversion without a server: entity -> row -> entity is the identity for
// every member type, absent and null stay apart, secrets, unknowns and nested
// references survive, and bad input is refused with the table, key and member.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tests/store/test_entities.hpp"

namespace {

using namespace metaport;
using namespace metaport::store;
using storetest::canonical;
using storetest::eid;
using storetest::entity;
using storetest::IdMap;

class RowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = tables_for(storetest::schema());
    ASSERT_TRUE(t.ok()) << t.errors().to_string();
    tables = std::move(*t);
    ids.add("Folder", Key{eid(1, 'f')}, 11);
    ids.add("Account", Key{std::nullopt, "ann@example.com"}, 21);
    ids.add("Account", Key{"[\"odd\"]"}, 22);
    ids.add("Board", Key{eid(1, 'b')}, 31);
    ids.add("Item", Key{eid(9, 'i')}, 41);
  }
  const TableDesc& table(std::string_view kind) {
    for (const auto& t : tables)
      if (t.kind_name == kind) return t;
    throw std::runtime_error("no table");
  }
  // entity -> row -> entity; returns the row for further checks.
  EntityRow round_trip(const std::string& kind, const Entity& e) {
    auto row = row_from_entity(table(kind), e, ids.resolver());
    EXPECT_TRUE(row.ok()) << (row.ok() ? "" : row.errors().to_string());
    if (!row.ok()) return {};
    auto back = entity_value_from_row(table(kind), row->row, ids.lookup());
    EXPECT_TRUE(back.ok()) << (back.ok() ? "" : back.errors().to_string());
    if (!back.ok()) return *row;
    EXPECT_EQ(back->kind, e.kind);
    EXPECT_EQ(back->key, e.key);
    EXPECT_EQ(canonical(*back), canonical(e));  // order-sensitive: what a dump would write
    EXPECT_TRUE(back->value == e.value);
    EXPECT_EQ(back->unknowns, e.unknowns);
    return *row;
  }

  std::vector<TableDesc> tables;
  IdMap ids;
};

const std::string kFullItem = R"({
  "entity_id": ")" + eid(1, 'i') + R"(", "name": "Ünïcødé 🚀 \"quoted\"\n\ttab\\slash",
  "folder": ")" + eid(1, 'f') + R"(", "owner": [null, "ann@example.com"], "board": ")" + eid(1, 'b') + R"(",
  "shape": "big-triangle", "score": 0.1, "size": -9223372036854775808, "tag_count": 99,
  "created_at": "2024-01-15T10:30:00.123Z", "tags": ["b", "a", "日本"], "counters": {"z": 1, "a": -2},
  "display/options": {"compact": true, "label": null, "related": [")" + eid(2, 'i') + R"("]},
  "visualization": {"z": [1, 2.5, "x", null, true], "a": {"nested": 1e300}},
  "see_also": [")" + eid(3, 'i') + R"(", ")" + eid(4, 'i') + R"("], "pinned": false, "position": null,
  "ratio": 5e-324, "source-table": "PUBLIC.ORDERS"})";

TEST_F(RowTest, EveryMemberTypeRoundTrips) {
  Entity e = entity("Item", kFullItem);
  EntityRow r = round_trip("Item", e);
  const TableDesc& t = table("Item");
  ASSERT_EQ(r.row.size(), t.columns.size());
  EXPECT_TRUE(r.pending.empty());
  EXPECT_TRUE(r.redacted.empty());
  auto col = [&](std::string_view disk) { return r.row[t.member_column(disk)]; };
  EXPECT_EQ(col("folder"), SqlValue(std::int64_t{11}));               // local ids for top-level refs
  EXPECT_EQ(col("owner"), SqlValue(std::int64_t{21}));
  EXPECT_EQ(col("board"), SqlValue(std::int64_t{31}));
  EXPECT_EQ(col("size"), SqlValue(std::numeric_limits<std::int64_t>::min()));
  EXPECT_EQ(col("tag_count"), SqlValue(std::int64_t{3}));             // derived: recomputed, not trusted
  EXPECT_EQ(col("shape"), SqlValue("big-triangle"));
  EXPECT_EQ(col("pinned"), SqlValue(std::int64_t{0}));
  EXPECT_EQ(col("position"), SqlValue());
  EXPECT_EQ(col("ratio"), SqlValue(5e-324));
  EXPECT_EQ(col("created_at"), SqlValue("2024-01-15T10:30:00.123Z"));
  // Nested references stay portable keys inside the JSON.
  EXPECT_EQ(col("see_also"), SqlValue("[\"" + eid(3, 'i') + "\",\"" + eid(4, 'i') + "\"]"));
  EXPECT_EQ(col("display/options"), SqlValue("{\"compact\":true,\"label\":null,\"related\":[\"" + eid(2, 'i') + "\"]}"));
  EXPECT_EQ(col("counters"), SqlValue("{\"a\":-2,\"z\":1}"));
  EXPECT_EQ(r.row[TableDesc::kKey], SqlValue(eid(1, 'i')));
  EXPECT_EQ(r.row[TableDesc::kAbsent], SqlValue(std::int64_t{0}));
  EXPECT_EQ(r.row[TableDesc::kUnknown], SqlValue());
  EXPECT_EQ(r.row[TableDesc::kRedacted], SqlValue(std::int64_t{0}));
}

TEST_F(RowTest, AbsentAndNullStayApart) {
  const std::string base = R"({"entity_id": ")" + eid(2, 'i') + R"(", "name": "n", "folder": ")" + eid(1, 'f') +
                           R"(", "owner": ["[\"odd\"]"], "shape": "circle", "score": 1, "size": 2, "tag_count": 0,
      "created_at": "2024-01-15T10:30:00Z", "tags": [], "counters": {},
      "display/options": {"compact": false, "related": []}, "see_also": [], "position": 7, "ratio": null)";
  Entity absent = entity("Item", base + "}");
  Entity null = entity("Item", base + R"(, "visualization": null, "board": null, "source-table": null})");
  EntityRow ra = round_trip("Item", absent);
  EntityRow rn = round_trip("Item", null);
  const TableDesc& t = table("Item");
  // The same NULL columns, told apart by the mask.
  for (auto m : {"visualization", "board", "source-table"}) {
    EXPECT_TRUE(ra.row[t.member_column(m)].is_null()) << m;
    EXPECT_TRUE(rn.row[t.member_column(m)].is_null()) << m;
  }
  const std::int64_t bit_board = std::int64_t{1} << t.columns[t.member_column("board")].absent_bit;
  const std::int64_t bit_vis = std::int64_t{1} << t.columns[t.member_column("visualization")].absent_bit;
  EXPECT_TRUE(ra.row[TableDesc::kAbsent].as_int() & bit_board);
  EXPECT_TRUE(ra.row[TableDesc::kAbsent].as_int() & bit_vis);
  EXPECT_EQ(rn.row[TableDesc::kAbsent].as_int() & (bit_board | bit_vis), 0);
  EXPECT_EQ(absent.value.find("board"), nullptr);
  ASSERT_NE(null.value.find("board"), nullptr);
  // A one-part path key keeps its brackets in mp_key, and its reference reads back as a list.
  EXPECT_EQ(ra.row[t.member_column("owner")], SqlValue(std::int64_t{22}));
}

TEST_F(RowTest, PathKeysWithNullPartsAndSecrets) {
  Entity a = entity("Account", R"({"realm": null, "login": "ann@example.com", "active": true,
      "quota": 9223372036854775807, "api_token": "tok-1", "password": "hunter2"})");
  EntityRow r = round_trip("Account", a);
  const TableDesc& t = table("Account");
  EXPECT_EQ(r.row[TableDesc::kKey], SqlValue("[null,\"ann@example.com\"]"));
  EXPECT_EQ(r.row[t.member_column("active")], SqlValue(std::int64_t{1}));
  EXPECT_EQ(r.row[t.member_column("quota")], SqlValue(std::numeric_limits<std::int64_t>::max()));
  // The store is the source of truth: secrets are kept in clear.
  EXPECT_EQ(r.row[t.member_column("api_token")], SqlValue("tok-1"));
  EXPECT_EQ(r.row[t.member_column("password")], SqlValue("hunter2"));
  EXPECT_TRUE(r.redacted.empty());

  Entity one = entity("Account", R"({"login": "[\"odd\"]", "active": false, "quota": 0, "api_token": "t"})");
  EntityRow r1 = round_trip("Account", one);
  EXPECT_EQ(r1.row[TableDesc::kKey], SqlValue("[\"[\\\"odd\\\"]\"]"));
}

TEST_F(RowTest, RedactedSecretsAreReportedAndStoredAsNull) {
  Entity a = entity("Account", R"({"login": "bob", "active": true, "quota": 1,
      "api_token": "**redacted**", "password": "**redacted**"})");
  auto r = row_from_entity(table("Account"), a, ids.resolver());
  ASSERT_TRUE(r.ok()) << r.errors().to_string();
  const TableDesc& t = table("Account");
  EXPECT_EQ(r->redacted, (std::vector<std::size_t>{t.member_column("api_token"), t.member_column("password")}));
  EXPECT_TRUE(r->row[t.member_column("api_token")].is_null());
  EXPECT_TRUE(r->row[t.member_column("password")].is_null());
  const int bits = (1 << t.columns[t.member_column("api_token")].redacted_bit) |
                   (1 << t.columns[t.member_column("password")].redacted_bit);
  EXPECT_EQ(r->row[TableDesc::kRedacted], SqlValue(std::int64_t{bits}));
  // Read back, the values are unknown to the store: still the marker, not an
  // empty string, and for the nullable password not null either.
  auto back = entity_value_from_row(t, r->row, ids.lookup());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(canonical(*back), canonical(a));

  // A null nullable secret is a known null.
  Entity n = entity("Account", R"({"login": "bob", "active": true, "quota": 1, "api_token": "t", "password": null})");
  EntityRow rn = round_trip("Account", n);
  EXPECT_EQ(rn.row[TableDesc::kRedacted], SqlValue(std::int64_t{0}));
  EXPECT_TRUE(rn.redacted.empty());
}

TEST_F(RowTest, UnknownMembersRoundTrip) {
  // Options is open (its unknowns are always kept); Folder keeps its own with --keep-unknown.
  Entity f = entity("Folder", R"({"entity_id": ")" + eid(5, 'f') + R"(", "name": "f", "parent": ")" + eid(1, 'f') +
                                  R"(", "settings": null, "mystery": {"x": [1, 2], "a": "é"}, "zz": 3})",
                    /*keep_unknown=*/true);
  ASSERT_EQ(f.unknowns.size(), 2u);
  EntityRow r = round_trip("Folder", f);
  EXPECT_EQ(r.row[TableDesc::kUnknown], SqlValue(R"([[["mystery"],{"x":[1,2],"a":"é"}],[["zz"],3]])"));
  // A free-form document that is null is stored as JSON null in its NOT NULL column.
  EXPECT_EQ(r.row[table("Folder").member_column("settings")], SqlValue("null"));

  Entity i = entity("Item", R"({"entity_id": ")" + eid(6, 'i') + R"(", "name": "n", "folder": ")" + eid(1, 'f') +
                                R"(", "owner": [null, "ann@example.com"], "shape": "square", "score": -0.5,
      "size": 0, "tag_count": 0, "created_at": "2024-01-15T10:30:00Z", "tags": [], "counters": {}, "position": null, "ratio": 2.0,
      "display/options": {"compact": false, "related": [], "zoom": [1, {"b": 2, "a": 1}]}, "see_also": []})");
  ASSERT_EQ(i.unknowns.size(), 1u);
  EntityRow ri = round_trip("Item", i);
  EXPECT_EQ(ri.row[TableDesc::kUnknown], SqlValue(R"([[["display/options","zoom"],[1,{"b":2,"a":1}]]])"));
}

TEST_F(RowTest, UnresolvedTopLevelReferencesArePending) {
  std::string doc = kFullItem;
  doc.replace(doc.find(eid(1, 'b')), 21, eid(77, 'b'));
  Entity e = entity("Item", doc);
  int calls = 0;
  RefResolver counting = [&](const std::string& kind, const Key& key) {
    ++calls;
    return ids.resolver()(kind, key);
  };
  auto r = row_from_entity(table("Item"), e, counting);
  ASSERT_TRUE(r.ok()) << r.errors().to_string();
  EXPECT_EQ(calls, 3);  // folder, owner, board: nested references are not resolved
  ASSERT_EQ(r->pending.size(), 1u);
  EXPECT_EQ(r->pending[0].column, table("Item").member_column("board"));
  EXPECT_EQ(r->pending[0].kind, "Board");
  EXPECT_EQ(r->pending[0].key, Key{eid(77, 'b')});
  EXPECT_TRUE(r->row[r->pending[0].column].is_null());
}

TEST_F(RowTest, BadValuesAreRefusedNamingTableKeyAndMember) {
  Entity f = entity("Folder", R"({"entity_id": ")" + eid(7, 'f') + R"(", "name": "x", "settings": {}})");
  auto expect_error = [&](Entity e, const std::string& needle) {
    auto r = row_from_entity(table("Folder"), e, ids.resolver());
    ASSERT_FALSE(r.ok()) << needle;
    EXPECT_NE(r.errors().to_string().find(needle), std::string::npos) << r.errors().to_string();
  };
  Entity wrong = f;
  wrong.value.set("name", Value(5));
  expect_error(wrong, "mp_folder '" + eid(7, 'f') + "': member 'name': expected a string, got an integer");
  Entity missing = f;
  missing.value.erase("name");
  expect_error(missing, "mp_folder '" + eid(7, 'f') + "': member 'name': required member is missing");
  Entity extra = f;
  extra.value.set("colour", Value("red"));
  expect_error(extra, "member 'colour' is not a member of kind Folder");
  Entity null = f;
  null.value.set("name", Value());
  expect_error(null, "member 'name': null in a member that may not be null");

  Entity item = entity("Item", kFullItem);
  item.value.set("score", Value(std::nan("")));
  auto r = row_from_entity(table("Item"), item, ids.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.errors().to_string().find("member 'score': NaN cannot be stored"), std::string::npos);
}

TEST_F(RowTest, ARowReferringToAMissingLocalIdIsAnError) {
  Entity e = entity("Item", kFullItem);
  auto r = row_from_entity(table("Item"), e, ids.resolver());
  ASSERT_TRUE(r.ok());
  r->row[table("Item").member_column("owner")] = SqlValue(std::int64_t{999});
  auto back = entity_value_from_row(table("Item"), r->row, ids.lookup());
  ASSERT_FALSE(back.ok());
  EXPECT_NE(back.errors().to_string().find("member 'owner': refers to local id 999 of mp_account, which has no such row"),
            std::string::npos)
      << back.errors().to_string();
}

TEST_F(RowTest, JsonColumnsHoldAnyValueIncludingAnyRef) {
  // AnyRef members are JSON like every container; references inside stay keys.
  SchemaInfo s;
  s.name = "anyref";
  auto k = std::make_unique<KindInfo>();
  k->name = "Mention";
  FieldDesc any;
  any.name = "target";
  any.type.tag = TypeDesc::Tag::AnyRef;
  FieldDesc list;
  list.name = "targets";
  list.optional = true;
  list.type.tag = TypeDesc::Tag::List;
  list.type.elem = std::make_shared<TypeDesc>(any.type);
  k->fields = {any, list};
  s.kinds.push_back(std::move(k));
  auto t = table_for(*s.kinds[0], s);
  ASSERT_TRUE(t.ok());
  Entity e;
  e.kind = s.kinds[0].get();
  e.key = Key{"m1"};
  auto v = json::parse(R"({"target": {"model": "Card", "key": "abc"}, "targets": [{"model": "Table", "key": ["db", null, "t"]}]})");
  ASSERT_TRUE(v.ok());
  e.value = *v;
  auto r = row_from_entity(*t, e, ids.resolver());
  ASSERT_TRUE(r.ok()) << r.errors().to_string();
  EXPECT_EQ(r->row[TableDesc::kFirstMember], SqlValue(R"({"model":"Card","key":"abc"})"));
  auto back = entity_value_from_row(*t, r->row, ids.lookup());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(canonical(*back), canonical(e));
}

TEST(Unknowns, JsonFormIsPathValuePairs) {
  Unknowns u = {Unknown{FieldPath{std::string("a"), std::size_t{2}, std::string("b")}, Value("x")}};
  const std::string text = unknowns_to_json(u);
  EXPECT_EQ(text, R"([[["a",2,"b"],"x"]])");
  auto back = unknowns_from_json(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, u);
  EXPECT_EQ(unknowns_to_json({}), "");
  EXPECT_FALSE(unknowns_from_json(R"({"a": 1})").ok());
  EXPECT_FALSE(unknowns_from_json(R"([[["a", -1], 1]])").ok());
}

}  // namespace
