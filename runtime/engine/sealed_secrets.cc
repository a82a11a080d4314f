#include "runtime/engine/sealed_secrets.hpp"

#include <sodium.h>

#include <cstdlib>
#include <vector>

#include "metaport/format/json.hpp"
#include "metaport/secret.hpp"
#include "metaport/secret_walk.hpp"
#include "runtime/format/io.hpp"

namespace metaport::engine {

namespace {

constexpr char kContext[crypto_kdf_CONTEXTBYTES + 1] = "metaport";  // 8 bytes, libsodium's KDF context
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr int kB64 = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

std::string associated(std::string_view kind, std::string_view path) {
  std::string ad(kind);
  ad += '\0';
  ad += path;
  return ad;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

Result<SecretsKey> SecretsKey::from_text(std::string_view text, const std::string& where) {
  if (sodium_init() < 0) return make_error("libsodium could not be initialised");
  const std::string t = trim(text);
  std::array<unsigned char, 32> master{};
  std::size_t n = 0;
  const char* end = nullptr;
  bool ok = false;
  if (t.size() == 64)
    ok = sodium_hex2bin(master.data(), master.size(), t.data(), t.size(), nullptr, &n, &end) == 0 && n == 32 &&
         end == t.data() + t.size();
  if (!ok)
    for (int variant : {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_URLSAFE,
                        sodium_base64_VARIANT_ORIGINAL_NO_PADDING, sodium_base64_VARIANT_URLSAFE_NO_PADDING}) {
      if (sodium_base642bin(master.data(), master.size(), t.data(), t.size(), nullptr, &n, &end, variant) == 0 &&
          n == 32 && end == t.data() + t.size()) {
        ok = true;
        break;
      }
    }
  if (!ok)
    return make_error(where + ": a secrets key is 32 bytes, written as 64 hex digits or in base64 (make one with: "
                      "openssl rand -base64 32 > KEYFILE)");
  SecretsKey k;
  crypto_kdf_derive_from_key(k.enc_.data(), k.enc_.size(), 1, kContext, master.data());
  crypto_kdf_derive_from_key(k.nonce_.data(), k.nonce_.size(), 2, kContext, master.data());
  std::array<unsigned char, 32> id_key{};
  crypto_kdf_derive_from_key(id_key.data(), id_key.size(), 3, kContext, master.data());
  unsigned char id[8];
  static constexpr unsigned char kIdMessage[] = "metaport secrets key id";
  crypto_generichash(id, sizeof id, kIdMessage, sizeof kIdMessage - 1, id_key.data(), id_key.size());
  char hex[2 * sizeof id + 1];
  sodium_bin2hex(hex, sizeof hex, id, sizeof id);
  k.id_ = hex;
  sodium_memzero(master.data(), master.size());
  sodium_memzero(id_key.data(), id_key.size());
  return k;
}

Result<SecretsKey> SecretsKey::ephemeral() {
  if (sodium_init() < 0) return make_error("libsodium could not be initialised");
  unsigned char master[32];
  randombytes_buf(master, sizeof master);
  char hex[2 * sizeof master + 1];
  sodium_bin2hex(hex, sizeof hex, master, sizeof master);
  auto k = from_text(hex, "a fresh key");
  sodium_memzero(master, sizeof master);
  sodium_memzero(hex, sizeof hex);
  return k;
}

Result<SecretsKey> SecretsKey::from_file(const std::string& path) {
  auto text = io::read_file(path);
  if (!text) return make_error("--secrets-key " + path + ": cannot read it");
  auto k = from_text(*text, "--secrets-key " + path);
  sodium_memzero(text->data(), text->size());
  return k;
}

Result<std::optional<SecretsKey>> SecretsKey::from_environment() {
  const char* v = std::getenv("METAPORT_SECRETS_KEY");
  if (!v || !*v) return std::optional<SecretsKey>();
  auto k = from_text(v, "METAPORT_SECRETS_KEY");
  if (!k) return k.errors();
  return std::optional<SecretsKey>(std::move(*k));
}

std::string SecretsKey::seal(std::string_view kind, std::string_view path, const Value& value) const {
  const std::string plain = json::write(value);
  const std::string ad = associated(kind, path);
  // The nonce: a keyed hash of the place and the value (deterministic sealing).
  std::string msg = ad;
  msg += '\0';
  msg += plain;
  std::vector<unsigned char> out(kNonce + plain.size() + kTag);
  crypto_generichash(out.data(), kNonce, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), nonce_.data(),
                     nonce_.size());
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kNonce, &clen, reinterpret_cast<const unsigned char*>(plain.data()),
                                             plain.size(), reinterpret_cast<const unsigned char*>(ad.data()), ad.size(),
                                             nullptr, out.data(), enc_.data());
  std::string b64(sodium_base64_ENCODED_LEN(out.size(), kB64), '\0');
  sodium_bin2base64(b64.data(), b64.size(), out.data(), out.size(), kB64);
  b64.resize(b64.size() - 1);  // the terminating NUL
  sodium_memzero(msg.data(), msg.size());
  return std::string(kSealedPrefix) + b64;
}

Result<Value> SecretsKey::open(std::string_view kind, std::string_view path, std::string_view sealed) const {
  if (sealed.rfind(kSealedPrefix, 0) != 0) return make_error("not a sealed secret");
  const std::string_view b64 = sealed.substr(kSealedPrefix.size());
  std::vector<unsigned char> bytes(b64.size());
  std::size_t n = 0;
  if (sodium_base642bin(bytes.data(), bytes.size(), b64.data(), b64.size(), nullptr, &n, nullptr, kB64) != 0 ||
      n < kNonce + kTag)
    return make_error("the sealed text is damaged (not the base64 metaport writes)");
  std::string plain(n - kNonce - kTag, '\0');
  unsigned long long plen = 0;
  const std::string ad = associated(kind, path);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()), &plen, nullptr,
                                                 bytes.data() + kNonce, n - kNonce,
                                                 reinterpret_cast<const unsigned char*>(ad.data()), ad.size(),
                                                 bytes.data(), enc_.data()) != 0)
    return make_error("cannot open this sealed secret with key " + id_ +
                      ": another key sealed it, or it was altered, or moved from another field");
  plain.resize(plen);
  auto v = json::parse(plain);
  sodium_memzero(plain.data(), plain.size());
  if (!v) return make_error("the sealed secret opened but holds no JSON value");
  return v;
}

void seal_secrets(const KindInfo& kind, Value& doc, const SecretsKey& key) {
  for_each_secret(kind, doc, [&](Value& v, const FieldPath& path) {
    if (v.is_null() || (v.is_string() && v.as_string() == kRedacted)) return;  // nothing to hide / unknown
    v = Value(key.seal(kind.name, path_to_string(path), v));
  });
}

void open_secrets(const KindInfo& kind, Value& doc, const SecretsKey* key, Errors& errors, std::size_t& sealed) {
  for_each_secret(kind, doc, [&](Value& v, const FieldPath& path) {
    if (!is_sealed(v)) return;
    ++sealed;
    if (!key) {
      const Mark m = v.mark;
      v = Value(kRedacted);  // unknown here: the target keeps its value
      v.mark = m;
      return;
    }
    const std::string where = path_to_string(path);
    auto opened = key->open(kind.name, where, v.as_string());
    if (!opened) {
      errors.add(where, v.mark, opened.errors().list().front().message);
      return;
    }
    const Mark m = v.mark;
    v = std::move(*opened);
    v.mark = m;
  });
}

}  // namespace metaport::engine
