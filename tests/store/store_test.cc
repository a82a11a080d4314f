// The store suite: every test runs on a real SQLite file and on real
// PostgreSQL and MariaDB databases (see store_fixture.hpp).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <set>

#include "tests/store/store_fixture.hpp"

namespace {

using namespace metaport;
using namespace metaport::store;
using namespace storetest;

std::string text(const Status& s) { return s.ok() ? "" : s.errors().to_string(); }
template <class T>
std::string text(const Result<T>& r) {
  return r.ok() ? "" : r.errors().to_string();
}
bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---- schema ------------------------------------------------------------------

TEST_P(StoreTest, CreatesTheSchemaOnceAndRecordsIt) {
  auto stored = store_->stored_schema();
  ASSERT_TRUE(stored.ok()) << text(stored);
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->name, "storetest");
  EXPECT_EQ((*stored)->version, 1);
  EXPECT_EQ((*stored)->fingerprint, layout_fingerprint(store_->tables()));
  auto empty = store_->is_empty();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(*empty);
  for (const char* kind : {"Folder", "Account", "Item", "Board"}) {
    auto n = store_->count(kind);
    ASSERT_TRUE(n.ok()) << text(n);
    EXPECT_EQ(*n, 0);
  }
  // Same schema again: a no-op. Another connection checks it.
  EXPECT_TRUE(store_->create_schema(schema()).ok());
  auto other = open();
  EXPECT_TRUE(other->check_schema(schema()).ok());
}

TEST_P(StoreTest, CheckSchemaNamesBothVersionsAndSchemas) {
  SchemaInfo v2 = make_schema_info<TestSchema>();
  v2.version = 2;
  auto other = open();
  std::string msg = text(other->check_schema(v2));
  EXPECT_TRUE(contains(msg, "schema 'storetest' version 1, older than this build's schema 'storetest' version 2")) << msg;
  EXPECT_TRUE(contains(msg, "migrate")) << msg;
  msg = text(other->create_schema(v2));
  EXPECT_TRUE(contains(msg, "already holds schema 'storetest' version 1; cannot create schema 'storetest' version 2"))
      << msg;

  SchemaInfo v0 = make_schema_info<TestSchema>();
  v0.version = 0;
  msg = text(other->check_schema(v0));
  EXPECT_TRUE(contains(msg, "newer than this build's schema 'storetest' version 0")) << msg;

  SchemaInfo renamed = make_schema_info<TestSchema>();
  renamed.name = "other";
  msg = text(other->check_schema(renamed));
  EXPECT_TRUE(contains(msg, "holds schema 'storetest' version 1, not schema 'other'")) << msg;

  // Same name and version, different declarations: caught by the fingerprint.
  SchemaInfo changed = make_schema_info<TestSchema>();
  changed.kinds[0]->fields.pop_back();
  msg = text(other->check_schema(changed));
  EXPECT_TRUE(contains(msg, "created from different declarations")) << msg;

  // Row operations need a checked schema.
  auto n = other->count("Folder");
  ASSERT_FALSE(n.ok());
  EXPECT_TRUE(contains(text(n), "no schema loaded")) << text(n);

  // A store without metaport tables.
  auto empty = open(fresh_url());
  msg = text(empty->check_schema(schema()));
  EXPECT_TRUE(contains(msg, "has no metaport schema")) << msg;
}

TEST_P(StoreTest, CreateSchemaRefusesUnrecordedMetaportTables) {
  const std::string url = fresh_url();
  ASSERT_EQ(raw_exec(url, "CREATE TABLE mp_folder (x INTEGER)"), "");
  auto s = open(url);
  const std::string msg = text(s->create_schema(schema()));
  EXPECT_TRUE(contains(msg, "is not empty: it has tables named like metaport's (mp_folder)")) << msg;
  // Nothing was created next to it.
  auto stored = s->stored_schema();
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->has_value());
}

// ---- rows ----------------------------------------------------------------------

TEST_P(StoreTest, InsertLookupFetchUpdateRemove) {
  ASSERT_TRUE(store_->begin_write().ok());
  const std::int64_t root = put(*store_, entity("Folder", folder_doc(1)));
  const std::int64_t child = put(*store_, entity("Folder", folder_doc(2, 1)));
  ASSERT_TRUE(store_->commit().ok());
  EXPECT_NE(root, child);

  auto id = store_->lookup("Folder", Key{eid(2, 'f')});
  ASSERT_TRUE(id.ok()) << text(id);
  ASSERT_TRUE(id->has_value());
  EXPECT_EQ(**id, child);
  auto none = store_->lookup("Folder", Key{eid(3, 'f')});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  auto row = store_->fetch("Folder", child);
  ASSERT_TRUE(row.ok() && row->has_value()) << text(row);
  const TableDesc& t = *store_->table("Folder");
  EXPECT_EQ((**row)[t.member_column("parent")], SqlValue(root));  // a local id in the column
  auto back = entity_value_from_row(t, **row, ids_.lookup());
  ASSERT_TRUE(back.ok()) << text(back);
  EXPECT_EQ(canonical(*back), canonical(entity("Folder", folder_doc(2, 1))));

  Entity renamed = entity("Folder", folder_doc(2, 1));
  renamed.value.set("name", Value("Renamed ✓"));
  auto r = row_from_entity(t, renamed, ids_.resolver());
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(store_->begin_write().ok());
  EXPECT_TRUE(store_->update("Folder", child, r->row).ok());
  EXPECT_TRUE(store_->update_column("Folder", child, t.member_column("parent"), SqlValue()).ok());
  ASSERT_TRUE(store_->commit().ok());
  auto updated = store_->fetch("Folder", child);
  ASSERT_TRUE(updated.ok() && updated->has_value());
  EXPECT_EQ((**updated)[t.member_column("name")], SqlValue("Renamed ✓"));
  EXPECT_TRUE((**updated)[t.member_column("parent")].is_null());

  ASSERT_TRUE(store_->begin_write().ok());
  EXPECT_TRUE(store_->remove("Folder", child).ok());
  std::string msg = text(store_->remove("Folder", 987654));
  EXPECT_TRUE(contains(msg, "no row with local id 987654")) << msg;
  store_->rollback().ok();  // the failed remove poisoned the transaction
  auto n = store_->count("Folder");
  EXPECT_EQ(*n, 2);
  ASSERT_TRUE(store_->begin_write().ok());
  EXPECT_TRUE(store_->remove("Folder", child).ok());
  ASSERT_TRUE(store_->commit().ok());
  EXPECT_EQ(*store_->count("Folder"), 1);
  EXPECT_FALSE(store_->lookup("Folder", Key{eid(2, 'f')})->has_value());
  auto empty = store_->is_empty();
  EXPECT_FALSE(*empty);
}

