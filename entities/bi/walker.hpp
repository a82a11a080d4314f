// The bi reference walker: finds the references inside free-form documents
// (queries, visualization settings, click behaviours, parameter targets,
// rich-text nodes, ...) that the typed members cannot declare. The engine
// counts them like typed references (validation, dependency order, closure).
//
// It reads an entity's canonical document (Entity::value) and reports each
// reference once, with the target kind, its key and the field path where it
// is written. Well-formed references only: a malformed one is not a
// reference (a string where a Field FK should be is a column name, as the
// format says), and shape errors belong to the validator.
//
// References in documents never need a local-id column, so they are all
// reported nullable (a cycle through one, a dashboard linking to a dashboard
// linking back, needs no second load phase). The one parent reference found
// here is the Field a FieldValues / FieldUserSettings belongs to, which only
// its serdes/meta path names.
#pragma once
#include <string>
#include <string_view>

#include "entities/bi/common.hpp"
#include "entities/bi/query.hpp"
#include "metaport/format/json.hpp"

namespace bi::walker {

using metaport::FieldPath;
using metaport::FoundRef;
using metaport::PathSeg;
using metaport::RefSink;
using Value = metaport::Value;

// Metabase's model names (link cards, smart links, serdes paths) to kinds.
inline std::optional<std::string_view> kind_of_model(std::string_view model) {
  std::string m;
  for (char ch : model) m += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
  if (m == "card" || m == "question" || m == "dataset" || m == "model" || m == "metric") return "Card";
  if (m == "dashboard") return "Dashboard";
  if (m == "collection") return "Collection";
  if (m == "database") return "Database";
  if (m == "table") return "Table";
  if (m == "field") return "Field";
  if (m == "document") return "Document";
  if (m == "segment") return "Segment";
  if (m == "measure") return "Measure";
  if (m == "snippet" || m == "nativequerysnippet") return "NativeQuerySnippet";
  if (m == "timeline") return "Timeline";
  if (m == "transform") return "Transform";
  if (m == "action") return "Action";
  if (m == "metabot") return "Metabot";
  return std::nullopt;
}

class Walker {
 public:
  explicit Walker(const RefSink& sink) : sink_(sink) {}

  void entity(std::string_view kind, const Value& doc);

  // ---- pieces, public for tests and for other schemas' reuse --------------
  void query(const Value& q);
  void clause(const Value& v);
  void parameters(const Value& params);
  void visualization_settings(const Value& vs);
  void prose(const Value& node);

  FieldPath& path() { return path_; }

 private:
  // Pushes one path step for the lifetime of the object.
  struct Step {
    Step(FieldPath& p, PathSeg s) : p_(p) { p_.push_back(std::move(s)); }
    ~Step() { p_.pop_back(); }
    Step(const Step&) = delete;
    Step& operator=(const Step&) = delete;
    FieldPath& p_;
  };
  Step at(std::string key) { return Step(path_, std::move(key)); }
  Step at(std::size_t i) { return Step(path_, i); }

  void report(std::string_view kind, metaport::Key key, bool parent = false) {
    FoundRef r;
    r.kind = std::string(kind);
    r.key = std::move(key);
    r.path = path_;
    r.column = false;
    r.nullable = !parent;
    r.parent = parent;
    sink_(r);
  }
  void report_entity_id(std::string_view kind, const Value& v) {
    if (v.is_string() && EntityId::valid(v.as_string())) report(kind, Key(v.as_string()));
  }
  void report_table(const Value& v) {
    if (auto k = query::table_key_of(v)) report("Table", std::move(*k));
  }
  void report_field(const Value& v) {
    if (auto k = query::field_key_of(v)) report("Field", std::move(*k));
  }

