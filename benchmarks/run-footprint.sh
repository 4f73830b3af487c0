#!/usr/bin/env bash
# Issue 14's footprint benchmark, in one invocation:
#   heap and live threads the library adds with N services watched, xDS mode and Kubernetes-API
#   mode, against a baseline JVM without a mesh (FootprintProbe); the time from JVM start to the
#   first routed call, HTTP and gRPC; bytes allocated per call, Inboard against direct
#   (AllocationProbe).
# JVMs: the HTTP echo server (EchoServer, 127.0.0.1:19301) for the whole invocation; per N and
# mode a FootprintPlane (gRPC health server 127.0.0.1:19302, and either a real control plane on
# 127.0.0.1:19310 with N services, or the fabric8 CRUD mock API server with N Services and pods,
# on an ephemeral loopback port); and a fresh measured JVM per probe. Nothing the servers, the
# control plane or the mock API server hold is in the measured heap.
#
# Usage: MODE=quick benchmarks/run-footprint.sh     (quick: ~1.5-2 min on a quiet machine, build
#        included; 7 min when 4 engineers shared the 2 CPUs; full: ~3x quick, more with N=1000)
# Env:   MODE=quick|full            quick: N = 10 100; full: N = 10 100 1000, more rounds
#        SERVICES="10 100"          overrides the mode's N
#        REPEATS=1                  probe runs per (mode, N); the report shows medians
#        ALLOC_WARM ALLOC_CALLS ALLOC_ROUNDS   allocation probe's calls (per path and round)
#        FIRST_GRPC=0               time the first routed call for HTTP only (run.sh quick)
#        TELEMETRY=1                measure with mesh-telemetry on the class path (metrics and
#                                   tracing as a mesh finds them); default: without, as the
#                                   other per-call harnesses measure
#        ALLOC_ONLY=1               only the allocation probe (xDS plane, smallest N; ~30 s):
#                                   no heap, thread or first-call probes
#        ALLOC_PATHS=grpc-direct,grpc-xds   the allocation probe's paths (default: http-direct,
#                                   http-direct-headers, http-inboard, http-xds, http-xds-netty,
#                                   grpc-direct, grpc-xds, http-k8s, grpc-k8s; also
#                                   grpc-direct-xdscreds, http-inboard-netty)
#        JFR=1                      also record the grpc-xds and http-xds allocation paths
#                                   with JFR and list their top allocating frames
#        JFR_PATHS=grpc-direct,grpc-xds   the paths JFR=1 records (default: the -xds ones)
#        PROBE_JVM="..."            the measured JVMs' flags
# Output: benchmarks/target/footprint/<time>/{runs.txt,env.txt,summary.md,*.log}; the last line
#         printed is "results: <dir>/summary.md".
# Builds what it runs from this checkout (benchmarks/classpath.sh). Loopback only.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
MODE=${MODE:-quick}
case $MODE in
  quick) SERVICES=${SERVICES:-"10 100"}; REPEATS=${REPEATS:-1}
         ALLOC_WARM=${ALLOC_WARM:-2000}; ALLOC_CALLS=${ALLOC_CALLS:-2000}; ALLOC_ROUNDS=${ALLOC_ROUNDS:-2} ;;
  full)  SERVICES=${SERVICES:-"10 100 1000"}; REPEATS=${REPEATS:-2}
         ALLOC_WARM=${ALLOC_WARM:-10000}; ALLOC_CALLS=${ALLOC_CALLS:-10000}; ALLOC_ROUNDS=${ALLOC_ROUNDS:-3} ;;
  *) echo "MODE: '$MODE' (expected: quick or full)"; exit 2 ;;
