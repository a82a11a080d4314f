#include "runtime/store/nested_secrets.hpp"

#include <set>

#include "metaport/format/json.hpp"
#include "metaport/secret.hpp"

namespace metaport::store {

namespace {

bool is_marker(const Value& v) { return v.is_string() && v.as_string() == kRedacted; }

const FieldDesc* field_of(const TypeDesc& t, std::string_view name) {
  for (const auto& f : t.fields)
    if (f.name == name) return &f;
  return nullptr;
}

void take(const TypeDesc& t, Value& v, Value::Array& path, Value::Array& paths) {
  if (t.secret) {
    if (is_marker(v)) {
      v = Value();
      paths.emplace_back(path);
    }
    return;
  }
  if (!t.holds_secret()) return;
  switch (t.tag) {
    case TypeDesc::Tag::Struct:
      if (!v.is_object()) return;
      for (const auto& f : t.fields) {
        if (!f.type.holds_secret()) continue;
        Value* m = v.find(f.name);
        if (!m) continue;
        path.emplace_back(f.name);
        take(f.type, *m, path, paths);
        path.pop_back();
      }
      return;
    case TypeDesc::Tag::List:
      if (!v.is_array()) return;
      for (std::size_t i = 0; i < v.size(); ++i) {
        path.emplace_back(static_cast<long long>(i));
        take(*t.elem, v.as_array()[i], path, paths);
        path.pop_back();
      }
      return;
    case TypeDesc::Tag::Map:
      if (!v.is_object()) return;
      for (auto& [k, x] : v.as_object()) {
        path.emplace_back(k);
        take(*t.elem, x, path, paths);
        path.pop_back();
      }
      return;
    default:
      return;
  }
}

// One step down a path: the child of `v` named by `seg`, or null.
Value* child(Value& v, const Value& seg) {
  if (seg.is_string()) return v.is_object() ? v.find(seg.as_string()) : nullptr;
  if (seg.is_int() && v.is_array() && seg.as_int() >= 0 && static_cast<std::size_t>(seg.as_int()) < v.size())
    return &v.as_array()[static_cast<std::size_t>(seg.as_int())];
  return nullptr;
}

std::string path_text(const Value::Array& path) {
  std::string out;
  for (const auto& seg : path) {
    if (seg.is_string()) out += (out.empty() ? "" : ".") + seg.as_string();
    else out += "[" + std::to_string(seg.as_int()) + "]";
  }
  return out;
}

Result<Value::Array> paths_of(const TableDesc& t, const Row& row) {
  if (t.redacted_paths == TableDesc::npos || row[t.redacted_paths].is_null()) return Value::Array{};
  const SqlValue& s = row[t.redacted_paths];
  if (!s.is_text()) return make_error(t.table + ": mp_redacted_paths is not JSON text");
  auto v = json::parse(s.as_text());
  if (!v || !v->is_array()) return make_error(t.table + ": mp_redacted_paths is not a JSON list of paths");
  for (const auto& p : v->as_array())
    if (!p.is_array() || p.size() == 0 || !p.as_array()[0].is_string())
      return make_error(t.table + ": mp_redacted_paths holds " + json::write(p) + ", not a path [member, ...]");
  return std::move(v->as_array());
}

}  // namespace

void take_redacted(const TypeDesc& t, Value& v, const std::string& member, Value::Array& paths) {
  Value::Array path{Value(member)};
  take(t, v, path, paths);
}

bool put_redacted(Value& v, const Value::Array& path) {
  Value* at = &v;
  for (std::size_t i = 1; i < path.size() && at; ++i) at = child(*at, path[i]);
  if (!at) return false;
  *at = Value(kRedacted);
  return true;
}

bool same_but_secrets(const TypeDesc& t, const Value& a, const Value& b) {
  if (t.secret) return true;
  if (!t.holds_secret()) return a == b;
  switch (t.tag) {
    case TypeDesc::Tag::Struct: {
      if (!a.is_object() || !b.is_object()) return a == b;
      if (a.size() != b.size()) return false;
      for (const auto& [k, x] : a.as_object()) {
        const Value* y = b.find(k);
        if (!y) return false;
        const FieldDesc* f = field_of(t, k);
        if (f ? !same_but_secrets(f->type, x, *y) : !(x == *y)) return false;  // an open struct's extra member
      }
      return true;
    }
    case TypeDesc::Tag::List:
      if (!a.is_array() || !b.is_array()) return a == b;
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_but_secrets(*t.elem, a.as_array()[i], b.as_array()[i])) return false;
      return true;
    case TypeDesc::Tag::Map:
      if (!a.is_object() || !b.is_object()) return a == b;
      if (a.size() != b.size()) return false;
      for (const auto& [k, x] : a.as_object()) {
        const Value* y = b.find(k);
        if (!y || !same_but_secrets(*t.elem, x, *y)) return false;
      }
      return true;
    default:
      return a == b;
  }
}

