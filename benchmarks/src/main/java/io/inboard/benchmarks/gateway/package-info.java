/**
 * The ingress gateway benchmark's control plane ({@code run-gateway.sh}): a Gateway and
 * VirtualService in front of the echo server, for the gateway against HAProxy as the edge.
 */
package io.inboard.benchmarks.gateway;
