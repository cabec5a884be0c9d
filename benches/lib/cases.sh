# shellcheck shell=bash
# What each case runs against: the subgraphs behind it (the platform's
# storefront or the gateway benchmark's), the routers in front of them and
# which of those compare like with like. Sourced by run.sh after the
# settings are read.

# The routers a run may start, by name: kind (ours or hive), the supergraph
# served (storefront or gateway), the config file under config/, the port.
# shellcheck disable=SC2034 # read by run.sh and report.sh
declare -A ROUTER_KIND ROUTER_SUPERGRAPH ROUTER_CONFIG ROUTER_PORT
define_router() {
  ROUTER_KIND[$1]=$2
  ROUTER_SUPERGRAPH[$1]=$3
  ROUTER_CONFIG[$1]=$BENCH_DIR/config/$4
  ROUTER_PORT[$1]=$5
}
define_router ours ours storefront router.yaml "$OURS_PORT"
define_router hive hive storefront hive.router.config.yaml "$HIVE_PORT"
define_router hive_inbound hive storefront hive-inbound-dedupe.router.config.yaml "$HIVE_INBOUND_PORT"
define_router gateway_ours ours gateway router.yaml "$GATEWAY_ROUTER_PORT"
define_router gateway_hive hive gateway hive.router.config.yaml "$((GATEWAY_ROUTER_PORT + 1))"
define_router gateway_ours_nodedupe ours gateway router-no-dedupe.yaml "$((GATEWAY_ROUTER_PORT + 2))"
define_router gateway_hive_nodedupe hive gateway hive-no-dedupe.router.config.yaml "$((GATEWAY_ROUTER_PORT + 3))"

# The gateway subgraphs' ports: the routing URLs of config/gateway.supergraph.yaml.
# shellcheck disable=SC2034 # read by run.sh
GATEWAY_PORTS=(4301 4302 4303 4304)

router_url() {
  echo "http://127.0.0.1:${ROUTER_PORT[$1]}/graphql"
}

# case_supergraph CASE: storefront (the platform's subgraphs) or gateway
# (benches/gateway's).
case_supergraph() {
  if [[ $1 == gateway ]]; then echo gateway; else echo storefront; fi
}

# The process serving a supergraph's subgraphs (started as PID_<name>).
subgraphs_process() {
  case $1 in
    storefront) echo platform ;;
    gateway) echo gateway ;;
  esac
}

# The supergraph.yaml a supergraph is composed from.
supergraph_config() {
  case $1 in
    storefront) echo "$ROOT/router-config/supergraph.yaml" ;;
    gateway) echo "$BENCH_DIR/config/gateway.supergraph.yaml" ;;
  esac
}

# case_pairs CASE: one line per like-for-like comparison, our router then
# Hive Router with the same settings. The gateway case runs with subgraph
# de-duplication on and, in a second pair, off.
case_pairs() {
  case $1 in
    gateway)
      echo "gateway_ours gateway_hive"
      echo "gateway_ours_nodedupe gateway_hive_nodedupe"
      ;;
    *) echo "ours hive" ;;
  esac
}

# case_extras CASE: routers measured beside the pairs, not like for like.
case_extras() {
  if [[ $1 == home && $HIVE_INBOUND_PORT != 0 ]]; then echo hive_inbound; fi
}

# case_routers CASE: every router serving the case, one a line; the first
# is the one the others' answers are compared with.
case_routers() {
  { case_pairs "$1" && case_extras "$1"; } | tr ' ' '\n'
}

# The routers and supergraphs the selected CASES need, each once, in order.
selected_routers() {
  local name
  for name in "${CASES[@]}"; do case_routers "$name"; done | awk '!seen[$0]++'
}

selected_supergraphs() {
  local name
  for name in "${CASES[@]}"; do case_supergraph "$name"; done | awk '!seen[$0]++'
}

# uses_supergraph NAME: whether a selected case runs on that supergraph.
uses_supergraph() {
  local name
  for name in "${CASES[@]}"; do
    [[ $(case_supergraph "$name") == "$1" ]] && return 0
  done
  return 1
}

# A pair's note in the ratio table: what differs from the case's main pair.
pair_note() {
  if [[ $1 == *_nodedupe ]]; then echo ", subgraph de-duplication off"; fi
}
