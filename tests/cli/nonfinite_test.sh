#!/usr/bin/env bash
# NaN and infinity in float members, as real processes on every store engine
# (docs/yaml.md, "JSON"). JSON has no such numbers: a jsonl dump
# of a store holding one is refused (exit 1, the entity and the field path
# named, no file left), and a YAML dump or a tree writes it as .inf. A nested
# member (a JSON column) cannot hold them either: the load is refused with the
# member and the path inside it, and the store keeps what it held.
set -uo pipefail
bin="$TEST_SRCDIR/metaport/entities/bi/metaport_bi"
work="$TEST_TMPDIR/nonfinite" && rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
# shellcheck source=tests/support/stores.sh
source "$TEST_SRCDIR/metaport/tests/support/stores.sh"
failures=0
ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
has() { grep -qF -- "$2" "$1" && ok "$3" || { fail "$3: no '$2' in:"; head -5 "$1"; }; }

# The sample's settings, with a top-level float at infinity, and with a
# nested list holding -infinity and NaN (custom-formatting is a document).
"$bin" init sqlite://sample.db >/dev/null 2>&1 && "$bin" seed sqlite://sample.db --size 100 >/dev/null 2>&1 &&
  "$bin" dump sqlite://sample.db settings.yaml --only Settings >/dev/null 2>&1 || { echo "FAIL: sample"; exit 1; }
grep -q '^  breakout-bin-width: 10.0$' settings.yaml && grep -q '^      currency_style: symbol$' settings.yaml ||
  { echo "FAIL: the sample's settings changed shape"; exit 1; }
sed 's/^  breakout-bin-width: 10.0$/  breakout-bin-width: .inf/' settings.yaml >inf.yaml
sed 's/^      currency_style: symbol$/      currency_style: symbol\n      scale:\n      - 1.5\n      - -.inf/' settings.yaml >nested_inf.yaml
sed 's/^      currency_style: symbol$/      currency_style: symbol\n      scale:\n        factor: .nan/' settings.yaml >nested_nan.yaml

for engine in "${METAPORT_ENGINES[@]}"; do
  url="$(fresh_store "$engine" nonfinite)" || { fail "$engine: no store"; continue; }
  [[ "$engine" == sqlite ]] && rm -f "${url#sqlite://}"*
  "$bin" init "$url" >/dev/null 2>&1 || { fail "$engine: init"; continue; }
  # Nested: refused, the member and the path inside it named, nothing loaded.
  for f in nested_inf nested_nan; do
    "$bin" load "$url" "$f.yaml" >load.out 2>&1
    rc=$?
    [[ $rc == 1 ]] && ok "$engine: $f: load exits 1" || fail "$engine: $f: load exit $rc"
    [[ $f == nested_inf ]] && has load.out "-infinity at type/Currency.scale[1] cannot be stored" "$engine: $f: the path is named"
    [[ $f == nested_nan ]] && has load.out "NaN at type/Currency.scale.factor cannot be stored" "$engine: $f: the path is named"
    has load.out "custom-formatting" "$engine: $f: the member is named"
    "$bin" dump "$url" now.jsonl >/dev/null 2>&1
    [[ "$(grep -c '"kind":"Settings"' now.jsonl)" == 0 ]] && ok "$engine: $f: nothing loaded" || fail "$engine: $f: settings were loaded"
  done
  # Top level: MySQL/MariaDB cannot store infinity in a DOUBLE (refused at load).
  "$bin" load "$url" inf.yaml >load.out 2>&1
  rc=$?
  if [[ "$engine" == mysql ]]; then
    [[ $rc == 1 ]] && ok "$engine: infinity refused at load" || fail "$engine: load of infinity exit $rc"
    has load.out "cannot store it in a DOUBLE" "$engine: the load says why"
    continue
  fi
  [[ $rc == 0 ]] && ok "$engine: infinity loads" || { fail "$engine: load exit $rc"; cat load.out; continue; }
  rm -f out.jsonl
  "$bin" dump "$url" out.jsonl >dump.out 2>&1
  rc=$?
  [[ $rc == 1 ]] && ok "$engine: jsonl dump exits 1" || fail "$engine: jsonl dump exit $rc"
  has dump.out "Settings settings: breakout-bin-width: holds infinity, which JSON cannot spell" "$engine: the entity and the field are named"
  left="$(ls -A | grep '^out\.jsonl')"
  [[ -z "$left" ]] && ok "$engine: no jsonl file nor temporary left" || fail "$engine: left behind: $left"
  # YAML and trees carry it, and read it back.
  "$bin" dump "$url" back.yaml --only Settings >/dev/null 2>&1
  has back.yaml "  breakout-bin-width: .inf" "$engine: YAML writes .inf"
  "$bin" dump "$url" tree >/dev/null 2>&1
  has tree/settings.yaml "breakout-bin-width: .inf" "$engine: the tree writes .inf"
  again="$(fresh_store "$engine" nonfinite2)"
  [[ "$engine" == sqlite ]] && rm -f "${again#sqlite://}"*
  "$bin" init "$again" >/dev/null 2>&1 && "$bin" load "$again" tree >/dev/null 2>&1 &&
    "$bin" dump "$again" again.yaml --only Settings >/dev/null 2>&1
  cmp -s back.yaml again.yaml && ok "$engine: the tree loads back the same" || fail "$engine: the tree did not load back the same"
  rm -rf tree back.yaml again.yaml
done

((failures == 0)) && echo "all non-finite checks passed" || echo "$failures failed"
((failures == 0))
