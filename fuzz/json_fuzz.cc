// JSON (simdjson-backed json::parse, the jsonl record reader): any bytes are
// an error or a Value; a Value written back is canonical and reads back to
// the same Value (json::write / parse is a fixpoint).
#include <cstdlib>

#include "fuzz/fuzz_target.hpp"
#include "metaport/format/json.hpp"
#include "metaport/format/json_canonical.hpp"

void fuzz_one(std::string_view input) {
  using namespace metaport;
  auto v = json::parse(input);
  if (!v) {
    if (v.errors().list().empty()) std::abort();  // a failure says why
    return;
  }
  const std::string text = json::write(*v);
  auto again = json::parse(text);
  if (!again) std::abort();
  if (!(*again == *v)) std::abort();
  if (json::write(*again) != text) std::abort();
  if (!json::is_canonical(text)) std::abort();
}
