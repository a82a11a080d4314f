// The typed side of the store API (runtime/api/db.hpp): an entity struct to
// its canonical Value and back, and a schema's runtime description, found
// by the schema's C++ type. Declarations only: the definitions are in
// typed_impl.hpp, which only the generated registration unit of a schema
// includes and instantiates (once per kind, beside the kind's decoder), so a
// file that includes the API instantiates no codec, however many kinds it uses.
#pragma once
#include "metaport/kind.hpp"
#include "metaport/kind_info.hpp"
#include "metaport/result.hpp"
#include "metaport/schema.hpp"
#include "metaport/value.hpp"

namespace metaport::typed {

// The SchemaInfo of schema S, as the generated registry builds it (lock
// history included). Defined by the registry of S (metaport_schema()).
template <class S>
const SchemaInfo& schema_info();

// The canonical document of `e`, secrets in clear (what a load decodes).
template <Kind T>
Value encode(const T& e);

// `doc` (a canonical document read from a store) into `out`, strictly;
// errors name the member.
template <Kind T>
Status decode(const KindInfo& kind, const Value& doc, T& out);

}  // namespace metaport::typed
