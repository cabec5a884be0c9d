# shellcheck shell=bash
# Before anything is timed: every body of every case goes to each router
# serving the case and the answers must be the same JSON (same data, same key order) without
# GraphQL errors. Sourced by run.sh; writes $OUT/verify/ and $OUT/verify.jsonl.

post_json() {
  curl -sS -o "$3" -w '%{http_code}' -H 'Content-Type: application/json' \
    -H 'Accept: application/json' --data-binary "$2" "$1"
}

# verify_case CASE: compares every router serving the case against the
# first of them.
verify_case() {
  local name=$1
  local dir="$OUT/verify/$name"
  mkdir -p "$dir"
  local -a routers
  mapfile -t routers < <(case_routers "$name")
  local bodies=0 differing=0 with_errors=0 bad_status=0 key_order_only=0 first_diff=""
  local line i=0 router
  while IFS= read -r line; do
    i=$((i + 1))
    bodies=$((bodies + 1))
    local reference="" body_differs=0
    for router in "${routers[@]}"; do
      local file="$dir/$i.$router.json" status
      status=$(post_json "$(router_url "$router")" "$line" "$file") || status=000
      [[ $status == 200 ]] || bad_status=$((bad_status + 1))
      if ! jq -e 'has("errors") | not' "$file" >/dev/null 2>&1; then
        with_errors=$((with_errors + 1))
      fi
      jq -c . "$file" >"$file.c" 2>/dev/null || echo "not JSON (HTTP $status)" >"$file.c"
      if [[ -z $reference ]]; then
        reference=$file
      elif ! cmp -s "$reference.c" "$file.c"; then
        body_differs=1
        if [[ $(jq -cS . "$reference" 2>/dev/null) == "$(jq -cS . "$file" 2>/dev/null)" ]]; then
          key_order_only=$((key_order_only + 1))
        fi
        [[ -n $first_diff ]] || first_diff="$dir/$i.*.json"
      fi
    done
    differing=$((differing + body_differs))
  done <"$BODIES/$name.jsonl"
  jq -cn --arg case "$name" --argjson bodies "$bodies" --argjson differing "$differing" \
    --argjson key_order_only "$key_order_only" --argjson with_errors "$with_errors" \
    --argjson bad_status "$bad_status" --arg first_diff "$first_diff" \
    --argjson sample_bytes "$(wc -c <"$dir/1.${routers[0]}.json")" \
    '{case: $case, bodies: $bodies, differing: $differing, key_order_only: $key_order_only,
      responses_with_errors: $with_errors, non_200: $bad_status, first_diff: $first_diff,
      response_bytes: $sample_bytes}' >>"$OUT/verify.jsonl"
  if ((differing + with_errors + bad_status > 0)); then
    warn "case $name: $differing of $bodies bodies answered differently, $with_errors responses with errors, $bad_status not HTTP 200 (see $dir)"
  else
    note "case $name: $bodies bodies, identical JSON from ${routers[*]}, no errors"
  fi
}
