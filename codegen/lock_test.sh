#!/usr/bin/env bash
# The committed schema.lock must be in step with the entity structs: the
# generator checked it (NAME.lockcheck.txt) — a struct change without a
# version bump, a changed kind without an upgrade step, a stale lock.
set -u
committed="$1" generated="$2" check="$3" schema="$4"
if [[ "$(head -n1 "$check")" == OK* ]] && cmp -s "$committed" "$generated"; then
  echo "schema.lock of $schema is in step with the structs"
  exit 0
fi
echo "FAIL: $committed is not in step with the $schema entity structs"
echo
sed 's/^/  /' "$check"
if ! cmp -s "$committed" "$generated"; then
  echo
  echo "  The lock the structs give now differs from the committed one (- committed, + now):"
  diff -u "$committed" "$generated" | sed -n '3,$p' | grep -E '^[-+]' | grep -vE '^[-+](fingerprint|#)' | sed 's/^/    /'
fi
exit 1
