#!/usr/bin/env bash
# Instructions per request of our router and of Hive Router on the gateway
# case, counted by callgrind (stable on a shared, noisy machine, unlike
# time), with each one's top self-cost functions:
#
#   benches/profile.sh
#
# It uses the release builds run.sh makes (shopgraph, gateway-subgraphs in
# CARGO_TARGET_DIR or target/) and Hive Router 0.0.43 in /opt/hive-router.
# It starts the gateway subgraphs, then each router in turn under
# callgrind with subgraph de-duplication off, sends the gateway query
# PROFILE_WARMUP times (10), zeroes the counters, sends it PROFILE_REQUESTS
# times (30) one at a time, dumps them and prints instructions per request
# and the top entries. Output (dumps, answers, reports) goes to
# benches/out/profile-<time>/. Both answers must be the same JSON.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}/release
HIVE_BIN=${HIVE_ROUTER_BIN:-/opt/hive-router/bin/hive_router}
WARMUP=${PROFILE_WARMUP:-10}
REQUESTS=${PROFILE_REQUESTS:-30}
BASE_PORT=${PROFILE_BASE_PORT:-4611}
ROUTER_PORT=${PROFILE_ROUTER_PORT:-4650}
OUT=$BENCH_DIR/out/profile-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"

die() {
  printf '[profile] error: %s\n' "$*" >&2
  exit 1
}
for tool in valgrind callgrind_control callgrind_annotate jq curl; do
  command -v "$tool" >/dev/null || die "$tool is missing"
done
for bin in "$TARGET/shopgraph" "$TARGET/gateway-subgraphs" "$HIVE_BIN"; do
  [[ -x $bin ]] || die "$bin is missing (benches/run.sh builds and installs them)"
done

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# The gateway subgraphs on ports of their own, and their supergraph.
"$TARGET/gateway-subgraphs" --base-port "$BASE_PORT" >"$OUT/subgraphs.log" 2>&1 &
PIDS+=($!)
ports=()
for n in 1 2 3 4; do ports+=(-e "s#127\.0\.0\.1:430$n/#127.0.0.1:$((BASE_PORT + n - 1))/#"); done
sed "${ports[@]}" -e "s#file: \.\./#file: $BENCH_DIR/#" \
  "$BENCH_DIR/config/gateway.supergraph.yaml" >"$OUT/supergraph.yaml"
"$TARGET/shopgraph" compose --config "$OUT/supergraph.yaml" --output "$OUT/supergraph.graphql" \
  >"$OUT/compose.log" 2>&1 || die "composing failed (see $OUT/compose.log)"

BODY=$(jq -Rs '{query: .}' "$BENCH_DIR/cases/gateway.graphql")
ask() {
  curl -sf -H 'content-type: application/json' --data "$BODY" "http://127.0.0.1:$ROUTER_PORT/graphql"
}

# profile NAME COMMAND...: the router under callgrind, counted over
# REQUESTS requests after WARMUP.
profile() {
  local name=$1 vpid dump total
  shift
  valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$OUT/$name.%p" "$@" \
    >"$OUT/$name.log" 2>&1 &
  vpid=$!
  PIDS+=("$vpid")
  for _ in $(seq 1 120); do
    if ask >/dev/null 2>&1; then break; fi
    sleep 1
  done
  for _ in $(seq 1 "$WARMUP"); do ask >"$OUT/$name.answer.json"; done
  callgrind_control -z "$vpid" >/dev/null
  for _ in $(seq 1 "$REQUESTS"); do ask >/dev/null; done
  callgrind_control -d "$vpid" >/dev/null
  kill "$vpid"
  wait "$vpid" 2>/dev/null || true
  dump=$(ls "$OUT/$name".*.1)
  callgrind_annotate --threshold=100 "$dump" >"$OUT/$name.report" 2>/dev/null
  total=$(grep -m1 'PROGRAM TOTALS' "$OUT/$name.report" | awk '{print $1}' | tr -d ,)
  echo "$name: $((total / REQUESTS)) instructions per request ($total over $REQUESTS requests)"
  # Self cost: leave out the threads' and runtimes' frames, which only
  # contain the rest.
  sed -n '/file:function/,$p' "$OUT/$name.report" |
    grep -Ev 'file:function|^-|tokio::runtime|std::sys|clone\.S|start_thread|vtable\.shim|__rust_begin|block_on' |
    sed -E 's/ \[[^]]*\]$//; s/\?\?\?://; s#\./[^:]*:##' >"$OUT/$name.self"
  head -n 12 "$OUT/$name.self"
}

profile ours env LISTEN_ADDR="127.0.0.1:$ROUTER_PORT" RUST_LOG=warn \
  "$TARGET/shopgraph" router --supergraph "$OUT/supergraph.graphql" \
  --config "$BENCH_DIR/config/router-no-dedupe.yaml"
profile hive env ROUTER_CONFIG_FILE_PATH="$BENCH_DIR/config/hive-no-dedupe.router.config.yaml" \
  SUPERGRAPH_FILE_PATH="$OUT/supergraph.graphql" PORT="$ROUTER_PORT" "$HIVE_BIN"

cmp -s <(jq -c . "$OUT/ours.answer.json") <(jq -c . "$OUT/hive.answer.json") ||
  die "the routers answered differently (see $OUT/*.answer.json)"
echo "same answer from both ($(wc -c <"$OUT/ours.answer.json") bytes); dumps in $OUT"
