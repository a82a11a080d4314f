// The in-process pipe copy streams a dump through (runtime/format/pipe.hpp):
// bytes arrive in order across threads through a buffer much smaller than
// what passes; a writer that gives up or goes away makes the reader fail
// (a short dump is never a clean end); a reader that goes away releases a
// writer waiting for room; a jsonl dump written into it reads back whole,
// and a dump cut short is refused by the stream reader.
#include "runtime/format/pipe.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "runtime/format/dump_format.hpp"

namespace metaport::io {
namespace {

std::string read_all(Input& in, Status& status) {
  std::string out;
  char buf[1000];
  for (;;) {
    auto n = in.read(buf, sizeof buf);
    if (!n) {
      status = n.errors();
      return out;
    }
    if (*n == 0) return out;
    out.append(buf, *n);
  }
}

std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 13) % 26);
  return s;
}

TEST(Pipe, BytesArriveInOrderThroughASmallBuffer) {
  auto p = make_pipe("test pipe", 4096);
  const std::string all = pattern(3'000'000);
  std::thread w([&, out = std::move(p.out)] {
    std::size_t at = 0, step = 1;
    while (at < all.size()) {  // writes of every size, some larger than the buffer
      const std::size_t n = std::min(step, all.size() - at);
      ASSERT_TRUE(out->write(std::string_view(all).substr(at, n)));
      at += n;
      step = step * 3 % 10007 + 1;
    }
    ASSERT_TRUE(out->close());
  });
  Status st = ok_status();
  const std::string got = read_all(*p.in, st);
  w.join();
  EXPECT_TRUE(st);
  EXPECT_EQ(got.size(), all.size());
  EXPECT_TRUE(got == all);
}

TEST(Pipe, AbortIsAnErrorAfterWhatWasWritten) {
  auto p = make_pipe("the dump of sqlite://a.db");
  ASSERT_TRUE(p.out->write("first bytes"));
  p.out->abort("the dump of sqlite://a.db failed");
  Status st = ok_status();
  EXPECT_EQ(read_all(*p.in, st), "first bytes");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.errors().list()[0].message, "the dump of sqlite://a.db: the dump of sqlite://a.db failed");
}

TEST(Pipe, AWriterGoneWithoutCloseIsAnError) {
  auto p = make_pipe("p");
  ASSERT_TRUE(p.out->write("x"));
  p.out.reset();
  Status st = ok_status();
  EXPECT_EQ(read_all(*p.in, st), "x");
  ASSERT_FALSE(st);
  EXPECT_NE(st.errors().list()[0].message.find("stopped before the end"), std::string::npos);
}

TEST(Pipe, AReaderGoneReleasesAWaitingWriter) {
  auto p = make_pipe("p", 4096);
  Status last = ok_status();
  std::thread w([&, out = std::move(p.out)] {
    const std::string chunk(1000, 'x');
    for (int i = 0; i < 1000 && last; ++i) last = out->write(chunk);  // far more than the buffer holds
  });
  char buf[100];
  ASSERT_TRUE(p.in->read(buf, sizeof buf));
  p.in.reset();
  w.join();  // would hang if the writer kept waiting for room
  ASSERT_FALSE(last);
  EXPECT_NE(last.errors().list()[0].message.find("the reading side stopped"), std::string::npos);
}

TEST(Pipe, AJsonlDumpReadsBackAndAShortOneIsRefused) {
  for (bool cut : {false, true}) {
    auto p = make_pipe("the dump");
    PipeOutput& out_end = *p.out;
    std::thread w([&, out = std::move(p.out)]() mutable {
      auto wr = format::make_stream_writer(format::Format::jsonl, std::move(out));
      format::DumpHeader h;
      h.schema = "s";
      h.version = 1;
      ASSERT_TRUE(wr->begin(h));
      KindInfo k;
      k.name = "Note";
      format::Counts counts;
      for (int i = 0; i < 5000; ++i) {
        ASSERT_TRUE(wr->write_json(k, "{\"name\":\"note " + std::to_string(i) + "\"}"));
        ++counts["Note"];
        if (cut && i == 2500) {
          out_end.abort("the store went away");
          return;
        }
      }
      ASSERT_TRUE(wr->finish(counts));
    });
    auto r = format::open_stream(std::move(p.in));
    ASSERT_TRUE(r);
    format::Record rec;
    Errors errors;
    std::size_t n = 0;
    while ((*r)->next(rec, errors)) ++n;
    Status end = (*r)->finish();
    w.join();
    if (!cut) {
      EXPECT_TRUE(errors.empty());
      EXPECT_TRUE(end);
      EXPECT_EQ(n, 5000u);
    } else {
      EXPECT_LE(n, 2501u);
      EXPECT_TRUE(!errors.empty() || !end);  // the reader knows the dump is short
    }
  }
}

}  // namespace
}  // namespace metaport::io
