#include "runtime/engine/report.hpp"

#include <cstdio>

namespace metaport::engine {

namespace {
Value error_json(const Error& e) {
  Value v = Value::object();
  v.set("message", e.message);
  v.set("path", e.path);
  v.set("file", e.file);
  v.set("line", static_cast<long long>(e.mark.line));
  v.set("column", static_cast<long long>(e.mark.col));
  return v;
}
}  // namespace

std::string LoadReport::text() const {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-22s %9s %9s %9s %9s\n", "kind", "created", "updated", "skipped", "failed");
  out += line;
  KindCounts total;
  for (const auto& [k, c] : kinds) {
    if (c.created + c.updated + c.skipped + c.failed == 0) continue;
    std::snprintf(line, sizeof line, "%-22s %9zu %9zu %9zu %9zu\n", k.c_str(), c.created, c.updated, c.skipped, c.failed);
    out += line;
    total.created += c.created;
    total.updated += c.updated;
    total.skipped += c.skipped;
    total.failed += c.failed;
  }
  std::snprintf(line, sizeof line, "%-22s %9zu %9zu %9zu %9zu\n", "total", total.created, total.updated, total.skipped,
                total.failed);
  out += line;
  // Long lists are cut for a person; --report json has them all.
  auto list = [&](const std::vector<std::string>& items) {
    std::size_t shown = 0;
    for (const auto& s : items) {
      if (++shown > 12) {
        out += "  ... and " + std::to_string(items.size() - 12) + " more (--report json lists them all)\n";
        break;
      }
      out += "  " + s + "\n";
    }
  };
  if (!stubs.empty()) {
    out += std::to_string(stubs.size()) + " placeholders created for missing data model references (--stub-missing):\n";
    list(stubs);
  }
  if (!placeholders.empty()) {
    out += std::to_string(placeholders.size()) +
           " placeholder users created (content keeps them as its creator; --user EMAIL attributes it to an existing user):\n";
    list(placeholders);
  }
  if (remapped) out += std::to_string(remapped) + " references to missing users attributed to the --user account\n";
  if (!secrets_unknown.empty()) {
    out += std::to_string(secrets_unknown.size()) +
           " secrets arrived redacted and have no value in the store (load a dump written with --keep-secrets to set them):\n";
    list(secrets_unknown);
  }
  if (!warnings.empty()) {
    out += "warnings:\n";
    std::size_t shown = 0;
    for (const auto& w : warnings) {
      if (++shown > 12) {
        out += "  ... and " + std::to_string(warnings.size() - 12) + " more (--report json lists them all)\n";
        break;
      }
      out += "  " + w.to_string() + "\n";
    }
  }
  for (const auto& n : notes) out += n + "\n";
  if (!ignored_files.empty()) {
    out += std::to_string(ignored_files.size()) + " files ignored (not entity files of this schema):\n";
    std::size_t shown = 0;
    for (const auto& f : ignored_files) {
      if (++shown > 10) { out += "  ...\n"; break; }
      out += "  " + f + "\n";
    }
  }
  if (!failures.empty()) {
    out += "failures:\n";
    for (const auto& f : failures) {
      std::string who = f.kind.empty() ? f.origin.str() : f.kind + " " + f.key + (f.origin.file.empty() ? "" : " (" + f.origin.str() + ")");
      if (who.empty()) {  // a problem of the whole input (truncated, counts)
        for (const auto& e : f.errors) out += "  " + e.to_string() + "\n";
        continue;
      }
      out += "  " + who + "\n";
      for (const auto& e : f.errors) out += "    " + e.to_string() + "\n";
    }
    if (unlisted + unlisted_other)
      out += "  ... and " + std::to_string(unlisted + unlisted_other) + " more failures (the first " +
             std::to_string(kMaxListed) + " are listed)\n";
  }
  if (dry_run) out += "dry run: nothing was written\n";
  else if (!committed) out += "nothing was written (the load was rolled back)\n";
  return out;
}

Value LoadReport::json() const {
  Value v = Value::object();
  Value k = Value::object();
  for (const auto& [name, c] : kinds) {
    Value x = Value::object();
    x.set("created", static_cast<long long>(c.created));
    x.set("updated", static_cast<long long>(c.updated));
    x.set("skipped", static_cast<long long>(c.skipped));
    x.set("failed", static_cast<long long>(c.failed));
    k.set(name, std::move(x));
  }
  v.set("kinds", std::move(k));
  Value fs = Value::array();
  for (const auto& f : failures) {
    Value x = Value::object();
    x.set("kind", f.kind);
    x.set("key", f.key);
    x.set("file", f.origin.file);
    x.set("line", static_cast<long long>(f.origin.mark.line));
    if (!f.origin.where.empty()) x.set("where", f.origin.where);
    Value es = Value::array();
    for (const auto& e : f.errors) es.push_back(error_json(e));
    x.set("errors", std::move(es));
    fs.push_back(std::move(x));
  }
  v.set("failures", std::move(fs));
  v.set("failures_not_listed", static_cast<long long>(unlisted + unlisted_other));
  Value st = Value::array();
  for (const auto& s : stubs) st.push_back(s);
  v.set("stubs", std::move(st));
  Value ph = Value::array();
  for (const auto& s : placeholders) ph.push_back(s);
  v.set("placeholder_users", std::move(ph));
  v.set("remapped", static_cast<long long>(remapped));
  Value su = Value::array();
  for (const auto& s : secrets_unknown) su.push_back(s);
  v.set("secrets_unknown", std::move(su));
  Value ws = Value::array();
  for (const auto& w : warnings) ws.push_back(error_json(w));
  v.set("warnings", std::move(ws));
  Value ig = Value::array();
  for (const auto& s : ignored_files) ig.push_back(s);
  v.set("ignored_files", std::move(ig));
  v.set("dry_run", dry_run);
  v.set("committed", committed);
  return v;
}

}  // namespace metaport::engine
