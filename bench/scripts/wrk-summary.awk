# Summarises invoke-overhead.sh output: per connections and side, the median (and range) over rounds of
# requests/s, p50 and p99 latency in ms, and the CPU time Liberty and the loopback servers spent per request.
function ms(v) {
  if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
  if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
  if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
  return v + 0
}
function median(list,   a, n, i, j, t) {
  n = split(list, a, " ")
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
  return (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) " [" a[1] "-" a[n] "]"
}
/^## connections/ { key = $3 " " $6; if (!(key in seen)) { seen[key] = 1; order[++keys] = key } }
/^ +50%/ { p50[key] = p50[key] " " ms($2) }
/^ +99%/ { p99[key] = p99[key] " " ms($2) }
/^Requests\/sec:/ { rps[key] = rps[key] " " $2 }
/ requests in / { requests = $1 }
/^cpu-ticks/ {
  lib[key] = lib[key] " " int($3 * 1000000 / $7 / requests)
  srv[key] = srv[key] " " int($5 * 1000000 / $7 / requests)
}
END {
  print "| connections | side | requests/s median [min-max] | p50 ms median [min-max] | p99 ms median [min-max] | Liberty CPU us/request | loopback servers CPU us/request |"
  print "|---|---|---|---|---|---|---|"
  for (i = 1; i <= keys; i++) {
    k = order[i]; split(k, parts, " ")
    printf "| %s | %s | %s | %s | %s | %s | %s |\n", parts[1], parts[2], median(rps[k]), median(p50[k]), median(p99[k]),
      median(lib[k]), median(srv[k])
  }
}
