#include "runtime/store/row.hpp"

#include <cmath>

#include "metaport/format/json.hpp"
#include "metaport/refs.hpp"
#include "metaport/secret.hpp"
#include "runtime/store/nested_secrets.hpp"

namespace metaport::store {

namespace {

std::string where(const TableDesc& t, const std::string& key_text) { return t.table + " '" + key_text + "'"; }

Error member_error(const TableDesc& t, const std::string& key_text, const FieldDesc& f, std::string msg) {
  Error e = make_error(where(t, key_text) + ": member '" + f.name + "': " + std::move(msg), f.name);
  e.entity = t.kind_name + " " + key_text;
  return e;
}

}  // namespace

std::string unknowns_to_json(const Unknowns& unknowns) {
  if (unknowns.empty()) return {};
  Value::Array pairs;
  pairs.reserve(unknowns.size());
  for (const auto& u : unknowns) {
    Value::Array path;
    for (const auto& seg : u.path) {
      if (auto* k = std::get_if<std::string>(&seg)) path.emplace_back(*k);
      else path.emplace_back(static_cast<long long>(std::get<std::size_t>(seg)));
    }
    pairs.push_back(Value(Value::Array{Value(std::move(path)), u.value}));
  }
  return json::write(Value(std::move(pairs)));
}

Result<Unknowns> unknowns_from_json(std::string_view text) {
  auto parsed = json::parse(text);
  if (!parsed) return make_error("mp_unknown: " + parsed.errors().list().front().message);
  const Value& v = *parsed;
  auto bad = [] { return make_error("mp_unknown: expected a list of [[path...], value] pairs"); };
  if (!v.is_array()) return bad();
  Unknowns out;
  out.reserve(v.size());
  for (const auto& pair : v.as_array()) {
    if (!pair.is_array() || pair.size() != 2 || !pair.as_array()[0].is_array()) return bad();
    Unknown u;
    for (const auto& seg : pair.as_array()[0].as_array()) {
      if (seg.is_string()) u.path.emplace_back(seg.as_string());
      else if (seg.is_int() && seg.as_int() >= 0) u.path.emplace_back(static_cast<std::size_t>(seg.as_int()));
      else return bad();
    }
    u.value = pair.as_array()[1];
    out.push_back(std::move(u));
  }
  return out;
}

Result<EntityRow> row_from_entity(const TableDesc& t, const Entity& e, const RefResolver& resolve) {
  EntityRow out;
  Row& row = out.row;
  row.resize(t.columns.size());
  std::string key = key_text(e.key, t.key_single);
  if (e.key.empty()) return make_error(t.table + ": an entity without a key cannot be stored");
  if (!e.value.is_object()) return make_error(where(t, key) + ": the entity document is " +
                                              std::string(e.value.type_name()) + ", not a map");
  const auto& fields = t.kind->fields;

  std::int64_t absent = 0, redacted = 0;
  std::size_t seen = 0;
  Value::Array redacted_paths;  // nested secrets that arrived redacted
  for (std::size_t i = TableDesc::kFirstMember; i < t.members_end(); ++i) {
    const Column& c = t.columns[i];
    const FieldDesc& f = fields[static_cast<std::size_t>(c.field)];
    const Value* v = e.value.find(f.name);
    if (!v) {
      if (c.absent_bit < 0) return member_error(t, key, f, "required member is missing");
      absent |= std::int64_t{1} << c.absent_bit;
      continue;  // NULL
    }
    ++seen;
    if (c.secret && v->is_string() && v->as_string() == kRedacted) {
      out.redacted.push_back(i);
      redacted |= std::int64_t{1} << c.redacted_bit;
      continue;  // NULL: the value is unknown here
    }
    if (v->is_null()) {
      if (c.type == ColumnType::Json && c.not_null) row[i] = SqlValue(std::string("null"));
      else if (c.not_null) return member_error(t, key, f, "null in a member that may not be null");
      continue;  // NULL
    }
    switch (c.type) {
      case ColumnType::Bool:
        if (!v->is_bool()) return member_error(t, key, f, "expected true or false, got " + std::string(v->type_name()));
        row[i] = SqlValue(std::int64_t{v->as_bool() ? 1 : 0});
        break;
      case ColumnType::Int:
        if (!v->is_int()) return member_error(t, key, f, "expected an integer, got " + std::string(v->type_name()));
        row[i] = SqlValue(v->as_int());
        break;
      case ColumnType::Double:
        if (!v->is_number()) return member_error(t, key, f, "expected a number, got " + std::string(v->type_name()));
        if (std::isnan(v->as_double())) return member_error(t, key, f, "NaN cannot be stored (nor written as JSON)");
        row[i] = SqlValue(v->as_double());
        break;
      case ColumnType::Text:
        if (!v->is_string()) return member_error(t, key, f, "expected a string, got " + std::string(v->type_name()));
        row[i] = SqlValue(v->as_string());
        break;
      case ColumnType::Json:
        // A JSON column would hold NaN or infinity as null: refused, as NaN
        // is in a number column.
        if (auto bad = json::find_non_finite(*v))
          return member_error(t, key, f, std::string(bad->what) + (bad->path.empty() ? "" : " at " + bad->path) +
                                             " cannot be stored (JSON, the column's type, has no such number)");
        if (t.redacted_paths != TableDesc::npos && f.type.holds_secret()) {
          Value copy = *v;  // the markers become null, their paths listed
          take_redacted(f.type, copy, f.name, redacted_paths);
          row[i] = SqlValue(json::write(copy));
        } else {
          row[i] = SqlValue(json::write(*v));
        }
        break;
      case ColumnType::Ref: {
        auto target = key_from_value(*v);
        if (!target) return member_error(t, key, f, "not a " + c.ref_kind + " key: " + json::write(*v));
        if (auto id = resolve(c.ref_kind, *target)) row[i] = SqlValue(*id);
        else out.pending.push_back(PendingRef{i, c.ref_kind, std::move(*target)});
        break;
      }
    }
  }
  if (seen != e.value.size()) {
    // A member the kind does not declare would be silently dropped: refuse.
    for (const auto& [name, v] : e.value.as_object())
      if (!t.kind->field(name))
        return make_error(where(t, key) + ": member '" + name + "' is not a member of kind " + t.kind_name +
                          " (kept unknown members belong in Entity::unknowns)");
  }
  row[TableDesc::kKey] = SqlValue(std::move(key));
  row[TableDesc::kAbsent] = SqlValue(absent);
  row[TableDesc::kRedacted] = SqlValue(redacted);
  if (!e.unknowns.empty()) row[TableDesc::kUnknown] = SqlValue(unknowns_to_json(e.unknowns));
  if (!redacted_paths.empty()) row[t.redacted_paths] = SqlValue(json::write(Value(std::move(redacted_paths))));
  return out;
}

Result<Entity> entity_value_from_row(const TableDesc& t, const Row& row, const KeyLookup& lookup) {
  return entity_value_from_row(t, row, lookup, {});
}

Result<Entity> entity_value_from_row(const TableDesc& t, const Row& row, const KeyLookup& lookup,
                                     const std::vector<bool>& columns) {
  if (row.size() != t.columns.size())
    return make_error(t.table + ": a row of " + std::to_string(row.size()) + " columns, the table has " +
                      std::to_string(t.columns.size()));
  if (!row[TableDesc::kKey].is_text()) return make_error(t.table + ": a row without a text mp_key");
  const std::string& key = row[TableDesc::kKey].as_text();
  Entity e;
  e.kind = t.kind;
  auto k = key_from_text(key, t.key_single);
  if (!k) return make_error(where(t, key) + ": mp_key is not a well-formed key of kind " + t.kind_name);
  e.key = std::move(*k);

  const SqlValue& absent_v = row[TableDesc::kAbsent];
  if (!absent_v.is_int()) return make_error(where(t, key) + ": mp_absent is not an integer");
  const std::int64_t absent = absent_v.as_int();
  const SqlValue& redacted_v = row[TableDesc::kRedacted];
  if (!redacted_v.is_int()) return make_error(where(t, key) + ": mp_redacted is not an integer");
  const std::int64_t redacted = redacted_v.as_int();
  if (const SqlValue& u = row[TableDesc::kUnknown]; !u.is_null()) {
    if (!u.is_text()) return make_error(where(t, key) + ": mp_unknown is not JSON text");
    auto unknowns = unknowns_from_json(u.as_text());
    if (!unknowns) return make_error(where(t, key) + ": " + unknowns.errors().list().front().message);
    e.unknowns = std::move(*unknowns);
  }

  const auto& fields = t.kind->fields;
  Value::Object obj;
  obj.reserve(t.members_end() - TableDesc::kFirstMember);
  for (std::size_t i = TableDesc::kFirstMember; i < t.members_end(); ++i) {
    if (!columns.empty() && !columns[i]) continue;  // not asked for
    const Column& c = t.columns[i];
    const FieldDesc& f = fields[static_cast<std::size_t>(c.field)];
    if (c.absent_bit >= 0 && (absent >> c.absent_bit & 1)) continue;
    const SqlValue& s = row[i];
    auto wrong = [&](std::string_view expected) {
      return member_error(t, key, f, "column " + c.name + " holds " + s.debug_string() + ", not " +
                                         std::string(expected));
    };
    if (c.redacted_bit >= 0 && (redacted >> c.redacted_bit & 1)) {
      obj.emplace_back(f.name, Value(kRedacted));  // unknown to this store
      continue;
    }
    if (s.is_null()) {
      obj.emplace_back(f.name, Value());
      continue;
    }
    switch (c.type) {
      case ColumnType::Bool:
        if (!s.is_int()) return wrong("a boolean");
        obj.emplace_back(f.name, Value(s.as_int() != 0));
        break;
      case ColumnType::Int:
        if (!s.is_int()) return wrong("an integer");
        obj.emplace_back(f.name, Value(static_cast<long long>(s.as_int())));
        break;
      case ColumnType::Double:
        if (s.is_int()) obj.emplace_back(f.name, Value(static_cast<double>(s.as_int())));
        else if (s.is_double()) obj.emplace_back(f.name, Value(s.as_double()));
        else return wrong("a number");
        break;
      case ColumnType::Text:
        if (!s.is_text()) return wrong("text");
        obj.emplace_back(f.name, Value(s.as_text()));
        break;
      case ColumnType::Json: {
        if (!s.is_text()) return wrong("JSON text");
        auto v = json::parse(s.as_text());
        if (!v) return member_error(t, key, f, "column " + c.name + ": " + v.errors().list().front().message);
        obj.emplace_back(f.name, std::move(*v));
        break;
      }
      case ColumnType::Ref: {
        if (!s.is_int()) return wrong("a local id");
        auto target = lookup(c.ref_kind, s.as_int());
        if (!target)
          return member_error(t, key, f, "refers to local id " + std::to_string(s.as_int()) + " of " + c.ref_table +
                                             ", which has no such row");
        obj.emplace_back(f.name, key_to_value(*target, f.type.ref_shape));
        break;
      }
    }
  }
  e.value = Value(std::move(obj));
  if (t.redacted_paths != TableDesc::npos && !row[t.redacted_paths].is_null()) {
    // Nested secrets unknown here: the marker again where the JSON has null.
    const SqlValue& s = row[t.redacted_paths];
    auto paths = s.is_text() ? json::parse(s.as_text()) : Result<Value>(make_error("not JSON text"));
    if (!paths || !paths->is_array()) return make_error(where(t, key) + ": mp_redacted_paths is not a JSON list of paths");
    for (const auto& p : paths->as_array()) {
      if (!p.is_array() || p.size() == 0 || !p.as_array()[0].is_string())
        return make_error(where(t, key) + ": mp_redacted_paths holds " + json::write(p) + ", not a path");
      Value* m = e.value.find(p.as_array()[0].as_string());
      if (!m) continue;  // a member not asked for (or absent)
      if (!put_redacted(*m, p.as_array()))
        return make_error(where(t, key) + ": mp_redacted_paths lists " + json::write(p) +
                          ", a place its document does not have");
    }
  }
  return e;
}

}  // namespace metaport::store
