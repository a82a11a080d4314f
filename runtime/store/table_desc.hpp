// TableDesc: the neutral description of one kind's table, built from the
// kind's TypeDesc fields (sqlgen's "neutral intermediate form"). The DDL of
// every dialect, the row conversion and both backends read it; nothing here
// knows an SQL dialect.
//
// Layout (docs/stores.md): one table `mp_<snake_case(kind)>` per kind with
//   mp_id       the local id (never leaves the instance; implicit, not in Rows)
//   mp_key      the canonical portable key (unique)
//   mp_absent   bitmask over the kind's optional members: bit set = absent
//   mp_unknown  kept unknown members, JSON [[path...], value] pairs, or NULL
//   mp_redacted bitmask over the kind's secret members: bit set = the value
//               is unknown here (it arrived redacted), whatever the column holds
//   ...         one column per top-level member, in declaration order
//   mp_redacted_paths  only for kinds with secrets inside containers (a
//               password in a nested struct, a map of tokens): the JSON list
//               of the paths ([member, index or key, ...]) of those secrets
//               whose value is unknown here (they arrived redacted). The
//               JSON holds null there, never the redaction marker; NULL when
//               every nested secret is known.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "metaport/result.hpp"
#include "metaport/schema.hpp"

namespace metaport::store {

// What a column holds, independent of the SQL spelling of each engine.
enum class ColumnType : std::uint8_t {
  Bool,    // 0/1
  Int,     // 64-bit
  Double,  // IEEE double
  Text,    // UTF-8 text: strings, entity ids, enums, timestamps, keys
  Json,    // a JSON document (metaport::json::write)
  Ref,     // the local id of a row of another (or the same) kind's table
};
std::string_view column_type_name(ColumnType t);

enum class ColumnRole : std::uint8_t { Key, Absent, Unknown, Redacted, Member, RedactedPaths };

struct Column {
  std::string name;  // SQL identifier, [a-z0-9_], always quoted in SQL
  ColumnType type = ColumnType::Text;
  ColumnRole role = ColumnRole::Member;
  bool not_null = false;
  bool unique = false;    // mp_key
  bool indexed = false;   // foreign-key columns get an index
  std::string ref_kind;   // Ref: the target kind
  std::string ref_table;  // Ref: the target table
  int field = -1;         // Member: index into KindInfo::fields
  int absent_bit = -1;    // Member of an optional field: its bit in mp_absent
  bool secret = false;    // Member: a Secret<T> (always NULLable, see row.hpp)
  int redacted_bit = -1;  // Member that is a secret: its bit in mp_redacted
};

struct TableDesc {
  const KindInfo* kind = nullptr;
  std::string kind_name;
  std::string table;            // SQL identifier
  bool key_single = true;       // mp_key is the raw string (not a JSON array)
  // The key is an integer and the row's mp_id is that integer
  // (KeyShape::integer): references need no key map, and scans go in mp_id
  // order (numeric, and the table's own order on SQLite).
  bool key_is_id = false;
  std::vector<Column> columns;  // Row order; the implicit mp_id comes first in SQL
  // The mp_redacted_paths column (last), npos for kinds without secrets
  // inside containers. Members are the columns [kFirstMember, members_end()).
  std::size_t redacted_paths = static_cast<std::size_t>(-1);
  std::size_t members_end() const { return redacted_paths == npos ? columns.size() : redacted_paths; }

  static constexpr std::size_t kKey = 0, kAbsent = 1, kUnknown = 2, kRedacted = 3, kFirstMember = 4;
  static constexpr std::string_view kIdColumn = "mp_id";

  // Index into `columns` of a column by SQL name or of a member by on-disk
  // name; npos when there is none.
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::size_t column_index(std::string_view sql_name) const;
  // The column scans are ordered by, quoted: "mp_key" (bytewise), or "mp_id"
  // for integer keys (key_is_id).
  std::string_view order_column() const { return key_is_id ? "\"mp_id\"" : "\"mp_key\""; }
  std::size_t member_column(std::string_view disk_name) const;
};

// At most this many optional (and this many secret) top-level members per
// kind: mp_absent and mp_redacted are signed 64-bit integers on both engines
// and bit 63 is kept clear.
inline constexpr std::size_t kMaxOptionalMembers = 63;
inline constexpr std::size_t kMaxSecretMembers = 63;

// The bits of mp_redacted owned by the listed columns (secret members among
// them): what Store::update keeps from the stored row for kept columns.
std::int64_t redacted_mask(const TableDesc& t, const std::vector<std::size_t>& columns);

// "NativeQuerySnippet" -> "mp_native_query_snippet". The prefix keeps kinds
// such as Table, Field and User clear of SQL keywords and of other tables.
std::string table_name_for_kind(std::string_view kind);

// An on-disk member name made a safe SQL identifier: "serdes/meta" ->
// "serdes_meta", "createdAt" -> "created_at". Collisions are resolved when the
// table is built (a numeric suffix), not here.
std::string sql_identifier(std::string_view name);

// The table of one kind of `schema`; fails when a reference targets a kind
// the schema does not have or the kind has too many optional members.
Result<TableDesc> table_for(const KindInfo& kind, const SchemaInfo& schema);
// Every kind's table, in the schema's kind order; fails on the first problem
// of any kind and on two kinds that map to the same table name.
Result<std::vector<TableDesc>> tables_for(const SchemaInfo& schema);

// The mp_key text of a key: the raw string for one-part kinds, a JSON array
// otherwise (always, even for a one-part path, so that it parses back
// unambiguously), as Key::str() spells it.
std::string key_text(const Key& key, bool single);
std::optional<Key> key_from_text(std::string_view text, bool single);
// The local id an integer key stands for (KeyShape::integer: the id is the key).
Result<std::int64_t> integer_key_id(const Key& key);

}  // namespace metaport::store
