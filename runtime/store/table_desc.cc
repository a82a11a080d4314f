#include "runtime/store/table_desc.hpp"

#include <charconv>
#include <set>

#include "metaport/slug.hpp"

namespace metaport::store {

namespace {

// PostgreSQL truncates identifiers longer than 63 bytes (NAMEDATALEN - 1);
// two long names that share a prefix would silently become one. Long names
// keep a readable prefix plus a hash of the whole name instead.
constexpr std::size_t kMaxIdentifier = 63;

std::string fit_identifier(std::string s) {
  if (s.size() <= kMaxIdentifier) return s;
  const std::string h = short_hash(s);
  return s.substr(0, kMaxIdentifier - h.size() - 1) + "_" + h;
}

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

ColumnType column_type_of(const TypeDesc& t) {
  switch (t.tag) {
    case TypeDesc::Tag::Bool: return ColumnType::Bool;
    case TypeDesc::Tag::Int: return ColumnType::Int;
    case TypeDesc::Tag::Double: return ColumnType::Double;
    case TypeDesc::Tag::String:
    case TypeDesc::Tag::Enum:
    case TypeDesc::Tag::EntityId:
    case TypeDesc::Tag::Timestamp: return ColumnType::Text;
    case TypeDesc::Tag::Ref: return ColumnType::Ref;
    // References inside these stay portable keys in the JSON: the engine
    // validates them; only top-level references become foreign keys.
    case TypeDesc::Tag::AnyRef:
    case TypeDesc::Tag::Document:
    case TypeDesc::Tag::Struct:
    case TypeDesc::Tag::List:
    case TypeDesc::Tag::Map: return ColumnType::Json;
  }
  return ColumnType::Json;
}

}  // namespace

std::string_view column_type_name(ColumnType t) {
  switch (t) {
    case ColumnType::Bool: return "bool";
    case ColumnType::Int: return "int";
    case ColumnType::Double: return "double";
    case ColumnType::Text: return "text";
    case ColumnType::Json: return "json";
    case ColumnType::Ref: return "ref";
  }
  return "?";
}

std::size_t TableDesc::column_index(std::string_view sql_name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == sql_name) return i;
  return npos;
}

std::size_t TableDesc::member_column(std::string_view disk_name) const {
  if (!kind) return npos;
  for (std::size_t i = kFirstMember; i < members_end(); ++i)
    if (kind->fields[static_cast<std::size_t>(columns[i].field)].name == disk_name) return i;
  return npos;
}

std::string sql_identifier(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 4);
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (is_upper(c)) {
      // camelCase / PascalCase word boundaries: aB -> a_b, ABc -> a_bc.
      const bool after_word = i > 0 && (is_lower(name[i - 1]) || is_digit(name[i - 1]));
      const bool acronym_end = i > 0 && is_upper(name[i - 1]) && i + 1 < name.size() && is_lower(name[i + 1]);
      if ((after_word || acronym_end) && !out.empty() && out.back() != '_') out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else if (is_lower(c) || is_digit(c) || c == '_') {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';  // '/', '-', ' ', '.', non-ASCII bytes ...
    }
  }
  while (!out.empty() && out.back() == '_' && name.size() && name.back() != '_') out.pop_back();
  if (out.empty() || is_digit(out[0])) out = "f_" + out;
  return fit_identifier(std::move(out));
}

std::string table_name_for_kind(std::string_view kind) {
  return fit_identifier("mp_" + sql_identifier(kind));
}

std::string key_text(const Key& key, bool single) {
  if (single) return key.first();
  if (key.size() != 1) return key.str();
  // Key::str() spells a one-part key as the bare string; a path key keeps its
  // brackets so that key_from_text can tell ["[x]"] from ["x"].
  Key two = key;
  two.parts.emplace_back(std::nullopt);
  std::string s = two.str();          // ["part",null]
  s.replace(s.size() - 6, 6, "]");   // drop ",null]"
  return s;
}

std::optional<Key> key_from_text(std::string_view text, bool single) { return Key::parse(text, single); }

Result<std::int64_t> integer_key_id(const Key& key) {
  const std::string& s = key.first();
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (key.size() != 1 || s.empty() || ec != std::errc() || end != s.data() + s.size())
    return make_error("'" + key.str() + "' is not an integer key");
  return v;
}

