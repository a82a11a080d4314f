#!/usr/bin/env bash
# The committed schema.lock must match the lock generated from the structs.
# On a mismatch: say which kinds and members changed and what to do.
set -u
committed="$1" generated="$2" schema="$3"
if diff -q "$committed" "$generated" >/dev/null; then
  echo "schema.lock of $schema matches the structs"
  exit 0
fi
echo "FAIL: the $schema entity structs no longer match $committed"
echo
echo "What changed (- committed, + structs now):"
diff -u "$committed" "$generated" | sed -n '3,$p' | grep -E '^[-+]' | grep -vE '^[-+](fingerprint|#)' | sed 's/^/  /'
committed_version=$(sed -n 's/^version //p' "$committed")
generated_version=$(sed -n 's/^version //p' "$generated")
echo
if [ "$committed_version" = "$generated_version" ]; then
  echo "The schema version is still $generated_version. To ship this change:"
  echo "  1. bump the version in the schema struct ($schema: version = $((generated_version + 1)))"
  echo "  2. register an upgrade step from $generated_version for each changed kind (docs/changing-your-schema.md)"
  echo "  3. regenerate the lock: ./metaport $schema schema --lock > $committed"
else
  echo "The version moved from $committed_version to $generated_version. Regenerate the lock:"
  echo "  ./metaport $schema schema --lock > $committed"
fi
exit 1