TEST_P(StoreTest, EveryMemberTypeRoundTripsThroughTheStore) {
  ASSERT_TRUE(store_->begin_write().ok());
  put(*store_, entity("Folder", folder_doc(1)));
  put(*store_, entity("Account", account_doc("ann@example.com")));
  Entity acc = entity("Account", R"({"realm": null, "login": "nul realm ☃", "active": false, "quota": -1,
      "api_token": "t0", "password": "p"})");
  put(*store_, acc);
  Entity one = entity("Account", R"({"login": "[\"odd\"]", "active": true, "quota": 0, "api_token": "t1"})");
  put(*store_, one);
  // Infinity and the extremes of int64 / double, unknowns, absent and null.
  Entity item = entity("Item", item_doc(1, 1, "ann@example.com"));
  // (MySQL cannot store an infinity: its largest double instead, and
  // InfinityIsRefusedClearlyByMysql.)
  item.value.set("ratio", Value(GetParam() == Engine::mysql ? std::numeric_limits<double>::max()
                                                            : std::numeric_limits<double>::infinity()));
  item.value.set("score", Value(-5e-324));
  Entity minimal = entity("Item", R"({"entity_id": ")" + eid(2, 'i') + R"(", "name": "", "folder": ")" + eid(1, 'f') +
                                      R"(", "owner": ["[\"odd\"]"], "shape": "circle", "score": 0, "size": 0,
      "tag_count": 0, "created_at": "2024-01-15T10:30:00Z", "tags": [], "counters": {},
      "display/options": {"compact": false, "related": []}, "see_also": [], "position": null, "ratio": null,
      "visualization": null, "pinned": true})");
  Entity kept = entity("Folder", folder_doc(9) .substr(0, folder_doc(9).size() - 1) + R"(, "mystery": [1, {"b": null}]})",
                       /*keep_unknown=*/true);
  ASSERT_EQ(kept.unknowns.size(), 1u);
  put(*store_, item);
  put(*store_, minimal);
  put(*store_, kept);
  ASSERT_TRUE(store_->commit().ok());

  ASSERT_TRUE(store_->begin_snapshot().ok());
  std::map<std::string, std::string> got;
  for (const char* kind : {"Folder", "Account", "Item"})
    for (const Entity& e : read_all(*store_, kind)) got[e.key.str()] = canonical(e);
  ASSERT_TRUE(store_->commit().ok());
  for (const Entity* e : {&acc, &one, &item, &minimal, &kept}) EXPECT_EQ(got[e->key.str()], canonical(*e));
}

TEST_P(StoreTest, UpdateKeepsASecretThatArrivesRedacted) {
  ASSERT_TRUE(store_->begin_write().ok());
  const std::int64_t id = put(*store_, entity("Account", account_doc("bob", "s3cret")));
  ASSERT_TRUE(store_->commit().ok());
  const TableDesc& t = *store_->table("Account");
  auto redacted = row_from_entity(t, entity("Account", account_doc("bob", "**redacted**")), ids_.resolver());
  ASSERT_TRUE(redacted.ok());
  ASSERT_EQ(redacted->redacted.size(), 1u);
  ASSERT_TRUE(store_->begin_write().ok());
  ASSERT_TRUE(store_->update("Account", id, redacted->row, redacted->redacted).ok());
  ASSERT_TRUE(store_->commit().ok());
  EXPECT_EQ((**store_->fetch("Account", id))[t.member_column("api_token")], SqlValue("s3cret"));
  // Known stays known: the kept secret reads back in clear, not as the marker.
  auto known = entity_value_from_row(t, **store_->fetch("Account", id), ids_.lookup());
  ASSERT_TRUE(known.ok());
  EXPECT_EQ(*known->value.find("api_token"), Value("s3cret"));
  auto fresh = row_from_entity(t, entity("Account", account_doc("bob", "n3w")), ids_.resolver());
  ASSERT_TRUE(store_->begin_write().ok());
  ASSERT_TRUE(store_->update("Account", id, fresh->row, fresh->redacted).ok());
  ASSERT_TRUE(store_->commit().ok());
  EXPECT_EQ((**store_->fetch("Account", id))[t.member_column("api_token")], SqlValue("n3w"));

  // Inserted redacted: unknown, for a nullable secret too; a later update
  // that keeps it leaves it unknown, one that sets it makes it known.
  Entity unknown = entity("Account", R"({"login": "eve", "active": true, "quota": 1,
      "api_token": "**redacted**", "password": "**redacted**"})");
  auto ur = row_from_entity(t, unknown, ids_.resolver());
  ASSERT_TRUE(store_->begin_write().ok());
  auto uid = store_->insert("Account", ur->row);
  ASSERT_TRUE(uid.ok());
  ids_.add("Account", unknown.key, *uid);
  ASSERT_TRUE(store_->update("Account", *uid, ur->row, ur->redacted).ok());
  ASSERT_TRUE(store_->commit().ok());
  auto back = entity_value_from_row(t, **store_->fetch("Account", *uid), ids_.lookup());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(canonical(*back), canonical(unknown));
  Entity set = entity("Account", R"({"login": "eve", "active": true, "quota": 1,
      "api_token": "**redacted**", "password": "pw"})");
  auto sr = row_from_entity(t, set, ids_.resolver());
  ASSERT_TRUE(store_->begin_write().ok());
  ASSERT_TRUE(store_->update("Account", *uid, sr->row, sr->redacted).ok());
  ASSERT_TRUE(store_->commit().ok());
  back = entity_value_from_row(t, **store_->fetch("Account", *uid), ids_.lookup());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back->value.find("api_token"), Value("**redacted**"));
  EXPECT_EQ(*back->value.find("password"), Value("pw"));
}

