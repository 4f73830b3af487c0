/**
 * Issue 14's control plane at scale: a control plane in a JVM of its own, fed N services of 10
 * endpoints each, and up to 500 lightweight ADS clients spread over a few client JVMs, each
 * subscribing as a grpc-xds workload does (LDS for the services it calls, then RDS, CDS, EDS,
 * ACKing every response). The driver ({@link io.inboard.benchmarks.scale.CpScaleBenchmark})
 * makes changes and measures the time until every client ACKed them, the control plane's CPU,
 * heap and the bytes it sent.
 */
package io.inboard.benchmarks.scale;
