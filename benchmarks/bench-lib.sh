#!/usr/bin/env bash
# Sourced by run-grpc-overhead.sh and run-peak.sh (issue 14): what both need around their JVMs.
#   bench_start NAME CMD...     runs CMD in the background, logged to $out/NAME.log; its pid is
#                               in $bench_pid, and it is killed when the script exits
#   bench_wait_tcp PORT         until 127.0.0.1:PORT accepts a connection (10 s at most)
#   bench_wait_log FILE TEXT    until FILE holds TEXT (60 s at most)
#   bench_ports_free PORT...    fails, naming it, if one is already listened on
#   bench_haproxy               installs HAProxy with apt-get when missing
#   bench_machine COMMAND       Markdown: date, git rev, lscpu, java -version, load, command
#   bench_summary TITLE MAIN    writes $out/summary.md (title, $out/machine.md, MAIN's report of
#                               $out/runs.txt, and the top frames of any JFR=1 profile
#                               $out/cpu-*.jfr), prints it, and last "results: <its path>"
# Expects $root (the repository) and $out (the run's result directory).
bench_pids=()
bench_stop_all() {
  local p
  for p in "${bench_pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
}
trap bench_stop_all EXIT INT TERM

bench_start() {
  local name=$1; shift
  "$@" > "$out/$name.log" 2>&1 &
  bench_pid=$!
  bench_pids+=("$bench_pid")
}

bench_wait_tcp() {
  local i
  for i in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "127.0.0.1:$1 did not accept a connection" >&2; return 1
}

bench_wait_log() {
  local i
  for i in $(seq 1 600); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$1 never said '$2':" >&2; tail -20 "$1" >&2; return 1
}

bench_ports_free() {
  local port
  for port in "$@"; do
    if ss -ltn | grep -Eq "(127\.0\.0\.1|\*|0\.0\.0\.0|\[::\]):$port\b"; then
      echo "port $port is in use (another run of this benchmark?)" >&2; return 1
    fi
  done
}

bench_haproxy() {
  command -v haproxy >/dev/null && return 0
  { apt-get update && apt-get install -y haproxy; } >&2
}

bench_machine() {
  echo "- date: $(date -u +%FT%TZ)"
  echo "- git: $(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- . || echo ' (uncommitted changes)')"
  lscpu | grep -E '^(Model name|CPU\(s\)|Thread\(s\) per core|Hypervisor vendor)' | sed 's/^/- /; s/  */ /g'
  echo "- java: $(java -version 2>&1 | head -2 | tr '\n' ' ')"
  command -v haproxy >/dev/null && echo "- $(haproxy -v | head -1)"
  echo "- kernel: $(uname -r)"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- command: \`$1\`"
}

bench_summary() {
  {
    echo "# $1"
    echo
    cat "$out/machine.md"
    echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    if [ -s "$out/runs.txt" ]; then java -cp "$cp" "$2" report in="$out/runs.txt"
    else echo "No run finished: see $out/client.log."; fi
    # JFR=1 runs: each client JVM's profile, summarised (io.inboard.benchmarks.footprint.JfrFrames)
    for f in "$out"/cpu-*.jfr; do
      [ -f "$f" ] || continue
      echo; echo "### CPU profile, $(basename "$f" .jfr | sed 's/^cpu-//') (JFR, client JVM)"; echo
      echo '```'
      java -cp "$cp" io.inboard.benchmarks.footprint.JfrFrames in="$f" event=cpu top=20 2>&1
      echo '```'
    done
  } > "$out/summary.md"
  cat "$out/summary.md"
  echo "results: $out/summary.md"
}
