#include "runtime/sync/sync.hpp"

#include <dlfcn.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "metaport/format/json.hpp"
#include "metaport/format/yaml_reader.hpp"
#include "runtime/engine/load.hpp"
#include "runtime/engine/upgrade_records.hpp"
#include "runtime/store/ddl.hpp"
#include "runtime/store/sync_dialect.hpp"
#include "runtime/sync/changes.hpp"
#include "runtime/sync/git.hpp"
#include "runtime/sync/git_reader.hpp"
#include "runtime/sync/render.hpp"
#include "runtime/sync/state.hpp"
#include "runtime/sync/token_box.hpp"

namespace fs = std::filesystem;

namespace metaport::sync {

std::optional<long> parse_interval(const std::string& text) {
  if (text.empty()) return std::nullopt;
  long unit = 1;
  std::string digits = text;
  switch (text.back()) {
    case 's': unit = 1; digits.pop_back(); break;
    case 'm': unit = 60; digits.pop_back(); break;
    case 'h': unit = 3600; digits.pop_back(); break;
    default: break;
  }
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 6) return std::nullopt;
  const long n = std::stol(digits) * unit;
  if (n <= 0) return std::nullopt;
  return n;
}

namespace {

// How many entities a message lists before "... and N more".
constexpr std::size_t kListed = 50;
// How many of a branch's paths are copied (as empty files) for a layout to
// recognize the tree: its recognizes() looks at that many names at most.
constexpr std::size_t kSkeletonFiles = 4000;

// METAPORT_SYNC_TRACE=1: how long each step took, on stderr (for bench/).
class Trace {
 public:
  Trace() : on_(std::getenv("METAPORT_SYNC_TRACE") != nullptr), last_(std::chrono::steady_clock::now()) {}
  void step(const char* what) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "trace: %-28s %8.3f s  %s\n", what, std::chrono::duration<double>(now - last_).count(),
                 memory().c_str());
    last_ = now;
  }

 private:
  // Peak and current resident memory (Linux), to see which step holds what.
  static std::string memory() {
    std::ifstream in("/proc/self/status");
    std::string line, out;
    while (std::getline(in, line))
      for (const char* f : {"VmHWM:", "RssAnon:", "RssFile:"})
        if (line.rfind(f, 0) == 0) out += (out.empty() ? "" : " ") + line.substr(0, line.find(':')) + " " +
                                          std::to_string(std::stol(line.substr(line.find(':') + 1)) / 1024) + " MiB";
    using Ctl = int (*)(const char*, void*, std::size_t*, void*, std::size_t);
    if (auto ctl = reinterpret_cast<Ctl>(::dlsym(RTLD_DEFAULT, "mallctl"))) {
      std::uint64_t epoch = 1;
      std::size_t sz = sizeof epoch;
      ctl("epoch", &epoch, &sz, &epoch, sz);
      for (const char* k : {"stats.allocated", "stats.resident"}) {
        std::size_t v = 0, n = sizeof v;
        if (ctl(k, &v, &n, nullptr, 0) == 0) out += std::string(" ") + (k + 6) + " " + std::to_string(v >> 20) + " MiB";
      }
    }
    return out;
  }
  bool on_;
  std::chrono::steady_clock::time_point last_;
};

// Hands the pages the allocator keeps after a phase back to the system.
// The metaport binaries link jemalloc (docs/performance.md), which keeps
// freed pages per thread arena for seconds: after a load, whose workers
// freed what they decoded, the next phase would otherwise grow beside them.
// Without jemalloc (sanitizer builds) this does nothing.
void return_freed_memory() {
  using Ctl = int (*)(const char*, void*, std::size_t*, void*, std::size_t);
  static const auto ctl = reinterpret_cast<Ctl>(::dlsym(RTLD_DEFAULT, "mallctl"));
  if (ctl) ctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);  // 4096: MALLCTL_ARENAS_ALL
}

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) { g_stop = 1; }

std::string short_id(const std::string& hex) { return hex.substr(0, 10); }
// "1 change", "3 changes".
std::string count(std::size_t n, const std::string& thing) {
  return std::to_string(n) + " " + thing + (n == 1 ? "" : "s");
}

struct Session {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<SyncState> state;
  SyncConfig config;
  std::unique_ptr<GitRepo> repo;
  Auth auth;
  bool whole() const { return config.scope.empty(); }
  bool production() const { return config.mode == SyncMode::production; }
};

// Rolls back a transaction left open by an early return.
struct TxGuard {
  store::Store& s;
  ~TxGuard() { (void)s.rollback(); }
};

// Runs `undo` on an early return, unless dismissed.
struct Undo {
  std::function<void()> undo;
  ~Undo() {
    if (undo) undo();
  }
};

// Tables and triggers are DDL: made inside the caller's write transaction
// where the engine's DDL is transactional (SQLite, PostgreSQL), before it
// opens where each DDL statement commits by itself (MySQL).
bool ddl_in_transaction(const store::Store& s) { return s.dialect().transactional_ddl(); }

class Runner {
 public:
  Runner(const SchemaInfo& schema, std::FILE* out, std::FILE* err, std::string cache_dir)
      : schema_(schema), out_(out), err_(err), cache_dir_(std::move(cache_dir)) {}

  // ---- printing ----------------------------------------------------------------
  void say(const std::string& s) { std::fprintf(out_, "%s\n", s.c_str()); }
  void note(const std::string& s) { std::fprintf(err_, "%s\n", s.c_str()); }
  int fail(const Errors& errors, int rc) {
    for (const auto& e : errors.list()) std::fprintf(err_, "error: %s\n", e.to_string().c_str());
    if (errors.dropped()) std::fprintf(err_, "... and %zu more problems\n", errors.dropped());
    return rc;
  }
  int fail(const std::string& message, int rc) {
    std::fprintf(err_, "error: %s\n", message.c_str());
    return rc;
  }
  void list_changes(const ChangeList& changes, FILE* to) {
    for (const auto& c : changes.first(kListed)) std::fprintf(to, "  %s\n", c.str().c_str());
    if (changes.size() > kListed) std::fprintf(to, "  ... and %zu more\n", changes.size() - kListed);
  }
  void list_outside(const std::vector<OutsideRef>& refs) {
    std::size_t n = 0;
    for (const auto& r : refs) {
      if (++n > kListed) {
        std::fprintf(err_, "  ... and %zu more\n", refs.size() - kListed);
        break;
      }
      std::fprintf(err_, "  %s\n", r.str().c_str());
    }
  }

  // ---- opening -----------------------------------------------------------------
  // The store, its sync state and configuration. `rc` is set on failure.
  std::optional<Session> open(const std::string& url, bool need_connected, int& rc) {
    Session s;
    auto st = store::open_store(url);
    if (!st) { rc = fail(st.errors(), kUsage); return std::nullopt; }
    s.store = std::move(*st);
    if (auto c = s.store->check_schema(schema_); !c) { rc = fail(c.errors(), kRefused); return std::nullopt; }
    const store::SyncDialect* sql = store::find_sync_dialect(s.store->dialect());
    if (!sql) {
      rc = fail("the git sync has no " + std::string(s.store->dialect().name()) + " spelling linked in (" +
                    s.store->display_url() + ")",
                kUsage);
      return std::nullopt;
    }
    s.state = std::make_unique<SyncState>(*s.store, *sql);
    auto exists = s.state->exists();
    if (!exists) { rc = fail(exists.errors(), kRefused); return std::nullopt; }
    if (*exists) {
      if (auto m = s.state->migrate_tables(); !m) { rc = fail(m.errors(), kRefused); return std::nullopt; }
      auto c = s.state->config();
      if (!c) { rc = fail(c.errors(), kRefused); return std::nullopt; }
      if (*c) s.config = std::move(**c);
      else if (need_connected) exists = false;
      if (!schema_.layout(s.config.tree_layout)) {
        rc = fail(s.store->display_url() + " syncs in the tree layout " + s.config.tree_layout + ", which schema " +
                      schema_.name + " of this metaport does not have (it has " + layout_list() + ")",
                  kRefused);
        return std::nullopt;
      }
    }
    if (need_connected && !*exists) {
      rc = fail(s.store->display_url() + " is not connected to a repository: run `metaport " + schema_.name +
                    " sync connect STORE REPO --mode development|production` first",
                kUsage);
      return std::nullopt;
    }
    return s;
  }

  // The git cache and the token (METAPORT_GIT_TOKEN wins over the stored one).
  Status open_repo(Session& s) {
    auto repo = GitRepo::open_cache(s.config.repo, cache_dir_);
    if (!repo) return repo.errors();
    s.repo = std::move(*repo);
    if (const char* t = std::getenv("METAPORT_GIT_TOKEN"); t && *t) s.auth.token = std::string(t);
    else if (s.config.token) {
      auto token = open_token(*s.config.token, s.config.repo);
      if (!token) return token.errors();
      s.auth.token = std::move(*token);
    }
    return ok_status();
  }

