// What a load did, per kind, and every failure with where it came from:
// printed as text for a person or as JSON (--report json) for a program.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "metaport/entity.hpp"
#include "metaport/result.hpp"
#include "metaport/value.hpp"

namespace metaport::engine {

struct KindCounts {
  std::size_t created = 0, updated = 0, skipped = 0, failed = 0;
};

struct Failure {
  std::string kind;  // may be empty when the record could not be read at all
  std::string key;
  Origin origin;
  std::vector<Error> errors;
};

struct LoadReport {
  // At most this many failures are listed with their errors; the others are
  // counted (a broken dump of ten million records must not fill memory).
  static constexpr std::size_t kMaxListed = 1000;

  std::map<std::string, KindCounts> kinds;
  std::vector<Failure> failures;
  std::size_t unlisted = 0;        // failures past kMaxListed, of known kinds (in kinds[].failed)
  std::size_t unlisted_other = 0;  // failures past kMaxListed of unreadable records or unknown kinds
  std::vector<std::string> stubs;         // "Table [\"db\",null,\"t\"]" created by --stub-missing
  std::vector<std::string> placeholders;  // users created because the target lacked them
  std::size_t remapped = 0;               // references re-attributed by --user
  std::vector<std::string> ignored_files; // tree files that hold no entity of this schema
  std::vector<std::string> notes;         // e.g. "upgraded from version 2"
  // "Channel ops: details.password": secrets that arrived redacted and that
  // the store does not know either (a created entity, or an update over an
  // unknown value). They hold no value, never the marker.
  std::vector<std::string> secrets_unknown;
  // Problems that do not stop a load: a secret in clear in a dump that does
  // not say it was written with --keep-secrets (file:line, path; never the value).
  std::vector<Error> warnings;
  bool dry_run = false;
  bool committed = false;
  std::size_t records = 0;

  std::size_t failed() const {
    std::size_t n = 0;
    // Failures of a known kind are in its count; the others (unreadable
    // records, kinds the schema lacks) only in the list.
    for (const auto& f : failures) n += f.kind.empty() || !kinds.count(f.kind) ? 1 : 0;
    for (const auto& [k, c] : kinds) n += c.failed;
    return n + unlisted_other;
  }
  // Lists a failure, or counts it past kMaxListed. `of_known_kind`: it is
  // also counted in kinds[f.kind].failed.
  void add_failure(Failure f, bool of_known_kind) {
    if (failures.size() < kMaxListed) failures.push_back(std::move(f));
    else if (of_known_kind) ++unlisted;
    else ++unlisted_other;
  }
  std::string text() const;
  Value json() const;
};

}  // namespace metaport::engine
