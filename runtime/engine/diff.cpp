#include "runtime/engine/diff.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "metaport/format/json.hpp"
#include "metaport/format/yaml_writer.hpp"
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

struct Side {
  struct Item {
    std::uint64_t hash;
    std::uint64_t off;
    std::uint32_t len;
    std::string label;
  };
  std::map<std::pair<std::string, std::string>, Item> items;  // (kind, key): sorted for stable output
  Spool spool;
};

Status read_side(const SchemaInfo& schema, format::DumpReader& reader, Side& side, const std::string& name) {
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
  Errors errors;
  std::string text;
  for (;;) {
    bool more = r.next(rec, errors);
    if (!more) break;
    const KindInfo* k = schema.find(rec.kind);
    if (!k) {
      errors.add(Error{"unknown kind '" + rec.kind + "'", {}, rec.origin.mark, rec.origin.file, {}});
      continue;
    }
    if (!rec.problems.empty()) {
      errors.append(rec.problems);
      continue;
    }
    Entity e;
    Errors de;
    DecodeOptions o;
    o.keep_unknown = true;  // unknown members are part of what differs
    if (!k->normalize(*k, rec.doc, o, e, de)) {
      for (auto x : de.list()) { if (x.file.empty()) x.file = rec.origin.file; errors.add(x); }
      continue;
    }
    apply_unknowns(e.value, e.unknowns);
    text.clear();
    json::write(text, e.value);
    auto off = side.spool.append(text);
    if (!off) return off.errors();
    std::string label;
    for (const char* m : {"name", "title", "term", "path", "email"})
      if (const Value* v = e.value.find(m); v && v->is_string()) { label = v->as_string(); break; }
    auto [it, fresh] = side.items.try_emplace({k->name, e.key.str()},
                                              Side::Item{hash(text), *off, static_cast<std::uint32_t>(text.size()), label});
    if (!fresh) errors.add(Error{"duplicate " + k->name + " " + e.key.str(), {}, rec.origin.mark, rec.origin.file, {}});
  }
  if (auto s = r.finish(); !s) for (const auto& e : s.errors().list()) errors.add(e);
  if (!errors.empty()) return errors;
  return side.spool.flush();
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

Result<DiffReport> diff(const SchemaInfo& schema, format::DumpReader& ra, format::DumpReader& rb) {
  Side a, b;
  if (auto s = read_side(schema, ra, a, "the first side"); !s) return s.errors();
  if (auto s = read_side(schema, rb, b, "the second side"); !s) return s.errors();
  DiffReport rep;
  json::Parser parser;
  std::string ta, tb;
  for (const auto& [id, ia] : a.items) {
    auto it = b.items.find(id);
    if (it == b.items.end()) {
      rep.removed.push_back({id.first, id.second, ia.label, {}});
      continue;
    }
    if (it->second.hash == ia.hash) {
      if (auto s = a.spool.read(ia.off, ia.len, ta); !s) return s.errors();
      if (auto s = b.spool.read(it->second.off, it->second.len, tb); !s) return s.errors();
      if (ta == tb) { ++rep.unchanged; continue; }
    }
    if (auto s = a.spool.read(ia.off, ia.len, ta); !s) return s.errors();
    if (auto s = b.spool.read(it->second.off, it->second.len, tb); !s) return s.errors();
    auto va = parser.parse(ta);
    if (!va) return va.errors();
    Value left = std::move(*va);
    auto vb = parser.parse(tb);
    if (!vb) return vb.errors();
    EntityChange c{id.first, id.second, it->second.label.empty() ? ia.label : it->second.label, {}};
    diff_values(left, *vb, "", c.changes);
    if (c.changes.empty()) ++rep.unchanged;
    else rep.changed.push_back(std::move(c));
  }
  for (const auto& [id, ib] : b.items)
    if (!a.items.count(id)) rep.added.push_back({id.first, id.second, ib.label, {}});
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
