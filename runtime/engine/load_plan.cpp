// The plan: everything a load decides before it writes (docs/loading.md).
#include "runtime/engine/loader.hpp"

#include <algorithm>
#include <unordered_map>

#include "metaport/format/yaml_reader.hpp"
#include "runtime/format/io.hpp"
#include "runtime/store/key_map.hpp"
#include "runtime/store/nested_secrets.hpp"

namespace metaport::engine::load_detail {

// Which nodes already exist in the store.
Status Loader::resolve_identities() {
  std::vector<std::vector<std::uint32_t>> by_kind(schema_.kinds.size());
  for (std::uint32_t i = 0; i < nodes_.size(); ++i) by_kind[nodes_[i].kind].push_back(i);
  for (std::uint32_t k = 0; k < by_kind.size(); ++k) {
    if (by_kind[k].empty()) continue;
    if (auto s = lookup_nodes(k, by_kind[k]); !s) return s;
  }
  return ok_status();
}

Status Loader::lookup_nodes(std::uint32_t k, const std::vector<std::uint32_t>& which) {
  const std::string& kind = schema_.kinds[k]->name;
  if (!store_ || streaming_) {  // no store, or an empty one (streaming): nothing exists beyond the dump
    for (auto i : which) nodes_[i].looked_up = true;
    return ok_status();
  }
  if (which.size() < 64) {
    for (auto i : which) {
      if (nodes_[i].looked_up) continue;
      auto id = store_->lookup(kind, nodes_[i].key);
      if (!id) return id.errors();
      nodes_[i].store_id = *id;
      nodes_[i].looked_up = true;
    }
    return ok_status();
  }
  // Many: one scan of the kind's keys is cheaper than a query per key.
  auto s = store_->scan_keys(kind, [&](std::int64_t id, Key key) {
    if (auto n = find_node(k, key)) nodes_[*n].store_id = id;
    return ok_status();
  });
  if (!s) return s;
  for (auto i : which) nodes_[i].looked_up = true;
  return ok_status();
}

// References that are neither in the dump nor in the store: placeholders,
// --user, or failures.
Status Loader::resolve_missing() {
  std::optional<std::uint32_t> user_node;
  if (opts_.user) {
    if (schema_.user_kind.empty()) return make_error("--user: schema " + schema_.name + " has no users");
    auto uk = kind_index_.at(schema_.user_kind);
    user_node = intern(uk, Key(*opts_.user));
    if (auto s = lookup_nodes(uk, {*user_node}); !s) return s;
    const Node& u = nodes_[*user_node];
    if (!u.store_id && u.incoming == kNone)
      return make_error("--user " + *opts_.user + ": no such user in the target store or in the dump");
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
      if (!nodes_[i].looked_up) {
        std::vector<std::uint32_t> one{i};
        if (auto s = lookup_nodes(nodes_[i].kind, one); !s) return s;
      }
      Node& n = nodes_[i];
      if (n.incoming != kNone || n.store_id || n.missing) continue;
      const KindInfo& kind = *schema_.kinds[n.kind];
      if (user_node && kind.name == schema_.user_kind) {
        n.missing = true;  // re-attributed below
        continue;
      }
      StubPolicy p = schema_.stub_policy_of(kind.name);
      if ((p == StubPolicy::always || (p == StubPolicy::on_flag && opts_.stub_missing)) && schema_.make_stub) {
        auto doc = schema_.make_stub(kind.name, n.key);
        if (doc) {
          const std::size_t before = incoming_.size();
          Key key = n.key;  // n may move when nodes_ grows
          if (auto s = add_entity(n.kind, *doc, Origin{"(placeholder)", {}}, true); !s) return s;
          if (incoming_.size() > before) {
            (p == StubPolicy::always ? report_.placeholders : report_.stubs).push_back(label(kind, key));
            changed = true;
            continue;
          }
        }
      }
      nodes_[i].missing = true;
    }
  }
  if (user_node) {
    for (auto& in : incoming_) {
      for (auto& [path, target] : in.user_refs) {
        if (!nodes_[target].missing) continue;
        in.rewrites.emplace_back(path, Key(*opts_.user));
        for (auto& d : in.deps)
          if (d.node == target) d.node = *user_node;
        ++report_.remapped;
      }
    }
  }
  return ok_status();
}