TEST_P(StoreTest, ADuplicateKeyNamesTheKeyAndPoisonsTheTransaction) {
  ASSERT_TRUE(store_->begin_write().ok());
  put(*store_, entity("Folder", folder_doc(1)));
  ASSERT_TRUE(store_->commit().ok());

  ASSERT_TRUE(store_->begin_write().ok());
  put(*store_, entity("Folder", folder_doc(2)));
  const TableDesc& t = *store_->table("Folder");
  auto dup = row_from_entity(t, entity("Folder", folder_doc(1)), ids_.resolver());
  auto id = store_->insert("Folder", dup->row);
  ASSERT_FALSE(id.ok());
  const std::string msg = text(id);
  EXPECT_TRUE(contains(msg, "insert into mp_folder '" + eid(1, 'f') + "': an entity with this key is already stored"))
      << msg;
  EXPECT_EQ(id.errors().list().front().entity, "Folder " + eid(1, 'f'));
  // Same semantics on both engines: the transaction is done for.
  auto next = row_from_entity(t, entity("Folder", folder_doc(3)), ids_.resolver());
  EXPECT_TRUE(contains(text(store_->insert("Folder", next->row)), "the write transaction already failed"));
  EXPECT_TRUE(contains(text(store_->commit()), "was rolled back"));
  EXPECT_EQ(*store_->count("Folder"), 1);
}

TEST_P(StoreTest, WritesNeedAWriteTransaction) {
  const TableDesc& t = *store_->table("Folder");
  auto r = row_from_entity(t, entity("Folder", folder_doc(1)), ids_.resolver());
  EXPECT_TRUE(contains(text(store_->insert("Folder", r->row)), "outside a transaction: call begin_write() first"));
  ASSERT_TRUE(store_->begin_snapshot().ok());
  EXPECT_TRUE(contains(text(store_->insert("Folder", r->row)), "inside a read-only snapshot"));
  EXPECT_TRUE(contains(text(store_->begin_write()), "inside an open transaction"));
  ASSERT_TRUE(store_->commit().ok());
  EXPECT_TRUE(contains(text(store_->insert("NoSuchKind", r->row)), "kind 'NoSuchKind' is not part of"));
  EXPECT_EQ(*store_->count("Folder"), 0);
}

TEST_P(StoreTest, ConcurrentWriters) {
  auto other = metaport::store::open_store(url_, {.busy_timeout_ms = 200});
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->check_schema(schema()).ok());
  ASSERT_TRUE(store_->begin_write().ok());
  put(*store_, entity("Folder", folder_doc(1)));
  if (GetParam() == Engine::sqlite) {
    // One writer at a time: the second waits for the lock, then says why it gave up.
    const std::string msg = text((*other)->begin_write());
    EXPECT_TRUE(contains(msg, "another writer holds the store's write lock (waited 200 ms)")) << msg;
    ASSERT_TRUE(store_->commit().ok());
    ASSERT_TRUE((*other)->begin_write().ok());
  } else {
    // Row-level locking: both write at once (different keys).
    ASSERT_TRUE((*other)->begin_write().ok());
    ASSERT_TRUE(store_->commit().ok());
  }
  const TableDesc& t = *(*other)->table("Folder");
  auto r = row_from_entity(t, entity("Folder", folder_doc(2)), ids_.resolver());
  ASSERT_TRUE((*other)->insert("Folder", r->row).ok());
  ASSERT_TRUE((*other)->commit().ok());
  EXPECT_EQ(*store_->count("Folder"), 2);
}

TEST_P(StoreTest, CheckSchemaRefusesAnotherStoreFormat) {
  ASSERT_EQ(raw_exec(url_, "UPDATE \"mp_meta\" SET \"value\" = '2' WHERE \"key\" = 'store_format'"), "");
  const std::string msg = text(open()->check_schema(schema()));
  EXPECT_TRUE(contains(msg, "has store format 2; this build reads format 1")) << msg;
}

TEST_P(StoreTest, ScansAreInBytewiseKeyOrder) {
  // Upper case before lower case, '-' and digits before letters, non-ASCII
  // last: bytewise, whatever the database's collation.
  const std::vector<std::string> logins = {"b", "B", "a", "é", "Z", "aa", "a b", "-x", "0", "zz", "Ä"};
  ASSERT_TRUE(store_->begin_write().ok());
  for (const auto& l : logins) put(*store_, entity("Account", account_doc(l)));
  ASSERT_TRUE(store_->commit().ok());
  std::vector<std::string> expected;
  for (const auto& l : logins) expected.push_back(key_text(Key{"corp", l}, false));
  std::sort(expected.begin(), expected.end());
  std::vector<std::string> scanned, keyed;
  ASSERT_TRUE(store_->scan("Account", [&](std::int64_t, Row& r) {
    scanned.push_back(r[TableDesc::kKey].as_text());
    return ok_status();
  }).ok());
  ASSERT_TRUE(store_->scan_keys("Account", [&](std::int64_t id, Key k) {
    keyed.push_back(key_text(k, false));
    const std::int64_t expected_id = ids_.ids[{"Account", k}];
    EXPECT_EQ(expected_id, id);
    return ok_status();
  }).ok());
  EXPECT_EQ(scanned, expected);
  EXPECT_EQ(keyed, expected);
  // A sink error stops the scan and is returned; the connection stays usable.
  int seen = 0;
  std::string msg = text(store_->scan("Account", [&](std::int64_t, Row&) -> Status {
    if (++seen == 3) return make_error("sink full");
    return ok_status();
  }));
  EXPECT_EQ(seen, 3);
  EXPECT_TRUE(contains(msg, "sink full")) << msg;
  EXPECT_EQ(*store_->count("Account"), static_cast<std::int64_t>(logins.size()));
}

