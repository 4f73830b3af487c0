#!/usr/bin/env bash
# Issue 14's control plane at scale: the control plane in a JVM of its own, fed N services of
# 10 endpoints, with lightweight ADS clients (LDS -> RDS -> CDS -> EDS, ACK/NACK, as grpc-xds
# subscribes) spread over 4 client JVMs; times each change until every client ACKed it and
# reads the control plane's CPU (/proc), heap after GC and the bytes it sent.
#
#   MODE=quick benchmarks/run-cp-scale.sh   # 100 and 1000 services, 100 clients (~1.5 min)
#   MODE=full  benchmarks/run-cp-scale.sh   # 100, 1000 and 5000 services, 500 clients
#
# Further key=value arguments go to the driver (see CpScaleBenchmark), e.g. iterations=10.
# Builds what it runs from this checkout (benchmarks/classpath.sh). Loopback only: the control
# plane binds 127.0.0.1:${PORT:-19200}. Writes benchmarks/target/cp-scale/<yyyymmdd-HHMMSS>/
# summary.md and prints its path last.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
MODE="${MODE:-quick}"
case "$MODE" in
  quick) preset=(services=100,1000 clients=100 jvms=4 iterations=5 nodebounce=100) ;;
  full) preset=(services=100,1000,5000 clients=500 jvms=4 iterations=20 nodebounce=1000) ;;
  *) echo "MODE=$MODE (expected: quick or full)" >&2; exit 2 ;;
esac
source benchmarks/classpath.sh benchmarks/target/lib-cp-scale
out="$root/benchmarks/target/cp-scale/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out"
rev="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo '+uncommitted')"
command="MODE=$MODE benchmarks/run-cp-scale.sh $*"
started=$(date +%s)
java -Xmx512m -Dbench.command="$command" -Dbench.gitRev="$rev" \
  -cp "$cp" io.inboard.benchmarks.scale.CpScaleBenchmark "${preset[@]}" \
  port="${PORT:-19200}" out="$out" "$@" > "$out/driver.log"
status=$?
if [ $status -ne 0 ] || [ ! -f "$out/summary.md" ]; then
  cat "$out/driver.log" >&2
  echo "cp-scale: the driver failed (exit $status)" >&2
  exit 1
fi
{
  echo
  echo "## Machine (lscpu, java -version)"
  echo
  echo '```'
  lscpu | grep -E '^(Model name|CPU\(s\)|Thread|Core|Socket)' || true
  java -version 2>&1
  echo '```'
  echo
  echo "Wall time: $(( $(date +%s) - started )) s."
} >> "$out/summary.md"
echo "results: $out/summary.md"