  // The triggers match the store's tables and mode, or are made again (a
  // migrate drops the kind tables with their triggers; someone may have
  // dropped or disabled one): then every row is compared once.
  Status rearm(Session& s) {
    const std::string fp = store::layout_fingerprint(s.store->tables());
    auto have = s.state->trigger_count();
    if (!have) return have.errors();
    const auto want = s.state->triggers_wanted(s.production());
    if (fp == s.config.layout && *have == static_cast<std::int64_t>(want)) return ok_status();
    note(s.store->display_url() + ": the sync triggers were missing, disabled or made for other tables (after a migrate?): "
         "made them again; this comparison looks at every entity");
    // Where the triggers come before the transaction, a crash between the
    // two leaves the old layout recorded: the next command re-arms again.
    const bool in_tx = ddl_in_transaction(*s.store);
    if (!in_tx)
      if (auto t = s.state->install_triggers(s.production(), s.whole()); !t) return t;
    if (auto b = s.store->begin_write(); !b) return b;
    TxGuard guard{*s.store};
    if (in_tx)
      if (auto t = s.state->install_triggers(s.production(), s.whole()); !t) return t;
    if (auto r = s.state->relink(); !r) return r;
    if (auto m = s.state->mark_everything(); !m) return m;
    s.config.layout = fp;
    if (auto c = s.state->save_config(s.config); !c) return c;
    return s.store->commit();
  }

  // Every synced entity's rendering becomes its synced hash (after_migrate).
  Status adopt_rendering(Session& s) {
    if (auto b = s.store->begin_write(); !b) return b;
    TxGuard guard{*s.store};
    std::vector<SyncedEntity> rows;
    Renderer renderer(*s.store, schema_, s.config.scope, s.config.tree_layout);
    auto rendered = renderer.render_all([&](Rendered& r) -> Status {
      auto e = s.state->by_key(schema_.kinds[r.k]->name, r.key);
      if (!e) return e.errors();
      if (!*e) return ok_status();  // not synced: stays a local change
      (*e)->hash = r.hash.hex();
      (*e)->place = r.place;
      rows.push_back(std::move(**e));
      return ok_status();
    });
    if (!rendered) return rendered;
    if (auto u = s.state->upsert(rows); !u) return u;
    if (auto c = s.state->clear_all_marks(); !c) return c;
    if (auto c = s.store->commit(); !c) return c;
    note(s.store->display_url() + ": production content re-rendered by the migrate taken as synced (" +
         std::to_string(rows.size()) + (rows.size() == 1 ? " entity)" : " entities)"));
    return ok_status();
  }

  // ---- tree layouts --------------------------------------------------------------
  std::string layout_list() const {
    std::string names;
    for (const auto& n : schema_.layout_names()) names += (names.empty() ? "" : ", ") + n;
    return names;
  }
  // A layout's name as the state keeps it ("" and "default": the default's own name).
  std::string canonical_layout(const std::string& name) const {
    return name.empty() || name == "default" ? schema_.layout_names().front() : name;
  }
  std::unique_ptr<Layout> layout_of(const Session& s) const {
    auto l = schema_.layout(s.config.tree_layout);
    return l ? std::move(l) : schema_.layout();  // open() refuses a name the schema lacks
  }

  // Which tree layout a commit's tree holds, as `load` tells a folder's:
  // metaport.yaml at the top is the default layout's; else the first other
  // layout that recognizes the files (Layout::recognizes reads names only:
  // it looks at an empty-file copy of the tree's paths). `holds`: whether
  // the tree has a file that layout owns (or a metaport.yaml).
  Result<std::string> held_layout(GitRepo& repo, const Oid& tree, bool& holds) {
    std::vector<std::string> paths;
    bool header = false;
    auto walked = repo.each_file(tree, [&](const std::string& path, const Oid&) {
      if (path == kHeaderFile) header = true;
      else paths.push_back(path);
      return ok_status();
    });
    if (!walked) return walked.errors();
    std::string held = schema_.layout_names().front();
    if (!header && schema_.layouts.size() > 1) {
      std::string tmpl = (fs::temp_directory_path() / "metaport-layout-XXXXXX").string();
      if (!::mkdtemp(tmpl.data())) return make_error("cannot make a temporary folder in " + fs::temp_directory_path().string());
      struct Remove {
        std::string dir;
        ~Remove() {
          std::error_code ec;
          fs::remove_all(dir, ec);
        }
      } remove{tmpl};
      std::size_t made = 0;
      for (const auto& p : paths) {
        if (++made > kSkeletonFiles) break;
        const fs::path rel(p);
        if (rel.is_absolute() || p.find("..") != std::string::npos) continue;
        std::error_code ec;
        fs::create_directories((fs::path(tmpl) / rel).parent_path(), ec);
        if (!ec) std::ofstream(fs::path(tmpl) / rel).flush();
      }
      for (std::size_t i = 1; i < schema_.layouts.size(); ++i)
        if (schema_.layouts[i].make()->recognizes(tmpl)) {
          held = schema_.layouts[i].name;
          break;
        }
    }
    auto layout = schema_.layout(held);
    holds = header;
    for (const auto& p : paths)
      if (!holds && layout->owns(p)) holds = true;
    return held;
  }

  // ---- git helpers -------------------------------------------------------------
  Result<Oid> header_blob(GitRepo& repo) { return repo.write_blob(tree_header(schema_)); }

  // The synced tree with `changes` applied (and metaport.yaml current).
  Result<Oid> build_tree(Session& s, const std::optional<Oid>& base, const ChangeList& changes) {
    std::optional<Oid> header;
    if (layout_of(s)->writes_header()) {
      auto h = header_blob(*s.repo);
      if (!h) return h.errors();
      header = *h;
    }
    if (!base) {
      // A first commit: written folder by folder as the files come, in path
      // order from the list (on disk when long), never held whole.
      return s.repo->write_tree([&](const GitRepo::FileSink& add) -> Status {
        auto written = changes.each_by_new_path([&](const Change& c) -> Status {
          if (header && c.new_path > kHeaderFile) {
            if (auto h = add(kHeaderFile, *header); !h) return h;
            header.reset();
          }
          return c.new_path == kHeaderFile ? ok_status() : add(c.new_path, c.blob);
        });
        if (!written) return written;
        return header ? add(kHeaderFile, *header) : ok_status();
      });
    }
    // On top of the synced tree: libgit2 rewrites the folders the edits touch.
    std::map<std::string, std::optional<Oid>> edits;
    auto listed = changes.each([&](const Change& c) -> Status {
      if (!c.old_path.empty() && (c.type == ChangeType::deleted || c.old_path != c.new_path) && !edits.count(c.old_path))
        edits[c.old_path] = std::nullopt;
      if (c.type != ChangeType::deleted) edits[c.new_path] = c.blob;
      return ok_status();
    });
    if (!listed) return listed.errors();
    if (header) edits[kHeaderFile] = *header;
    std::vector<TreeChange> list;
    list.reserve(edits.size());
    for (auto& [path, blob] : edits) {
      if (!blob) {  // only what the base has can be removed
        if (!base) continue;
        auto there = s.repo->file_at(*base, path);
        if (!there) return there.errors();
        if (!*there) continue;
      }
      list.push_back(TreeChange{path, blob});
    }
    return s.repo->update_tree(base, list);
  }

  Result<std::optional<Oid>> synced_tree(Session& s) {
    if (!s.config.synced_commit) return std::optional<Oid>();
    auto c = Oid::parse(*s.config.synced_commit);
    if (!c) return make_error("mp_sync__state.synced_commit is not a commit id: " + *s.config.synced_commit);
    if (!s.repo->has_object(*c)) {
      // A new cache (another machine, a cleared cache): fetch what the store synced.
      auto h = s.repo->fetch(s.config.branch, s.auth);
      if (!h) return h.errors();
      if (!s.repo->has_object(*c))
        return make_error("the synced commit " + c->hex() + " is not in " + s.config.repo + " any more (branch " +
                          s.config.branch + " was rewritten?): connect again");
    }
    auto t = s.repo->tree_of(*c);
    if (!t) return t.errors();
    return std::optional<Oid>(*t);
  }

  // "Card \"Revenue\"" for a file of a commit (kind from the layout and the
  // document, as a load reads it).
  std::string describe_file(GitRepo& repo, Layout& layout, const std::string& path, const Oid& blob) {
    auto text = repo.read_blob(blob);
    if (!text) return "";
    auto v = yaml::parse(*text);
    if (!v) return "(does not parse)";
    auto kind = layout.kind_of(path, *v);
    if (!kind || kind->empty()) return "";
    std::string label;
    for (const char* m : {"name", "title", "term", "path", "email"})
      if (const Value* x = v->find(m); x && x->is_string()) { label = x->as_string(); break; }
    std::string id;
    if (const Value* x = v->find("entity_id"); x && x->is_string()) id = " " + x->as_string();
    return *kind + id + (label.empty() ? "" : " \"" + label + "\"");
  }

