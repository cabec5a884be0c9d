#!/usr/bin/env bash
# The router load benchmark, in one command:
#
#   benches/run.sh
#
# It builds ShopGraph (release), installs Hive Router 0.0.43 into
# /opt/hive-router when it is missing (cargo install, about 11 minutes on 2
# cores) and wrk/jq/curl with apt-get when they are missing, starts the
# platform (subgraphs on 4001-4004 with the demo data, in a fresh data
# directory) for the storefront cases and benches/gateway's subgraphs
# (4301-4304) for the gateway case, our router and Hive Router side by side
# on the same supergraph and subgraphs, checks that both give the same JSON
# for every request of every case, then loads each router in turn with each
# case and writes benches/RESULTS.md. Everything it started is stopped when
# it exits.
#
# Settings (environment): BENCH_CASES (the cases to run, "listing search
# home gateway"; only the subgraphs and routers those need are started),
# BENCH_DURATION (s per timed run, 20),
# BENCH_WARMUP (s, 5), BENCH_CONNECTIONS (50), BENCH_THREADS (2),
# BENCH_ROUNDS (2; each round runs every case on every router, alternating
# which router goes first), BENCH_SKIP_BUILD=1, BENCH_OURS_PORT (4200),
# BENCH_HIVE_PORT (4100), BENCH_HIVE_INBOUND_PORT (4101; 0 leaves out the
# extra Hive-with-inbound-dedupe row), BENCH_GATEWAY_ROUTER_PORT (4310: the
# gateway case's routers on 4310-4313: ours, Hive, then both with subgraph
# de-duplication off), HIVE_ROUTER_BIN, BENCH_RESULTS (the
# file written, benches/RESULTS.md), BENCH_COMMIT (the commit to record when
# the tree is not a git checkout), CARGO_TARGET_DIR.
#
# `benches/run.sh --report benches/out/<run>` writes RESULTS.md again from a
# finished run's directory without running anything.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"

