// The bi schema as its generated registration unit builds it.
#pragma once
#include "metaport/schema.hpp"

namespace metaport::generated {
const SchemaInfo& schema_bi();
}
namespace fuzz {
inline const metaport::SchemaInfo& bi_schema() { return metaport::generated::schema_bi(); }
}  // namespace fuzz
