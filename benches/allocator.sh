#!/usr/bin/env bash
# The shopgraph binary's allocator, mimalloc (the default feature) against
# glibc's malloc (--no-default-features), in one run:
#
#   benches/allocator.sh
#
# It builds both binaries (release), starts the platform once (subgraphs on
# 4001-4004 with the demo data, in a temporary data directory) and both
# binaries' routers side by side on the same supergraph (ports 4301 glibc,
# 4302 mimalloc), then per round loads each router in turn with the home
# case of the router benchmark (rounds alternate which goes first) and
# writes its section of benches/RESULTS.md: router CPU per request, req/s
# and peak RSS of each. Needs wrk, jq and curl (benches/run.sh installs
# them). Settings: BENCH_ROUNDS (3), BENCH_DURATION (15 s), BENCH_WARMUP
# (5 s), BENCH_CONNECTIONS (50), CARGO_TARGET_DIR.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
RESULTS="$BENCH_DIR/RESULTS.md"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in wrk jq curl; do
  command -v "$tool" >/dev/null || { echo "allocator.sh needs $tool (benches/run.sh installs it)" >&2; exit 1; }
done

echo "building both binaries…" >&2
cargo build --release --bin shopgraph --no-default-features >&2
cp "$TARGET/release/shopgraph" "$WORK/shopgraph-glibc"
cargo build --release --bin shopgraph >&2
cp "$TARGET/release/shopgraph" "$WORK/shopgraph-mimalloc"

"$WORK/shopgraph-mimalloc" compose --output "$WORK/supergraph.graphql" >&2
SHOPGRAPH_DATA_DIR="$WORK/data" RUST_LOG=warn "$WORK/shopgraph-mimalloc" >"$WORK/platform.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 180); do
  curl -sf -o /dev/null http://127.0.0.1:4002/health && curl -sf -o /dev/null http://127.0.0.1:4003/health && break
  sleep 1
done

# The home page body of the router benchmark.
# shellcheck source=lib/bodies.sh
source "$BENCH_DIR/lib/bodies.sh"
echo '{}' | body_lines home HomePage >"$WORK/home.jsonl"

start_router() { # name port
  LISTEN_ADDR="127.0.0.1:$2" RUST_LOG=warn "$WORK/shopgraph-$1" router \
    --supergraph "$WORK/supergraph.graphql" --config "$BENCH_DIR/config/router.yaml" >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
  eval "PID_$1=$!"
  for _ in $(seq 1 60); do
    curl -sf -o /dev/null -H 'content-type: application/json' \
      -d @"$WORK/home.jsonl" "http://127.0.0.1:$2/graphql" && return
    sleep 1
  done
  echo "the $1 router did not answer" >&2
  exit 1
}
start_router glibc 4301
start_router mimalloc 4302
answer() { curl -s -H 'content-type: application/json' -d @"$WORK/home.jsonl" "http://127.0.0.1:$1/graphql"; }
[[ "$(answer 4301)" == "$(answer 4302)" ]] || { echo "the two routers answer differently" >&2; exit 1; }
jq -e '.data.products.nodes | length > 0' <<<"$(answer 4302)" >/dev/null ||
  { echo "no products in the home page answer" >&2; exit 1; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
load() { # name port pid
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$BENCH_DIR/lib/post.lua" "http://127.0.0.1:$2/graphql" -- "$WORK/home.jsonl" >/dev/null 2>&1
  local before after line
  before=$(cpu_ticks "$3")
  line=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$BENCH_DIR/lib/post.lua" "http://127.0.0.1:$2/graphql" -- "$WORK/home.jsonl" 2>/dev/null | grep '^{')
  after=$(cpu_ticks "$3")
  jq -c --arg name "$1" --argjson ticks "$((after - before))" --argjson hz "$(getconf CLK_TCK)" \
    '{name: $name, requests, duration_us, cpu_s: ($ticks / $hz)}' <<<"$line" >>"$WORK/runs.jsonl"
  echo "$1: $(tail -n1 "$WORK/runs.jsonl")" >&2
}
for round in $(seq 1 "$ROUNDS"); do
  if ((round % 2)); then order=(glibc mimalloc); else order=(mimalloc glibc); fi
  for name in "${order[@]}"; do
    port=4301; [[ $name == mimalloc ]] && port=4302
    pid_var="PID_$name"
    load "$name" "$port" "${!pid_var}"
  done
done

summary=$(jq -s 'group_by(.name) | map({name: .[0].name,
  rps: ((map(.requests) | add) * 1e6 / (map(.duration_us) | add)),
  cpu_ms: ((map(.cpu_s) | add) * 1000 / (map(.requests) | add))}) | INDEX(.name)' "$WORK/runs.jsonl")
rss() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
commit() {
  local head
  head=$(git rev-parse --short HEAD 2>/dev/null) || { echo unknown; return; }
  if [[ -n $(git status --porcelain 2>/dev/null) ]]; then echo "$head (with uncommitted changes)"; else echo "$head"; fi
}
section=$(
  echo "<!-- allocator benchmark: begin -->"
  echo "## The shopgraph binary's allocator"
  echo
  echo "Written by \`benches/allocator.sh\`."
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M') (UTC); machine: $(nproc) CPUs, $(awk -F: '/model name/ {gsub(/^ +/, "", $2); print $2; exit}' /proc/cpuinfo); ShopGraph commit $(commit)"
  echo "- The router alone on the home case of the router benchmark, same supergraph and subgraphs, wrk ${CONNECTIONS} connections, ${WARMUP}s warm-up then ${DURATION}s timed, $ROUNDS rounds alternating which goes first; both answer the same JSON"
  echo
  echo "| allocator | req/s | router CPU ms/req | peak RSS MiB |"
  echo "| --- | ---: | ---: | ---: |"
  for name in glibc mimalloc; do
    pid_var="PID_$name"
    jq -r --arg n "$name" --argjson rss "$(rss "${!pid_var}")" \
      '.[$n] | "| \($n) | \(.rps | floor) | \(.cpu_ms * 1000 | round / 1000) | \($rss / 1024 | . * 10 | round / 10) |"' <<<"$summary"
  done
  echo
  jq -r '"mimalloc / glibc: req/s \(.mimalloc.rps / .glibc.rps * 100 | round / 100), CPU per request \(.mimalloc.cpu_ms / .glibc.cpu_ms * 100 | round / 100)."' <<<"$summary"
  echo "<!-- allocator benchmark: end -->"
)
# Replace this benchmark's section, keep everything else.
awk '/^<!-- allocator benchmark: begin -->$/ {skip = 1} !skip {print} /^<!-- allocator benchmark: end -->$/ {skip = 0}' \
  "$RESULTS" >"$WORK/results.md"
printf '%s\n\n%s\n' "$(sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$WORK/results.md")" "$section" >"$RESULTS"
echo "$section"