// The position of `path` in the file a record came from, when that file
// holds just this entity (a tree file): re-read only for failures.
Mark Loader::locate(const Origin& origin, const std::string& path) {
  if (path.empty() || !(origin.file.ends_with(".yaml") || origin.file.ends_with(".yml"))) return {};
  if (origin.mark.line != 1) return {};  // a record inside a stream: its own line is all we know
  auto text = io::read_file(origin.file);
  if (!text) return {};
  auto doc = yaml::parse(*text);
  if (!doc) return {};
  const Value* at = &*doc;
  Mark best = at->mark;
  // Walk "a.b[2].c" (keys may contain '/', never '.' or '[' in metaport's own paths).
  std::size_t i = 0;
  while (at && i < path.size()) {
    if (path[i] == '.') { ++i; continue; }
    if (path[i] == '[') {
      std::size_t close = path.find(']', i);
      if (close == std::string::npos) break;
      std::size_t idx = std::stoul(path.substr(i + 1, close - i - 1));
      at = at->is_array() && idx < at->size() ? &at->as_array()[idx] : nullptr;
      i = close + 1;
    } else {
      std::size_t end = path.find_first_of(".[", i);
      if (end == std::string::npos) end = path.size();
      at = at->find(path.substr(i, end - i));
      i = end;
    }
    if (at && at->mark.known()) best = at->mark;
  }
  return best;
}

void Loader::fail(Incoming& in, Error e) {
  if (e.file.empty()) e.file = in.origin.file;
  if (!e.mark.known()) e.mark = locate(in.origin, e.path);
  if (!e.mark.known()) e.mark = in.origin.mark;
  in.errors.push_back(std::move(e));
  in.failed = true;
}

// A containment chain that loops (a collection inside itself) can never be
// placed: every entity on the loop fails, with the chain in the message.
void Loader::find_containment_cycles() {
  std::vector<std::uint8_t> color(incoming_.size(), 0);  // 0 new, 1 on stack, 2 done
  for (std::size_t start = 0; start < incoming_.size(); ++start) {
    if (color[start]) continue;
    std::vector<std::size_t> stack{start};
    std::vector<std::size_t> path;
    while (!stack.empty()) {
      std::size_t cur = stack.back();
      if (color[cur] == 0) {
        color[cur] = 1;
        path.push_back(cur);
        for (const auto& d : incoming_[cur].deps) {
          if (!d.parent) continue;
          std::int32_t t = nodes_[d.node].incoming;
          if (t == kNone || static_cast<std::size_t>(t) == cur) {
            if (static_cast<std::size_t>(t) == cur) report_cycle({cur});
            continue;
          }
          if (color[static_cast<std::size_t>(t)] == 1) {
            auto it = std::find(path.begin(), path.end(), static_cast<std::size_t>(t));
            report_cycle(std::vector<std::size_t>(it, path.end()));
          } else if (color[static_cast<std::size_t>(t)] == 0) {
            stack.push_back(static_cast<std::size_t>(t));
          }
        }
      } else {
        if (color[cur] == 1) {
          color[cur] = 2;
          if (!path.empty() && path.back() == cur) path.pop_back();
        }
        stack.pop_back();
      }
    }
  }
}

void Loader::report_cycle(const std::vector<std::size_t>& loop) {
  std::string chain;
  for (auto i : loop) chain += label(*schema_.kinds[nodes_[incoming_[i].node].kind], nodes_[incoming_[i].node].key) + " -> ";
  chain += label(*schema_.kinds[nodes_[incoming_[loop.front()].node].kind], nodes_[incoming_[loop.front()].node].key);
  for (auto i : loop) fail(incoming_[i], make_error("containment cycle (an entity inside itself): " + chain));
}

// Missing references fail their entity; failures spread to every entity
// that refers to a failed one (unless the store already has that entity).
void Loader::propagate_failures() {
  std::vector<std::vector<std::uint32_t>> rev(incoming_.size());
  for (std::uint32_t i = 0; i < incoming_.size(); ++i) {
    for (const auto& d : incoming_[i].deps) {
      const Node& t = nodes_[d.node];
      if (t.incoming != kNone) rev[static_cast<std::size_t>(t.incoming)].push_back(i);
      if (t.missing) {
        // Say where: walk the references again for the paths.
        auto e = read_spooled(incoming_[i]);
        const KindInfo& tk = *schema_.kinds[t.kind];
        std::string where;
        if (e) {
          schema_.refs(*e, [&](const FoundRef& r) {
            if (r.kind == tk.name && r.key == t.key && where.empty()) where = path_to_string(r.path);
          });
        }
        fail(incoming_[i], Error{"references " + label(tk, t.key) + ", which is neither in the dump nor in the target store" +
                                     (schema_.stub_policy_of(tk.name) == StubPolicy::on_flag ? " (--stub-missing creates a placeholder)" : ""),
                                 where, {}, {}, {}});
      }
    }
  }
  std::vector<std::uint32_t> queue;
  for (std::uint32_t i = 0; i < incoming_.size(); ++i)
    if (incoming_[i].failed) queue.push_back(i);
  while (!queue.empty()) {
    std::uint32_t f = queue.back();
    queue.pop_back();
    const Node& fn = nodes_[incoming_[f].node];
    if (fn.store_id && opts_.mode == Mode::skip) continue;  // dependents can use the stored one
    for (std::uint32_t j : rev[f]) {
      if (incoming_[j].failed) continue;
      fail(incoming_[j], make_error("depends on " + label(*schema_.kinds[fn.kind], fn.key) + " (" +
                                    incoming_[f].origin.str() + "), which cannot be loaded"));
      queue.push_back(j);
    }
  }
}

