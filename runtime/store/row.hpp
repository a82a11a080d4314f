// Row conversion: an Entity's canonical Value <-> the column values of its
// table. Plain code over the TableDesc, so the engine and both backends share
// one implementation and Value -> Row -> Value is the identity for every
// member type (absent vs null, secrets, unknowns, nested references).
//
// Top-level references become local ids through callbacks supplied by the
// engine (which owns the identity maps); references nested inside JSON
// columns stay portable keys.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "metaport/entity.hpp"
#include "metaport/result.hpp"
#include "runtime/store/sql_value.hpp"
#include "runtime/store/table_desc.hpp"

namespace metaport::store {

// The local id of (kind, key) in the store, or nullopt if it has none yet.
using RefResolver = std::function<std::optional<std::int64_t>(const std::string& kind, const Key& key)>;
// The portable key of the row `id` of `kind`, or nullopt if there is none.
using KeyLookup = std::function<std::optional<Key>(const std::string& kind, std::int64_t id)>;

// A top-level reference whose target has no local id yet (a cycle, or a
// target inserted later in the same transaction). Its column is NULL in the
// row; once the target exists, patch it with Store::update_column. The
// foreign keys are DEFERRABLE INITIALLY DEFERRED, so the row may be inserted
// first. A pending reference in a NOT NULL column makes the insert fail: the
// engine must insert the targets of non-nullable references first.
struct PendingRef {
  std::size_t column = 0;  // index into TableDesc::columns (and the Row)
  std::string kind;        // the target kind
  Key key;                 // the target's portable key
};

struct EntityRow {
  Row row;
  std::vector<PendingRef> pending;
  // Secret columns whose value was the redaction marker ("**redacted**"):
  // NULL in `row`, their bits set in mp_redacted. On update, pass them to
  // Store::update as columns to keep, so a redacted dump does not wipe the
  // secret already in the store (their mp_redacted bits are kept too).
  std::vector<std::size_t> redacted;
};

// Canonical entity document -> column values. Errors name the table, the key
// and the member (a value of the wrong type, an unresolvable reference key,
// a NaN double, a required member missing).
Result<EntityRow> row_from_entity(const TableDesc& table, const Entity& entity, const RefResolver& resolve);

// Column values -> entity (kind, key, canonical value in declaration order,
// unknowns). A secret whose mp_redacted bit is set reads back as the
// redaction marker: its value is unknown to this store (it was inserted from
// a redacted dump), which is not the same as null.
Result<Entity> entity_value_from_row(const TableDesc& table, const Row& row, const KeyLookup& lookup);
// The same with only the member columns flagged in `columns` (indexed like
// TableDesc::columns); the other members are left out of the document, and
// their columns are not even read (an empty `columns`: every member, as
// above). For a pass that needs a few members of
// every entity: a tree dump's layout index skips parsing the big JSON ones.
Result<Entity> entity_value_from_row(const TableDesc& table, const Row& row, const KeyLookup& lookup,
                                     const std::vector<bool>& columns);

// The mp_unknown JSON text of a list of unknowns ("" when there are none) and
// its inverse.
std::string unknowns_to_json(const Unknowns& unknowns);
Result<Unknowns> unknowns_from_json(std::string_view text);

}  // namespace metaport::store