TEST_P(StoreTest, AScanSinkMayQueryTheStore) {
  // More rows than one PostgreSQL batch, so nested queries happen between batches too.
  const TableDesc& t = *store_->table("Folder");
  std::vector<Row> rows;
  for (int i = 0; i < 4500; ++i) rows.push_back(row_from_entity(t, entity("Folder", folder_doc(i)), ids_.resolver())->row);
  ASSERT_TRUE(store_->begin_write().ok());
  ASSERT_TRUE(store_->bulk_insert("Folder", rows).ok());
  ASSERT_TRUE(store_->commit().ok());
  ASSERT_TRUE(store_->begin_snapshot().ok());
  std::int64_t seen = 0, nested_rows = 0;
  auto st = store_->scan("Folder", [&](std::int64_t id, Row& r) -> Status {
    ++seen;
    if (seen % 1500 != 1) return ok_status();
    auto key = key_from_text(r[TableDesc::kKey].as_text(), true);
    auto found = store_->lookup("Folder", *key);
    if (!found.ok() || !found->has_value() || **found != id) return make_error("nested lookup failed");
    // The same kind again, from inside its own scan.
    auto inner = store_->scan_keys("Folder", [&](std::int64_t, Key) {
      ++nested_rows;
      return ok_status();
    });
    if (!inner.ok()) return inner;
    return store_->scan("Folder", [&](std::int64_t, Row&) -> Status { return make_error("stop early"); }).ok()
               ? make_error("the inner scan should have stopped")
               : ok_status();
  });
  ASSERT_TRUE(st.ok()) << text(st);
  EXPECT_EQ(seen, 4500);
  EXPECT_EQ(nested_rows, 3 * 4500);
  ASSERT_TRUE(store_->commit().ok());
}

// scan_all (for sinks that leave the store alone; PostgreSQL streams it in
// one binary COPY) gives exactly what scan gives: the same ids and rows in
// the same order, every column type, NULLs, infinities, unknowns. A sink
// error stops it, is returned, and the connection stays usable.
TEST_P(StoreTest, ScanAllGivesWhatScanGives) {
  const TableDesc& t = *store_->table("Folder");
  std::vector<Row> rows;
  for (int i = 100; i < 4600; ++i) rows.push_back(row_from_entity(t, entity("Folder", folder_doc(i)), ids_.resolver())->row);
  ASSERT_TRUE(store_->begin_write().ok());
  ASSERT_TRUE(store_->bulk_insert("Folder", rows).ok());  // more than one PostgreSQL page of scan()
  put(*store_, entity("Folder", folder_doc(1)));
  put(*store_, entity("Account", account_doc("ann@example.com")));
  put(*store_, entity("Account", R"({"realm": null, "login": "nul realm ☃", "active": false, "quota": -1,
      "api_token": "t0", "password": "p"})"));
  put(*store_, entity("Account", R"({"login": "[\"odd\"]", "active": true, "quota": 0, "api_token": "t1"})"));
  Entity item = entity("Item", item_doc(1, 1, "ann@example.com"));
  item.value.set("ratio", Value(GetParam() == Engine::mysql ? std::numeric_limits<double>::lowest()
                                                            : -std::numeric_limits<double>::infinity()));
  item.value.set("score", Value(-5e-324));
  put(*store_, item);
  put(*store_, entity("Item", R"({"entity_id": ")" + eid(2, 'i') + R"(", "name": "", "folder": ")" + eid(1, 'f') +
                                  R"(", "owner": ["[\"odd\"]"], "shape": "circle", "score": 0, "size": 0,
      "tag_count": 0, "created_at": "2024-01-15T10:30:00Z", "tags": [], "counters": {},
      "display/options": {"compact": false, "related": []}, "see_also": [], "position": null, "ratio": null,
      "visualization": null, "pinned": true})"));
  put(*store_, entity("Folder", folder_doc(9999).substr(0, folder_doc(9999).size() - 1) + R"(, "mystery": [1, {"b": null}]})",
                      /*keep_unknown=*/true));
  ASSERT_TRUE(store_->commit().ok());

  ASSERT_TRUE(store_->begin_snapshot().ok());
  for (const char* kind : {"Folder", "Account", "Item"}) {
    std::vector<std::pair<std::int64_t, Row>> paged, streamed;
    ASSERT_TRUE(store_->scan(kind, [&](std::int64_t id, Row& r) {
      paged.emplace_back(id, r);
      return ok_status();
    }).ok());
    ASSERT_TRUE(store_->scan_all(kind, [&](std::int64_t id, Row& r) {
      streamed.emplace_back(id, r);
      return ok_status();
    }).ok());
    EXPECT_GT(paged.size(), 1u) << kind;
    EXPECT_TRUE(paged == streamed) << kind;
  }
  int seen = 0;
  std::string msg = text(store_->scan_all("Folder", [&](std::int64_t, Row&) -> Status {
    if (++seen == 3) return make_error("sink full");
    return ok_status();
  }));
  EXPECT_EQ(seen, 3);
  EXPECT_TRUE(contains(msg, "sink full")) << msg;
  EXPECT_EQ(*store_->count("Folder"), 4502);
  ASSERT_TRUE(store_->commit().ok());
}

