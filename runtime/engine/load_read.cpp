// Reading a load's input: records parsed and decoded on every core (each
// becomes its row, references still keys), then accepted in input order
// into the spool, and streamed into the store when it started empty.
#include "runtime/engine/loader.hpp"

#include <algorithm>
#include <cstring>
#include <thread>

#include "runtime/engine/present.hpp"
#include "runtime/engine/sealed_secrets.hpp"
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
  const KindInfo& kind = *schema_.kinds[kit->second];
  // A secret in clear, in a dump that does not say it keeps them: found
  // before sealed ones are opened (those are not in clear in the file).
  std::vector<std::pair<FieldPath, Mark>> clear;
  if (!secrets_kept_) clear = clear_secrets(kind, rec.doc);
  std::size_t sealed = 0;
  open_secrets(kind, rec.doc, opts_.secrets_key, p.errors, sealed);
  if (sealed) sealed_ += sealed;
  if (!p.errors.empty()) {
    p.kind = kit->second;
    p.guess = guess_key(rec.doc);
    return p;
  }
  prepare_entity(p, kit->second, rec.doc);
  if (!rec.problems.empty()) {  // the layout's, found converting the file: the entity fails with them
    if (p.errors.empty()) p.guess = p.rec.key.size() ? p.rec.key.str() : guess_key(rec.doc);
    p.errors.append(rec.problems);
  }
  for (auto& [path, mark] : clear)
    p.warnings.push_back(Error{"a secret in clear, in a dump not written with --keep-secrets: redact it (" +
                                   std::string(kRedacted) + ") or remove it before this file goes into git",
                               p.origin.path_in_file(path_to_string(path)), mark.known() ? mark : p.origin.mark,
                               p.origin.file, kind.name + " " + (p.errors.empty() ? p.rec.key.str() : p.guess)});
  return p;
}

// Decodes strictly, finds the references, builds the row and the spool record.
void Loader::prepare_entity(Prepared& p, std::uint32_t kind_idx, const Value& doc) const {
  p.kind = kind_idx;
  const KindInfo& kind = *schema_.kinds[kind_idx];
  Entity e;
  DecodeOptions dopts;
  dopts.keep_unknown = opts_.keep_unknown;
  if (!kind.normalize(kind, doc, dopts, e, p.errors)) {
    p.guess = guess_key(doc);
    // Its key is not known; a reference to any of its top-level values
    // may mean it (propagate_failures says "failed to load", not "missing").
    if (doc.is_object())
      for (const auto& [name, v] : doc.as_object()) {
        if (p.could_be.size() == 64) break;
        if (auto k = key_from_value(v); k && !k->parts.empty()) p.could_be.push_back(std::move(*k));
      }
    return;
  }
  SpoolRecord& rec = p.rec;
  rec.kind = kind_idx;
  rec.key = e.key;
  rec.origin = p.origin;
  schema_.refs(e, [&](const FoundRef& r) {
    auto kit = kind_index_.find(r.kind);
    if (kit == kind_index_.end()) return;  // a walker naming a kind the schema lacks: not a reference here
    const bool user = !schema_.user_kind.empty() && r.kind == schema_.user_kind;
    SpoolRecord::Ref ref;
    ref.kind = kit->second;
    ref.key = r.key;
    ref.flags = static_cast<std::uint8_t>((r.column ? kColumn : 0) | (r.parent ? kParent : 0) | (user ? kUser : 0));
    if (user) ref.path = r.path;
    rec.refs.push_back(std::move(ref));
  });
  // One entry per target (a question names the same field many times): each
  // one costs the plan a lookup. References to users keep every path
  // (--user rewrites each one).
  std::sort(rec.refs.begin(), rec.refs.end(), [](const SpoolRecord::Ref& a, const SpoolRecord::Ref& b) {
    const bool au = a.flags & kUser, bu = b.flags & kUser;
    if (au != bu) return au < bu;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.key < b.key;
  });
  std::size_t out = 0;
  for (std::size_t i = 0; i < rec.refs.size(); ++i) {
    auto& r = rec.refs[i];
    if (out > 0 && !(r.flags & kUser)) {
      auto& last = rec.refs[out - 1];
      if (!(last.flags & kUser) && last.kind == r.kind && last.key == r.key) {
        last.flags |= r.flags;
        continue;
      }
    }
    if (out != i) rec.refs[out] = std::move(r);
    ++out;
  }
  rec.refs.resize(out);
  // The row, built here on a worker; its references stay keys until written.
  auto row = store::row_from_entity(tables_[kind_idx], e, [](const std::string&, const Key&) { return std::nullopt; });
  if (!row) {
    p.errors = row.errors();
    p.guess = guess_key(doc);
    return;
  }
  rec.row.reserve(1024);
  append_spooled_row(rec.row, *row);
  rec.unknown_secrets = store::unknown_secrets(tables_[kind_idx], row->row);
  p.row = std::move(*row);
  if (totals_) p.entity = std::move(e);
}

