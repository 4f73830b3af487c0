#!/usr/bin/env bash
# Issue 3's propagation benchmark: time from a config change to every connected xDS client
# having ACKed it, for 1, 10 and 50 clients. Builds the module (offline), then runs the harness
# in a JVM of its own. Arguments go to the harness (key=value; see PropagationBenchmark), e.g.
#   benchmarks/run-propagation.sh clients=1,10,50 iterations=30 rounds=3
# Needs the other modules installed in ~/.m2 (mvn -B install -DskipTests from the root).
# Loopback only: the control plane and the backends bind 127.0.0.1-5.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# recompile from scratch: the compiler does not notice that an upstream module's API changed
# under an unchanged source (a stale class fails at run time with NoSuchMethodError); results
# under target/ are kept
rm -rf "$root/benchmarks/target/classes"
mvn -B -q -o -pl benchmarks package exec:exec -Dexec.executable=echo -Dexec.args=%classpath \
  -Dexec.outputFile=target/classpath.txt
# Inboard's own snapshot jars are copied first: another build may reinstall them in ~/.m2
# while the benchmark runs, and a jar replaced under a running JVM breaks class loading
lib=benchmarks/target/lib
rm -rf "$lib" && mkdir -p "$lib"
cp=""
IFS=: read -ra entries < benchmarks/target/classpath.txt
for e in "${entries[@]}"; do
  case "$e" in
    */io/inboard/*.jar) cp -p "$e" "$lib/" && e="$lib/$(basename "$e")" ;;
  esac
  cp="${cp:+$cp:}$e"
done
# a fixed heap so that heap growth does not show up as latency; the common pool is widened
# because on <= 2 CPUs it has parallelism 1 (DESIGN.md, "JDK HttpClient on small machines")
exec java -Xms512m -Xmx512m -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 \
  -Dbench.command="benchmarks/run-propagation.sh $*" \
  -cp "$cp" io.inboard.benchmarks.PropagationBenchmark "$@"
