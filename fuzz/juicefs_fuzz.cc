// The JSON `juicefs dump` writes (the fs schema's --format juicefs): one huge
// nested document read as a stream of records. Any bytes: records come out
// or the reader reports what is wrong and where (a JSON path), never a
// crash; every record is then decoded strictly by its fs kind.
#include <cstdlib>

#include "entities/fs/juicefs.hpp"
#include "fuzz/fuzz_target.hpp"
#include "metaport/schema.hpp"
#include "runtime/format/io.hpp"

namespace metaport::generated {
const SchemaInfo& schema_fs();
}

void fuzz_one(std::string_view input) {
  using namespace metaport;
  const SchemaInfo& schema = generated::schema_fs();
  auto reader = fs::juicefs::open_reader(io::memory_input("fuzz.json", std::string(input)));
  if (!reader) {
    if (reader.errors().list().empty()) std::abort();  // a refusal says why
    return;
  }
  format::Record rec;
  Errors errors(1000);
  for (int n = 0; n < 100000 && (*reader)->next(rec, errors); ++n) {
    const KindInfo* kind = schema.find(rec.kind);
    if (!kind) continue;
    Entity e;
    Errors de;
    (void)kind->normalize(*kind, rec.doc, DecodeOptions{}, e, de);
  }
  (void)(*reader)->finish();
}
