#include "runtime/engine/row_json.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "metaport/format/json.hpp"
#include "metaport/secret.hpp"
#include "runtime/engine/present.hpp"

namespace metaport::engine {

IdKeyJson::IdKeyJson(const std::vector<std::pair<std::int64_t, std::string>>& texts) {
  if (texts.empty()) return;
  std::int64_t lo = texts[0].first, hi = texts[0].first;
  std::size_t bytes = 0;
  for (const auto& [id, t] : texts) {
    lo = std::min(lo, id);
    hi = std::max(hi, id);
    bytes += t.size();
  }
  if (bytes >= kNone) throw std::length_error("IdKeyJson: more than 4 GiB of keys");
  // Dense when the range is at most twice the count (plus slack for tiny kinds).
  const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  const bool dense = span < 2 * texts.size() + 1024;
  if (dense) {
    base_ = lo;
    dense_.resize(static_cast<std::size_t>(span) + 1);
  }
  arena_.reserve(bytes);
  for (const auto& [id, t] : texts) {
    const Slot slot{static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(t.size())};
    arena_ += t;
    if (dense) dense_[static_cast<std::size_t>(id - lo)] = slot;
    else sparse_[id] = slot;
  }
}

RowJson::RowJson(const store::TableDesc& table, bool keep_secrets,
                 const std::function<const IdKeyJson*(const store::Column&, const FieldDesc&)>& refs)
    : table_(table), keep_secrets_(keep_secrets) {
  const auto& fields = table.kind->fields;
  for (std::size_t i = store::TableDesc::kFirstMember; i < table.members_end(); ++i) {
    const store::Column& c = table.columns[i];
    const FieldDesc& f = fields[static_cast<std::size_t>(c.field)];
    Col col;
    col.index = i;
    json::write_string(col.name_json, f.name);
    col.name_json += ':';
    // As present() redacts: a secret member whole, or the secrets inside it.
    if (f.type.secret) col.secret = Secret::whole;
    else if (f.type.holds_secret()) col.secret = Secret::nested;
    if (c.type == store::ColumnType::Ref) col.refs = refs(c, f);
    cols_.push_back(std::move(col));
  }
}

bool RowJson::append(const store::Row& row, std::string& out) {
  using store::ColumnType;
  using store::TableDesc;
  // What entity_value_from_row would refuse or present() would change.
  if (row.size() != table_.columns.size()) return false;
  if (!row[TableDesc::kKey].is_text()) return false;
  if (!table_.key_single && !store::key_from_text(row[TableDesc::kKey].as_text(), false)) return false;
  if (!row[TableDesc::kAbsent].is_int() || !row[TableDesc::kRedacted].is_int()) return false;
  if (!row[TableDesc::kUnknown].is_null()) return false;  // kept unknown members: apply_unknowns
  // Nested secrets unknown here: entity_value_from_row puts their markers back.
  if (table_.redacted_paths != TableDesc::npos && !row[table_.redacted_paths].is_null()) return false;
  const std::int64_t absent = row[TableDesc::kAbsent].as_int();
  const std::int64_t redacted = row[TableDesc::kRedacted].as_int();

  const std::size_t start = out.size();
  const auto decline = [&] {
    out.resize(start);
    return false;
  };
  out += '{';
  bool first = true;
  for (const Col& col : cols_) {
    const store::Column& c = table_.columns[col.index];
    if (c.absent_bit >= 0 && (absent >> c.absent_bit & 1)) continue;
    if (!first) out += ',';
    first = false;
    out += col.name_json;
    if (c.redacted_bit >= 0 && (redacted >> c.redacted_bit & 1)) {
      json::write_string(out, kRedacted);  // unknown to this store
      continue;
    }
    const store::SqlValue& s = row[col.index];
    if (s.is_null()) {
      out += "null";  // present() leaves null alone, secret or not
      continue;
    }
    // The type checks of entity_value_from_row come first: a bad column is
    // an error even when its value would be redacted.
    switch (c.type) {
      case ColumnType::Bool: case ColumnType::Int: case ColumnType::Ref:
        if (!s.is_int()) return decline();
        break;
      case ColumnType::Double:
        if (!s.is_int() && !s.is_double()) return decline();
        if (s.is_double() && !std::isfinite(s.as_double())) return decline();  // the Value path refuses it, with its place
        break;
      case ColumnType::Text: case ColumnType::Json:
        if (!s.is_text()) return decline();
        break;
    }
    if (!keep_secrets_ && col.secret == Secret::whole) {
      if (c.type == ColumnType::Json && !checker_.check(s.as_text())) return decline();  // the parse may fail
      if (c.type == ColumnType::Ref && col.refs && !col.refs->find(s.as_int())) return decline();  // dangling: an error
      json::write_string(out, kRedacted);
      continue;
    }
    if (!keep_secrets_ && col.secret == Secret::nested) return decline();
    switch (c.type) {
      case ColumnType::Bool:
        out += s.as_int() != 0 ? "true" : "false";
        break;
      case ColumnType::Int:
        json::write(out, Value(static_cast<long long>(s.as_int())));
        break;
      case ColumnType::Double:
        json::write(out, Value(s.is_int() ? static_cast<double>(s.as_int()) : s.as_double()));
        break;
      case ColumnType::Text:
        json::write_string(out, s.as_text());
        break;
      case ColumnType::Json:
        if (!checker_.check(s.as_text())) return decline();
        out += s.as_text();
        break;
      case ColumnType::Ref: {
        if (!col.refs) {  // an integer key: the id is the key
          json::write(out, Value(static_cast<long long>(s.as_int())));
          break;
        }
        const auto key = col.refs->find(s.as_int());
        if (!key) return decline();
        out += *key;
        break;
      }
    }
  }
  out += '}';
  return true;
}

}  // namespace metaport::engine
