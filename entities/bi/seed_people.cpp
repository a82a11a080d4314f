// People, instance settings, notification channels and the glossary.
#include "entities/bi/seed_util.hpp"

namespace bi::seeding {
namespace {

const std::vector<std::string>& first_names() {
  static const std::vector<std::string> names = {
      "Ada",     "Grace",   "Alan",    "Katherine", "Linus",   "Margaret", "Dennis",  "Barbara", "Ken",
      "Frances", "Edsger",  "Radia",   "Donald",    "Sophie",  "Guido",    "Hedy",    "Tim",     "Joan",
      "Niklaus", "Shafi",   "Leslie",  "Annie",     "Bjarne",  "Jean",     "Yukihiro", "Lynn",   "James",
      "Anita",   "Vint",    "Evelyn",  "John",      "Carol",   "Robert",   "Mary",    "Fernando", "Amara",
      "Wei",     "Priya",   "Kwame",   "Lucía",     "Mateo",   "Ingrid",   "Hiroshi", "Chiara",  "Olu",
      "Dmitri",  "Fatima",  "Sven",    "Aiko",      "Rafael",  "Noor",     "Tomás",   "Elif",    "Jonas",
      "Mei",     "Arjun",   "Zanele",  "Pierre",    "Hana",    "Kofi"};
  return names;
}
const std::vector<std::string>& last_names() {
  static const std::vector<std::string> names = {
      "Lovelace", "Hopper",    "Turing",  "Johnson",  "Torvalds", "Hamilton", "Ritchie", "Liskov",   "Thompson",
      "Allen",    "Dijkstra",  "Perlman", "Knuth",    "Wilson",   "Rossum",   "Lamarr",  "Berners-Lee", "Clarke",
      "Wirth",    "Goldwasser", "Lamport", "Easley",  "Stroustrup", "Sammet", "Matsumoto", "Conway", "Gosling",
      "Borg",     "Cerf",      "Boyd",    "McCarthy", "Shaw",     "Tarjan",   "Keller",  "Corbató", "Okafor",
      "Zhang",    "Patel",     "Mensah",  "García",   "Rossi",    "Nilsson",  "Tanaka",  "Bianchi", "Adeyemi",
      "Ivanov",   "Haddad",    "Larsen",  "Sato",     "Costa",    "Rahman",   "Silva",   "Yilmaz",  "Becker",
      "Chen",     "Sharma",    "Dlamini", "Martin",   "Kim",      "Owusu"};
  return names;
}

// Email local parts are ASCII: drop accents the simple way.
std::string ascii_lower(std::string_view s) {
  static const std::vector<std::pair<std::string_view, char>> folds = {
      {"á", 'a'}, {"é", 'e'}, {"í", 'i'}, {"ó", 'o'}, {"ú", 'u'}, {"ñ", 'n'}, {"ç", 'c'}, {"ü", 'u'}, {"ö", 'o'}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool folded = false;
    for (const auto& [from, to] : folds)
      if (s.substr(i, from.size()) == from) { out += to; i += from.size(); folded = true; break; }
    if (folded) continue;
    const char c = s[i++];
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c + 32);
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
    else if (c == '-') out += '-';
  }
  return out;
}

}  // namespace

// (i mod F, (i / F + 17 * (i mod F)) mod L) is one-to-one for i < F * L;
// past that a number keeps the emails apart.
Person person(std::size_t i) {
  const auto& f = first_names();
  const auto& l = last_names();
  const std::size_t a = i % f.size();
  const std::size_t b = (i / f.size() + 17 * a) % l.size();
  Person p{f[a], l[b], {}};
  const std::size_t round = i / (f.size() * l.size());
  p.email = ascii_lower(p.first) + "." + ascii_lower(p.last) + (round ? std::to_string(round + 1) : "") +
            "@sample-company.com";
  return p;
}

void seed_people(Out& out, Rng&) {
  out.emit(User{kAdmin, some<std::string>("Sam"), some<std::string>("Admin")});
  for (std::size_t i = 0; i < kShowcasePeople; ++i) {
    Person p = person(i);
    out.emit(User{p.email, some(p.first), some(p.last)});
  }
  // A service account without a name (absent vs null both occur in real data).
  out.emit(User{"etl-bot@sample-company.com", std::nullopt, null<std::string>()});
}

