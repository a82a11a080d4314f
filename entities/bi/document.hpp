// Document: a rich-text page (a ProseMirror tree) that can embed cards
// (cardEmbed nodes; the embedded cards are nested in the document through
// their document_id) and link to any entity (smartLink nodes).
#pragma once
#include <algorithm>
#include <array>

#include "entities/bi/common.hpp"

namespace bi {

inline constexpr std::string_view kProseMirrorContentType = "application/json+vnd.prose-mirror";

struct Document {
  std::string name;  // 1 to 254 characters
  Maybe<std::string> description;
  EntityId entity_id;
  Ref<User> creator_id;
  // The ProseMirror tree, free-form (node types come and go with the
  // editor); checked below for what document.yaml requires, and walked for
  // the cards and entities it mentions.
  metaport::Document document;
  std::optional<std::string> content_type;  // always application/json+vnd.prose-mirror
  Maybe<Parent<Collection>> collection_id;
  Maybe<std::int64_t> collection_position;
  std::optional<bool> archived;
  std::optional<bool> archived_directly;
  Maybe<std::string> public_uuid;
  Maybe<Ref<User>> made_public_by_id;
  std::optional<std::int64_t> view_count;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const Document&, const Document&) = default;
};
BOOST_DESCRIBE_STRUCT(Document, (),
                      (name, description, entity_id, creator_id, document, content_type, collection_id,
                       collection_position, archived, archived_directly, public_uuid, made_public_by_id, view_count,
                       created_at, serdes_meta))

namespace detail {
inline constexpr std::array<std::string_view, 17> kNodeTypes = {
    "doc",      "paragraph", "blockquote", "codeBlock", "bulletList",  "orderedList",
    "listItem", "table",     "tableRow",   "tableCell", "tableHeader", "hardBreak",
    "heading",  "image",     "cardEmbed",  "smartLink", "text"};

// Checks one node and its children; `path` is the node's path below the
// Document entity (document.content[2]...).
inline void check_node(const metaport::Document& node, metaport::FieldPath& path, metaport::Checker& c) {
  auto at = [&](std::initializer_list<metaport::PathSeg> more) {
    metaport::FieldPath p = path;
    p.insert(p.end(), more);
    return p;
  };
  if (!node.is_object()) return c.error_at(path, "a document node is a map with a `type`");
  const auto* type = node.find("type");
  if (!type || !type->is_string()) return c.error_at(at({std::string("type")}), "a document node needs a `type`");
  const std::string& t = type->as_string();
  if (std::find(kNodeTypes.begin(), kNodeTypes.end(), t) == kNodeTypes.end())
    c.error_at(at({std::string("type")}), "unknown node type '" + t + "'");
  const auto* attrs = node.find("attrs");
  if (attrs && !attrs->is_object()) c.error_at(at({std::string("attrs")}), "attrs is a map");
  auto attr = [&](std::string_view name) -> const metaport::Document* {
    return attrs && attrs->is_object() ? attrs->find(name) : nullptr;
  };
  const std::string A = "attrs";
  if (t == "heading") {
    const auto* level = attr("level");
    if (!level || !level->is_int() || level->as_int() < 1 || level->as_int() > 6)
      c.error_at(at({A, std::string("level")}), "a heading needs attrs.level, an integer 1 to 6");
  } else if (t == "image") {
    const auto* src = attr("src");
    if (!src || !src->is_string()) c.error_at(at({A, std::string("src")}), "an image needs attrs.src, a string");
  } else if (t == "cardEmbed") {
    const auto* id = attr("id");
    const metaport::Document* entry = id && id->is_array() && id->size() == 1 ? &id->as_array()[0] : nullptr;
    const auto* model = entry ? entry->find("model") : nullptr;
    const auto* eid = entry ? entry->find("id") : nullptr;
    if (!model || !eid || !model->is_string() || model->as_string() != "Card" || !eid->is_string())
      c.error_at(at({A, std::string("id")}), "a cardEmbed needs attrs.id = [{model: Card, id: <card entity_id>}]");
    else if (auto why = EntityId::why_invalid(eid->as_string()); !why.empty())
      c.error_at(at({A, std::string("id"), std::size_t{0}, std::string("id")}), "bad card entity_id: " + why);
  } else if (t == "smartLink") {
    const auto* path_v = attr("entityId");
    const auto* model = attr("model");
    bool ok = path_v && path_v->is_array() && model && model->is_string();
    if (ok)
      for (const auto& e : path_v->as_array()) {
        const auto* m = e.find("model");
        const auto* i = e.find("id");
        ok = ok && m && i && m->is_string() && (i->is_string() || i->is_array());
      }
    if (!ok) c.error_at(at({A}), "a smartLink needs attrs.entityId = [{model, id}...] and attrs.model");
  } else if (t == "text") {
    const auto* text = node.find("text");
    if (!text || !text->is_string()) c.error_at(at({std::string("text")}), "a text node needs `text`, a string");
  }
  if (const auto* marks = node.find("marks")) {
    if (!marks->is_array())
      c.error_at(at({std::string("marks")}), "marks is a list");
    else
      for (std::size_t i = 0; i < marks->size(); ++i) {
        const auto& m = marks->as_array()[i];
        const auto* mt = m.find("type");
        if (!mt || !mt->is_string()) c.error_at(at({std::string("marks"), i}), "a mark needs a `type`");
      }
  }
  if (const auto* content = node.find("content")) {
    if (!content->is_array()) return c.error_at(at({std::string("content")}), "content is a list of nodes");
    path.emplace_back(std::string("content"));
    for (std::size_t i = 0; i < content->size(); ++i) {
      path.emplace_back(i);
      check_node(content->as_array()[i], path, c);
      path.pop_back();
    }
    path.pop_back();
  }
}
}  // namespace detail

inline void metaport_check(const Document& d, metaport::Checker& c) {
  if (const auto n = utf8_length(d.name); n < 1 || n > 254)
    c.error("name", "a document name is 1 to 254 characters, this one has " + std::to_string(n));
  check_user_ref(c, "creator_id", d.creator_id);
  check_user_ref(c, "made_public_by_id", d.made_public_by_id);
  check_uuid(c, "public_uuid", d.public_uuid);
  if (d.content_type && *d.content_type != kProseMirrorContentType)
    c.error("content_type", "must be " + std::string(kProseMirrorContentType));
  if (d.view_count && *d.view_count < 0) c.error("view_count", "cannot be negative");
  metaport::FieldPath path{std::string("document")};
  detail::check_node(d.document, path, c);
}

}  // namespace bi

METAPORT_RENAME(bi::Document, {"serdes_meta", "serdes/meta"})

template <>
struct metaport::kind_traits<bi::Document> : metaport::kind_defaults {
  static constexpr std::string_view name = "Document";
  static void derive(bi::Document& d) { bi::derive_self_path(d.serdes_meta.value, "Document", d.entity_id, d.name); }
};
