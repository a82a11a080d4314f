// Realistic bi content for the tests: Metabase's Sample Database (ORDERS,
// PRODUCTS, PEOPLE, REVIEWS), a schemaless event store with JSON-unfolded
// fields, and content on top of them: collections, MBQL and native cards,
// a dashboard with tabs and click behaviours, a rich-text document,
// transforms, ... Every sample is a valid entity (its kind's checks pass)
// with its derived members computed, and the set exercises what a writer
// gets wrong: unicode names, empty lists, null vs absent, multi-line SQL,
// strings that look like numbers, booleans, dates or YAML syntax.
#pragma once
#include <string_view>
#include <vector>

#include "entities/bi/schema.hpp"

namespace bi::fixtures {

// A deterministic entity_id for a fixture name.
EntityId eid(std::string_view name);
// A free-form document from JSON text (queries read best as JSON).
metaport::Document doc(std::string_view json);

// Every sample of a kind (at least one; several where the kind has variants).
template <class T>
std::vector<T> samples();

// Named samples the walker and error tests talk about.
Card orders_by_category_card();  // MBQL: a join, an implicit join, a segment, a metric
Card native_orders_card();       // native: card, snippet, table and dimension tags
Dashboard sales_dashboard();     // tabs, series, mappings, click behaviours, a link card
Document quarterly_report();     // cardEmbed + smartLinks

// The users every sample refers to.
inline constexpr std::string_view kAdmin = "admin@metabase.local";
inline constexpr std::string_view kAnalyst = "jose.nunez@example.com";

}  // namespace bi::fixtures