  // The commits on the branch since `from` and the files (entities) they touch.
  void describe_remote(Session& s, const std::optional<std::string>& from, const Oid& head) {
    std::optional<Oid> base;
    if (from) base = Oid::parse(*from);
    auto commits = s.repo->log(base, head);
    if (commits) {
      std::fprintf(err_, "commits on %s since the last sync:\n", s.config.branch.c_str());
      std::size_t n = 0;
      for (const auto& c : *commits) {
        if (++n > kListed) { std::fprintf(err_, "  ... and %zu more\n", commits->size() - kListed); break; }
        std::fprintf(err_, "  %s %s (%s)\n", c.id.short_hex().c_str(), c.summary.c_str(), c.author.c_str());
      }
    }
    std::optional<Oid> old_tree;
    if (base && s.repo->has_object(*base))
      if (auto t = s.repo->tree_of(*base)) old_tree = *t;
    auto new_tree = s.repo->tree_of(head);
    if (!new_tree) return;
    auto deltas = s.repo->diff(old_tree, *new_tree);
    if (!deltas) return;
    std::fprintf(err_, "entities they touch:\n");
    auto layout = layout_of(s);
    std::size_t n = 0;
    for (const auto& d : *deltas) {
      if (d.path == kHeaderFile) continue;
      if (++n > kListed) { std::fprintf(err_, "  ... and %zu more\n", deltas->size() - kListed); break; }
      std::string what;
      if (d.old_blob) {
        if (auto e = s.state->by_path(d.path); e && *e) what = (*e)->kind + " " + (*e)->key;
      }
      if (what.empty() && d.new_blob) what = describe_file(*s.repo, *layout, d.path, *d.new_blob);
      const char* verb = !d.old_blob ? "added   " : !d.new_blob ? "deleted " : "modified";
      std::fprintf(err_, "  %s %s  %s\n", verb, what.c_str(), d.path.c_str());
    }
  }

  // Commits `changes` on top of `parent` and pushes them to `branch`.
  // Returns the new commit; nullopt when the tree equals the parent's (no
  // commit made); `rejected` when the branch moved meanwhile.
  Result<std::optional<Oid>> commit_and_push(Session& s, const std::optional<Oid>& base_tree,
                                             const std::optional<Oid>& parent, const ChangeList& changes,
                                             const std::string& message, const std::string& branch,
                                             const std::string& author, bool& rejected, Trace* trace = nullptr) {
    auto tree = build_tree(s, base_tree, changes);
    if (!tree) return tree.errors();
    if (trace) trace->step("tree built");
    if (parent) {
      auto ptree = s.repo->tree_of(*parent);
      if (!ptree) return ptree.errors();
      if (*ptree == *tree) return std::optional<Oid>();
    }
    Signature sig;
    const std::string who = !author.empty() ? author : s.config.author.value_or("");
    if (!who.empty()) {
      auto parsed = Signature::parse(who);
      if (!parsed) return parsed.errors();
      sig = *parsed;
    }
    auto c = s.repo->commit(*tree, parent, message, sig);
    if (!c) return c.errors();
    if (auto f = s.repo->flush(); !f) return f.errors();
    if (trace) trace->step("objects packed in the cache");
    auto pushed = s.repo->push(*c, branch, s.auth, false);
    if (!pushed) return pushed.errors();
    if (trace) trace->step("pushed");
    rejected = *pushed == PushResult::rejected;
    return std::optional<Oid>(*c);
  }

  // After a commit holds the changes: the state says so, in one transaction
  // (and the sync log, unless `action` is empty).
  Status record_push(Session& s, const LocalChanges& lc, const Oid& commit, const std::string& branch,
                     const std::string& action, const std::string& note_text) {
    if (auto b = s.store->begin_write(); !b) return b;
    TxGuard guard{*s.store};
    if (auto u = each_synced_batch(lc, [&](const std::vector<SyncedEntity>& rows) { return s.state->upsert(rows); }); !u)
      return u;
    LogLine l{utc_now(), action, branch, commit.hex(), 0, 0, 0, note_text};
    std::vector<std::pair<std::string, std::string>> gone;
    auto counted = lc.changes.each([&](const Change& c) -> Status {
      if (c.type == ChangeType::created) ++l.created;
      else if (c.type != ChangeType::deleted) ++l.updated;
      else {
        ++l.deleted;
        gone.emplace_back(c.kind, c.key);
        if (gone.size() >= 1000) {
          if (auto r = s.state->remove(gone); !r) return r;
          gone.clear();
        }
      }
      return ok_status();
    });
    if (!counted) return counted;
    if (auto r = s.state->remove(gone); !r) return r;
    if (auto c = s.state->clear(lc.marks); !c) return c;
    s.config.synced_commit = commit.hex();
    s.config.branch = branch;
    if (auto c = s.state->save_config(s.config); !c) return c;
    if (!action.empty())
      if (auto g = s.state->log(l); !g) return g;
    return s.store->commit();
  }

  // ---- commands ----------------------------------------------------------------
  int connect(const std::string& url, const ConnectOptions& o);
  int status(const std::string& url, bool json);
  int push(const std::string& url, const PushOptions& o);
  int pull(const std::string& url, const PullOptions& o, const std::string& switch_to = {});
  int branch(const std::string& url, const BranchOptions& o);
  int watch(const std::string& url, const WatchOptions& o);
  int after_migrate(const std::string& url) {
    int rc = kDone;
    auto opened = open(url, false, rc);
    if (!opened) return rc;
    Session& s = *opened;
    if (s.config.repo.empty()) return kDone;  // not connected
    // A production store without a mark had nothing but the synced content
    // before the migrate, and a migrate keeps content: what it renders now
    // (in the new version's spelling) is that content. A development store
    // lists it as modified instead, so that its next push moves the branch
    // to the new version as a whole (metaport.yaml names one version).
    auto marks = s.state->dirty();
    if (!marks) return fail(marks.errors(), kRefused);
    const bool adopt = s.production() && marks->empty();
    if (auto r = rearm(s); !r) return fail(r.errors(), kRefused);
    if (adopt)
      if (auto r = adopt_rendering(s); !r) return fail(r.errors(), kRefused);
    return kDone;
  }

 private:
  // Local changes in a read snapshot (status, push).
  Result<LocalChanges> changes_in_snapshot(Session& s, const ChangeOptions& opts) {
    if (auto b = s.store->begin_snapshot(); !b) return b.errors();
    TxGuard guard{*s.store};
    return local_changes(*s.store, schema_, *s.state, s.config, opts);
  }
  // Marks of rows that turned out unchanged go (best effort: a busy store keeps them).
  void settle(Session& s, const LocalChanges& lc) {
    if (lc.settled.empty()) return;
    if (!s.store->begin_write()) return;
    TxGuard guard{*s.store};
    if (s.state->clear(lc.settled)) (void)s.store->commit();
  }
  int refuse_unsynced(const LocalChanges& lc, const std::string& what, const std::string& advice) {
    // "unsynced local changes" whatever the count: scripts look for it (docs/sync.md).
    std::fprintf(err_, "error: %s: unsynced local changes (%zu):\n", what.c_str(), lc.changes.size());
    list_changes(lc.changes, err_);
    std::fprintf(err_, "%s\n", advice.c_str());
    return kRefused;
  }
  int pull_into(Session& s, const std::string& branch, bool discard, bool switching, const std::string& action,
                bool progress = false);

  const SchemaInfo& schema_;
  std::FILE* out_;
  std::FILE* err_;
  std::string cache_dir_;
};

// ---- connect -------------------------------------------------------------------

