// Internal to the sample data generator: the showcase, the hand-written part
// of the sample that uses every feature of the format at least once. Its
// entities are named here by short handles ("orders_model", "dash_sales")
// so the files that write them can refer to each other's.
#pragma once
#include <map>
#include <string>
#include <string_view>

#include "entities/bi/seed_util.hpp"

namespace bi::seeding {

class Lib {
 public:
  Lib() : rng(0x5ca1ab1e) {}

  // The entity_id behind a handle, made on first use (the order of first
  // uses is fixed, so the ids are too).
  const EntityId& id(const std::string& handle) {
    auto it = ids_.find(handle);
    if (it == ids_.end()) it = ids_.emplace(handle, rng.id()).first;
    return it->second;
  }
  // One of the showcase's people, as a creator.
  std::string creator() { return person(static_cast<std::size_t>(rng.between(0, kShowcasePeople - 1))).email; }

  Rng rng;

 private:
  std::map<std::string, EntityId, std::less<>> ids_;
};

// A card with the members Metabase writes for every card; the query, display
// and placement are the caller's.
Card make_card(Lib& L, const std::string& handle, std::string name, Display display, V dataset_query,
               const std::optional<EntityId>& collection, CardType type = CardType::question);
// Result metadata of a query over whole columns of a table (models).
V result_metadata(const TableSpec& t, const std::vector<std::string>& columns);
// A template tag of a native query: {type, name, id, display-name, extra...}.
V template_tag(Lib& L, std::string type, std::string name, std::string display_name, V::Object extra = {});
// The card parameter exposing a template tag as a filter.
Parameter tag_parameter(const V& tag, std::string widget_type, std::string wrapper);

// Collections, snippets, segments and measures.
void seed_library(Out& out, Lib& L);
// The cards that live directly in collections.
void seed_cards(Out& out, Lib& L);
// Marketing (JSON-unfolded and schemaless fields), operations, personal and root cards.
void seed_more_cards(Out& out, Lib& L);
// Dashboards and documents (with the cards they own), timelines, actions, the metabot.
void seed_boards(Out& out, Lib& L);
void seed_dashboards(Out& out, Lib& L);
// Transform tags, jobs, Python libraries and transforms.
void seed_transforms(Out& out, Lib& L);

}  // namespace bi::seeding
