// Sealed secrets: a dump can carry its secrets encrypted instead of redacted
// (`dump --secrets-key FILE`), so that a full backup can live in git or in
// object storage; `load --secrets-key FILE` restores them.
//
//   details:
//     password: sealed:v1:Jx3...   (instead of **redacted** or the value)
//
// Crypto (libsodium): XChaCha20-Poly1305 (AEAD) with a key derived from the
// operator's 32-byte key. The nonce is derived too (a keyed BLAKE2b of the
// place and the value), so the same secret at the same place seals to the
// same text: dumps stay byte-identical and git shows no phantom diffs, while
// nothing but equality is revealed. The associated data binds a sealed value
// to its kind and field path: moved to another field, it does not open.
// The header records the key's id (a hash of it, not the key): a load with
// another key is refused at once, naming both ids.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "metaport/kind_info.hpp"
#include "metaport/result.hpp"
#include "metaport/value.hpp"

namespace metaport::engine {

inline constexpr std::string_view kSealedPrefix = "sealed:v1:";

class SecretsKey {
 public:
  // The key file holds 32 bytes as 64 hex digits or as base64 (what
  // `openssl rand -base64 32` prints); surrounding whitespace is ignored.
  static Result<SecretsKey> from_text(std::string_view text, const std::string& where);
  static Result<SecretsKey> from_file(const std::string& path);
  // METAPORT_SECRETS_KEY (the key's text itself) when set.
  static Result<std::optional<SecretsKey>> from_environment();
  // A random key that lives as long as the process (copy seals the secrets
  // it moves with one: nothing in clear in its temporary files, and its
  // verification compares secrets without ever printing them).
  static Result<SecretsKey> ephemeral();

  // 16 hex digits naming the key (a keyed hash of it): safe to print.
  const std::string& id() const { return id_; }

  // The sealed text of `value` (any JSON value) at `kind`/`path`.
  std::string seal(std::string_view kind, std::string_view path, const Value& value) const;
  // The value back; an error when the text was sealed with another key, for
  // another place, or altered.
  Result<Value> open(std::string_view kind, std::string_view path, std::string_view sealed) const;

 private:
  std::array<unsigned char, 32> enc_{}, nonce_{};
  std::string id_;
};

inline bool is_sealed(const Value& v) {
  return v.is_string() && v.as_string().rfind(kSealedPrefix, 0) == 0;
}

// Every secret of a document of `kind` (as present() made it, secrets in
// clear) replaced by its sealed text.
void seal_secrets(const KindInfo& kind, Value& doc, const SecretsKey& key);

// Every sealed secret of a document of `kind` (as read from a dump) opened
// with `key`, or, without a key, replaced by the redaction marker (unknown:
// the target keeps its value, as for a redacted dump). Errors name the
// field path; `sealed` counts what was found.
void open_secrets(const KindInfo& kind, Value& doc, const SecretsKey* key, Errors& errors, std::size_t& sealed);

}  // namespace metaport::engine