  void stages(const Value& stages);
  void stage(const Value& s);
  void join(const Value& j);
  void template_tags(const Value& tags);
  void template_tag(const Value& tag);
  void field_clause(const Value& v);
  void parameter(const Value& p);
  void click_behavior(const Value& cb);
  void entity_link(const Value& entity);
  void serdes_path(const Value& path, std::string_view fallback_model);
  void column_settings(const Value& cs);
  void result_metadata(const Value& rm);
  template <class F>
  void each(const Value& list, F&& f) {
    if (!list.is_array()) return;
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto s = at(i);
      f(list.as_array()[i]);
    }
  }
  template <class F>
  void member(const Value& obj, std::string_view key, F&& f) {
    if (const Value* m = obj.find(key)) {
      auto s = at(std::string(key));
      f(*m);
    }
  }

  const RefSink& sink_;
  FieldPath path_;
};

// ---- queries (pMBQL, common/query.yaml) -----------------------------------------
inline void Walker::query(const Value& q) {
  if (!q.is_object()) return;
  member(q, "database", [&](const Value& db) {
    if (db.is_string() && !db.as_string().empty()) report("Database", Key(db.as_string()));
  });
  member(q, "stages", [&](const Value& s) { stages(s); });
}

inline void Walker::stages(const Value& list) {
  each(list, [&](const Value& s) { stage(s); });
}

inline void Walker::stage(const Value& s) {
  if (!s.is_object()) return;
  for (const auto& [k, v] : s.as_object()) {
    auto step = at(k);
    if (k == "source-table")
      report_table(v);
    else if (k == "source-card")
      report_entity_id("Card", v);
    else if (k == "joins")
      each(v, [&](const Value& j) { join(j); });
    else if (k == "template-tags")
      template_tags(v);
    else if (k == "lib/type" || k == "native")
      continue;
    else
      clause(v);  // filters, aggregation, breakout, expressions, order-by, fields, ...
  }
}

inline void Walker::join(const Value& j) {
  if (!j.is_object()) return;
  for (const auto& [k, v] : j.as_object()) {
    auto step = at(k);
    if (k == "stages")
      stages(v);
    else if (k == "alias" || k == "strategy")
      continue;
    else
      clause(v);  // conditions, fields
  }
}

// The list form ([{name, type, ...}]) and the legacy map form ({name: tag}).
inline void Walker::template_tags(const Value& tags) {
  if (tags.is_array()) {
    each(tags, [&](const Value& t) { template_tag(t); });
  } else if (tags.is_object()) {
    for (const auto& [name, t] : tags.as_object()) {
      auto step = at(name);
      template_tag(t);
    }
  }
}

inline void Walker::template_tag(const Value& tag) {
  const Value* type = tag.find("type");
  if (!type || !type->is_string()) return;
  const std::string& t = type->as_string();
  if (t == "card")
    member(tag, "card-id", [&](const Value& v) { report_entity_id("Card", v); });
  else if (t == "snippet")
    member(tag, "snippet-id", [&](const Value& v) { report_entity_id("NativeQuerySnippet", v); });
  else if (t == "table")
    member(tag, "table-id", [&](const Value& v) { report_table(v); });
  else if (t == "dimension" || t == "temporal-unit")
    member(tag, "dimension", [&](const Value& v) { clause(v); });
}

// Any MBQL expression, pMBQL ([op, {options}, args...]) or legacy (parameter
// targets: [dimension, [field, FieldFK, opts]]): field, segment, measure and
// metric clauses are references; every other clause is searched for them.
// Options maps hold no references except a field's source-field (below).
inline void Walker::clause(const Value& v) {
  if (!v.is_array() || v.size() == 0) return;
  const auto& a = v.as_array();
  if (a[0].is_string()) {
    const std::string& op = a[0].as_string();
    if (op == "field") return field_clause(v);
    if (a.size() == 3 && a[2].is_string()) {
      std::string_view kind = op == "segment" ? "Segment" : op == "measure" ? "Measure" : op == "metric" ? "Card" : "";
      if (!kind.empty()) {
        auto step = at(std::size_t{2});
        report_entity_id(kind, a[2]);
        return;
      }
    }
  }
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].is_array()) {
      auto step = at(i);
      clause(a[i]);
    }
}

