// An entity's dump document as JSON, written straight from its store row:
// the jsonl dump's fast path (docs/performance.md).
//
// The general path turns a row into an Entity (every JSON column parsed into
// a Value tree), redacts secrets and puts kept unknown members back
// (present.hpp), and json::write()s the result. For a row whose JSON columns
// hold canonical text (json_canonical.hpp) that is a long way of copying
// them: RowJson copies them, writes the scalar columns, and spells
// references from a preloaded id -> key text map. The bytes are those of the
// general path; a row it cannot vouch for (kept unknown members, a secret
// nested inside a JSON column, non-canonical JSON, a value of the wrong type,
// a dangling id) is declined, and the caller takes the general path, which
// also reports the errors.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "metaport/format/json_canonical.hpp"
#include "runtime/store/sql_value.hpp"
#include "runtime/store/table_desc.hpp"

namespace metaport::engine {

// Local id -> the JSON text of that row's key as a reference spells it
// (key_to_value + json::write). Local ids are mostly dense (SQLite rowids,
// PostgreSQL identity sequences), so the texts sit in one buffer indexed by
// id - smallest id; ids far apart go to a hash map instead. The lookup was 5%
// of a jsonl dump with a std::unordered_map<id, std::string> (cache misses).
class IdKeyJson {
 public:
  IdKeyJson() = default;
  explicit IdKeyJson(const std::vector<std::pair<std::int64_t, std::string>>& texts);
  // nullopt when the id has no row.
  std::optional<std::string_view> find(std::int64_t id) const {
    Slot slot;
    if (id >= base_ && static_cast<std::uint64_t>(id - base_) < dense_.size()) {
      slot = dense_[static_cast<std::size_t>(id - base_)];
    } else {
      auto it = sparse_.find(id);
      if (it == sparse_.end()) return std::nullopt;
      slot = it->second;
    }
    if (slot.offset == kNone) return std::nullopt;
    return std::string_view(arena_.data() + slot.offset, slot.size);
  }

 private:
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};
  struct Slot {
    std::uint32_t offset = kNone;  // into arena_ (offsets, not views: arena_ may move)
    std::uint32_t size = 0;
  };
  std::string arena_;
  std::int64_t base_ = 0;
  std::vector<Slot> dense_;
  std::unordered_map<std::int64_t, Slot> sparse_;
};

class RowJson {
 public:
  // For each reference column, `refs(column)` gives the id -> key text map of
  // its target kind (as the column's field spells the key); nullptr for a
  // kind whose integer key is its id (KeyShape::integer): the id is written.
  RowJson(const store::TableDesc& table, bool keep_secrets,
          const std::function<const IdKeyJson*(const store::Column&, const FieldDesc&)>& refs);

  // Appends json::write(present(entity_value_from_row(row))) to `out` and
  // returns true; or returns false, `out` unchanged, when the row must take
  // the general path.
  bool append(const store::Row& row, std::string& out);

 private:
  enum class Secret : std::uint8_t { none, whole, nested };
  struct Col {
    std::size_t index;      // into the row
    std::string name_json;  // "name": (with the quotes and the colon)
    Secret secret = Secret::none;
    const IdKeyJson* refs = nullptr;
  };
  const store::TableDesc& table_;
  bool keep_secrets_;
  std::vector<Col> cols_;
  json::CanonicalChecker checker_;
};

}  // namespace metaport::engine
