#!/usr/bin/env bash
# Issue 12's edge benchmark: the ingress gateway against HAProxy as the edge, in front of the
# same echo server (HTTP/1.1, kept-alive connections, 1 KB responses), in one invocation:
#   direct    client -> echo server 127.0.0.1:18080
#   haproxy   client -> HAProxy 2 threads :19082 -> echo server
#   gateway   client -> Inboard ingress gateway :19083 (its own JVM, routes from a real control
#             plane: a Gateway with hosts *, a VirtualService to echo:80, telemetry on) -> echo
#   gateway-jdk  the same gateway with the JDK HttpClient upstream (-Dinboard.gateway.transport=jdk)
#             on :19084, to show what the Netty transport buys
#   gateway-epoll  the same gateway on Netty's epoll instead of io_uring (-Dinboard.netty.io=epoll)
#             on :19085, to show what io_uring buys
# Open loop (the HTTP harness's generator, coordinated-omission safe) at RATES for added
# p50/p99 and the edge's CPU per 1000 requests; closed loop (wrk, CONCURRENCY in flight) for
# peak throughput. Each round runs the targets in a rotated order.
#
# Usage: benchmarks/run-gateway.sh           (about 12 minutes with the defaults)
# Env:   ROUNDS=3 RATES="1000 5000" WARM=15 DUR=10 CONNS=32 CONCURRENCY="16 64" WRK_DUR=10
#        TARGETS="direct haproxy gateway gateway-epoll gateway-jdk"
# Output: benchmarks/target/gateway/<time>/{runs.txt,wrk.txt,summary.md,env.txt,*.log}
# Needs HAProxy and wrk (installed with apt-get when missing). Loopback only.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
ROUNDS=${ROUNDS:-3}; RATES=${RATES:-"1000 5000"}; WARM=${WARM:-15}; DUR=${DUR:-10}
CONNS=${CONNS:-32}; CONCURRENCY=${CONCURRENCY:-"16 64"}; WRK_DUR=${WRK_DUR:-10}
ECHO_PORT=18080; HAPROXY_PORT=19082; GATEWAY_PORT=19083; JDK_GATEWAY_PORT=19084; XDS_PORT=15110
EPOLL_GATEWAY_PORT=19085
TARGETS=${TARGETS:-"direct haproxy gateway gateway-epoll gateway-jdk"}
out="benchmarks/target/gateway/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

for tool in haproxy wrk; do
  command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq $tool; } || exit 1
done
for port in $ECHO_PORT $HAPROXY_PORT $GATEWAY_PORT $JDK_GATEWAY_PORT $EPOLL_GATEWAY_PORT $XDS_PORT \
    15120 15121 15122 15123 15124 15125; do
  if ss -ltn | grep -q "127.0.0.1:$port\b\|\*:$port\b\|0.0.0.0:$port\b"; then
    echo "port $port is in use (another run of this benchmark?)"; exit 1
  fi
done

bench_cp_file=classpath-telemetry.txt source benchmarks/classpath.sh benchmarks/target/lib-gateway

JVM="-Xms512m -Xmx512m"
FJP="-Djava.util.concurrent.ForkJoinPool.common.parallelism=2"
# the collector the gateway's image runs with (mesh-gateway/pom.xml, jib jvmFlags)
GATEWAY_JVM=${GATEWAY_JVM:-"-XX:+UseParallelGC"}
MAIN=io.inboard.benchmarks.http.HttpOverheadBenchmark
STARTED=()
cleanup() { for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT INT TERM
wait_port() {
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$1/")" = 200 ] \
      && return 0
    sleep 0.1
  done
  echo "port $1 did not answer 200"; return 1
}

{
  echo "date: $(date -u +%FT%TZ)"
  echo "git: $(git rev-parse --short HEAD)$(git diff --quiet -- mesh-gateway mesh-http mesh-api || echo ' (modified)')"
  lscpu | grep -E '^(Model name|CPU\(s\)|Thread\(s\) per core|Core\(s\) per socket|Hypervisor vendor)'
  java -version 2>&1 | head -2
  haproxy -v | head -1
  wrk -v 2>&1 | head -1
  uname -r
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "gateway JVM flags: $GATEWAY_JVM (plus the heap above)"
  echo "command: ROUNDS=$ROUNDS RATES=\"$RATES\" WARM=$WARM DUR=$DUR CONNS=$CONNS CONCURRENCY=\"$CONCURRENCY\" WRK_DUR=$WRK_DUR benchmarks/run-gateway.sh"
} | tee "$out/env.txt"

java $JVM -cp "$cp" io.inboard.benchmarks.http.EchoServer $ECHO_PORT 2 > "$out/echo.log" 2>&1 &
EPID=$!; STARTED+=($EPID)
haproxy -db -f benchmarks/haproxy/edge-plain.cfg > "$out/haproxy.log" 2>&1 &
HPID=$!; STARTED+=($HPID)
java -Xmx256m -cp "$cp" io.inboard.benchmarks.gateway.GatewayBenchPlane xdsPort=$XDS_PORT \
  gatewayPort=$GATEWAY_PORT jdkGatewayPort=$JDK_GATEWAY_PORT epollGatewayPort=$EPOLL_GATEWAY_PORT \
  echoPort=$ECHO_PORT \
  > "$out/control-plane.log" 2>&1 &
STARTED+=($!)
# the gateway as run.sh starts it, with the benchmark JVMs' heap; no identity (the echo
# server is not a mesh workload, and HAProxy speaks plaintext too)
java $JVM $GATEWAY_JVM -cp "$cp" io.inboard.mesh.gateway.IngressGateway --control-plane 127.0.0.1:$XDS_PORT \
  --namespace default --bind-host 127.0.0.1 --health-port 15121 --admin-port 15120 \
  > "$out/gateway.log" 2>&1 &
