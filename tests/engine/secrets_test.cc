// Secrets at every depth, on SQLite and PostgreSQL: a redacted dump loaded
// with --mode update keeps every secret the store knows (nested structs,
// optional structs, lists of structs matched by content, map values, the top
// level); a secret that arrives redacted for a new entity gets no value (null
// in the store, never the marker) and the report lists it; a secret in clear
// in a dump that does not say --keep-secrets is a warning naming file, line
// and path, never the value.
#include <gtest/gtest.h>

#include <fstream>

#include "runtime/engine/sealed_secrets.hpp"
#include "runtime/store/nested_secrets.hpp"
#include "tests/engine/engine_test_util.hpp"
#include "tests/engine/vault_schema.hpp"

namespace metaport::testing {
namespace {

using format::Format;

const SchemaInfo& vault_schema() {
  static const SchemaInfo s = make_schema_info<vault::Schema>();
  return s;
}

Value J(const std::string& s) { return parse_json(s); }

const char* kClear = R"({"name": "warehouse", "description": "the analytics warehouse",
  "connection": {"host": "pg.internal", "port": 5432, "user": "metabase", "password": "s3cr3t-pg", "ssl_key": "k-1"},
  "replica": {"host": "pg-ro.internal", "port": 5432, "user": "ro", "password": "r3plica"},
  "credentials": [{"name": "ci", "token": "t-ci"}, {"name": "bi", "token": "t-bi"}],
  "headers": {"X-Auth": "h-1", "X-Org": "h-2"},
  "api_key": "api-1"})";

// What a default (redacted) dump of kClear looks like.
const char* kRedactedDoc = R"({"name": "warehouse", "description": "the analytics warehouse",
  "connection": {"host": "pg.internal", "port": 5432, "user": "metabase", "password": "**redacted**", "ssl_key": "**redacted**"},
  "replica": {"host": "pg-ro.internal", "port": 5432, "user": "ro", "password": "**redacted**"},
  "credentials": [{"name": "ci", "token": "**redacted**"}, {"name": "bi", "token": "**redacted**"}],
  "headers": {"X-Auth": "**redacted**", "X-Org": "**redacted**"},
  "api_key": "**redacted**"})";

const std::vector<std::string> kSecretValues = {"s3cr3t-pg", "k-1", "r3plica", "t-ci", "t-bi", "h-1", "h-2", "api-1"};

class SecretsTest : public ::testing::TestWithParam<Engine> {
 protected:
  TempDir dir;
  FreshStore store{GetParam()};

  std::string dump_file(const std::string& name, const Value& doc, bool kept) {
    const std::string path = dir / name;
    write_dump(vault_schema(), path, {{"Service", doc}}, Format::jsonl, -1, kept);
    return path;
  }
  engine::LoadReport load(const std::string& path, engine::Mode mode = engine::Mode::skip) {
    engine::LoadOptions o;
    o.mode = mode;
    return load_path(store.url(), vault_schema(), path, o);
  }
  // The stored entity as a dump would show it with --keep-secrets.
  Value stored_doc() {
    engine::DumpOptions o;
    o.keep_secrets = true;
    const std::string text = dump_text(store.url(), vault_schema(), Format::jsonl, dir / "check.jsonl", o);
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      Value v = J(line);
      if (const Value* e = v.find("entity")) return *e;
    }
    ADD_FAILURE() << "no entity in\n" << text;
    return Value();
  }
  // The raw row: every column's text, as any SQL client would read it.
  std::string raw_row() {
    auto st = open_store(store.url(), vault_schema(), false);
    auto id = st->lookup("Service", Key("warehouse"));
    EXPECT_TRUE(id.ok() && id->has_value());
    auto row = st->fetch("Service", **id);
    EXPECT_TRUE(row.ok() && row->has_value());
    std::string out;
    for (const auto& c : **row) out += c.debug_string() + "\n";
    return out;
  }
  store::SqlValue raw_column(const std::string& name) {
    auto st = open_store(store.url(), vault_schema(), false);
    auto id = st->lookup("Service", Key("warehouse"));
    auto row = st->fetch("Service", **id);
    const std::size_t c = st->table("Service")->column_index(name);
    EXPECT_NE(c, store::TableDesc::npos) << name;
    return (**row)[c];
  }
};