TEST_P(StoreTest, BulkInsertsOneHundredThousandRows) {
  ASSERT_TRUE(store_->begin_write().ok());
  put(*store_, entity("Folder", folder_doc(1)));
  put(*store_, entity("Account", account_doc("ann@example.com")));
  ASSERT_TRUE(store_->commit().ok());
  const TableDesc& t = *store_->table("Item");
  auto tmpl = row_from_entity(t, entity("Item", item_doc(1, 1, "ann@example.com")), ids_.resolver());
  ASSERT_TRUE(tmpl.ok()) << text(tmpl);
  ASSERT_TRUE(tmpl->pending.empty());
  constexpr int kRows = 100000;
  std::vector<Row> rows(kRows, tmpl->row);
  const std::size_t name = t.member_column("name"), eidc = t.member_column("entity_id");
  for (int i = 0; i < kRows; ++i) {
    const std::string key = eid(i, 'k');
    rows[static_cast<std::size_t>(i)][TableDesc::kKey] = SqlValue(key);
    rows[static_cast<std::size_t>(i)][eidc] = SqlValue(key);
    rows[static_cast<std::size_t>(i)][name] = SqlValue("Item\t" + std::to_string(i) + "\n\\ ✓");
  }
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(store_->begin_write().ok());
  auto ids = store_->bulk_insert("Item", rows);
  ASSERT_TRUE(ids.ok()) << text(ids);
  ASSERT_TRUE(store_->commit().ok());
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[timing] " << metaport::testing::engine_name(GetParam()) << " bulk insert of " << kRows
            << " Item rows (" << t.columns.size() << " columns) + commit: " << secs << " s\n";
  RecordProperty("bulk_insert_100k_seconds", std::to_string(secs));

  ASSERT_EQ(ids->size(), static_cast<std::size_t>(kRows));
  EXPECT_EQ(std::set<std::int64_t>(ids->begin(), ids->end()).size(), static_cast<std::size_t>(kRows));
  EXPECT_EQ(*store_->count("Item"), kRows);
  for (int i : {0, 1, 4242, kRows - 1}) {
    auto id = store_->lookup("Item", Key{eid(i, 'k')});
    ASSERT_TRUE(id.ok() && id->has_value());
    EXPECT_EQ(**id, (*ids)[static_cast<std::size_t>(i)]) << i;
    auto row = store_->fetch("Item", **id);
    EXPECT_EQ(**row, rows[static_cast<std::size_t>(i)]);  // escapes in COPY text survive
  }
  std::int64_t scanned = 0;
  std::string last;
  ASSERT_TRUE(store_->scan("Item", [&](std::int64_t, Row& r) {
    EXPECT_LT(last, r[TableDesc::kKey].as_text());
    last = r[TableDesc::kKey].as_text();
    ++scanned;
    return ok_status();
  }).ok());
  EXPECT_EQ(scanned, kRows);
}

TEST_P(StoreTest, BulkInsertErrorsNameTheRowsKey) {
  const TableDesc& t = *store_->table("Folder");
  std::vector<Row> rows;
  for (int i : {1, 2, 3, 2, 5}) rows.push_back(row_from_entity(t, entity("Folder", folder_doc(i)), ids_.resolver())->row);
  ASSERT_TRUE(store_->begin_write().ok());
  auto ids = store_->bulk_insert("Folder", rows);
  ASSERT_FALSE(ids.ok());
  const std::string msg = text(ids);
  EXPECT_TRUE(contains(msg, "mp_folder '" + eid(2, 'f') + "'")) << msg;
  EXPECT_TRUE(contains(msg, "already stored")) << msg;
  EXPECT_FALSE(store_->commit().ok());
  EXPECT_EQ(*store_->count("Folder"), 0);
}

TEST_P(StoreTest, NulBytesInTextAreKeptBySqliteAndMysqlAndRefusedClearlyByPostgres) {
  Entity f = entity("Folder", R"({"entity_id": ")" + eid(1, 'f') + R"(", "name": "a\u0000b", "settings": {}})");
  ASSERT_EQ(f.value.find("name")->as_string(), std::string("a\0b", 3));
  const TableDesc& t = *store_->table("Folder");
  auto r = row_from_entity(t, f, ids_.resolver());
  ASSERT_TRUE(store_->begin_write().ok());
  auto id = store_->insert("Folder", r->row);
  if (GetParam() != Engine::postgres) {
    ASSERT_TRUE(id.ok()) << text(id);
    ASSERT_TRUE(store_->commit().ok());
    EXPECT_EQ((**store_->fetch("Folder", *id))[t.member_column("name")], SqlValue(std::string("a\0b", 3)));
  } else {
    EXPECT_TRUE(contains(text(id), "mp_folder '" + eid(1, 'f') + "': name: text with a NUL byte")) << text(id);
    ASSERT_TRUE(store_->rollback().ok());
    ASSERT_TRUE(store_->begin_write().ok());
    auto ids = store_->bulk_insert("Folder", std::vector<Row>{r->row});
    EXPECT_TRUE(contains(text(ids), "mp_folder '" + eid(1, 'f') + "': name: text with a NUL byte")) << text(ids);
    ASSERT_TRUE(store_->rollback().ok());
  }
}

// MySQL and MariaDB have no infinity in a DOUBLE: refused with the table,
// key and column, never silently turned into something else.
TEST_P(StoreTest, InfinityIsRefusedClearlyByMysql) {
  ASSERT_TRUE(store_->begin_write().ok());
  put(*store_, entity("Folder", folder_doc(1)));
  put(*store_, entity("Account", account_doc("ann@example.com")));
  Entity item = entity("Item", item_doc(1, 1, "ann@example.com"));
  item.value.set("ratio", Value(std::numeric_limits<double>::infinity()));
  const TableDesc& t = *store_->table("Item");
  auto r = row_from_entity(t, item, ids_.resolver());
  ASSERT_TRUE(r.ok()) << text(r);
  auto id = store_->insert("Item", r->row);
  if (GetParam() != Engine::mysql) {
    ASSERT_TRUE(id.ok()) << text(id);
    ASSERT_TRUE(store_->commit().ok());
    EXPECT_EQ((**store_->fetch("Item", *id))[t.member_column("ratio")], SqlValue(std::numeric_limits<double>::infinity()));
    return;
  }
  EXPECT_TRUE(contains(text(id), "mp_item '" + eid(1, 'i') + "': ratio: infinity: MySQL and MariaDB cannot store it"))
      << text(id);
  EXPECT_FALSE(store_->commit().ok());
  EXPECT_EQ(*store_->count("Folder"), 0);
}

// A key is indexed whole on every engine; InnoDB indexes at most 3072 bytes,
// so MySQL refuses a longer one by name instead of truncating it.
TEST_P(StoreTest, AKeyLongerThanMysqlIndexesIsRefusedClearly) {
  const std::string login(4000, 'x');
  ASSERT_TRUE(store_->begin_write().ok());
  const TableDesc& t = *store_->table("Account");
  auto r = row_from_entity(t, entity("Account", account_doc(login)), ids_.resolver());
  ASSERT_TRUE(r.ok()) << text(r);
  auto id = store_->insert("Account", r->row);
  if (GetParam() != Engine::mysql) {
    ASSERT_TRUE(id.ok()) << text(id);
    ASSERT_TRUE(store_->commit().ok());
    auto found = store_->lookup("Account", Key{"corp", login});
    ASSERT_TRUE(found.ok() && found->has_value());
    return;
  }
  EXPECT_TRUE(contains(text(id), "MySQL indexes at most 3072")) << text(id);
  ASSERT_TRUE(store_->rollback().ok());
  auto found = store_->lookup("Account", Key{"corp", login});  // cannot be stored: not there
  ASSERT_TRUE(found.ok()) << text(found);
  EXPECT_FALSE(found->has_value());
}

