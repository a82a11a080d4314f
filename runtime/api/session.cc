#include "runtime/api/session.hpp"

#include <utility>
#include <vector>

#include "metaport/refs.hpp"
#include "runtime/engine/load.hpp"
#include "runtime/format/dump_format.hpp"
#include "runtime/store/row.hpp"

namespace metaport::api {
namespace {

// The documents of one write, as a dump reader hands them to the loader:
// already parsed, so nothing is serialized on the way.
class DocumentReader : public format::DumpReader {
 public:
  DocumentReader(const SchemaInfo& schema, std::string kind, Value doc) : kind_(std::move(kind)), doc_(std::move(doc)) {
    header_.schema = schema.name;
    header_.version = schema.version;
    header_.secrets_kept = true;  // secrets come in clear from the program, not pasted into a file
  }
  const format::DumpHeader& header() const override { return header_; }
  bool next_raw(format::RawRecord& raw, Errors&) override {
    if (done_) return false;
    done_ = true;
    raw.kind = std::move(kind_);
    raw.doc = std::move(doc_);
    return true;
  }
  format::Parsed parse(format::RawRecord& raw, format::Record& out, Errors&) const override {
    out.kind = std::move(raw.kind);
    out.doc = std::move(raw.doc);
    out.origin = Origin{};
    return format::Parsed::record;
  }
  Status finish() override { return ok_status(); }
  std::size_t expected() const override { return 1; }

