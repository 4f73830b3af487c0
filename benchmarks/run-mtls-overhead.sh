#!/usr/bin/env bash
# Issue 9's mTLS benchmark, in one invocation (paths in MtlsPaths.java):
#   <proto>-direct         bare client (JDK HttpClient / grpc-netty)  -> plain server
#   <proto>-inboard-plain  MeshHttpClient / MeshChannels over xDS     -> meshed server, DISABLE
#   <proto>-inboard-mtls   the same, the cluster auto-mTLS (ISTIO_MUTUAL) -> meshed server, STRICT
#   <proto>-sidecar        bare client -> HAProxy -> mTLS -> HAProxy -> plain server
# for proto = http (Jetty 12, HTTP/1.1) and grpc (grpc-netty; HTTP/2 on every leg, HAProxy
# `proto h2` / `alpn h2`). Then, with HANDSHAKES=1, the new-connection rate: every request on a
# new connection, closed loop, CONNECTORS threads.
# One server JVM (MtlsServers: control plane, Jetty, gRPC servers, one server mesh) and two
# HAProxy processes run for the whole invocation. Every (round, path, rate) gets a fresh client
# JVM, so that JVM's CPU is exactly one path's; the paths rotate their order round by round to
# spread the shared machine's drift over all of them.
#
# Usage: benchmarks/run-mtls-overhead.sh          (about 15 minutes with the defaults)
# Env:   ROUNDS=2 RATES="1000 3000" WARM=10 DUR=8 CONNS=16 PROTOS="http grpc"
#        KINDS="direct inboard-plain inboard-mtls sidecar"
#        PAIRED=1  also run PairedMtlsComparison per protocol (~1 min each)
#        HANDSHAKES=1 (0: skip; only: handshakes alone) CONNECTORS=4 HS_WARM=5 HS_DUR=8
#        HS_PATHS="http-direct http-inboard-plain http-inboard-mtls http-sidecar http-sidecar-full"
#        CLIENT_JVM_EXTRA="..." / SERVER_JVM_EXTRA="..." extra flags for the client / server JVMs (e.g. JFR)
# Output: benchmarks/target/mtls-overhead/<time>/{runs.txt,handshakes.txt,summary.md,env.txt,*.log}
# Builds what it runs from this checkout (benchmarks/classpath.sh); needs HAProxy (installed with
# apt-get when missing) and openssl. Loopback only.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
ROUNDS=${ROUNDS:-2}; RATES=${RATES:-"1000 3000"}; WARM=${WARM:-10}; DUR=${DUR:-8}
CONNS=${CONNS:-16}; PROTOS=${PROTOS:-"http grpc"}
KINDS=${KINDS:-"direct inboard-plain inboard-mtls sidecar"}
HANDSHAKES=${HANDSHAKES:-1}; CONNECTORS=${CONNECTORS:-4}; HS_WARM=${HS_WARM:-5}; HS_DUR=${HS_DUR:-8}
HS_PATHS=${HS_PATHS:-"http-direct http-inboard-plain http-inboard-mtls http-sidecar http-sidecar-full"}
CLIENT_JVM_EXTRA=${CLIENT_JVM_EXTRA:-}
out="benchmarks/target/mtls-overhead/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

command -v haproxy >/dev/null || { apt-get update && apt-get install -y haproxy; } || exit 1
for port in 18010 18080 18081 18082 18090 18091 18092 15001 15006 15011 15016 15021 15022; do
  if ss -ltn | grep -q "127.0.0.1:$port\b\|\*:$port\b\|0.0.0.0:$port\b"; then
    echo "port $port is in use (another run of this, run-http-overhead.sh or the bench anchor?)"
    exit 1
  fi
done
certs=benchmarks/target/mtls-certs
[ -f $certs/server.pem ] || benchmarks/haproxy/certs.sh $certs > "$out/certs.log" 2>&1 \
  || { cat "$out/certs.log"; exit 1; }

source benchmarks/classpath.sh benchmarks/target/lib-mtls

# As run-http-overhead.sh: the anchor's heap, and a common pool of 2 in every client JVM (on
# <= 2 CPUs the JDK client otherwise starts a thread per response; DESIGN.md).
FJP="-Djava.util.concurrent.ForkJoinPool.common.parallelism=2"
CLIENT_JVM="-Xms512m -Xmx512m $FJP"
SERVER_JVM="-Xms512m -Xmx512m $FJP ${SERVER_JVM_EXTRA:-}"
MAIN=io.inboard.benchmarks.mtls.MtlsOverheadBenchmark
identity=benchmarks/target/mtls-identity