// ---- transactions ----------------------------------------------------------------

TEST_P(StoreTest, RollbackLeavesTheStoreExactlyAsBefore) {
  ASSERT_TRUE(store_->begin_write().ok());
  for (int i = 1; i <= 5; ++i) put(*store_, entity("Folder", folder_doc(i, i > 1 ? 1 : -1)));
  put(*store_, entity("Account", account_doc("ann@example.com")));
  put(*store_, entity("Item", item_doc(1, 2, "ann@example.com")));
  ASSERT_TRUE(store_->commit().ok());
  const Dump before = dump(*store_);
  const IdMap ids_before = ids_;

  ASSERT_TRUE(store_->begin_write().ok());
  for (int i = 10; i < 20; ++i) put(*store_, entity("Folder", folder_doc(i, 1)));
  const TableDesc& ft = *store_->table("Folder");
  const std::int64_t f3 = ids_.ids[{"Folder", Key{eid(3, 'f')}}];
  ASSERT_TRUE(store_->update_column("Folder", f3, ft.member_column("name"), SqlValue("changed")).ok());
  ASSERT_TRUE(store_->remove("Folder", ids_.ids[{"Folder", Key{eid(5, 'f')}}]).ok());
  std::vector<Row> bulk;
  for (int i = 30; i < 40; ++i) bulk.push_back(row_from_entity(ft, entity("Folder", folder_doc(i)), ids_.resolver())->row);
  ASSERT_TRUE(store_->bulk_insert("Folder", bulk).ok());
  ASSERT_TRUE(store_->rollback().ok());

  EXPECT_EQ(dump(*store_), before);
  auto reopened = open();
  ASSERT_TRUE(reopened->check_schema(schema()).ok());
  EXPECT_EQ(dump(*reopened), before);
}

TEST_P(StoreTest, AWriterKilledMidTransactionLeavesTheStoreAsBefore) {
  ASSERT_TRUE(store_->begin_write().ok());
  for (int i = 1; i <= 3; ++i) put(*store_, entity("Folder", folder_doc(i)));
  ASSERT_TRUE(store_->commit().ok());
  const Dump before = dump(*store_);
  store_.reset();  // no connection is shared with the child

  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // The child: a writer that gets as far as it can, then waits to be killed.
    close(pipefd[0]);
    auto s = open_store(url_);
    if (!s.ok() || !(*s)->check_schema(schema()).ok() || !(*s)->begin_write().ok()) _exit(2);
    Store& st = **s;
    const TableDesc& t = *st.table("Folder");
    std::vector<Row> rows;
    for (int i = 100; i < 1100; ++i)
      rows.push_back(row_from_entity(t, entity("Folder", folder_doc(i)), [](const std::string&, const Key&) {
                       return std::optional<std::int64_t>{};
                     })->row);
    if (!st.bulk_insert("Folder", rows).ok()) _exit(3);
    auto one = st.lookup("Folder", Key{eid(1, 'f')});
    if (!one.ok() || !one->has_value()) _exit(4);
    if (!st.update_column("Folder", **one, t.member_column("name"), SqlValue("half-done")).ok()) _exit(5);
    if (!st.remove("Folder", *st.lookup("Folder", Key{eid(2, 'f')}).value()).ok()) _exit(6);
    if (write(pipefd[1], "x", 1) != 1) _exit(7);
    for (;;) pause();
  }
  close(pipefd[1]);
  char c = 0;
  const ssize_t got = read(pipefd[0], &c, 1);
  close(pipefd[0]);
  kill(pid, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_EQ(got, 1) << "the child writer did not reach the middle of its transaction (exit status "
                    << (WIFEXITED(status) ? WEXITSTATUS(status) : -1) << ")";
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  store_ = open();
  ASSERT_TRUE(store_->check_schema(schema()).ok());
  EXPECT_EQ(dump(*store_), before);
  // The dead writer's locks are gone: the same keys can be written now.
  ASSERT_TRUE(store_->begin_write().ok()) << "write lock still held";
  const TableDesc& t = *store_->table("Folder");
  auto r = row_from_entity(t, entity("Folder", folder_doc(100)), ids_.resolver());
  auto id = store_->insert("Folder", r->row);
  EXPECT_TRUE(id.ok()) << text(id);
  EXPECT_TRUE(store_->commit().ok());
  EXPECT_EQ(*store_->count("Folder"), 4);
}

TEST_P(StoreTest, ASnapshotDoesNotSeeLaterCommits) {
  ASSERT_TRUE(store_->begin_write().ok());
  for (int i = 1; i <= 3; ++i) put(*store_, entity("Folder", folder_doc(i)));
  ASSERT_TRUE(store_->commit().ok());

  auto reader = open();
  ASSERT_TRUE(reader->check_schema(schema()).ok());
  ASSERT_TRUE(reader->begin_snapshot().ok());
  const Dump seen_before = dump(*reader);

  // A concurrent writer commits while the snapshot is open: writers need not stop.
  ASSERT_TRUE(store_->begin_write().ok());
  put(*store_, entity("Folder", folder_doc(4)));
  const TableDesc& t = *store_->table("Folder");
  ASSERT_TRUE(store_->update_column("Folder", ids_.ids[{"Folder", Key{eid(1, 'f')}}], t.member_column("name"),
                                    SqlValue("moved on")).ok());
  ASSERT_TRUE(store_->commit().ok());
  EXPECT_EQ(*store_->count("Folder"), 4);

  EXPECT_EQ(*reader->count("Folder"), 3);
  EXPECT_FALSE(reader->lookup("Folder", Key{eid(4, 'f')})->has_value());
  EXPECT_EQ(dump(*reader), seen_before);
  ASSERT_TRUE(reader->commit().ok());
  EXPECT_EQ(*reader->count("Folder"), 4);
}

