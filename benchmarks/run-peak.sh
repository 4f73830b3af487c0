#!/usr/bin/env bash
# Issue 14's peak throughput, in one invocation: a closed loop at fixed concurrency (16 and 64
# calls in flight) through each path, calls a second and the ratio to direct:
#   http direct   bare JDK HttpClient (HTTP/1.1)       -> Netty echo server 127.0.0.1:19110
#   http inboard  MeshHttpClient, http://echo:80/ (the HTTP per-call benchmark's policy)
#   http sidecar  bare JDK client -> HAProxy :19111 -> HAProxy :19112 -> echo server (the plain
#                 configs benchmarks/haproxy/{client,server}-plain.cfg, moved to these ports)
#   grpc direct       plain grpc-netty channel         -> grpc-netty echo 127.0.0.1:19100
#   grpc inboard-xds  MeshChannels from the control plane (VirtualService with retries,
#                     DestinationRule), Istio metrics on
#   grpc sidecar      plain channel -> HAProxy :19102 -h2c-> HAProxy :19103 -h2c-> echo
# Servers and proxies run for the whole invocation; each (round, protocol, path) gets a client
# JVM of its own that measures every concurrency in turn.
#
# Usage: MODE=quick|full benchmarks/run-peak.sh
#   quick (default): 1 round; 3 s warm-up, 3 s recorded at 16, then 2 s + 3 s at 64; about
#                    2 minutes after the build (the build: 60-80 s). Indicative only.
#   full:            3 rounds, path order rotated; 10 s warm-up + 10 s recorded, then 5 + 10 s;
#                    about 8 minutes.
# Env overrides: ROUNDS WARM REWARM DUR SERVERWARM CONCURRENCIES="16 64" HTTP_PATHS="direct inboard sidecar"
#   GRPC_PATHS="direct inboard-xds sidecar" (inboard-k8s also works) CLIENT_JVM_EXTRA="..."
#   JFR=1: each client JVM records a JFR profile (cpu-<proto>-<path>-r<round>.jfr) and
#   summary.md ends with its top frames (see run-grpc-overhead.sh)
# Output: benchmarks/target/peak/<yyyymmdd-HHMMSS>/{summary.md,runs.txt,*.log}; the last line
# printed is "results: <dir>/summary.md". Loopback only, ports 19100-19103 and 19110-19112.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
MODE=${MODE:-quick}
case $MODE in
  quick) d_rounds=1; d_warm=3; d_rewarm=2; d_dur=3; d_serverwarm=4 ;;
  full)  d_rounds=3; d_warm=10; d_rewarm=5; d_dur=10; d_serverwarm=10 ;;
  *) echo "MODE: '$MODE' (expected: quick or full)" >&2; exit 2 ;;
esac
SERVERWARM=${SERVERWARM:-$d_serverwarm}
ROUNDS=${ROUNDS:-$d_rounds}; WARM=${WARM:-$d_warm}; REWARM=${REWARM:-$d_rewarm}; DUR=${DUR:-$d_dur}
CONCURRENCIES=${CONCURRENCIES:-"16 64"}; CLIENT_JVM_EXTRA=${CLIENT_JVM_EXTRA:-}
HTTP_PATHS=${HTTP_PATHS-"direct inboard sidecar"}; GRPC_PATHS=${GRPC_PATHS-"direct inboard-xds sidecar"}
GRPC_PORT=19100; XDS_PORT=19101; GRPC_SIDECAR=19102; GRPC_SIDECAR_SERVER=19103
ECHO_PORT=19110; HTTP_SIDECAR=19111; HTTP_SIDECAR_SERVER=19112
out="benchmarks/target/peak/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
source benchmarks/bench-lib.sh
command="JFR=${JFR:-0} MODE=$MODE ROUNDS=$ROUNDS WARM=$WARM REWARM=$REWARM DUR=$DUR CONCURRENCIES=\"$CONCURRENCIES\" HTTP_PATHS=\"$HTTP_PATHS\" GRPC_PATHS=\"$GRPC_PATHS\" benchmarks/run-peak.sh"

bench_haproxy || exit 1
bench_ports_free $GRPC_PORT $XDS_PORT $GRPC_SIDECAR $GRPC_SIDECAR_SERVER $ECHO_PORT $HTTP_SIDECAR \
  $HTTP_SIDECAR_SERVER || exit 1
# mesh-telemetry on the class path: every Mesh gets Istio's metrics, as in production
bench_cp_file=classpath-telemetry.txt
source benchmarks/classpath.sh benchmarks/target/lib-peak
bench_machine "$command" > "$out/machine.md"
cat "$out/machine.md"

