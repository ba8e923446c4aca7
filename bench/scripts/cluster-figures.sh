#!/usr/bin/env bash
# Figure 6 of docs/benchmarks.md from outside the servers: two Liberty servers from the built WAR on one PostgreSQL
# (embedded-postgres, the Maven jar the project uses), loaded over HTTP by dev.conduit.bench.TwoServerFigures in its
# own process, which also runs PostgreSQL, the 20 ms token endpoint, a loopback provider for a user's authorization
# and the resource server.
#
# Needs: bench/target/benchmarks.jar (mvn -B -pl bench -am package -DskipTests) and the web module's server with its
# WAR (mvn -B -pl web -am package liberty:create -DskipTests), openssl, curl.
# Usage: bench/scripts/cluster-figures.sh [output file]
# Ports and server names: NODE_A, NODE_B (server names), PORT_A, PORT_B (http), TLS_A, TLS_B (https), PG_PORT.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=$root/bench/target/benchmarks.jar
wlp=$root/web/target/liberty/wlp
war=$root/web/target/conduit.war
node_a=${NODE_A:-conduit-bench-a}
node_b=${NODE_B:-conduit-bench-b}
port_a=${PORT_A:-9080}
port_b=${PORT_B:-9090}
tls_a=${TLS_A:-9443}
tls_b=${TLS_B:-9453}
pg_port=${PG_PORT:-15432}
out=${1:-$root/docs/bench-results/cluster-two-servers.txt}
log=$(mktemp -d)/figures.log
mkdir -p "$(dirname "$out")"
for needed in "$jar" "$war" "$wlp/usr/servers/conduit/server.xml"; do
  [ -e "$needed" ] || { echo "missing $needed: build it first (see the header of this script)" >&2; exit 1; }
done

# two servers from the same WAR and configuration, as README's "Several servers on one PostgreSQL" sets them up
for node in "$node_a" "$node_b"; do
  rm -rf "${wlp:?}/usr/servers/$node"
  cp -r "$wlp/usr/servers/conduit" "$wlp/usr/servers/$node"
  rm -rf "$wlp/usr/servers/$node/logs" "$wlp/usr/servers/$node/workarea" "$wlp/usr/servers/$node/data"
  cp "$war" "$wlp/usr/servers/$node/apps/conduit.war"
done

java -cp "$jar" dev.conduit.bench.TwoServerFigures "$pg_port" "http://localhost:$port_a" "http://localhost:$port_b" \
  "$out.tmp" > "$log" 2>&1 &
figures=$!
stop_all() {
  "$wlp/bin/server" stop "$node_a" > /dev/null 2>&1 || true
  "$wlp/bin/server" stop "$node_b" > /dev/null 2>&1 || true
  kill "$figures" 2>/dev/null || true
  wait "$figures" 2>/dev/null || true
}
trap stop_all EXIT
for _ in $(seq 1 120); do
  grep -q '^ready' "$log" && break
  kill -0 "$figures" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done

export CONDUIT_DATABASE=postgresql CONDUIT_DB_HOST=localhost CONDUIT_DB_PORT=$pg_port CONDUIT_DB_NAME=conduit \
       CONDUIT_DB_USER=postgres CONDUIT_DB_PASSWORD= CONDUIT_PUBLIC_URL=http://localhost:$port_a \
       CONDUIT_ENDPOINTS_ALLOW_LOOPBACK_HTTP=true CONDUIT_ENCRYPTION_KEY="k1:$(openssl rand -base64 32)"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
http_port=$port_a https_port=$tls_a "$wlp/bin/server" start "$node_a" --clean > /dev/null
http_port=$port_b https_port=$tls_b "$wlp/bin/server" start "$node_b" --clean > /dev/null

status=0
wait "$figures" || status=$?
{
  echo "# figure 6, two Liberty servers, load from a separate process: $(date -u +%FT%TZ), $(nproc) CPUs," \
       "load before $load_before, at the end $(cut -d' ' -f1-3 /proc/loadavg)"
  cat "$out.tmp" 2>/dev/null || true
} > "$out"
rm -f "$out.tmp"
[ "$status" -eq 0 ] || { tail -50 "$log"; exit "$status"; }
cat "$out"
