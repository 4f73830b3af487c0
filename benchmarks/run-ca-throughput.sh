#!/usr/bin/env bash
# Issue 9's CA benchmark: signed CSRs per second through IstioCertificateService over TLS on
# loopback, N concurrent clients, an ECDSA P-256 CA and an RSA 2048 CA in the same run.
# Arguments go to the harness (key=value; see CaThroughputBenchmark), e.g.
#   benchmarks/run-ca-throughput.sh clients=8 seconds=10
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source benchmarks/classpath.sh benchmarks/target/lib
exec java -Xms512m -Xmx512m -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dbench.command="benchmarks/run-ca-throughput.sh $*" \
  -cp "$cp" io.inboard.benchmarks.CaThroughputBenchmark "$@"