std::string secret_at(const Value& doc, std::initializer_list<PathSeg> path) {
  const Value* v = &doc;
  for (const auto& seg : path) {
    if (!v) return "<missing>";
    if (auto* k = std::get_if<std::string>(&seg)) v = v->find(*k);
    else v = std::get<std::size_t>(seg) < v->size() ? &v->as_array()[std::get<std::size_t>(seg)] : nullptr;
  }
  if (!v) return "<missing>";
  return v->is_string() ? v->as_string() : json::write(*v);
}

TEST_P(SecretsTest, TheKindWithNestedSecretsListsItsUnknownOnesInItsOwnColumn) {
  auto tables = store::tables_for(vault_schema());
  ASSERT_TRUE(tables.ok());
  const store::TableDesc& t = (*tables)[0];
  ASSERT_NE(t.redacted_paths, store::TableDesc::npos);
  EXPECT_EQ(t.columns[t.redacted_paths].name, "mp_redacted_paths");
  EXPECT_EQ(t.members_end(), t.redacted_paths);
}

TEST_P(SecretsTest, ARedactedUpdateKeepsEverySecretTheStoreKnows) {
  auto first = load(dump_file("clear.jsonl", J(kClear), /*kept=*/true));
  ASSERT_EQ(first.failed(), 0u) << first.text();
  EXPECT_TRUE(first.warnings.empty()) << first.text();
  EXPECT_TRUE(first.secrets_unknown.empty()) << first.text();

  // A reviewer edits the redacted dump: a new description, the credentials
  // reordered, one credential added (its token unknown: redacted).
  Value edited = J(kRedactedDoc);
  edited.set("description", "the warehouse, read-only for BI");
  edited.set("credentials", J(R"([{"name": "bi", "token": "**redacted**"}, {"name": "ci", "token": "**redacted**"},
                                  {"name": "etl", "token": "**redacted**"}])"));
  auto rep = load(dump_file("edited.jsonl", edited, false), engine::Mode::update);
  ASSERT_EQ(rep.failed(), 0u) << rep.text();
  EXPECT_EQ(total(rep, &engine::KindCounts::updated), 1u) << rep.text();
  ASSERT_EQ(rep.secrets_unknown.size(), 1u) << rep.text();
  EXPECT_EQ(rep.secrets_unknown[0], "Service warehouse: credentials[2].token");
  EXPECT_NE(rep.text().find("1 secrets arrived redacted and have no value"), std::string::npos) << rep.text();

  const Value doc = stored_doc();
  EXPECT_EQ(secret_at(doc, {std::string("description")}), "the warehouse, read-only for BI");
  EXPECT_EQ(secret_at(doc, {std::string("connection"), std::string("password")}), "s3cr3t-pg");
  EXPECT_EQ(secret_at(doc, {std::string("connection"), std::string("ssl_key")}), "k-1");
  EXPECT_EQ(secret_at(doc, {std::string("replica"), std::string("password")}), "r3plica");
  // Matched by content, not position: each token stays with its credential.
  EXPECT_EQ(secret_at(doc, {std::string("credentials"), std::size_t{0}, std::string("name")}), "bi");
  EXPECT_EQ(secret_at(doc, {std::string("credentials"), std::size_t{0}, std::string("token")}), "t-bi");
  EXPECT_EQ(secret_at(doc, {std::string("credentials"), std::size_t{1}, std::string("token")}), "t-ci");
  EXPECT_EQ(secret_at(doc, {std::string("credentials"), std::size_t{2}, std::string("token")}), "**redacted**");
  EXPECT_EQ(secret_at(doc, {std::string("headers"), std::string("X-Auth")}), "h-1");
  EXPECT_EQ(secret_at(doc, {std::string("headers"), std::string("X-Org")}), "h-2");
  EXPECT_EQ(secret_at(doc, {std::string("api_key")}), "api-1");

  // The unknown token is null in the row and listed by path; no marker is data.
  const std::string raw = raw_row();
  EXPECT_EQ(raw.find("**redacted**"), std::string::npos) << raw;
  const store::SqlValue paths = raw_column("mp_redacted_paths");
  ASSERT_TRUE(paths.is_text()) << paths.debug_string();
  EXPECT_EQ(paths.as_text(), R"([["credentials",2,"token"]])");
}