// In input order: the reader's bookkeeping, the report, the spool, the stream.
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
      record_failure(x.kind, {}, p.origin,
                     {Error{"an upgrade step produced a record of unknown kind '" + x.kind + "'", {}, p.origin.mark,
                            p.origin.file, {}}});
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
    record_failure(p.kind_name, p.guess, p.origin,
                   {Error{"unknown kind '" + p.kind_name + "' (schema " + schema_.name + " has: " + known + ")", {},
                          p.origin.mark, p.origin.file, {}}});
    return ok_status();
  }
  const KindInfo& kind = *schema_.kinds[static_cast<std::size_t>(p.kind)];
  if (!p.errors.empty()) {
    std::vector<Error> errs;
    for (const auto& err : p.errors.list()) errs.push_back(p.origin.place(err));  // JSON lines: the record's line
    if (p.errors.dropped())
      errs.push_back(Error{"... and " + std::to_string(p.errors.dropped()) + " more problems", {}, {}, p.origin.file, {}});
    ++report_.kinds[kind.name].failed;
    record_failure(kind.name, p.guess, p.origin, std::move(errs));
    if (!p.could_be.empty()) {
      if (auto s = open_plan(); !s) return s;
      auto& ins = plan_->stmt("INSERT OR IGNORE INTO failed_key(kind, key) VALUES(?1, ?2)");
      for (const auto& k : p.could_be) {
        ins.bind(1, static_cast<std::int64_t>(p.kind)).bind(2, key_text(static_cast<std::uint32_t>(p.kind), k));
        if (auto s = ins.run(); !s) return s;
      }
    }
    if (streaming_) stop_streaming();
    // Its key, if it can be told, joins the plan as a failed record.
    if (kind.key_is_single() && !p.guess.empty()) {
      SpoolRecord failed;
      failed.kind = static_cast<std::uint32_t>(p.kind);
      failed.failed = true;
      failed.key = Key(p.guess);
      failed.origin = p.origin;
      return spool(failed);
    }
    return ok_status();
  }
  // load --restore: the totals see every entity; the dumped records of the
  // kinds they recompute were checked (decoded) and are replaced at the end.
  if (totals_) {
    if (p.entity) {
      p.entity->kind = &kind;
      totals_->add(*p.entity);
    }
    if (totals_kind_[static_cast<std::size_t>(p.kind)]) return ok_status();
  }
  if (auto s = spool(p.rec); !s) return s;
  if (streaming_) return stream(p);
  return ok_status();
}

Status Loader::spool(const SpoolRecord& rec) {
  if (records_ == 0) input_name_ = rec.origin.file;
  thread_local std::string bytes;
  bytes.assign(4, '\0');
  write_spool_record(bytes, rec, rec.origin.file == input_name_);
  const auto len = static_cast<std::uint32_t>(bytes.size() - 4);
  std::memcpy(bytes.data(), &len, 4);
  auto off = spool_.append(bytes);
  if (!off) return off.errors();
  ++records_;
  return ok_status();
}

// A record the load makes itself (a placeholder, an upgrade step's extra
// record, a recomputed total): decoded and accepted like any other.
Status Loader::add_entity(std::uint32_t kind_idx, const Value& doc, const Origin& origin, bool placeholder) {
  Prepared p;
  p.parsed = format::Parsed::record;
  p.kind_name = schema_.kinds[kind_idx]->name;
  p.origin = origin;
  prepare_entity(p, kind_idx, doc);
  p.rec.placeholder = placeholder;
  return accept_entity(p);
}

// load --restore: the recomputed totals join the load.
Status Loader::add_totals() {
  if (!totals_) return ok_status();
  auto results = totals_->result();
  totals_.reset();  // what follows is not counted again
  for (auto& [kind, doc] : results) {
    auto kit = kind_index_.find(kind);
    if (kit == kind_index_.end()) return make_error("internal error: the totals name an unknown kind " + kind);
    if (auto s = add_entity(kit->second, doc, Origin{"(recomputed)", {}, {}}, false); !s) return s;
  }
  return ok_status();
}

}  // namespace metaport::engine::load_detail
