// Reading an older dump as if it were of the current version: every record
// goes through the schema's upgrade steps (docs/changing-your-schema.md). Used by `upgrade`,
// `diff` and `validate`-like readers that work record by record; the loader
// runs the same steps inside its parallel decoding.
#pragma once
#include <deque>

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
        for (auto e : step_errors.list()) {
          if (e.file.empty()) e.file = r.origin.file;
          if (!e.mark.known()) e.mark = r.origin.mark;
          if (e.entity.empty()) e.entity = r.kind;
          errors.add(std::move(e));
        }
        continue;
      }
      for (auto& u : up) queue_.push_back(format::Record{std::move(u.kind), std::move(u.doc), r.origin});
    }
  }
  Status finish() { return reader_.finish(); }

 private:
  const SchemaInfo& schema_;
  format::DumpReader& reader_;
  std::deque<format::Record> queue_;
};

}  // namespace metaport::engine
