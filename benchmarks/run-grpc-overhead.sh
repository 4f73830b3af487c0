#!/usr/bin/env bash
# Issue 14's per-call cost on the gRPC path, in one invocation: unary calls with 1 KB responses,
# open loop (the HTTP benchmark's generator: coordinated-omission safe) at each rate, through
#   direct       plain grpc-netty channel                     -> grpc-netty echo 127.0.0.1:19100
#   inboard-xds  MeshChannels, xDS from an Inboard control plane (VirtualService with retries,
#                DestinationRule with pool limits and outlier detection), Istio metrics on
#   inboard-k8s  MeshChannels, Kubernetes-API mode (fabric8 CRUD mock API server), same policy
#                from the builder, Istio metrics on
#   sidecar      plain grpc-netty channel -> HAProxy :19102 -h2c-> HAProxy :19103 -h2c-> echo
# One server JVM (echo server, control plane on :19101, mock API server) and the two HAProxy
# processes run for the whole invocation; each client JVM runs one path, so its CPU is that
# path's alone.
#
# Usage: MODE=quick|full benchmarks/run-grpc-overhead.sh
#   quick (default): 1 round, one client JVM per path measuring both rates in turn (the higher
#                    first: 5 s warm-up at 3000/s, 3 s recorded, then 2 s settling at 1000/s and
#                    3 s recorded); about 100 s after the build (the build: 60-80 s). Indicative only: a JVM this young
#                    still compiles, which shows most in CPU at 1000/s.
#   full:            3 rounds, one client JVM per (round, path, rate), path order rotated round
#                    by round, 15 s warm-up + 10 s recorded; about 11 minutes.
# Env overrides: ROUNDS RATES="3000 1000" WARM REWARM DUR PRIME CONNS=16 PATHS="direct inboard-xds
#   inboard-k8s sidecar" CLIENT_JVM_EXTRA="..." (e.g. perf map flags)
#   JFR=1: each client JVM records a JFR profile (cpu-<path>-r<round>.jfr) and summary.md ends
#   with its top frames (CPU samples: leaf, owning Inboard/grpc-xds step, inclusive); the
#   recording costs the client a little CPU, so compare paths within one JFR run only
# Output: benchmarks/target/grpc-overhead/<yyyymmdd-HHMMSS>/{summary.md,runs.txt,*.log}; the
# last line printed is "results: <dir>/summary.md". Loopback only, ports 19100-19103.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
MODE=${MODE:-quick}
case $MODE in
  quick) d_rounds=1; d_warm=5; d_rewarm=2; d_dur=3; d_prime=500; d_serverwarm=3 ;;
  full)  d_rounds=3; d_warm=15; d_rewarm=15; d_dur=10; d_prime=2000; d_serverwarm=8 ;;
  *) echo "MODE: '$MODE' (expected: quick or full)" >&2; exit 2 ;;
esac
ROUNDS=${ROUNDS:-$d_rounds}; WARM=${WARM:-$d_warm}; REWARM=${REWARM:-$d_rewarm}; DUR=${DUR:-$d_dur}; PRIME=${PRIME:-$d_prime}
RATES=${RATES:-"3000 1000"}; CONNS=${CONNS:-16}; CLIENT_JVM_EXTRA=${CLIENT_JVM_EXTRA:-}
PATHS=${PATHS:-"direct inboard-xds inboard-k8s sidecar"}
GRPC_PORT=19100; XDS_PORT=19101; SIDECAR_PORT=19102; SIDECAR_SERVER_PORT=19103
out="benchmarks/target/grpc-overhead/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
source benchmarks/bench-lib.sh
command="JFR=${JFR:-0} MODE=$MODE ROUNDS=$ROUNDS RATES=\"$RATES\" WARM=$WARM REWARM=$REWARM DUR=$DUR PRIME=$PRIME CONNS=$CONNS PATHS=\"$PATHS\" benchmarks/run-grpc-overhead.sh"

bench_haproxy || exit 1
bench_ports_free $GRPC_PORT $XDS_PORT $SIDECAR_PORT $SIDECAR_SERVER_PORT || exit 1
# mesh-telemetry on the class path: every Mesh gets Istio's metrics, as in production
bench_cp_file=classpath-telemetry.txt
source benchmarks/classpath.sh benchmarks/target/lib-grpc
bench_machine "$command" > "$out/machine.md"
cat "$out/machine.md"

CLIENT_JVM="-Xms512m -Xmx512m -Djava.util.concurrent.ForkJoinPool.common.parallelism=2"
MAIN=io.inboard.benchmarks.grpc.GrpcOverheadBenchmark
url_file="$out/k8s-url"

bench_start server java -Xms512m -Xmx512m -cp "$cp" io.inboard.benchmarks.grpc.GrpcBenchServers \
  grpcPort=$GRPC_PORT xdsPort=$XDS_PORT k8sUrlFile="$url_file"
SPID=$bench_pid
bench_wait_log "$out/server.log" '^ready' || exit 1
bench_start haproxy-server haproxy -db -f benchmarks/haproxy/server-h2.cfg; HS=$bench_pid
bench_start haproxy-client haproxy -db -f benchmarks/haproxy/client-h2.cfg; HC=$bench_pid
bench_wait_tcp $SIDECAR_PORT || exit 1
PIDS="server:$SPID,hap_client:$HC,hap_server:$HS"
common=(grpcPort=$GRPC_PORT xdsPort=$XDS_PORT sidecarPort=$SIDECAR_PORT k8sUrlFile="$url_file"
  conns=$CONNS prime=$PRIME pids=$PIDS)

echo "[$(date +%T)] warming the echo server and the sidecars (${d_serverwarm} s, not recorded)"
java $CLIENT_JVM -cp "$cp" $MAIN client path=sidecar rates=3000 warmup=0 \
  duration=$d_serverwarm "${common[@]}" > "$out/warm.log" 2>&1 \
  || { echo "warm-up failed, see $out/warm.log"; tail -5 "$out/warm.log"; }

run_client() {  # label rates round
  local jfr=()
  [ "${JFR:-0}" = 1 ] && jfr=("-XX:StartFlightRecording=filename=$out/cpu-$1-r$3.jfr,settings=profile")
  timeout $(( (WARM + DUR + 30) * 3 + 60 )) java $CLIENT_JVM $CLIENT_JVM_EXTRA "${jfr[@]}" -cp "$cp" $MAIN \
    client path=$1 rates=$2 round=$3 warmup=$WARM rewarmup=$REWARM duration=$DUR "${common[@]}" \
    out="$out/runs.txt" >> "$out/client.log" 2>&1 \
    || echo "  client run failed (exit $?), see $out/client.log"
}
read -ra P <<< "$PATHS"
n=${#P[@]}
for r in $(seq 1 "$ROUNDS"); do
  for i in $(seq 0 $((n - 1))); do
    label=${P[$(( (i + r - 1) % n ))]}
    if [ "$MODE" = quick ]; then
      echo "[$(date +%T)] round $r $label at $RATES/s (${WARM} s warm-up, then ${REWARM} s; ${DUR} s recorded each)"
      run_client "$label" "$(echo $RATES | tr ' ' ,)" "$r"
    else
      for rate in $RATES; do
        echo "[$(date +%T)] round $r $label ${rate}/s (${WARM} s warm-up + ${DUR} s recorded)"
        run_client "$label" "$rate" "$r"
      done
    fi
  done
done

bench_summary "gRPC per-call cost (issue 14), $MODE" $MAIN