TEST_P(SecretsTest, ARedactedDumpOfUnchangedContentChangesNothing) {
  ASSERT_EQ(load(dump_file("clear.jsonl", J(kClear), true)).failed(), 0u);
  auto rep = load(dump_file("same.jsonl", J(kRedactedDoc), false), engine::Mode::update);
  ASSERT_EQ(rep.failed(), 0u) << rep.text();
  EXPECT_EQ(total(rep, &engine::KindCounts::skipped), 1u) << rep.text();
  EXPECT_EQ(total(rep, &engine::KindCounts::updated), 0u) << rep.text();
  EXPECT_EQ(secret_at(stored_doc(), {std::string("connection"), std::string("password")}), "s3cr3t-pg");
}

TEST_P(SecretsTest, ANewEntityWithRedactedSecretsGetsNoValueAndTheReportSaysSo) {
  auto rep = load(dump_file("redacted.jsonl", J(kRedactedDoc), false));
  ASSERT_EQ(rep.failed(), 0u) << rep.text();
  EXPECT_EQ(total(rep, &engine::KindCounts::created), 1u);
  std::vector<std::string> want = {"Service warehouse: api_key",
                                   "Service warehouse: connection.password",
                                   "Service warehouse: connection.ssl_key",
                                   "Service warehouse: replica.password",
                                   "Service warehouse: credentials[0].token",
                                   "Service warehouse: credentials[1].token",
                                   "Service warehouse: headers.X-Auth",
                                   "Service warehouse: headers.X-Org"};
  std::vector<std::string> got = rep.secrets_unknown;
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, want) << rep.text();
  const std::string raw = raw_row();
  EXPECT_EQ(raw.find("**redacted**"), std::string::npos) << raw;  // never the marker as data
  // Unknown, not empty: even --keep-secrets shows the marker.
  const Value unknown = stored_doc();
  EXPECT_EQ(secret_at(unknown, {std::string("connection"), std::string("password")}), "**redacted**");
  EXPECT_EQ(secret_at(unknown, {std::string("headers"), std::string("X-Org")}), "**redacted**");
  EXPECT_EQ(secret_at(unknown, {std::string("api_key")}), "**redacted**");

  // A dump with the secrets then sets them all.
  auto full = load(dump_file("clear.jsonl", J(kClear), true), engine::Mode::update);
  ASSERT_EQ(full.failed(), 0u) << full.text();
  EXPECT_TRUE(full.secrets_unknown.empty()) << full.text();
  const Value known = stored_doc();
  EXPECT_EQ(secret_at(known, {std::string("connection"), std::string("password")}), "s3cr3t-pg");
  EXPECT_EQ(secret_at(known, {std::string("credentials"), std::size_t{1}, std::string("token")}), "t-bi");
  EXPECT_TRUE(raw_column("mp_redacted_paths").is_null()) << raw_column("mp_redacted_paths").debug_string();
}

TEST_P(SecretsTest, ASecretInClearWithoutKeepSecretsIsAWarningThatNeverShowsIt) {
  Value pasted = J(kRedactedDoc);
  pasted.find("connection")->set("password", "pasted-by-hand");
  pasted.find("credentials")->as_array()[1].set("token", "also-pasted");
  const std::string path = dump_file("pasted.jsonl", pasted, /*kept=*/false);

  auto st = open_store(store.url(), vault_schema());
  auto reader = format::open_dump(path, vault_schema());
  ASSERT_TRUE(reader.ok());
  engine::LoadOptions o;
  auto v = engine::validate(st.get(), vault_schema(), **reader, o);
  ASSERT_TRUE(v.ok()) << v.errors().to_string();
  ASSERT_EQ(v->warnings.size(), 2u) << v->text();
  EXPECT_EQ(v->warnings[0].path, "connection.password");
  EXPECT_EQ(v->warnings[1].path, "credentials[1].token");
  EXPECT_EQ(v->warnings[0].file, path);
  EXPECT_GT(v->warnings[0].mark.line, 0u);
  const std::string text = v->text() + json::write(v->json());
  EXPECT_NE(text.find("a secret in clear"), std::string::npos) << text;
  EXPECT_EQ(text.find("pasted-by-hand"), std::string::npos) << text;
  EXPECT_EQ(text.find("also-pasted"), std::string::npos) << text;

  // A load warns the same way (and loads); a dump written with
  // --keep-secrets carries the same values without a warning.
  auto rep = load(path);
  EXPECT_EQ(rep.warnings.size(), 2u) << rep.text();
  auto kept = load(dump_file("kept.jsonl", pasted, /*kept=*/true), engine::Mode::update);
  EXPECT_TRUE(kept.warnings.empty()) << kept.text();
}

