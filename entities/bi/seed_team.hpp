// Internal to the sample data generator: the scaled part of the sample. Each
// "team" is an independent unit (its own random stream, seeded by its
// number) with a collection tree full of questions, dashboards and
// documents over the Sample Database and a Warehouse mart, so a size of
// 100 000 is a realistic instance rather than one pattern repeated.
#pragma once
#include <string>
#include <vector>

#include "entities/bi/seed_util.hpp"

namespace bi::seeding {

// What a dashboard needs to know about a team's card to wire filters to it.
struct TeamCard {
  EntityId id;
  std::string name;
  Display display = Display::table;
  const TableSpec* table = nullptr;  // null: the card's source is another card
  std::string temporal;              // a date column the card can be filtered on ("" = none)
  std::string category;              // a category column the card can be filtered on ("" = none)
  std::string date_tag;              // native: the field-filter tag on `temporal`
};

struct TeamContext {
  std::size_t number = 0;
  Rng rng;
  const Showcase& showcase;
  std::string name;                       // "Finance · Lisbon"
  std::vector<std::string> people;        // emails: the team's own and a few showcase people
  std::vector<TableSpec> warehouse;       // the team's mart (its tables outlive the cards)
  std::vector<const TableSpec*> tables;   // what its questions are about
  EntityId root, reports, ad_hoc;         // its collections
  std::vector<TeamCard> cards;

  TeamContext(std::size_t n, const Showcase& s) : number(n), rng(0x7ea0000 + n), showcase(s) {}
  std::string creator() { return rng.pick(people); }
  const TableSpec* find_table(const TableSpec& near, const std::string& name) const;
};

// A random question (MBQL or SQL) about one of the team's tables, emitted;
// `owner` nests it in a dashboard or document (kind "Dashboard"/"Document").
TeamCard team_question(Out& out, TeamContext& t, const EntityId& collection, std::string_view owner_kind = {},
                       const EntityId* owner = nullptr);
// A model and a metric over the team's mart; emitted.
void team_model_and_metric(Out& out, TeamContext& t);

}  // namespace bi::seeding
