// TransformJob: a schedule that runs every transform carrying one of its
// tags. Lives in transforms/transform_jobs/.
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

enum class UiDisplayType { cron__builder };
BOOST_DESCRIBE_ENUM(UiDisplayType, cron__builder)

// A job-tag association (owned by the job). transform_job.yaml requires none
// of its members, so none is required here.
struct TransformJobTag {
  std::optional<EntityId> entity_id;
  std::optional<Ref<TransformTag>> tag_id;
  std::optional<std::int64_t> position;
  std::optional<Derived<SerdesMeta>> serdes_meta;  // [TransformJobTransformTag], recomputed when present
  friend bool operator==(const TransformJobTag&, const TransformJobTag&) = default;
};
BOOST_DESCRIBE_STRUCT(TransformJobTag, (), (entity_id, tag_id, position, serdes_meta))

struct TransformJob {
  EntityId entity_id;
  std::string name;
  Maybe<std::string> description;
  std::string schedule;  // Quartz cron: "0 0 * * * ? *"
  Maybe<BuiltInType> built_in_type;
  Maybe<UiDisplayType> ui_display_type;
  std::optional<std::vector<TransformJobTag>> job_tags;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const TransformJob&, const TransformJob&) = default;
};
BOOST_DESCRIBE_STRUCT(TransformJob, (),
                      (entity_id, name, description, schedule, built_in_type, ui_display_type, job_tags, created_at,
                       serdes_meta))

inline void metaport_check(const TransformJobTag& t, metaport::Checker& c) {
  if (t.position && *t.position < 0) c.error("position", "a position is 0 or more");
}

// Quartz cron has 6 or 7 fields (seconds first, optional year).
inline void metaport_check(const TransformJob& j, metaport::Checker& c) {
  std::size_t fields = 0;
  bool in_field = false;
  for (char ch : j.schedule) {
    const bool space = ch == ' ' || ch == '\t';
    if (!space && !in_field) ++fields;
    in_field = !space;
  }
  if (fields < 6 || fields > 7)
    c.error("schedule", "'" + j.schedule +
                            "' is not a Quartz cron expression (6 or 7 fields: sec min hour day month weekday [year])");
}

inline void derive_transform_job(TransformJob& j) {
  bi::derive_self_path(j.serdes_meta.value, "TransformJob", j.entity_id, j.name);
  if (j.job_tags)
    for (auto& t : *j.job_tags)
      if (t.serdes_meta && t.entity_id)
        t.serdes_meta->value = {meta_entry("TransformJobTransformTag", t.entity_id->str())};
}

}  // namespace bi

METAPORT_RENAME(bi::TransformJobTag, {"serdes_meta", "serdes/meta"})
METAPORT_RENAME(bi::TransformJob, {"serdes_meta", "serdes/meta"})
METAPORT_ENUM_STYLE(bi::UiDisplayType, kebab_slash)

template <>
struct metaport::kind_traits<bi::TransformJob> : metaport::kind_defaults {
  static constexpr std::string_view name = "TransformJob";
  static void derive(bi::TransformJob& j) { bi::derive_transform_job(j); }
};
