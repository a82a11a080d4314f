// Reading an older dump as if it were of the current version: every record
// goes through the schema's upgrade steps (docs/changing-your-schema.md). Used by `upgrade`,
// `diff` and `validate`-like readers that work record by record; the loader
// runs the same steps inside its parallel decoding.
#pragma once
#include <deque>
#include <functional>

#include "metaport/schema.hpp"
#include "metaport/upgrade.hpp"
#include "runtime/engine/load.hpp"
#include "runtime/format/dump_format.hpp"

namespace metaport::engine {

class UpgradedRecords {
 public:
  UpgradedRecords(const SchemaInfo& schema, format::DumpReader& reader) : schema_(schema), reader_(reader) {}
  // Refuses dumps of another schema, newer ones and ones too old to upgrade.
  Status check() const { return version_supported(schema_, reader_.header()); }
  int from() const { return reader_.header().version; }
  bool upgrading() const { return reader_.header().version < schema_.version; }

  // The next record, upgraded; records that cannot be upgraded add their
  // errors (with file and path) and reading goes on.
  bool next(format::Record& out, Errors& errors) {
    for (;;) {
      if (!queue_.empty()) {
        out = std::move(queue_.front());
        queue_.pop_front();
        return true;
      }
      format::Record r;
      if (!reader_.next(r, errors)) return false;
      if (!upgrading()) {
        out = std::move(r);
        return true;
      }
      std::vector<UpgradeRecord> up;
      Errors step_errors;
      if (!upgrade_record(schema_.upgrades, from(), schema_.version, UpgradeRecord{r.kind, std::move(r.doc)}, up,
                          step_errors)) {
        for (const auto& e : step_errors.list()) errors.add(r.origin.place(e, r.kind));
        continue;
      }
      for (auto& u : up) queue_.push_back(format::Record{std::move(u.kind), std::move(u.doc), r.origin});
    }
  }

  // The next record, upgraded and decoded into its kind's entity
  // (KindInfo::normalize: strict decoding, derived members recomputed).
  // A record that fails (a kind the schema lacks, the reader's own problems,
  // decoding errors) adds its errors, placed at the record, and reading goes
  // on. `before_decode` may change the document first (diff opens sealed
  // secrets there); errors it adds fail the record.
  using BeforeDecode = std::function<void(const KindInfo&, Value& doc, Errors&)>;
  bool next_entity(format::Record& rec, Entity& e, Errors& errors, const DecodeOptions& options,
                   const BeforeDecode& before_decode = {}) {
    while (next(rec, errors)) {
      const KindInfo* k = schema_.find(rec.kind);
      if (!k) {
        errors.add(rec.origin.place(Error{"unknown kind '" + rec.kind + "'", {}, {}, {}, {}}));
        continue;
      }
      if (!rec.problems.empty()) {
        errors.append(rec.problems);
        continue;
      }
      Errors de;
      if (before_decode) before_decode(*k, rec.doc, de);
      e = Entity{};
      if (de.empty() && k->normalize(*k, rec.doc, options, e, de)) return true;
      for (const auto& x : de.list()) errors.add(rec.origin.place(x, k->name));
    }
    return false;
  }
  Status finish() { return reader_.finish(); }

 private:
  const SchemaInfo& schema_;
  format::DumpReader& reader_;
  std::deque<format::Record> queue_;
};

}  // namespace metaport::engine