int Runner::connect(const std::string& url, const ConnectOptions& o) {
  SyncMode mode;
  if (o.mode == "development") mode = SyncMode::development;
  else if (o.mode == "production") mode = SyncMode::production;
  else return fail("--mode " + o.mode + ": expected development or production", kUsage);
  if (!valid_branch_name(o.branch)) return fail("--branch " + o.branch + ": not a valid branch name", kUsage);
  if (!o.scope.empty() && schema_.scope_kind.empty())
    return fail("--collection: schema " + schema_.name + " has no container kind to select", kUsage);
  auto [repo_url, url_token] = split_credentials(o.repo);
  if (repo_url.empty()) return fail("REPO is empty", kUsage);
  if (is_local_url(repo_url) && repo_url.rfind("file://", 0) != 0)
    repo_url = fs::absolute(repo_url).lexically_normal().string();
  while (repo_url.size() > 1 && repo_url.back() == '/') repo_url.pop_back();
  std::optional<std::string> token;
  if (!o.token_file.empty()) {
    std::ifstream in(o.token_file);
    if (!in) return fail("--token-file " + o.token_file + ": cannot read it", kUsage);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string t = ss.str();
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
    if (t.empty()) return fail("--token-file " + o.token_file + " is empty", kUsage);
    token = std::move(t);
  } else if (url_token && !url_token->empty()) {
    token = url_token;
  } else if (const char* t = std::getenv("METAPORT_GIT_TOKEN"); t && *t) {
    token = std::string(t);
  }
  if (token && !is_local_url(repo_url) && !token_allowed(repo_url))
    return fail(repo_url + ": a token is sent only over https:// (or http:// to this machine)", kUsage);
  if (!o.author.empty())
    if (auto a = Signature::parse(o.author); !a) return fail(a.errors(), kUsage);
  if (!o.layout.empty() && !schema_.layout(o.layout))
    return fail("--layout " + o.layout + ": schema " + schema_.name + " has the tree layouts " + layout_list(), kUsage);
  const std::string wanted_layout = o.layout.empty() ? std::string() : canonical_layout(o.layout);

  int rc = kDone;
  auto opened = open(url, false, rc);
  if (!opened) return rc;
  Session& s = *opened;
  const std::optional<SyncConfig> prev = s.config.repo.empty() ? std::nullopt : std::optional<SyncConfig>(s.config);
  const bool same_target = prev && prev->repo == repo_url && prev->branch == o.branch && prev->scope == o.scope;
  bool made_tables = false;  // by this connect, outside its transaction (see below)

  s.config.repo = repo_url;
  s.config.branch = o.branch;
  s.config.mode = mode;
  s.config.scope = o.scope;
  if (!o.author.empty()) s.config.author = o.author;
  s.auth.token = token;
  auto repo = GitRepo::open_cache(repo_url, cache_dir_);
  if (!repo) return fail(repo.errors(), kRefused);
  s.repo = std::move(*repo);
  if (!token && prev && prev->token && same_target) {
    auto t = open_token(*prev->token, repo_url);
    if (t) s.auth.token = *t;
  }

  // The repository: reachable, and writable for a development store.
  auto head = s.repo->fetch(o.branch, s.auth);
  if (!head) {
    fail(head.errors(), kRefused);
    return fail(s.store->display_url() + " is unchanged", kRefused);
  }

  // The tree layout: --layout, else the one the store synced with (same
  // branch), else the one the branch holds; never a mix on one branch.
  std::string held = canonical_layout("");
  bool holds = false;
  if (*head) {
    auto tree = s.repo->tree_of(**head);
    if (!tree) return fail(tree.errors(), kRefused);
    auto h = held_layout(*s.repo, *tree, holds);
    if (!h) return fail(h.errors(), kRefused);
    held = *h;
  }
  if (prev && same_target && !wanted_layout.empty() && canonical_layout(prev->tree_layout) != wanted_layout)
    return fail(s.store->display_url() + " syncs with " + repo_url + " branch " + o.branch + " in the " +
                    canonical_layout(prev->tree_layout) + " tree layout: switching it to " + wanted_layout +
                    " is refused (the branch's files would all move to another layout). Connect the store to another "
                    "branch or repository to sync in the " + wanted_layout + " layout; " + s.store->display_url() +
                    " is unchanged",
                kRefused);
  const std::string layout_name = !wanted_layout.empty()          ? wanted_layout
                                  : prev && same_target           ? canonical_layout(prev->tree_layout)
                                  : holds                         ? held
                                                                  : canonical_layout("");
  if (holds && held != layout_name)
    return fail(repo_url + " branch " + o.branch + " holds a tree in the " + held + " layout, not " + layout_name +
                    ": connect with --layout " + held + " (or to another branch); " + s.store->display_url() +
                    " is unchanged",
                kRefused);
  s.config.tree_layout = layout_name;
  auto layout = layout_of(s);

  bool first_commit = false;
  std::optional<Oid> first;  // an empty repository's first commit, pushed once the remote proved writable
  if (!*head) {
    auto branches = s.repo->branches(s.auth);
    if (!branches) return fail(branches.errors(), kRefused);
    if (mode == SyncMode::production)
      return fail(repo_url + " has no branch " + o.branch + " yet: push to it from a development store first", kRefused);
    if (!branches->empty()) {
      std::string names;
      for (const auto& [b, id] : *branches) names += (names.empty() ? "" : ", ") + b;
      return fail(repo_url + " has no branch " + o.branch + " (it has " + names +
                      "): connect with --branch one of them, then `sync branch STORE " + o.branch + "` to start a new one",
                  kRefused);
    }
    // An empty repository gets a first commit: metaport.yaml alone (an
    // empty tree for a layout without it).
    std::vector<TreeChange> files;
    if (layout->writes_header()) {
      auto header = header_blob(*s.repo);
      if (!header) return fail(header.errors(), kRefused);
      files.push_back(TreeChange{kHeaderFile, *header});
    }
    auto tree = s.repo->update_tree(std::nullopt, files);
    if (!tree) return fail(tree.errors(), kRefused);
    Signature sig;
    if (s.config.author) sig = *Signature::parse(*s.config.author);
    auto c = s.repo->commit(*tree, std::nullopt, "metaport: sync " + schema_.name + " content here", sig);
    if (!c) return fail(c.errors(), kRefused);
    first = *c;
  }
  if (mode == SyncMode::development)
    if (auto w = s.repo->check_push_access(first ? *first : **head, s.auth); !w) {
      fail(w.errors(), kRefused);
      return fail(s.store->display_url() + " is unchanged", kRefused);
    }
  if (first) {
    auto pushed = s.repo->push(*first, o.branch, s.auth, false);
    if (!pushed) return fail(pushed.errors(), kRefused);
    if (*pushed == PushResult::rejected)
      return fail(repo_url + ": someone created branch " + o.branch + " meanwhile: connect again", kRefused);
    head = std::optional<Oid>(*first);
    first_commit = true;
  }

  // The store: state, triggers, and how it compares with the branch.
  const bool in_tx = ddl_in_transaction(*s.store);
  auto make_tables = [&]() -> Status {
    if (prev) return ok_status();
    auto exists = s.state->exists();
    if (!exists) return exists.errors();
    if (*exists) return ok_status();
    if (!in_tx) made_tables = true;
    return s.state->create_tables();
  };
  auto arm = [&] { return s.state->install_triggers(mode == SyncMode::production, o.scope.empty()); };
  Undo undo_ddl;  // destroyed after `guard` below: the rollback comes first
  if (!in_tx) {
    // A connect that does not get to its commit puts back what was there.
    undo_ddl.undo = [&] {
      if (prev) (void)s.state->install_triggers(prev->mode == SyncMode::production, prev->scope.empty());
      else (void)s.state->drop_triggers();
      if (made_tables) (void)s.state->drop_tables();
    };
    if (auto c = make_tables(); !c) return fail(c.errors(), kRefused);
    if (auto t = arm(); !t) return fail(t.errors(), kRefused);
  }
  if (auto b = s.store->begin_write(); !b) return fail(b.errors(), kRefused);
  TxGuard guard{*s.store};
  if (in_tx) {
    if (auto c = make_tables(); !c) return fail(c.errors(), kRefused);
    if (auto t = arm(); !t) return fail(t.errors(), kRefused);
  }
  if (token) {
    auto sealed = seal_token(*token, repo_url);
    if (!sealed) return fail(sealed.errors(), kRefused);
    s.config.token = *sealed;
  } else if (!same_target) {
    s.config.token.reset();
  }
  s.config.layout = store::layout_fingerprint(s.store->tables());
  std::string report;
  if (!same_target || (prev && prev->layout != s.config.layout)) {
    if (auto r = s.state->remove_all(); !r) return fail(r.errors(), kRefused);
    if (auto r = s.state->clear_all_marks(); !r) return fail(r.errors(), kRefused);
    s.config.synced_commit.reset();
    if (first_commit) {
      s.config.synced_commit = head->value().hex();
      report = "the repository was empty: made its first commit " + head->value().short_hex() + " on " + o.branch;
      if (auto m = s.state->mark_everything(); !m) return fail(m.errors(), kRefused);
    } else {
      // Compare the store's rendering with the branch, file by file.
      auto tree = s.repo->tree_of(**head);
      if (!tree) return fail(tree.errors(), kRefused);
      std::unordered_map<std::string, Oid> files;
      auto walked = s.repo->each_file(*tree, [&](const std::string& path, const Oid& blob) {
        if (path != kHeaderFile && layout->owns(path)) files.emplace(path, blob);
        return ok_status();
      });
      if (!walked) return fail(walked.errors(), kRefused);
      const std::size_t on_branch = files.size();
      std::size_t same = 0, differ = 0, only_store = 0;
      std::vector<SyncedEntity> adopted;
      Renderer renderer(*s.store, schema_, o.scope, s.config.tree_layout);
      auto rendered = renderer.render_all([&](Rendered& r) -> Status {
        auto it = files.find(r.path);
        if (it == files.end()) { ++only_store; return ok_status(); }
        if (it->second == r.hash) {
          ++same;
          adopted.push_back(SyncedEntity{schema_.kinds[r.k]->name, r.key, r.id, r.path, r.hash.hex(), r.hash.hex(), r.place});
        } else {
          ++differ;
        }
        files.erase(it);
        return ok_status();
      });
      if (!rendered) return fail(rendered.errors(), kRefused);
      const std::size_t only_branch = files.size();
      report = o.branch + " at " + head->value().short_hex() + " holds " + std::to_string(on_branch) +
               " entity files; the store's scope has " + std::to_string(same + differ + only_store) + " entities: " +
               std::to_string(same) + " identical, " + std::to_string(differ) + " different, " +
               std::to_string(only_store) + " only in the store, " + std::to_string(only_branch) + " only on the branch";
      if (differ == 0 && only_branch == 0) {
        // Everything the branch holds, the store holds the same: synced at
        // its head; what only the store has is new there (status lists it).
        if (auto u = s.state->upsert(adopted); !u) return fail(u.errors(), kRefused);
        s.config.synced_commit = head->value().hex();
        if (only_store == 0) {
          report += ": in sync at " + head->value().short_hex();
        } else {
          report += ": synced at " + head->value().short_hex() + "; the store's other entities are new (`sync push`)";
          if (auto m = s.state->mark_everything(); !m) return fail(m.errors(), kRefused);
        }
      } else {
        if (auto m = s.state->mark_everything(); !m) return fail(m.errors(), kRefused);
        report += same + differ + only_store == 0 ? ": run `sync pull` to load it"
                                                  : ": run `sync pull --discard` to take the branch's content, or "
                                                    "`sync push --force` to replace it with the store's";
      }
    }
  }
  if (auto c = s.state->save_config(s.config); !c) return fail(c.errors(), kRefused);
  if (mode == SyncMode::production) {
    auto lc = local_changes(*s.store, schema_, *s.state, s.config, {});
    if (!lc) return fail(lc.errors(), kRefused);
    if (!lc->changes.empty())
      return refuse_unsynced(*lc, "connect --mode production refused", "a production store starts empty or as the branch "
                                                                         "holds it: sync these from development first");
  }
  if (auto l = s.state->log(LogLine{utc_now(), "connect", o.branch, s.config.synced_commit.value_or(""), 0, 0, 0,
                                    std::string(mode_name(mode)) + " " + repo_url});
      !l)
    return fail(l.errors(), kRefused);
  if (auto c = s.store->commit(); !c) return fail(c.errors(), kRefused);
  undo_ddl.undo = nullptr;
  std::string scope = "the whole " + schema_.name + " schema";
  if (!o.scope.empty()) {
    scope = schema_.scope_kind;
    for (const auto& r : o.scope) scope += " " + r;
  }
  say("connected " + s.store->display_url() + " (" + std::string(mode_name(mode)) + ") to " + repo_url + " branch " +
      o.branch + ", scope: " + scope + ", tree layout: " + layout_name +
      (s.auth.token ? " (token stored encrypted)" : ""));
  if (!report.empty()) say(report);
  return kDone;
}

