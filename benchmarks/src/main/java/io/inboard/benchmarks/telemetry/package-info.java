/**
 * The per-call cost of telemetry (issue 11): Istio's metrics, plus tracing at 1 % and 100 %
 * sampling, against telemetry off. Three views: {@link TelemetryPathBenchmark} (JMH, exactly the
 * telemetry work a plane does per call, on a real mesh's {@code mesh-telemetry}),
 * {@link TelemetryPathCpu} (that work's process CPU, modes alternating in one JVM) and
 * {@link TelemetryOverheadBenchmark} (HTTP and gRPC calls between meshes on loopback, modes
 * alternating in short blocks in one JVM). All are run by
 * {@code benchmarks/run-telemetry-overhead.sh}; results are in {@code BENCHMARKS.md}.
 */
package io.inboard.benchmarks.telemetry;
