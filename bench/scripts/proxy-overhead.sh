#!/usr/bin/env bash
# Figure 5 of docs/benchmarks.md: Conduit's invoke and proxy against floors deployed in the same Liberty (the
# bench-floor WAR: a JSON-envelope forwarder and a bare streaming forwarder, each with a fixed bearer token and the
# same Basic login), and the direct call, measured with wrk from its own process, rounds alternating; with the CPU
# time Liberty spent per request in each run.
#
# Needs: bench/target/benchmarks.jar and bench-floor/target/bench-floor.war (mvn -B -pl bench,bench-floor -am package
# -DskipTests), wrk, curl, and Conduit running on $CONDUIT_URL with its demo users and the floor WAR deployed in the
# same server: copy it into the server's dropins/ folder, and start Liberty with FLOOR_TARGET set if RESOURCE_PORT is
# not 9288 (FLOOR_TARGET=http://127.0.0.1:$RESOURCE_PORT/api).
# Usage: bench/scripts/proxy-overhead.sh [output file]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=$root/bench/target/benchmarks.jar
conduit=${CONDUIT_URL:-http://127.0.0.1:9280}
admin=${CONDUIT_ADMIN:-admin:admin-pass}
token_port=${TOKEN_PORT:-9287}
resource_port=${RESOURCE_PORT:-9288}
duration=${DURATION:-10s}
warmup=${WARMUP:-30s}
concurrency=${CONCURRENCY:-1 8}
rounds=${ROUNDS:-3}
sides=${SIDES:-direct json-floor invoke stream-floor proxy}
system=bench-proxy
out=${1:-$root/docs/bench-results/proxy-overhead.txt}
mkdir -p "$(dirname "$out")"

java -cp "$jar" dev.conduit.bench.LoopbackServers "$token_port" "$resource_port" 3600 > /tmp/conduit-bench-servers.log 2>&1 &
servers=$!
trap 'kill $servers 2>/dev/null; wait $servers 2>/dev/null || true; cat /tmp/conduit-bench-servers.log' EXIT
for _ in $(seq 1 50); do
  curl -sf -o /dev/null -H 'Authorization: Bearer bench-token-x' "http://127.0.0.1:$resource_port/api/kib" && break
  sleep 0.2
done

curl -s -o /dev/null -u "$admin" -X DELETE "$conduit/api/connected-systems/$system" || true
curl -sf -u "$admin" -H 'Content-Type: application/json' -X POST "$conduit/api/connected-systems" -d @- > /dev/null <<JSON
{"name":"$system","grantType":"client_credentials","tokenEndpoint":"http://127.0.0.1:$token_port/token",
 "integrationBaseUrl":"http://127.0.0.1:$resource_port/api","clientId":"bench-client",
 "clientSecret":"bench-secret-5c1e0a77","clientAuthMethod":"client_secret_basic","scope":"read"}
JSON

url_of() {
  case $1 in
    direct) echo "http://127.0.0.1:$resource_port/api/kib" ;;
    json-floor) echo "$conduit/bench-floor/json" ;;
    invoke) echo "$conduit/api/connected-systems/$system/invoke" ;;
    stream-floor) echo "$conduit/bench-floor/stream/kib" ;;
    proxy) echo "$conduit/api/connected-systems/$system/proxy/kib" ;;
  esac
}
script_of() {
  case $1 in
    direct) echo direct.lua ;;
    json-floor|invoke) echo envelope.lua ;;
    *) echo basic-get.lua ;;
  esac
}
for side in $sides; do # each answers 200 with the 1 KiB document, or the run stops here
  case $side in
    direct) curl -sf -o /dev/null -H 'Authorization: Bearer bench-token-x' "$(url_of direct)" ;;
    json-floor|invoke) curl -sf -u alice:alice-pass -H 'Content-Type: application/json' "$(url_of "$side")" \
        -d '{"method":"GET","path":"/kib"}' | grep -q '"status":200' ;;
    *) curl -sf -o /dev/null -u alice:alice-pass "$(url_of "$side")" ;;
  esac
done

liberty_pid=${LIBERTY_PID:-$(ss -ltnpH "sport = :${conduit##*:}" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run() { # connections side duration
  local l0 s0
  l0=$(cpu_ticks "$liberty_pid"); s0=$(cpu_ticks "$servers")
  CALL_PATH=/kib wrk -t1 -c"$1" -d"$3" --latency -s "$here/$(script_of "$2")" "$(url_of "$2")"
  echo "cpu-ticks liberty $(( $(cpu_ticks "$liberty_pid") - l0 )) loopback-servers $(( $(cpu_ticks "$servers") - s0 )) hz $(getconf CLK_TCK)"
}
echo "warm-up" >&2
for side in $sides; do run 8 "$side" "$warmup" > /dev/null; done

{
  echo "# figure 5: $(date -u +%FT%TZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), wrk -t1 -d$duration"
  for connections in $concurrency; do
    for round in $(seq 1 "$rounds"); do
      for side in $sides; do
        echo "## connections $connections round $round: $side"
        run "$connections" "$side" "$duration"
      done
    done
  done
  echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"

awk -f "$here/wrk-summary.awk" "$out" | tee -a "$out"
curl -s -o /dev/null -u "$admin" -X DELETE "$conduit/api/connected-systems/$system" || true
