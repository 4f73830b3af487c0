#!/usr/bin/env bash
# Issue 10's benchmark: the per-request cost of the inbound access check, with JMH. An
# authorization decision over 10 and 100 precompiled rules (against no policy, the baseline),
# and the JWT step for a cached token and a token seen for the first time (against a request
# without a token), for RS256 and ES256. One fork; arguments go to JMH, e.g.
#   benchmarks/run-access-check.sh -wi 5 -i 10
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source benchmarks/classpath.sh benchmarks/target/lib
exec java -Xms512m -Xmx512m -cp "$cp" org.openjdk.jmh.Main 'io\.inboard\.benchmarks\.access\..*' \
  -f 1 -wi 3 -w 1s -i 5 -r 1s -jvmArgs "-Xms512m -Xmx512m" \
  -rf json -rff benchmarks/target/access-check.json "$@"
