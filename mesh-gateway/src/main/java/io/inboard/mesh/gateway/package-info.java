/**
 * The ingress gateway: a Java edge proxy that is itself a mesh workload and serves Istio's
 * {@code Gateway} resources and the VirtualServices bound to them, as the control plane sends
 * them over xDS.
 */
package io.inboard.mesh.gateway;