TEST_P(SecretsTest, DumpsSayWhetherTheyKeptSecretsAndNoSecretLeaksWithoutIt) {
  ASSERT_EQ(load(dump_file("clear.jsonl", J(kClear), true)).failed(), 0u);
  for (Format f : {Format::jsonl, Format::yaml, Format::tree}) {
    const std::string name = std::string("out-") + std::string(format::format_name(f));
    const std::string redacted = dump_text(store.url(), vault_schema(), f, dir / (name + ".r"));
    for (const auto& s : kSecretValues) EXPECT_EQ(redacted.find(s), std::string::npos) << s << " in\n" << redacted;
    EXPECT_EQ(redacted.find("secrets:"), std::string::npos) << redacted;
    engine::DumpOptions o;
    o.keep_secrets = true;
    const std::string clear = dump_text(store.url(), vault_schema(), f, dir / (name + ".k"), o);
    for (const auto& s : kSecretValues) EXPECT_NE(clear.find(s), std::string::npos) << s;
    auto reader = format::open_dump(dir / (name + ".k"), vault_schema());
    ASSERT_TRUE(reader.ok()) << reader.errors().to_string();
    EXPECT_TRUE((*reader)->header().secrets_kept) << format::format_name(f);
  }
}

engine::SecretsKey key_of(const std::string& text) {
  auto k = engine::SecretsKey::from_text(text, "test key");
  if (!k) throw std::runtime_error(k.errors().to_string());
  return *k;
}
const std::string kKeyA = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kKeyB = "c2VjcmV0cy1rZXktQi1mb3ItbWV0YXBvcnQtdGVzdHM=";  // base64 of 32 bytes

TEST_P(SecretsTest, SealedSecretsRoundTripAndStayByteIdentical) {
  ASSERT_EQ(load(dump_file("clear.jsonl", J(kClear), true)).failed(), 0u);
  const engine::SecretsKey key = key_of(kKeyA);
  engine::DumpOptions o;
  o.seal = &key;
  const std::string a = dump_text(store.url(), vault_schema(), Format::jsonl, dir / "sealed-a.jsonl", o);
  const std::string b = dump_text(store.url(), vault_schema(), Format::jsonl, dir / "sealed-b.jsonl", o);
  EXPECT_EQ(a, b) << "sealing must be deterministic (no phantom diffs)";
  for (const auto& s : kSecretValues) EXPECT_EQ(a.find(s), std::string::npos) << s << " in\n" << a;
  EXPECT_NE(a.find("\"secrets\":\"sealed\",\"secrets_key\":\"" + key.id() + "\""), std::string::npos) << a;
  EXPECT_NE(a.find("sealed:v1:"), std::string::npos);
  // The same secret at another place seals differently (bound to its place).
  const Value doc = J(a.substr(a.find('\n') + 1, a.find('\n', a.find('\n') + 1) - a.find('\n') - 1));
  EXPECT_NE(secret_at(*doc.find("entity"), {std::string("headers"), std::string("X-Auth")}),
            secret_at(*doc.find("entity"), {std::string("headers"), std::string("X-Org")}));

  // Into a new store with the key: every secret back.
  FreshStore fresh(GetParam(), "fresh");
  engine::LoadOptions lo;
  lo.secrets_key = &key;
  auto rep = load_path(fresh.url(), vault_schema(), dir / "sealed-a.jsonl", lo);
  ASSERT_EQ(rep.failed(), 0u) << rep.text();
  EXPECT_TRUE(rep.secrets_unknown.empty()) << rep.text();
  EXPECT_TRUE(rep.warnings.empty()) << rep.text();
  engine::DumpOptions keep;
  keep.keep_secrets = true;
  EXPECT_EQ(dump_text(fresh.url(), vault_schema(), Format::jsonl, dir / "f.jsonl", keep),
            dump_text(store.url(), vault_schema(), Format::jsonl, dir / "s.jsonl", keep));
}

