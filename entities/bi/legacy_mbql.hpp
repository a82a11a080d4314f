// Legacy MBQL -> pMBQL: how bi version 2 queries become version 3 queries.
//
// bi versions 1 and 2 wrote every query in Metabase's legacy MBQL shape:
//
//   {type: query, database: DB, query: {source-table: [DB, SCHEMA, TABLE] | CARD-ENTITY-ID,
//     source-query: {...}, joins: [...], expressions: {name: expr}, fields, filter: clause,
//     breakout, aggregation: [[count], [sum, FIELD]], order-by: [[asc, FIELD]], limit}}
//   {type: native, database: DB, native: {query: "SQL", template-tags: {name: tag}}}
//
// with field references [field, FIELD-FK-or-name, options-or-null]. Version 3
// (the Representation Format v1.0.0) writes pMBQL: {lib/type: mbql/query,
// database, stages: [...]}, every clause [op, {options}, args...]. Segment and
// measure definitions were the inner query alone ({source-table, filter});
// they convert the same way, their database being their table's.
//
// The conversion is exact or it fails: a clause this converter does not know
// is an error naming the clause and where it is
// ("dataset_query.query.filter[2]: cannot convert clause 'relative-datetime'"),
// never dropped. docs/changing-your-schema.md lists what it covers.
//
// Aggregation references ([aggregation, 0]) become [aggregation, {}, UUID]
// and the aggregation they name gets that `lib/uuid`: a name-based (v5) UUID
// of the entity, the query's place in it, the stage and the index, so the
// same dump always upgrades to the same bytes. Aggregations nothing refers to
// get no UUID (the format needs one only on referenced aggregations).
#pragma once
#include <string>
#include <string_view>

#include "metaport/upgrade.hpp"
#include "metaport/value.hpp"

namespace bi::legacy_mbql {

using metaport::Value;

// A query that still needs converting: a map that is not pMBQL (no
// lib/type) and not empty ({} is the empty definition the format allows).
bool is_legacy(const Value& q);

// The pMBQL form of one legacy query (full or inner form). `path` is where
// the query sits in its entity ("dataset_query", "source.query"): errors are
// reported below it through ctx. `seed` names the entity for the UUIDs made
// here ("Card/<entity_id>"; each UUID adds its place: ".../dataset_query.query/aggregation/0").
// A query that is already pMBQL, or empty, is returned as it is.
Value to_pmbql(const Value& q, const std::string& path, const std::string& seed, metaport::UpgradeContext& ctx);

// One legacy expression (a filter, aggregation, field reference, ...) in
// pMBQL, outside any stage: aggregation references are errors here.
Value expression_to_pmbql(const Value& clause, const std::string& path, metaport::UpgradeContext& ctx);

// A name-based UUID (RFC 4122 version 5, SHA-1, metaport's namespace).
std::string name_uuid(std::string_view name);

}  // namespace bi::legacy_mbql
