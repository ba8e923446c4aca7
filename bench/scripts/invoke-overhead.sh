#!/usr/bin/env bash
# Figure 4 of docs/benchmarks.md: the same resource-server call made directly and through Conduit's
# POST /api/connected-systems/{name}/invoke, measured with wrk from its own process, rounds alternating.
#
# Needs: bench/target/benchmarks.jar (mvn -B -pl bench -am package -DskipTests), wrk, curl, and Conduit running on
# $CONDUIT_URL (default http://localhost:9080) with its demo users, e.g. `mvn -pl web -am package liberty:run -Dmaven.test.skip=true`.
# Usage: bench/scripts/invoke-overhead.sh [output file]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=$root/bench/target/benchmarks.jar
conduit=${CONDUIT_URL:-http://localhost:9080}
admin=${CONDUIT_ADMIN:-admin:admin-pass}
token_port=${TOKEN_PORT:-19180}
resource_port=${RESOURCE_PORT:-19181}
duration=${DURATION:-10s}
concurrency=${CONCURRENCY:-1 8}
rounds=${ROUNDS:-3}
system=bench-invoke
out=${1:-$root/docs/bench-results/invoke-overhead.txt}
mkdir -p "$(dirname "$out")"

java -cp "$jar" dev.conduit.bench.LoopbackServers "$token_port" "$resource_port" 1200 > /tmp/conduit-bench-servers.log 2>&1 &
servers=$!
trap 'kill $servers 2>/dev/null; wait $servers 2>/dev/null || true; cat /tmp/conduit-bench-servers.log' EXIT
for _ in $(seq 1 50); do
  curl -sf -o /dev/null -H 'Authorization: Bearer bench-token-x' "http://127.0.0.1:$resource_port/api/hello" && break
  sleep 0.2
done

# the connected system: client credentials against the loopback token endpoint, calls to the loopback resource server
curl -s -o /dev/null -u "$admin" -X DELETE "$conduit/api/connected-systems/$system" || true
curl -sf -u "$admin" -H 'Content-Type: application/json' -X POST "$conduit/api/connected-systems" -d @- > /dev/null <<JSON
{"name":"$system","grantType":"client_credentials","tokenEndpoint":"http://127.0.0.1:$token_port/token",
 "integrationBaseUrl":"http://127.0.0.1:$resource_port/api","clientId":"bench-client",
 "clientSecret":"bench-secret-5c1e0a77","clientAuthMethod":"client_secret_basic","scope":"read"}
JSON
echo "one call through Conduit:"
curl -sf -u alice:alice-pass -H 'Content-Type: application/json' -X POST "$conduit/api/connected-systems/$system/invoke" \
  -d '{"method":"GET","path":"/hello"}'
echo

direct_url="http://127.0.0.1:$resource_port/api/hello"
invoke_url="$conduit/api/connected-systems/$system/invoke"
liberty_pid=${LIBERTY_PID:-$(ss -ltnpH "sport = :${conduit##*:}" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)}
cpu_ticks() { # user + system CPU time of a process, in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}
run() { # connections url script duration; then the CPU the servers spent, in microseconds per request
  local l0 s0
  l0=$(cpu_ticks "$liberty_pid"); s0=$(cpu_ticks "$servers")
  wrk -t1 -c"$1" -d"$4" --latency -s "$here/$3" "$2"
  echo "cpu-ticks liberty $(( $(cpu_ticks "$liberty_pid") - l0 )) loopback-servers $(( $(cpu_ticks "$servers") - s0 )) hz $(getconf CLK_TCK)"
}
echo "warm-up" >&2
run 8 "$direct_url" direct.lua 5s > /dev/null
run 8 "$invoke_url" invoke.lua 60s > /dev/null # a fresh server needs about a minute of JIT

{
  echo "# figure 4: $(date -u +%FT%TZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), wrk -t1 -d$duration"
  for connections in $concurrency; do
    for round in $(seq 1 "$rounds"); do
      echo "## connections $connections round $round: direct"
      run "$connections" "$direct_url" direct.lua "$duration"
      echo "## connections $connections round $round: conduit"
      run "$connections" "$invoke_url" invoke.lua "$duration"
    done
  done
  echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"

# one line per run, then the median of each figure per side and concurrency
awk -f "$here/wrk-summary.awk" "$out" | tee -a "$out"
curl -s -o /dev/null -u "$admin" -X DELETE "$conduit/api/connected-systems/$system" || true
