// One team of the scaled part: its people, a collection tree, about twenty
// questions plus a model and a metric, three dashboards (filters wired to
// the cards, a card of their own, now and then tabs, series and click
// behaviours), and every few teams a document, a segment, a measure, a
// snippet, a timeline or a transform. Team n also brings Warehouse mart
// n / 10 when n is a multiple of 10.
#include "entities/bi/seed_team.hpp"

namespace bi::seeding {
namespace {

const std::vector<std::string> kDepartments = {"Growth",  "Finance",       "Customer Success", "Supply Chain",
                                               "Product", "Sales Ops",     "Support",          "Data Platform",
                                               "People",  "Partnerships",  "Brand",            "Risk"};
const std::vector<std::string> kCities = {
    "Lisbon", "Berlin", "Austin", "Nairobi", "Osaka", "Toronto", "Lyon", "Pune", "Bogotá", "Oslo", "Seoul",
    "Denver", "Porto", "Accra", "Krakow", "Melbourne", "Dublin", "Santiago", "Tallinn", "Cebu", "Boston",
    "Valencia", "Lagos", "Hamburg", "Taipei", "Quito", "Leeds", "Izmir", "Halifax", "Turin"};

std::string team_name(std::size_t n) {
  const std::size_t per_round = kDepartments.size() * kCities.size();
  std::string name = kDepartments[n % kDepartments.size()] + " · " + kCities[(n / kDepartments.size()) % kCities.size()];
  if (n >= per_round) name += " " + std::to_string(n / per_round + 1);
  return name;
}

Collection collection(TeamContext& T, std::string name, std::string description, std::optional<EntityId> parent) {
  Collection c;
  c.name = std::move(name);
  c.description = some(std::move(description));
  c.entity_id = T.rng.id();
  c.slug = metaport::slugify(c.name);
  c.archived = false;
  c.namespace_ = null<CollectionNamespace>();
  c.authority_level = null<AuthorityLevel>();
  c.parent_id = parent ? some(Parent<Collection>(Ref<Collection>(parent->str()))) : null<Parent<Collection>>();
  c.personal_owner_id = null<Ref<User>>();
  c.created_at = T.rng.when();
  return c;
}

V dim(const TableSpec& t, const std::string& column) { return arr("dimension", legacy_field(t.field_fk({column}))); }

void map(DashboardCard& dc, const TeamCard& card, const std::string& param, V target) {
  ParameterMapping m;
  m.card_id = Ref<Card>(card.id.str());
  m.parameter_id = param;
  m.target = std::move(target);
  dc.parameter_mappings->push_back(std::move(m));
}

// A dashboard of `cards` (and one card of its own), a date filter wired to
// every card that has a date column, a category filter where it applies.
EntityId dashboard(Out& out, TeamContext& T, std::string name, std::vector<TeamCard> cards, bool tabs,
                   const std::optional<EntityId>& link_to) {
  Rng& r = T.rng;
  Dashboard d;
  d.name = std::move(name);
  d.description = some<std::string>("The " + T.name + " team's numbers.");
  d.entity_id = r.id();
  d.creator_id = user(T.creator());
  d.archived = false;
  d.collection_id = in_collection(T.reports);
  d.auto_apply_filters = r.chance(0.8);
  d.width = r.chance(0.7) ? DashboardWidth::fixed : DashboardWidth::full;
  d.created_at = r.when();
  d.tabs = std::vector<DashboardTab>{};
  d.dashcards = std::vector<DashboardCard>{};
  d.parameters = std::vector<Parameter>{};
  Parameter date = parameter(r.uuid().substr(0, 8), "Date", "date/all-options");
  date.sectionId = ParameterSection::date;
  d.parameters->push_back(date);
  cards.push_back(team_question(out, T, T.reports, "Dashboard", &d.entity_id));

  std::vector<EntityId> tab_ids;
  if (tabs)
    for (const char* tab : {"Summary", "Details"}) {
      tab_ids.push_back(r.id());
      d.tabs->push_back(DashboardTab{tab_ids.back(), tab, static_cast<std::int64_t>(d.tabs->size()), d.created_at, std::nullopt});
    }
  std::int64_t row = 0, col = 0;
  auto place = [&](Maybe<Ref<Card>> card, std::int64_t w, std::int64_t h, std::size_t i) -> DashboardCard& {
    if (col + w > kGridColumns) { col = 0; row += 6; }
    DashboardCard dc;
    dc.entity_id = r.id();
    dc.card_id = std::move(card);
    if (!tab_ids.empty()) dc.dashboard_tab_id = some(std::vector<EntityId>{d.entity_id, tab_ids[i % tab_ids.size()]});
    dc.row = row;
    dc.col = col;
    dc.size_x = w;
    dc.size_y = h;
    dc.parameter_mappings = std::vector<ParameterMapping>{};
    dc.series = std::vector<DashboardCardSeries>{};
    dc.visualization_settings = obj();
    col += w;
    d.dashcards->push_back(std::move(dc));
    return d.dashcards->back();
  };
  // With tabs, cards alternate between them; positions come from one
  // running grid, so no two cards overlap whichever tab they are on.
  place(null<Ref<Card>>(), 24, 1, 0).visualization_settings =
      obj({{"virtual_card", obj({{"display", "heading"}})}, {"text", d.name}});
  col = 24;
  std::string category_param;
  for (std::size_t i = 0; i < cards.size(); ++i) {
    const TeamCard& c = cards[i];
    const bool scalar = c.display == Display::scalar || c.display == Display::smartscalar;
    DashboardCard& dc = place(some(Ref<Card>(c.id.str())), scalar ? 6 : 12, 6, i);
    if (c.table && !c.temporal.empty())
      map(dc, c, date.id, c.date_tag.empty() ? dim(*c.table, c.temporal) : tag_target("dimension", c.date_tag));
    if (c.table && !c.category.empty() && c.date_tag.empty()) {
      if (category_param.empty()) {
        Parameter p = parameter(r.uuid().substr(0, 8), display_name_of(c.category), "string/=");
        p.sectionId = ParameterSection::string;
        p.values_query_type = ValuesQueryType::list;
        category_param = p.id;
        d.parameters->push_back(std::move(p));
        dc.visualization_settings = obj({{"click_behavior", obj({{"type", "crossfilter"},
            {"parameterMapping", obj({{category_param, obj({{"id", category_param},
                                                            {"source", obj({{"id", c.category}, {"name", display_name_of(c.category)}, {"type", "column"}})},
                                                            {"target", obj({{"id", category_param}, {"type", "parameter"}})}})}})}})}});
      }
      map(dc, c, category_param, dim(*c.table, c.category));
    }
    if (i > 0 && c.display == Display::line && cards[i - 1].display == Display::line)
      dc.series->push_back(DashboardCardSeries{Ref<Card>(cards[i - 1].id.str()), 0});
  }
  if (link_to) {
    DashboardCard& link = place(null<Ref<Card>>(), 8, 1, 0);
    link.visualization_settings = obj({{"virtual_card", obj({{"display", "link"}})},
                                       {"link", obj({{"entity", obj({{"id", link_to->str()}, {"model", "dashboard"}})}})}});
  }
  const EntityId id = d.entity_id;
  out.emit(std::move(d));
  return id;
}

void document(Out& out, TeamContext& T, const std::vector<TeamCard>& cards, const EntityId& dash) {
  Document doc;
  doc.name = T.name + " monthly notes";
  doc.entity_id = T.rng.id();
  doc.creator_id = user(T.creator());
  const TeamCard owned = team_question(out, T, T.reports, "Document", &doc.entity_id);
  const TeamCard& a = T.rng.pick(cards);
  doc.document = pm_node(
      "doc", {pm_heading(1, doc.name), pm_paragraph({pm_text("What moved this month, in the " + T.name + " team's words.")}),
              pm_card(owned.id, owned.name), pm_paragraph({pm_text("Compare with "), pm_text(a.name, {"italic"})}),
              pm_card(a.id, a.name), pm_list(false, {"Numbers are final after the 5th.", "Ask in #" + T.name + " for details."}),
              pm_link(dash, "Dashboard", "dashboard"), pm_link(T.root, "Collection", "collection")});
  doc.content_type = std::string(kProseMirrorContentType);
  doc.collection_id = in_collection(T.reports);
  doc.archived = false;
  doc.view_count = T.rng.between(0, 120);
  doc.created_at = T.rng.when();
  out.emit(std::move(doc));
}

void extras(Out& out, TeamContext& T) {
  Rng& r = T.rng;
  const TableSpec& facts = T.warehouse[2];
  const ColumnSpec& channel = *facts.column("channel");
  if (T.number % 3 == 0) {
    Segment s;
    const V& value = r.pick(channel.values);
    s.name = value.as_string() + " orders (" + T.name + ")";
    s.entity_id = r.id();
    s.creator_id = user(T.creator());
    V stage = mbql_stage(facts.fk());
    stage.set("filters", arr(clause("=", field(facts.field_fk({"channel"})), value)));
    s.definition = query(facts.db, {stage});
    s.archived = false;
    s.created_at = r.when();
    out.emit(std::move(s));
  }
  if (T.number % 4 == 1) {
    Measure m;
    m.name = "Net amount (" + T.name + ")";
    m.entity_id = r.id();
    m.creator_id = user(T.creator());
    V stage = mbql_stage(facts.fk());
    stage.set("aggregation", arr(agg(r, "sum", field(facts.field_fk({"net_amount"})))));
    m.definition = query(facts.db, {stage});
    m.created_at = r.when();
    out.emit(std::move(m));
  }
  if (T.number % 5 == 2) {
    NativeQuerySnippet s;
    s.name = T.name + " channels";
    s.description = some<std::string>("The sales channels the " + T.name + " team reports on.");
    s.entity_id = r.id();
    s.creator_id = user(T.creator());
    s.content = "channel IN ('" + r.pick(channel.values).as_string() + "', '" + r.pick(channel.values).as_string() + "')";
    s.archived = false;
    s.collection_id = null<Parent<Collection>>();
    s.template_tags = obj();
    s.created_at = r.when();
    out.emit(std::move(s));
  }
  if (T.number % 6 == 3) {
    Timeline tl;
    tl.entity_id = r.id();
    tl.name = T.name + " milestones";
    tl.icon = "calendar";
    tl.collection_id = in_collection(T.root);
    tl.creator_id = user(T.creator());
    tl.default_ = false;
    tl.archived = false;
    tl.events = std::vector<TimelineEvent>{};
    for (int i = 0, n = static_cast<int>(r.between(1, 4)); i < n; ++i) {
      TimelineEvent e;
      e.name = "Milestone " + std::to_string(i + 1);
      e.timestamp = r.when();
      e.icon = "star";
      e.time_matters = false;
      e.timezone = "UTC";
      e.creator_id = user(T.creator());
      tl.events->push_back(std::move(e));
    }
    tl.created_at = r.when();
    out.emit(std::move(tl));
  }
  if (T.number % 8 == 4) {
    Transform x;
    x.name = T.name + " daily orders";
    x.description = some<std::string>("Orders per day and channel, for the " + T.name + " dashboards.");
    x.entity_id = r.id();
    x.creator_id = user(T.creator());
    x.source_database_id = Ref<Database>(facts.db);
    x.source.type = TransformSourceType::query;
    V stage = mbql_stage(facts.fk());
    stage.set("aggregation", arr(agg(r, "count"), agg(r, "sum", field(facts.field_fk({"net_amount"})))));
    stage.set("breakout", arr(field(facts.field_fk({"ordered_at"}), obj({{"temporal-unit", "day"}})),
                              field(facts.field_fk({"channel"}))));
    x.source.query = query(facts.db, {stage});
    x.target.database = Ref<Database>(facts.db);
    x.target.type = TransformTargetType::table;
    x.target.schema = some(*facts.schema);
    x.target.name = metaport::slugify(T.name) + "_daily_orders";
    x.collection_id = in_collection(T.showcase.etl_collection);
    x.tags = std::vector<TransformTagLink>{
        TransformTagLink{r.id(), Ref<TransformTag>(T.showcase.daily_tag.str()), 0, Derived<SerdesMeta>{}}};
    x.created_at = r.when();
    out.emit(std::move(x));
  }
}

}  // namespace

void seed_team(Out& out, std::size_t n, const Showcase& s) {
  TeamContext T(n, s);
  T.name = team_name(n);
  if (n % 10 == 0) seed_warehouse_schema(out, T.rng, n / 10);
  T.warehouse = warehouse_schema(n / 10);
  for (const auto& t : T.warehouse) T.tables.push_back(&t);
  for (const char* name : {"ORDERS", "ACCOUNTS", "INVOICES", "PRODUCTS", "PEOPLE", "REVIEWS", "FEEDBACK"})
    T.tables.push_back(&sample_table(name));

  // Its people: one or two new ones, and a few from the showcase.
  const std::size_t first = kShowcasePeople + n * 3 / 2;
  for (std::size_t i = first; i < kShowcasePeople + (n + 1) * 3 / 2; ++i) {
    Person p = person(i);
    out.emit(User{p.email, some(p.first), some(p.last)});
    T.people.push_back(p.email);
  }
  for (int i = 0; i < 3; ++i) T.people.push_back(T.rng.pick(s.creators));

  Collection root = collection(T, T.name, "Everything the " + T.name + " team shares.", std::nullopt);
  T.root = root.entity_id;
  out.emit(std::move(root));
  Collection reports = collection(T, "Reports", "Dashboards and the questions on them.", T.root);
  T.reports = reports.entity_id;
  out.emit(std::move(reports));
  Collection ad_hoc = collection(T, "Ad hoc", "One-off questions.", T.root);
  T.ad_hoc = ad_hoc.entity_id;
  out.emit(std::move(ad_hoc));

  team_model_and_metric(out, T);
  const int questions = static_cast<int>(T.rng.between(16, 24));
  for (int i = 0; i < questions; ++i) {
    const EntityId& where = i % 3 == 2 ? T.ad_hoc : T.reports;
    T.cards.push_back(team_question(out, T, where));
  }
  auto slice = [&](std::size_t from, std::size_t count) {
    std::vector<TeamCard> out_cards;
    for (std::size_t i = 0; i < count; ++i) out_cards.push_back(T.cards[(from + i) % T.cards.size()]);
    return out_cards;
  };
  const std::size_t per = T.cards.size() / 3;
  const std::vector<std::string> titles = {T.name + " overview", T.name + " weekly review", T.name + " deep dive"};
  // The overview links to the showcase's Sales overview, the others to the overview.
  std::optional<EntityId> overview;
  for (std::size_t i = 0; i < titles.size(); ++i) {
    const std::size_t count = std::min<std::size_t>(per, 4 + static_cast<std::size_t>(T.rng.between(0, 4)));
    EntityId id = dashboard(out, T, titles[i], slice(i * per, count), i == 2, overview ? overview : s.sales_dashboard);
    if (!overview) overview = id;
  }
  if (n % 2 == 0) document(out, T, T.cards, *overview);
  extras(out, T);
}

}  // namespace bi::seeding