esac
ECHO_PORT=${ECHO_PORT:-19301}; GRPC_PORT=${GRPC_PORT:-19302}; XDS_PORT=${XDS_PORT:-19310}
PROBE_JVM=${PROBE_JVM:-"-Xms256m -Xmx1g -Djava.util.concurrent.ForkJoinPool.common.parallelism=2"}
out="benchmarks/target/footprint/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
for port in $ECHO_PORT $GRPC_PORT $XDS_PORT; do
  if ss -ltn | grep -q "127.0.0.1:$port\b\|\*:$port\b\|0.0.0.0:$port\b"; then
    echo "port $port is in use (another run of this benchmark?)"; exit 1
  fi
done

[ "${TELEMETRY:-0}" = 1 ] && bench_cp_file=classpath-telemetry.txt
source benchmarks/classpath.sh benchmarks/target/lib-footprint
PKG=io.inboard.benchmarks.footprint

STARTED=()
cleanup() { for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT INT TERM

{
  echo "date: $(date -u +%FT%TZ)"
  echo "git: $(git rev-parse --short HEAD)$(git diff --quiet -- mesh-http mesh-api mesh-grpc benchmarks || echo ' (working tree modified)')"
  lscpu | grep -E '^(Model name|CPU\(s\)|Thread\(s\) per core|Hypervisor vendor)'
  java -version 2>&1 | head -2
  uname -r
  echo "measured JVMs: $PROBE_JVM; class path: ${bench_cp_file:-classpath.txt}"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "command: MODE=$MODE SERVICES=\"$SERVICES\" REPEATS=$REPEATS ALLOC_WARM=$ALLOC_WARM ALLOC_CALLS=$ALLOC_CALLS ALLOC_ROUNDS=$ALLOC_ROUNDS TELEMETRY=${TELEMETRY:-0} ALLOC_ONLY=${ALLOC_ONLY:-0} ALLOC_PATHS=${ALLOC_PATHS:-all} JFR=${JFR:-0} benchmarks/run-footprint.sh"
} > "$out/env.txt"
cat "$out/env.txt"

java -Xmx256m -cp "$cp" io.inboard.benchmarks.http.EchoServer $ECHO_PORT 1 > "$out/echo.log" 2>&1 &
STARTED+=($!)

# plane KIND N: starts a FootprintPlane, waits for its "ready" line; sets PLANE (pid) and READY
plane() {
  java -Xmx1g -cp "$cp" $PKG.FootprintPlane kind="$1" services="$2" xdsPort=$XDS_PORT \
    echoPort=$ECHO_PORT grpcPort=$GRPC_PORT > "$out/plane-$1-$2.log" 2>&1 &
  PLANE=$!; STARTED+=($PLANE)
  for _ in $(seq 1 600); do
    READY=$(grep -m1 '^ready' "$out/plane-$1-$2.log") && return 0
    kill -0 $PLANE 2>/dev/null || break
    sleep 0.1
  done
  echo "plane $1 $2 did not come up, see $out/plane-$1-$2.log"; return 1
}
stop_plane() { kill "$PLANE" 2>/dev/null; wait "$PLANE" 2>/dev/null; }
probe() { # probe MODE N FIRST [key=value...]
  echo "[$(date +%T)] probe mode=$1 services=$2 first=$3"
  timeout 900 java $PROBE_JVM ${PROBE_EXTRA:-} -cp "$cp" $PKG.FootprintProbe mode="$1" services="$2" first="$3" \
    echoPort=$ECHO_PORT grpcPort=$GRPC_PORT out="$out/runs.txt" "${@:4}" >> "$out/probe.log" 2>&1 \
    || echo "  probe failed (exit $?), see $out/probe.log"
}

smallest=$(echo $SERVICES | tr ' ' '\n' | sort -n | head -1)
[ "${ALLOC_ONLY:-0}" = 1 ] && SERVICES=$smallest
for n in $SERVICES; do
  # the mesh runs write the classes they loaded; the baseline loads the same (FootprintProbe)
  lists=""
  for kind in xds k8s; do
    [ "${ALLOC_ONLY:-0}" = 1 ] && [ $kind = k8s ] && continue
    # the allocation probe runs on the xDS plane of the smallest N, which then also serves the
    # mock API server for the Kubernetes-mode paths
    planekind=$kind
    [ $kind = xds ] && [ "$n" = "$smallest" ] && planekind=xds+k8s
    plane $planekind $n || continue
    extra="xds=127.0.0.1:$XDS_PORT"
    [ $kind = k8s ] && extra="master=$(echo "$READY" | sed -n 's/.*master=\([^ ]*\).*/\1/p')"
    [ "${ALLOC_ONLY:-0}" = 1 ] || for r in $(seq 1 "$REPEATS"); do
      list="$out/classes-$kind-$n-$r.txt"; lists="$lists,$list"
      PROBE_EXTRA="-XX:DumpLoadedClassList=$list" probe $kind $n http "$extra"
      # time to the first gRPC call: a JVM that calls gRPC first (FIRST_GRPC=0 skips it)
      [ "$n" = "$smallest" ] && [ "${FIRST_GRPC:-1}" = 1 ] && probe $kind $n grpc "$extra"
    done
    if [ $kind = xds ] && [ "$n" = "$smallest" ]; then
      master=$(echo "$READY" | sed -n 's/.*master=\([^ ]*\).*/\1/p')
      echo "[$(date +%T)] allocation per call ($ALLOC_ROUNDS rounds x 9 paths x $ALLOC_CALLS calls)"
      java $PROBE_JVM -cp "$cp" $PKG.AllocationProbe xds=127.0.0.1:$XDS_PORT master=$master echoPort=$ECHO_PORT \
        grpcPort=$GRPC_PORT warm=$ALLOC_WARM calls=$ALLOC_CALLS rounds=$ALLOC_ROUNDS \
        ${ALLOC_PATHS:+paths=$ALLOC_PATHS} out="$out/runs.txt" > "$out/alloc.log" 2>&1 || echo "  allocation probe failed, see $out/alloc.log"
      if [ "${JFR:-0}" = 1 ]; then
        for p in $(echo "${JFR_PATHS:-$(echo "${ALLOC_PATHS:-grpc-xds,http-xds}" | tr ',' '\n' | grep -- '-xds$')}" | tr ',' '\n'); do
          echo "[$(date +%T)] JFR allocation samples of $p"
          java $PROBE_JVM -cp "$cp" $PKG.AllocationProbe xds=127.0.0.1:$XDS_PORT master=$master \
            echoPort=$ECHO_PORT grpcPort=$GRPC_PORT warm=$ALLOC_WARM calls=$((ALLOC_CALLS * 3)) \
            rounds=1 paths=$p jfr="$out/alloc-$p.jfr" > "$out/alloc-jfr-$p.log" 2>&1
          java -cp "$cp" $PKG.JfrFrames in="$out/alloc-$p.jfr" event=alloc top=25 \
            > "$out/alloc-frames-$p.txt" 2>&1 || echo "  frames of $p failed"
        done
      fi
    fi
    if [ $kind = k8s ]; then # the baseline needs only the plane's gRPC server
      for r in $(seq 1 "$REPEATS"); do
        probe baseline $n http classes="${lists#,}"
        [ "$n" = "$smallest" ] && [ "${FIRST_GRPC:-1}" = 1 ] \
          && probe baseline $n grpc classes="${lists#,}"
      done
    fi
    stop_plane
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/env.txt"
java -cp "$cp" $PKG.FootprintReport in="$out/runs.txt" env="$out/env.txt" out="$out/summary.md" \
  || { echo "report failed"; exit 1; }
for f in "$out"/alloc-frames-*.txt; do
  [ -f "$f" ] && { echo; echo "### Top allocating frames, $(basename "$f" .txt | sed 's/alloc-frames-//')"; echo; echo '```'; cat "$f"; echo '```'; } >> "$out/summary.md"
done
cat "$out/summary.md"
echo "results: $out/summary.md"
