/**
 * Issue 14's peak throughput: {@link io.inboard.benchmarks.peak.PeakBenchmark}, a closed loop at
 * fixed concurrency over the HTTP paths of {@code io.inboard.benchmarks.http} and the gRPC paths
 * of {@code io.inboard.benchmarks.grpc}, driven by {@code benchmarks/run-peak.sh}.
 */
package io.inboard.benchmarks.peak;