// [field, {options}, FieldFK | column name]   (pMBQL)
// [field, FieldFK | column name, options|null] (legacy, parameter targets)
inline void Walker::field_clause(const Value& v) {
  const auto& a = v.as_array();
  std::size_t ref_at = 0, opts_at = 0;
  if (a.size() >= 3 && a[1].is_object()) {
    ref_at = 2;
    opts_at = 1;
  } else if (a.size() >= 2) {
    ref_at = 1;
    opts_at = a.size() >= 3 && a[2].is_object() ? 2 : 0;
  }
  if (ref_at && a[ref_at].is_array()) {
    auto step = at(ref_at);
    report_field(a[ref_at]);
  }
  if (opts_at) {
    auto step = at(opts_at);
    // An implicit join names the FK it goes through.
    member(a[opts_at], "source-field", [&](const Value& sf) { report_field(sf); });
  }
}

// ---- parameters (common/parameter.yaml) -------------------------------------------
inline void Walker::parameters(const Value& params) {
  each(params, [&](const Value& p) { parameter(p); });
}

inline void Walker::parameter(const Value& p) {
  if (!p.is_object()) return;
  member(p, "values_source_config", [&](const Value& cfg) {
    member(cfg, "card_id", [&](const Value& id) { report_entity_id("Card", id); });
    member(cfg, "value_field", [&](const Value& f) { clause(f); });
    member(cfg, "label_field", [&](const Value& f) { clause(f); });
  });
  member(p, "target", [&](const Value& t) { clause(t); });
}

// ---- visualization settings ---------------------------------------------------------
inline void Walker::visualization_settings(const Value& vs) {
  if (!vs.is_object()) return;
  member(vs, "click_behavior", [&](const Value& cb) { click_behavior(cb); });
  member(vs, "column_settings", [&](const Value& cs) { column_settings(cs); });
  // A link card pointing at an entity.
  member(vs, "link", [&](const Value& link) { member(link, "entity", [&](const Value& e) { entity_link(e); }); });
  // Older exports name table columns and pivot splits by field clause.
  member(vs, "table.columns", [&](const Value& cols) {
    each(cols, [&](const Value& col) { member(col, "fieldRef", [&](const Value& r) { clause(r); }); });
  });
  member(vs, "pivot_table.column_split", [&](const Value& split) {
    if (!split.is_object()) return;
    for (const auto& [k, v] : split.as_object()) {
      auto step = at(k);
      clause(v);
    }
  });
}

// column_settings keys are JSON text: '["ref",["field",FieldFK,null]]' names
// a column by its field (a reference, reported at the key), '["name","TOTAL"]'
// by its name. Each column's settings may hold a click behaviour.
inline void Walker::column_settings(const Value& cs) {
  if (!cs.is_object()) return;
  for (const auto& [k, settings] : cs.as_object()) {
    auto step = at(k);
    if (!k.empty() && k.front() == '[') {
      auto parsed = metaport::json::parse(k);
      if (parsed.ok() && parsed->is_array() && parsed->size() == 2 && parsed->as_array()[0].is_string() &&
          parsed->as_array()[0].as_string() == "ref") {
        const Value& ref = parsed->as_array()[1];
        if (ref.is_array() && ref.size() >= 2 && ref.as_array()[0].is_string() &&
            ref.as_array()[0].as_string() == "field") {
          const Value& fk = ref.as_array()[1].is_array() ? ref.as_array()[1]
                            : ref.size() >= 3            ? ref.as_array()[2]
                                                         : ref.as_array()[1];
          report_field(fk);
        }
      }
    }
    member(settings, "click_behavior", [&](const Value& cb) { click_behavior(cb); });
  }
}

inline void Walker::click_behavior(const Value& cb) {
  if (!cb.is_object()) return;
  const Value* type = cb.find("type");
  const Value* link_type = cb.find("linkType");
  if (type && type->is_string() && type->as_string() == "link" && link_type && link_type->is_string()) {
    const std::string& lt = link_type->as_string();
    std::string_view kind = lt == "dashboard" ? "Dashboard" : lt == "question" ? "Card" : "";
    if (!kind.empty()) member(cb, "targetId", [&](const Value& id) { report_entity_id(kind, id); });
  }
  member(cb, "parameterMapping", [&](const Value& pm) {
    if (!pm.is_object()) return;
    for (const auto& [k, m] : pm.as_object()) {
      auto step = at(k);
      member(m, "target", [&](const Value& t) { member(t, "dimension", [&](const Value& d) { clause(d); }); });
    }
  });
}

