// Dump streams (jsonl and yaml): the header and end records, the per-record
// envelope, then every bi record through its kind's strict decoder. Any
// bytes: records are read or reported with where they are, never a crash; a
// reader that reports a problem says what it is.
#include <cstdlib>

#include "fuzz/bi_schema.hpp"
#include "fuzz/fuzz_target.hpp"
#include "runtime/format/dump_format.hpp"
#include "runtime/format/io.hpp"

void fuzz_one(std::string_view input) {
  using namespace metaport;
  const SchemaInfo& schema = fuzz::bi_schema();
  auto reader = format::open_stream(io::memory_input("fuzz.jsonl", std::string(input)));
  if (!reader) {
    if (reader.errors().list().empty()) std::abort();
    return;
  }
  format::Record rec;
  Errors errors(1000);
  for (int n = 0; n < 10000 && (*reader)->next(rec, errors); ++n) {
    const KindInfo* kind = schema.find(rec.kind);
    if (!kind) continue;
    Entity e;
    Errors de;
    (void)kind->normalize(*kind, rec.doc, DecodeOptions{}, e, de);
  }
  (void)(*reader)->finish();
}
