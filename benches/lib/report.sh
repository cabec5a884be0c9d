# shellcheck shell=bash
# Turns $OUT/runs.jsonl, $OUT/verify.jsonl and $OUT/hwm.json into the
# markdown tables of RESULTS.md. Sourced by run.sh.

# Per case and router: throughput over all rounds, latency percentiles
# averaged over the rounds, the highest RSS sampled, CPU per request.
summary_json() {
  jq -s '
    group_by([.case, .router]) | map({
      case: .[0].case, router: .[0].router, rounds: length,
      rps: ((map(.requests) | add) * 1e6 / (map(.duration_us) | add)),
      round_rps: map(.requests * 1e6 / .duration_us),
      p50_ms: ((map(.p50_us) | add) / length / 1000),
      p95_ms: ((map(.p95_us) | add) / length / 1000),
      p99_ms: ((map(.p99_us) | add) / length / 1000),
      peak_rss_mib: ((map(.peak_rss_kb) | max) / 1024),
      router_cpu_ms_per_req: ((map(.router_cpu_s) | add) * 1000 / (map(.requests) | add)),
      subgraphs_cpu_ms_per_req: ((map(.subgraphs_cpu_s) | add) * 1000 / (map(.requests) | add)),
      failed: (map(.errors_status + .errors_connect + .errors_read + .errors_write + .errors_timeout) | add),
      after_ok: (map(.after_ok) | all)
    })' "$OUT/runs.jsonl"
}

# The router's name in the tables: which router, and what differs from the
# like-for-like settings.
router_label() {
  local label
  case ${ROUTER_KIND[$1]} in
    ours) label="ShopGraph router" ;;
    hive) label="Hive Router 0.0.43" ;;
  esac
  case $1 in
    *_inbound) label+=", inbound dedupe on" ;;
    *_nodedupe) label+=", subgraph dedupe off" ;;
  esac
  echo "$label"
}

results_table() {
  local summary=$1
  echo "| case | router | req/s | p50 ms | p95 ms | p99 ms | peak RSS MiB | router CPU ms/req | subgraphs CPU ms/req | failed requests | same answer after load |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  local name router
  for name in "${CASES[@]}"; do
    for router in $(case_routers "$name"); do
      jq -r --arg c "$name" --arg r "$router" --arg rlabel "$(router_label "$router")" '
        .[] | select(.case == $c and .router == $r)
        | "| \($c) | \($rlabel) | \(.rps | floor) | \(.p50_ms * 100 | round / 100) | \(.p95_ms * 100 | round / 100) | \(.p99_ms * 100 | round / 100) | \(.peak_rss_mib * 10 | round / 10) | \(.router_cpu_ms_per_req * 1000 | round / 1000) | \(.subgraphs_cpu_ms_per_req * 1000 | round / 1000) | \(.failed) | \(if .after_ok then "yes" else "NO" end) |"' \
        <<<"$summary"
    done
  done
}

# Ours divided by Hive's, per case: above 1 is better for req/s, worse for
# latency and memory.
ratio_table() {
  local summary=$1
  echo "| case | req/s ours/Hive | p50 ours/Hive | p95 ours/Hive | p99 ours/Hive | peak RSS ours/Hive |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  local name pair ours hive
  local -a pairs
  for name in "${CASES[@]}"; do
    mapfile -t pairs < <(case_pairs "$name")
    for pair in "${pairs[@]}"; do
      read -r ours hive <<<"$pair"
      jq -r --arg c "$name" --arg row "$name$(pair_note "$ours")" --arg ours "$ours" --arg hive "$hive" '
        def r(x): (x * 100 | round / 100);
        (map(select(.case == $c and .router == $ours))[0]) as $o
        | (map(select(.case == $c and .router == $hive))[0]) as $h
        | "| \($row) | \(r($o.rps / $h.rps)) | \(r($o.p50_ms / $h.p50_ms)) | \(r($o.p95_ms / $h.p95_ms)) | \(r($o.p99_ms / $h.p99_ms)) | \(r($o.peak_rss_mib / $h.peak_rss_mib)) |"' \
        <<<"$summary"
    done
  done
  jq -r '
    def r(x): (x * 100 | round / 100);
    (map(select(.router == "hive_inbound"))[0]) as $i
    | if $i == null then empty else
        (map(select(.case == $i.case and .router == "ours"))[0]) as $o
        | "| \($i.case), against Hive with inbound dedupe (not like for like) | \(r($o.rps / $i.rps)) | \(r($o.p50_ms / $i.p50_ms)) | \(r($o.p95_ms / $i.p95_ms)) | \(r($o.p99_ms / $i.p99_ms)) | \(r($o.peak_rss_mib / $i.peak_rss_mib)) |"
      end' <<<"$summary"
}

rounds_table() {
  local summary=$1
  echo "| case | router | req/s per round |"
  echo "| --- | --- | --- |"
  jq -r '.[] | "| \(.case) | \(.router) | \(.round_rps | map(floor | tostring) | join(", ")) |"' <<<"$summary"
}

verify_table() {
  echo "| case | bodies | differing answers | of which key order only | responses with errors | not HTTP 200 | response size (first body) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  jq -r '"| \(.case) | \(.bodies) | \(.differing) | \(.key_order_only) | \(.responses_with_errors) | \(.non_200) | \(.response_bytes) B |"' "$OUT/verify.jsonl"
}

hwm_line() {
  jq -r 'to_entries | map("\(.key): \(.value / 1024 | . * 10 | round / 10) MiB") | join(", ")' "$OUT/hwm.json"
}