 private:
  format::DumpHeader header_;
  std::string kind_;
  Value doc_;
  bool done_ = false;
};

// Whether `t` holds a reference to `target` below its top level (inside a
// nested struct, a list or a map: kept as a key in a JSON column, so no
// foreign key guards it).
bool nests_ref_to(const TypeDesc& t, const std::string& target, bool top) {
  switch (t.tag) {
    case TypeDesc::Tag::Ref: return !top && t.ref_kind == target;
    case TypeDesc::Tag::Struct:
      for (const auto& f : t.fields)
        if (nests_ref_to(f.type, target, false)) return true;
      return false;
    case TypeDesc::Tag::List:
    case TypeDesc::Tag::Map: return t.elem && nests_ref_to(*t.elem, target, false);
    default: return false;
  }
}

}  // namespace

Session::Session(const SchemaInfo& schema, std::unique_ptr<store::Store> store)
    : schema_(schema), store_(std::move(store)) {}

Result<std::unique_ptr<Session>> Session::open(const SchemaInfo& schema, std::string_view url, bool create) {
  auto s = store::open_store(url, {.create = create});
  if (!s) return s.errors();
  if (create) {
    auto stored = (*s)->stored_schema();
    if (!stored) return stored.errors();
    if (!*stored)
      if (auto c = (*s)->create_schema(schema); !c) return c.errors();
  }
  if (auto c = (*s)->check_schema(schema); !c) return c.errors();
  return std::unique_ptr<Session>(new Session(schema, std::move(*s)));
}

Result<std::optional<std::int64_t>> Session::id_of(const KindInfo& kind, const Key& key) {
  return store_->lookup(kind.name, key);
}

Result<std::optional<Entity>> Session::read(const KindInfo& kind, std::int64_t id) {
  const store::TableDesc* table = store_->table(kind.name);
  if (!table) return make_error("internal error: no table for kind " + kind.name);
  auto row = store_->fetch(kind.name, id);
  if (!row) return row.errors();
  if (!*row) return std::optional<Entity>{};
  auto e = store::entity_value_from_row(*table, **row, [this](const std::string& k, std::int64_t i) -> std::optional<Key> {
    const store::TableDesc* t = store_->table(k);
    if (!t) return std::nullopt;
    if (t->key_is_id) return Key(std::to_string(i));
    auto r = store_->fetch(k, i);
    if (!r || !*r || (**r).empty() || !(**r)[store::TableDesc::kKey].is_text()) return std::nullopt;
    return store::key_from_text((**r)[store::TableDesc::kKey].as_text(), t->key_single);
  });
  if (!e) return e.errors();
  return std::optional<Entity>(std::move(*e));
}

Result<std::optional<Entity>> Session::get(const KindInfo& kind, const Key& key) {
  auto id = id_of(kind, key);
  if (!id) return id.errors();
  if (!*id) return std::optional<Entity>{};
  return read(kind, **id);
}

Status Session::scan(const KindInfo& kind, const std::function<Status(const Entity&)>& sink) {
  const store::TableDesc* table = store_->table(kind.name);
  if (!table) return make_error("internal error: no table for kind " + kind.name);
  return store_->scan(kind.name, [&](std::int64_t id, store::Row&) -> Status {
    // Read again by id (not from the scanned row) so that the references
    // are spelled by the same lookup as get().
    auto e = read(kind, id);
    if (!e) return e.errors();
    if (!*e) return ok_status();
    return sink(**e);
  });
}

Status Session::load_one(const KindInfo& kind, const Value& doc, bool keep_unknown) {
  DocumentReader reader(schema_, kind.name, doc);
  engine::LoadOptions opts;
  opts.mode = engine::Mode::update;
  opts.on_error = engine::OnError::abort;
  opts.in_transaction = true;  // ours (transaction())
  opts.keep_unknown = keep_unknown;
  auto report = engine::load(*store_, schema_, reader, opts);
  if (!report) return report.errors();
  if (report->failed() == 0) return ok_status();
  Errors errors;
  for (const auto& f : report->failures)
    for (Error e : f.errors) {
      if (e.entity.empty() && !f.kind.empty()) e.entity = f.kind + " " + f.key;
      errors.add(std::move(e));
    }
  if (errors.empty()) errors.add(make_error("the write was refused (" + std::to_string(report->failed()) + " failures)"));
  return errors;
}

Status Session::put(const KindInfo& kind, const Value& doc, WriteMode mode) {
  // Decoded once here for its key (and its errors, as the load would give them).
  Entity e;
  Errors errors;
  if (!kind.normalize(kind, doc, DecodeOptions{}, e, errors)) {
    errors.set_entity(kind.name);
    return errors;
  }
  return transaction([&]() -> Status {
    auto id = id_of(kind, e.key);
    if (!id) return id.errors();
    if (mode == WriteMode::insert && *id) {
      Error err = make_error("already exists (update or upsert it instead)");
      err.entity = label(kind, e.key);
      return err;
    }
    if (mode == WriteMode::update && !*id) {
      Error err = make_error("does not exist (insert or upsert it instead)");
      err.entity = label(kind, e.key);
      return err;
    }
    if (*id) {
      // Members the store keeps that the struct has no place for (an open
      // kind's unknown members) stay: a typed update must not lose them.
      auto stored = read(kind, **id);
      if (!stored) return stored.errors();
      if (*stored && !(*stored)->unknowns.empty()) {
        Value with = doc;
        apply_unknowns(with, (*stored)->unknowns);
        return load_one(kind, with, true);
      }
    }
    return load_one(kind, doc, false);
  });
}

Status Session::check_no_dependants(const KindInfo& kind, const Key& key, std::int64_t id) {
  auto refused = [&](const store::TableDesc& t, std::string dependant, const std::string& member) -> Status {
    Error err = make_error("cannot be erased: " + t.kind_name + " " + dependant + " refers to it (" + member +
                           "); change or erase that first");
    err.entity = label(kind, key);
    return err;
  };
  for (const store::TableDesc& t : store_->tables()) {
    const bool self_kind = t.kind_name == kind.name;
    // Foreign-key columns: through their index.
    for (const store::Column& c : t.columns) {
      if (c.type != store::ColumnType::Ref || c.ref_kind != kind.name || c.field < 0) continue;
      const std::string& member = t.kind->fields[static_cast<std::size_t>(c.field)].name;
      if (auto s = store_->scan_children(t.kind_name, member, id, [&](std::int64_t cid, store::Row& row) -> Status {
            if (self_kind && cid == id) return ok_status();
            const std::string text = !row.empty() && row[store::TableDesc::kKey].is_text()
                                         ? row[store::TableDesc::kKey].as_text()
                                         : std::to_string(cid);
            return refused(t, text, member);
          });
          !s)
        return s;
    }
    // References kept as keys inside documents: every row of a kind that can hold one.
    bool nested = static_cast<bool>(schema_.document_refs);
    for (const auto& f : t.kind->fields) nested = nested || nests_ref_to(f.type, kind.name, true);
    if (!nested) continue;
    if (auto s = store_->scan(t.kind_name, [&](std::int64_t cid, store::Row&) -> Status {
          if (self_kind && cid == id) return ok_status();
          auto e = read(*t.kind, cid);
          if (!e) return e.errors();
          if (!*e) return ok_status();
          std::string at;
          schema_.refs(**e, [&](const FoundRef& r) {
            if (at.empty() && !r.column && r.kind == kind.name && r.key == key) at = path_to_string(r.path);
          });
          return at.empty() ? ok_status() : refused(t, (*e)->key.str(), at);
        });
        !s)
      return s;
  }
  return ok_status();
}

Status Session::erase(const KindInfo& kind, const Key& key) {
  return transaction([&]() -> Status {
    auto id = id_of(kind, key);
    if (!id) return id.errors();
    if (!*id) {
      Error err = make_error("does not exist: nothing to erase");
      err.entity = label(kind, key);
      return err;
    }
    if (auto s = check_no_dependants(kind, key, **id); !s) return s;
    return store_->remove(kind.name, **id);
  });
}

Status Session::transaction(const std::function<Status()>& body) {
  if (depth_ > 0) return body();  // joins the open transaction
  if (auto s = store_->begin_write(); !s) return s;
  depth_ = 1;
  Status result = ok_status();
  try {
    result = body();
  } catch (...) {
    depth_ = 0;
    (void)store_->rollback();
    throw;
  }
  depth_ = 0;
  if (!result) {
    (void)store_->rollback();
    return result;
  }
  return store_->commit();
}

}  // namespace metaport::api
