// The load's spool record: what the decoding workers write is exactly what
// the apply phase reads back (every SqlValue kind, null key parts, references
// and redacted columns), and a damaged record is an error, not a crash.
#include "runtime/engine/spooled_row.hpp"

#include <gtest/gtest.h>

#include "metaport/schema.hpp"
#include "runtime/store/table_desc.hpp"
#include "tests/engine/library_schema.hpp"

namespace {
using metaport::Key;
using metaport::engine::append_spooled_row;
using metaport::engine::read_spooled_row;
using metaport::engine::SpooledRow;
using metaport::store::EntityRow;
using metaport::store::SqlValue;
using metaport::store::TableDesc;

const TableDesc& book_table() {
  static const auto schema = metaport::make_schema_info<lib::Schema>();
  static const auto tables = *metaport::store::tables_for(schema);
  for (const auto& t : tables)
    if (t.kind_name == "Book") return t;
  throw std::runtime_error("no Book table");
}

std::size_t column(const TableDesc& t, const std::string& member) {
  std::size_t i = t.member_column(member);
  if (i >= t.columns.size()) throw std::runtime_error("no column for member " + member);
  return i;
}

EntityRow sample(const TableDesc& t) {
  EntityRow r;
  r.row.resize(t.columns.size());
  r.row[TableDesc::kKey] = SqlValue(std::string("Bk1aaaaaaaaaaaaaaaaaa"));
  r.row[TableDesc::kAbsent] = SqlValue(std::int64_t{5});
  r.row[TableDesc::kRedacted] = SqlValue(std::int64_t{-1});
  r.row[column(t, "title")] = SqlValue(std::string("Ünïcode \"quoted\"\nand a NUL: \0 end", 33));
  r.row[column(t, "notes")] = SqlValue(std::string("{\"see\":[]}"));
  r.row[column(t, "chapter_count")] = SqlValue(1.5);  // a double in any column survives
  r.pending.push_back({column(t, "author"), "Author", Key(std::string("ann@example.com"))});
  r.pending.push_back({column(t, "series_id"), "Series", Key{std::nullopt, std::string(""), std::string("x")}});
  r.redacted.push_back(column(t, "license_key"));
  return r;
}

TEST(SpooledRow, ReadsBackWhatWasWritten) {
  const TableDesc& t = book_table();
  EntityRow in = sample(t);
  std::string bytes;
  append_spooled_row(bytes, in);
  SpooledRow out;
  ASSERT_TRUE(read_spooled_row(bytes, t, out));
  EXPECT_EQ(out.row, in.row);
  ASSERT_EQ(out.refs.size(), 2u);
  EXPECT_EQ(out.refs[0].column, in.pending[0].column);
  EXPECT_EQ(out.refs[0].kind, t.columns[in.pending[0].column].ref_kind);
  EXPECT_EQ(out.refs[0].key, in.pending[0].key);
  EXPECT_EQ(out.refs[1].key, in.pending[1].key);
  EXPECT_FALSE(out.refs[1].key.parts[0].has_value());
  EXPECT_EQ(out.redacted, in.redacted);

  // The reader reuses a row: a second, different record replaces every column.
  EntityRow other;
  other.row.resize(t.columns.size());
  other.row[TableDesc::kKey] = SqlValue(std::string("k2"));
  std::string bytes2;
  append_spooled_row(bytes2, other);
  ASSERT_TRUE(read_spooled_row(bytes2, t, out));
  EXPECT_EQ(out.row, other.row);
  EXPECT_TRUE(out.refs.empty());
  EXPECT_TRUE(out.redacted.empty());
}

TEST(SpooledRow, DamagedRecordsAreErrors) {
  const TableDesc& t = book_table();
  std::string bytes;
  append_spooled_row(bytes, sample(t));
  for (std::size_t cut : {std::size_t{0}, std::size_t{3}, bytes.size() / 2, bytes.size() - 1}) {
    SpooledRow out;
    auto s = read_spooled_row(std::string_view(bytes).substr(0, cut), t, out);
    ASSERT_FALSE(s) << "cut at " << cut;
    EXPECT_NE(s.errors().list().front().message.find("spool file is damaged"), std::string::npos);
  }
  SpooledRow out;
  EXPECT_FALSE(read_spooled_row(bytes + "x", t, out));  // trailing bytes
  std::string wrong_table = bytes;
  wrong_table[0] = static_cast<char>(wrong_table[0] + 1);  // column count of another table
  EXPECT_FALSE(read_spooled_row(wrong_table, t, out));
}

}  // namespace
