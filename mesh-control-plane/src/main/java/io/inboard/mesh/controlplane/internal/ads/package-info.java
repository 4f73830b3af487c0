/**
 * Stage 6, serving: the ADS server and its snapshot cache, the tracking of connected workloads
 * (node metadata, ACKs and NACKs) and load reporting. Receives translated xDS resources from the
 * engine and streams them to grpc-xds clients. Internal: may change at any time, without
 * notice.
 */
package io.inboard.mesh.controlplane.internal.ads;
