#!/usr/bin/env bash
# The committed golden dumps of bi versions 1 and 2 are real outputs of those
# versions: the version 1 and version 2 binaries, loading the fixtures and
# dumping, write them again byte for byte (trees and JSON lines).
set -uo pipefail

root="$TEST_SRCDIR/metaport/tests/evolution"
v1="$root/metaport_bi_v1"
v2="$root/metaport_bi_v2"
work="$TEST_TMPDIR/goldens"
rm -rf "$work" && mkdir -p "$work" || exit 1

failures=0
ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }

if "$root/make_goldens.sh" "$v1" "$v2" "$root/fixtures" "$work" >"$work/make.txt" 2>&1; then
  ok "the version 1 and 2 binaries load their fixtures and dump them"
else
  fail "make_goldens.sh failed:"; sed 's/^/    /' "$work/make.txt"
fi

for v in 1 2; do
  if diff -r "$root/golden/v$v/tree" "$work/v$v/tree" >"$work/diff$v.txt"; then
    ok "golden/v$v/tree is what the version $v binary writes"
  else
    fail "golden/v$v/tree differs from what the version $v binary writes (regenerate with tests/evolution/make_goldens.sh):"
    sed 's/^/    /' "$work/diff$v.txt" | head -40
  fi
  if cmp "$root/golden/v$v/bi.jsonl" "$work/v$v/bi.jsonl"; then
    ok "golden/v$v/bi.jsonl is what the version $v binary writes"
  else
    fail "golden/v$v/bi.jsonl differs from what the version $v binary writes"
  fi
  # Each golden says which version it is.
  if grep -qx "version: $v" "$root/golden/v$v/tree/metaport.yaml" &&
     [[ "$(head -n1 "$root/golden/v$v/bi.jsonl")" == "{\"metaport\":\"dump\",\"format\":1,\"schema\":\"bi\",\"version\":$v,\"end\":\"counts\"}" ]]; then
    ok "golden/v$v says version $v"
  else
    fail "golden/v$v does not say version $v"
  fi
done

# The goldens hold what the brief of each version says: version 1 cards say
# `dataset`, dashboards `ordered_cards`; version 2 `type` and `dashcards`;
# both write legacy MBQL.
g1="$root/golden/v1/tree/collections/main/analytics/sales"
g2="$root/golden/v2/tree/collections/main/analytics/sales"
grep -qx "dataset: true" "$g1/order_details.yaml" && ! grep -q "^type:" "$g1/order_details.yaml" &&
  grep -q "^ordered_cards:" "$g1/sales_overview.yaml" && ok "version 1 shape" || fail "golden/v1 is not in the version 1 shape"
grep -qx "type: model" "$g2/order_details.yaml" && grep -q "^dashcards:" "$g2/sales_overview.yaml" &&
  ok "version 2 shape" || fail "golden/v2 is not in the version 2 shape"
for v in 1 2; do
  g="$root/golden/v$v/tree/collections/main/analytics/sales/revenue_by_category.yaml"
  grep -q "^  type: query" "$g" && ! grep -q "lib/type" "$g" && ok "legacy MBQL in golden/v$v" || fail "no legacy MBQL in $g"
done

echo "$failures failures"
((failures == 0))
