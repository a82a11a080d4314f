// Upgrade steps: how documents of an older schema version become documents
// of the next one. Each step is a small function on one record, registered
// with the version it upgrades from; a dump of version 1 loads under version
// 3 by running the 1->2 steps, then the 2->3 steps, record by record.
//
//   static std::vector<metaport::UpgradeStep> upgrade_steps() {
//     return {
//       metaport::rename_field(1, "Dashboard", "ordered_cards", "dashcards"),
//       metaport::map_field(1, "Card", "dataset", "type", [](const Value& v, UpgradeContext&) {
//         return Value(v.is_bool() && v.as_bool() ? "model" : "question"); }),
//       {2, "Card", "legacy MBQL -> pMBQL stages", convert_card_query},
//     };
//   }
//
// A step that cannot convert something says so with ctx.error(path, why):
// the record fails with that message instead of loading silently broken.
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "metaport/result.hpp"
#include "metaport/value.hpp"

namespace metaport {

// One record on its way up: its kind (a step may rename it) and document.
struct UpgradeRecord {
  std::string kind;
  Value doc;
};

class UpgradeContext {
 public:
  UpgradeContext(Errors& errors, std::vector<UpgradeRecord>& emitted) : errors_(errors), emitted_(emitted) {}
  // The record cannot be upgraded faithfully: it fails, with this path and reason.
  void error(std::string path, std::string message) {
    errors_.add(std::move(path), Mark{}, std::move(message));
  }
  // The same, at the line and column of the offending value (Value::mark),
  // so that the message names the exact place in the file.
  void error(std::string path, Mark mark, std::string message) {
    errors_.add(std::move(path), mark, std::move(message));
  }
  // A new record of the next version's shape (data moving to another kind).
  void emit(std::string kind, Value doc) { emitted_.push_back(UpgradeRecord{std::move(kind), std::move(doc)}); }
  int from() const { return from_; }
  void set_from(int v) { from_ = v; }

 private:
  Errors& errors_;
  std::vector<UpgradeRecord>& emitted_;
  int from_ = 0;
};

struct UpgradeStep {
  int from = 0;          // upgrades documents of version `from` to `from + 1`
  std::string kind;      // the kind it applies to, as named in version `from`; "" = every kind
  std::string name;      // what it does, for reports, docs and lock checks
  std::function<void(UpgradeRecord&, UpgradeContext&)> apply;
};

// ---- member paths -------------------------------------------------------------------
// The common steps take a member path, as schema.lock spells nested members:
// "ordered_cards" (a top-level member), "details.password" (a member of a
// nested struct), "columns[].data_type" (of every element of a list),
// "auth_info{}.token" (of every value of a map). A name without '.', '[' or
// '{' is always a plain member name.
namespace detail {
struct PathStep {
  bool each = false;  // [] or {}: every element / every value
  std::string member;
};
inline std::vector<PathStep> parse_member_path(const std::string& path) {
  std::vector<PathStep> out;
  if (path.find_first_of(".[{") == std::string::npos) return {PathStep{false, path}};
  std::string name;
  auto flush = [&] {
    if (!name.empty()) out.push_back(PathStep{false, std::move(name)});
    name.clear();
  };
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '.') flush();
    else if ((c == '[' && i + 1 < path.size() && path[i + 1] == ']') || (c == '{' && i + 1 < path.size() && path[i + 1] == '}')) {
      flush();
      out.push_back(PathStep{true, {}});
      ++i;
    } else {
      name += c;
    }
  }
  flush();
  return out;
}
// Calls fn(object, member, where) for every object the path's last member
// belongs to; `where` is that member's concrete path ("columns[2].type").
template <class F>
void for_each_member_at(Value& v, const std::vector<PathStep>& steps, std::size_t i, const std::string& where, F& fn) {
  if (i + 1 == steps.size()) {
    if (v.is_object() && !steps[i].each) fn(v, steps[i].member, where.empty() ? steps[i].member : where + "." + steps[i].member);
    return;
  }
  if (steps[i].each) {
    if (v.is_array()) {
      std::size_t n = 0;
      for (auto& x : v.as_array()) for_each_member_at(x, steps, i + 1, where + "[" + std::to_string(n++) + "]", fn);
    } else if (v.is_object()) {
      for (auto& [k, x] : v.as_object()) for_each_member_at(x, steps, i + 1, where + "." + k, fn);
    }
    return;
  }
  if (!v.is_object()) return;
  if (Value* m = v.find(steps[i].member))
    for_each_member_at(*m, steps, i + 1, where.empty() ? steps[i].member : where + "." + steps[i].member, fn);
}
template <class F>
void for_each_member_at(Value& doc, const std::string& path, F fn) {
  const auto steps = parse_member_path(path);
  if (!steps.empty()) for_each_member_at(doc, steps, 0, "", fn);
}
// The last member name of a path: "columns[].type" -> "type".
inline std::string last_member(const std::string& path) {
  const auto steps = parse_member_path(path);
  return steps.empty() || steps.back().each ? std::string() : steps.back().member;
}
}  // namespace detail