DURATION=${BENCH_DURATION:-20}
WARMUP=${BENCH_WARMUP:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
THREADS=${BENCH_THREADS:-2}
ROUNDS=${BENCH_ROUNDS:-2}
OURS_PORT=${BENCH_OURS_PORT:-4200}
HIVE_PORT=${BENCH_HIVE_PORT:-4100}
HIVE_INBOUND_PORT=${BENCH_HIVE_INBOUND_PORT:-4101}
GATEWAY_ROUTER_PORT=${BENCH_GATEWAY_ROUTER_PORT:-4310}
HIVE_VERSION=0.0.43
HIVE_ROOT=/opt/hive-router
HIVE_BIN=${HIVE_ROUTER_BIN:-$HIVE_ROOT/bin/hive_router}
RESULTS=${BENCH_RESULTS:-$BENCH_DIR/RESULTS.md}
OUT=$BENCH_DIR/out/$(date -u +%Y%m%dT%H%M%SZ)
BODIES=$OUT/bodies
read -ra CASES <<<"${BENCH_CASES:-listing search home gateway}"

note() { printf '[bench] %s\n' "$*" >&2; }
warn() { printf '[bench] WARNING: %s\n' "$*" >&2; }
die() {
  printf '[bench] error: %s\n' "$*" >&2
  exit 1
}

# shellcheck source=lib/cases.sh
source "$BENCH_DIR/lib/cases.sh"
# shellcheck source=lib/procs.sh
source "$BENCH_DIR/lib/procs.sh"
# shellcheck source=lib/bodies.sh
source "$BENCH_DIR/lib/bodies.sh"
# shellcheck source=lib/verify.sh
source "$BENCH_DIR/lib/verify.sh"
# shellcheck source=lib/measure.sh
source "$BENCH_DIR/lib/measure.sh"
# shellcheck source=lib/report.sh
source "$BENCH_DIR/lib/report.sh"

# The routers the selected cases need (cases.sh).
mapfile -t ROUTERS < <(selected_routers)

install_tools() {
  local missing=() tool
  for tool in wrk jq curl; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  if ((${#missing[@]} > 0)); then
    command -v apt-get >/dev/null || die "install ${missing[*]} (no apt-get here)"
    note "installing ${missing[*]} with apt-get"
    apt-get install -y "${missing[@]}" >/dev/null ||
      { apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; } ||
      die "apt-get could not install ${missing[*]}"
  fi
  if [[ ! -x $HIVE_BIN ]]; then
    note "Hive Router $HIVE_VERSION is not installed: installing it into $HIVE_ROOT (cargo install, about 11 minutes on 2 cores)"
    CARGO_TARGET_DIR=${HIVE_TARGET_DIR:-/tmp/hive-target} nice -n 19 \
      cargo install hive-router --version "$HIVE_VERSION" --locked --root "$HIVE_ROOT" ||
      die "installing Hive Router failed"
  fi
}

# Fails unless every case asked for has a query and request bodies.
check_cases() {
  local name
  for name in "${CASES[@]}"; do
    if [[ ! -f $BENCH_DIR/cases/$name.graphql ]] || ! declare -F "bodies_$name" >/dev/null; then
      die "unknown case \"$name\" in BENCH_CASES (the cases are benches/cases/*.graphql)"
    fi
  done
}

build_ours() {
  local bins=(--bin shopgraph)
  if uses_supergraph gateway; then bins+=(--bin gateway-subgraphs); fi
  if [[ ${BENCH_SKIP_BUILD:-0} == 1 ]]; then
    note "BENCH_SKIP_BUILD=1: using the existing release build"
  else
    note "building ShopGraph (cargo build --release ${bins[*]}, niced)"
    nice -n 19 cargo build --release "${bins[@]}"
  fi
  local release=${CARGO_TARGET_DIR:-$ROOT/target}/release
  SHOPGRAPH=$release/shopgraph
  GATEWAY_SUBGRAPHS=$release/gateway-subgraphs
  [[ -x $SHOPGRAPH ]] || die "$SHOPGRAPH is missing"
}

# The supergraphs the routers serve, composed by our composition into the
# run's own directory as <supergraph>.supergraph.graphql: the storefront's
# from router-config/supergraph.yaml (routing URLs 127.0.0.1:4001-4004), so
# the checked-in schema/supergraph.graphql is left alone, and the gateway
# case's from config/gateway.supergraph.yaml (127.0.0.1:4301-4304).
compose_supergraphs() {
  local supergraph log
  for supergraph in $(selected_supergraphs); do
    log=$OUT/logs/compose.$supergraph.log
    "$SHOPGRAPH" compose --config "$(supergraph_config "$supergraph")" \
      --output "$OUT/$supergraph.supergraph.graphql" >"$log" 2>&1 ||
      die "shopgraph compose failed (see $log)"
  done
}

# Every port this run listens on must be free before anything starts.
require_free_ports() {
  local supergraph port router
  for supergraph in $(selected_supergraphs); do
    case $supergraph in
      storefront) for port in 4000 4001 4002 4003 4004; do require_free_port "$port"; done ;;
      gateway) for port in "${GATEWAY_PORTS[@]}"; do require_free_port "$port"; done ;;
    esac
  done
  for router in "${ROUTERS[@]}"; do
    require_free_port "${ROUTER_PORT[$router]}"
  done
}

start_subgraphs() {
  local supergraph
  for supergraph in $(selected_supergraphs); do
    "start_$(subgraphs_process "$supergraph")"
  done
}

start_platform() {
  start platform "$OUT/logs/platform.log" \
    env SHOPGRAPH_DATA_DIR="$OUT/data" RUST_LOG=warn "$SHOPGRAPH"
  local port
  for port in 4001 4002 4003 4004; do
    # shellcheck disable=SC2154 # PID_platform is set by start (procs.sh).
    wait_until 180 "$PID_platform" "subgraph on port $port" graphql_ready "http://127.0.0.1:$port/graphql"
  done
  # The search index is filled from catalog after start; wait until search
  # finds the demo products.
  wait_until 180 "$PID_platform" "search index" search_has_products
  note "platform ready"
}

# The gateway case's four subgraphs (benches/gateway) in one process, on the
# ports config/gateway.supergraph.yaml routes to.
start_gateway() {
  [[ -x $GATEWAY_SUBGRAPHS ]] || die "$GATEWAY_SUBGRAPHS is missing"
  start gateway "$OUT/logs/gateway.log" \
    env RUST_LOG=warn "$GATEWAY_SUBGRAPHS" --base-port "${GATEWAY_PORTS[0]}" --remember-answers
  local port
  for port in "${GATEWAY_PORTS[@]}"; do
    # shellcheck disable=SC2154 # PID_gateway is set by start (procs.sh).
    wait_until 60 "$PID_gateway" "gateway subgraph on port $port" graphql_ready "http://127.0.0.1:$port/graphql"
  done
  note "gateway subgraphs ready"
}

# The search index is filled from catalog after start: ready once it finds
# products and the count has stopped moving.
search_has_products() {
  local n m
  n=$(search_total) && sleep 1 && m=$(search_total) && [[ $n =~ ^[0-9]+$ ]] && ((n > 0 && n == m))
}

search_total() {
  subgraph_query http://127.0.0.1:4004/graphql '{ searchProducts(first: 1) { totalCount } }' |
    jq -er '.data.searchProducts.totalCount'
}

# Each router of the run, a process of its own (so each one's memory can be
# read), on its supergraph with its config (cases.sh).
start_routers() {
  local router supergraph
  for router in "${ROUTERS[@]}"; do
    supergraph=$OUT/${ROUTER_SUPERGRAPH[$router]}.supergraph.graphql
    case ${ROUTER_KIND[$router]} in
      ours)
        start "$router" "$OUT/logs/$router.log" \
          env LISTEN_ADDR="127.0.0.1:${ROUTER_PORT[$router]}" RUST_LOG=warn \
          "$SHOPGRAPH" router --supergraph "$supergraph" --config "${ROUTER_CONFIG[$router]}"
        ;;
      hive)
        start "$router" "$OUT/logs/$router.log" \
          env ROUTER_CONFIG_FILE_PATH="${ROUTER_CONFIG[$router]}" \
          SUPERGRAPH_FILE_PATH="$supergraph" PORT="${ROUTER_PORT[$router]}" "$HIVE_BIN"
        ;;
    esac
  done
  local pid_var
  for router in "${ROUTERS[@]}"; do
    pid_var="PID_$router"
    wait_until 60 "${!pid_var}" "router $router" graphql_ready "$(router_url "$router")"
  done
}

