/**
 * The per-call cost of telemetry (issue 11): Istio's metrics, plus tracing at 1 % and 100 %
 * sampling, against telemetry off. Two views: {@link TelemetryPathBenchmark} (JMH, exactly the
 * telemetry work a plane does per call, on a real mesh's {@code mesh-telemetry}) and
 * {@link TelemetryOverheadBenchmark} (HTTP calls through {@code MeshHttpClient} to a meshed
 * Jetty server on loopback, the modes alternating in short blocks in one JVM). Both are run by
 * {@code benchmarks/run-telemetry-overhead.sh}; results are in {@code BENCHMARKS.md}.
 */
package io.inboard.benchmarks.telemetry;