// ---- the common steps --------------------------------------------------------------
// `new_name` is a member name, or a path whose last member is taken (so
// rename_field(1, "Table", "columns[].data_type", "columns[].type") reads well).
inline UpgradeStep rename_field(int from, std::string kind, std::string old_path, std::string new_name) {
  std::string name = kind + ": rename " + old_path + " -> " + new_name;
  std::string to = detail::last_member(new_name);
  return {from, kind, name, [old_path, to](UpgradeRecord& r, UpgradeContext& ctx) {
            detail::for_each_member_at(r.doc, old_path, [&](Value& obj, const std::string& old_name, const std::string& where) {
              Value* v = obj.find(old_name);
              if (!v) return;
              if (obj.find(to)) {
                const std::string at = where.substr(0, where.size() - old_name.size()) + to;
                ctx.error(at, "both '" + old_name + "' (the old name) and '" + to + "' are present");
                return;
              }
              Value moved = std::move(*v);
              for (auto& m : obj.as_object())  // keep the member where it was
                if (m.first == old_name) { m.first = to; m.second = std::move(moved); break; }
            });
          }};
}

// A new member with a value for documents of older versions. For a new
// std::optional member that older documents simply leave out, use
// add_optional_field: an optional member may be absent, never null.
inline UpgradeStep add_field(int from, std::string kind, std::string path, Value default_value) {
  std::string name = kind + ": add " + path;
  return {from, kind, name, [path, default_value](UpgradeRecord& r, UpgradeContext&) {
            detail::for_each_member_at(r.doc, path, [&](Value& obj, const std::string& member, const std::string&) {
              if (!obj.find(member)) obj.set(member, default_value);
            });
          }};
}

// A new optional member: documents of older versions leave it out, which is
// what they mean. The step changes no document; it records the change in
// schema.lock (every changed kind needs a step).
inline UpgradeStep add_optional_field(int from, std::string kind, std::string path) {
  std::string name = kind + ": add " + path + " (optional, left out)";
  return {from, kind, name, [](UpgradeRecord&, UpgradeContext&) {}};
}

inline UpgradeStep drop_field(int from, std::string kind, std::string path) {
  std::string name = kind + ": drop " + path;
  return {from, kind, name, [path](UpgradeRecord& r, UpgradeContext&) {
            detail::for_each_member_at(r.doc, path, [](Value& obj, const std::string& member, const std::string&) {
              obj.erase(member);
            });
          }};
}

inline UpgradeStep rename_kind(int from, std::string old_kind, std::string new_kind) {
  std::string name = "kind " + old_kind + " -> " + new_kind;
  return {from, old_kind, name, [new_kind](UpgradeRecord& r, UpgradeContext&) { r.kind = new_kind; }};
}

// A change of representation: `old_path`'s value becomes `new_name`'s (they
// may be the same member), computed by `convert`, which may call ctx.error.
inline UpgradeStep map_field(int from, std::string kind, std::string old_path, std::string new_name,
                             std::function<Value(const Value&, UpgradeContext&)> convert) {
  std::string name = kind + ": " + old_path + (old_path == new_name ? "" : " -> " + new_name) + " (converted)";
  std::string to = detail::last_member(new_name);
  return {from, kind, name, [old_path, to, convert](UpgradeRecord& r, UpgradeContext& ctx) {
            detail::for_each_member_at(r.doc, old_path, [&](Value& obj, const std::string& old_name, const std::string&) {
              Value* v = obj.find(old_name);
              if (!v) return;
              Value converted = convert(*v, ctx);
              if (old_name == to) {
                *v = std::move(converted);
                return;
              }
              for (auto& m : obj.as_object())
                if (m.first == old_name) { m.first = to; m.second = std::move(converted); break; }
            });
          }};
}

// Runs the registered steps from version `from` up to `to` on one record.
// Returns every record that results (the record itself, and any emitted);
// the record fails (false) when a step reported an error.
inline bool upgrade_record(const std::vector<UpgradeStep>& steps, int from, int to, UpgradeRecord rec,
                           std::vector<UpgradeRecord>& out, Errors& errors) {
  std::vector<UpgradeRecord> current{std::move(rec)};
  const std::size_t before = errors.size();
  for (int v = from; v < to; ++v) {
    std::vector<UpgradeRecord> next;
    for (auto& r : current) {
      std::vector<UpgradeRecord> emitted;
      UpgradeContext ctx(errors, emitted);
      ctx.set_from(v);
      for (const auto& s : steps)
        if (s.from == v && (s.kind.empty() || s.kind == r.kind)) s.apply(r, ctx);
      next.push_back(std::move(r));
      for (auto& e : emitted) next.push_back(std::move(e));
    }
    current = std::move(next);
  }
  if (errors.size() != before) return false;
  for (auto& r : current) out.push_back(std::move(r));
  return true;
}

}  // namespace metaport