STARTED=()
cleanup() { for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT INT TERM
wait_tcp() {
  for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done
  echo "port $1 did not open"; return 1
}

{
  echo "date: $(date -u +%FT%TZ)"
  echo "git: $(git rev-parse --short HEAD)$(git diff --quiet -- . || echo ' (modified)')"
  lscpu | grep -E '^(Model name|CPU\(s\)|Thread\(s\) per core|Core\(s\) per socket|Hypervisor vendor)'
  java -version 2>&1 | head -2
  haproxy -v | head -1
  uname -r
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "command: ROUNDS=$ROUNDS RATES=\"$RATES\" WARM=$WARM DUR=$DUR CONNS=$CONNS PROTOS=\"$PROTOS\" KINDS=\"$KINDS\" HANDSHAKES=$HANDSHAKES PAIRED=${PAIRED:-0} CONNECTORS=$CONNECTORS HS_WARM=$HS_WARM HS_DUR=$HS_DUR benchmarks/run-mtls-overhead.sh"
} | tee "$out/env.txt"

rm -rf $identity
java $SERVER_JVM -cp "$cp" io.inboard.benchmarks.mtls.MtlsServers $identity > "$out/server.log" 2>&1 &
SPID=$!; STARTED+=($SPID)
wait_tcp 18010 || { cat "$out/server.log"; exit 1; }
haproxy -db -f benchmarks/haproxy/server-mtls.cfg > "$out/haproxy-server.log" 2>&1 &
HS=$!; STARTED+=($HS)
haproxy -db -f benchmarks/haproxy/client-mtls.cfg > "$out/haproxy-client.log" 2>&1 &
HC=$!; STARTED+=($HC)
wait_tcp 15001 && wait_tcp 15011 && wait_tcp 15021 || exit 1
PIDS="server:$SPID,hap_client:$HC,hap_server:$HS"

paths=()
for proto in $PROTOS; do for k in $KINDS; do paths+=("$proto-$k"); done; done

if [ "$HANDSHAKES" != only ]; then
  echo "[$(date +%T)] warming the servers: every path 4 s at 2000/s, not recorded"
  java $CLIENT_JVM -cp "$cp" $MAIN warm paths="$(IFS=,; echo "${paths[*]}")" rate=2000 \
    duration=4 identity=$identity 2>&1 | grep '^warm' | tee "$out/warm.log"
  n=${#paths[@]}
  for r in $(seq 1 "$ROUNDS"); do
    for i in $(seq 0 $((n - 1))); do
      path=${paths[$(( (i + r - 1) % n ))]}
      for rate in $RATES; do
        echo "[$(date +%T)] round $r $path ${rate}/s (${WARM} s warm-up + ${DUR} s recorded)"
        timeout $((WARM + DUR + 60)) java $CLIENT_JVM $CLIENT_JVM_EXTRA -cp "$cp" $MAIN client \
          path=$path rate=$rate warmup=$WARM duration=$DUR conns=$CONNS round=$r \
          identity=$identity pids=$PIDS out="$out/runs.txt" >> "$out/client.log" 2>&1 \
          || echo "  client run failed (exit $?), see $out/client.log"
      done
    done
  done
fi

if [ "$HANDSHAKES" != 0 ]; then
  read -ra H <<< "$HS_PATHS"
  n=${#H[@]}
  for r in $(seq 1 "$ROUNDS"); do
    for i in $(seq 0 $((n - 1))); do
      path=${H[$(( (i + r - 1) % n ))]}
      echo "[$(date +%T)] round $r handshakes $path, $CONNECTORS connectors (${HS_WARM} s + ${HS_DUR} s)"
      timeout $((HS_WARM + HS_DUR + 60)) java $CLIENT_JVM $CLIENT_JVM_EXTRA -cp "$cp" $MAIN \
        handshake path=$path connectors=$CONNECTORS warmup=$HS_WARM duration=$HS_DUR round=$r \
        identity=$identity pids=$PIDS out="$out/handshakes.txt" >> "$out/client.log" 2>&1 \
        || echo "  handshake run failed (exit $?), see $out/client.log"
    done
  done
fi

# PAIRED=1: mTLS's added CPU and p50 once more, Inboard plaintext and mTLS alternating in one
# client JVM (PairedMtlsComparison), per protocol: a paired view the machine's noise disturbs less.
if [ "${PAIRED:-0}" = 1 ]; then
  for proto in $PROTOS; do
    echo "[$(date +%T)] paired $proto: inboard-plain / inboard-mtls alternating in one JVM at 2000/s"
    timeout 300 java $CLIENT_JVM -cp "$cp" $MAIN paired proto=$proto rate=2000 warmup=10 block=4 \
      blocks=5 identity=$identity pids=$PIDS out="$out/paired.txt" 2>>"$out/client.log" | grep '^paired'
  done
fi

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/env.txt"
java -cp "$cp" $MAIN report in="$out/runs.txt" handshakes="$out/handshakes.txt" \
  out="$out/summary.md"
echo "results: $out"
