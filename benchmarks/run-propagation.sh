#!/usr/bin/env bash
# Issue 3's propagation benchmark: time from a config change to every connected xDS client
# having ACKed it, for 1, 10 and 50 clients. Builds the module, then runs the harness
# in a JVM of its own. Arguments go to the harness (key=value; see PropagationBenchmark), e.g.
#   benchmarks/run-propagation.sh clients=1,10,50 iterations=30 rounds=3
# Builds what it runs from this checkout (benchmarks/classpath.sh; nothing needs to be installed
# in ~/.m2).
# Loopback only: the control plane and the backends bind 127.0.0.1-5.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source benchmarks/classpath.sh benchmarks/target/lib
# a fixed heap so that heap growth does not show up as latency; the common pool is widened
# because on <= 2 CPUs it has parallelism 1 (DESIGN.md, "JDK HttpClient on small machines")
exec java -Xms512m -Xmx512m -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 \
  -Dbench.command="benchmarks/run-propagation.sh $*" \
  -cp "$cp" io.inboard.benchmarks.PropagationBenchmark "$@"
