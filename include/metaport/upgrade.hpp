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

// ---- the common steps --------------------------------------------------------------
inline UpgradeStep rename_field(int from, std::string kind, std::string old_name, std::string new_name) {
  std::string name = kind + ": rename " + old_name + " -> " + new_name;
  return {from, kind, name, [old_name, new_name](UpgradeRecord& r, UpgradeContext& ctx) {
            if (!r.doc.is_object()) return;
            Value* v = r.doc.find(old_name);
            if (!v) return;
            if (r.doc.find(new_name)) {
              ctx.error(new_name, "both '" + old_name + "' (the old name) and '" + new_name + "' are present");
              return;
            }
            Value moved = std::move(*v);
            auto& o = r.doc.as_object();
            for (auto& m : o)  // keep the member where it was
              if (m.first == old_name) { m.first = new_name; m.second = std::move(moved); break; }
          }};
}

inline UpgradeStep add_field(int from, std::string kind, std::string field, Value default_value) {
  std::string name = kind + ": add " + field;
  return {from, kind, name, [field, default_value](UpgradeRecord& r, UpgradeContext&) {
            if (r.doc.is_object() && !r.doc.find(field)) r.doc.set(field, default_value);
          }};
}

inline UpgradeStep drop_field(int from, std::string kind, std::string field) {
  std::string name = kind + ": drop " + field;
  return {from, kind, name, [field](UpgradeRecord& r, UpgradeContext&) { r.doc.erase(field); }};
}

inline UpgradeStep rename_kind(int from, std::string old_kind, std::string new_kind) {
  std::string name = "kind " + old_kind + " -> " + new_kind;
  return {from, old_kind, name, [new_kind](UpgradeRecord& r, UpgradeContext&) { r.kind = new_kind; }};
}

// A change of representation: `old_name`'s value becomes `new_name`'s (they
// may be the same member), computed by `convert`, which may call ctx.error.
inline UpgradeStep map_field(int from, std::string kind, std::string old_name, std::string new_name,
                             std::function<Value(const Value&, UpgradeContext&)> convert) {
  std::string name = kind + ": " + old_name + (old_name == new_name ? "" : " -> " + new_name) + " (converted)";
  return {from, kind, name, [old_name, new_name, convert](UpgradeRecord& r, UpgradeContext& ctx) {
            if (!r.doc.is_object()) return;
            Value* v = r.doc.find(old_name);
            if (!v) return;
            Value converted = convert(*v, ctx);
            if (old_name == new_name) {
              *v = std::move(converted);
              return;
            }
            for (auto& m : r.doc.as_object())
              if (m.first == old_name) { m.first = new_name; m.second = std::move(converted); break; }
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
