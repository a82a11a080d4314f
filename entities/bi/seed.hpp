// Sample data for the bi schema (`metaport bi seed STORE [--size N]`):
// realistic Metabase content modelled on Metabase's Sample Database, as
// canonical on-disk documents (the member names and shapes of the
// Representation Format, derived members filled in, secrets in clear).
//
// Deterministic: a fixed-seed PRNG drives every choice and every entity_id,
// so the same size gives byte-identical documents, run after run.
//
// `size` is about how many entities to emit. Up to kDefaultSeedSize it is
// the showcase: every feature of the format at least once (each template-tag
// type, dashboards with tabs, series, click behaviours and virtual cards,
// cards owned by dashboards and documents, JSON-unfolded and schemaless
// fields, models on models, metrics, segments, measures, snippets,
// transforms, ...). Beyond it, teams of collections full of questions,
// dashboards and documents are added, with more people and more warehouse
// tables, in the proportions of a real instance (cards dominate), until the
// total reaches `size`. docs/seed.md lists the content.
#pragma once
#include <cstddef>
#include <functional>
#include <string>

#include "metaport/result.hpp"
#include "metaport/value.hpp"

namespace bi {

// The showcase and a couple of team collections: about 500 entities.
inline constexpr std::size_t kDefaultSeedSize = 500;

// Receives each document with its kind name; a failed Status stops seeding
// and is returned by seed().
using SeedSink = std::function<metaport::Status(const std::string& kind, metaport::Value doc)>;

// Emits the sample content, dependencies first (users, the data model, then
// collections and what they hold). Every reference points at something
// emitted by the same call.
metaport::Status seed(std::size_t size, const SeedSink& emit);

}  // namespace bi
