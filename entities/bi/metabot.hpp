// Metabot: an AI assistant configuration, with its prompts (owned data) that
// point at the cards it may use. Lives in metabots/.
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

enum class PromptCardType { model, question, metric };
BOOST_DESCRIBE_ENUM(PromptCardType, model, question, metric)

struct MetabotPrompt {
  EntityId entity_id;
  std::string prompt;
  PromptCardType model;  // the type of card the prompt targets
  Ref<Card> card_id;
  std::optional<Timestamp> created_at;
  std::optional<Timestamp> updated_at;
  std::optional<Derived<SerdesMeta>> serdes_meta;  // [Metabot, MetabotPrompt], recomputed when present
  friend bool operator==(const MetabotPrompt&, const MetabotPrompt&) = default;
};
BOOST_DESCRIBE_STRUCT(MetabotPrompt, (), (entity_id, prompt, model, card_id, created_at, updated_at, serdes_meta))

struct Metabot {
  EntityId entity_id;
  std::string name;
  Maybe<std::string> description;
  Maybe<Parent<Collection>> collection_id;
  std::optional<bool> use_verified_content;
  std::optional<std::vector<MetabotPrompt>> prompts;
  std::optional<Timestamp> created_at;
  std::optional<Timestamp> updated_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const Metabot&, const Metabot&) = default;
};
BOOST_DESCRIBE_STRUCT(Metabot, (),
                      (entity_id, name, description, collection_id, use_verified_content, prompts, created_at,
                       updated_at, serdes_meta))

inline void metaport_check(const Metabot& m, metaport::Checker& c) {
  if (!m.prompts) return;
  for (std::size_t i = 0; i < m.prompts->size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if ((*m.prompts)[i].entity_id == (*m.prompts)[j].entity_id)
        c.error_at({std::string("prompts"), i, std::string("entity_id")},
                   "prompt entity_id '" + (*m.prompts)[i].entity_id.str() + "' is used twice");
}

inline void derive_metabot(Metabot& m) {
  bi::derive_self_path(m.serdes_meta.value, "Metabot", m.entity_id, m.name);
  if (m.prompts)
    for (auto& p : *m.prompts)
      if (p.serdes_meta)
        p.serdes_meta->value = {meta_entry("Metabot", m.entity_id.str()),
                                meta_entry("MetabotPrompt", p.entity_id.str())};
}

}  // namespace bi

METAPORT_RENAME(bi::MetabotPrompt, {"serdes_meta", "serdes/meta"})
METAPORT_RENAME(bi::Metabot, {"serdes_meta", "serdes/meta"})
METAPORT_ENUM_STYLE(bi::PromptCardType, identity)

template <>
struct metaport::kind_traits<bi::Metabot> : metaport::kind_defaults {
  static constexpr std::string_view name = "Metabot";
  static void derive(bi::Metabot& m) { bi::derive_metabot(m); }
};
