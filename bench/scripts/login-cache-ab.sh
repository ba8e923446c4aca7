#!/usr/bin/env bash
# The remembered Basic login (conduit.security.basic-login-cache-seconds) off and on, in alternating segments, on one
# build: each segment restarts Liberty with the setting, then runs proxy-overhead.sh on the streaming floor and the
# proxy at 8 connections. Needs the server of figure 5 set up as in docs/benchmarks.md ("How to run") and stopped.
# Usage: bench/scripts/login-cache-ab.sh [output file]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
server=$root/web/target/liberty/wlp/bin/server
log=$root/web/target/liberty/wlp/usr/servers/conduit/logs/messages.log
segments=${SEGMENTS:-off on off on}
out=${1:-$root/docs/bench-results/login-cache-ab.txt}
: > "$out"

for segment in $segments; do
  seconds=10
  [ "$segment" = off ] && seconds=0
  CONDUIT_SECURITY_BASIC_LOGIN_CACHE_SECONDS=$seconds \
    JVM_ARGS="-Xmx256m -XX:FlightRecorderOptions:stackdepth=256" "$server" start conduit --clean > /dev/null
  for _ in $(seq 1 100); do grep -q CWWKF0011I "$log" 2>/dev/null && break; sleep 3; done
  echo "### login cache $segment (basic-login-cache-seconds=$seconds)" >> "$out"
  SIDES="stream-floor proxy" CONCURRENCY=8 WARMUP=${WARMUP:-40s} ROUNDS=${ROUNDS:-3} \
    "$here/proxy-overhead.sh" "/tmp/login-cache-ab-$segment.txt" > /dev/null 2>&1 || { "$server" stop conduit; exit 1; }
  grep -E '^# figure 5|^# load at the end|^\| 8 ' "/tmp/login-cache-ab-$segment.txt" >> "$out"
  "$server" stop conduit > /dev/null
done
cat "$out"
