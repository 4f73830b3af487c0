/**
 * The service graph, Kiali's core in the control plane: {@code GET /ui} (one self-contained
 * page) and {@code GET /api/v1/graph} (nodes and edges with request rate, error share, p95
 * latency, mTLS share and Kiali's health). The traffic comes either from the workloads' own
 * {@code /stats/prometheus}, scraped by the control plane on its own thread
 * ({@link io.inboard.mesh.controlplane.internal.graph.WorkloadScraper}), or from a Prometheus
 * server asked Kiali's queries ({@link io.inboard.mesh.controlplane.internal.graph.KialiQueries}).
 * Both produce the same rows, which {@link io.inboard.mesh.controlplane.internal.graph.GraphAssembler}
 * turns into a graph as Kiali does. Internal: may change at any time, without notice.
 */
package io.inboard.mesh.controlplane.internal.graph;
