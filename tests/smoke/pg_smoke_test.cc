// Talks to the private PostgreSQL server started by tests/run.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <string>

namespace {

TEST(Postgres, SelectOne) {
  const char* url = std::getenv("METAPORT_PG_URL");
  ASSERT_NE(url, nullptr) << "METAPORT_PG_URL is not set: run the tests through tests/run, "
                             "or pass --test_env=METAPORT_PG_URL=postgresql:///...";
  ASSERT_STRNE(url, "");
  PGconn* conn = PQconnectdb(url);
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << "cannot connect to " << url << ": " << PQerrorMessage(conn);
  PGresult* res = PQexec(conn, "SELECT 1");
  ASSERT_EQ(PQresultStatus(res), PGRES_TUPLES_OK) << PQerrorMessage(conn);
  EXPECT_EQ(std::string(PQgetvalue(res, 0, 0)), "1");
  EXPECT_GE(PQserverVersion(conn), 150000);
  PQclear(res);
  PQfinish(conn);
}

}  // namespace
