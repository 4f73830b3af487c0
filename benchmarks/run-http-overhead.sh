#!/usr/bin/env bash
# Issue 4's HTTP per-call overhead benchmark, in one invocation:
#   direct   bare JDK HttpClient            -> echo server 127.0.0.1:18080
#   inboard  MeshHttpClient, http://echo:80/ -> (StaticDiscovery) -> echo server
#   sidecar  bare JDK HttpClient -> HAProxy :15001 -> HAProxy :15006 -> echo server
# One echo server JVM and the two HAProxy processes run for the whole invocation. Every
# (round, path, rate) gets a fresh client JVM, so that JVM's CPU is exactly one path's; the
# paths rotate their order round by round to spread the shared machine's drift over all of them.
#
# Usage: benchmarks/run-http-overhead.sh      (about 10 minutes)
# Env:   ROUNDS=3 RATES="1000 3000" WARM=18 DUR=10 CONNS=16  (seconds; the warm-up is long because
#        C2 needs ~20 s to settle when the 2 shared CPUs are busy)
#        PATHS="direct inboard sidecar"  (also: inboard-netty = inboard on HttpTransport.NETTY;
#        inboard-fjp1 = inboard without the common-pool
#        flag, i.e. the JVM's own parallelism of 1 on 2 CPUs)
#        CLIENT_JVM_EXTRA="..." extra flags for the client JVMs (e.g. a JFR recording)
#        INBOARD_LIB=DIR       Inboard jars from DIR instead of this checkout's build
#        PAIRED=1              also run PairedCpuComparison (~1.5 min more)
# Output: benchmarks/target/http-overhead/<time>/{runs.txt,summary.md,env.txt,*.log}
# Builds what it runs from this checkout (benchmarks/classpath.sh; nothing needs to be installed
# in ~/.m2) and needs HAProxy (installed here with apt-get when missing). Loopback only.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
ROUNDS=${ROUNDS:-3}; RATES=${RATES:-"1000 3000"}; WARM=${WARM:-18}; DUR=${DUR:-10}; CONNS=${CONNS:-16}
PATHS=${PATHS:-"direct inboard sidecar"}; CLIENT_JVM_EXTRA=${CLIENT_JVM_EXTRA:-}
ECHO_PORT=18080   # the anchor's HAProxy configs (benchmarks/haproxy/) name these three ports
out="benchmarks/target/http-overhead/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

command -v haproxy >/dev/null || { apt-get update && apt-get install -y haproxy; } || exit 1
for port in $ECHO_PORT 15001 15006; do
  if ss -ltn | grep -q "127.0.0.1:$port\b\|\*:$port\b\|0.0.0.0:$port\b"; then
    echo "port $port is in use (another run of this or of ../shared/bench-anchor?)"; exit 1
  fi
done

source benchmarks/classpath.sh benchmarks/target/lib-http

# Every client JVM: the anchor's fixed heap, and a common pool of 2. On <= 2 CPUs the common pool
# otherwise has parallelism 1, and the JDK client's sendAsync (which completes through the
# CompletableFuture default executor even with its own executor) then starts a thread per
# response (DESIGN.md). Both the bare client and MeshHttpClient use sendAsync under this flag, so
# the flag treats them alike; inboard-fjp1 shows MeshHttpClient without it.
FJP="-Djava.util.concurrent.ForkJoinPool.common.parallelism=2"
CLIENT_JVM="-Xms512m -Xmx512m"
SERVER_JVM="-Xms512m -Xmx512m"
MAIN=io.inboard.benchmarks.http.HttpOverheadBenchmark

