// Reading a load's input: records parsed and decoded on every core (each
// becomes its row, references still keys), then accepted in input order:
// identity, duplicates, the spool.
#include "runtime/engine/loader.hpp"

#include <algorithm>
#include <thread>

#include "runtime/engine/present.hpp"
#include "runtime/store/nested_secrets.hpp"

namespace metaport::engine::load_detail {

std::size_t Loader::workers() {
  unsigned n = std::thread::hardware_concurrency();
  return n <= 1 ? 0 : n;
}

Loader::Prepared Loader::prepare_raw(format::DumpReader& reader, format::RawRecord& raw) {
  Prepared p;
  format::Record rec;
  p.parsed = reader.parse(raw, rec, p.errors);
  if (p.parsed == format::Parsed::skipped) p.raw = std::move(raw);
  if (p.parsed != format::Parsed::record) return p;
  p.kind_name = rec.kind;
  p.origin = rec.origin;
  if (from_version_) {  // an older dump: the upgrade steps, record by record
    std::vector<UpgradeRecord> up;
    p.guess = guess_key(rec.doc);
    if (!upgrade_record(schema_.upgrades, from_version_, schema_.version, UpgradeRecord{rec.kind, std::move(rec.doc)}, up,
                        p.errors)) {
      auto kit = kind_index_.find(p.kind_name);
      p.kind = kit == kind_index_.end() ? -1 : kit->second;
      if (p.kind < 0) p.errors = Errors{};  // reported as an unknown kind
      return p;
    }
    rec.kind = std::move(up[0].kind);
    rec.doc = std::move(up[0].doc);
    p.kind_name = rec.kind;
    for (std::size_t i = 1; i < up.size(); ++i) p.extra.push_back(std::move(up[i]));
  }
  auto kit = kind_index_.find(rec.kind);
  if (kit == kind_index_.end()) {
    p.guess = guess_key(rec.doc);
    return p;
  }
  prepare_entity(p, kit->second, rec.doc);
  return p;
}

// Decodes strictly, finds the references, serializes for the spool.
void Loader::prepare_entity(Prepared& p, std::uint32_t kind_idx, const Value& doc) const {
  p.kind = kind_idx;
  const KindInfo& kind = *schema_.kinds[kind_idx];
  Entity e;
  DecodeOptions dopts;
  dopts.keep_unknown = opts_.keep_unknown;
  if (!kind.normalize(kind, doc, dopts, e, p.errors)) {
    p.guess = guess_key(doc);
    return;
  }
  p.key = e.key;
  if (!secrets_kept_)
    for (auto& [path, mark] : clear_secrets(kind, doc))
      p.warnings.push_back(Error{"a secret in clear, in a dump not written with --keep-secrets: redact it (" +
                                     std::string(kRedacted) + ") or remove it before this file goes into git",
                                 path_to_string(path), mark.known() ? mark : p.origin.mark, p.origin.file,
                                 kind.name + " " + e.key.str()});
  schema_.refs(e, [&](const FoundRef& r) {
    auto kit = kind_index_.find(r.kind);
    if (kit == kind_index_.end()) return;  // a walker naming a kind the schema lacks: not a reference here
    const bool user = !schema_.user_kind.empty() && r.kind == schema_.user_kind;
    p.refs.push_back(Prepared::Ref{kit->second, r.key, r.column, r.parent, user, user ? r.path : FieldPath{}});
  });
  // One entry per target (a question names the same field many times):
  // the main thread interns each reference, and that is serial work.
  // References to users keep every path (--user rewrites each one).
  std::sort(p.refs.begin(), p.refs.end(), [](const Prepared::Ref& a, const Prepared::Ref& b) {
    if (a.user != b.user) return a.user < b.user;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.key < b.key;
  });
  std::size_t out = 0;
  for (std::size_t i = 0; i < p.refs.size(); ++i) {
    auto& r = p.refs[i];
    if (out > 0 && !r.user) {
      auto& last = p.refs[out - 1];
      if (!last.user && last.kind == r.kind && last.key == r.key) {
        last.column |= r.column;
        last.parent |= r.parent;
        continue;
      }
    }
    if (out != i) p.refs[out] = std::move(r);
    ++out;
  }
  p.refs.resize(out);
  // The row, built here on a worker; its references stay keys until apply.
  auto row = store::row_from_entity(tables_[kind_idx], e, [](const std::string&, const Key&) { return std::nullopt; });
  if (!row) {
    p.errors = row.errors();
    p.guess = guess_key(doc);
    return;
  }
  p.spooled.reserve(1024);
  append_spooled_row(p.spooled, *row);
  p.row = std::move(*row);
}

// In input order: identity, duplicates, the spool, the plan.
Status Loader::accept(format::DumpReader& reader, Prepared& p) {
  if (p.parsed == format::Parsed::skipped) {
    reader.skipped(p.raw);
    return ok_status();
  }
  if (p.parsed == format::Parsed::failed) {
    for (const auto& e : p.errors.list()) unreadable(e);
    return ok_status();
  }
  format::Record counted;
  counted.kind = p.kind_name;
  reader.accepted(counted);
  for (auto& w : p.warnings) report_.warnings.push_back(std::move(w));
  ++report_.records;
  if (auto s = accept_entity(p); !s) return s;
  for (auto& x : p.extra) {
    auto kit = kind_index_.find(x.kind);
    if (kit == kind_index_.end()) {
      Failure f;
      f.kind = x.kind;
      f.origin = p.origin;
      f.errors.push_back(Error{"an upgrade step produced a record of unknown kind '" + x.kind + "'", {}, p.origin.mark,
                               p.origin.file, {}});
      report_.failures.push_back(std::move(f));
      continue;
    }
    if (auto s = add_entity(kit->second, x.doc, p.origin, false); !s) return s;
  }
  return ok_status();
}

Status Loader::accept_entity(Prepared& p) {
  if (p.kind < 0) {
    std::string known;
    for (const auto& k : schema_.kinds) known += (known.empty() ? "" : ", ") + k->name;
    Failure f;
    f.kind = p.kind_name;
    f.key = p.guess;
    f.origin = p.origin;
    f.errors.push_back(Error{"unknown kind '" + p.kind_name + "' (schema " + schema_.name + " has: " + known + ")", {},
                             p.origin.mark, p.origin.file, {}});
    report_.failures.push_back(std::move(f));
    return ok_status();
  }
  const KindInfo& kind = *schema_.kinds[static_cast<std::size_t>(p.kind)];
  if (!p.errors.empty()) {
    Failure f;
    f.kind = kind.name;
    f.key = p.guess;
    f.origin = p.origin;
    for (auto err : p.errors.list()) {
      if (err.file.empty()) err.file = p.origin.file;
      if (!err.mark.known()) err.mark = p.origin.mark;  // JSON lines: the record's line
      f.errors.push_back(std::move(err));
    }
    if (p.errors.dropped())
      f.errors.push_back(Error{"... and " + std::to_string(p.errors.dropped()) + " more problems", {}, {}, p.origin.file, {}});
    ++report_.kinds[kind.name].failed;
    report_.failures.push_back(std::move(f));
    return ok_status();
  }
  const std::uint32_t node = intern(static_cast<std::uint32_t>(p.kind), p.key);
  if (nodes_[node].incoming != kNone) {
    const Incoming& first = incoming_[static_cast<std::size_t>(nodes_[node].incoming)];
    Failure f;
    f.kind = kind.name;
    f.key = p.key.str();
    f.origin = p.origin;
    f.errors.push_back(Error{"duplicate " + label(kind, p.key) + ": the same entity is also at " + first.origin.str(), {},
                             p.origin.mark, p.origin.file, {}});
    ++report_.kinds[kind.name].failed;
    report_.failures.push_back(std::move(f));
    return ok_status();
  }
  Incoming in;
  in.node = node;
  in.origin = p.origin;
  in.placeholder = p.placeholder;
  in.deps.reserve(p.refs.size());
  for (auto& r : p.refs) {
    const std::uint32_t t = intern(r.kind, r.key);
    in.deps.push_back(Dep{t, r.column, r.parent});
    if (r.user) in.user_refs.emplace_back(std::move(r.path), t);
  }
  std::sort(in.deps.begin(), in.deps.end(), [](const Dep& a, const Dep& b) { return a.node < b.node; });
  std::vector<Dep> merged;
  merged.reserve(in.deps.size());
  for (const auto& d : in.deps) {
    if (!merged.empty() && merged.back().node == d.node) {
      merged.back().column |= d.column;
      merged.back().parent |= d.parent;
    } else {
      merged.push_back(d);
    }
  }
  in.deps = std::move(merged);
  auto off = spool_.append(p.spooled);
  if (!off) return off.errors();
  in.off = *off;
  in.len = static_cast<std::uint32_t>(p.spooled.size());
  in.unknown_secrets = store::unknown_secrets(tables_[static_cast<std::size_t>(p.kind)], p.row.row);
  nodes_[node].incoming = static_cast<std::int32_t>(incoming_.size());
  incoming_.push_back(std::move(in));
  if (streaming_) return stream_insert(node, p.row);
  return ok_status();
}

Status Loader::add_entity(std::uint32_t kind_idx, const Value& doc, const Origin& origin, bool placeholder) {
  Prepared p;
  p.parsed = format::Parsed::record;
  p.kind_name = schema_.kinds[kind_idx]->name;
  p.origin = origin;
  p.placeholder = placeholder;
  prepare_entity(p, kind_idx, doc);
  return accept_entity(p);
}

std::uint32_t Loader::intern(std::uint32_t kind, const Key& key) {
  auto [it, fresh] = index_[kind].try_emplace(key, static_cast<std::uint32_t>(nodes_.size()));
  if (fresh) {
    Node n;
    n.kind = kind;
    n.key = key;
    nodes_.push_back(std::move(n));
  }
  return it->second;
}

std::optional<std::uint32_t> Loader::find_node(std::uint32_t kind, const Key& key) const {
  auto it = index_[kind].find(key);
  if (it == index_[kind].end()) return std::nullopt;
  return it->second;
}

}  // namespace metaport::engine::load_detail
