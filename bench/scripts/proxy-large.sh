#!/usr/bin/env bash
# Figure 5, large bodies: a 512 MiB download and a 512 MiB upload through Conduit's proxy and directly, timed with
# curl, while jstat samples Liberty's heap. Start Liberty with its heap limited, e.g. JVM_ARGS=-Xmx256m.
#
# Needs: bench/target/benchmarks.jar, curl, jstat/jcmd, and Conduit running on $CONDUIT_URL.
# Usage: bench/scripts/proxy-large.sh [output file]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=$root/bench/target/benchmarks.jar
conduit=${CONDUIT_URL:-http://127.0.0.1:9280}
admin=${CONDUIT_ADMIN:-admin:admin-pass}
token_port=${TOKEN_PORT:-9287}
resource_port=${RESOURCE_PORT:-9288}
size=${SIZE:-536870912}
rounds=${ROUNDS:-3}
system=bench-large
out=${1:-$root/docs/bench-results/proxy-large.txt}

java -cp "$jar" dev.conduit.bench.LoopbackServers "$token_port" "$resource_port" 3600 > /tmp/conduit-bench-servers.log 2>&1 &
servers=$!
sampler=
trap 'kill $servers $sampler 2>/dev/null; wait $servers 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -sf -o /dev/null -H 'Authorization: Bearer bench-token-x' "http://127.0.0.1:$resource_port/api/kib" && break
  sleep 0.2
done
curl -s -o /dev/null -u "$admin" -X DELETE "$conduit/api/connected-systems/$system" || true
curl -sf -o /dev/null -u "$admin" -H 'Content-Type: application/json' -X POST "$conduit/api/connected-systems" -d @- <<JSON
{"name":"$system","grantType":"client_credentials","tokenEndpoint":"http://127.0.0.1:$token_port/token",
 "integrationBaseUrl":"http://127.0.0.1:$resource_port/api","clientId":"bench-client",
 "clientSecret":"bench-secret-5c1e0a77","clientAuthMethod":"client_secret_basic","scope":"read"}
JSON
liberty_pid=${LIBERTY_PID:-$(ss -ltnpH "sport = :${conduit##*:}" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)}
heap_used_kib() { # used heap after a full collection
  jcmd "$liberty_pid" GC.run > /dev/null
  jstat -gc "$liberty_pid" | awk 'NR == 2 {print int($3 + $4 + $6 + $8)}'
}
proxy=$conduit/api/connected-systems/$system/proxy/blob
direct=http://127.0.0.1:$resource_port/api/blob
{
  echo "# figure 5, large bodies: $(date -u +%FT%TZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $size bytes"
  echo "# Liberty max heap: $(jcmd "$liberty_pid" VM.flags | grep -o 'MaxHeapSize=[0-9]*')"
  before=$(heap_used_kib)
  jstat -gc "$liberty_pid" 200 > /tmp/conduit-bench-jstat.txt & sampler=$!
  for round in $(seq 1 "$rounds"); do
    echo "## round $round"
    curl -sf -o /dev/null -H 'Authorization: Bearer bench-token-x' -w "direct download %{size_download} bytes %{speed_download} B/s\n" "$direct?size=$size"
    curl -sf -o /dev/null -u alice:alice-pass -w "proxy download %{size_download} bytes %{speed_download} B/s\n" "$proxy?size=$size"
    head -c "$size" /dev/zero | curl -sf -H 'Authorization: Bearer bench-token-x' -H 'Content-Type: application/octet-stream' -T - -X PUT -w " direct upload %{size_upload} bytes %{speed_upload} B/s\n" "$direct"
    head -c "$size" /dev/zero | curl -sf -u alice:alice-pass -H 'Content-Type: application/octet-stream' -T - -X PUT -w " proxy upload %{size_upload} bytes %{speed_upload} B/s\n" "$proxy"
  done
  kill $sampler; sampler=
  after=$(heap_used_kib)
  echo "heap used after a full GC: before ${before} KiB, after ${after} KiB"
  awk 'NR > 1 && $3 ~ /^[0-9.]+$/ {u = $3 + $4 + $6 + $8; if (u > max) max = u; if ($8 > old) old = $8} END {print "heap used while streaming (garbage included): peak " int(max) " KiB; old generation peak " int(old) " KiB"}' /tmp/conduit-bench-jstat.txt
  echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
curl -s -o /dev/null -u "$admin" -X DELETE "$conduit/api/connected-systems/$system" || true
