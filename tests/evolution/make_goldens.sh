#!/usr/bin/env bash
# Writes the golden dumps of bi's past versions with those versions' own
# binaries: each fixture is loaded into a fresh SQLite store by the binary
# of its version, and the store is dumped as a tree and as JSON lines.
#
#   tests/evolution/make_goldens.sh METAPORT_BI_V1 METAPORT_BI_V2 FIXTURES_DIR OUT_DIR
#
# OUT_DIR/v1/{tree/,bi.jsonl} and OUT_DIR/v2/{tree/,bi.jsonl}. To refresh the
# committed goldens (only when a fixture changes; the past does not):
#   bazel build //tests/evolution:metaport_bi_v1 //tests/evolution:metaport_bi_v2
#   tests/evolution/make_goldens.sh bazel-bin/tests/evolution/metaport_bi_v{1,2} \
#     tests/evolution/fixtures tests/evolution/golden
# goldens_test runs the same script and checks the committed files are
# byte for byte what these binaries write.
set -euo pipefail
if [[ $# -ne 4 ]]; then
  echo "usage: $0 METAPORT_BI_V1 METAPORT_BI_V2 FIXTURES_DIR OUT_DIR" >&2
  exit 2
fi
bins=("$1" "$2")
fixtures="$3" out="$4"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for v in 1 2; do
  bin="${bins[$((v - 1))]}"
  store="sqlite://$work/v$v.db"
  "$bin" init "$store" >/dev/null 2>&1
  # The report goes to the log: a golden must load with no failure at all.
  if ! "$bin" load "$store" "$fixtures/bi_v$v.yaml" >"$work/load$v.txt" 2>&1; then
    echo "the version $v binary did not load $fixtures/bi_v$v.yaml:" >&2
    cat "$work/load$v.txt" >&2
    exit 1
  fi
  mkdir -p "$out/v$v"
  rm -rf "$out/v$v/tree"
  "$bin" dump "$store" "$out/v$v/tree" 2>/dev/null
  "$bin" dump "$store" "$out/v$v/bi.jsonl" 2>/dev/null
done
