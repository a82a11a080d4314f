// The bi upgrade steps (upgrades.hpp). Each is a small function on one
// record's document, tested on its own in tests/evolution/upgrade_steps_test.cc.
#include "entities/bi/upgrades.hpp"

#include <string>

#include "entities/bi/legacy_mbql.hpp"
#include "entities/bi/schema.hpp"

namespace bi {

using metaport::UpgradeContext;
using metaport::UpgradeRecord;
using metaport::UpgradeStep;
using metaport::Value;

namespace {

// ---- 1 -> 2 ----------------------------------------------------------------------
std::vector<UpgradeStep> steps_from_1() {
  return {
      // Metabase 0.49 replaced the model flag with a card type.
      metaport::map_field(1, "Card", "dataset", "type",
                          [](const Value& v, UpgradeContext& ctx) -> Value {
                            if (v.is_bool()) return Value(v.as_bool() ? "model" : "question");
                            ctx.error("dataset", v.mark,
                                      "dataset is true (a model) or false (a question), not " +
                                          std::string(v.type_name()));
                            return v;
                          }),
      // ... and renamed a dashboard's cards.
      metaport::rename_field(1, "Dashboard", "ordered_cards", "dashcards"),
  };
}

// ---- 2 -> 3: legacy MBQL -> pMBQL, wherever a kind holds a query ------------------
// The UUIDs the converter makes are named after the entity ("Card/<entity_id>")
// and the place in it, so that one dump always upgrades to the same bytes.
std::string seed_of(const UpgradeRecord& r) {
  const Value* id = r.doc.find("entity_id");
  return r.kind + "/" + (id && id->is_string() ? id->as_string() : std::string("?"));
}

void convert_at(UpgradeRecord& r, Value& holder, const std::string& key, const std::string& path,
                UpgradeContext& ctx) {
  Value* q = holder.find(key);
  if (q && legacy_mbql::is_legacy(*q)) *q = legacy_mbql::to_pmbql(*q, path, seed_of(r), ctx);
}

UpgradeStep query_step(std::string kind, std::string where, void (*apply)(UpgradeRecord&, UpgradeContext&)) {
  std::string name = kind + ": " + where + " legacy MBQL -> pMBQL stages";
  return {2, std::move(kind), std::move(name), apply};
}

std::vector<UpgradeStep> steps_from_2() {
  return {
      query_step("Card", "dataset_query",
                 [](UpgradeRecord& r, UpgradeContext& ctx) { convert_at(r, r.doc, "dataset_query", "dataset_query", ctx); }),
      query_step("Segment", "definition",
                 [](UpgradeRecord& r, UpgradeContext& ctx) { convert_at(r, r.doc, "definition", "definition", ctx); }),
      query_step("Measure", "definition",
                 [](UpgradeRecord& r, UpgradeContext& ctx) { convert_at(r, r.doc, "definition", "definition", ctx); }),
      query_step("Transform", "source.query",
                 [](UpgradeRecord& r, UpgradeContext& ctx) {
                   if (Value* src = r.doc.find("source"); src && src->is_object())
                     convert_at(r, *src, "query", "source.query", ctx);
                 }),
      query_step("Action", "query[].dataset_query",
                 [](UpgradeRecord& r, UpgradeContext& ctx) {
                   Value* qs = r.doc.find("query");
                   if (!qs || !qs->is_array()) return;
                   for (std::size_t i = 0; i < qs->size(); ++i)
                     if (qs->as_array()[i].is_object())
                       convert_at(r, qs->as_array()[i], "dataset_query",
                                  "query[" + std::to_string(i) + "].dataset_query", ctx);
                 }),
  };
}

// ---- 3 -> 4: every kind but User and Settings carries `serdes` (what a
// Metabase serialization file had beyond v1.0.0); a version 3 document has
// none and needs nothing.
std::vector<UpgradeStep> steps_from_3() {
  std::vector<UpgradeStep> steps;
  for (const char* kind : Schema::kSerdesKinds)
    steps.push_back({3, kind, std::string(kind) + ": carries serdes (absent from version 3 documents)",
                     [](UpgradeRecord&, UpgradeContext&) {}});
  return steps;
}

}  // namespace

std::vector<UpgradeStep> upgrade_steps_from(int version) {
  if (version == 1) return steps_from_1();
  if (version == 2) return steps_from_2();
  if (version == 3) return steps_from_3();
  return {};
}

std::vector<UpgradeStep> upgrade_steps() {
  auto steps = steps_from_1();
  for (auto& s : steps_from_2()) steps.push_back(std::move(s));
  for (auto& s : steps_from_3()) steps.push_back(std::move(s));
  return steps;
}

}  // namespace bi