Status keep_stored_secrets(const TableDesc& t, Row& incoming, const Row& stored) {
  if (t.redacted_paths == TableDesc::npos) return ok_status();
  if (incoming.size() != t.columns.size() || stored.size() != t.columns.size())
    return make_error(t.table + ": keep_stored_secrets needs whole rows");
  auto in_paths = paths_of(t, incoming);
  if (!in_paths) return in_paths.errors();
  if (in_paths->empty()) return ok_status();
  auto st_paths = paths_of(t, stored);
  if (!st_paths) return st_paths.errors();
  std::set<std::string> stored_unknown;
  for (const auto& p : *st_paths) stored_unknown.insert(json::write(p));

  // Parsed member columns, once each.
  struct Member {
    std::size_t column;
    Value in, st;
    bool st_known = false, changed = false;
  };
  std::vector<Member> members;
  auto member = [&](const std::string& name) -> Result<Member*> {
    for (auto& m : members)
      if (t.kind->fields[static_cast<std::size_t>(t.columns[m.column].field)].name == name) return &m;
    const std::size_t c = t.member_column(name);
    if (c == TableDesc::npos) return make_error(t.table + ": mp_redacted_paths names '" + name + "', not a member");
    Member m;
    m.column = c;
    if (!incoming[c].is_text()) return make_error(t.table + ": member '" + name + "' is listed in mp_redacted_paths but holds no JSON");
    auto in = json::parse(incoming[c].as_text());
    if (!in) return in.errors();
    m.in = std::move(*in);
    if (stored[c].is_text()) {
      auto st = json::parse(stored[c].as_text());
      if (!st) return st.errors();
      m.st = std::move(*st);
      m.st_known = true;
    }
    members.push_back(std::move(m));
    return &members.back();
  };

  Value::Array still_unknown;
  for (const auto& path : *in_paths) {
    const Value::Array& p = path.as_array();
    auto m = member(p[0].as_string());
    if (!m) return m.errors();
    Member& mm = **m;
    const FieldDesc& f = t.kind->fields[static_cast<std::size_t>(t.columns[mm.column].field)];
    // Walk both documents along the path; lists are matched by content.
    const TypeDesc* type = &f.type;
    Value* iv = &mm.in;
    const Value* sv = mm.st_known ? &mm.st : nullptr;
    Value::Array st_path{p[0]};
    for (std::size_t i = 1; i < p.size() && iv; ++i) {
      const Value& seg = p[i];
      if (type->tag == TypeDesc::Tag::List && seg.is_int() && iv->is_array()) {
        const std::size_t at = static_cast<std::size_t>(seg.as_int());
        iv = child(*iv, seg);
        if (!iv) break;
        std::size_t match = SIZE_MAX;
        if (sv && sv->is_array()) {
          const auto& list = sv->as_array();
          if (at < list.size() && same_but_secrets(*type->elem, *iv, list[at])) match = at;
          for (std::size_t j = 0; match == SIZE_MAX && j < list.size(); ++j)
            if (same_but_secrets(*type->elem, *iv, list[j])) match = j;
        }
        sv = match == SIZE_MAX ? nullptr : &sv->as_array()[match];
        st_path.emplace_back(static_cast<long long>(match));
        type = type->elem.get();
      } else if (seg.is_string() && (type->tag == TypeDesc::Tag::Struct || type->tag == TypeDesc::Tag::Map)) {
        iv = child(*iv, seg);
        sv = sv && sv->is_object() ? sv->find(seg.as_string()) : nullptr;
        st_path.push_back(seg);
        if (type->tag == TypeDesc::Tag::Map) {
          type = type->elem.get();
        } else {
          const FieldDesc* next = field_of(*type, seg.as_string());
          if (!next) { iv = nullptr; break; }
          type = &next->type;
        }
      } else {
        iv = nullptr;
      }
    }
    if (!iv)
      return make_error(t.table + ": mp_redacted_paths lists " + path_text(p) + ", which the document does not have");
    if (sv && type->secret && !stored_unknown.count(json::write(Value(st_path)))) {
      *iv = *sv;  // the store knows it: keep it
      mm.changed = true;
    } else {
      still_unknown.push_back(path);
    }
  }
  for (auto& m : members)
    if (m.changed) incoming[m.column] = SqlValue(json::write(m.in));
  incoming[t.redacted_paths] =
      still_unknown.empty() ? SqlValue() : SqlValue(json::write(Value(std::move(still_unknown))));
  return ok_status();
}

std::vector<std::string> unknown_secrets(const TableDesc& t, const Row& row) {
  std::vector<std::string> out;
  if (row.size() != t.columns.size()) return out;
  const std::int64_t redacted = row[TableDesc::kRedacted].is_int() ? row[TableDesc::kRedacted].as_int() : 0;
  for (std::size_t i = TableDesc::kFirstMember; i < t.members_end(); ++i) {
    const Column& c = t.columns[i];
    if (c.redacted_bit >= 0 && (redacted >> c.redacted_bit & 1))
      out.push_back(t.kind->fields[static_cast<std::size_t>(c.field)].name);
  }
  if (auto paths = paths_of(t, row); paths)
    for (const auto& p : *paths) out.push_back(path_text(p.as_array()));
  return out;
}

}  // namespace metaport::store
