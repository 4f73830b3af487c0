#!/usr/bin/env bash
# Sourced by run-*.sh: builds the benchmarks module and the modules it uses from this checkout
# (no `mvn install`, nothing assumed in ~/.m2 but what Maven downloads), then sets `cp` to the
# harness's class path, with Inboard's own jars copied to "$1" first: another build may rewrite
# a module's jar while a benchmark runs, and a jar replaced under a running JVM breaks class
# loading.
#
#   source benchmarks/classpath.sh benchmarks/target/lib
#
# The class path is that of target/classpath.txt, which leaves out mesh-telemetry; set
# bench_cp_file=classpath-telemetry.txt first for the one with it (run-telemetry-overhead.sh).
#
# Offline first (the usual case), online when something is missing; Maven's log is shown only
# when both fail.
bench_lib="$1"
bench_log="$root/benchmarks/target/build.log"
mkdir -p "$root/benchmarks/target"
# recompile from scratch: the compiler does not notice that an upstream module's API changed
# under an unchanged source (a stale class fails at run time with NoSuchMethodError); results
# under target/ are kept
# BENCH_PREBUILT=1 (set by benchmarks/run.sh after its one build) skips the build
if [ "${BENCH_PREBUILT:-0}" != 1 ]; then
  rm -rf "$root/benchmarks/target/classes"
  if ! (cd "$root" && mvn -B -q -o package -pl benchmarks -am -DskipTests) >"$bench_log" 2>&1 \
      && ! (cd "$root" && mvn -B -q package -pl benchmarks -am -DskipTests) >"$bench_log" 2>&1
  then
    cat "$bench_log" >&2
    echo "benchmarks: maven failed (see above)" >&2
    exit 1
  fi
fi
rm -rf "$bench_lib" && mkdir -p "$bench_lib"
cp="$root/benchmarks/target/classes"
# the plugin writes no trailing newline, so read reports end of file: not an error
IFS=: read -ra bench_entries < "$root/benchmarks/target/${bench_cp_file:-classpath.txt}" || true
for e in "${bench_entries[@]}"; do
  case "$e" in
    "$root"/*/target/*.jar|"$root"/*/target/classes|*/io/inboard/*.jar)
      if [ -d "$e" ]; then
        # a reactor module seen before it was packaged: keep its classes as they are now
        d="$bench_lib/$(echo "${e#"$root"/}" | tr / _)"; cp -r "$e" "$d"; e="$d"
      else
        src="$e"; [ -n "${INBOARD_LIB:-}" ] && [ -f "$INBOARD_LIB/$(basename "$e")" ] && src="$INBOARD_LIB/$(basename "$e")"
        cp -p "$src" "$bench_lib/" && e="$bench_lib/$(basename "$e")"
      fi ;;
  esac
  cp="$cp:$e"
done
