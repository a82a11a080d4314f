// Timeline: dated events (launches, incidents) shown on time-series charts
// of a collection. Events are owned data, written inside the timeline.
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

// An event. timeline.yaml lets events carry any other member
// (additionalProperties: true), so the struct is open: members not declared
// here are kept (like every open nested object of this schema that has
// declared, typed members; objects with no declared members are Documents).
struct TimelineEvent {
  std::optional<std::string> name;
  Maybe<std::string> description;  // Metabase writes it; not listed in timeline.yaml
  std::optional<Timestamp> timestamp;
  std::optional<std::string> icon;
  std::optional<bool> time_matters;  // false: only the date matters
  std::optional<std::string> timezone;
  std::optional<bool> archived;  // Metabase writes it; not listed in timeline.yaml
  std::optional<Ref<User>> creator_id;
  std::optional<Timestamp> created_at;  // Metabase writes it; not listed in timeline.yaml
  friend bool operator==(const TimelineEvent&, const TimelineEvent&) = default;
};
BOOST_DESCRIBE_STRUCT(TimelineEvent, (),
                      (name, description, timestamp, icon, time_matters, timezone, archived, creator_id, created_at))

struct Timeline {
  EntityId entity_id;
  std::string name;
  // description, default and archived: written by Metabase's exporter
  // (make-spec "Timeline"), not listed in timeline.yaml.
  Maybe<std::string> description;
  std::optional<std::string> icon;
  Maybe<Parent<Collection>> collection_id;
  std::optional<Ref<User>> creator_id;
  std::optional<bool> default_;  // the collection's default timeline
  std::optional<bool> archived;
  std::optional<std::vector<TimelineEvent>> events;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const Timeline&, const Timeline&) = default;
};
BOOST_DESCRIBE_STRUCT(Timeline, (),
                      (entity_id, name, description, icon, collection_id, creator_id, default_, archived, events,
                       created_at, serdes_meta))

inline void metaport_check(const TimelineEvent& e, metaport::Checker& c) {
  check_user_ref(c, "creator_id", e.creator_id);
}
inline void metaport_check(const Timeline& t, metaport::Checker& c) { check_user_ref(c, "creator_id", t.creator_id); }

}  // namespace bi

METAPORT_OPEN(bi::TimelineEvent)
METAPORT_RENAME(bi::Timeline, {"serdes_meta", "serdes/meta"})

template <>
struct metaport::kind_traits<bi::Timeline> : metaport::kind_defaults {
  static constexpr std::string_view name = "Timeline";
  static void derive(bi::Timeline& t) { bi::derive_self_path(t.serdes_meta.value, "Timeline", t.entity_id, t.name); }
};