GPID=$!; STARTED+=($GPID)
java $JVM $GATEWAY_JVM -Dinboard.gateway.transport=jdk -cp "$cp" io.inboard.mesh.gateway.IngressGateway \
  --control-plane 127.0.0.1:$XDS_PORT --namespace default --label istio=ingressgateway-jdk \
  --bind-host 127.0.0.1 --health-port 15123 --admin-port 15122 > "$out/gateway-jdk.log" 2>&1 &
JPID=$!; STARTED+=($JPID)
java $JVM $GATEWAY_JVM -Dinboard.netty.io=epoll -cp "$cp" io.inboard.mesh.gateway.IngressGateway \
  --control-plane 127.0.0.1:$XDS_PORT --namespace default --label istio=ingressgateway-epoll \
  --bind-host 127.0.0.1 --health-port 15125 --admin-port 15124 > "$out/gateway-epoll.log" 2>&1 &
OPID=$!; STARTED+=($OPID)
wait_port $ECHO_PORT && wait_port $HAPROXY_PORT && wait_port $GATEWAY_PORT \
  && wait_port $JDK_GATEWAY_PORT && wait_port $EPOLL_GATEWAY_PORT || exit 1
PIDS="echo:$EPID,haproxy:$HPID,gateway:$GPID,gateway_jdk:$JPID,gateway_epoll:$OPID"
declare -A PORT=([direct]=$ECHO_PORT [haproxy]=$HAPROXY_PORT [gateway]=$GATEWAY_PORT \
  [gateway-jdk]=$JDK_GATEWAY_PORT [gateway-epoll]=$EPOLL_GATEWAY_PORT)
declare -A EDGE=([direct]=$EPID [haproxy]=$HPID [gateway]=$GPID [gateway-jdk]=$JPID \
  [gateway-epoll]=$OPID)

echo "[$(date +%T)] warming the echo server and both edges (not recorded)"
for t in $TARGETS; do
  wrk -t2 -c64 -d8s "http://127.0.0.1:${PORT[$t]}/" > /dev/null
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
read -ra T <<< "$TARGETS"
n=${#T[@]}
for r in $(seq 1 "$ROUNDS"); do
  for i in $(seq 0 $((n - 1))); do
    t=${T[$(( (i + r - 1) % n ))]}
    for rate in $RATES; do
      echo "[$(date +%T)] round $r $t open loop ${rate}/s (${WARM} s warm-up + ${DUR} s recorded)"
      timeout $((WARM + DUR + 60)) java $JVM $FJP -cp "$cp" $MAIN client path=sidecar \
        sidecarPort=${PORT[$t]} label=$t rate=$rate warmup=$WARM duration=$DUR conns=$CONNS \
        round=$r pids=$PIDS out="$out/runs.txt" >> "$out/client.log" 2>&1 \
        || echo "  client run failed (exit $?), see $out/client.log"
    done
    for c in $CONCURRENCY; do
      echo "[$(date +%T)] round $r $t closed loop, $c in flight (${WRK_DUR} s)"
      edge=${EDGE[$t]}
      before=$(cpu_ticks $edge)
      rps=$(wrk -t2 -c$c -d${WRK_DUR}s --latency "http://127.0.0.1:${PORT[$t]}/" \
        | tee -a "$out/wrk-raw.txt" | awk '/^Requests\/sec/ {print $2}')
      after=$(cpu_ticks $edge)
      echo "round=$r target=$t concurrency=$c rps=$rps dur=$WRK_DUR edge_cpu_ticks=$((after - before))" \
        | tee -a "$out/wrk.txt"
    done
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/env.txt"
[ -s "$out/runs.txt" ] && java -cp "$cp" $MAIN report in="$out/runs.txt" out="$out/summary.md"
# peak throughput: median over rounds per target and concurrency, and the gateway/HAProxy ratio
python3 - "$out/wrk.txt" <<'PY' | tee -a "$out/summary.md"
import statistics, sys
runs = [dict(kv.split("=", 1) for kv in line.split()) for line in open(sys.argv[1]) if line.strip()]
print("\n## Peak throughput (wrk, requests/s, median of rounds)\n")
print("| in flight | direct | haproxy | gateway | gateway-epoll | gateway-jdk | gateway / haproxy | edge vCPU-s per 1000 requests: haproxy / gateway / gateway-epoll / gateway-jdk |")
print("|---|---|---|---|---|---|---|---|")
for c in sorted({int(r["concurrency"]) for r in runs}):
    med, cpu = {}, {}
    for t in ("direct", "haproxy", "gateway", "gateway-epoll", "gateway-jdk"):
        sel = [r for r in runs if r["target"] == t and int(r["concurrency"]) == c and r["rps"]]
        med[t] = statistics.median(float(r["rps"]) for r in sel) if sel else 0.0
        cpu[t] = statistics.median(int(r["edge_cpu_ticks"]) / 100 / (float(r["rps"]) * float(r["dur"])) * 1000 for r in sel) if sel else 0.0
    ratio = med["gateway"] / med["haproxy"] if med["haproxy"] else 0.0
    print(f"| {c} | {med['direct']:.0f} | {med['haproxy']:.0f} | {med['gateway']:.0f} | {med['gateway-epoll']:.0f} | {med['gateway-jdk']:.0f} | {ratio:.2f} | {cpu['haproxy']:.3f} / {cpu['gateway']:.3f} / {cpu['gateway-epoll']:.3f} / {cpu['gateway-jdk']:.3f} |")
PY
echo "results: $out"
