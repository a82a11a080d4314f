// The spool's record format: compact, little-endian, private to one process
// (never a dump format). Each record is preceded by its length (load_read.cpp).
#include "runtime/engine/loader.hpp"

#include <cstring>

#include "metaport/format/json.hpp"

namespace metaport::engine::load_detail {
namespace {

enum : std::uint8_t { kPlaceholder = 1, kSameFile = 2, kFailed = 4 };

void put_u32(std::string& out, std::uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);
  out.append(b, 4);
}
void put_str(std::string& out, std::string_view s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}
void put_key(std::string& out, const Key& k) {
  put_u32(out, static_cast<std::uint32_t>(k.parts.size()));
  for (const auto& p : k.parts) {
    out += p ? '\1' : '\0';
    if (p) put_str(out, *p);
  }
}

struct In {
  std::string_view s;
  std::size_t pos = 0;
  bool ok = true;
  std::uint32_t u32() {
    if (pos + 4 > s.size()) { ok = false; return 0; }
    std::uint32_t v;
    std::memcpy(&v, s.data() + pos, 4);
    pos += 4;
    return v;
  }
  std::uint8_t u8() {
    if (pos >= s.size()) { ok = false; return 0; }
    return static_cast<std::uint8_t>(s[pos++]);
  }
  std::string str() {
    const std::uint32_t n = u32();
    if (!ok || pos + n > s.size()) { ok = false; return {}; }
    std::string out(s.substr(pos, n));
    pos += n;
    return out;
  }
  Key key() {
    Key k;
    const std::uint32_t n = u32();
    for (std::uint32_t i = 0; ok && i < n; ++i) {
      if (u8()) k.parts.emplace_back(str());
      else k.parts.emplace_back(std::nullopt);
    }
    return k;
  }
};

}  // namespace

std::string path_json(const FieldPath& path) {
  Value::Array a;
  for (const auto& seg : path) {
    if (auto* k = std::get_if<std::string>(&seg)) a.emplace_back(*k);
    else a.emplace_back(static_cast<long long>(std::get<std::size_t>(seg)));
  }
  return json::write(Value(std::move(a)));
}

FieldPath path_from_json(std::string_view text) {
  FieldPath out;
  auto v = json::parse(text);
  if (!v || !v->is_array()) return out;
  for (const auto& seg : v->as_array()) {
    if (seg.is_string()) out.emplace_back(seg.as_string());
    else if (seg.is_int()) out.emplace_back(static_cast<std::size_t>(seg.as_int()));
  }
  return out;
}

void write_spool_record(std::string& out, const SpoolRecord& r, bool same_file) {
  out += static_cast<char>((r.placeholder ? kPlaceholder : 0) | (same_file ? kSameFile : 0) | (r.failed ? kFailed : 0));
  put_u32(out, r.kind);
  put_key(out, r.key);
  if (!same_file) put_str(out, r.origin.file);
  put_u32(out, r.origin.mark.line);
  put_u32(out, r.origin.mark.col);
  put_str(out, r.origin.where);
  put_u32(out, static_cast<std::uint32_t>(r.refs.size()));
  for (const auto& ref : r.refs) {
    put_u32(out, ref.kind);
    put_key(out, ref.key);
    out += static_cast<char>(ref.flags);
    put_u32(out, static_cast<std::uint32_t>(ref.path.size()));
    for (const auto& seg : ref.path) {
      if (auto* k = std::get_if<std::string>(&seg)) {
        out += '\0';
        put_str(out, *k);
      } else {
        out += '\1';
        put_u32(out, static_cast<std::uint32_t>(std::get<std::size_t>(seg)));
      }
    }
  }
  put_u32(out, static_cast<std::uint32_t>(r.unknown_secrets.size()));
  for (const auto& s : r.unknown_secrets) put_str(out, s);
  put_str(out, r.row);
}

bool read_spool_record(std::string_view bytes, const std::string& input_name, SpoolRecord& r) {
  In in{bytes};
  const std::uint8_t flags = in.u8();
  r.placeholder = flags & kPlaceholder;
  r.failed = flags & kFailed;
  r.kind = in.u32();
  r.key = in.key();
  r.origin.file = flags & kSameFile ? input_name : in.str();
  r.origin.mark.line = in.u32();
  r.origin.mark.col = in.u32();
  r.origin.where = in.str();
  const std::uint32_t nrefs = in.u32();
  r.refs.clear();
  for (std::uint32_t i = 0; in.ok && i < nrefs; ++i) {
    SpoolRecord::Ref ref;
    ref.kind = in.u32();
    ref.key = in.key();
    ref.flags = in.u8();
    const std::uint32_t nseg = in.u32();
    for (std::uint32_t k = 0; in.ok && k < nseg; ++k) {
      if (in.u8() == 0) ref.path.emplace_back(in.str());
      else ref.path.emplace_back(static_cast<std::size_t>(in.u32()));
    }
    r.refs.push_back(std::move(ref));
  }
  const std::uint32_t nsec = in.u32();
  r.unknown_secrets.clear();
  for (std::uint32_t i = 0; in.ok && i < nsec; ++i) r.unknown_secrets.push_back(in.str());
  r.row = in.str();
  return in.ok && in.pos == bytes.size();
}

}  // namespace metaport::engine::load_detail