// {id, model}: model is Metabase's (question, dashboard, collection,
// database, table, ...); a table's id is its Table FK, a database's its name.
inline void Walker::entity_link(const Value& entity) {
  const Value* model = entity.find("model");
  const Value* id = entity.find("id");
  if (!model || !model->is_string() || !id) return;
  auto kind = kind_of_model(model->as_string());
  if (!kind) return;
  auto step = at(std::string("id"));
  if (*kind == "Table")
    report_table(*id);
  else if (*kind == "Field")
    report_field(*id);
  else if (*kind == "Database" || *kind == "Channel") {
    if (id->is_string() && !id->as_string().empty()) report(*kind, Key(id->as_string()));
  } else
    report_entity_id(*kind, *id);
}

// A serdes path [{model, id}...] naming an entity (document nodes): the
// last step's model is the kind; data-model paths spell the whole key.
inline void Walker::serdes_path(const Value& path, std::string_view fallback_model) {
  if (!path.is_array() || path.size() == 0) return;
  const Value& last = path.as_array().back();
  const Value* model = last.find("model");
  const Value* id = last.find("id");
  if (!id) return;
  auto kind = kind_of_model(model && model->is_string() ? model->as_string() : std::string(fallback_model));
  if (!kind) return;
  if (*kind == "Table" || *kind == "Field") {
    if (id->is_array()) return *kind == "Table" ? report_table(*id) : report_field(*id);
    Key k;
    bool schema_seen = false;
    for (const auto& e : path.as_array()) {
      const Value* m = e.find("model");
      const Value* i = e.find("id");
      if (!m || !i || !m->is_string() || !i->is_string()) return;
      if (m->as_string() == "Schema") {
        k.parts.emplace_back(i->as_string());
        schema_seen = true;
        continue;
      }
      if (m->as_string() == "Table" && !schema_seen) k.parts.emplace_back(std::nullopt);
      k.parts.emplace_back(i->as_string());
    }
    if ((*kind == "Table" && k.size() == 3) || (*kind == "Field" && k.size() >= 4)) report(*kind, std::move(k));
  } else if (*kind == "Database") {
    if (id->is_string() && !id->as_string().empty()) report(*kind, Key(id->as_string()));
  } else {
    report_entity_id(*kind, *id);
  }
}

// ---- rich-text documents (ProseMirror) ---------------------------------------------------
inline void Walker::prose(const Value& node) {
  if (!node.is_object()) return;
  const Value* type = node.find("type");
  const Value* attrs = node.find("attrs");
  if (type && type->is_string() && attrs && attrs->is_object()) {
    auto step = at(std::string("attrs"));
    if (type->as_string() == "cardEmbed") {
      member(*attrs, "id", [&](const Value& p) { serdes_path(p, "Card"); });
    } else if (type->as_string() == "smartLink") {
      const Value* model = attrs->find("model");
      const std::string fallback = model && model->is_string() ? model->as_string() : std::string();
      member(*attrs, "entityId", [&](const Value& p) { serdes_path(p, fallback); });
    }
  }
  member(node, "content", [&](const Value& content) { each(content, [&](const Value& child) { prose(child); }); });
}

// Result columns name their field, table and FK target by natural key.
inline void Walker::result_metadata(const Value& rm) {
  each(rm, [&](const Value& col) {
    if (!col.is_object()) return;
    member(col, "id", [&](const Value& v) { report_field(v); });
    member(col, "table_id", [&](const Value& v) { report_table(v); });
    member(col, "fk_target_field_id", [&](const Value& v) { report_field(v); });
    member(col, "field_ref", [&](const Value& v) { clause(v); });
  });
}