machine_lines() {
  local model mem_kb
  model=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  mem_kb=$(grep -m1 '^MemTotal' /proc/meminfo | awk '{print $2}')
  echo "- Machine: $(nproc) CPUs (nproc), CPU model \"$model\" (/proc/cpuinfo), $((mem_kb / 1024)) MiB memory (MemTotal), Linux $(uname -r)"
  echo "- Load average when the run started: $(cat "$OUT/load_start"); when the timed runs ended: $(cat "$OUT/load_end")"
}

write_results() {
  local summary commit dirty=""
  summary=$(summary_json)
  echo "$summary" >"$OUT/summary.json"
  if commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null); then
    git -C "$ROOT" diff --quiet HEAD -- . ':!benches' || dirty=" (with uncommitted changes in the work tree)"
  else
    # BENCH_COMMIT: the commit a tree exported without .git was taken from.
    commit=${BENCH_COMMIT:-unknown}
  fi
  # The other benchmarks' sections (checkout.rs, allocator.sh), from the
  # first of their markers on, are their own runs': kept as they are.
  local other_sections
  other_sections=$(sed -n '/^<!-- [a-z]* benchmark: begin -->$/,$p' "$RESULTS" 2>/dev/null || true)
  {
    echo "# Router benchmark results"
    echo
    echo "Written by \`benches/run.sh\` (see benches/README.md); every number below comes from the one run described here."
    echo
    echo "- Date: $(cat "$OUT/started_at") (UTC)"
    machine_lines
    echo "- ShopGraph commit $commit$dirty; Hive Router: $(cargo install --list --root "$HIVE_ROOT" 2>/dev/null | grep -m1 "^hive-router" | tr -d :) ($HIVE_BIN); wrk $(wrk --version 2>&1 | head -n1 | awk '{print $2}')"
    echo "- Load: wrk, $THREADS threads, $CONNECTIONS connections, ${WARMUP}s warm-up then ${DURATION}s timed per case and router, $ROUNDS rounds (alternating which router goes first), all on 127.0.0.1; the load generator, both routers and the subgraphs share the machine's CPUs"
    subgraphs_lines
    echo "- Features on in both routers: in-flight de-duplication of identical subgraph requests (ours: \`deduplicate_queries\`; Hive: \`traffic_shaping.all.dedupe_enabled\`), limits on depth (20), aliases (64) and tokens (15000), 2 MB bodies, \`@authenticated\`/\`@requiresScopes\` enforcement from the supergraph, plan caching, CSRF protection, logs at warn. Off in both: CORS, playground, rate limits (Hive has none), JWT (anonymous requests; ours only verifies a token when one is sent). Hive's inbound de-duplication of identical client requests (\`traffic_shaping.router.dedupe\`) has no counterpart in our router, so it is off in the like-for-like rows and only shown in a separate row"
    if uses_supergraph gateway; then
      echo "- The gateway case also runs a second pair with subgraph de-duplication off in both (\`config/router-no-dedupe.yaml\`, \`config/hive-no-dedupe.router.config.yaml\`; otherwise the same configs), in rows of its own"
    fi
    echo
    echo "## Ours against Hive Router, like for like"
    echo
    ratio_table "$summary"
    echo
    echo "## All measurements"
    echo
    echo "req/s over all rounds; latency percentiles averaged over rounds; peak RSS: the highest VmRSS sampled every 100 ms during the timed runs of that case; CPU: the process's user+system time during the timed runs divided by requests (subgraphs: the process serving the case's subgraphs, the platform or \`gateway-subgraphs\`). Peak RSS over each router's whole life (VmHWM): $(hwm_line)."
    echo
    results_table "$summary"
    echo
    echo "### Throughput per round"
    echo
    rounds_table "$summary"
    echo
    echo "## Same answers before timing"
    echo
    echo "Every request body of every case was sent to each router serving the case (of ${ROUTERS[*]}) before the timed runs; the answers were compared as JSON with key order kept."
    echo
    verify_table
    echo
    echo "## Cases"
    echo
    local name
    for name in "${CASES[@]}"; do
      echo "- **$name** ($(wc -l <"$BODIES/$name.jsonl") distinct request bodies, sent round robin): $(grep '^#' "$BENCH_DIR/cases/$name.graphql" | sed 's/^# *//' | tr '\n' ' ')"
    done
    if [ -n "$other_sections" ]; then
      echo
      echo "$other_sections"
    fi
  } >"$RESULTS"
  note "wrote $RESULTS"
}

