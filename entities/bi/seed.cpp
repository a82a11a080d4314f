// bi::seed: the phases of the sample in order, dependencies first. Every
// phase draws from its own fixed-seed random stream (seed_util.hpp), so the
// same size gives byte-identical documents, and a bigger size gives the same
// documents plus more teams.
#include "entities/bi/seed.hpp"

#include "entities/bi/seed_showcase.hpp"

namespace bi {
namespace seeding {

Showcase seed_showcase(Out& out) {
  Lib L;
  seed_library(out, L);
  seed_cards(out, L);
  seed_boards(out, L);
  seed_transforms(out, L);
  Showcase s;
  s.orders_model = L.id("orders_model");
  s.products_model = L.id("products_model");
  s.people_model = L.id("people_model");
  s.revenue_metric = L.id("revenue_metric");
  s.large_orders_segment = L.id("seg_large_orders");
  s.organic_segment = L.id("seg_organic");
  s.revenue_measure = L.id("ms_revenue");
  s.snippet_last_30_days = L.id("snip_last_30_days");
  s.snippet_paying_accounts = L.id("snip_paying");
  s.sales_dashboard = L.id("dash_sales");
  s.etl_collection = L.id("etl");
  s.daily_tag = L.id("tag_daily");
  s.timelines = {L.id("tl_launches"), L.id("tl_incidents")};
  for (std::size_t i = 0; i < kShowcasePeople; ++i) s.creators.push_back(person(i).email);
  return s;
}

}  // namespace seeding

metaport::Status seed(std::size_t size, const SeedSink& emit) {
  using namespace seeding;
  Out out(emit);
  {
    Rng rng(1);
    seed_people(out, rng);
  }
  {
    Rng rng(2);
    seed_settings_and_channels(out, rng);
  }
  {
    Rng rng(3);
    seed_data_model(out, rng);
  }
  const Showcase showcase = seed_showcase(out);
  for (std::size_t team = 0; out.ok() && out.count() < size; ++team) seed_team(out, team, showcase);
  return out.status();
}

}  // namespace bi
