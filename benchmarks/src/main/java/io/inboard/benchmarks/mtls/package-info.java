/**
 * Issue 9's mTLS benchmark: per-request overhead of Inboard's mTLS over HTTP and gRPC against
 * Inboard plaintext, a direct call and two HAProxy sidecars with TLS between them, and the
 * new-connection (handshake) rate of each. Run by {@code benchmarks/run-mtls-overhead.sh}.
 */
package io.inboard.benchmarks.mtls;