TEST_P(StoreTest, ACycleIsInsertedThenPatchedInOneTransaction) {
  ASSERT_TRUE(store_->begin_write().ok());
  put(*store_, entity("Folder", folder_doc(1)));
  put(*store_, entity("Account", account_doc("ann@example.com")));
  ASSERT_TRUE(store_->commit().ok());

  // Item 1 -> Board 1 -> Item 1: the board does not exist when the item is inserted.
  Entity item = entity("Item", item_doc(1, 1, "ann@example.com", /*board=*/1));
  Entity board = entity("Board", board_doc(1, /*cover=*/1));
  ASSERT_TRUE(store_->begin_write().ok());
  auto ir = row_from_entity(*store_->table("Item"), item, ids_.resolver());
  ASSERT_TRUE(ir.ok());
  ASSERT_EQ(ir->pending.size(), 1u);
  auto item_id = store_->insert("Item", ir->row);
  ASSERT_TRUE(item_id.ok()) << text(item_id);
  ids_.add("Item", item.key, *item_id);
  const std::int64_t board_id = put(*store_, board);  // its cover resolves now
  const PendingRef& p = ir->pending[0];
  ASSERT_EQ(p.kind, "Board");
  ASSERT_TRUE(store_->update_column("Item", *item_id, p.column, SqlValue(*ids_.resolver()(p.kind, p.key))).ok());
  auto st = store_->commit();
  ASSERT_TRUE(st.ok()) << text(st);
  EXPECT_EQ((**store_->fetch("Item", *item_id))[p.column], SqlValue(board_id));

  auto items = read_all(*store_, "Item");
  auto boards = read_all(*store_, "Board");
  ASSERT_EQ(items.size(), 1u);
  ASSERT_EQ(boards.size(), 1u);
  EXPECT_EQ(canonical(items[0]), canonical(item));
  EXPECT_EQ(canonical(boards[0]), canonical(board));
}

TEST_P(StoreTest, ReservedIdsResolveACycleWithoutPatching) {
  ASSERT_TRUE(store_->begin_write().ok());
  put(*store_, entity("Folder", folder_doc(1)));
  put(*store_, entity("Account", account_doc("ann@example.com")));
  ASSERT_TRUE(store_->commit().ok());

  Entity item = entity("Item", item_doc(1, 1, "ann@example.com", /*board=*/1));
  Entity board = entity("Board", board_doc(1, /*cover=*/1));
  ASSERT_TRUE(store_->begin_write().ok());
  auto item_ids = store_->reserve_ids("Item", 1);
  auto board_ids = store_->reserve_ids("Board", 2);
  ASSERT_TRUE(item_ids.ok() && board_ids.ok()) << text(item_ids) << text(board_ids);
  ASSERT_EQ(board_ids->size(), 2u);
  EXPECT_LT((*board_ids)[0], (*board_ids)[1]);
  ids_.add("Item", item.key, (*item_ids)[0]);
  ids_.add("Board", board.key, (*board_ids)[0]);
  auto ir = row_from_entity(*store_->table("Item"), item, ids_.resolver());
  auto br = row_from_entity(*store_->table("Board"), board, ids_.resolver());
  ASSERT_TRUE(ir.ok() && br.ok());
  EXPECT_TRUE(ir->pending.empty());
  EXPECT_TRUE(br->pending.empty());
  // The item goes first and refers to a board row that does not exist yet.
  ASSERT_TRUE(store_->insert_with_ids("Item", *item_ids, std::vector<Row>{ir->row}).ok());
  // A plain insert never takes a reserved id.
  const std::int64_t plain = put(*store_, entity("Board", board_doc(7)));
  EXPECT_NE(plain, (*board_ids)[0]);
  EXPECT_NE(plain, (*board_ids)[1]);
  ASSERT_TRUE(store_->insert_with_ids("Board", std::span(board_ids->data(), 1), std::vector<Row>{br->row}).ok());
  EXPECT_TRUE(contains(text(store_->insert_with_ids("Board", *board_ids, std::vector<Row>{br->row})),
                       "2 ids for 1 rows"));
  ASSERT_TRUE(store_->rollback().ok());  // that mistake poisoned the transaction; do it again properly

  ids_ = IdMap{};
  ASSERT_TRUE(store_->begin_write().ok());
  for (const char* kind : {"Folder", "Account"})
    ASSERT_TRUE(store_->scan_keys(kind, [&](std::int64_t id, Key k) {
      ids_.add(kind, k, id);
      return ok_status();
    }).ok());
  item_ids = store_->reserve_ids("Item", 1);
  board_ids = store_->reserve_ids("Board", 1);
  ids_.add("Item", item.key, (*item_ids)[0]);
  ids_.add("Board", board.key, (*board_ids)[0]);
  ir = row_from_entity(*store_->table("Item"), item, ids_.resolver());
  br = row_from_entity(*store_->table("Board"), board, ids_.resolver());
  ASSERT_TRUE(store_->insert_with_ids("Item", *item_ids, std::vector<Row>{ir->row}).ok());
  ASSERT_TRUE(store_->insert_with_ids("Board", *board_ids, std::vector<Row>{br->row}).ok());
  auto st = store_->commit();
  ASSERT_TRUE(st.ok()) << text(st);
  auto items = read_all(*store_, "Item");
  auto boards = read_all(*store_, "Board");
  ASSERT_EQ(items.size(), 1u);
  ASSERT_EQ(boards.size(), 1u);
  EXPECT_EQ(canonical(items[0]), canonical(item));
  EXPECT_EQ(canonical(boards[0]), canonical(board));
  EXPECT_TRUE(contains(text(store_->reserve_ids("Item", 1)), "outside a transaction"));
}