# The subgraphs behind the cases of the run.
subgraphs_lines() {
  local supergraph
  for supergraph in $(selected_supergraphs); do
    case $supergraph in
      storefront) echo "- Subgraphs of the storefront cases: the all-in-one \`shopgraph\` process on embedded backends (SQLite, in-process cache and broker, tantivy) with the demo data, serving both routers" ;;
      gateway) echo "- Subgraphs of the gateway case: \`gateway-subgraphs\` (benches/gateway), the four subgraphs of the gateway vendors' federation benchmark in one process with in-memory data, serving every router of the case; each distinct request body is executed once and its answer remembered (\`--remember-answers\`, benches/README.md), so that the subgraphs' CPU is not what the case measures" ;;
    esac
  done
}

# What the report needs from the live processes, kept in $OUT so that
# `run.sh --report DIR` can write RESULTS.md again from a finished run.
record_end_of_run() {
  cut -d' ' -f1-3 /proc/loadavg >"$OUT/load_end"
  jq -n "{ $(for r in "${ROUTERS[@]}"; do
    local v="PID_$r"
    printf '"%s": %s,' "$r" "$(proc_status_kb "${!v}" VmHWM)"
  done | sed 's/,$//') }" >"$OUT/hwm.json"
}

main() {
  if [[ ${1:-} == --report ]]; then
    OUT=$(cd "${2:?usage: run.sh --report benches/out/<run>}" && pwd)
    BODIES=$OUT/bodies
    mapfile -t ROUTERS < <(jq -r 'keys_unsorted[]' "$OUT/hwm.json")
    mapfile -t CASES < <(jq -r .case "$OUT/verify.jsonl")
    write_results
    cat "$RESULTS"
    return
  fi
  mkdir -p "$OUT/logs"
  date -u '+%Y-%m-%d %H:%M' >"$OUT/started_at"
  cut -d' ' -f1-3 /proc/loadavg >"$OUT/load_start"
  trap stop_all EXIT
  trap 'exit 130' INT TERM

  check_cases
  install_tools
  build_ours
  compose_supergraphs
  require_free_ports
  start_subgraphs
  start_routers
  write_bodies

  note "checking that ${ROUTERS[*]} answer every request the same"
  local name
  for name in "${CASES[@]}"; do
    verify_case "$name"
  done

  # Each like-for-like pair (ours, Hive) in turn, alternating per round which
  # goes first; the extras (not like for like) after them.
  local round pair ours hive extra
  local -a pairs
  for ((round = 1; round <= ROUNDS; round++)); do
    for name in "${CASES[@]}"; do
      mapfile -t pairs < <(case_pairs "$name")
      for pair in "${pairs[@]}"; do
        read -r ours hive <<<"$pair"
        if ((round % 2 == 1)); then
          measure "$round" "$name" "$ours"
          measure "$round" "$name" "$hive"
        else
          measure "$round" "$name" "$hive"
          measure "$round" "$name" "$ours"
        fi
      done
      for extra in $(case_extras "$name"); do
        measure "$round" "$name" "$extra"
      done
    done
  done

  record_end_of_run
  write_results
  echo
  cat "$RESULTS"
}

main "$@"
