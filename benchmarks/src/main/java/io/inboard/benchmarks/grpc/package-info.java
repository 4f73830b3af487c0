/**
 * Issue 14's per-call cost on the gRPC path: {@link io.inboard.benchmarks.grpc.GrpcOverheadBenchmark},
 * driven by {@code benchmarks/run-grpc-overhead.sh}. It reuses the HTTP harness's open-loop
 * generator, process sampling and report ({@code io.inboard.benchmarks.http}); the servers, the
 * control plane and the mock Kubernetes API run in {@link io.inboard.benchmarks.grpc.GrpcBenchServers}'
 * JVM, apart from the client under test.
 */
package io.inboard.benchmarks.grpc;