TEST_P(StoreTest, ADanglingReferenceFailsAtCommitAndWritesNothing) {
  ASSERT_TRUE(store_->begin_write().ok());
  put(*store_, entity("Folder", folder_doc(1)));
  put(*store_, entity("Account", account_doc("ann@example.com")));
  ASSERT_TRUE(store_->commit().ok());
  const Dump before = dump(*store_);

  ASSERT_TRUE(store_->begin_write().ok());
  put(*store_, entity("Folder", folder_doc(2)));
  const TableDesc& t = *store_->table("Item");
  auto r = row_from_entity(t, entity("Item", item_doc(1, 1, "ann@example.com")), ids_.resolver());
  r->row[t.member_column("folder")] = SqlValue(std::int64_t{424242});  // no such folder
  auto id = store_->insert("Item", r->row);
  ASSERT_TRUE(id.ok()) << "deferred: the insert itself succeeds; " << text(id);
  const std::string msg = text(store_->commit());
  EXPECT_TRUE(contains(msg, "commit refused, nothing was written")) << msg;
  EXPECT_TRUE(contains(msg, "mp_item")) << msg;
  EXPECT_TRUE(contains(msg, "folder")) << msg;
  EXPECT_TRUE(contains(msg, "424242")) << msg;
  if (GetParam() != Engine::postgres) {
    EXPECT_TRUE(contains(msg, "'" + eid(1, 'i') + "'")) << msg;  // SQLite's and MySQL's messages name the row's key too
  }
  EXPECT_EQ(store_->transaction(), TxState::none);
  EXPECT_EQ(dump(*store_), before);
  // The store takes new writes afterwards.
  ASSERT_TRUE(store_->begin_write().ok());
  put(*store_, entity("Folder", folder_doc(3)));
  EXPECT_TRUE(store_->commit().ok());
}

// References broken by an update or a delete are caught at commit too, on
// every engine (MySQL checks what the transaction touched: a reference it
// rewrote, a row others pointed at that it deleted).
TEST_P(StoreTest, AnUpdateOrADeleteThatLeavesADanglingReferenceFailsAtCommit) {
  ASSERT_TRUE(store_->begin_write().ok());
  put(*store_, entity("Folder", folder_doc(1)));
  put(*store_, entity("Folder", folder_doc(2)));
  put(*store_, entity("Account", account_doc("ann@example.com")));
  const std::int64_t item = put(*store_, entity("Item", item_doc(1, 1, "ann@example.com")));
  ASSERT_TRUE(store_->commit().ok());
  const Dump before = dump(*store_);
  const TableDesc& t = *store_->table("Item");

  ASSERT_TRUE(store_->begin_write().ok());
  ASSERT_TRUE(store_->update_column("Item", item, t.member_column("folder"), SqlValue(std::int64_t{777})).ok());
  std::string msg = text(store_->commit());
  EXPECT_TRUE(contains(msg, "commit refused, nothing was written")) << msg;
  EXPECT_TRUE(contains(msg, "777")) << msg;
  EXPECT_EQ(dump(*store_), before);

  ASSERT_TRUE(store_->begin_write().ok());
  ASSERT_TRUE(store_->remove("Folder", ids_.ids[{"Folder", Key{eid(1, 'f')}}]).ok());
  msg = text(store_->commit());
  EXPECT_TRUE(contains(msg, "commit refused, nothing was written")) << msg;
  EXPECT_TRUE(contains(msg, "folder")) << msg;
  EXPECT_EQ(dump(*store_), before);

  // Deleting a row nobody refers to is fine.
  ASSERT_TRUE(store_->begin_write().ok());
  ASSERT_TRUE(store_->remove("Folder", ids_.ids[{"Folder", Key{eid(2, 'f')}}]).ok());
  ASSERT_TRUE(store_->commit().ok());
  EXPECT_EQ(*store_->count("Folder"), 1);
}

// Bulk reference checks (a load into an empty store): PostgreSQL stops its
// per-row foreign key triggers and checks every reference at commit in one
// query per column; a dangling one still refuses the commit, now naming the
// row's key too, and nothing is written. SQLite keeps its per-row checks;
// MySQL always checks at commit (InnoDB has no deferred foreign keys).
TEST_P(StoreTest, BulkReferenceChecksStillRefuseADanglingReference) {
  ASSERT_TRUE(store_->begin_write().ok());
  auto bulk = store_->check_references_in_bulk();
  ASSERT_TRUE(bulk.ok()) << text(bulk);
  // tests/run's PostgreSQL user is a superuser; SQLite never switches.
  EXPECT_EQ(*bulk, GetParam() != Engine::sqlite);
  put(*store_, entity("Folder", folder_doc(1)));
  put(*store_, entity("Account", account_doc("ann@example.com")));
  put(*store_, entity("Item", item_doc(1, 1, "ann@example.com")));
  ASSERT_TRUE(store_->commit().ok());  // every reference resolves
  const Dump before = dump(*store_);

  ASSERT_TRUE(store_->begin_write().ok());
  ASSERT_TRUE(store_->check_references_in_bulk().ok());
  const TableDesc& t = *store_->table("Item");
  auto r = row_from_entity(t, entity("Item", item_doc(2, 1, "ann@example.com")), ids_.resolver());
  r->row[t.member_column("folder")] = SqlValue(std::int64_t{424242});  // no such folder
  ASSERT_TRUE(store_->insert("Item", r->row).ok());
  const std::string msg = text(store_->commit());
  EXPECT_TRUE(contains(msg, "commit refused, nothing was written")) << msg;
  EXPECT_TRUE(contains(msg, "mp_item")) << msg;
  EXPECT_TRUE(contains(msg, "folder")) << msg;
  EXPECT_TRUE(contains(msg, "424242")) << msg;
  EXPECT_TRUE(contains(msg, "'" + eid(2, 'i') + "'")) << msg;
  EXPECT_EQ(store_->transaction(), TxState::none);
  EXPECT_EQ(dump(*store_), before);
  if (GetParam() != Engine::sqlite) {
    EXPECT_TRUE(contains(msg, "dangling references")) << msg;  // the bulk check's words
  }
  // The next transaction checks row by row again (the setting was local):
  // PostgreSQL's own foreign key trigger refuses it.
  ASSERT_TRUE(store_->begin_write().ok());
  ASSERT_TRUE(store_->insert("Item", r->row).ok());
  const std::string again = text(store_->commit());
  EXPECT_TRUE(contains(again, "commit refused, nothing was written")) << again;
  if (GetParam() == Engine::postgres) {
    EXPECT_FALSE(contains(again, "dangling references")) << again;
  }
  EXPECT_EQ(dump(*store_), before);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, ::testing::ValuesIn(metaport::testing::engines()),
                         metaport::testing::EngineParamName());

}  // namespace
