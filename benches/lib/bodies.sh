# shellcheck shell=bash
# Builds the request bodies of each case (one JSON body per line); the
# storefront cases' from the demo data, read straight from the subgraphs so
# that neither router is trusted to find it. Sourced by run.sh; needs curl
# and jq.

# The GraphQL text of a case without its comment lines.
case_query() {
  grep -v '^[[:space:]]*#' "$BENCH_DIR/cases/$1.graphql"
}

# POSTs a GraphQL query to a subgraph and prints the response.
subgraph_query() {
  local url=$1 query=$2
  jq -cn --arg q "$query" '{query: $q}' |
    curl -sS --fail -H 'Content-Type: application/json' --data-binary @- "$url"
}

# One body per line: {query, operationName, variables}.
body_lines() {
  local name=$1 operation=$2
  local query
  query=$(case_query "$name")
  jq -c --arg q "$query" --arg op "$operation" '{query: $q, operationName: $op, variables: .}'
}

# Writes $BODIES/<case>.jsonl for every case of the run (bodies_<case>).
write_bodies() {
  mkdir -p "$BODIES"
  local name
  for name in "${CASES[@]}"; do
    "bodies_$name" >"$BODIES/$name.jsonl"
    if [[ ! -s $BODIES/$name.jsonl ]]; then
      die "no request bodies for case $name (is the demo data seeded?)"
    fi
  done
}

CATALOG_URL=http://127.0.0.1:4002/graphql

# listing: the first 8 categories (top level, then their children) x 3 sorts.
bodies_listing() {
  subgraph_query "$CATALOG_URL" '{ categories { id children { id } } }' |
    jq -c '[.data.categories[] | .id, (.children[] | .id)] | .[:8][] as $c
           | ("NEWEST", "PRICE_ASC", "PRICE_DESC") as $s
           | {filter: {categoryId: $c}, sort: $s, first: 20}' |
    body_lines listing ProductListing
}

# search: 8 brands and the first word of 8 product names, 10 hits a page.
bodies_search() {
  subgraph_query "$CATALOG_URL" '{ products(first: 100) { nodes { brand name } } }' |
    jq -c '.data.products.nodes as $n
           | (([$n[].brand] | unique | .[:8]) + ([$n[].name | split(" ")[0]] | unique | .[:8]))
           | unique[] | {query: ., first: 10}' |
    body_lines search SearchPage
}

# home: one body, the same for every request.
bodies_home() {
  echo '{}' | body_lines home HomePage
}

# gateway: the benchmark's one query, the same for every request (as its
# k6 script sends it).
bodies_gateway() {
  echo '{}' | body_lines gateway TestQuery
}
