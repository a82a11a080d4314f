// A file of a Metabase serialization export (bi's `serdes` layout), as
// `load` reads it from a tree: the first line of the input is the file's path
// in the export, the rest its YAML. Properties: any bytes are read or refused
// with errors that say why, never a crash; what reads and decodes strictly
// is written back (`dump --layout serdes`) as a file that reads back to the
// same entity and is written again byte for byte (no phantom diff in a
// reviewed export).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz/bi_schema.hpp"
#include "fuzz/entity_fuzz.hpp"
#include "fuzz/fuzz_target.hpp"
#include "metaport/layout.hpp"

namespace {
using namespace metaport;

// The file read as `load` reads it: its kind from the layout, the layout's
// document, then the kind's strict decoder. False when any step refuses it.
bool read_file(Layout& layout, const SchemaInfo& schema, std::string_view rel, std::string_view text, Entity& out) {
  auto doc = yaml::parse(text);
  if (!doc) {
    if (doc.errors().list().empty()) std::abort();
    return false;
  }
  auto kind_name = layout.kind_of(rel, *doc);
  if (!kind_name || kind_name->empty()) return false;
  const KindInfo* kind = schema.find(*kind_name);
  if (!kind) return false;
  Errors errors;
  auto model = layout.read_document(*kind_name, rel, std::move(*doc), false, errors);
  if (!model) {
    if (errors.list().empty()) std::abort();  // a refusal says why
    return false;
  }
  if (!errors.empty()) return false;  // problems fail the record in a load
  return fuzz::decode(*kind, *model, out);
}
}  // namespace

void fuzz_one(std::string_view input) {
  const SchemaInfo& schema = fuzz::bi_schema();
  const auto nl = input.find('\n');
  if (nl == std::string_view::npos) return;
  const std::string_view rel = input.substr(0, nl);
  auto layout = schema.layout("serdes");
  if (!layout) std::abort();
  Entity first;
  if (!read_file(*layout, schema, rel, input.substr(nl + 1), first)) return;
  schema.refs(first, [](const FoundRef&) {});
  // Written, read back, written again: the same entity, the same bytes.
  const std::string text1 = layout->render(layout->write_document(first, first.value));
  Entity second;
  if (!read_file(*layout, schema, rel, text1, second)) {
    std::fprintf(stderr, "the written file does not read back:\n%s\n", text1.c_str());
    std::abort();
  }
  const std::string text2 = layout->render(layout->write_document(second, second.value));
  if (text2 != text1) {
    std::fprintf(stderr, "written twice, two texts:\n--- first\n%s--- second\n%s", text1.c_str(), text2.c_str());
    std::abort();
  }
  Entity third;
  if (!read_file(*layout, schema, rel, text2, third) || !fuzz::same(third.value, second.value))
    fuzz::fail("the written file reads back to another entity", second.value, third.value);
}
