#include "runtime/engine/diff.hpp"

#include <algorithm>

#include "metaport/format/json.hpp"
#include "metaport/format/yaml_writer.hpp"
#include "runtime/disk/scratch_db.hpp"
#include "runtime/engine/sealed_secrets.hpp"
#include "runtime/engine/spool.hpp"
#include "runtime/engine/upgrade_records.hpp"

namespace metaport::engine {

namespace {

std::uint64_t hash(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) { h ^= c; h *= 1099511628211ull; }
  return h;
}

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

// Both sides' entities, in a scratch database (memory stays flat however
// many entities there are): per (side, kind, key) a hash of the normalized
// document, its place in the side's spool, and a label. The primary key
// orders rows as bytes, as std::map<std::string> did: the report's order.
class Sides {
 public:
  static Result<std::unique_ptr<Sides>> open() {
    auto db = disk::ScratchDb::open("the entities being compared", 8);
    if (!db) return db.errors();
    auto s = std::unique_ptr<Sides>(new Sides(std::move(*db)));
    if (auto e = s->db_->exec("CREATE TABLE item(side INT, kind TEXT, key TEXT, hash INT, off INT, len INT, label TEXT, "
                              "PRIMARY KEY(side, kind, key)) WITHOUT ROWID");
        !e)
      return e.errors();
    return s;
  }
  // False when the side already holds (kind, key).
  Result<bool> add(int side, const std::string& kind, const std::string& key, std::uint64_t h, std::uint64_t off,
                   std::size_t len, const std::string& label) {
    auto& ins = db_->stmt("INSERT OR IGNORE INTO item VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    ins.bind(1, side).bind(2, kind).bind(3, key).bind(4, static_cast<std::int64_t>(h));
    ins.bind(5, static_cast<std::int64_t>(off)).bind(6, static_cast<std::int64_t>(len)).bind(7, label);
    if (auto s = ins.run(); !s) return s.errors();
    return db_->changes() == 1;
  }
  disk::ScratchDb& db() { return *db_; }
  Spool spool[2];

 private:
  explicit Sides(std::unique_ptr<disk::ScratchDb> db) : db_(std::move(db)) {}
  std::unique_ptr<disk::ScratchDb> db_;
};

Status read_side(const SchemaInfo& schema, format::DumpReader& reader, Sides& sides, int side, const std::string& name,
                 const SecretsKey* secrets) {
  // Both sides are compared as the current version: an older dump is
  // upgraded record by record first.
  UpgradedRecords r(schema, reader);
  if (auto s = r.check(); !s) {
    Errors e = s.errors();
    Errors out;
    for (auto x : e.list()) { x.message = name + ": " + x.message; out.add(x); }
    return out;
  }
  format::Record rec;
  Entity e;
  Errors errors;
  std::string text;
  DecodeOptions o;
  o.keep_unknown = true;  // unknown members are part of what differs
  auto open_sealed = [&](const KindInfo& k, Value& doc, Errors& de) {
    std::size_t sealed = 0;
    if (secrets) open_secrets(k, doc, secrets, de, sealed);  // decoded in clear, compared sealed again
  };
  while (r.next_entity(rec, e, errors, o, open_sealed)) {
    const KindInfo* k = e.kind;
    if (secrets) seal_secrets(*k, e.value, *secrets);
    apply_unknowns(e.value, e.unknowns);
    text.clear();
    json::write(text, e.value);
    auto off = sides.spool[side].append(text);
    if (!off) return off.errors();
    std::string label;
    for (const char* m : {"name", "title", "term", "path", "email"})
      if (const Value* v = e.value.find(m); v && v->is_string()) { label = v->as_string(); break; }
    auto fresh = sides.add(side, k->name, e.key.str(), hash(text), *off, text.size(), label);
    if (!fresh) return fresh.errors();
    if (!*fresh) errors.add(Error{"duplicate " + k->name + " " + e.key.str(), {}, rec.origin.mark, rec.origin.file, {}});
  }
  if (auto s = r.finish(); !s) for (const auto& x : s.errors().list()) errors.add(x);
  if (!errors.empty()) return errors;
  return sides.spool[side].flush();
}

std::string show(const std::optional<Value>& v) {
  if (!v) return "(absent)";
  if (v->is_scalar()) {
    std::string s = json::write(*v);
    if (s.size() > 120) s = s.substr(0, 117) + "...";
    return s;
  }
  std::string s = json::write(*v);
  if (s.size() > 120) s = s.substr(0, 117) + "...";
  return s;
}

}  // namespace

void diff_values(const Value& a, const Value& b, const std::string& path, std::vector<FieldChange>& out) {
  if (a == b) return;
  if (a.is_object() && b.is_object()) {
    for (const auto& [k, va] : a.as_object()) {
      const Value* vb = b.find(k);
      if (!vb) out.push_back({join(path, k), va, std::nullopt});
      else diff_values(va, *vb, join(path, k), out);
    }
    for (const auto& [k, vb] : b.as_object())
      if (!a.find(k)) out.push_back({join(path, k), std::nullopt, vb});
    return;
  }
  if (a.is_array() && b.is_array()) {
    const auto& x = a.as_array();
    const auto& y = b.as_array();
    const std::size_t n = std::min(x.size(), y.size());
    for (std::size_t i = 0; i < n; ++i) diff_values(x[i], y[i], path + "[" + std::to_string(i) + "]", out);
    for (std::size_t i = n; i < x.size(); ++i) out.push_back({path + "[" + std::to_string(i) + "]", x[i], std::nullopt});
    for (std::size_t i = n; i < y.size(); ++i) out.push_back({path + "[" + std::to_string(i) + "]", std::nullopt, y[i]});
    return;
  }
  out.push_back({path, a, b});
}

Result<DiffReport> diff(const SchemaInfo& schema, format::DumpReader& ra, format::DumpReader& rb,
                        const SecretsKey* secrets) {
  auto sides = Sides::open();
  if (!sides) return sides.errors();
  Sides& s = **sides;
  if (auto st = read_side(schema, ra, s, 0, "the first side", secrets); !st) return st.errors();
  if (auto st = read_side(schema, rb, s, 1, "the second side", secrets); !st) return st.errors();
  DiffReport rep;
  json::Parser parser;
  std::string ta, tb;
  // Every entity of A, with its match in B if any, in (kind, key) order.
  auto pairs = s.db().prepare(
      "SELECT a.kind, a.key, a.label, a.hash, a.off, a.len, b.label, b.hash, b.off, b.len FROM item a "
      "LEFT JOIN item b ON b.side = 1 AND b.kind = a.kind AND b.key = a.key WHERE a.side = 0 ORDER BY a.kind, a.key");
  if (!pairs) return pairs.errors();
  for (;;) {
    auto row = (*pairs)->step();
    if (!row) return row.errors();
    if (!*row) break;
    const disk::Stmt& q = **pairs;
    auto text_of = [&](int c) { return std::string(q.text_at(c)); };
    if (q.null_at(7)) {
      rep.removed.push_back({text_of(0), text_of(1), text_of(2), {}});
      continue;
    }
    const auto off_a = static_cast<std::uint64_t>(q.int_at(4)), off_b = static_cast<std::uint64_t>(q.int_at(8));
    const auto len_a = static_cast<std::uint32_t>(q.int_at(5)), len_b = static_cast<std::uint32_t>(q.int_at(9));
    if (auto st = s.spool[0].read(off_a, len_a, ta); !st) return st.errors();
    if (auto st = s.spool[1].read(off_b, len_b, tb); !st) return st.errors();
    if (q.int_at(3) == q.int_at(7) && ta == tb) { ++rep.unchanged; continue; }
    auto va = parser.parse(ta);
    if (!va) return va.errors();
    Value left = std::move(*va);
    auto vb = parser.parse(tb);
    if (!vb) return vb.errors();
    EntityChange c{text_of(0), text_of(1), q.text_at(6).empty() ? text_of(2) : text_of(6), {}};
    diff_values(left, *vb, "", c.changes);
    if (c.changes.empty()) ++rep.unchanged;
    else rep.changed.push_back(std::move(c));
  }
  auto added = s.db().prepare(
      "SELECT b.kind, b.key, b.label FROM item b WHERE b.side = 1 AND NOT EXISTS "
      "(SELECT 1 FROM item a WHERE a.side = 0 AND a.kind = b.kind AND a.key = b.key) ORDER BY b.kind, b.key");
  if (!added) return added.errors();
  for (;;) {
    auto row = (*added)->step();
    if (!row) return row.errors();
    if (!*row) break;
    rep.added.push_back({std::string((*added)->text_at(0)), std::string((*added)->text_at(1)),
                         std::string((*added)->text_at(2)), {}});
  }
  return rep;
}

std::string DiffReport::text() const {
  std::string out;
  auto head = [](char sign, const EntityChange& c) {
    return std::string(1, sign) + " " + c.kind + " " + c.key + (c.label.empty() ? "" : " \"" + c.label + "\"") + "\n";
  };
  for (const auto& c : removed) out += head('-', c);
  for (const auto& c : added) out += head('+', c);
  for (const auto& c : changed) {
    out += head('~', c);
    for (const auto& f : c.changes) out += "    " + f.path + ": " + show(f.old_value) + " -> " + show(f.new_value) + "\n";
  }
  out += std::to_string(changed.size()) + " changed, " + std::to_string(added.size()) + " added, " +
         std::to_string(removed.size()) + " removed, " + std::to_string(unchanged) + " unchanged\n";
  return out;
}

Value DiffReport::json() const {
  auto list = [](const std::vector<EntityChange>& v, bool with_changes) {
    Value a = Value::array();
    for (const auto& c : v) {
      Value x = Value::object();
      x.set("kind", c.kind);
      x.set("key", c.key);
      if (!c.label.empty()) x.set("label", c.label);
      if (with_changes) {
        Value ch = Value::array();
        for (const auto& f : c.changes) {
          Value y = Value::object();
          y.set("path", f.path);
          if (f.old_value) y.set("old", *f.old_value);
          if (f.new_value) y.set("new", *f.new_value);
          ch.push_back(std::move(y));
        }
        x.set("changes", std::move(ch));
      }
      a.push_back(std::move(x));
    }
    return a;
  };
  Value v = Value::object();
  v.set("added", list(added, false));
  v.set("removed", list(removed, false));
  v.set("changed", list(changed, true));
  v.set("unchanged", static_cast<long long>(unchanged));
  return v;
}

}  // namespace metaport::engine