// ---- per kind -----------------------------------------------------------------------------
inline void Walker::entity(std::string_view kind, const Value& doc) {
  if (!doc.is_object()) return;
  if (kind == "Card") {
    member(doc, "dataset_query", [&](const Value& q) { query(q); });
    member(doc, "visualization_settings", [&](const Value& vs) { visualization_settings(vs); });
    member(doc, "parameters", [&](const Value& p) { parameters(p); });
    member(doc, "result_metadata", [&](const Value& rm) { result_metadata(rm); });
  } else if (kind == "Dashboard") {
    member(doc, "parameters", [&](const Value& p) { parameters(p); });
    member(doc, "dashcards", [&](const Value& dcs) {
      each(dcs, [&](const Value& dc) {
        member(dc, "visualization_settings", [&](const Value& vs) { visualization_settings(vs); });
        member(dc, "parameter_mappings", [&](const Value& pms) {
          each(pms, [&](const Value& pm) { member(pm, "target", [&](const Value& t) { clause(t); }); });
        });
      });
    });
  } else if (kind == "Document") {
    member(doc, "document", [&](const Value& d) { prose(d); });
  } else if (kind == "Segment" || kind == "Measure") {
    member(doc, "definition", [&](const Value& q) { query(q); });
  } else if (kind == "NativeQuerySnippet") {
    member(doc, "template_tags", [&](const Value& t) { template_tags(t); });
  } else if (kind == "Transform") {
    member(doc, "source", [&](const Value& src) {
      member(src, "query", [&](const Value& q) { query(q); });
      // A python source table named by database + schema + table (a typed
      // table_id, when present, is reported by the engine instead).
      member(src, "source-tables", [&](const Value& tables) {
        each(tables, [&](const Value& t) {
          const Value* db = t.find("database_id");
          const Value* schema = t.find("schema");
          const Value* table = t.find("table");
          if (t.find("table_id") || !db || !db->is_string() || !table || !table->is_string()) return;
          Key k(db->as_string());
          k.parts.push_back(schema && schema->is_string() ? std::optional<std::string>(schema->as_string())
                                                          : std::nullopt);
          k.parts.emplace_back(table->as_string());
          report("Table", std::move(k));
        });
      });
    });
  } else if (kind == "Action") {
    member(doc, "query", [&](const Value& qs) {
      each(qs, [&](const Value& q) { member(q, "dataset_query", [&](const Value& dq) { query(dq); }); });
    });
    member(doc, "parameters", [&](const Value& p) { parameters(p); });
    member(doc, "visualization_settings", [&](const Value& vs) { visualization_settings(vs); });
  } else if (kind == "Field") {
    member(doc, "dimensions", [&](const Value& dims) {
      each(dims,
           [&](const Value& d) { member(d, "human_readable_field_id", [&](const Value& f) { report_field(f); }); });
    });
  } else if (kind == "FieldValues" || kind == "FieldUserSettings") {
    // The field these belong to: their serdes/meta path minus its last step.
    member(doc, "serdes/meta", [&](const Value& p) {
      if (!p.is_array() || p.size() < 2) return;
      Value field_path = p;
      field_path.as_array().pop_back();
      const Value& last = field_path.as_array().back();
      const Value* m = last.find("model");
      if (!m || !m->is_string() || m->as_string() != "Field") return;
      Key k;
      bool schema_seen = false;
      for (const auto& e : field_path.as_array()) {
        const Value* em = e.find("model");
        const Value* id = e.find("id");
        if (!em || !id || !em->is_string() || !id->is_string()) return;
        if (em->as_string() == "Schema") {
          schema_seen = true;
          k.parts.emplace_back(id->as_string());
          continue;
        }
        if (em->as_string() == "Table" && !schema_seen) k.parts.emplace_back(std::nullopt);
        k.parts.emplace_back(id->as_string());
      }
      if (k.size() >= 4) report("Field", std::move(k), /*parent=*/true);
    });
  }
}

inline void document_refs(const metaport::Entity& e, const RefSink& sink) {
  if (!e.kind) return;
  Walker w(sink);
  w.entity(e.kind->name, e.value);
}

}  // namespace bi::walker