# the plain sidecar configs, on this benchmark's ports (theirs belong to run-http-overhead.sh)
for side in client server; do
  sed -e "s/:15001\b/:$HTTP_SIDECAR/; s/:15006\b/:$HTTP_SIDECAR_SERVER/; s/:18080\b/:$ECHO_PORT/" \
    "benchmarks/haproxy/$side-plain.cfg" > "$out/$side-plain.cfg"
done

CLIENT_JVM="-Xms512m -Xmx512m -Djava.util.concurrent.ForkJoinPool.common.parallelism=2"
MAIN=io.inboard.benchmarks.peak.PeakBenchmark
url_file="$out/k8s-url"
bench_start grpc-server java -Xms512m -Xmx512m -cp "$cp" io.inboard.benchmarks.grpc.GrpcBenchServers \
  grpcPort=$GRPC_PORT xdsPort=$XDS_PORT k8sUrlFile="$url_file"; GS=$bench_pid
bench_start http-server java -Xms512m -Xmx512m -cp "$cp" io.inboard.benchmarks.http.EchoServer \
  $ECHO_PORT 2; HSV=$bench_pid
bench_start haproxy-http-server haproxy -db -f "$out/server-plain.cfg"; HHS=$bench_pid
bench_start haproxy-http-client haproxy -db -f "$out/client-plain.cfg"; HHC=$bench_pid
bench_start haproxy-grpc-server haproxy -db -f benchmarks/haproxy/server-h2.cfg; HGS=$bench_pid
bench_start haproxy-grpc-client haproxy -db -f benchmarks/haproxy/client-h2.cfg; HGC=$bench_pid
bench_wait_log "$out/grpc-server.log" '^ready' || exit 1
for p in $ECHO_PORT $HTTP_SIDECAR $GRPC_SIDECAR; do bench_wait_tcp $p || exit 1; done

run_client() {  # proto path round
  local pids extra
  if [ "$1" = http ]; then
    pids="server:$HSV,hap_client:$HHC,hap_server:$HHS"
    extra=(echoPort=$ECHO_PORT sidecarPort=$HTTP_SIDECAR)
  else
    pids="server:$GS,hap_client:$HGC,hap_server:$HGS"
    extra=(grpcPort=$GRPC_PORT xdsPort=$XDS_PORT sidecarPort=$GRPC_SIDECAR k8sUrlFile="$url_file")
  fi
  local jfr=()
  [ "${JFR:-0}" = 1 ] && jfr=("-XX:StartFlightRecording=filename=$out/cpu-$1-$2-r$3.jfr,settings=profile")
  echo "[$(date +%T)] round $3 $1 $2 at $CONCURRENCIES in flight"
  timeout $(( (WARM + REWARM + 2 * DUR) * 3 + 60 )) java $CLIENT_JVM $CLIENT_JVM_EXTRA "${jfr[@]}" -cp "$cp" \
    $MAIN client proto=$1 path=$2 round=$3 concurrencies="$(echo $CONCURRENCIES | tr ' ' ,)" \
    warmup=$WARM rewarmup=$REWARM duration=$DUR pids=$pids "${extra[@]}" out="$out/runs.txt" \
    >> "$out/client.log" 2>&1 || echo "  client run failed (exit $?), see $out/client.log"
}
# The server JVMs compile under load too: warm both (at 64 in flight, through direct, unrecorded)
# so that the first path measured does not pay for it.
echo "[$(date +%T)] warming the HTTP and gRPC servers (${SERVERWARM} s each, not recorded)"
java $CLIENT_JVM -cp "$cp" $MAIN client proto=http path=direct concurrencies=64 \
  warmup=$SERVERWARM duration=1 echoPort=$ECHO_PORT > "$out/warm.log" 2>&1
java $CLIENT_JVM -cp "$cp" $MAIN client proto=grpc path=direct concurrencies=64 \
  warmup=$SERVERWARM duration=1 grpcPort=$GRPC_PORT >> "$out/warm.log" 2>&1
jobs_list=()
for p in $HTTP_PATHS; do jobs_list+=("http $p"); done
for p in $GRPC_PATHS; do jobs_list+=("grpc $p"); done
n=${#jobs_list[@]}
for r in $(seq 1 "$ROUNDS"); do
  for i in $(seq 0 $((n - 1))); do
    run_client ${jobs_list[$(( (i + r - 1) % n ))]} "$r"
  done
done

bench_summary "Peak throughput (issue 14), $MODE" $MAIN
