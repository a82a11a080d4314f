// The documents of Metabase's serialization export ("serdes v2", what
// Metabase 1.50-1.59 `export` and Remote Sync write) and the bi model's
// documents (the Representation Format v1.0.0), converted both ways.
//
// Reading (to_model), a serdes document becomes the document the kind's
// strict decoder reads:
//   - legacy MBQL (dataset_query, segment and measure definitions, transform
//     and action queries) becomes pMBQL stages through legacy_mbql.hpp; a
//     clause it cannot convert is an error naming the clause and its path;
//   - what v1.0.0 has no place for moves into the entity's `serdes` member,
//     by path, as it was written: the legacy query itself, members v1.0.0
//     does not have (a card's table_id and source_card_id, a segment's
//     caveats, parameters' position, ...), nulls where v1.0.0 leaves a
//     member out (collection_preview, a dashcard's inline_parameters),
//     untranslated text objects ({format-string, args}) of names, values
//     Metabase wrote by local id (a python transform's source tables);
//   - every member must be one Metabase writes: a closed kind's unknown
//     member stays for its decoder to report ("unknown field"), an open
//     kind's is an error here; --keep-unknown carries both.
// Writing (from_model) does the reverse: the kept legacy query is written
// back as long as it still converts to the entity's query (else the query
// is written in pMBQL), members Metabase derives are recomputed when
// the query changed, the kept values are put back where the model has
// nothing, serdes/meta is Metabase's, and keys are in Metabase's order.
// docs/metabase.md lists every rule, with examples.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "metaport/key.hpp"
#include "metaport/result.hpp"
#include "metaport/value.hpp"

namespace bi::serdes {

using metaport::Errors;
using metaport::Value;

// The model document of a serdes file's document of `kind`. Problems go to
// `errors` (with the marks of the values) and the document is still
// returned, as far as it converted; nullopt when the file is no entity of
// the kind at all (not a map; a legacy metric).
std::optional<Value> to_model(std::string_view kind, Value doc, bool keep_unknown, Errors& errors);

// The serdes file's document of an entity's document (`key`: the entity's
// key, for the data model's serdes/meta).
Value from_model(std::string_view kind, const metaport::Key& key, Value doc);

// The label Metabase gives an entity in serdes/meta and in its file name
// (the slug of its name; a collection's slug); "" when it has none.
std::string label_of(std::string_view kind, const Value& doc);

}  // namespace bi::serdes
