// Timestamps are written back as they were spelled, compared by instant, and
// keep their fraction digits when written in UTC.
#include "metaport/timestamp.hpp"

#include <gtest/gtest.h>

namespace metaport {
namespace {

Timestamp parsed(std::string_view s) {
  auto t = Timestamp::parse(s);
  EXPECT_TRUE(t.has_value()) << s;
  return t.value_or(Timestamp());
}

TEST(Timestamp, WrittenBackAsSpelled) {
  for (const char* s : {"2024-01-15T10:30:00Z", "2024-01-15T10:30:00.71366Z", "2024-01-15t10:30:00.5+02:00",
                        "2024-01-15 10:30:00.123456789Z", "2024-01-15T10:30:00,25-0130", "2024-01-15", "2024-01-15T10:30Z"})
    EXPECT_EQ(parsed(s).str(), s);
}

TEST(Timestamp, InUtcKeepsTheFractionDigitsItCameWith) {
  EXPECT_EQ(parsed("2024-01-15T10:30:00.71366Z").utc().str(), "2024-01-15T10:30:00.71366Z");
  EXPECT_EQ(parsed("2024-01-15T10:30:00.7Z").utc().str(), "2024-01-15T10:30:00.7Z");
  EXPECT_EQ(parsed("2024-01-15T10:30:00.70Z").utc().str(), "2024-01-15T10:30:00.70Z");
  EXPECT_EQ(parsed("2024-01-15T10:30:00.000Z").utc().str(), "2024-01-15T10:30:00.000Z");
  EXPECT_EQ(parsed("2024-01-15T12:30:00.250+02:00").utc().str(), "2024-01-15T10:30:00.250Z");
  EXPECT_EQ(parsed("2024-01-15T10:30:00Z").utc().str(), "2024-01-15T10:30:00Z");
  // Beyond the microsecond a Timestamp holds: the six digits it has.
  EXPECT_EQ(parsed("2024-01-15T10:30:00.123456789Z").utc().str(), "2024-01-15T10:30:00.123456Z");
}

TEST(Timestamp, MadeFromANumberIsWrittenInUtc) {
  EXPECT_EQ(Timestamp::from_micros(0).str(), "1970-01-01T00:00:00Z");
  EXPECT_EQ(Timestamp::from_micros(1500000).str(), "1970-01-01T00:00:01.500Z");
  EXPECT_EQ(Timestamp::from_micros(1000001).str(), "1970-01-01T00:00:01.000001Z");
  EXPECT_EQ(Timestamp::from_micros(-1).str(), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(Timestamp::from_micros(1500000, 6).str(), "1970-01-01T00:00:01.500000Z");
}

TEST(Timestamp, ComparedByInstant) {
  EXPECT_EQ(parsed("2024-01-15T12:30:00+02:00"), parsed("2024-01-15T10:30:00Z"));
  EXPECT_EQ(parsed("2024-01-15T10:30:00.5Z"), parsed("2024-01-15T10:30:00.500000Z"));
  EXPECT_LT(parsed("2024-01-15T10:30:00Z"), parsed("2024-01-15T10:30:00.000001Z"));
  EXPECT_EQ(parsed("2024-02-29").micros(), parsed("2024-02-29T00:00:00Z").micros());
}

TEST(Timestamp, RefusesWhatIsNotIso8601) {
  for (const char* s : {"", "2024", "2024-13-01", "2023-02-29", "2024-01-15T25:00:00Z", "2024-01-15T10:30:00.Z",
                        "2024-01-15T10:30:00Zjunk", "2024-01-15X10:30", "15/01/2024", "2024-01-15T10:30:00+2"})
    EXPECT_FALSE(Timestamp::parse(s).has_value()) << s;
}

}  // namespace
}  // namespace metaport
