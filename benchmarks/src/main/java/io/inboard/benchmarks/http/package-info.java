/**
 * Issue 4's HTTP per-call overhead benchmark: {@link
 * io.inboard.benchmarks.http.HttpOverheadBenchmark}, driven by {@code
 * benchmarks/run-http-overhead.sh}. The echo server and the open-loop generator are adapted from
 * the sidecar anchor in {@code ../shared/bench-anchor/}.
 */
package io.inboard.benchmarks.http;