STARTED=()
cleanup() { for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT INT TERM
wait_port() {
  for _ in $(seq 1 100); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/" && return 0; sleep 0.1
  done
  echo "port $1 did not answer"; return 1
}

{
  echo "date: $(date -u +%FT%TZ)"
  echo "git: $(git rev-parse --short HEAD)$(git diff --quiet -- mesh-http mesh-api || echo ' (mesh-http/mesh-api modified)')"
  lscpu | grep -E '^(Model name|CPU\(s\)|Thread\(s\) per core|Core\(s\) per socket|Hypervisor vendor)'
  java -version 2>&1 | head -2
  haproxy -v | head -1
  uname -r
  (cd "$lib" && for j in mesh-api-*.jar mesh-http-*.jar; do
     echo "$j sha256 $(sha256sum "$j" | cut -c1-12) from ${INBOARD_LIB:-~/.m2}, built $(date -u -r "$j" +%FT%TZ)"; done)
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "command: ROUNDS=$ROUNDS RATES=\"$RATES\" WARM=$WARM DUR=$DUR CONNS=$CONNS PATHS=\"$PATHS\" benchmarks/run-http-overhead.sh"
} | tee "$out/env.txt"

java $SERVER_JVM -cp "$cp" io.inboard.benchmarks.http.EchoServer $ECHO_PORT 2 > "$out/server.log" 2>&1 &
SPID=$!; STARTED+=($SPID)
wait_port $ECHO_PORT || exit 1
haproxy -db -f benchmarks/haproxy/server-plain.cfg > "$out/haproxy-server.log" 2>&1 &
HS=$!; STARTED+=($HS)
haproxy -db -f benchmarks/haproxy/client-plain.cfg > "$out/haproxy-client.log" 2>&1 &
HC=$!; STARTED+=($HC)
wait_port 15001 || exit 1
PIDS="server:$SPID,hap_client:$HC,hap_server:$HS"

# Warm the echo server's JIT (and both proxies' connections) before anything is recorded.
echo "[$(date +%T)] warming the echo server (8 s direct + 4 s through the sidecars, not recorded)"
java $CLIENT_JVM $FJP -cp "$cp" $MAIN client path=direct rate=3000 warmup=0 duration=8 \
  conns=$CONNS pids=$PIDS > "$out/warm.log" 2>&1
java $CLIENT_JVM $FJP -cp "$cp" $MAIN client path=sidecar rate=1000 warmup=0 duration=4 \
  conns=$CONNS pids=$PIDS >> "$out/warm.log" 2>&1

read -ra P <<< "$PATHS"
n=${#P[@]}
for r in $(seq 1 "$ROUNDS"); do
  for i in $(seq 0 $((n - 1))); do
    label=${P[$(( (i + r - 1) % n ))]}
    path=$label; flags="$CLIENT_JVM $FJP"
    case $label in inboard-fjp1) path=inboard; flags="$CLIENT_JVM" ;; esac
    for rate in $RATES; do
      echo "[$(date +%T)] round $r $label ${rate}/s (${WARM} s warm-up + ${DUR} s recorded)"
      timeout $((WARM + DUR + 60)) java $flags $CLIENT_JVM_EXTRA -cp "$cp" $MAIN client \
        path=$path label=$label rate=$rate warmup=$WARM duration=$DUR conns=$CONNS round=$r \
        pids=$PIDS out="$out/runs.txt" >> "$out/client.log" 2>&1 \
        || echo "  client run failed (exit $?), see $out/client.log"
    done
  done
done

# PAIRED=1: Inboard's added CPU once more, direct and inboard alternating in one JVM (see
# PairedCpuComparison): a paired view that the machine's noise disturbs less.
if [ "${PAIRED:-0}" = 1 ]; then
  echo "[$(date +%T)] paired CPU comparison, direct/inboard alternating in one JVM at 2000/s"
  java $CLIENT_JVM $FJP -cp "$cp" $MAIN paired-cpu rate=2000 warmup=15 block=4 blocks=5 \
    conns=$CONNS | tee "$out/paired-cpu.txt"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/env.txt"
[ -s "$out/runs.txt" ] && java -cp "$cp" $MAIN report in="$out/runs.txt" out="$out/summary.md"
echo "results: $out"