// ---- status ---------------------------------------------------------------------

int Runner::status(const std::string& url, bool json) {
  int rc = kDone;
  auto opened = open(url, true, rc);
  if (!opened) return rc;
  Session& s = *opened;
  if (auto r = rearm(s); !r) return fail(r.errors(), kRefused);
  auto lc = changes_in_snapshot(s, {});
  if (!lc) return fail(lc.errors(), kRefused);
  auto log = s.state->recent_log(5);
  if (!log) return fail(log.errors(), kRefused);
  settle(s, *lc);
  if (json) {
    Value v = Value::object();
    v.set("store", s.store->display_url());
    v.set("mode", std::string(mode_name(s.config.mode)));
    v.set("repository", s.config.repo);
    v.set("branch", s.config.branch);
    v.set("layout", canonical_layout(s.config.tree_layout));
    Value scope = Value::array();
    for (const auto& r : s.config.scope) scope.push_back(r);
    v.set("scope", std::move(scope));
    v.set("synced_commit", s.config.synced_commit ? Value(*s.config.synced_commit) : Value());
    Value changes = Value::array();
    auto listed = lc->changes.each([&](const Change& c) -> Status {
      Value x = Value::object();
      x.set("change", std::string(change_name(c.type)));
      x.set("kind", c.kind);
      x.set("key", c.key);
      if (!c.label.empty()) x.set("label", c.label);
      if (!c.old_path.empty()) x.set("old_path", c.old_path);
      if (!c.new_path.empty()) x.set("path", c.new_path);
      changes.push_back(std::move(x));
      return ok_status();
    });
    if (!listed) return fail(listed.errors(), kRefused);
    v.set("changes", std::move(changes));
    Value outside = Value::array();
    for (const auto& r : lc->outside) {
      Value x = Value::object();
      x.set("kind", r.kind);
      x.set("key", r.key);
      x.set("file", r.file);
      x.set("field", r.field);
      x.set("target_kind", r.target_kind);
      x.set("target_key", r.target_key);
      outside.push_back(std::move(x));
    }
    v.set("outside_scope", std::move(outside));
    Value lines = Value::array();
    for (const auto& l : *log) {
      Value x = Value::object();
      x.set("at", l.at);
      x.set("action", l.action);
      x.set("branch", l.branch);
      x.set("commit", l.commit);
      x.set("created", static_cast<long long>(l.created));
      x.set("updated", static_cast<long long>(l.updated));
      x.set("deleted", static_cast<long long>(l.deleted));
      x.set("note", l.note);
      lines.push_back(std::move(x));
    }
    v.set("log", std::move(lines));
    say(json::write(v));
    return kDone;
  }
  say(s.store->display_url() + ": " + std::string(mode_name(s.config.mode)) + ", synced with " + s.config.repo +
      " branch " + s.config.branch + " (tree layout " + canonical_layout(s.config.tree_layout) + ")");
  say(s.config.synced_commit ? "last synced commit: " + short_id(*s.config.synced_commit)
                             : "nothing synced yet: `sync pull` loads the branch, `sync push` writes the store to it");
  if (lc->changes.empty()) say("no local changes since the last sync");
  else {
    say(count(lc->changes.size(), "local change") + " since the last sync:");
    list_changes(lc->changes, out_);
  }
  if (!lc->outside.empty()) {
    say(count(lc->outside.size(), "reference") + " leave the synced scope or point to nothing (push refuses them):");
    for (const auto& r : lc->outside) say("  " + r.str());
  }
  if (!log->empty()) {
    say("recent sync log:");
    for (const auto& l : *log)
      say("  " + l.at + " " + l.action + " " + l.branch + (l.commit.empty() ? "" : " " + short_id(l.commit)) +
          (l.action == "connect" ? "" : ": " + std::to_string(l.created) + " created, " + std::to_string(l.updated) +
                                            " updated, " + std::to_string(l.deleted) + " deleted") +
          (l.note.empty() ? "" : " (" + l.note + ")"));
  }
  return kDone;
}

// ---- push -----------------------------------------------------------------------

