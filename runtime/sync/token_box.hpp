// The git token, encrypted for keeping in the store (libsodium's
// XChaCha20-Poly1305). The key never lives in the store: it comes from
// METAPORT_GIT_TOKEN_KEY (a long random string, as Metabase's
// MB_ENCRYPTION_SECRET_KEY) or from a key file made on first use,
// METAPORT_GIT_TOKEN_KEY_FILE or $XDG_CONFIG_HOME/metaport/git-token.key
// (~/.config/metaport/git-token.key), readable by its owner only. The
// repository URL is authenticated along with the token, so a sealed token
// copied to another repository's settings does not open. (Not the key of a
// dump's sealed secrets, METAPORT_SECRETS_KEY / --secrets-key: another key
// for another purpose, kept apart on purpose.)
#pragma once
#include <string>

#include "metaport/result.hpp"

namespace metaport::sync {

// "v1:<base64 nonce>:<base64 ciphertext>".
Result<std::string> seal_token(const std::string& token, const std::string& repo_url);
Result<std::string> open_token(const std::string& sealed, const std::string& repo_url);

}  // namespace metaport::sync
