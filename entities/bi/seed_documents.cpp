// The showcase's documents (ProseMirror: headings, marks, lists, a table,
// code, quotes, images, embedded cards and smart links to other entities)
// with the cards they own, timelines with events, actions on a model, and
// the Metabot.
#include "entities/bi/seed_showcase.hpp"

namespace bi::seeding {

V pm_text(std::string text, std::vector<std::string> marks) {
  V t = obj({{"type", "text"}, {"text", std::move(text)}});
  if (!marks.empty()) {
    V ms = V::array();
    for (auto& m : marks) ms.push_back(obj({{"type", std::move(m)}}));
    t.set("marks", std::move(ms));
  }
  return t;
}
V pm_node(std::string type, V::Array content, V attrs) {
  V n = obj({{"type", std::move(type)}});
  if (!attrs.is_null()) n.set("attrs", std::move(attrs));
  if (!content.empty()) n.set("content", V(std::move(content)));
  return n;
}
V pm_heading(int level, std::string text) { return pm_node("heading", {pm_text(std::move(text))}, obj({{"level", level}})); }
V pm_paragraph(V::Array content) { return pm_node("paragraph", std::move(content)); }
V pm_list(bool ordered, const std::vector<std::string>& items) {
  V::Array lis;
  for (const auto& i : items) lis.push_back(pm_node("listItem", {pm_paragraph({pm_text(i)})}));
  return pm_node(ordered ? "orderedList" : "bulletList", std::move(lis));
}
V pm_card(const EntityId& card, std::string name) {
  return pm_node("cardEmbed", {}, obj({{"id", arr(obj({{"model", "Card"}, {"id", card.str()}}))}, {"name", std::move(name)}}));
}
V pm_link(V path, std::string model) {
  return pm_node("smartLink", {}, obj({{"entityId", std::move(path)}, {"model", std::move(model)}}));
}
V pm_link(const EntityId& id, std::string serdes_model, std::string model) {
  return pm_link(arr(obj({{"model", std::move(serdes_model)}, {"id", id.str()}})), std::move(model));
}

namespace {

Document make_document(Lib& L, const std::string& handle, std::string name, const std::string& collection, V::Array nodes) {
  Document d;
  d.name = std::move(name);
  d.description = null<std::string>();
  d.entity_id = L.id(handle);
  d.creator_id = user(L.creator());
  d.document = pm_node("doc", std::move(nodes));
  d.content_type = std::string(kProseMirrorContentType);
  d.collection_id = in_collection(L.id(collection));
  d.collection_position = null<std::int64_t>();
  d.archived = false;
  d.archived_directly = false;
  d.public_uuid = null<std::string>();
  d.made_public_by_id = null<Ref<User>>();
  d.view_count = L.rng.between(0, 400);
  d.created_at = L.rng.when();
  return d;
}

Card document_card(Lib& L, const std::string& handle, std::string name, Display display, V stage,
                   const std::string& doc, const std::string& collection) {
  Card c = make_card(L, handle, std::move(name), display, query(kSampleDb, {std::move(stage)}), L.id(collection));
  c.document_id = some(Parent<Document>(Ref<Document>(L.id(doc).str())));
  return c;
}

void documents(Out& out, Lib& L) {
  V s = mbql_stage(stable("ORDERS"));
  s.set("aggregation", arr(agg(L.rng, "sum", sfield("ORDERS", "TOTAL"))));
  s.set("breakout", arr(sfield("PRODUCTS", "CATEGORY", obj({{"source-field", sfk("ORDERS", "PRODUCT_ID")}})),
                        sfield("ORDERS", "CREATED_AT", obj({{"temporal-unit", "quarter"}}))));
  out.emit(document_card(L, "qbr_revenue", "Quarterly revenue by category", Display::bar, s, "doc_qbr", "sales"));
  const V orders_table = arr(obj({{"model", "Database"}, {"id", kSampleDb}}), obj({{"model", "Schema"}, {"id", kPublic}}),
                             obj({{"model", "Table"}, {"id", "ORDERS"}}));
  out.emit(make_document(
      L, "doc_qbr", "Quarterly business review", "sales",
      {pm_heading(1, "Quarterly business review"),
       pm_paragraph({pm_text("Revenue grew "), pm_text("15% quarter over quarter", {"bold"}),
                     pm_text(", led by Widgets. All figures come from the "),
                     pm_text("Orders", {"italic"}), pm_text(" table.")}),
       pm_link(orders_table, "table"),
       pm_heading(2, "Revenue"), pm_card(L.id("qbr_revenue"), "Quarterly revenue by category"),
       pm_card(L.id("revenue_by_month"), "Revenue by month"),
       pm_list(false, {"Widget category remains the top performer", "Gizmo sales dipped in March",
                       "Average order value is flat"}),
       pm_heading(2, "Next steps"),
       pm_list(true, {"Review the Sales overview dashboard with regional leads", "Refresh the EMEA plan mix",
                      "Agree on the definition of churn"}),
       pm_paragraph({pm_text("Dashboard: ")}), pm_link(L.id("dash_sales"), "Dashboard", "dashboard"),
       pm_link(L.id("sales"), "Collection", "collection"),
       pm_node("table", {pm_node("tableRow", {pm_node("tableHeader", {pm_paragraph({pm_text("Region")})}),
                                              pm_node("tableHeader", {pm_paragraph({pm_text("Owner")})})}),
                         pm_node("tableRow", {pm_node("tableCell", {pm_paragraph({pm_text("EMEA")})}),
                                              pm_node("tableCell", {pm_paragraph({pm_text(person(3).first)})})})}),
       pm_node("blockquote", {pm_paragraph({pm_text("Numbers are preliminary until the books close.", {"italic"})})})}));

  s = mbql_stage(stable("ANALYTIC_EVENTS"));
  s.set("filters", arr(clause("=", sfield("ANALYTIC_EVENTS", "BUTTON_LABEL"), "Sign Up")));
  s.set("aggregation", arr(agg(L.rng, "count")));
  s.set("breakout", arr(sfield("ANALYTIC_EVENTS", "TIMESTAMP", obj({{"temporal-unit", "week"}}))));
  out.emit(document_card(L, "playbook_signups", "Sign-ups per week", Display::line, s, "doc_playbook", "marketing"));
  out.emit(make_document(
      L, "doc_playbook", "Marketing playbook", "marketing",
      {pm_heading(1, "Marketing playbook"),
       pm_paragraph({pm_text("How we run campaigns, and how we measure them against "),
                     pm_text("Revenue", {"bold", "underline"}), pm_text(".")}),
       pm_link(L.id("revenue_metric"), "Card", "card"), pm_card(L.id("playbook_signups"), "Sign-ups per week"),
       pm_heading(2, "Tagging links"),
       pm_node("codeBlock", {pm_text("https://sample-company.com/?utm_source=newsletter&utm_campaign=spring")},
               obj({{"language", "text"}})),
       pm_link(L.id("seg_mobile"), "Segment", "segment"),
       pm_node("image", {}, obj({{"src", "https://static.sample-company.com/funnel.png"}, {"alt", "The funnel"}})),
       pm_paragraph({pm_text("See the "), pm_text("funnel dashboard", {"link"}), pm_node("hardBreak", {}),
                     pm_text("for the weekly numbers.")}),
       pm_link(L.id("dash_marketing"), "Dashboard", "dashboard")}));

  out.emit(make_document(L, "doc_oncall", "On-call notes", "operations",
                         {pm_heading(1, "On-call notes"),
                          pm_paragraph({pm_text("When "), pm_text("Unexpected invoices", {"code"}),
                                        pm_text(" is not empty, page finance.")}),
                          pm_card(L.id("unexpected_invoices"), "Unexpected invoices"),
                          pm_link(L.id("dash_ops"), "Dashboard", "dashboard"),
                          pm_link(L.id("snip_paying"), "NativeQuerySnippet", "snippet")}));
}

TimelineEvent event(Lib& L, std::string name, const char* when, std::string icon, bool time_matters) {
  TimelineEvent e;
  e.name = std::move(name);
  e.description = some<std::string>("");
  e.timestamp = Timestamp::parse(when)->utc();  // written in UTC, as the sample always was
  e.icon = std::move(icon);
  e.time_matters = time_matters;
  e.timezone = "America/New_York";
  e.archived = false;
  e.creator_id = user(L.creator());
  e.created_at = L.rng.when();
  return e;
}

void timelines_actions_metabot(Out& out, Lib& L) {
  Timeline launches;
  launches.entity_id = L.id("tl_launches");
  launches.name = "Product launches";
  launches.description = some<std::string>("New product lines and big releases.");
  launches.icon = "star";
  launches.collection_id = in_collection(L.id("marketing"));
  launches.creator_id = user(L.creator());
  launches.default_ = false;
  launches.archived = false;
  launches.events = std::vector<TimelineEvent>{event(L, "Gizmo 2.0", "2024-03-12", "star", false),
                                               event(L, "Widget Pro", "2024-09-03", "star", false),
                                               event(L, "Spring sale", "2025-04-01T09:00:00Z", "balloons", true)};
  launches.created_at = L.rng.when();
  out.emit(std::move(launches));
  Timeline incidents;
  incidents.entity_id = L.id("tl_incidents");
  incidents.name = "Incidents";
  incidents.description = null<std::string>();
  incidents.icon = "warning";
  incidents.collection_id = in_collection(L.id("operations"));
  incidents.default_ = true;
  incidents.events = std::vector<TimelineEvent>{event(L, "Payment provider outage", "2024-11-29T14:20:00Z", "warning", true),
                                                event(L, "Tracking pixel broken", "2025-02-10", "warning", false)};
  incidents.created_at = L.rng.when();
  out.emit(std::move(incidents));

  Action vip;
  vip.name = "Mark customer as VIP";
  vip.description = some<std::string>("Sets the customer's source to VIP.");
  vip.entity_id = L.id("act_vip");
  vip.type = "query";
  vip.model_id = some(Ref<Card>(L.id("people_model").str()));
  vip.creator_id = user(kAdmin);
  vip.archived = false;
  const std::string tag_id = L.rng.uuid();
  vip.parameters = arr(obj({{"id", tag_id}, {"slug", "id"}, {"name", "ID"}, {"type", "number/="},
                            {"target", tag_target("variable", "id")}, {"required", true}}));
  vip.parameter_mappings = null<V>();
  vip.visualization_settings = some(obj({{"name", "Mark as VIP"}, {"type", "button"}, {"confirmMessage", "Are you sure?"}}));
  ActionQuery q;
  q.database_id = some(Ref<Database>(kSampleDb));
  q.dataset_query = query(kSampleDb, {native_stage("UPDATE PEOPLE SET SOURCE = 'VIP' WHERE ID = {{id}}",
                                                   arr(obj({{"type", "number"}, {"name", "id"}, {"id", tag_id},
                                                            {"display-name", "ID"}, {"required", true}})))});
  vip.query = std::vector<ActionQuery>{q};
  vip.created_at = L.rng.when();
  out.emit(std::move(vip));
  Action update;
  update.name = "Update customer";
  update.entity_id = L.id("act_update");
  update.type = "implicit";
  update.model_id = some(Ref<Card>(L.id("people_model").str()));
  update.creator_id = user(kAdmin);
  update.archived = false;
  update.parameters = V::array();
  update.implicit = obj({{"kind", "row/update"}});
  update.created_at = L.rng.when();
  out.emit(std::move(update));

  Metabot bot;
  bot.entity_id = L.id("metabot");
  bot.name = "Sales assistant";
  bot.description = some<std::string>("Answers questions about orders and revenue.");
  bot.collection_id = in_collection(L.id("sales"));
  bot.use_verified_content = true;
  auto prompt = [&](std::string text, PromptCardType model, const std::string& card) {
    MetabotPrompt p;
    p.entity_id = L.rng.id();
    p.prompt = std::move(text);
    p.model = model;
    p.card_id = Ref<Card>(L.id(card).str());
    p.created_at = L.rng.when();
    return p;
  };
  bot.prompts = std::vector<MetabotPrompt>{
      prompt("How much revenue did we make last month?", PromptCardType::metric, "revenue_metric"),
      prompt("Which products are the most profitable?", PromptCardType::model, "orders_enriched"),
      prompt("Where do our customers come from?", PromptCardType::question, "customers_by_source")};
  bot.created_at = L.rng.when();
  bot.updated_at = bot.created_at;
  out.emit(std::move(bot));
}

}  // namespace

void seed_boards(Out& out, Lib& L) {
  seed_dashboards(out, L);
  documents(out, L);
  timelines_actions_metabot(out, L);
}

}  // namespace bi::seeding