int Runner::push(const std::string& url, const PushOptions& o) {
  if (o.message.empty()) return fail("push needs a message: -m MSG", kUsage);
  if (!o.to_branch.empty() && !valid_branch_name(o.to_branch))
    return fail("--to-branch " + o.to_branch + ": not a valid branch name", kUsage);
  if (o.force && !o.to_branch.empty()) return fail("--force and --to-branch go separately", kUsage);
  if (!o.author.empty())
    if (auto a = Signature::parse(o.author); !a) return fail(a.errors(), kUsage);
  int rc = kDone;
  auto opened = open(url, true, rc);
  if (!opened) return rc;
  Session& s = *opened;
  if (s.production())
    return fail(s.store->display_url() + " syncs in production mode: it only pulls (push from a development store)",
                kRefused);
  Trace trace;
  if (auto r = rearm(s); !r) return fail(r.errors(), kRefused);
  if (auto r = open_repo(s); !r) return fail(r.errors(), kRefused);
  auto remote = s.repo->fetch(s.config.branch, s.auth);
  trace.step("fetch");
  if (!remote) return fail(remote.errors(), kRefused);
  auto base_tree = synced_tree(s);
  if (!base_tree) return fail(base_tree.errors(), kRefused);

  ChangeOptions co;
  co.keep_blob = [&](const std::string& text, const Oid&) -> Status {
    auto b = s.repo->write_blob(text);
    if (!b) return b.errors();
    return ok_status();
  };
  auto lc = changes_in_snapshot(s, co);
  if (!lc) return fail(lc.errors(), kRefused);
  trace.step(lc->full ? "changes (full comparison)" : "changes (marked rows)");
  if (!lc->outside.empty()) {
    std::fprintf(err_, "error: push refused: %zu references leave the synced scope or point to nothing (synced content "
                       "may depend only on content in the scope):\n", lc->outside.size());
    list_outside(lc->outside);
    return kRefused;
  }
  const std::optional<Oid> synced = s.config.synced_commit ? Oid::parse(*s.config.synced_commit) : std::nullopt;

  // --to-branch: a new branch from the synced commit, whatever the old one did.
  if (!o.to_branch.empty()) {
    auto branches = s.repo->branches(s.auth);
    if (!branches) return fail(branches.errors(), kRefused);
    for (const auto& [b, id] : *branches)
      if (b == o.to_branch) return fail(s.config.repo + " already has a branch " + o.to_branch + ": pick a new name", kRefused);
    bool rejected = false;
    auto c = commit_and_push(s, *base_tree, synced, lc->changes, o.message, o.to_branch, o.author, rejected);
    if (!c) return fail(c.errors(), kRefused);
    Oid at = *c ? **c : *synced;
    if (!*c) {  // nothing to commit: the new branch starts at the synced commit
      auto pushed = s.repo->push(at, o.to_branch, s.auth, false);
      if (!pushed) return fail(pushed.errors(), kRefused);
      rejected = *pushed == PushResult::rejected;
    }
    if (rejected) return fail(s.config.repo + ": someone created " + o.to_branch + " meanwhile", kRefused);
    if (auto r = record_push(s, *lc, at, o.to_branch, "push", o.message); !r) return fail(r.errors(), kRefused);
    say("pushed " + count(lc->changes.size(), "change") + " to the new branch " + o.to_branch + " (commit " +
        at.short_hex() + "); " + s.store->display_url() + " syncs with " + o.to_branch + " from now on");
    list_changes(lc->changes, out_);
    return kDone;
  }

  std::optional<Oid> parent = synced;
  bool remote_moved = *remote && (!synced || !(**remote == *synced));
  if (remote_moved && *base_tree) {
    // Commits whose content cancels out (a change and its revert) are
    // nothing to overwrite: build on top of them.
    auto rtree = s.repo->tree_of(**remote);
    if (!rtree) return fail(rtree.errors(), kRefused);
    if (*rtree == **base_tree) {
      parent = **remote;
      remote_moved = false;
    }
  }
  if (remote_moved) {
    // Maybe it already holds exactly this (a push whose bookkeeping was cut
    // short, or another store with the same content): adopt it.
    auto tree = build_tree(s, *base_tree, lc->changes);
    if (!tree) return fail(tree.errors(), kRefused);
    auto rtree = s.repo->tree_of(**remote);
    if (!rtree) return fail(rtree.errors(), kRefused);
    if (*rtree == *tree) {
      if (auto r = record_push(s, *lc, **remote, s.config.branch, "adopt", "the branch already held this content"); !r)
        return fail(r.errors(), kRefused);
      say(s.config.branch + " already holds exactly this content (commit " + (*remote)->short_hex() +
          "): nothing to push; the store is synced with it");
      return kDone;
    }
    if (!o.force) {
      std::fprintf(err_, "error: push refused: remote is ahead: %s moved from %s to %s since the last sync\n",
                   s.config.branch.c_str(), synced ? synced->short_hex().c_str() : "(nothing synced)",
                   (*remote)->short_hex().c_str());
      describe_remote(s, s.config.synced_commit, **remote);
      std::fprintf(err_, "pull first (`sync pull`), push your %s to a new branch (`--to-branch NEW`), or overwrite "
                         "(`--force`)\n", count(lc->changes.size(), "change").c_str());
      return kRefused;
    }
    std::fprintf(err_, "--force: overwriting what %s holds since the last sync:\n", s.config.branch.c_str());
    describe_remote(s, s.config.synced_commit, **remote);
    parent = **remote;  // history kept: a commit on top whose tree is the store's
  }
  if (lc->changes.empty() && !remote_moved && parent) {
    if (auto r = record_push(s, *lc, *parent, s.config.branch, "", ""); !r) return fail(r.errors(), kRefused);
    say("nothing to push: " + s.store->display_url() + " matches " + s.config.branch + " at " + parent->short_hex());
    return kDone;
  }
  bool rejected = false;
  // Over --force the base is the synced tree all the same: the result is the
  // store's content exactly.
  auto c = commit_and_push(s, *base_tree, parent, lc->changes, o.message, s.config.branch, o.author, rejected, &trace);
  if (!c) return fail(c.errors(), kRefused);
  if (rejected)
    return fail("push refused: remote is ahead: someone pushed to " + s.config.branch + " meanwhile; pull first", kRefused);
  const Oid at = *c ? **c : *parent;
  if (auto r = record_push(s, *lc, at, s.config.branch, "push", o.message); !r) return fail(r.errors(), kRefused);
  trace.step("state recorded");
  say("pushed " + count(lc->changes.size(), "change") + " to " + s.config.branch + ": commit " + at.short_hex());
  list_changes(lc->changes, out_);
  return kDone;
}

// ---- pull -----------------------------------------------------------------------

int Runner::pull(const std::string& url, const PullOptions& o, const std::string& switch_to) {
  if (o.discard && !o.to_branch.empty()) return fail("--discard and --to-branch go separately", kUsage);
  if (!o.to_branch.empty() && !valid_branch_name(o.to_branch))
    return fail("--to-branch " + o.to_branch + ": not a valid branch name", kUsage);
  int rc = kDone;
  auto opened = open(url, true, rc);
  if (!opened) return rc;
  Session& s = *opened;
  if (auto r = rearm(s); !r) return fail(r.errors(), kRefused);
  if (auto r = open_repo(s); !r) return fail(r.errors(), kRefused);
  bool discard = o.discard;
  if (!o.to_branch.empty()) {
    // Save the local changes on a new branch, then take the branch's content.
    if (s.production()) return fail("a production store has no local changes to push", kRefused);
    auto base_tree = synced_tree(s);
    if (!base_tree) return fail(base_tree.errors(), kRefused);
    ChangeOptions co;
    co.keep_blob = [&](const std::string& text, const Oid&) -> Status {
      auto b = s.repo->write_blob(text);
      return b ? ok_status() : Status(b.errors());
    };
    auto lc = changes_in_snapshot(s, co);
    if (!lc) return fail(lc.errors(), kRefused);
    if (!lc->changes.empty()) {
      auto branches = s.repo->branches(s.auth);
      if (!branches) return fail(branches.errors(), kRefused);
      for (const auto& [b, id] : *branches)
        if (b == o.to_branch) return fail(s.config.repo + " already has a branch " + o.to_branch + ": pick a new name", kRefused);
      const std::optional<Oid> synced = s.config.synced_commit ? Oid::parse(*s.config.synced_commit) : std::nullopt;
      bool rejected = false;
      const std::string msg = o.message.empty() ? "metaport: local changes of " + s.store->display_url() : o.message;
      auto c = commit_and_push(s, *base_tree, synced, lc->changes, msg, o.to_branch, "", rejected);
      if (!c) return fail(c.errors(), kRefused);
      if (rejected) return fail(s.config.repo + ": someone created " + o.to_branch + " meanwhile", kRefused);
      say("saved " + count(lc->changes.size(), "local change") + " to the new branch " + o.to_branch + " (commit " +
          (*c ? (*c)->short_hex() : std::string("-")) + ")");
    }
    discard = true;
  }
  return pull_into(s, switch_to.empty() ? s.config.branch : switch_to, discard, !switch_to.empty(),
                   switch_to.empty() ? "pull" : "switch", o.progress);
}

