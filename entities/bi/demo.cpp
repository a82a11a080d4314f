// `metaport demo`: the main job, end to end, on SQLite (docs/demo.md).
// Every step checks what the product did and the demo fails loudly (exit 1)
// when a tree, a count or a report is not what it must be.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "entities/bi/demo_diff.hpp"
#include "entities/bi/extras.hpp"
#include "entities/bi/seed.hpp"
#include "entities/bi/seed_util.hpp"
#include "entities/bi/schema.hpp"
#include "runtime/api/db.hpp"
#include "runtime/engine/dump.hpp"
#include "runtime/engine/load.hpp"
#include "runtime/format/dump_format.hpp"
#include "runtime/store/store.hpp"
#include "runtime/sync/git.hpp"
#include "runtime/sync/sync.hpp"

namespace bi {
namespace {

namespace fs = std::filesystem;
using metaport::Status;
using metaport::Value;
using Clock = std::chrono::steady_clock;

constexpr const char* kMarker = ".metaport-demo";  // what makes a folder safe to recreate

struct Failed {
  std::string message;
};

class Demo {
 public:
  Demo(const metaport::SchemaInfo& schema, fs::path dir) : schema_(schema), dir_(std::move(dir)) {}

  int run();

 private:
  std::string url(const char* db) const { return "sqlite://" + (dir_ / db).string(); }
  // Without a trailing slash: the tree writer puts its temporary folder
  // beside the path it is given.
  std::string at(const char* sub) const { return (dir_ / sub).string(); }
  double lap() {
    const auto now = Clock::now();
    const double s = std::chrono::duration<double>(now - mark_).count();
    mark_ = now;
    return s;
  }
  void step(int n, const std::string& what, const std::string& result) {
    std::printf("%d. %-21s %s  (%.2f s)\n", n, what.c_str(), result.c_str(), lap());
    std::fflush(stdout);
  }
  static void check(const Status& s, const std::string& doing) {
    if (!s.ok()) throw Failed{doing + ":\n" + s.errors().to_string()};
  }
  template <class T>
  static T take(metaport::Result<T> r, const std::string& doing) {
    if (!r.ok()) throw Failed{doing + ":\n" + r.errors().to_string()};
    return std::move(r.value());
  }

  std::unique_ptr<metaport::store::Store> open(const std::string& u);
  metaport::engine::LoadReport load(metaport::store::Store& st, const std::string& in, metaport::engine::Mode mode);
  std::size_t dump(metaport::store::Store& st, const std::string& out);
  std::string write_jsonl(const std::string& path, const std::vector<std::pair<std::string, Value>>& docs);
  std::map<std::string, std::string> tree(const std::string& dir) { return take(demo_diff::read_tree(dir), "reading " + dir); }
  void git_leg(metaport::store::Store& staging, metaport::store::Store& production, Value card, std::size_t dumped);

  // A git sync command run in-process; its output, captured.
  struct Captured {
    int rc = 0;
    std::string out, err;
    // The first line of out starting with `prefix` ("" if none).
    std::string line(std::string_view prefix) const {
      for (std::size_t start = 0; start < out.size();) {
        std::size_t end = out.find('\n', start);
        if (end == std::string::npos) end = out.size();
        if (out.compare(start, prefix.size(), prefix) == 0) return out.substr(start, end - start);
        start = end + 1;
      }
      return {};
    }
  };
  template <class F>
  Captured run_sync(const std::string& doing, F&& f) {
    char *o = nullptr, *e = nullptr;
    std::size_t on = 0, en = 0;
    std::FILE* out = open_memstream(&o, &on);
    std::FILE* err = open_memstream(&e, &en);
    metaport::sync::Sync s(schema_, out, err);
    s.set_cache_dir((dir_ / "git-cache").string());
    Captured c;
    c.rc = f(s);
    std::fclose(out);
    std::fclose(err);
    c.out.assign(o, on);
    c.err.assign(e, en);
    std::free(o);
    std::free(e);
    if (c.rc != 0) throw Failed{doing + " (exit " + std::to_string(c.rc) + "):\n" + c.out + c.err};
    return c;
  }

