#include "runtime/engine/spooled_row.hpp"

#include <cstring>

namespace metaport::engine {
namespace {

enum Tag : char { kNull = 0, kInt = 1, kDouble = 2, kText = 3, kNullPart = 4, kPart = 5 };

template <class T>
void put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out.append(b, sizeof(T));
}
void put_text(std::string& out, std::string_view s) {
  put(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

// A bounds-checked cursor: a short or garbled record is an error, never a read
// past the end.
struct Cursor {
  std::string_view in;
  std::size_t at = 0;
  bool ok = true;
  template <class T>
  T get() {
    T v{};
    if (at + sizeof(T) > in.size()) { ok = false; return v; }
    std::memcpy(&v, in.data() + at, sizeof(T));
    at += sizeof(T);
    return v;
  }
  std::string_view text() {
    auto n = get<std::uint32_t>();
    if (!ok || at + n > in.size()) { ok = false; return {}; }
    std::string_view s = in.substr(at, n);
    at += n;
    return s;
  }
};

}  // namespace

void append_spooled_row(std::string& out, const store::EntityRow& r) {
  put(out, static_cast<std::uint32_t>(r.row.size()));
  for (const auto& v : r.row) {
    if (v.is_int()) { out += kInt; put(out, v.as_int()); }
    else if (v.is_double()) { out += kDouble; put(out, v.as_double()); }
    else if (v.is_text()) { out += kText; put_text(out, v.as_text()); }
    else out += kNull;
  }
  put(out, static_cast<std::uint32_t>(r.pending.size()));
  for (const auto& p : r.pending) {
    put(out, static_cast<std::uint32_t>(p.column));
    put(out, static_cast<std::uint32_t>(p.key.parts.size()));
    for (const auto& part : p.key.parts) {
      if (!part) { out += kNullPart; continue; }
      out += kPart;
      put_text(out, *part);
    }
  }
  put(out, static_cast<std::uint32_t>(r.redacted.size()));
  for (auto c : r.redacted) put(out, static_cast<std::uint32_t>(c));
}

Status read_spooled_row(std::string_view in, const store::TableDesc& table, SpooledRow& out) {
  Cursor c{in};
  auto bad = [&] { return make_error("the load's spool file is damaged (a record of " + table.table + " does not read back)"); };
  const auto ncols = c.get<std::uint32_t>();
  if (!c.ok || ncols != table.columns.size()) return bad();
  out.row.resize(ncols);
  for (auto& v : out.row) {
    switch (c.get<char>()) {
      case kNull: v = store::SqlValue(); break;
      case kInt: v = store::SqlValue(c.get<std::int64_t>()); break;
      case kDouble: v = store::SqlValue(c.get<double>()); break;
      case kText: {
        auto s = c.text();
        // Reuse the string's buffer when the column already holds text.
        if (v.is_text()) v.as_text().assign(s);
        else v = store::SqlValue(std::string(s));
        break;
      }
      default: return bad();
    }
    if (!c.ok) return bad();
  }
  const auto nrefs = c.get<std::uint32_t>();
  if (!c.ok || nrefs > ncols) return bad();
  out.refs.resize(nrefs);
  for (auto& p : out.refs) {
    p.column = c.get<std::uint32_t>();
    if (!c.ok || p.column >= table.columns.size()) return bad();
    p.kind = table.columns[p.column].ref_kind;
    p.key.parts.resize(c.get<std::uint32_t>());
    for (auto& part : p.key.parts) {
      char t = c.get<char>();
      if (t == kNullPart) part.reset();
      else if (t == kPart) part = std::string(c.text());
      else return bad();
    }
    if (!c.ok) return bad();
  }
  const auto nredacted = c.get<std::uint32_t>();
  if (!c.ok || nredacted > ncols) return bad();
  out.redacted.resize(nredacted);
  for (auto& r : out.redacted) r = c.get<std::uint32_t>();
  if (!c.ok || c.at != in.size()) return bad();
  return ok_status();
}

}  // namespace metaport::engine