int Runner::pull_into(Session& s, const std::string& branch, bool discard, bool switching, const std::string& action,
                      bool progress) {
  Trace trace;
  auto head = s.repo->fetch(branch, s.auth);
  if (!head) {
    fail(head.errors(), kRefused);
    return fail(s.store->display_url() + " is unchanged", kRefused);
  }
  if (!*head) return fail(s.config.repo + " has no branch " + branch, kRefused);
  const Oid H = **head;
  auto htree = s.repo->tree_of(H);
  if (!htree) return fail(htree.errors(), kRefused);
  auto old_tree = synced_tree(s);
  if (!old_tree) return fail(old_tree.errors(), kRefused);

  if (auto b = s.store->begin_write(); !b) return fail(b.errors(), kRefused);
  TxGuard guard{*s.store};
  if (auto l = s.state->lock_marks(); !l) return fail(l.errors(), kRefused);
  auto before = local_changes(*s.store, schema_, *s.state, s.config, {});
  if (!before) return fail(before.errors(), kRefused);
  trace.step("fetched, local changes");
  if (!before->changes.empty() && !discard)
    return refuse_unsynced(*before, std::string(switching ? "branch --switch" : "pull") + " refused",
                           "push them first, save them on a new branch (`sync pull --to-branch NEW`), or drop them "
                           "(`--discard`)");
  if (s.config.synced_commit && *s.config.synced_commit == H.hex() && before->changes.empty()) {
    if (auto c = s.state->clear(before->marks); !c) return fail(c.errors(), kRefused);
    s.config.branch = branch;
    if (auto c = s.state->save_config(s.config); !c) return fail(c.errors(), kRefused);
    if (auto c = s.store->commit(); !c) return fail(c.errors(), kRefused);
    say(s.store->display_url() + " is up to date with " + branch + " at " + H.short_hex());
    return kDone;
  }

  // What to load: the files that changed on the branch since the synced
  // commit, and (--discard) the synced files of locally changed entities.
  // Nothing synced yet: every file, read as the branch's tree is walked
  // (no list of them is made).
  const bool whole = !*old_tree;
  auto deltas = whole ? Result<std::vector<FileDelta>>(std::vector<FileDelta>()) : s.repo->diff(*old_tree, *htree);
  if (!deltas) return fail(deltas.errors(), kRefused);
  std::map<std::string, Oid> to_load;
  std::optional<Oid> header;
  std::vector<SyncedEntity> candidates;  // entities whose synced file went away or changed
  auto open_files = [&]() {
    if (whole) return open_git_tree(*s.repo, H, *htree, header, schema_, s.config.tree_layout);
    std::vector<TreeFile> files;
    for (const auto& [p, b] : to_load) files.push_back(TreeFile{p, b});
    return open_git_tree(*s.repo, H, std::move(files), header, schema_, s.config.tree_layout);
  };
  for (const auto& d : *deltas) {
    if (d.new_blob) to_load[d.path] = *d.new_blob;
    if (d.old_blob) {
      auto e = s.state->by_path(d.path);
      if (!e) return fail(e.errors(), kRefused);
      if (*e) candidates.push_back(**e);
    }
  }
  if (auto h = s.repo->file_at(*htree, kHeaderFile); h && *h) header = **h;
  to_load.erase(kHeaderFile);
  std::vector<std::pair<std::string, std::int64_t>> local_only;  // created locally: discarded
  if (discard) {
    auto listed = before->changes.each([&](const Change& c) -> Status {
      if (c.type == ChangeType::created) {
        if (c.id) local_only.emplace_back(c.kind, *c.id);
        return ok_status();
      }
      if (whole || c.old_path.empty() || to_load.count(c.old_path)) return ok_status();
      auto there = s.repo->file_at(*htree, c.old_path);
      if (!there) return there.errors();
      if (*there) to_load[c.old_path] = **there;
      return ok_status();
    });
    if (!listed) return fail(listed.errors(), kRefused);
  }
  trace.step("diff");
  // Keys of the entities the loaded files hold: a candidate among them
  // moved or stayed; the others are deleted.
  std::set<std::pair<std::string, std::string>> incoming;
  if (!candidates.empty() || !local_only.empty()) {
    auto reader = open_files();
    if (!reader) return fail(reader.errors(), kRefused);
    engine::UpgradedRecords recs(schema_, **reader);
    if (auto c = recs.check(); !c) return fail(c.errors(), kRefused);
    format::Record r;
    Entity e;
    Errors ignored;  // the load below reports them
    DecodeOptions dopts;
    dopts.keep_unknown = true;
    while (recs.next_entity(r, e, ignored, dopts)) incoming.emplace(e.kind->name, e.key.str());
  }

  if (auto b = s.state->bypass_on(); !b) return fail(b.errors(), kRefused);
  std::size_t deleted = 0;
  auto remove_row = [&](const std::string& kind, std::int64_t id) -> Status {
    auto row = s.store->fetch(kind, id);
    if (!row) return row.errors();
    if (!*row) return ok_status();
    ++deleted;
    return s.store->remove(kind, id);
  };
  for (const auto& c : candidates)
    if (!incoming.count({c.kind, c.key}) && c.id)
      if (auto r = remove_row(c.kind, *c.id); !r) return fail(r.errors(), kRefused);
  if (!local_only.empty()) {
    // Local creations the branch holds too (by key) stay, to be updated.
    std::set<std::pair<std::string, std::int64_t>> kept;
    auto listed = before->changes.each([&](const Change& c) -> Status {
      if (c.id && incoming.count({c.kind, c.key})) kept.emplace(c.kind, *c.id);
      return ok_status();
    });
    if (!listed) return fail(listed.errors(), kRefused);
    for (const auto& [kind, id] : local_only)
      if (!kept.count({kind, id}))
        if (auto r = remove_row(kind, id); !r) return fail(r.errors(), kRefused);
  }
  engine::LoadReport report;
  if (progress)
    note("pull: loading " + (whole ? std::string("every file") : count(to_load.size(), "file")) + " of " + branch +
         " at " + H.short_hex() + " in one transaction");
  if (whole || !to_load.empty()) {
    auto reader = open_files();
    if (!reader) return fail(reader.errors(), kRefused);
    engine::LoadOptions lo;
    lo.mode = engine::Mode::update;
    lo.on_error = engine::OnError::abort;
    lo.in_transaction = true;
    lo.progress = progress;
    auto r = engine::load(*s.store, schema_, **reader, lo);
    if (!r) {
      fail(r.errors(), kRefused);
      return fail("nothing was pulled: " + s.store->display_url() + " is unchanged", kRefused);
    }
    report = std::move(*r);
    trace.step("loaded");
    if (report.failed() > 0) {
      std::fprintf(err_, "error: %s at %s does not load (%s):\n", branch.c_str(), H.short_hex().c_str(),
                   (report.failed() == 1 ? std::string("1 entity") : std::to_string(report.failed()) + " entities").c_str());
      for (const auto& f : report.failures) {
        if (!f.kind.empty()) std::fprintf(err_, "  %s %s\n", f.kind.c_str(), f.key.c_str());
        for (const auto& e : f.errors) std::fprintf(err_, "    %s\n", e.to_string().c_str());
      }
      return fail("nothing was pulled: " + s.store->display_url() + " is unchanged (still at " +
                      (s.config.synced_commit ? short_id(*s.config.synced_commit) : std::string("nothing synced")) + ")",
                  kRefused);
    }
  }

  // The new synced state: what the store renders now, where the branch holds it.
  if (progress) note("pull: loaded, not committed yet; recording the synced state");
  return_freed_memory();
  auto after = local_changes(*s.store, schema_, *s.state, s.config, {});
  if (!after) return fail(after.errors(), kRefused);
  trace.step("rendered after the load");
  std::vector<const OutsideRef*> dangling;
  for (const auto& r : after->outside)
    if (r.missing) dangling.push_back(&r);
  if (!dangling.empty()) {
    std::fprintf(err_, "error: %s at %s does not hold together: %zu references point to nothing:\n", branch.c_str(),
                 H.short_hex().c_str(), dangling.size());
    for (std::size_t i = 0; i < dangling.size() && i < kListed; ++i) std::fprintf(err_, "  %s\n", dangling[i]->str().c_str());
    return fail("nothing was pulled: " + s.store->display_url() + " is unchanged", kRefused);
  }
  // Where the branch holds each entity: the changed files in path order
  // beside a walk of the branch's tree (both in git's order), so that
  // neither side is held; state rows are written a batch at a time.
  constexpr std::size_t kRows = 1000;
  std::vector<SyncedEntity> rows = after->relinked;
  std::vector<std::pair<std::string, std::string>> gone;
  std::vector<Change> strays;
  auto branch_files = s.repo->walk(*htree);
  if (!branch_files) return fail(branch_files.errors(), kRefused);
  std::string file_path;
  Oid file_blob;
  bool more_files = true, started = false;
  auto placed = after->changes.each_by_new_path([&](const Change& c) -> Status {
    while (more_files && (!started || file_path < c.new_path)) {
      auto more = (*branch_files)->next(file_path, file_blob);
      if (!more) return more.errors();
      more_files = *more;
      started = true;
    }
    if (!more_files || file_path != c.new_path) {
      strays.push_back(c);
      return ok_status();
    }
    rows.push_back(SyncedEntity{c.kind, c.key, c.id, c.new_path, file_blob.hex(), c.blob.hex(), c.place});
    if (rows.size() < kRows) return ok_status();
    auto u = s.state->upsert(rows);
    rows.clear();
    return u;
  });
  if (!placed) return fail(placed.errors(), kRefused);
  auto removed = after->changes.each([&](const Change& c) -> Status {
    if (c.type != ChangeType::deleted) return ok_status();
    gone.emplace_back(c.kind, c.key);
    if (gone.size() < kRows) return ok_status();
    auto r = s.state->remove(gone);
    gone.clear();
    return r;
  });
  if (!removed) return fail(removed.errors(), kRefused);
  if (!strays.empty()) {
    // Files a person placed where this layout would not: find them by key.
    std::set<std::pair<std::string, std::string>> wanted;
    for (const auto& c : strays) wanted.emplace(c.kind, c.key);
    std::map<std::pair<std::string, std::string>, std::string> where;
    auto reader = open_files();
    if (!reader) return fail(reader.errors(), kRefused);
    engine::UpgradedRecords recs(schema_, **reader);
    format::Record r;
    Entity e;
    Errors ignored;
    DecodeOptions dopts;
    dopts.keep_unknown = true;
    while (recs.next_entity(r, e, ignored, dopts))
      if (wanted.count({e.kind->name, e.key.str()}))
        where[{e.kind->name, e.key.str()}] = r.origin.file.substr(r.origin.file.find(':') + 1);
    for (const Change& c : strays) {
      auto it = where.find({c.kind, c.key});
      auto blob = it == where.end() ? Result<std::optional<Oid>>(std::optional<Oid>()) : s.repo->file_at(*htree, it->second);
      if (!blob) return fail(blob.errors(), kRefused);
      if (!*blob)
        return fail(c.kind + " " + c.key + " is in the store after the pull but in no file of " + branch + " at " +
                        H.short_hex() + " (a bug: please report it)",
                    kRefused);
      rows.push_back(SyncedEntity{c.kind, c.key, c.id, it->second, (*blob)->hex(), c.blob.hex(), c.place});
      note(c.kind + " " + c.key + " sits at " + it->second + " on the branch; the next push moves it to " + c.new_path);
    }
  }
  trace.step("placed on the branch");
  if (auto u = s.state->upsert(rows); !u) return fail(u.errors(), kRefused);
  if (auto r = s.state->remove(gone); !r) return fail(r.errors(), kRefused);
  if (auto c = s.state->clear_all_marks(); !c) return fail(c.errors(), kRefused);
  if (auto b = s.state->bypass_off(); !b) return fail(b.errors(), kRefused);
  s.config.synced_commit = H.hex();
  s.config.branch = branch;
  if (auto c = s.state->save_config(s.config); !c) return fail(c.errors(), kRefused);
  LogLine l{utc_now(), action, branch, H.hex(), 0, 0, static_cast<std::int64_t>(deleted), ""};
  for (const auto& [k, c] : report.kinds) {
    l.created += static_cast<std::int64_t>(c.created);
    l.updated += static_cast<std::int64_t>(c.updated);
  }
  if (discard && !before->changes.empty()) l.note = count(before->changes.size(), "local change") + " discarded";
  if (auto g = s.state->log(l); !g) return fail(g.errors(), kRefused);
  if (auto c = s.store->commit(); !c) {
    fail(c.errors(), kRefused);
    return fail("nothing was pulled: " + s.store->display_url() + " is unchanged", kRefused);
  }
  trace.step("committed");
  say("pulled " + branch + " at " + H.short_hex() + " into " + s.store->display_url() + ": " + std::to_string(l.created) +
      " created, " + std::to_string(l.updated) + " updated, " + std::to_string(l.deleted) + " deleted" +
      (l.note.empty() ? "" : " (" + l.note + ")"));
  return kDone;
}