  const metaport::SchemaInfo& schema_;
  fs::path dir_;
  Clock::time_point mark_ = Clock::now();
};

std::unique_ptr<metaport::store::Store> Demo::open(const std::string& u) {
  metaport::store::OpenOptions o;
  o.create = true;
  auto st = take(metaport::store::open_store(u, o), "opening " + u);
  check(st->create_schema(schema_), "creating the " + schema_.name + " tables in " + u);
  return st;
}

metaport::engine::LoadReport Demo::load(metaport::store::Store& st, const std::string& in, metaport::engine::Mode mode) {
  auto reader = take(metaport::format::open_dump(in, schema_), "reading " + in);
  metaport::engine::LoadOptions o;
  o.mode = mode;
  auto report = take(metaport::engine::load(st, schema_, *reader, o), "loading " + in + " into " + st.display_url());
  if (report.failed() || !report.committed)
    throw Failed{"loading " + in + " into " + st.display_url() + " failed:\n" + report.text()};
  return report;
}

std::size_t Demo::dump(metaport::store::Store& st, const std::string& out) {
  auto writer = take(metaport::format::make_tree_writer(out, schema_.layout()), "writing " + out);
  auto r = take(metaport::engine::dump(st, schema_, *writer, {}), "dumping " + st.display_url() + " to " + out);
  std::size_t n = 0;
  for (const auto& [kind, count] : r.counts) n += count;
  return n;
}

std::string Demo::write_jsonl(const std::string& path, const std::vector<std::pair<std::string, Value>>& docs) {
  auto w = take(metaport::format::make_stream_writer(metaport::format::Format::jsonl, path), "writing " + path);
  metaport::format::DumpHeader h;
  h.schema = schema_.name;
  h.version = schema_.version;
  check(w->begin(h), "writing " + path);
  metaport::format::Counts counts;
  metaport::Entity e;
  for (const auto& [kind, doc] : docs) {
    e.kind = schema_.find(kind);
    if (!e.kind) throw Failed{"the sample has a kind the schema does not know: " + kind};
    ++counts[kind];
    check(w->write(e, doc), "writing " + path);
  }
  check(w->finish(counts), "writing " + path);
  return path;
}

std::size_t sum(const metaport::engine::LoadReport& r, std::size_t metaport::engine::KindCounts::*member) {
  std::size_t n = 0;
  for (const auto& [kind, c] : r.kinds) n += c.*member;
  return n;
}

// The load report's table, reduced to the kinds where something happened
// besides skipping, and the total.
std::string changes_table(const metaport::engine::LoadReport& r) {
  std::string out;
  char line[160];
  std::snprintf(line, sizeof line, "%-20s %8s %8s %8s %8s\n", "kind", "created", "updated", "skipped", "failed");
  out += line;
  metaport::engine::KindCounts t;
  for (const auto& [kind, c] : r.kinds) {
    t.created += c.created;
    t.updated += c.updated;
    t.skipped += c.skipped;
    t.failed += c.failed;
    if (c.created + c.updated + c.failed == 0) continue;
    std::snprintf(line, sizeof line, "%-20s %8zu %8zu %8zu %8zu\n", kind.c_str(), c.created, c.updated, c.skipped, c.failed);
    out += line;
  }
  std::snprintf(line, sizeof line, "%-20s %8zu %8zu %8zu %8zu\n", "total", t.created, t.updated, t.skipped, t.failed);
  return out + line;
}

std::string indent(const std::string& text, const std::string& pad) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += pad + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

int Demo::run() {
  using metaport::engine::Mode;
  using metaport::engine::LoadReport;
  using metaport::engine::KindCounts;
  std::printf("metaport demo: schema %s v%d, SQLite stores in %s/\n\n", schema_.name.c_str(), schema_.version,
              dir_.string().c_str());

  // 1. Seed staging, keeping the two documents step 5 changes.
  auto staging = open(url("staging.db"));
  std::vector<std::pair<std::string, Value>> docs;
  std::optional<Value> dashboard, card;
  check(seed(kDefaultSeedSize,
             [&](const std::string& kind, Value doc) -> Status {
               const Value* name = doc.find("name");
               if (name && name->is_string()) {
                 if (kind == "Dashboard" && name->as_string() == seeding::kDemoDashboard) dashboard = doc;
                 if (kind == "Card" && name->as_string() == seeding::kDemoCard) card = doc;
               }
               docs.emplace_back(kind, std::move(doc));
               return metaport::ok_status();
             }),
        "generating the sample");
  if (!dashboard || !card) throw Failed{"the sample has no dashboard or card to change in step 5"};
  const LoadReport seeded = load(*staging, write_jsonl((dir_ / "sample.jsonl").string(), docs), Mode::skip);
  step(1, "seed staging", std::to_string(sum(seeded, &KindCounts::created)) + " entities into " + url("staging.db"));

  // 2. Dump staging to a tree.
  const std::size_t dumped = dump(*staging, at("staging"));
  const std::size_t staging_files = tree(at("staging")).size();
  step(2, "dump staging", std::to_string(dumped) + " entities as " + std::to_string(staging_files) + " files in " + at("staging") + "/");

  // 3. Load the tree into an empty production store.
  auto production = open(url("production.db"));
  const LoadReport first = load(*production, at("staging"), Mode::skip);
  // Users are not dumped (Metabase exports none); the load makes placeholders
  // for the creators the tree names.
  const std::size_t users = first.kinds.count("User") ? first.kinds.at("User").created : 0;
  step(3, "load into production", std::to_string(sum(first, &KindCounts::created) - users) + " entities + " +
                                      std::to_string(users) + " placeholder users into " + url("production.db"));

  // 4. Dump production: the same tree, byte for byte.
  dump(*production, at("production"));
  auto same = demo_diff::compare(tree(at("staging")), tree(at("production")));
  if (!same.identical())
    throw Failed{std::to_string(same.differences()) + " files differ between " + at("staging") + " and " + at("production") +
                 " (first: " + (same.changed.empty() ? (same.only_a.empty() ? same.only_b : same.only_a) : same.changed).front() + ")"};
  step(4, "dump production", std::to_string(same.files_b) + " files in " + at("production") + "/: identical to staging/");

  // 5. Change two things in staging, as a service would, through the typed
  // store API (docs/store-api.md): a dashboard's title, a card's filter value.
  const std::string old_title = dashboard->find("name")->as_string(), new_title = old_title + " (weekly)";
  const std::int64_t new_value = 250;
  std::int64_t old_value = 0;
  {
    auto db = metaport::Db<bi::Schema>::open(url("staging.db"));
    check(db.ok() ? metaport::ok_status() : metaport::Status(db.errors()), "opening staging through the store API");
    check(db->transaction([&](metaport::Db<bi::Schema>& tx) -> metaport::Status {
      auto d = tx.get<bi::Dashboard>(dashboard->find("entity_id")->as_string());
      if (!d) return d.errors();
      if (!*d) return metaport::make_error("the demo dashboard is not in staging");
      (*d)->name = new_title;
      if (auto s = tx.update(**d); !s) return s;
      auto c = tx.get<bi::Card>(card->find("entity_id")->as_string());
      if (!c) return c.errors();
      if (!*c) return metaport::make_error("the demo card is not in staging");
      Value& threshold = (*c)->dataset_query.find("stages")->as_array()[0].find("filters")->as_array()[0].as_array()[3];
      old_value = threshold.as_int();
      threshold = Value(new_value);
      return tx.update(**c);
    }), "changing staging through the store API");
  }
  // The edited documents, for the git leg's own change (step 10).
  dashboard->set("name", new_title);
  card->find("dataset_query")->find("stages")->as_array()[0].find("filters")->as_array()[0].as_array()[3] = Value(new_value);
  step(5, "change staging", "2 updated through the store API: dashboard renamed, card filter " + std::to_string(old_value) + " -> " +
                                std::to_string(new_value));
  std::printf("   Dashboard \"%s\" -> \"%s\"\n   Card \"%s\": ORDERS.TOTAL > %lld -> > %lld\n", old_title.c_str(),
              new_title.c_str(), std::string(seeding::kDemoCard).c_str(), static_cast<long long>(old_value),
              static_cast<long long>(new_value));

  // 6. Dump staging again; production/ still holds the old tree.
  dump(*staging, at("staging"));
  const auto before = tree(at("production")), after = tree(at("staging"));
  auto d = demo_diff::compare(before, after);
  if (d.changed.size() + d.renamed.size() != 2 || !d.only_a.empty() || !d.only_b.empty())
    throw Failed{"the new staging tree should differ from production/ in exactly the 2 changed entities' files, not in " +
                 std::to_string(d.differences())};
  step(6, "dump staging again", std::to_string(d.differences()) + " files differ from production/ (the old tree):");
  std::string diff;
  for (const auto& [a, b] : d.renamed) diff += demo_diff::unified(before.at(a), after.at(b), "production/" + a, "staging/" + b);
  for (const auto& p : d.changed) diff += demo_diff::unified(before.at(p), after.at(p), "production/" + p, "staging/" + p);
  std::printf("%s", indent(diff, "   ").c_str());

  // 7. Carry the change to production.
  const LoadReport update = load(*production, at("staging"), Mode::update);
  const std::size_t updated = sum(update, &KindCounts::updated), created = sum(update, &KindCounts::created),
                    skipped = sum(update, &KindCounts::skipped);
  step(7, "load into production", "--mode update: " + std::to_string(updated) + " updated, " + std::to_string(skipped) +
                                      " skipped, " + std::to_string(created) + " created");
  std::printf("%s", indent(changes_table(update), "   ").c_str());
  if (updated != 2 || created != 0 || skipped + 2 != dumped)
    throw Failed{"the update should have updated exactly the 2 changed entities, skipped the other " +
                 std::to_string(dumped - 2) + " and created nothing"};

  // 8. Production now equals staging.
  dump(*production, at("production"));
  auto end = demo_diff::compare(tree(at("staging")), tree(at("production")));
  if (!end.identical())
    throw Failed{std::to_string(end.differences()) + " files still differ between " + at("staging") + " and " + at("production")};
  step(8, "dump production", std::to_string(end.files_b) + " files in " + at("production") + "/: identical to staging/");

  git_leg(*staging, *production, *card, dumped);
  std::printf("\ndemo OK: staging and production hold the same %zu entities, by tree and by git.\n", dumped);
  return 0;
}

// 9-13: the same promotion through git (docs/sync.md): staging pushes to a
// bare repository in the demo folder, production pulls, and the synced
// content is read-only there.
void Demo::git_leg(metaport::store::Store& staging, metaport::store::Store& production, Value card, std::size_t dumped) {
  namespace sync = metaport::sync;
  const std::string repo = at("content.git");
  check(sync::init_bare_repository(repo), "creating " + repo);
  auto c = run_sync("connecting staging to " + repo, [&](sync::Sync& s) {
    return s.connect(url("staging.db"), {.repo = repo, .mode = "development", .author = "Staging <staging@example.com>"});
  });
  c = run_sync("pushing staging", [&](sync::Sync& s) { return s.push(url("staging.db"), {.message = "Staging content"}); });
  const std::string pushed = c.line("pushed ");
  if (pushed.rfind("pushed " + std::to_string(dumped) + " changes", 0) != 0)
    throw Failed{"the first push should hold the " + std::to_string(dumped) + " entities, it says: " + c.out};
  step(9, "git: staging pushes", pushed.substr(7) + " of " + repo);

  c = run_sync("connecting production", [&](sync::Sync& s) {
    return s.connect(url("production.db"), {.repo = repo, .mode = "production"});
  });
  const std::string in_sync = c.line("main at ");
  if (in_sync.find(std::to_string(dumped) + " identical") == std::string::npos || in_sync.find("in sync at") == std::string::npos)
    throw Failed{"production holds what staging pushed, so connecting should find it in sync: " + c.out};
  step(10, "git: production joins", "production mode, " + std::to_string(dumped) + " entities identical to the branch: " +
                                         in_sync.substr(in_sync.find("in sync at")));

  // A change in staging, reviewed as a git commit.
  Value* filter = card.find("dataset_query")->find("stages")->as_array()[0].find("filters");
  Value& threshold = filter->as_array()[0].as_array()[3];
  const std::int64_t old_value = threshold.as_int(), new_value = 500;
  threshold = Value(new_value);
  load(staging, write_jsonl((dir_ / "change2.jsonl").string(), {{"Card", card}}), metaport::engine::Mode::update);
  c = run_sync("status of staging", [&](sync::Sync& s) { return s.status(url("staging.db"), false); });
  const std::string modified = c.line("  modified ");
  if (c.line("1 local change since").empty() || modified.empty())
    throw Failed{"staging's status should list exactly the changed card: " + c.out};
  c = run_sync("pushing the change", [&](sync::Sync& s) {
    return s.push(url("staging.db"), {.message = "Large orders: over " + std::to_string(new_value)});
  });
  step(11, "git: staging pushes", c.line("pushed ").substr(7) + " (card filter " + std::to_string(old_value) + " -> " +
                                      std::to_string(new_value) + "):");
  {
    // What a reviewer sees: the commit's one-line diff.
    auto git = take(sync::GitRepo::open_at(repo, repo), "opening " + repo);
    auto head = take(git->fetch("main", {}), "reading " + repo);
    auto log = take(git->log(std::nullopt, *head), "reading " + repo);
    if (log.size() < 2) throw Failed{repo + " should hold the two pushes"};
    auto deltas = take(git->diff(take(git->tree_of(log[1].id), "reading " + repo), take(git->tree_of(log[0].id), "reading " + repo)),
                       "comparing the last two commits of " + repo);
    if (deltas.size() != 1 || !deltas[0].old_blob || !deltas[0].new_blob)
      throw Failed{"the change should touch exactly one file of " + repo + ", it touches " + std::to_string(deltas.size())};
    std::printf("%s", indent(demo_diff::unified(take(git->read_blob(*deltas[0].old_blob), "reading"),
                                                take(git->read_blob(*deltas[0].new_blob), "reading"),
                                                "a/" + deltas[0].path, "b/" + deltas[0].path, 1),
                             "   ").c_str());
  }

  c = run_sync("pulling into production", [&](sync::Sync& s) { return s.pull(url("production.db"), {}); });
  const std::string pulled = c.line("pulled ");
  if (pulled.find(": 0 created, 1 updated, 0 deleted") == std::string::npos)
    throw Failed{"production should pull exactly one update: " + c.out};
  step(12, "git: production pulls", pulled.substr(pulled.find(": ") + 2));

  // Synced content is read-only in production, whoever writes.
  std::string refusal;
  {
    check(production.begin_write(), "opening a write on production");
    const auto id = take(production.lookup("Card", metaport::Key(card.find("entity_id")->as_string())), "finding the card");
    Status st = id ? production.remove("Card", *id) : Status(metaport::make_error("the card is missing in production"));
    (void)production.rollback();
    if (st.ok()) throw Failed{"production accepted a write to synced content"};
    refusal = st.errors().list().front().message;
    refusal = refusal.substr(refusal.find("metaport sync: "));
  }
  dump(production, at("production"));
  dump(staging, at("staging"));
  auto end = demo_diff::compare(tree(at("staging")), tree(at("production")));
  if (!end.identical())
    throw Failed{std::to_string(end.differences()) + " files differ between staging and production after the pull"};
  step(13, "git: production", "identical to staging; a write there is refused:");
  std::printf("   %s\n", refusal.c_str());
}

}  // namespace

int demo(const metaport::SchemaInfo& schema, const std::vector<std::string>& args) {
  if (args.size() > 1) {
    std::fprintf(stderr, "usage: metaport demo [WORK_FOLDER]   (default ./metaport-demo)\n");
    return 2;
  }
  const fs::path dir = args.empty() ? fs::path("metaport-demo") : fs::path(args[0]);
  // Recreated each run, but never a folder the demo did not make.
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec) || (!fs::is_empty(dir, ec) && !fs::exists(dir / kMarker, ec))) {
      std::fprintf(stderr, "error: %s exists and is not a metaport demo folder; choose another folder\n", dir.string().c_str());
      return 2;
    }
    fs::remove_all(dir, ec);
    if (ec) {
      std::fprintf(stderr, "error: cannot remove %s: %s\n", dir.string().c_str(), ec.message().c_str());
      return 2;
    }
  }
  fs::create_directories(dir, ec);
  std::ofstream(dir / kMarker) << "made by `metaport demo`; the folder is recreated on every run\n";
  if (ec || !fs::exists(dir / kMarker)) {
    std::fprintf(stderr, "error: cannot create %s\n", dir.string().c_str());
    return 2;
  }
  try {
    return Demo(schema, dir).run();
  } catch (const Failed& f) {
    std::fflush(stdout);
    std::fprintf(stderr, "\ndemo FAILED: %s\n", f.message.c_str());
    return 1;
  }
}

}  // namespace bi
