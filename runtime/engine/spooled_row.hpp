// The record a load keeps in its spool between the plan and the apply phase:
// the row an entity becomes, built once by the decoding workers, with its
// top-level references still as portable keys (local ids are handed out only
// once the whole plan is known). The apply phase reads it back, fills in the
// ids and inserts: no second parse of the document, no second conversion.
//
// Binary and private to one process: a compact little-endian encoding of
// SqlValues (tag, then 8 bytes or a length and bytes), never written to a dump.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "metaport/result.hpp"
#include "runtime/store/row.hpp"

namespace metaport::engine {

struct SpooledRow {
  store::Row row;                       // reference columns NULL until resolved
  std::vector<store::PendingRef> refs;  // column, target kind, target key
  std::vector<std::size_t> redacted;    // secret columns the dump redacted
};

// Appends `r` to `out`.
void append_spooled_row(std::string& out, const store::EntityRow& r);
// Reads back what append_spooled_row wrote (kinds of the references come from
// `table`: each reference column names its target kind).
Status read_spooled_row(std::string_view in, const store::TableDesc& table, SpooledRow& out);

}  // namespace metaport::engine
