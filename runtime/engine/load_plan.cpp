// The plan: everything a load decides before it writes (docs/loading.md),
// kept in a scratch database rather than in memory (docs/memory.md):
//
//   node(n, kind, key, rec, store_id, id, missing, looked_up)
//        every (kind, key) the load mentions: the record defining it in this
//        dump, its id in the store if it is there, its id once applied
//   rec(r, node, off, len, failed, action, secrets)
//        every accepted record, in input order, and where its bytes are in
//        the spool
//   dep(r, node, flags)       the references of each record
//   err(r, ...)               the errors of failed records
//   user_ref(r, node, path)   references to users (--user rewrites them)
//   rewrite(r, path)          the rewrites --user decided
//
// Each step is a pass over these tables or a query: a merge of sorted keys
// with the store's own key order, anti-joins, frontier-by-frontier spreading
// of failures. Memory holds a bounded cache of recent keys and small batches.
#include "runtime/engine/loader.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <functional>

#include "metaport/format/json.hpp"
#include "metaport/format/yaml_reader.hpp"
#include "runtime/format/io.hpp"

namespace metaport::engine::load_detail {
using disk::Stmt;
namespace {

std::int64_t as_int(std::string_view text) {
  std::int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

// Reads the spool front to back in large blocks: [u32 length][record]...
class SpoolCursor {
 public:
  SpoolCursor(const Spool& spool, std::uint64_t from) : spool_(spool), pos_(from) {}
  // The next record's bytes and offset (of the record, after its length); false at the end.
  Result<bool> next(std::string_view& record, std::uint64_t& off) {
    if (pos_ >= spool_.size()) return false;
    std::uint32_t len = 0;
    if (auto s = ensure(4); !s) return s.errors();
    std::memcpy(&len, buf_.data() + (pos_ - base_), 4);
    if (auto s = ensure(4 + std::uint64_t{len}); !s) return s.errors();
    off = pos_ + 4;
    record = std::string_view(buf_.data() + (off - base_), len);
    pos_ = off + len;
    return true;
  }

 private:
  Status ensure(std::uint64_t n) {
    if (pos_ >= base_ && pos_ + n <= base_ + buf_.size()) return ok_status();
    base_ = pos_;
    const std::uint64_t want = std::max<std::uint64_t>(n, 1 << 20);
    const std::uint64_t have = spool_.size() - pos_;
    if (have < n) return make_error("the load's spool file is truncated");
    return spool_.read(base_, static_cast<std::uint32_t>(std::min(want, have)), buf_);
  }
  const Spool& spool_;
  std::uint64_t pos_;
  std::uint64_t base_ = 0;
  std::string buf_;
};

}  // namespace

Status Loader::open_plan() {
  if (plan_) return ok_status();
  auto db = disk::ScratchDb::open("the load's plan");
  if (!db) return db.errors();
  plan_ = std::move(*db);
  return plan_->exec(
      "CREATE TABLE node(n INTEGER PRIMARY KEY, kind INT NOT NULL, key TEXT NOT NULL, rec INT, store_id INT, id INT, "
      "  missing INT NOT NULL DEFAULT 0, looked_up INT NOT NULL DEFAULT 0);"
      "CREATE UNIQUE INDEX node_key ON node(kind, key);"
      "CREATE TABLE rec(r INTEGER PRIMARY KEY, node INT NOT NULL, off INT NOT NULL, len INT NOT NULL,"
      "  failed INT NOT NULL DEFAULT 0, action INT NOT NULL DEFAULT 0, secrets INT NOT NULL DEFAULT 0,"
      "  reported INT NOT NULL DEFAULT 0);"
      "CREATE TABLE dep(r INT NOT NULL, node INT NOT NULL, flags INT NOT NULL);"
      "CREATE TABLE err(r INT NOT NULL, message TEXT, path TEXT, file TEXT, line INT, col INT, entity TEXT);"
      "CREATE INDEX err_r ON err(r);"
      "CREATE TABLE user_ref(r INT NOT NULL, node INT NOT NULL, path TEXT NOT NULL);"
      "CREATE TABLE rewrite(r INT NOT NULL, path TEXT NOT NULL);"
      "CREATE INDEX rewrite_r ON rewrite(r);"
      "CREATE TABLE failed_key(kind INT NOT NULL, key TEXT NOT NULL, PRIMARY KEY(kind, key)) WITHOUT ROWID;");
}

// The node of (kind, key), made on first sight.
Result<std::int64_t> Loader::intern(std::uint32_t kind, const Key& key) {
  const std::string text = key_text(kind, key);
  if (auto hit = nodes_cache_.find(kind, text)) return *hit;
  auto& find = plan_->stmt("SELECT n FROM node WHERE kind = ?1 AND key = ?2");
  find.bind(1, static_cast<std::int64_t>(kind)).bind(2, text);
  auto row = find.step();
  if (!row) return row.errors();
  std::int64_t n;
  if (*row) {
    n = find.int_at(0);
    find.reset();
  } else {
    find.reset();
    auto& ins = plan_->stmt("INSERT INTO node(kind, key) VALUES(?1, ?2)");
    ins.bind(1, static_cast<std::int64_t>(kind)).bind(2, text);
    if (auto s = ins.run(); !s) return s.errors();
    n = plan_->last_insert_rowid();
  }
  nodes_cache_.put(kind, text, n);
  return n;
}

Status Loader::build_plan(std::uint64_t from) {
  if (auto s = open_plan(); !s) return s;
  if (auto s = spool_.flush(); !s) return s;
  SpoolCursor cursor(spool_, from);
  std::string_view bytes;
  std::uint64_t off = 0;
  SpoolRecord rec;
  for (;;) {
    auto more = cursor.next(bytes, off);
    if (!more) return more.errors();
    if (!*more) break;
    if (!read_spool_record(bytes, input_name_, rec)) return make_error("the load's spool file holds a bad record");
    if (auto s = plan_record(plan_records_, off, static_cast<std::uint32_t>(bytes.size()), rec); !s) return s;
  }
  planned_to_ = spool_.size();
  return ok_status();
}

// One record into the plan: its node (a duplicate fails here), its references.
Status Loader::plan_record(std::int64_t r, std::uint64_t off, std::uint32_t len, const SpoolRecord& rec) {
  const KindInfo& kind = *schema_.kinds[rec.kind];
  auto node = intern(rec.kind, rec.key);
  if (!node) return node.errors();
  auto& first = plan_->stmt("SELECT r.off, r.len FROM node n JOIN rec r ON r.r = n.rec WHERE n.n = ?1");
  first.bind(1, *node);
  auto dup = first.step();
  if (!dup) return dup.errors();
  if (*dup && rec.failed) {  // a record that did not decode, of a key that has one: nothing to add
    first.reset();
    return ok_status();
  }
  if (*dup) {
    const std::uint64_t first_off = static_cast<std::uint64_t>(first.int_at(0));
    const auto first_len = static_cast<std::uint32_t>(first.int_at(1));
    first.reset();
    SpoolRecord other;
    if (auto s = read_record(first_off, first_len, other); !s) return s;
    ++report_.kinds[kind.name].failed;
    record_failure(kind.name, rec.key.str(), rec.origin,
                   {Error{"duplicate " + label(kind, rec.key) + ": the same entity is also at " + other.origin.str(), {},
                          rec.origin.mark, rec.origin.file, {}}});
    return ok_status();
  }
  first.reset();
  auto& ins = plan_->stmt(
      "INSERT INTO rec(r, node, off, len, secrets, failed, reported) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?6)");
  ins.bind(1, r).bind(2, *node).bind(3, static_cast<std::int64_t>(off)).bind(4, static_cast<std::int64_t>(len));
  ins.bind(5, static_cast<std::int64_t>(rec.unknown_secrets.empty() ? 0 : 1));
  ins.bind(6, static_cast<std::int64_t>(rec.failed ? 1 : 0));
  if (auto s = ins.run(); !s) return s;
  auto& own = plan_->stmt("UPDATE node SET rec = ?1 WHERE n = ?2");
  own.bind(1, r).bind(2, *node);
  if (auto s = own.run(); !s) return s;
  ++plan_records_;
  // One dependency per target (the spool's references are deduplicated,
  // except a user's, which keeps each path for --user).
  std::int64_t last = -1;
  std::uint8_t last_flags = 0;
  auto flush_dep = [&]() -> Status {
    if (last < 0) return ok_status();
    auto& dep = plan_->stmt("INSERT INTO dep(r, node, flags) VALUES(?1, ?2, ?3)");
    dep.bind(1, r).bind(2, last).bind(3, static_cast<std::int64_t>(last_flags));
    return dep.run();
  };
  for (const auto& ref : rec.refs) {
    auto t = intern(ref.kind, ref.key);
    if (!t) return t.errors();
    if (ref.flags & kUser) {
      auto& u = plan_->stmt("INSERT INTO user_ref(r, node, path) VALUES(?1, ?2, ?3)");
      u.bind(1, r).bind(2, *t).bind(3, path_json(ref.path));
      if (auto s = u.run(); !s) return s;
    }
    if (*t == last) {
      last_flags |= ref.flags;
      continue;
    }
    if (auto s = flush_dep(); !s) return s;
    last = *t;
    last_flags = ref.flags;
  }
  return flush_dep();
}

// Which nodes already exist in the store.
Status Loader::resolve_identities(bool only_new) {
  for (std::uint32_t k = 0; k < schema_.kinds.size(); ++k)
    if (auto s = lookup_kind(k, only_new); !s) return s;
  return ok_status();
}

Status Loader::lookup_kind(std::uint32_t k, bool only_new) {
  const std::string& kind = schema_.kinds[k]->name;
  const bool integer = schema_.kinds[k]->key_is_id();
  auto& count = plan_->stmt("SELECT count(*) FROM node WHERE kind = ?1 AND looked_up = 0");
  count.bind(1, static_cast<std::int64_t>(k));
  auto has = count.step();
  if (!has) return has.errors();
  const std::int64_t n = count.int_at(0);
  count.reset();
  (void)only_new;
  if (n == 0) return ok_status();
  auto& done = plan_->stmt("UPDATE node SET looked_up = 1 WHERE kind = ?1 AND looked_up = 0");
  done.bind(1, static_cast<std::int64_t>(k));
  // No store, or an empty one: nothing exists beyond the dump.
  if (!store_ || store_empty_) return done.run();
  auto& set = plan_->stmt("UPDATE node SET store_id = ?1 WHERE n = ?2");
  auto stored = store_->count(kind);
  if (!stored) return stored.errors();
  if (n < 64 || n * 20 < *stored) {  // a few: one query each
    auto which = plan_->prepare("SELECT n, key FROM node WHERE kind = ?1 AND looked_up = 0");
    if (!which) return which.errors();
    (*which)->bind(1, static_cast<std::int64_t>(k));
    for (;;) {
      auto row = (*which)->step();
      if (!row) return row.errors();
      if (!*row) break;
      auto key = store::key_from_text((*which)->text_at(1), tables_[k].key_single);
      if (!key) return make_error("internal error: a bad key in the load's plan");
      auto id = store_->lookup(kind, *key);
      if (!id) return id.errors();
      if (*id) {
        set.bind(1, **id).bind(2, (*which)->int_at(0));
        if (auto s = set.run(); !s) return s;
      }
    }
  } else {  // many: one pass over the store's keys, merged with ours in the same order
    auto which = plan_->prepare(integer ? "SELECT n, key FROM node WHERE kind = ?1 AND looked_up = 0 ORDER BY CAST(key AS INTEGER)"
                                        : "SELECT n, key FROM node WHERE kind = ?1 AND looked_up = 0 ORDER BY key");
    if (!which) return which.errors();
    Stmt& ours = **which;
    ours.bind(1, static_cast<std::int64_t>(k));
    auto row = ours.step();
    if (!row) return row.errors();
    bool more = *row;
    auto s = store_->scan_keys(kind, [&](std::int64_t id, Key key) -> Status {
      const std::string text = key_text(k, key);
      while (more) {
        const std::string_view mine = ours.text_at(1);
        const int c = integer ? (as_int(mine) < id ? -1 : as_int(mine) > id ? 1 : 0) : mine.compare(text);
        if (c > 0) break;
        if (c == 0) {
          set.bind(1, id).bind(2, ours.int_at(0));
          if (auto st = set.run(); !st) return st;
        }
        auto next = ours.step();
        if (!next) return next.errors();
        more = *next;
      }
      return ok_status();
    });
    if (!s) return s;
  }
  return done.run();
}

// References that are neither in the dump nor in the store: placeholders,
// --user, or failures.
Status Loader::resolve_missing() {
  std::optional<std::int64_t> user_node;
  std::uint32_t user_kind = 0;
  if (opts_.user) {
    if (schema_.user_kind.empty()) return make_error("--user: schema " + schema_.name + " has no users");
    user_kind = kind_index_.at(schema_.user_kind);
    auto u = intern(user_kind, Key(*opts_.user));
    if (!u) return u.errors();
    user_node = *u;
    if (auto s = lookup_kind(user_kind, true); !s) return s;
    auto& q = plan_->stmt("SELECT rec IS NOT NULL OR store_id IS NOT NULL FROM node WHERE n = ?1");
    q.bind(1, *user_node);
    auto row = q.step();
    if (!row) return row.errors();
    const bool exists = *row && q.int_at(0);
    q.reset();
    if (!exists) return make_error("--user " + *opts_.user + ": no such user in the target store or in the dump");
  }
  for (;;) {
    if (auto s = resolve_identities(true); !s) return s;
    // A batch at a time: placeholders add records (and nodes) as we go.
    std::vector<std::pair<std::int64_t, std::uint32_t>> batch;
    std::vector<std::string> keys;
    {
      auto& q = plan_->stmt(
          "SELECT n, kind, key FROM node WHERE rec IS NULL AND store_id IS NULL AND missing = 0 ORDER BY n LIMIT 4096");
      for (;;) {
        auto row = q.step();
        if (!row) return row.errors();
        if (!*row) break;
        batch.emplace_back(q.int_at(0), static_cast<std::uint32_t>(q.int_at(1)));
        keys.emplace_back(q.text_at(2));
      }
      q.reset();
    }
    if (batch.empty()) break;
    auto& missing = plan_->stmt("UPDATE node SET missing = 1 WHERE n = ?1");
    bool added = false;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const auto [n, k] = batch[i];
      const KindInfo& kind = *schema_.kinds[k];
      auto key = store::key_from_text(keys[i], tables_[k].key_single);
      if (!key) return make_error("internal error: a bad key in the load's plan");
      if (!(user_node && k == user_kind)) {  // a user's is re-attributed below
        StubPolicy p = schema_.stub_policy_of(kind.name);
        if ((p == StubPolicy::always || (p == StubPolicy::on_flag && opts_.stub_missing)) && schema_.make_stub) {
          if (auto doc = schema_.make_stub(kind.name, *key)) {
            const std::int64_t before = records_;
            if (auto s = add_entity(k, *doc, Origin{"(placeholder)", {}, {}}, true); !s) return s;
            if (records_ > before) {
              (p == StubPolicy::always ? report_.placeholders : report_.stubs).push_back(label(kind, *key));
              added = true;
              continue;
            }
          }
        }
      }
      missing.bind(1, n);
      if (auto s = missing.run(); !s) return s;
    }
    if (added)
      if (auto s = build_plan(planned_to_); !s) return s;
  }
  if (user_node) {
    const std::string user_nodes = "SELECT n FROM node WHERE missing = 1 AND kind = " + std::to_string(user_kind);
    if (auto s = plan_->exec("INSERT INTO rewrite(r, path) SELECT u.r, u.path FROM user_ref u WHERE u.node IN (" +
                             user_nodes + ")");
        !s)
      return s;
    report_.remapped += static_cast<std::size_t>(plan_->changes());
    if (auto s = plan_->exec("UPDATE dep SET node = " + std::to_string(*user_node) + " WHERE node IN (" + user_nodes + ")");
        !s)
      return s;
  }
  return ok_status();
}

// The position of `path` in the file a record came from, when that file
// holds just this entity (a tree file): re-read only for failures.
Mark Loader::locate(const Origin& origin, const std::string& path) {
  if (path.empty() || !(origin.file.ends_with(".yaml") || origin.file.ends_with(".yml"))) return {};
  if (origin.mark.line != 1) return {};  // a record inside a stream: its own line is all we know
  auto text = io::read_file(origin.file);
  if (!text) return {};
  auto doc = yaml::parse(*text);
  if (!doc) return {};
  const Value* at = &*doc;
  Mark best = at->mark;
  // Walk "a.b[2].c" (keys may contain '/', never '.' or '[' in metaport's own paths).
  std::size_t i = 0;
  while (at && i < path.size()) {
    if (path[i] == '.') { ++i; continue; }
    if (path[i] == '[') {
      std::size_t close = path.find(']', i);
      if (close == std::string::npos) break;
      std::size_t idx = std::stoul(path.substr(i + 1, close - i - 1));
      at = at->is_array() && idx < at->size() ? &at->as_array()[idx] : nullptr;
      i = close + 1;
    } else {
      std::size_t end = path.find_first_of(".[", i);
      if (end == std::string::npos) end = path.size();
      at = at->find(path.substr(i, end - i));
      i = end;
    }
    if (at && at->mark.known()) best = at->mark;
  }
  return best;
}

Status Loader::fail(std::int64_t r, Error e) {
  auto& q = plan_->stmt("SELECT off, len FROM rec WHERE r = ?1");
  q.bind(1, r);
  auto row = q.step();
  if (!row) return row.errors();
  if (!*row) return make_error("internal error: no record " + std::to_string(r) + " in the load's plan");
  const auto off = static_cast<std::uint64_t>(q.int_at(0));
  const auto len = static_cast<std::uint32_t>(q.int_at(1));
  q.reset();
  SpoolRecord rec;
  if (auto s = read_record(off, len, rec); !s) return s;
  return fail(r, rec, std::move(e));
}

Status Loader::fail(std::int64_t r, const SpoolRecord& rec, Error e) {
  if (!e.mark.known()) e.mark = locate(rec.origin, e.path);  // the member's own line, when the file says
  e = rec.origin.place(std::move(e));
  auto& ins = plan_->stmt("INSERT INTO err(r, message, path, file, line, col, entity) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  ins.bind(1, r).bind(2, e.message).bind(3, e.path).bind(4, e.file);
  ins.bind(5, static_cast<std::int64_t>(e.mark.line)).bind(6, static_cast<std::int64_t>(e.mark.col)).bind(7, e.entity);
  if (auto s = ins.run(); !s) return s;
  auto& up = plan_->stmt("UPDATE rec SET failed = 1 WHERE r = ?1");
  up.bind(1, r);
  return up.run();
}

// A containment chain that loops (a collection inside itself) can never be
// placed: every entity on the loop fails, with the chain in the message.
// Only kinds that can contain themselves (directly or through others) can
// loop; their records are peeled from the leaves up (a record is safe once
// all its containers are), and what remains is on a loop or inside one.
Status Loader::find_containment_cycles() {
  std::string kinds;
  for (std::size_t k = 0; k < nests_.size(); ++k)
    if (nests_[k]) kinds += (kinds.empty() ? "" : ",") + std::to_string(k);
  if (kinds.empty()) return ok_status();
  if (auto s = plan_->exec(
          "DROP TABLE IF EXISTS temp.pe; DROP TABLE IF EXISTS temp.unsafe;"
          "CREATE TEMP TABLE pe AS SELECT d.r AS r, t.rec AS p FROM dep d JOIN node t ON t.n = d.node"
          "  JOIN rec x ON x.r = d.r JOIN node s ON s.n = x.node"
          "  WHERE (d.flags & 2) != 0 AND t.rec IS NOT NULL AND t.kind IN (" + kinds + ") AND s.kind IN (" + kinds + ");"
          "CREATE INDEX temp.pe_r ON pe(r);"
          "CREATE TEMP TABLE unsafe(r INTEGER PRIMARY KEY);"
          "INSERT INTO unsafe SELECT DISTINCT r FROM pe;");
      !s)
    return s;
  for (;;) {
    if (auto s = plan_->exec("DELETE FROM unsafe WHERE NOT EXISTS (SELECT 1 FROM pe JOIN unsafe u ON u.r = pe.p "
                             "WHERE pe.r = unsafe.r)");
        !s)
      return s;
    if (plan_->changes() == 0) break;
  }
  // What remains is small (it is all failures): find the loops in memory.
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> parents;
  {
    auto& q = plan_->stmt("SELECT pe.r, pe.p FROM pe JOIN unsafe a ON a.r = pe.r JOIN unsafe b ON b.r = pe.p ORDER BY pe.r");
    for (;;) {
      auto row = q.step();
      if (!row) return row.errors();
      if (!*row) break;
      parents[q.int_at(0)].push_back(q.int_at(1));
    }
    q.reset();
  }
  if (parents.empty()) return ok_status();
  auto label_of = [&](std::int64_t r) -> Result<std::string> {
    auto& q = plan_->stmt("SELECT n.kind, n.key FROM rec x JOIN node n ON n.n = x.node WHERE x.r = ?1");
    q.bind(1, r);
    auto row = q.step();
    if (!row) return row.errors();
    const auto k = static_cast<std::uint32_t>(q.int_at(0));
    auto key = store::key_from_text(q.text_at(1), tables_[k].key_single);
    q.reset();
    return label(*schema_.kinds[k], key ? *key : Key());
  };
  auto report_cycle = [&](const std::vector<std::int64_t>& loop) -> Status {
    std::string chain;
    for (auto r : loop) {
      auto l = label_of(r);
      if (!l) return l.errors();
      chain += *l + " -> ";
    }
    auto first = label_of(loop.front());
    if (!first) return first.errors();
    chain += *first;
    for (auto r : loop)
      if (auto s = fail(r, make_error("containment cycle (an entity inside itself): " + chain)); !s) return s;
    return ok_status();
  };
  std::vector<std::int64_t> order;
  for (const auto& [r, _] : parents) order.push_back(r);
  std::sort(order.begin(), order.end());
  std::unordered_map<std::int64_t, std::uint8_t> color;  // 0 new, 1 on stack, 2 done
  for (auto start : order) {
    if (color[start]) continue;
    std::vector<std::int64_t> stack{start}, path;
    while (!stack.empty()) {
      const std::int64_t cur = stack.back();
      if (color[cur] == 0) {
        color[cur] = 1;
        path.push_back(cur);
        for (auto t : parents[cur]) {
          if (t == cur) {
            if (auto s = report_cycle({cur}); !s) return s;
            continue;
          }
          if (color[t] == 1) {
            auto it = std::find(path.begin(), path.end(), t);
            if (auto s = report_cycle(std::vector<std::int64_t>(it, path.end())); !s) return s;
          } else if (color[t] == 0) {
            stack.push_back(t);
          }
        }
      } else {
        if (color[cur] == 1) {
          color[cur] = 2;
          if (!path.empty() && path.back() == cur) path.pop_back();
        }
        stack.pop_back();
      }
    }
  }
  return ok_status();
}

// Missing references fail their entity; failures spread to every entity
// that refers to a failed one (unless the store already has that entity),
// one frontier at a time.
Status Loader::propagate_failures() {
  if (auto s = plan_->exec("CREATE INDEX IF NOT EXISTS dep_node ON dep(node); CREATE INDEX IF NOT EXISTS dep_r ON dep(r)"); !s)
    return s;
  {
    auto q = plan_->prepare(
        "SELECT d.r, x.off, x.len, t.kind, t.key FROM dep d JOIN node t ON t.n = d.node JOIN rec x ON x.r = d.r "
        "WHERE t.missing = 1 ORDER BY d.r");
    if (!q) return q.errors();
    Stmt& m = **q;
    SpoolRecord rec;
    for (;;) {
      auto row = m.step();
      if (!row) return row.errors();
      if (!*row) break;
      const std::int64_t r = m.int_at(0);
      if (auto s = read_record(static_cast<std::uint64_t>(m.int_at(1)), static_cast<std::uint32_t>(m.int_at(2)), rec); !s)
        return s;
      const auto tk_index = static_cast<std::uint32_t>(m.int_at(3));
      const KindInfo& tk = *schema_.kinds[tk_index];
      auto tkey = store::key_from_text(m.text_at(4), tables_[tk_index].key_single);
      if (!tkey) return make_error("internal error: a bad key in the load's plan");
      // Say where: walk the references again for the path.
      std::string where;
      if (auto e = read_spooled(rec)) {
        schema_.refs(*e, [&](const FoundRef& f) {
          if (f.kind == tk.name && f.key == *tkey && where.empty()) where = path_to_string(f.path);
        });
      }
      // A record of the dump that did not decode (its key unknown) may be the one meant.
      auto& failed = plan_->stmt("SELECT 1 FROM failed_key WHERE kind = ?1 AND key = ?2");
      failed.bind(1, static_cast<std::int64_t>(tk_index)).bind(2, m.text_at(4));
      auto in_dump = failed.step();
      if (!in_dump) return in_dump.errors();
      failed.reset();
      std::string why = *in_dump ? ", which is in the dump but failed to load: see above"
                                 : ", which is neither in the dump nor in the target store" +
                                       std::string(schema_.stub_policy_of(tk.name) == StubPolicy::on_flag
                                                       ? " (--stub-missing creates a placeholder)"
                                                       : "");
      if (auto s = fail(r, rec, Error{"references " + label(tk, *tkey) + why, where, {}, {}, {}}); !s) return s;
    }
  }
  const std::string keep_stored = opts_.mode == Mode::skip ? " AND fn.store_id IS NULL" : "";
  if (auto s = plan_->exec("DROP TABLE IF EXISTS temp.frontier; CREATE TEMP TABLE frontier(r INTEGER PRIMARY KEY);"
                           "INSERT INTO frontier SELECT r FROM rec WHERE failed = 1;");
      !s)
    return s;
  for (;;) {
    if (auto s = plan_->exec("DROP TABLE IF EXISTS temp.spread;"
                             "CREATE TEMP TABLE spread AS SELECT d.r AS r, min(f.r) AS cause FROM frontier f"
                             "  JOIN rec fr ON fr.r = f.r JOIN node fn ON fn.n = fr.node JOIN dep d ON d.node = fn.n"
                             "  JOIN rec x ON x.r = d.r WHERE x.failed = 0" + keep_stored + " GROUP BY d.r");
        !s)
      return s;
    bool any = false;
    {
      auto q = plan_->prepare(
          "SELECT s.r, s.cause, c.off, c.len, n.kind, n.key FROM spread s JOIN rec c ON c.r = s.cause "
          "JOIN node n ON n.n = c.node ORDER BY s.r");
      if (!q) return q.errors();
      Stmt& m = **q;
      SpoolRecord cause;
      for (;;) {
        auto row = m.step();
        if (!row) return row.errors();
        if (!*row) break;
        any = true;
        if (auto s = read_record(static_cast<std::uint64_t>(m.int_at(2)), static_cast<std::uint32_t>(m.int_at(3)), cause); !s)
          return s;
        const auto ck = static_cast<std::uint32_t>(m.int_at(4));
        if (auto s = fail(m.int_at(0), make_error("depends on " + label(*schema_.kinds[ck], cause.key) + " (" +
                                                  cause.origin.str() + "), which cannot be loaded"));
            !s)
          return s;
      }
    }
    if (!any) break;
    if (auto s = plan_->exec("DELETE FROM frontier; INSERT INTO frontier SELECT r FROM spread;"); !s) return s;
  }
  return ok_status();
}

Status Loader::decide_actions() {
  const std::string existing = std::to_string(static_cast<int>(opts_.mode == Mode::update ? Action::update : Action::skip));
  return plan_->exec("UPDATE rec SET action = CASE WHEN (SELECT store_id FROM node WHERE node.n = rec.node) IS NULL "
                     "THEN 0 ELSE " + existing + " END;"
                     "UPDATE node SET id = store_id WHERE store_id IS NOT NULL;");
}

// --mode update replaces what changed; an entity identical to the one in
// the store is left alone (no write, counted as skipped), so a report says
// what a load really changed. Secrets the dump redacted count as equal.
Status Loader::skip_unchanged() {
  // The keys of stored references: fetched from the store, the recent ones
  // cached (a bounded, direct-mapped cache: questions share their tables).
  struct Cached {
    std::uint32_t kind = ~0u;
    std::int64_t id = 0;
    Key key;
  };
  std::vector<Cached> cache(1 << 14);
  store::KeyLookup lookup = [&](const std::string& kind, std::int64_t id) -> std::optional<Key> {
    auto kit = kind_index_.find(kind);
    if (kit == kind_index_.end()) return std::nullopt;
    const std::uint32_t k = kit->second;
    if (schema_.kinds[k]->key_is_id()) return Key(std::to_string(id));
    Cached& slot = cache[(static_cast<std::uint64_t>(id) * 0x9E3779B97F4A7C15ull + k) % cache.size()];
    if (slot.kind == k && slot.id == id) return slot.key;
    auto row = store_->fetch(kind, id);
    if (!row || !*row || (**row).empty() || !(**row)[store::TableDesc::kKey].is_text()) return std::nullopt;
    auto key = store::key_from_text((**row)[store::TableDesc::kKey].as_text(), tables_[k].key_single);
    if (key) slot = Cached{k, id, *key};
    return key;
  };
  auto& skip = plan_->stmt("UPDATE rec SET action = 2 WHERE r = ?1");
  for (std::uint32_t k = 0; k < schema_.kinds.size(); ++k) {
    const KindInfo& kind = *schema_.kinds[k];
    auto q = plan_->prepare(
        "SELECT x.r, x.off, x.len, n.store_id FROM rec x JOIN node n ON n.n = x.node "
        "WHERE n.kind = ?1 AND x.failed = 0 AND x.action = 1 ORDER BY x.r");
    if (!q) return q.errors();
    Stmt& c = **q;
    c.bind(1, static_cast<std::int64_t>(k));
    SpoolRecord rec;
    for (;;) {
      auto row = c.step();
      if (!row) return row.errors();
      if (!*row) break;
      const std::int64_t r = c.int_at(0);
      auto stored_row = store_->fetch(kind.name, c.int_at(3));
      if (!stored_row) return stored_row.errors();
      if (!*stored_row) continue;
      auto stored = store::entity_value_from_row(tables_[k], **stored_row, lookup);
      if (!stored) return stored.errors();
      if (auto s = read_record(static_cast<std::uint64_t>(c.int_at(1)), static_cast<std::uint32_t>(c.int_at(2)), rec); !s)
        return s;
      auto in = read_spooled(rec);
      if (!in) return in.errors();
      for (const auto& f : kind.fields) {
        const Value* iv = in->value.find(f.name);
        Value* sv = stored->value.find(f.name);
        if (iv && sv) align_redacted(f.type, *iv, *sv);
      }
      if (stored->value == in->value && stored->unknowns == in->unknowns) {
        skip.bind(1, r);
        if (auto s = skip.run(); !s) return s;
      }
    }
  }
  return ok_status();
}

// Where the incoming document has the redaction marker, the stored secret
// is taken as the same (the dump did not say what it is).
void Loader::align_redacted(const TypeDesc& t, const Value& in, Value& stored) {
  if (t.secret) {
    if (in.is_string() && in.as_string() == kRedacted) stored = in;
    return;
  }
  if (t.tag == TypeDesc::Tag::Struct && in.is_object() && stored.is_object()) {
    for (const auto& f : t.fields) {
      const Value* iv = in.find(f.name);
      Value* sv = stored.find(f.name);
      if (iv && sv) align_redacted(f.type, *iv, *sv);
    }
  } else if ((t.tag == TypeDesc::Tag::List) && in.is_array() && stored.is_array()) {
    for (std::size_t i = 0; i < std::min(in.size(), stored.size()); ++i)
      align_redacted(*t.elem, in.as_array()[i], stored.as_array()[i]);
  } else if (t.tag == TypeDesc::Tag::Map && in.is_object() && stored.is_object()) {
    for (const auto& [key, iv] : in.as_object())
      if (Value* sv = stored.find(key)) align_redacted(*t.elem, iv, *sv);
  }
}

// The report's counts and failures, from the plan.
Status Loader::count() {
  {
    auto& q = plan_->stmt(
        "SELECT n.kind, x.action, x.failed, count(*) FROM rec x JOIN node n ON n.n = x.node WHERE x.reported = 0 GROUP BY 1, 2, 3");
    for (;;) {
      auto row = q.step();
      if (!row) return row.errors();
      if (!*row) break;
      auto& c = report_.kinds[schema_.kinds[static_cast<std::size_t>(q.int_at(0))]->name];
      const auto n = static_cast<std::size_t>(q.int_at(3));
      if (q.int_at(2)) c.failed += n;
      else if (q.int_at(1) == static_cast<int>(Action::skip)) c.skipped += n;
      else if (q.int_at(1) == static_cast<int>(Action::update)) c.updated += n;
      else c.created += n;
    }
    q.reset();
  }
  {
    auto fq = plan_->prepare("SELECT r, off, len FROM rec WHERE failed = 1 AND reported = 0 ORDER BY r");
    if (!fq) return fq.errors();
    SpoolRecord rec;
    for (;;) {
      auto row = (*fq)->step();
      if (!row) return row.errors();
      if (!*row) break;
      if (report_.failures.size() >= LoadReport::kMaxListed) {  // counted in kinds already
        ++report_.unlisted;
        continue;
      }
      if (auto s = read_record(static_cast<std::uint64_t>((*fq)->int_at(1)), static_cast<std::uint32_t>((*fq)->int_at(2)), rec); !s)
        return s;
      Failure f;
      f.kind = schema_.kinds[rec.kind]->name;
      f.key = rec.key.str();
      f.origin = rec.origin;
      auto& eq = plan_->stmt("SELECT message, path, file, line, col, entity FROM err WHERE r = ?1 ORDER BY rowid");
      eq.bind(1, (*fq)->int_at(0));
      for (;;) {
        auto e = eq.step();
        if (!e) return e.errors();
        if (!*e) break;
        Error err;
        err.message = std::string(eq.text_at(0));
        err.path = std::string(eq.text_at(1));
        err.file = std::string(eq.text_at(2));
        err.mark = Mark{static_cast<std::uint32_t>(eq.int_at(3)), static_cast<std::uint32_t>(eq.int_at(4))};
        err.entity = std::string(eq.text_at(5));
        f.errors.push_back(std::move(err));
      }
      eq.reset();
      report_.failures.push_back(std::move(f));
    }
  }
  // Secrets a created entity has no value for.
  auto sq = plan_->prepare("SELECT off, len FROM rec WHERE failed = 0 AND action = 0 AND secrets = 1 ORDER BY r");
  if (!sq) return sq.errors();
  SpoolRecord rec;
  for (;;) {
    auto row = (*sq)->step();
    if (!row) return row.errors();
    if (!*row) break;
    if (auto s = read_record(static_cast<std::uint64_t>((*sq)->int_at(0)), static_cast<std::uint32_t>((*sq)->int_at(1)), rec); !s)
      return s;
    for (const auto& path : rec.unknown_secrets)
      report_.secrets_unknown.push_back(label(*schema_.kinds[rec.kind], rec.key) + ": " + path);
  }
  return ok_status();
}

}  // namespace metaport::engine::load_detail