// ---- branch ---------------------------------------------------------------------

int Runner::branch(const std::string& url, const BranchOptions& o) {
  if (o.create.empty() == o.switch_to.empty()) return fail("branch: give NEW, or --switch BRANCH", kUsage);
  const std::string& name = o.create.empty() ? o.switch_to : o.create;
  if (!valid_branch_name(name)) return fail(name + ": not a valid branch name", kUsage);
  if (!o.switch_to.empty()) {
    int rc = kDone;
    auto opened = open(url, true, rc);
    if (!opened) return rc;
    Session& s = *opened;
    if (auto r = rearm(s); !r) return fail(r.errors(), kRefused);
    if (auto r = open_repo(s); !r) return fail(r.errors(), kRefused);
    return pull_into(s, o.switch_to, false, true, "switch");
  }
  int rc = kDone;
  auto opened = open(url, true, rc);
  if (!opened) return rc;
  Session& s = *opened;
  if (s.production()) return fail("a production store only pulls: create branches from a development store", kRefused);
  if (!s.config.synced_commit) return fail("nothing synced yet: a new branch starts from the synced commit", kRefused);
  if (auto r = open_repo(s); !r) return fail(r.errors(), kRefused);
  auto branches = s.repo->branches(s.auth);
  if (!branches) return fail(branches.errors(), kRefused);
  for (const auto& [b, id] : *branches)
    if (b == o.create) return fail(s.config.repo + " already has a branch " + o.create + ": use --switch", kRefused);
  auto tree = synced_tree(s);  // makes sure the cache has the commit
  if (!tree) return fail(tree.errors(), kRefused);
  const Oid at = *Oid::parse(*s.config.synced_commit);
  auto pushed = s.repo->push(at, o.create, s.auth, false);
  if (!pushed) return fail(pushed.errors(), kRefused);
  if (*pushed == PushResult::rejected) return fail(s.config.repo + ": someone created " + o.create + " meanwhile", kRefused);
  if (auto b = s.store->begin_write(); !b) return fail(b.errors(), kRefused);
  TxGuard guard{*s.store};
  const std::string from = s.config.branch;
  s.config.branch = o.create;
  if (auto c = s.state->save_config(s.config); !c) return fail(c.errors(), kRefused);
  if (auto l = s.state->log(LogLine{utc_now(), "branch", o.create, at.hex(), 0, 0, 0, "from " + from}); !l)
    return fail(l.errors(), kRefused);
  if (auto c = s.store->commit(); !c) return fail(c.errors(), kRefused);
  say("created branch " + o.create + " at " + at.short_hex() + " (the synced commit of " + from + "); " +
      s.store->display_url() + " syncs with " + o.create + " from now on");
  return kDone;
}

// ---- watch ----------------------------------------------------------------------

int Runner::watch(const std::string& url, const WatchOptions& o) {
  auto interval = parse_interval(o.interval);
  if (!interval) return fail("--interval " + o.interval + ": expected a duration such as 30s, 5m or 1h", kUsage);
  g_stop = 0;
  struct sigaction sa{};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  struct sigaction old_term{}, old_int{};
  sigaction(SIGTERM, &sa, &old_term);
  sigaction(SIGINT, &sa, &old_int);
  struct Restore {
    struct sigaction t, i;
    ~Restore() {
      sigaction(SIGTERM, &t, nullptr);
      sigaction(SIGINT, &i, nullptr);
    }
  } restore{old_term, old_int};
  int last = kDone;
  for (;;) {
    int rc = kDone;
    auto opened = open(url, true, rc);
    if (!opened) return rc;
    Session& s = *opened;
    if (auto r = rearm(s); !r) return fail(r.errors(), kRefused);
    if (auto r = open_repo(s); !r) return fail(r.errors(), kRefused);
    auto head = s.repo->fetch(s.config.branch, s.auth);
    const std::string now = utc_now();
    if (!head) {
      last = kRefused;
      std::string why = head.errors().list().empty() ? "" : head.errors().list()[0].message;
      note(now + " watch: " + why);
      if (s.store->begin_write()) {
        TxGuard guard{*s.store};
        if (s.state->log(LogLine{now, "watch", s.config.branch, "", 0, 0, 0, "fetch failed: " + why}))
          (void)s.store->commit();
      }
    } else if (*head && (!s.config.synced_commit || *s.config.synced_commit != (*head)->hex())) {
      last = pull_into(s, s.config.branch, false, false, "watch");
      auto log = s.state->recent_log(1);
      if (last == kDone && log && !log->empty()) {
        const auto& l = (*log)[0];
        note(l.at + " pulled " + l.branch + " at " + short_id(l.commit) + ": " + std::to_string(l.created) + " created, " +
             std::to_string(l.updated) + " updated, " + std::to_string(l.deleted) + " deleted");
      } else if (last != kDone && s.store->begin_write()) {
        TxGuard guard{*s.store};
        if (s.state->log(LogLine{utc_now(), "watch", s.config.branch, (*head)->hex(), 0, 0, 0, "pull failed (see its output)"}))
          (void)s.store->commit();
      }
    } else {
      last = kDone;
      note(now + " " + s.config.branch + " unchanged at " + (*head ? (*head)->short_hex() : std::string("(no commits)")));
    }
    if (o.once) return last;
    for (long waited = 0; waited < *interval * 10 && !g_stop; ++waited)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (g_stop) {
      note(utc_now() + " watch stopped");
      return kDone;
    }
  }
}

}  // namespace

int Sync::connect(const std::string& store, const ConnectOptions& o) { return Runner(schema_, out_, err_, cache_dir_).connect(store, o); }
int Sync::status(const std::string& store, bool json) { return Runner(schema_, out_, err_, cache_dir_).status(store, json); }
int Sync::push(const std::string& store, const PushOptions& o) { return Runner(schema_, out_, err_, cache_dir_).push(store, o); }
int Sync::pull(const std::string& store, const PullOptions& o) { return Runner(schema_, out_, err_, cache_dir_).pull(store, o); }
int Sync::branch(const std::string& store, const BranchOptions& o) { return Runner(schema_, out_, err_, cache_dir_).branch(store, o); }
int Sync::after_migrate(const std::string& store) { return Runner(schema_, out_, err_, cache_dir_).after_migrate(store); }
int Sync::watch(const std::string& store, const WatchOptions& o) { return Runner(schema_, out_, err_, cache_dir_).watch(store, o); }

}  // namespace metaport::sync