void seed_settings_and_channels(Out& out, Rng& rng) {
  Settings s;
  s.site_name = some<std::string>("Sample Company Analytics");
  s.site_url = some<std::string>("https://metabase.sample-company.com");
  s.site_locale = some<std::string>("en");
  s.report_timezone = some<std::string>("America/New_York");
  s.start_of_week = some(Weekday::monday);
  s.humanization_strategy = some(HumanizationStrategy::simple);
  s.native_query_autocomplete_match_style = some(AutocompleteMatchStyle::substring);
  s.enable_nested_queries = some(true);
  s.enable_xrays = some(true);
  s.enable_public_sharing = some(true);
  s.enable_query_caching = some(true);
  s.persisted_models_enabled = some(false);
  s.search_typeahead_enabled = some(true);
  s.show_homepage_data = some(false);
  s.show_homepage_xrays = some(false);
  s.show_homepage_pin_message = some(false);
  s.custom_formatting = some(obj({{"type/Currency", obj({{"currency", "USD"}, {"currency_style", "symbol"}})},
                                  {"type/Temporal", obj({{"date_style", "MMMM D, YYYY"}, {"time_style", "h:mm A"}})}}));
  s.application_name = some<std::string>("Sample Company Analytics");
  s.application_colors = some(obj({{"brand", "#509EE3"}, {"accent1", "#88BF4D"}, {"accent2", "#A989C5"}}));
  s.application_font = some<std::string>("Lato");
  s.loading_message = some(LoadingMessage::running_query);
  s.landing_page = some<std::string>("/collection/root");
  s.help_link = some(HelpLink::metabase);
  s.breakout_bin_width = some(10.0);
  s.breakout_bins_num = some<std::int64_t>(8);
  s.subscription_allowed_domains = some<std::string>("sample-company.com");
  s.enable_embedding_static = some(true);
  s.enable_embedding_sdk = some(false);
  s.enable_embedding_interactive = some(false);
  s.embedding_secret_key = some(Secret<std::string>("5f2c9a4e1b7d3086c4e2a9f1b3d5c7e9a0b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9"));
  s.email_smtp_host = some<std::string>("smtp.sample-company.com");
  s.email_smtp_port = some<std::int64_t>(587);
  s.email_smtp_security = some(SmtpSecurity::starttls);
  s.email_smtp_username = some<std::string>("metabase-mailer");
  s.email_smtp_password = some(Secret<std::string>("Sm7p-Rel4y-P4ss"));
  s.email_from_address = some<std::string>("metabase@sample-company.com");
  s.email_from_name = some<std::string>("Sample Company Analytics");
  s.ldap_host = null<std::string>();
  s.ldap_port = null<std::int64_t>();
  s.ldap_password = null<Secret<std::string>>();
  s.jwt_shared_secret = some(Secret<std::string>("jwt-7b1e5c3a9d2f4e6b8a0c1d3e5f7a9b2c"));
  s.google_auth_client_id = some<std::string>("123456789012-abc123def456.apps.googleusercontent.com");
  out.emit(std::move(s));

  Channel mail;
  mail.name = "Company mail server";
  mail.description = some<std::string>("Alerts and subscriptions by email.");
  mail.type = ChannelType::channel__email;
  ChannelDetails md;
  md.host = "smtp.sample-company.com";
  md.port = 465;
  md.security = SmtpChannelSecurity::ssl;
  md.username = "alerts";
  md.password = Secret<std::string>("4lerts-Ma1l!");
  md.from_address = "alerts@sample-company.com";
  md.from_name = "Metabase alerts";
  md.reply_to = "data-team@sample-company.com";
  mail.details = md;
  mail.active = true;
  mail.created_at = rng.when();
  out.emit(std::move(mail));

  Channel hook;
  hook.name = "Ops webhook";
  hook.description = some<std::string>("Posts alerts to the on-call tool.");
  hook.type = ChannelType::channel__http;
  ChannelDetails hd;
  hd.url = "https://hooks.sample-company.com/metabase/alerts";
  hd.auth_method = HttpAuthMethod::header;
  hd.auth_info = std::map<std::string, Secret<std::string>>{{"Authorization", Secret<std::string>("Bearer 9f8e7d6c5b4a")}};
  hd.fe_form_type = HttpFormType::bearer;
  hd.method = HttpMethod::post;
  hook.details = hd;
  hook.active = true;
  hook.created_at = rng.when();
  out.emit(std::move(hook));

  struct Term { const char* term; const char* definition; };
  static const Term terms[] = {
      {"ARR", "Annual recurring revenue: the yearly value of all active subscriptions (ACCOUNTS with an active "
              "subscription, priced by PLAN and SEATS)."},
      {"Churn", "An account that canceled in the period (ACCOUNTS.CANCELED_AT set), over the accounts active at its start."},
      {"Large order", "An order whose TOTAL is above 100 USD (the \"Large orders\" segment)."},
  };
  for (const auto& t : terms) {
    Glossary g;
    g.term = t.term;
    g.definition = t.definition;
    g.entity_id = rng.id();
    g.creator_id = some(user(kAdmin));
    g.created_at = rng.when();
    g.updated_at = g.created_at;
    out.emit(std::move(g));
  }
}

}  // namespace bi::seeding
