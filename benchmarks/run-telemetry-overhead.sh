#!/usr/bin/env bash
# Issue 11's benchmark: the per-call cost of telemetry (Istio's metrics, plus tracing at 1 % and
# 100 % sampling) against telemetry off, in one invocation, two views:
#   micro  JMH TelemetryPathBenchmark: exactly the telemetry work of a call (client, server and
#          both sides of one hop) on mesh-telemetry's recorder and tracer, SampleTime (p50/p99)
#          and -prof gc (bytes per call); TelemetryPathReport prints the deltas against off
#   cpu    TelemetryPathCpu: the same hop's process CPU (calling thread, exporter, GC) per 1000
#          calls, the four modes alternating in one JVM at a fixed pace
#   e2e    TelemetryOverheadBenchmark: MeshHttpClient -> meshed Jetty, then MeshChannels ->
#          MeshGrpc server, on loopback, one path per mode in one JVM, modes alternating in
#          short blocks; p50 and process CPU deltas against off, round by round
# Spans go to a Zipkin sink (ZipkinSink) in its own JVM that answers 202 and discards them.
#
# Usage: benchmarks/run-telemetry-overhead.sh      (about 9 minutes)
# Env:   PARTS="micro cpu e2e"
#        JMH="-f 1 -wi 3 -w 2s -i 5 -r 1s -prof gc"   (JMH options of the micro view)
#        CPU_RATE=5000 CPU_WARM=8 CPU_BLOCK=3 CPU_ROUNDS=6   (hops/s, s, s)
#        PROTOCOLS=http,grpc RATE=2000 WARM=8 BLOCK=4 ROUNDS=6 CONNS=16   (requests/s, s, s)
#        MODES=off,metrics_1pct,metrics_100pct
#        INBOARD_LIB=DIR  Inboard jars from DIR instead of this checkout's build
# Output: benchmarks/target/telemetry-overhead/<time>/{env.txt,micro.txt,micro.json,cpu.txt,
#         e2e.txt,e2e-blocks.txt,sink.log}
# Builds what it runs from this checkout (benchmarks/classpath.sh, with mesh-telemetry on the
# class path). Loopback only.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
PARTS=${PARTS:-"micro cpu e2e"}
JMH=${JMH:-"-f 1 -wi 3 -w 2s -i 5 -r 1s -prof gc"}
CPU_RATE=${CPU_RATE:-5000}; CPU_WARM=${CPU_WARM:-8}; CPU_BLOCK=${CPU_BLOCK:-3}; CPU_ROUNDS=${CPU_ROUNDS:-6}
PROTOCOLS=${PROTOCOLS:-http,grpc}; RATE=${RATE:-2000}; WARM=${WARM:-8}; BLOCK=${BLOCK:-4}
ROUNDS=${ROUNDS:-6}; CONNS=${CONNS:-16}
MODES=${MODES:-off,metrics_1pct,metrics_100pct}
out="benchmarks/target/telemetry-overhead/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

bench_cp_file=classpath-telemetry.txt
source benchmarks/classpath.sh benchmarks/target/lib-telemetry

JVM="-Xms512m -Xmx512m"
# as in run-http-overhead.sh: on 2 CPUs the common pool's parallelism is 1, and the JDK client's
# sendAsync would then start a thread per response
FJP="-Djava.util.concurrent.ForkJoinPool.common.parallelism=2"
QUIET="-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
PKG=io.inboard.benchmarks.telemetry

STARTED=()
cleanup() { for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT INT TERM

{
  echo "date: $(date -u +%FT%TZ)"
  echo "git: $(git rev-parse --short HEAD)$(git diff --quiet -- mesh-api mesh-http mesh-grpc mesh-telemetry benchmarks || echo ' (modified)')"
  # grep -c reads to the end: grep -q would close the pipe early, and pipefail report it
  echo "merged into this commit: $(for b in obs-http obs-grpc; do
      [ "$(git log --merges --format=%s | grep -c "^Merge branch '$b'")" -gt 0 ] \
        && echo -n "$b " || echo -n "(no $b) "; done)"
  lscpu | grep -E '^(Model name|CPU\(s\)|Thread\(s\) per core|Hypervisor vendor)'
  java -version 2>&1 | head -2
  uname -r
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "command: PARTS=\"$PARTS\" JMH=\"$JMH\" CPU_RATE=$CPU_RATE CPU_WARM=$CPU_WARM CPU_BLOCK=$CPU_BLOCK CPU_ROUNDS=$CPU_ROUNDS PROTOCOLS=$PROTOCOLS RATE=$RATE WARM=$WARM BLOCK=$BLOCK ROUNDS=$ROUNDS CONNS=$CONNS MODES=$MODES benchmarks/run-telemetry-overhead.sh"
} | tee "$out/env.txt"

# the Zipkin collector of the cpu and e2e parts, in a JVM of its own so that its CPU is not theirs
java -Xms128m -Xmx128m -cp "$cp" $PKG.ZipkinSink 0 > "$out/sink.log" 2>&1 &
STARTED+=($!)
for _ in $(seq 1 100); do grep -q 'zipkin sink' "$out/sink.log" && break; sleep 0.1; done
sink_uri=$(sed -n 's/^zipkin sink \([^,]*\), pid \([0-9]*\)$/\1/p' "$out/sink.log")
sink_pid=$(sed -n 's/^zipkin sink \([^,]*\), pid \([0-9]*\)$/\2/p' "$out/sink.log")
[ -n "$sink_uri" ] || { echo "the Zipkin sink did not start:"; cat "$out/sink.log"; exit 1; }

for part in $PARTS; do
  case $part in
    micro)
      echo "[$(date +%T)] micro: JMH $JMH"
      java $JVM -cp "$cp" $PKG.TelemetryPathReport $JMH -jvmArgs "$JVM $QUIET" \
        -rf json -rff "$out/micro.json" 2>&1 | tee "$out/micro.txt" \
        | grep -E '^(\||target|# Run complete|# Benchmark:|# Parameters)'
      echo "load average after micro: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/env.txt"
      ;;
    cpu)
      echo "[$(date +%T)] cpu: hops at $CPU_RATE/s, $CPU_ROUNDS rounds of $CPU_BLOCK s blocks, spans to $sink_uri"
      java $JVM $QUIET -cp "$cp" $PKG.TelemetryPathCpu rate=$CPU_RATE warmup=$CPU_WARM \
        block=$CPU_BLOCK rounds=$CPU_ROUNDS collector="$sink_uri" sinkPid="$sink_pid" 2>&1 \
        | tee "$out/cpu.txt"
      echo "load average after cpu: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/env.txt"
      ;;
    e2e)
      echo "[$(date +%T)] e2e: $PROTOCOLS at $RATE/s, $ROUNDS rounds of $BLOCK s blocks, modes $MODES, spans to $sink_uri"
      java $JVM $FJP $QUIET -cp "$cp" $PKG.TelemetryOverheadBenchmark protocols=$PROTOCOLS rate=$RATE \
        warmup=$WARM \
        block=$BLOCK rounds=$ROUNDS conns=$CONNS modes=$MODES collector="$sink_uri" \
        sinkPid="$sink_pid" out="$out/e2e-blocks.txt" 2>&1 | tee "$out/e2e.txt"
      ;;
    *) echo "PARTS: '$part' (expected: micro, cpu, e2e)"; exit 1 ;;
  esac
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/env.txt"
cleanup; STARTED=()
tail -1 "$out/sink.log"
echo "BatchSpanProcessor queue-full warnings: $(cat "$out"/*.txt | grep -c 'dropped .* span')" \
  | tee -a "$out/env.txt"
echo "results: $out"
