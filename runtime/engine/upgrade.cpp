#include "runtime/engine/upgrade.hpp"

#include "runtime/engine/present.hpp"
#include "runtime/engine/upgrade_records.hpp"

namespace metaport::engine {

namespace {

// One pass over the input: every record upgraded and decoded, handed to `each`.
Errors each_entity(const SchemaInfo& schema, format::DumpReader& rd, const std::function<Status(const Entity&)>& each) {
  Errors errors;
  UpgradedRecords recs(schema, rd);
  if (auto s = recs.check(); !s) return s.errors();
  DecodeOptions o;
  o.keep_unknown = true;  // carried through unchanged
  format::Record r;
  Entity e;
  while (recs.next_entity(r, e, errors, o))
    if (auto s = each(e); !s) errors.append(s.errors());
  if (auto s = recs.finish(); !s) errors.append(s.errors());
  return errors;
}

}  // namespace

Result<UpgradeOutcome> upgrade_dump(const SchemaInfo& schema, std::unique_ptr<format::DumpReader> in,
                                    const OpenDump& reopen, format::DumpWriter& out) {
  UpgradeOutcome outcome;
  outcome.from = in->header().version;
  if (out.needs_index()) {
    outcome.problems = each_entity(schema, *in, [&](const Entity& e) {
      out.index(e);
      return ok_status();
    });
    if (!outcome.problems.empty()) return outcome;
    auto again = reopen();
    if (!again) return again.errors();
    in = std::move(*again);
  }
  format::DumpHeader h;
  h.schema = schema.name;
  h.version = schema.version;
  h.secrets_kept = in->header().secrets_kept;  // the secrets pass through as they came
  if (auto s = out.begin(h); !s) return s.errors();
  outcome.problems = each_entity(schema, *in, [&](const Entity& e) {
    ++outcome.counts[e.kind->name];
    return out.write(e, present(e, /*keep_secrets=*/true));
  });
  if (!outcome.problems.empty()) return outcome;
  if (auto s = out.finish(outcome.counts); !s) return s.errors();
  return outcome;
}

}  // namespace metaport::engine
