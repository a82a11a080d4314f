// Secrets inside containers (a password in a nested struct, a map of tokens,
// a list of credentials): how a store keeps "unknown" apart from a value.
//
// A top-level Secret member has its own column and a bit in mp_redacted. A
// secret inside a JSON column has neither, so the kinds that have such
// secrets get one more column, mp_redacted_paths (table_desc.hpp): where a
// dump held the redaction marker, the JSON column holds null and the path
// is listed there. The marker never becomes data: a raw reader of the table
// sees null, metaport's readers see "unknown" (the marker again in a dump,
// Secret::redacted() in typed code).
//
// On update, a redacted dump must never wipe a secret the store knows
// (docs/loading.md): keep_stored_secrets() takes the stored value for every
// nested secret the incoming row has unknown, matching list elements by
// their content (everything but their secrets), not by position, so that a
// reordered or grown list keeps each credential with its owner.
#pragma once
#include <string>
#include <vector>

#include "metaport/codec.hpp"
#include "metaport/result.hpp"
#include "metaport/type_desc.hpp"
#include "metaport/value.hpp"
#include "runtime/store/sql_value.hpp"
#include "runtime/store/table_desc.hpp"

namespace metaport::store {

// In `v` (a member of type `t` that is not itself a Secret): every secret
// holding the redaction marker becomes null and its path ([member, index or
// key, ...], starting with `member`) is appended to `paths`.
void take_redacted(const TypeDesc& t, Value& v, const std::string& member, Value::Array& paths);

// Puts the redaction marker back at `path` (as take_redacted recorded it)
// inside the member value `v`; false if `v` has no such place.
bool put_redacted(Value& v, const Value::Array& path);

// True when a and b (values of type t) are equal but for their secrets.
bool same_but_secrets(const TypeDesc& t, const Value& a, const Value& b);

// For an update of a row whose table has mp_redacted_paths: every nested
// secret unknown in `incoming` takes the value `stored` knows for it, and
// leaves the incoming mp_redacted_paths. Secrets the store does not know
// either stay listed. Rows are in TableDesc column order.
Status keep_stored_secrets(const TableDesc& t, Row& incoming, const Row& stored);

// The secrets of a row whose value is unknown (top-level members flagged in
// mp_redacted, nested ones listed in mp_redacted_paths), as field paths:
// "password", "details.auth-info.token". For reports; never their values.
std::vector<std::string> unknown_secrets(const TableDesc& t, const Row& row);

}  // namespace metaport::store