Result<TableDesc> table_for(const KindInfo& kind, const SchemaInfo& schema) {
  TableDesc t;
  t.kind = &kind;
  t.kind_name = kind.name;
  t.table = table_name_for_kind(kind.name);
  t.key_single = kind.key_is_single();
  t.key_is_id = kind.key_is_id();

  Column key;
  key.name = "mp_key";
  key.type = ColumnType::Text;
  key.role = ColumnRole::Key;
  key.not_null = true;
  key.unique = true;
  Column absent;
  absent.name = "mp_absent";
  absent.type = ColumnType::Int;
  absent.role = ColumnRole::Absent;
  absent.not_null = true;
  Column unknown;
  unknown.name = "mp_unknown";
  unknown.type = ColumnType::Json;
  unknown.role = ColumnRole::Unknown;
  Column redacted;
  redacted.name = "mp_redacted";
  redacted.type = ColumnType::Int;
  redacted.role = ColumnRole::Redacted;
  redacted.not_null = true;
  t.columns = {key, absent, unknown, redacted};

  std::set<std::string> taken = {std::string(TableDesc::kIdColumn), "mp_key", "mp_absent", "mp_unknown",
                                 "mp_redacted", "mp_redacted_paths"};
  int optional_count = 0, secret_count = 0;
  for (std::size_t i = 0; i < kind.fields.size(); ++i) {
    const FieldDesc& f = kind.fields[i];
    Column c;
    c.field = static_cast<int>(i);
    c.role = ColumnRole::Member;
    c.type = column_type_of(f.type);
    c.secret = f.type.secret;
    c.not_null = !f.optional && !f.type.nullable && !f.type.secret;
    if (f.optional) c.absent_bit = optional_count++;
    if (c.secret) c.redacted_bit = secret_count++;
    if (c.type == ColumnType::Ref) {
      const KindInfo* target = schema.find(f.type.ref_kind);
      if (!target)
        return make_error("kind " + kind.name + ": member '" + f.name + "' refers to kind '" + f.type.ref_kind +
                          "', which schema '" + schema.name + "' does not have");
      c.ref_kind = target->name;
      c.ref_table = table_name_for_kind(target->name);
      c.indexed = true;
    }
    // Member columns never start with the reserved "mp_" prefix and never
    // collide: "a-b" and "a_b" become a_b and a_b_2.
    std::string base = sql_identifier(f.name);
    if (base.rfind("mp_", 0) == 0) base = "f_" + base;
    std::string name = fit_identifier(base);
    for (int n = 2; taken.count(name); ++n) name = fit_identifier(base + "_" + std::to_string(n));
    taken.insert(name);
    c.name = std::move(name);
    t.columns.push_back(std::move(c));
  }
  // Secrets inside containers: their unknown ones are listed by path.
  bool nested_secrets = false;
  for (const auto& f : kind.fields) nested_secrets |= !f.type.secret && f.type.holds_secret();
  if (nested_secrets) {
    Column paths;
    paths.name = "mp_redacted_paths";
    paths.type = ColumnType::Json;
    paths.role = ColumnRole::RedactedPaths;
    t.redacted_paths = t.columns.size();
    t.columns.push_back(std::move(paths));
  }
  if (static_cast<std::size_t>(optional_count) > kMaxOptionalMembers)
    return make_error("kind " + kind.name + " has " + std::to_string(optional_count) +
                      " optional members; a store table records absence in a 63-bit mask, so at most " +
                      std::to_string(kMaxOptionalMembers) + " are supported (group some into a nested struct)");
  if (static_cast<std::size_t>(secret_count) > kMaxSecretMembers)
    return make_error("kind " + kind.name + " has " + std::to_string(secret_count) +
                      " secret members; at most " + std::to_string(kMaxSecretMembers) + " are supported");
  return t;
}

std::int64_t redacted_mask(const TableDesc& t, const std::vector<std::size_t>& columns) {
  std::int64_t mask = 0;
  for (std::size_t c : columns)
    if (c < t.columns.size() && t.columns[c].redacted_bit >= 0) mask |= std::int64_t{1} << t.columns[c].redacted_bit;
  return mask;
}

Result<std::vector<TableDesc>> tables_for(const SchemaInfo& schema) {
  std::vector<TableDesc> out;
  out.reserve(schema.kinds.size());
  std::set<std::string> names = {"mp_schema_version", "mp_meta"};
  for (const auto& k : schema.kinds) {
    auto t = table_for(*k, schema);
    if (!t) return t.errors();
    if (!names.insert(t->table).second)
      return make_error("kind " + k->name + " maps to table " + t->table +
                        ", which another kind (or metaport's own bookkeeping) already uses");
    out.push_back(std::move(*t));
  }
  return out;
}

}  // namespace metaport::store
