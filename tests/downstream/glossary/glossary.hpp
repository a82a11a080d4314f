// A second downstream schema: a business glossary whose terms nest under
// other terms (a self-parented hierarchy) inside a glossary. Its tree dump
// nests every term in its parent's folder (docs/tree-layout.md, "Your own
// schema").
#pragma once
#include <metaport/metaport.hpp>

#include <boost/mp11.hpp>

namespace glossary {

struct Glossary {
  metaport::EntityId entity_id;
  std::string name;
};
BOOST_DESCRIBE_STRUCT(Glossary, (), (entity_id, name))

// Who looks after terms, known by email (a kind keyed by a member of its own).
struct Steward {
  std::string email;
  std::string name;
};
BOOST_DESCRIBE_STRUCT(Steward, (), (email, name))

struct Term {
  metaport::EntityId entity_id;
  std::string term;
  // The innermost container first: a term with a parent term sits in that
  // term's folder, a top-level term in its glossary's.
  metaport::Maybe<metaport::Parent<Term>> parent_id;
  metaport::Parent<Glossary> glossary_id;
  metaport::Maybe<std::string> definition;
  metaport::Maybe<metaport::Ref<Steward>> steward;
};
BOOST_DESCRIBE_STRUCT(Term, (), (entity_id, term, parent_id, glossary_id, definition, steward))

struct Schema {
  static constexpr std::string_view name = "glossary";
  static constexpr int version = 1;
  using kinds = boost::mp11::mp_list<Steward, Glossary, Term>;
};

}  // namespace glossary

template <>
struct metaport::kind_traits<glossary::Steward> : metaport::kind_defaults {
  static constexpr std::string_view name = "Steward";
  static constexpr KeyShape key_shape = KeyShape::name;
  static Key key(const glossary::Steward& s) { return Key(s.email); }
};
METAPORT_KIND(glossary::Glossary, "Glossary")
METAPORT_KIND(glossary::Term, "Term")
