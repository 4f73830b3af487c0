#!/usr/bin/env bash
# Every benchmark of issue 14 in one invocation, and a dated section in BENCHMARKS.md.
#
#   benchmarks/run.sh quick    # about 5 minutes: one short run of each part, at the size or
#                              # rate its target is stated for (indicative, not for the record)
#   benchmarks/run.sh full     # about an hour: the rounds and sizes BENCHMARKS.md quotes
#   benchmarks/run.sh quick http-overhead propagation   # only the parts named
#
# Parts, in order (each a script of its own that can also run alone):
#   http-overhead  HTTP per-call cost: direct / Inboard / HAProxy sidecars (run-http-overhead.sh)
#   grpc-overhead  gRPC per-call cost: direct / Inboard xDS / Kubernetes mode / sidecars (h2)
#   peak           closed-loop throughput at 16 and 64 in flight, HTTP and gRPC
#   propagation    change-to-ACK for real grpc-xds clients (run-propagation.sh)
#   cp-scale       the control plane under 100..5000 services and up to 500 ADS clients
#   footprint      heap, threads, start-up and allocation per call the library adds
#
# Builds the benchmarks once from this checkout, installs what it needs (HAProxy) and sends
# traffic on loopback only. Each part's own results stay under benchmarks/target/<part>/; the
# section appended to BENCHMARKS.md holds the machine, the command and every part's summary.
# Env: NO_RECORD=1 leaves BENCHMARKS.md alone (the section is still written to target/).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mode=${1:-quick}
case "$mode" in quick|full) shift || true ;; *) echo "usage: $0 [quick|full] [part...]" >&2; exit 2 ;; esac
all_parts="http-overhead grpc-overhead peak propagation cp-scale footprint"
parts=${*:-$all_parts}
for p in $parts; do
  case " $all_parts " in *" $p "*) ;; *) echo "unknown part '$p' (expected: $all_parts)" >&2; exit 2 ;; esac
done

stamp=$(date +%Y%m%d-%H%M%S)
out="benchmarks/target/run/$stamp"
mkdir -p "$out"
section="$out/section.md"
started=$(date +%s)

command -v haproxy >/dev/null || { apt-get update && apt-get install -y haproxy; } || exit 1
echo "[$(date +%T)] building the benchmarks"
source benchmarks/classpath.sh benchmarks/target/lib
export BENCH_PREBUILT=1 MODE="$mode"

# Runs one part's script with the mode's settings; prints its summary file's path, or nothing.
run_part() {
  local part=$1 log="$out/$1.log" script args=() envs=()
  # quick: each part at the size its target is stated for, briefly (the parts' own quick modes
  # cover more sizes and rates when run alone)
  case "$part" in
    http-overhead)
      script=benchmarks/run-http-overhead.sh
      if [ "$mode" = quick ]; then envs=(ROUNDS=1 RATES=1000 WARM=2 DUR=3)
      else envs=(PATHS="direct inboard inboard-netty sidecar"); fi ;;
    grpc-overhead)
      script=benchmarks/run-grpc-overhead.sh
      [ "$mode" = quick ] && envs=(RATES=1000 WARM=2 DUR=3 PRIME=300) ;;
    peak)
      script=benchmarks/run-peak.sh
      if [ "$mode" = quick ]; then envs=(WARM=2 REWARM=1 DUR=2 SERVERWARM=2)
      else envs=(HTTP_PATHS="direct inboard inboard-netty sidecar"); fi ;;
    propagation)
      script=benchmarks/run-propagation.sh
      if [ "$mode" = quick ]; then args=(clients=1,10 iterations=5 rounds=1 warmup=1)
      else args=(clients=1,10,50 iterations=30 rounds=3); fi ;;
    cp-scale)
      script=benchmarks/run-cp-scale.sh
      [ "$mode" = quick ] && args=(services=1000 clients=100 iterations=3 nodebounce=) ;;
    footprint)
      script=benchmarks/run-footprint.sh
      # allocation per call is near-deterministic once warm: one round suffices here; the
      # first routed call is timed for HTTP only (full mode times gRPC's too)
      [ "$mode" = quick ] && envs=(SERVICES=100 ALLOC_CALLS=1000 ALLOC_ROUNDS=1 FIRST_GRPC=0) ;;
  esac
  if [ ! -x "$script" ] && [ ! -f "$script" ]; then
    echo "  $script is missing" >&2; return 1
  fi
  echo "[$(date +%T)] $part ($mode)" >&2
  local t0; t0=$(date +%s)
  env "${envs[@]}" bash "$script" "${args[@]}" > "$log" 2>&1
  local rc=$?
  echo "  $part took $(( $(date +%s) - t0 )) s (exit $rc), log: $log" >&2
  if [ "$part" = propagation ]; then
    # prints its tables to standard output
    sed -n '/^|/,$p' "$log" > "$out/propagation.md"; echo "$out/propagation.md"; return $rc
  fi
  local res; res=$(grep '^results: ' "$log" | tail -1 | cut -d' ' -f2-)
  [ -d "$res" ] && res="$res/summary.md"
  [ -f "$res" ] && echo "$res"
  return $rc
}

{
  echo "## benchmarks/run.sh $mode, $(date -u +%F\ %H:%M) UTC"
  echo
  echo "- command: \`benchmarks/run.sh $mode${*:+ $*}\`"
  echo "- commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!BENCHMARKS.md' || echo ' (with local changes)')"
  echo "- machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs," \
       "$(free -g | awk '/^Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1); $(haproxy -v | head -1 | cut -d' ' -f1-3)"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "Ratios compare runs of the same invocation; absolute times move with the shared machine."
} > "$section"

failed=()
for part in $parts; do
  summary=$(run_part "$part") || failed+=("$part")
  {
    echo
    echo "### $part"
    echo
    if [ -n "$summary" ] && [ -s "$summary" ]; then
      # the parts' own top-level headings become sub-headings of this section
      sed -e 's/^# /#### /' -e 's/^## /#### /' -e 's/^### /#### /' "$summary"
    else
      echo "(no results: see \`$out/$part.log\`)"
    fi
  } >> "$section"
done

{
  echo
  echo "Wall time $(( $(date +%s) - started )) s; load average at end: $(cut -d' ' -f1-3 /proc/loadavg)."
} >> "$section"

if [ "${NO_RECORD:-0}" != 1 ]; then
  { echo; cat "$section"; } >> BENCHMARKS.md
  echo "appended to BENCHMARKS.md"
fi
[ ${#failed[@]} -eq 0 ] || echo "parts that failed: ${failed[*]}"
echo "results: $section"
[ ${#failed[@]} -eq 0 ]
