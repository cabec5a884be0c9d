# shellcheck shell=bash
# One timed run: warm up, then a bounded wrk run against one router while
# its memory and CPU are sampled. Sourced by run.sh; appends to $OUT/runs.jsonl.

wrk_run() {
  local seconds=$1 url=$2 bodies=$3
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "${seconds}s" --timeout 10s \
    -s "$BENCH_DIR/lib/post.lua" "$url" -- "$bodies"
}

# measure ROUND CASE ROUTER
measure() {
  local round=$1 name=$2 router=$3
  local url bodies pid_var pid subgraphs_var
  url=$(router_url "$router")
  bodies="$BODIES/$name.jsonl"
  pid_var="PID_$router"
  pid=${!pid_var}
  # The process serving the case's subgraphs, and the router whose answers
  # the others were checked against: the case's first (cases.sh).
  subgraphs_var="PID_$(subgraphs_process "$(case_supergraph "$name")")"
  local -a routers
  mapfile -t routers < <(case_routers "$name")

  wrk_run "$WARMUP" "$url" "$bodies" >/dev/null

  local tag="$OUT/samples/$round.$name.$router"
  mkdir -p "$OUT/samples"
  rm -f "$tag.rss" "$tag.rss.stop"
  sample_peak_rss "$pid" "$tag.rss" &
  SAMPLER=$!
  local tck router_cpu0 subgraphs_cpu0
  tck=$(getconf CLK_TCK)
  router_cpu0=$(cpu_ticks "$pid")
  subgraphs_cpu0=$(cpu_ticks "${!subgraphs_var}")

  wrk_run "$DURATION" "$url" "$bodies" >"$tag.wrk"

  local router_cpu1 subgraphs_cpu1
  router_cpu1=$(cpu_ticks "$pid")
  subgraphs_cpu1=$(cpu_ticks "${!subgraphs_var}")
  touch "$tag.rss.stop"
  wait "$SAMPLER"
  SAMPLER=""

  # The first body once more after the load: the answer must still be the
  # one checked before timing.
  local after_ok=false
  if post_json "$url" "$(head -n1 "$bodies")" "$tag.after.json" >/dev/null &&
    [[ $(jq -c . "$tag.after.json" 2>/dev/null) == "$(cat "$OUT/verify/$name/1.${routers[0]}.json.c")" ]]; then
    after_ok=true
  fi

  local result
  result=$(grep '^{' "$tag.wrk" | tail -n1)
  [[ -n $result ]] || die "wrk printed no result for $name on $router (see $tag.wrk)"
  jq -c --argjson round "$round" --arg case "$name" --arg router "$router" \
    --argjson rss "$(cat "$tag.rss")" --argjson tck "$tck" \
    --argjson rc "$((router_cpu1 - router_cpu0))" --argjson pc "$((subgraphs_cpu1 - subgraphs_cpu0))" \
    --argjson after_ok "$after_ok" \
    '. + {round: $round, case: $case, router: $router, peak_rss_kb: $rss,
          router_cpu_s: ($rc / $tck), subgraphs_cpu_s: ($pc / $tck), after_ok: $after_ok}' \
    <<<"$result" >>"$OUT/runs.jsonl"
  jq -r '"  \(.case) on \(.router) (round \(.round)): \(.requests * 1e6 / .duration_us | floor) req/s, p50 \(.p50_us / 1000) ms, p99 \(.p99_us / 1000) ms, peak RSS \(.peak_rss_kb / 1024 | floor) MiB"' \
    <<<"$(tail -n1 "$OUT/runs.jsonl")"
}
