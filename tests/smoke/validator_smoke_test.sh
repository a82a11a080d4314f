#!/usr/bin/env bash
# The Metabase representations validator (tests/validator, installed by
# tests/run) must be reachable through METAPORT_VALIDATOR, accept a valid tree
# and reject an invalid one.
set -euo pipefail
: "${METAPORT_VALIDATOR:?METAPORT_VALIDATOR is not set: run the tests through tests/run}"
[[ -x "$METAPORT_VALIDATOR" ]] || { echo "METAPORT_VALIDATOR=$METAPORT_VALIDATOR is not executable" >&2; exit 1; }

dir="${TEST_TMPDIR:?}/validator_smoke"
rm -rf "$dir"
mkdir -p "$dir/good/collections/main/minimal" "$dir/bad/collections/main"
cat > "$dir/good/collections/main/minimal/minimal.yaml" <<'YAML'
name: Minimal
entity_id: cOlMiNiMaL000ExAmPlx2
serdes/meta:
- id: cOlMiNiMaL000ExAmPlx2
  label: minimal
  model: Collection
YAML
cat > "$dir/bad/collections/main/minimal.yaml" <<'YAML'
name: Minimal
entity_id: too-short
serdes/meta:
- id: too-short
  label: minimal
  model: Collection
YAML

if ! "$METAPORT_VALIDATOR" validate-schema --folder "$dir/good" >"$dir/good.out" 2>&1; then
  echo "validator rejected a valid tree:" >&2
  cat "$dir/good.out" >&2
  exit 1
fi
if "$METAPORT_VALIDATOR" validate-schema --folder "$dir/bad" >"$dir/bad.out" 2>&1; then
  echo "validator accepted an invalid tree:" >&2
  cat "$dir/bad.out" >&2
  exit 1
fi
grep -q 'entity_id' "$dir/bad.out" || { echo "unexpected validator output:" >&2; cat "$dir/bad.out" >&2; exit 1; }
echo "validator ok: $METAPORT_VALIDATOR"