TEST_P(SecretsTest, SealedSecretsWithoutTheKeyKeepTheTargetsValues) {
  ASSERT_EQ(load(dump_file("clear.jsonl", J(kClear), true)).failed(), 0u);
  const engine::SecretsKey key = key_of(kKeyA);
  engine::DumpOptions o;
  o.seal = &key;
  const std::string text = dump_text(store.url(), vault_schema(), Format::jsonl, dir / "sealed.jsonl", o);
  // An edit in the sealed dump, loaded without the key: the store keeps its secrets.
  std::string edited = text;
  const std::string from = "the analytics warehouse";
  edited.replace(edited.find(from), from.size(), "the warehouse (EU)");
  std::ofstream(dir / "edited.jsonl", std::ios::binary) << edited;
  auto rep = load(dir / "edited.jsonl", engine::Mode::update);
  ASSERT_EQ(rep.failed(), 0u) << rep.text();
  EXPECT_EQ(total(rep, &engine::KindCounts::updated), 1u) << rep.text();
  EXPECT_NE(rep.text().find("sealed secrets read without --secrets-key: the store keeps the values it has"),
            std::string::npos)
      << rep.text();
  const Value doc = stored_doc();
  EXPECT_EQ(secret_at(doc, {std::string("description")}), "the warehouse (EU)");
  EXPECT_EQ(secret_at(doc, {std::string("connection"), std::string("password")}), "s3cr3t-pg");
  EXPECT_EQ(secret_at(doc, {std::string("api_key")}), "api-1");
}

TEST_P(SecretsTest, AWrongKeyIsRefusedByNameAndAnAlteredValueByPath) {
  ASSERT_EQ(load(dump_file("clear.jsonl", J(kClear), true)).failed(), 0u);
  const engine::SecretsKey a = key_of(kKeyA), b = key_of(kKeyB);
  EXPECT_NE(a.id(), b.id());
  engine::DumpOptions o;
  o.seal = &a;
  const std::string text = dump_text(store.url(), vault_schema(), Format::jsonl, dir / "sealed.jsonl", o);

  FreshStore fresh(GetParam(), "fresh");
  engine::LoadOptions lo;
  lo.secrets_key = &b;
  auto st = open_store(fresh.url(), vault_schema());
  auto reader = format::open_dump(dir / "sealed.jsonl", vault_schema());
  ASSERT_TRUE(reader.ok());
  auto wrong = engine::load(*st, vault_schema(), **reader, lo);
  ASSERT_FALSE(wrong.ok());
  const std::string msg = wrong.errors().to_string();
  EXPECT_NE(msg.find("sealed with key " + a.id() + ", and --secrets-key gives key " + b.id()), std::string::npos) << msg;

  // A sealed value copied onto another field does not open there.
  Value rec = J(text.substr(text.find('\n') + 1, text.find('\n', text.find('\n') + 1) - text.find('\n') - 1));
  Value entity = *rec.find("entity");
  const std::string api = entity.find("api_key")->as_string();
  entity.find("connection")->set("password", api);
  std::string moved_path = dir / "moved.jsonl";
  {
    format::DumpHeader h;
    auto w = format::make_stream_writer(Format::jsonl, moved_path);
    h.schema = "vault";
    h.version = 1;
    h.secrets_key = a.id();
    ASSERT_TRUE((*w)->begin(h).ok());
    Entity e;
    e.kind = vault_schema().find("Service");
    ASSERT_TRUE((*w)->write(e, entity).ok());
    ASSERT_TRUE((*w)->finish({{"Service", 1}}).ok());
  }
  lo.secrets_key = &a;
  auto moved = load_path(fresh.url(), vault_schema(), moved_path, lo);
  ASSERT_EQ(moved.failed(), 1u) << moved.text();
  const std::string t = moved.text();
  EXPECT_NE(t.find("connection.password: cannot open this sealed secret with key " + a.id()), std::string::npos) << t;
  for (const auto& s : kSecretValues) EXPECT_EQ(t.find(s), std::string::npos) << s;
}

TEST(SecretsKey, KeyFilesAreHexOrBase64Of32BytesAndNothingElse) {
  EXPECT_TRUE(engine::SecretsKey::from_text(kKeyA + "\n", "k").ok());
  EXPECT_TRUE(engine::SecretsKey::from_text(kKeyB, "k").ok());
  EXPECT_EQ(key_of(kKeyA).id(), key_of(" " + kKeyA + "\n").id());
  auto bad = engine::SecretsKey::from_text("hunter2", "--secrets-key k.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.errors().to_string().find("--secrets-key k.txt: a secrets key is 32 bytes"), std::string::npos);
  EXPECT_EQ(bad.errors().to_string().find("hunter2"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, SecretsTest, ::testing::ValuesIn(engines()), EngineParamName());

}  // namespace
}  // namespace metaport::testing