void Loader::decide_actions() {
  for (auto& in : incoming_) {
    Node& n = nodes_[in.node];
    if (n.store_id) {
      in.action = opts_.mode == Mode::update ? Action::update : Action::skip;
      n.id = *n.store_id;
    } else {
      in.action = Action::create;
    }
  }
  for (auto& n : nodes_)
    if (n.store_id) n.id = *n.store_id;
}

// --mode update replaces what changed; an entity identical to the one in
// the store is left alone (no write, counted as skipped), so a report says
// what a load really changed. Secrets the dump redacted count as equal.
Status Loader::skip_unchanged() {
  std::vector<std::vector<std::uint32_t>> candidates(schema_.kinds.size());
  for (std::uint32_t i = 0; i < incoming_.size(); ++i)
    if (!incoming_[i].failed && incoming_[i].action == Action::update) candidates[nodes_[incoming_[i].node].kind].push_back(i);
  store::KeyMap keys;  // of the kinds the candidates' columns refer to
  const store::KeyLookup lookup = keys.lookup();
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    if (candidates[k].empty()) continue;
    const KindInfo& kind = *schema_.kinds[k];
    for (const auto& f : kind.fields)
      if (f.type.tag == TypeDesc::Tag::Ref)
        if (auto s = keys.load(*store_, f.type.ref_kind); !s) return s;
    std::unordered_map<std::int64_t, std::uint32_t> by_id;
    for (auto i : candidates[k]) by_id[nodes_[incoming_[i].node].id] = i;
    auto s = store_->scan(kind.name, [&](std::int64_t id, store::Row& row) -> Status {
      auto it = by_id.find(id);
      if (it == by_id.end()) return ok_status();
      auto stored = store::entity_value_from_row(tables_[k], row, lookup);
      if (!stored) return stored.errors();
      auto in = read_spooled(incoming_[it->second]);
      if (!in) return in.errors();
      for (const auto& f : kind.fields) {
        const Value* iv = in->value.find(f.name);
        Value* sv = stored->value.find(f.name);
        if (iv && sv) align_redacted(f.type, *iv, *sv);
      }
      if (stored->value == in->value && stored->unknowns == in->unknowns) incoming_[it->second].action = Action::skip;
      return ok_status();
    });
    if (!s) return s;
  }
  return ok_status();
}

// Where the incoming document has the redaction marker, the stored secret
// is taken as the same (the dump did not say what it is).
void Loader::align_redacted(const TypeDesc& t, const Value& in, Value& stored) {
  if (t.secret) {
    if (in.is_string() && in.as_string() == kRedacted) stored = in;
    return;
  }
  if (t.tag == TypeDesc::Tag::Struct && in.is_object() && stored.is_object()) {
    for (const auto& f : t.fields) {
      const Value* iv = in.find(f.name);
      Value* sv = stored.find(f.name);
      if (iv && sv) align_redacted(f.type, *iv, *sv);
    }
  } else if ((t.tag == TypeDesc::Tag::List) && in.is_array() && stored.is_array()) {
    for (std::size_t i = 0; i < std::min(in.size(), stored.size()); ++i)
      align_redacted(*t.elem, in.as_array()[i], stored.as_array()[i]);
  } else if (t.tag == TypeDesc::Tag::Map && in.is_object() && stored.is_object()) {
    for (const auto& [key, iv] : in.as_object())
      if (Value* sv = stored.find(key)) align_redacted(*t.elem, iv, *sv);
  }
}

void Loader::count() {
  for (auto& in : incoming_) {
    const KindInfo& k = *schema_.kinds[nodes_[in.node].kind];
    auto& c = report_.kinds[k.name];
    if (in.failed) {
      ++c.failed;
      Failure f;
      f.kind = k.name;
      f.key = nodes_[in.node].key.str();
      f.origin = in.origin;
      f.errors = in.errors;
      report_.failures.push_back(std::move(f));
    } else if (in.action == Action::skip) {
      ++c.skipped;
    } else if (in.action == Action::update) {
      ++c.updated;  // its unknown secrets are listed once the store's are known (apply)
    } else {
      ++c.created;
      for (const auto& path : in.unknown_secrets)
        report_.secrets_unknown.push_back(label(k, nodes_[in.node].key) + ": " + path);
    }
  }
}

}  // namespace metaport::engine::load_detail
