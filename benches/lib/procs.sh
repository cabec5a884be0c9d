# shellcheck shell=bash
# Starting, watching and stopping the processes of one benchmark run.
# Sourced by run.sh. Every process started here is recorded in STARTED and
# stopped by its pid on exit, never by name.

STARTED=()

# start NAME LOGFILE COMMAND...: runs COMMAND in the background (environment
# set by the caller with `env`), records its pid in PID_<NAME>.
start() {
  local name=$1 log=$2
  shift 2
  "$@" >"$log" 2>&1 &
  local pid=$!
  STARTED+=("$pid")
  printf -v "PID_$name" '%s' "$pid"
  note "started $name (pid $pid), log $log"
}

# The running RSS sampler, if any (stopped on exit too).
SAMPLER=""

stop_all() {
  local pid
  if [[ -n $SAMPLER ]]; then
    kill -TERM "$SAMPLER" 2>/dev/null || true
  fi
  for pid in "${STARTED[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED[@]}"; do
    local waited=0
    while kill -0 "$pid" 2>/dev/null && ((waited < 50)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  STARTED=()
}

# Fails unless nothing listens on the port.
require_free_port() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    die "port $1 is in use; stop what runs there (or choose other BENCH_*_PORT values)"
  fi
}

# wait_until SECONDS PID DESCRIPTION COMMAND...: retries COMMAND until it
# succeeds; fails when the time is up or the process PID has died.
wait_until() {
  local seconds=$1 pid=$2 what=$3
  shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      die "$what: the process exited (see its log in $OUT/logs)"
    fi
    if ((SECONDS >= deadline)); then
      die "$what: not ready after ${seconds}s (see its log in $OUT/logs)"
    fi
    sleep 0.5
  done
}

# A GraphQL endpoint answers `{ __typename }` with data.
graphql_ready() {
  curl -sS --fail -H 'Content-Type: application/json' \
    --data-binary '{"query":"{ __typename }"}' "$1" | jq -e '.data.__typename' >/dev/null
}

# Resident set size now (VmRSS) or at its peak over the process's life (VmHWM), in kB.
proc_status_kb() {
  local pid=$1 field=$2 key value _
  while read -r key value _; do
    if [[ $key == "$field:" ]]; then
      echo "$value"
      return 0
    fi
  done <"/proc/$pid/status"
  echo 0
}

# CPU time (user + system) the process has used, in clock ticks.
cpu_ticks() {
  local stat
  read -r stat <"/proc/$1/stat"
  # Fields after the command name (which may hold spaces) start at state.
  stat=${stat##*) }
  local -a f
  read -ra f <<<"$stat"
  echo $((f[11] + f[12]))
}

# sample_peak_rss PID FILE: writes the highest VmRSS (kB) seen every 100 ms
# into FILE until FILE.stop exists (or this script is gone).
sample_peak_rss() {
  local pid=$1 file=$2 peak=0 now
  while [[ ! -e $file.stop ]] && kill -0 $$ 2>/dev/null; do
    now=$(proc_status_kb "$pid" VmRSS)
    ((now > peak)) && peak=$now
    sleep 0.1
  done
  echo "$peak" >"$file"
}
